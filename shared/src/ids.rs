//! Identifier newtypes. Numeric ids are opaque database keys; `HmisNumber` is the client's
//! community-wide identifier, the only client identifier allowed in notifications.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A value could not be parsed: names the field and the reason, for the caller's error message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{field}: {reason}")]
pub struct ParseError {
    pub field: String,
    pub reason: String,
}

impl ParseError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// The smallest id the database assigns (keys count from 1): a path id below it is 404.
pub const MIN_ID: i64 = 1;

/// The schema of every numeric id: an integer. Not bounded by [`MIN_ID`]: an id a body names is
/// answered as not found or invalid, and a refusal's reason may name it as it was sent.
#[cfg(feature = "schema")]
pub fn id_schema() -> schemars::Schema {
    schemars::json_schema!({ "type": "integer", "format": "int64" })
}

macro_rules! id_newtype {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                id_schema()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

id_newtype!(
    /// An organization (agency) of the Continuum of Care.
    OrgId,
    /// An HMIS user; belongs to exactly one organization.
    UserId,
    /// A client's database key (never shown to users: they see the `HmisNumber`).
    ClientId,
    /// A stored client record of any kind.
    RecordId,
    /// A release of information.
    RoiId,
    /// A memorandum of understanding between organizations.
    MouId,
    /// A program (HUD project) run by an organization.
    ProgramId,
    /// A household: clients grouped under a family name (seed 1b, `shared::household`).
    HouseholdId,
    /// One effective-dated membership row of a client in a household.
    MembershipId,
    /// A link between two client records of one person (`shared::links`).
    ClientLinkId,
    /// One effective-dated address row of a household.
    HouseholdAddressId,
);

/// How many digits follow the `H` of an HMIS number.
pub const HMIS_NUMBER_DIGITS: usize = 7;

/// The client's community-wide HMIS number: `H` followed by seven digits, e.g. `H0001234`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HmisNumber(String);

impl HmisNumber {
    /// Parses `H` + seven digits (case-insensitive `h` accepted, stored upper-case).
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim();
        let mut chars = s.chars();
        let first = chars.next();
        let digits: &str = s.get(1..).unwrap_or("");
        if !matches!(first, Some('H') | Some('h')) {
            return Err(ParseError::new(
                "hmis_number",
                "must start with the letter H",
            ));
        }
        if digits.len() != HMIS_NUMBER_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new(
                "hmis_number",
                "must be the letter H followed by exactly seven digits",
            ));
        }
        Ok(Self(format!("H{digits}")))
    }

    /// The HMIS number for the n-th client (used when a client is created).
    pub fn from_sequence(n: u32) -> Result<Self, ParseError> {
        if u64::from(n) >= 10u64.pow(HMIS_NUMBER_DIGITS as u32) {
            return Err(ParseError::new("hmis_number", "sequence exhausted"));
        }
        Ok(Self(format!("H{n:0width$}", width = HMIS_NUMBER_DIGITS)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HmisNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// As the server writes it: `H` and [`HMIS_NUMBER_DIGITS`] digits (`parse` also accepts `h` and
/// surrounding spaces, but no answer carries them).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for HmisNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HmisNumber".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let pattern = format!("^H[0-9]{{{HMIS_NUMBER_DIGITS}}}$");
        schemars::json_schema!({ "type": "string", "pattern": pattern, "examples": ["H0001234"] })
    }
}

impl TryFrom<String> for HmisNumber {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<HmisNumber> for String {
    fn from(h: HmisNumber) -> String {
        h.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmis_number_accepts_h_and_seven_digits() {
        assert_eq!(HmisNumber::parse("h0001234").unwrap().as_str(), "H0001234");
        assert_eq!(HmisNumber::from_sequence(42).unwrap().as_str(), "H0000042");
    }

    #[test]
    fn hmis_number_refusals_name_the_field() {
        for bad in ["", "X0001234", "H123", "H00012345", "H00a1234"] {
            let err = HmisNumber::parse(bad).unwrap_err();
            assert_eq!(err.field, "hmis_number", "{bad}");
        }
    }
}
