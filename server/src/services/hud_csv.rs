//! HUD HMIS CSV FY2026 facts in one place, for the export (and, later, the import): every file
//! of the format in HUD's order with its columns in HUD's order (taken from the headers of the
//! FY2026 sample export in `shared/data/hud-sample-fy2026/` and, for Disabilities.csv, which the
//! sample lacks, from `hud-hmis-api-0.5.yaml`), HUD's date and timestamp formats, the writing of
//! one file (strings quoted, numbers and dates bare, as HUD's sample), and the `HashStatus` 4
//! hashing (SHA-256 of the Soundex of a name; the SSN's last four digits, then the SHA-256 of the
//! whole SSN).

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

/// `Export.CSVVersion` of what Hearth writes.
pub const CSV_VERSION: &str = "2026 v1.0";

/// One HUD CSV file: its name without `.csv` and its columns, in HUD's order.
#[derive(Debug, Clone, Copy)]
pub struct HudFile {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

impl HudFile {
    /// `Name.csv`.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// The position of `column` (HUD's spelling), if the file has it.
    pub fn index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == column)
    }
}

/// The file called `name` (without `.csv`).
pub fn file(name: &str) -> Option<&'static HudFile> {
    FILES.iter().find(|f| f.name == name)
}

/// HUD's date format (`yyyy-mm-dd`).
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// HUD's timestamp format (`yyyy-mm-dd hh:mm:ss`, no fraction).
pub fn timestamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// One cell: HUD's sample quotes strings and leaves numbers, dates and timestamps bare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    /// A string, written quoted (`"` doubled inside).
    Text(String),
    /// A number, date or timestamp, written as it is.
    Bare(String),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }
    pub fn opt_text(s: Option<impl Into<String>>) -> Self {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }
    pub fn int(i: i64) -> Self {
        Cell::Bare(i.to_string())
    }
    pub fn opt_int(i: Option<i64>) -> Self {
        i.map_or(Cell::Empty, Cell::int)
    }
    pub fn date(d: NaiveDate) -> Self {
        Cell::Bare(date(d))
    }
    pub fn opt_date(d: Option<NaiveDate>) -> Self {
        d.map_or(Cell::Empty, Cell::date)
    }
    pub fn timestamp(t: NaiveDateTime) -> Self {
        Cell::Bare(timestamp(t))
    }
}

/// One row of a file, every column empty until set by name.
#[derive(Debug, Clone)]
pub struct Record {
    file: &'static HudFile,
    cells: Vec<Cell>,
}

impl Record {
    pub fn new(file: &'static HudFile) -> Self {
        Self {
            file,
            cells: vec![Cell::Empty; file.columns.len()],
        }
    }

    /// Sets `column`; a column the file does not have is a programming error (panics in tests
    /// and debug builds, ignored otherwise).
    pub fn set(&mut self, column: &str, cell: Cell) -> &mut Self {
        match self.file.index(column) {
            Some(i) => self.cells[i] = cell,
            None => debug_assert!(false, "{} has no column {column}", self.file.name),
        }
        self
    }
}

/// The text of one file: its header, then each row, lines ended by `\n` (as HUD's sample).
pub fn write(file: &HudFile, rows: &[Record]) -> String {
    let mut out = file.columns.join(",");
    out.push('\n');
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match cell {
                Cell::Empty => {}
                Cell::Bare(s) => out.push_str(s),
                Cell::Text(s) => {
                    out.push('"');
                    out.push_str(&s.replace('"', "\"\""));
                    out.push('"');
                }
            }
        }
        out.push('\n');
    }
    out
}

/// American Soundex of a name (a letter and three digits; `None` without an ASCII letter): the
/// first letter, then the codes of the following letters, adjacent equal codes once, letters
/// separated only by H or W counted as adjacent, vowels separating.
pub fn soundex(name: &str) -> Option<String> {
    fn code(c: char) -> u8 {
        match c {
            'B' | 'F' | 'P' | 'V' => b'1',
            'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => b'2',
            'D' | 'T' => b'3',
            'L' => b'4',
            'M' | 'N' => b'5',
            'R' => b'6',
            'H' | 'W' => b'h',
            _ => b'0',
        }
    }
    let mut letters = name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase());
    let first = letters.next()?;
    let mut out = String::from(first);
    let mut last = code(first);
    for c in letters {
        let k = code(c);
        match k {
            b'h' => continue,
            b'0' => last = b'0',
            _ if k != last => {
                out.push(char::from(k));
                last = k;
                if out.len() == 4 {
                    break;
                }
            }
            _ => {}
        }
    }
    while out.len() < 4 {
        out.push('0');
    }
    Some(out)
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `HashStatus` 4 (SHA-256): a name's value is the SHA-256 (lower-case hex) of its Soundex;
/// a name without letters stays empty.
pub fn hash_name(name: &str) -> Option<String> {
    soundex(name).map(|s| sha256_hex(&s))
}

/// An SSN as HUD writes it: its nine characters, digits or (for digits not collected) `X`,
/// without the dashes Hearth may store.
pub fn ssn(stored: &str) -> String {
    stored
        .chars()
        .filter(|c| c.is_ascii_digit() || c.eq_ignore_ascii_case(&'x'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `HashStatus` 4 (SHA-256): an SSN's value is its last four characters unhashed, followed by
/// the SHA-256 (lower-case hex) of the whole value as exported (nine digits, or HUD's
/// `XXXXX1234` for a partial SSN).
pub fn hash_ssn(ssn: &str) -> String {
    let last4 = ssn.get(ssn.len().saturating_sub(4)..).unwrap_or("");
    format!("{last4}{}", sha256_hex(ssn))
}

/// Every file of HUD's FY2026 HMIS CSV format, in HUD's order.
pub const FILES: &[HudFile] = &[
    HudFile {
        name: "Export",
        columns: &[
            "ExportID",
            "SourceType",
            "SourceID",
            "SourceName",
            "SourceContactFirst",
            "SourceContactLast",
            "SourceContactPhone",
            "SourceContactExtension",
            "SourceContactEmail",
            "ExportDate",
            "ExportStartDate",
            "ExportEndDate",
            "SoftwareName",
            "SoftwareVersion",
            "CSVVersion",
            "ExportPeriodType",
            "ExportDirective",
            "HashStatus",
            "ImplementationID",
        ],
    },
    HudFile {
        name: "Organization",
        columns: &[
            "OrganizationID",
            "OrganizationName",
            "VictimServiceProvider",
            "OrganizationCommonName",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "User",
        columns: &[
            "UserID",
            "UserFirstName",
            "UserLastName",
            "UserPhone",
            "UserExtension",
            "UserEmail",
            "DateCreated",
            "DateUpdated",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Project",
        columns: &[
            "ProjectID",
            "OrganizationID",
            "ProjectName",
            "ProjectCommonName",
            "OperatingStartDate",
            "OperatingEndDate",
            "ContinuumProject",
            "ProjectType",
            "HousingType",
            "RRHSubType",
            "ResidentialAffiliation",
            "TargetPopulation",
            "HOPWAMedAssistedLivingFac",
            "PITCount",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Funder",
        columns: &[
            "FunderID",
            "ProjectID",
            "Funder",
            "OtherFunder",
            "GrantID",
            "StartDate",
            "EndDate",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "ProjectCoC",
        columns: &[
            "ProjectCoCID",
            "ProjectID",
            "CoCCode",
            "Geocode",
            "Address1",
            "Address2",
            "City",
            "State",
            "ZIP",
            "GeographyType",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Inventory",
        columns: &[
            "InventoryID",
            "ProjectID",
            "CoCCode",
            "HouseholdType",
            "Availability",
            "UnitInventory",
            "BedInventory",
            "CHVetBedInventory",
            "YouthVetBedInventory",
            "VetBedInventory",
            "CHYouthBedInventory",
            "YouthBedInventory",
            "CHBedInventory",
            "OtherBedInventory",
            "ESBedType",
            "InventoryStartDate",
            "InventoryEndDate",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Affiliation",
        columns: &[
            "AffiliationID",
            "ProjectID",
            "ResProjectID",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "HMISParticipation",
        columns: &[
            "HMISParticipationID",
            "ProjectID",
            "HMISParticipationType",
            "HMISParticipationStatusStartDate",
            "HMISParticipationStatusEndDate",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "CEParticipation",
        columns: &[
            "CEParticipationID",
            "ProjectID",
            "AccessPoint",
            "PreventionAssessment",
            "CrisisAssessment",
            "HousingAssessment",
            "DirectServices",
            "ReceivesReferrals",
            "CEParticipationStatusStartDate",
            "CEParticipationStatusEndDate",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Client",
        columns: &[
            "PersonalID",
            "FirstName",
            "MiddleName",
            "LastName",
            "NameSuffix",
            "NameDataQuality",
            "SSN",
            "SSNDataQuality",
            "DOB",
            "DOBDataQuality",
            "Sex",
            "AmIndAKNative",
            "Asian",
            "BlackAfAmerican",
            "HispanicLatinao",
            "MidEastNAfrican",
            "NativeHIPacific",
            "White",
            "RaceNone",
            "AdditionalRaceEthnicity",
            "VeteranStatus",
            "YearEnteredService",
            "YearSeparated",
            "WorldWarII",
            "KoreanWar",
            "VietnamWar",
            "DesertStorm",
            "AfghanistanOEF",
            "IraqOIF",
            "IraqOND",
            "OtherTheater",
            "MilitaryBranch",
            "DischargeStatus",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Enrollment",
        columns: &[
            "EnrollmentID",
            "PersonalID",
            "ProjectID",
            "EntryDate",
            "HouseholdID",
            "RelationshipToHoH",
            "EnrollmentCoC",
            "LivingSituation",
            "RentalSubsidyType",
            "LengthOfStay",
            "LOSUnderThreshold",
            "PreviousStreetESSH",
            "DateToStreetESSH",
            "TimesHomelessPastThreeYears",
            "MonthsHomelessPastThreeYears",
            "DisablingCondition",
            "DateOfEngagement",
            "MoveInDate",
            "DateOfPATHStatus",
            "ClientEnrolledInPATH",
            "ReasonNotEnrolled",
            "PercentAMI",
            "ReferralSource",
            "CountOutreachReferralApproaches",
            "DateOfBCPStatus",
            "EligibleForRHY",
            "ReasonNoServices",
            "RunawayYouth",
            "FormerWardChildWelfare",
            "ChildWelfareYears",
            "ChildWelfareMonths",
            "FormerWardJuvenileJustice",
            "JuvenileJusticeYears",
            "JuvenileJusticeMonths",
            "UnemploymentFam",
            "MentalHealthDisorderFam",
            "PhysicalDisabilityFam",
            "AlcoholDrugUseDisorderFam",
            "InsufficientIncome",
            "IncarceratedParent",
            "VAMCStation",
            "TargetScreenReqd",
            "TimeToHousingLoss",
            "AnnualPercentAMI",
            "LiteralHomelessHistory",
            "ClientLeaseholder",
            "HoHLeaseholder",
            "SubsidyAtRisk",
            "EvictionHistory",
            "CriminalRecord",
            "IncarceratedAdult",
            "PrisonDischarge",
            "SexOffender",
            "DisabledHoH",
            "CurrentPregnant",
            "SingleParent",
            "DependentUnder6",
            "HH5Plus",
            "CoCPrioritized",
            "HPScreeningScore",
            "ThresholdScore",
            "MentalHealthConsultation",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Exit",
        columns: &[
            "ExitID",
            "EnrollmentID",
            "PersonalID",
            "ExitDate",
            "Destination",
            "DestinationSubsidyType",
            "OtherDestination",
            "HousingAssessment",
            "SubsidyInformation",
            "ProjectCompletionStatus",
            "EarlyExitReason",
            "ExchangeForSex",
            "ExchangeForSexPastThreeMonths",
            "CountOfExchangeForSex",
            "AskedOrForcedToExchangeForSex",
            "AskedOrForcedToExchangeForSexPastThreeMonths",
            "WorkplaceViolenceThreats",
            "WorkplacePromiseDifference",
            "CoercedToContinueWork",
            "LaborExploitPastThreeMonths",
            "CounselingReceived",
            "IndividualCounseling",
            "FamilyCounseling",
            "GroupCounseling",
            "SessionCountAtExit",
            "PostExitCounselingPlan",
            "SessionsInPlan",
            "DestinationSafeClient",
            "DestinationSafeWorker",
            "PosAdultConnections",
            "PosPeerConnections",
            "PosCommunityConnections",
            "AftercareDate",
            "AftercareProvided",
            "EmailSocialMedia",
            "Telephone",
            "InPersonIndividual",
            "InPersonGroup",
            "CMExitReason",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "IncomeBenefits",
        columns: &[
            "IncomeBenefitsID",
            "EnrollmentID",
            "PersonalID",
            "InformationDate",
            "IncomeFromAnySource",
            "TotalMonthlyIncome",
            "Earned",
            "EarnedAmount",
            "Unemployment",
            "UnemploymentAmount",
            "SSI",
            "SSIAmount",
            "SSDI",
            "SSDIAmount",
            "VADisabilityService",
            "VADisabilityServiceAmount",
            "VADisabilityNonService",
            "VADisabilityNonServiceAmount",
            "PrivateDisability",
            "PrivateDisabilityAmount",
            "WorkersComp",
            "WorkersCompAmount",
            "TANF",
            "TANFAmount",
            "GA",
            "GAAmount",
            "SocSecRetirement",
            "SocSecRetirementAmount",
            "Pension",
            "PensionAmount",
            "ChildSupport",
            "ChildSupportAmount",
            "Alimony",
            "AlimonyAmount",
            "OtherIncomeSource",
            "OtherIncomeAmount",
            "OtherIncomeSourceIdentify",
            "BenefitsFromAnySource",
            "SNAP",
            "WIC",
            "TANFChildCare",
            "TANFTransportation",
            "OtherTANF",
            "OtherBenefitsSource",
            "OtherBenefitsSourceIdentify",
            "InsuranceFromAnySource",
            "Medicaid",
            "NoMedicaidReason",
            "Medicare",
            "NoMedicareReason",
            "SCHIP",
            "NoSCHIPReason",
            "VHAServices",
            "NoVHAReason",
            "EmployerProvided",
            "NoEmployerProvidedReason",
            "COBRA",
            "NoCOBRAReason",
            "PrivatePay",
            "NoPrivatePayReason",
            "StateHealthIns",
            "NoStateHealthInsReason",
            "IndianHealthServices",
            "NoIndianHealthServicesReason",
            "OtherInsurance",
            "OtherInsuranceIdentify",
            "ADAP",
            "NoADAPReason",
            "RyanWhiteMedDent",
            "NoRyanWhiteReason",
            "ConnectionWithSOAR",
            "DataCollectionStage",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "HealthAndDV",
        columns: &[
            "HealthAndDVID",
            "EnrollmentID",
            "PersonalID",
            "InformationDate",
            "DomesticViolenceSurvivor",
            "WhenOccurred",
            "CurrentlyFleeing",
            "GeneralHealthStatus",
            "DentalHealthStatus",
            "MentalHealthStatus",
            "PregnancyStatus",
            "DueDate",
            "DataCollectionStage",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "EmploymentEducation",
        columns: &[
            "EmploymentEducationID",
            "EnrollmentID",
            "PersonalID",
            "InformationDate",
            "LastGradeCompleted",
            "SchoolStatus",
            "Employed",
            "EmploymentType",
            "NotEmployedReason",
            "DataCollectionStage",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Disabilities",
        columns: &[
            "DisabilitiesID",
            "EnrollmentID",
            "PersonalID",
            "InformationDate",
            "DisabilityType",
            "DisabilityResponse",
            "IndefiniteAndImpairs",
            "TCellCountAvailable",
            "TCellCount",
            "TCellSource",
            "ViralLoadAvailable",
            "ViralLoad",
            "ViralLoadSource",
            "AntiRetroviral",
            "DataCollectionStage",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Services",
        columns: &[
            "ServicesID",
            "EnrollmentID",
            "PersonalID",
            "DateProvided",
            "RecordType",
            "TypeProvided",
            "OtherTypeProvided",
            "MovingOnOtherType",
            "SubTypeProvided",
            "FAAmount",
            "FAStartDate",
            "FAEndDate",
            "ReferralOutcome",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "CurrentLivingSituation",
        columns: &[
            "CurrentLivingSitID",
            "EnrollmentID",
            "PersonalID",
            "InformationDate",
            "CurrentLivingSituation",
            "CLSSubsidyType",
            "VerifiedBy",
            "LeaveSituation14Days",
            "SubsequentResidence",
            "ResourcesToObtain",
            "LeaseOwn60Day",
            "MovedTwoOrMore",
            "LocationDetails",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Assessment",
        columns: &[
            "AssessmentID",
            "EnrollmentID",
            "PersonalID",
            "AssessmentDate",
            "AssessmentLocation",
            "AssessmentType",
            "AssessmentLevel",
            "PrioritizationStatus",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "AssessmentQuestions",
        columns: &[
            "AssessmentQuestionID",
            "AssessmentID",
            "EnrollmentID",
            "PersonalID",
            "AssessmentQuestionGroup",
            "AssessmentQuestionOrder",
            "AssessmentQuestion",
            "AssessmentAnswer",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "AssessmentResults",
        columns: &[
            "AssessmentResultID",
            "AssessmentID",
            "EnrollmentID",
            "PersonalID",
            "AssessmentResultType",
            "AssessmentResult",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "Event",
        columns: &[
            "EventID",
            "EnrollmentID",
            "PersonalID",
            "EventDate",
            "Event",
            "ProbSolDivRRResult",
            "ReferralCaseManageAfter",
            "LocationCrisisOrPHHousing",
            "ReferralResult",
            "ResultDate",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
    HudFile {
        name: "YouthEducationStatus",
        columns: &[
            "YouthEducationStatusID",
            "EnrollmentID",
            "PersonalID",
            "InformationDate",
            "CurrentSchoolAttend",
            "MostRecentEdStatus",
            "CurrentEdStatus",
            "DataCollectionStage",
            "DateCreated",
            "DateUpdated",
            "UserID",
            "DateDeleted",
            "ExportID",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soundex_follows_the_american_rules() {
        for (name, code) in [
            ("Robert", "R163"),
            ("Rupert", "R163"),
            ("Rubin", "R150"),
            ("Ashcraft", "A261"),
            ("Ashcroft", "A261"),
            ("Tymczak", "T522"),
            ("Pfister", "P236"),
            ("Honeyman", "H555"),
            ("Lee", "L000"),
            ("o'brien", "O165"),
        ] {
            assert_eq!(soundex(name).as_deref(), Some(code), "{name}");
        }
        assert_eq!(soundex("  "), None);
    }

    #[test]
    fn a_hashed_ssn_keeps_only_its_last_four_digits_in_clear() {
        let h = hash_ssn("123456789");
        assert_eq!(h.len(), 4 + 64);
        assert!(h.starts_with("6789"));
        assert!(!h.contains("12345"));
    }

    #[test]
    fn strings_are_quoted_and_numbers_bare() {
        let f = file("Organization").unwrap();
        let mut r = Record::new(f);
        r.set("OrganizationID", Cell::text("1"))
            .set("OrganizationName", Cell::text("Say \"hi\""))
            .set("VictimServiceProvider", Cell::int(0));
        assert_eq!(
            write(f, &[r]),
            "OrganizationID,OrganizationName,VictimServiceProvider,OrganizationCommonName,\
             DateCreated,DateUpdated,UserID,DateDeleted,ExportID\n\"1\",\"Say \"\"hi\"\"\",0,,,,,,\n"
        );
    }

    #[test]
    fn every_file_ends_with_the_provenance_columns() {
        assert_eq!(FILES.len(), 24);
        for f in FILES {
            let n = f.columns.len();
            if f.name != "Export" {
                assert_eq!(f.columns[n - 1], "ExportID", "{}", f.name);
                assert!(f.columns.contains(&"DateUpdated"), "{}", f.name);
            }
        }
    }
}
