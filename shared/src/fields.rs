//! Client fields and their classes (R-1 single answer, R-4 several answers), and the parsed values
//! of the sensitive single-answer fields (`Ssn`, `DateOfBirth`, `PersonName`).

use crate::ids::ParseError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A field of the tier-1 records (SPEC section 2) that the resolution rules talk about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Field {
    LegalFirstName,
    LegalMiddleName,
    LegalLastName,
    DateOfBirth,
    Ssn,
    Gender,
    MaritalStatus,
    Ethnicity,
    Race,
    ReligiousPreference,
    CitizenshipStatus,
    Address,
    Phone,
    Email,
    EmergencyContact,
    /// Sex (HUD FY2026), a `hud::Sex` text.
    Sex,
    /// 3.07, a `hud::NoYesReasons` text.
    VeteranStatus,
}

/// Whether a field has one right answer or several, effective-dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldClass {
    /// one right answer; another agency changes it only with written documentation.
    SingleAnswer,
    /// several correct answers over time; new rows, never overwritten.
    SeveralAnswers,
    /// Neither: plain tier-1 data any agency may edit (S-1).
    Plain,
}

impl Field {
    /// The SPEC's single-answer fields, the default of `PolicyConfig::single_answer_fields`.
    pub const DEFAULT_SINGLE_ANSWER: [Field; 5] = [
        Field::LegalFirstName,
        Field::LegalMiddleName,
        Field::LegalLastName,
        Field::DateOfBirth,
        Field::Ssn,
    ];

    /// The fields of the intake record itself (the rest live in other records), in the
    /// profile's order: what `PATCH /clients/{id}/intake` changes and each has a source.
    pub const INTAKE: [Field; 9] = [
        Field::LegalFirstName,
        Field::LegalMiddleName,
        Field::LegalLastName,
        Field::DateOfBirth,
        Field::Ssn,
        Field::Gender,
        Field::MaritalStatus,
        Field::Sex,
        Field::VeteranStatus,
    ];

    /// Parses a field name as the API writes it: `legal_first_name` or `LegalFirstName`
    /// (case and underscores are ignored). An unknown name is an error naming `field`.
    pub fn parse(s: &str) -> Result<Field, ParseError> {
        let want: String = s
            .trim()
            .chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        Field::ALL
            .into_iter()
            .find(|f| !want.is_empty() && format!("{f:?}").to_ascii_lowercase() == want)
            .ok_or_else(|| {
                ParseError::new(
                    "field",
                    "unknown field: use e.g. legal_first_name, legal_last_name, date_of_birth, ssn",
                )
            })
    }

    /// Contact fields are the several-answer fields; they are fixed by the data shape.
    pub fn is_contact(self) -> bool {
        matches!(
            self,
            Field::Address | Field::Phone | Field::Email | Field::EmergencyContact
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::LegalFirstName => "legal first name",
            Field::LegalMiddleName => "legal middle name",
            Field::LegalLastName => "legal last name",
            Field::DateOfBirth => "date of birth",
            Field::Ssn => "Social Security number",
            Field::Gender => "gender",
            Field::MaritalStatus => "marital status",
            Field::Ethnicity => "ethnicity",
            Field::Race => "race",
            Field::ReligiousPreference => "religious preference",
            Field::CitizenshipStatus => "citizenship status",
            Field::Address => "address",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::EmergencyContact => "emergency contact",
            Field::Sex => "sex",
            Field::VeteranStatus => "veteran status",
        }
    }
}

/// The written documentation offered for a single-answer change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DocumentationType {
    BirthCertificate,
    SocialSecurityAdministrationLetter,
    /// Shown in person; a scan of it is never attached.
    SocialSecurityCard,
    StateId,
    Passport,
    CourtOrder,
    OtherGovernmentDocument,
}

impl DocumentationType {
    pub fn label(self) -> &'static str {
        match self {
            DocumentationType::BirthCertificate => "birth certificate",
            DocumentationType::SocialSecurityAdministrationLetter => {
                "Social Security Administration letter"
            }
            DocumentationType::SocialSecurityCard => "Social Security card (seen, not copied)",
            DocumentationType::StateId => "state ID or driver's license",
            DocumentationType::Passport => "passport",
            DocumentationType::CourtOrder => "court order",
            DocumentationType::OtherGovernmentDocument => "other government document",
        }
    }
}

/// A Social Security number: nine digits, not an impossible number (area 000, 666 or 9xx; group
/// 00; serial 0000). Its `Debug` and `Display` show only the last four digits.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ssn(String);

impl Ssn {
    /// Accepts `123-45-6789` or `123456789`.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let digits: String = s.trim().chars().filter(|c| *c != '-').collect();
        if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new(
                "ssn",
                "must be nine digits, e.g. 123-45-6789",
            ));
        }
        let (area, rest) = digits.split_at(3);
        let (group, serial) = rest.split_at(2);
        if area == "000" || area == "666" || area.starts_with('9') {
            return Err(ParseError::new(
                "ssn",
                "area number (first three digits) is not issued",
            ));
        }
        if group == "00" {
            return Err(ParseError::new(
                "ssn",
                "group number (digits 4-5) cannot be 00",
            ));
        }
        if serial == "0000" {
            return Err(ParseError::new(
                "ssn",
                "serial number (last four digits) cannot be 0000",
            ));
        }
        Ok(Self(digits))
    }

    pub fn last4(&self) -> &str {
        self.0.get(5..).unwrap_or("")
    }

    /// The full digits, for storage only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Ssn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ssn({})", masked_ssn(self.last4()))
    }
}

/// The last four digits of a Social Security number as stored or entered (separators ignored);
/// `None` when it has fewer than four digits. The API sends only these (`ssn_last4`).
pub fn ssn_last4(ssn: &str) -> Option<String> {
    let digits: String = ssn.chars().filter(char::is_ascii_digit).collect();
    digits
        .get(digits.len().checked_sub(4)?..)
        .map(str::to_owned)
}

/// A Social Security number as shown anywhere but its own storage (the profile, conflict lists,
/// the escalation note, debug output): its last four digits only, `***-**-6789`. Takes the full
/// number or just its last four digits; a number of fewer than four digits shows what it has.
pub fn masked_ssn(ssn: &str) -> String {
    let digits: Vec<char> = ssn.chars().filter(char::is_ascii_digit).collect();
    let last4: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    format!("***-**-{last4}")
}

impl TryFrom<String> for Ssn {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Ssn> for String {
    fn from(s: Ssn) -> String {
        s.0
    }
}

/// A date of birth: not in the future and not implausibly old, as of `today`
/// (`dates::DateKind::Birth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DateOfBirth(NaiveDate);

impl DateOfBirth {
    /// Parses `YYYY-MM-DD`, checked against `today`.
    pub fn parse(s: &str, today: NaiveDate) -> Result<Self, ParseError> {
        let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| ParseError::new("date_of_birth", "must be a date like 1980-04-30"))?;
        Self::new(d, today)
    }

    pub fn new(d: NaiveDate, today: NaiveDate) -> Result<Self, ParseError> {
        crate::dates::check("date_of_birth", crate::dates::DateKind::Birth, d, today).map(Self)
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

/// A legal name part: non-empty after trimming, at most `text::PERSON_NAME_MAX_CHARS`
/// characters, a name as `text::person_name` accepts it (no control, text-direction or
/// zero-width characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonName(String);

/// As a request carries it: 1 to [`crate::text::PERSON_NAME_MAX_CHARS`] characters (`parse` also trims).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for PersonName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PersonName".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string", "minLength": 1, "maxLength": crate::text::PERSON_NAME_MAX_CHARS,
        })
    }
}

impl PersonName {
    /// `field` names the part (`first_name`, `last_name`, ...) in the error.
    pub fn parse(field: &str, s: &str) -> Result<Self, ParseError> {
        let t = crate::text::person_name(field, s, crate::text::PERSON_NAME_MAX_CHARS)?;
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
