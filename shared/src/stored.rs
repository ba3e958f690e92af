//! The stable texts enums are stored in columns and written into the audit log (P-4) under:
//! `as_str` and `FromStr` for the plain enums, `code` and `Display` for `Reason`. They are the
//! texts the server always stored (the variants' names, e.g. `Enrollment`, `ShareWithRoiMou`;
//! the conflict states, steps and contact outcomes in `snake_case`), so existing rows read back
//! unchanged. Changing one needs a migration on both backends; `tests/it/stored.rs` pins them.
//! They are no serde form: the API's JSON names are the serde attributes' business.

use crate::api::resolution::ContactOutcome;
use crate::decision::Reason;
use crate::fields::{DocumentationType, Field};
use crate::ids::ParseError;
use crate::intake::MaritalStatus;
use crate::model::{RecordKind, Role, SecuritySetting};
use crate::records::{ContactKind, DocumentType, FormType, ServiceKind};
use crate::resolution::{ConflictState, ConflictStep, ContactMethod, EntryExitIssue};
use std::fmt;
use std::str::FromStr;

/// `as_str`, `FromStr` (a `ParseError` naming `$field` and the accepted texts) and `ALL` (every
/// value, in declaration order) from one table of variants and their stored texts.
macro_rules! stored_names {
    (
        $ty:ident, $field:literal,
        { $first:ident => $first_s:literal $(, $v:ident => $s:literal)* $(,)? }
    ) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: [$ty; 1 $(+ { let _ = $s; 1 })*] = [$ty::$first $(, $ty::$v)*];

            /// The stable text this value is stored and audited under.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $ty::$first => $first_s,
                    $($ty::$v => $s,)*
                }
            }
        }

        impl FromStr for $ty {
            type Err = ParseError;

            /// The value stored as `s` (exactly as `as_str` writes it).
            fn from_str(s: &str) -> Result<Self, ParseError> {
                match s {
                    $first_s => Ok($ty::$first),
                    $($s => Ok($ty::$v),)*
                    _ => Err(ParseError::new(
                        $field,
                        concat!("must be one of ", $first_s $(, ", ", $s)*),
                    )),
                }
            }
        }
    };
}

stored_names!(Role, "role", {
    Caseworker => "Caseworker",
    AgencyAdmin => "AgencyAdmin",
    SystemAdmin => "SystemAdmin",
});

stored_names!(RecordKind, "kind", {
    Intake => "Intake",
    FamilyContact => "FamilyContact",
    Demographics => "Demographics",
    Photo => "Photo",
    Enrollment => "Enrollment",
    Service => "Service",
    CaseManager => "CaseManager",
    ProfileNote => "ProfileNote",
    Attachment => "Attachment",
    Form => "Form",
});

stored_names!(SecuritySetting, "security", {
    SharedWithAll => "SharedWithAll",
    ShareWithRoiMou => "ShareWithRoiMou",
    RestrictToOrganization => "RestrictToOrganization",
});

stored_names!(Field, "field", {
    LegalFirstName => "LegalFirstName",
    LegalMiddleName => "LegalMiddleName",
    LegalLastName => "LegalLastName",
    DateOfBirth => "DateOfBirth",
    Ssn => "Ssn",
    Gender => "Gender",
    MaritalStatus => "MaritalStatus",
    Ethnicity => "Ethnicity",
    Race => "Race",
    ReligiousPreference => "ReligiousPreference",
    CitizenshipStatus => "CitizenshipStatus",
    Address => "Address",
    Phone => "Phone",
    Email => "Email",
    EmergencyContact => "EmergencyContact",
    Sex => "Sex",
    VeteranStatus => "VeteranStatus",
});

stored_names!(MaritalStatus, "marital_status", {
    NeverMarried => "never_married",
    Married => "married",
    DomesticPartnership => "domestic_partnership",
    Separated => "separated",
    Divorced => "divorced",
    Widowed => "widowed",
    ClientDoesntKnow => "client_doesnt_know",
    ClientPrefersNotToAnswer => "client_prefers_not_to_answer",
    DataNotCollected => "data_not_collected",
});

stored_names!(DocumentationType, "document", {
    BirthCertificate => "BirthCertificate",
    SocialSecurityAdministrationLetter => "SocialSecurityAdministrationLetter",
    SocialSecurityCard => "SocialSecurityCard",
    StateId => "StateId",
    Passport => "Passport",
    CourtOrder => "CourtOrder",
    OtherGovernmentDocument => "OtherGovernmentDocument",
});

stored_names!(ServiceKind, "service_kind", {
    Need => "Need",
    Transaction => "Transaction",
    Referral => "Referral",
});

stored_names!(ContactKind, "contact_kind", {
    Address => "Address",
    Phone => "Phone",
    Email => "Email",
    EmergencyContact => "EmergencyContact",
});

stored_names!(FormType, "form_type", {
    CaseNotes => "CaseNotes",
    HmisBarriers => "HmisBarriers",
    Health => "Health",
    Addictions => "Addictions",
    Legal => "Legal",
    DomesticViolence => "DomesticViolence",
    Income => "Income",
    Employment => "Employment",
    Housing => "Housing",
    Other => "Other",
});

stored_names!(DocumentType, "document_type", {
    BirthCertificate => "BirthCertificate",
    ThirdPartyHomelessnessVerification => "ThirdPartyHomelessnessVerification",
    DisabilityVerification => "DisabilityVerification",
    SocialSecurityCard => "SocialSecurityCard",
    SsnCopyOnFileNotice => "SsnCopyOnFileNotice",
    PhotoId => "PhotoId",
    IncomeVerification => "IncomeVerification",
    ServiceAgreement => "ServiceAgreement",
    ReleaseOfInformation => "ReleaseOfInformation",
    Other => "Other",
});

stored_names!(ContactMethod, "how", {
    Phone => "Phone",
    Email => "Email",
    InPerson => "InPerson",
    HmisMessage => "HmisMessage",
    Other => "Other",
});

stored_names!(ContactOutcome, "outcome", {
    NoAnswer => "no_answer",
    LeftMessage => "left_message",
    Reached => "reached",
});

stored_names!(EntryExitIssue, "issue", {
    ExitBeforeEntry => "ExitBeforeEntry",
    MoveInOutsideStay => "MoveInOutsideStay",
    MoveInWithoutHousing => "MoveInWithoutHousing",
    HousedDuringResidentialStay => "HousedDuringResidentialStay",
    OverlappingResidentialStays => "OverlappingResidentialStays",
    OverlappingHousedPeriods => "OverlappingHousedPeriods",
    DuplicateEnrollment => "DuplicateEnrollment",
});

impl ConflictState {
    /// The states' texts, as `as_str` writes them (lists filter by them).
    pub const NAMES: [&'static str; 5] = ["open", "agreed", "escalated", "data_center", "resolved"];

    /// The text a conflict's row is filed under (its data is stored apart, as JSON).
    pub const fn as_str(&self) -> &'static str {
        match self {
            ConflictState::Open => "open",
            ConflictState::Agreed { .. } => "agreed",
            ConflictState::Escalated { .. } => "escalated",
            ConflictState::DataCenter { .. } => "data_center",
            ConflictState::Resolved { .. } => "resolved",
        }
    }
}

impl ConflictStep {
    /// The text a conflict event is stored and audited under.
    pub const fn as_str(&self) -> &'static str {
        match self {
            ConflictStep::LogAttempt { .. } => "log_attempt",
            ConflictStep::Agree { .. } => "agree",
            ConflictStep::Resolve => "resolve",
            ConflictStep::Escalate => "escalate",
            ConflictStep::EscalateToDataCenter => "escalate_to_data_center",
        }
    }
}

impl Reason {
    /// The reason's stable code in the audit log: the variant's name (`SharedByRoi`), as the
    /// log always had it. The API's JSON `code` is the serde tag (`shared_by_roi`).
    pub const fn code(&self) -> &'static str {
        match self {
            Reason::SharedWithAll => "SharedWithAll",
            Reason::ReadOnlyEnteredBy { .. } => "ReadOnlyEnteredBy",
            Reason::OwnOrganization => "OwnOrganization",
            Reason::SharedByRoi { .. } => "SharedByRoi",
            Reason::CarriesOutAgreement => "CarriesOutAgreement",
            Reason::NotTheAgreedUpdater { .. } => "NotTheAgreedUpdater",
            Reason::NotTheAgreedValue => "NotTheAgreedValue",
            Reason::SharedByMou { .. } => "SharedByMou",
            Reason::SystemAdministrator => "SystemAdministrator",
            Reason::RestrictedTo { .. } => "RestrictedTo",
            Reason::Deleted => "Deleted",
            Reason::NotCovered => "NotCovered",
            Reason::CommunityEditable => "CommunityEditable",
            Reason::OnlyOwningAgency { .. } => "OnlyOwningAgency",
            Reason::OnlyAuthor { .. } => "OnlyAuthor",
            Reason::YouAreTheAuthor => "YouAreTheAuthor",
            Reason::OnlyUploader { .. } => "OnlyUploader",
            Reason::YouUploaded => "YouUploaded",
            Reason::ServicesAreNeverDeleted => "ServicesAreNeverDeleted",
            Reason::ContactDataIsEndDated => "ContactDataIsEndDated",
            Reason::NeedsClientDirection => "NeedsClientDirection",
            Reason::ClientDirected => "ClientDirected",
            Reason::AgencyAdminOfOwner { .. } => "AgencyAdminOfOwner",
            Reason::NeedsDocumentation { .. } => "NeedsDocumentation",
            Reason::Documented { .. } => "Documented",
            Reason::EmptyValue => "EmptyValue",
            Reason::SocialSecurityCardRefused => "SocialSecurityCardRefused",
            Reason::NeedsAgencyAdmin { .. } => "NeedsAgencyAdmin",
            Reason::SettingNotAllowed { .. } => "SettingNotAllowed",
            Reason::NotYourAgency { .. } => "NotYourAgency",
            Reason::OnlySystemAdmin => "OnlySystemAdmin",
            Reason::NotNamedOnRoi => "NotNamedOnRoi",
            Reason::RoiMustNameYourAgency => "RoiMustNameYourAgency",
            Reason::AlreadyEnded => "AlreadyEnded",
            Reason::EscalationTooEarly { .. } => "EscalationTooEarly",
            Reason::DataCenterTooEarly { .. } => "DataCenterTooEarly",
            Reason::ThresholdsMet => "ThresholdsMet",
            Reason::NotAPartyToConflict => "NotAPartyToConflict",
            Reason::WrongConflictState => "WrongConflictState",
            Reason::YourAgency => "YourAgency",
            Reason::OnlyAttestingAgency { .. } => "OnlyAttestingAgency",
            Reason::DocumentAlreadyAttached => "DocumentAlreadyAttached",
            Reason::NotNamedOnMou { .. } => "NotNamedOnMou",
            Reason::AlreadySigned { .. } => "AlreadySigned",
            Reason::OnlySystemAdminsManageOrganizations => "OnlySystemAdminsManageOrganizations",
            Reason::OnlySystemAdminsManagePrograms => "OnlySystemAdminsManagePrograms",
            Reason::OnlySystemAdminsImportHud => "OnlySystemAdminsImportHud",
            Reason::OnlyAdministratorsManageUsers => "OnlyAdministratorsManageUsers",
            Reason::AgencyAdminsManageOwnAgencyOnly { .. } => "AgencyAdminsManageOwnAgencyOnly",
            Reason::OnlySystemAdminsManageSystemAdmins => "OnlySystemAdminsManageSystemAdmins",
            Reason::NotOnYourOwnAccount => "NotOnYourOwnAccount",
            Reason::OwnPasswordNeedsCurrent => "OwnPasswordNeedsCurrent",
            Reason::ManagesAsSystemAdmin => "ManagesAsSystemAdmin",
            Reason::ManagesOwnAgency { .. } => "ManagesOwnAgency",
            Reason::YourOwnAccount => "YourOwnAccount",
            Reason::ReadsWholeAuditLog => "ReadsWholeAuditLog",
            Reason::ReadsOwnAgencyAudit { .. } => "ReadsOwnAgencyAudit",
            Reason::OnlyAdministratorsReadAudit => "OnlyAdministratorsReadAudit",
            Reason::HeadOfHousehold => "HeadOfHousehold",
            Reason::NotHeadOfHousehold { .. } => "NotHeadOfHousehold",
            Reason::MayLinkRecords => "MayLinkRecords",
            Reason::SameRecord => "SameRecord",
            Reason::AlreadyLinked { .. } => "AlreadyLinked",
            Reason::OnlyAdminOfLinkingAgency { .. } => "OnlyAdminOfLinkingAgency",
        }
    }
}

/// An optional date in the audit text: the date, or `none`.
struct Maybe(Option<chrono::NaiveDate>);

impl fmt::Display for Maybe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(d) => write!(f, "{d}"),
            None => f.write_str("none"),
        }
    }
}

/// The audit text of a reason (P-4): its [`Reason::code`], then its data as ` key=value` (ids
/// as numbers, dates as `YYYY-MM-DD`, enums by `as_str`, names quoted), e.g.
/// `SharedByRoi roi=4 until=2027-03-31`.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())?;
        match self {
            Reason::ReadOnlyEnteredBy { org }
            | Reason::RestrictedTo { org }
            | Reason::OnlyOwningAgency { org }
            | Reason::AgencyAdminOfOwner { org }
            | Reason::NeedsAgencyAdmin { org }
            | Reason::NotYourAgency { org }
            | Reason::OnlyAttestingAgency { org }
            | Reason::NotNamedOnMou { org }
            | Reason::AlreadySigned { org }
            | Reason::AgencyAdminsManageOwnAgencyOnly { org }
            | Reason::ManagesOwnAgency { org }
            | Reason::ReadsOwnAgencyAudit { org }
            | Reason::OnlyAdminOfLinkingAgency { org } => write!(f, " org={org}"),
            Reason::AlreadyLinked { client } => write!(f, " client={client}"),
            Reason::SharedByRoi { roi, until } => write!(f, " roi={roi} until={until}"),
            Reason::NotTheAgreedUpdater { updater } => write!(f, " updater={updater}"),
            Reason::SharedByMou { mou, name } => write!(f, " mou={mou} name={name:?}"),
            Reason::OnlyAuthor { author } => write!(f, " author={author}"),
            Reason::OnlyUploader { uploader } => write!(f, " uploader={uploader}"),
            Reason::NotHeadOfHousehold { head } => write!(f, " head={head}"),
            Reason::NeedsDocumentation { field, entered_by } => {
                write!(f, " field={} entered_by={entered_by}", field.as_str())
            }
            Reason::Documented { document } => write!(f, " document={}", document.as_str()),
            Reason::SettingNotAllowed { setting } => write!(f, " setting={}", setting.as_str()),
            Reason::EscalationTooEarly {
                attempts,
                attempts_needed,
                span_days,
                days_needed,
                next_attempt_on_or_after,
            } => write!(
                f,
                " attempts={attempts} attempts_needed={attempts_needed} span_days={span_days} \
                 days_needed={days_needed} next_attempt_on_or_after={}",
                Maybe(*next_attempt_on_or_after)
            ),
            Reason::DataCenterTooEarly {
                notified_on,
                on_or_after,
            } => write!(f, " notified_on={notified_on} on_or_after={on_or_after}"),
            Reason::SharedWithAll
            | Reason::OwnOrganization
            | Reason::SystemAdministrator
            | Reason::Deleted
            | Reason::NotCovered
            | Reason::CommunityEditable
            | Reason::YouAreTheAuthor
            | Reason::YouUploaded
            | Reason::ServicesAreNeverDeleted
            | Reason::ContactDataIsEndDated
            | Reason::NeedsClientDirection
            | Reason::ClientDirected
            | Reason::EmptyValue
            | Reason::SocialSecurityCardRefused
            | Reason::OnlySystemAdmin
            | Reason::NotNamedOnRoi
            | Reason::RoiMustNameYourAgency
            | Reason::AlreadyEnded
            | Reason::ThresholdsMet
            | Reason::NotAPartyToConflict
            | Reason::WrongConflictState
            | Reason::YourAgency
            | Reason::DocumentAlreadyAttached
            | Reason::OnlySystemAdminsManageOrganizations
            | Reason::OnlySystemAdminsManagePrograms
            | Reason::OnlySystemAdminsImportHud
            | Reason::OnlyAdministratorsManageUsers
            | Reason::OnlySystemAdminsManageSystemAdmins
            | Reason::NotOnYourOwnAccount
            | Reason::OwnPasswordNeedsCurrent
            | Reason::ManagesAsSystemAdmin
            | Reason::YourOwnAccount
            | Reason::ReadsWholeAuditLog
            | Reason::OnlyAdministratorsReadAudit
            | Reason::HeadOfHousehold
            | Reason::CarriesOutAgreement
            | Reason::NotTheAgreedValue
            | Reason::MayLinkRecords
            | Reason::SameRecord => Ok(()),
        }
    }
}
