//! S-1 client intake: a new client's legal name, date of birth and SSN with HUD's data-quality
//! codes (3.01-3.03), Sex (FY2026), veteran status (3.07), the local gender answer and marital
//! status, parsed into values that cannot be inconsistent (a "refused"
//! SSN has no digits); the change of one intake field; and the source of each field's value
//! who entered it).

use crate::api::intake::NewClientRequest;
use crate::fields::{DateOfBirth, Field, PersonName, Ssn};
use crate::hud::{NameDataQuality, NoYesReasons, Sex};
use crate::ids::{OrgId, ParseError, UserId};
use crate::model::Provenance;
use crate::text;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use crate::hud::DataQuality;

/// Marital status (seed 1a, tier 1): a closed list in the style of HUD's response categories,
/// with HUD's "client doesn't know", "client prefers not to answer" and "data not collected".
/// Not a single-answer field by default (R-1 names legal name, date of birth and SSN): any agency
/// changes it (S-1), with the old value kept in history (P-3). Stored and sent as its `as_str`
/// text (`shared::stored`), e.g. `never_married`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaritalStatus {
    NeverMarried,
    Married,
    DomesticPartnership,
    Separated,
    Divorced,
    Widowed,
    ClientDoesntKnow,
    ClientPrefersNotToAnswer,
    DataNotCollected,
}

impl MaritalStatus {
    pub fn label(self) -> &'static str {
        match self {
            MaritalStatus::NeverMarried => "Single / never married",
            MaritalStatus::Married => "Married",
            MaritalStatus::DomesticPartnership => "Domestic partnership",
            MaritalStatus::Separated => "Separated",
            MaritalStatus::Divorced => "Divorced",
            MaritalStatus::Widowed => "Widowed",
            MaritalStatus::ClientDoesntKnow => "Client doesn't know",
            MaritalStatus::ClientPrefersNotToAnswer => "Client prefers not to answer",
            MaritalStatus::DataNotCollected => "Data not collected",
        }
    }

    /// A value as a request writes it: its stored text, trimmed, in any case (`married`,
    /// `Never_Married`). An unknown value is an error naming `field` and the accepted texts.
    pub fn parse(field: &str, s: &str) -> Result<Self, ParseError> {
        s.trim()
            .to_ascii_lowercase()
            .parse::<MaritalStatus>()
            .map_err(|e| ParseError::new(field, e.reason))
    }
}

/// The SSN as collected: all nine digits, or only the last four (partial).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SsnValue {
    Full(Ssn),
    LastFour(String),
}

impl SsnValue {
    /// What is stored: nine digits, or `XXXXX` and the last four (HUD's partial-SSN convention).
    pub fn stored(&self) -> String {
        match self {
            SsnValue::Full(s) => s.expose().to_owned(),
            SsnValue::LastFour(l) => format!("XXXXX{l}"),
        }
    }
}

/// A new client's intake, parsed: every value valid and consistent with its data quality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClient {
    pub first_name: PersonName,
    pub middle_name: Option<PersonName>,
    pub last_name: PersonName,
    pub name_data_quality: NameDataQuality,
    pub date_of_birth: Option<DateOfBirth>,
    pub dob_data_quality: DataQuality,
    pub ssn: Option<SsnValue>,
    pub ssn_data_quality: DataQuality,
    pub sex: Sex,
    pub gender: Option<String>,
    pub veteran_status: NoYesReasons,
    pub marital_status: Option<MaritalStatus>,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl NewClient {
    /// Parses an intake as of `today` (a date of birth cannot be in the future). Errors name the
    /// field: `first_name`, `middle_name`, `last_name`, `date_of_birth`, `ssn`, `gender`.
    pub fn parse(input: &NewClientRequest, today: NaiveDate) -> Result<Self, ParseError> {
        let first_name = PersonName::parse("first_name", &input.first_name)?;
        let middle_name = non_empty(&input.middle_name)
            .map(|m| PersonName::parse("middle_name", m))
            .transpose()?;
        let last_name = PersonName::parse("last_name", &input.last_name)?;
        let dob = non_empty(&input.date_of_birth);
        let date_of_birth =
            match (input.dob_data_quality.has_value(), dob) {
                (true, Some(d)) => Some(DateOfBirth::parse(d, today)?),
                (true, None) => {
                    return Err(ParseError::new(
                        "date_of_birth",
                        "enter the date of birth, or choose another data quality",
                    ))
                }
                (false, Some(_)) => return Err(ParseError::new(
                    "date_of_birth",
                    "leave empty when the client does not know, refused or it was not collected",
                )),
                (false, None) => None,
            };
        let ssn_text = non_empty(&input.ssn);
        let ssn =
            match (input.ssn_data_quality, ssn_text) {
                (DataQuality::Full, Some(s)) => Some(SsnValue::Full(Ssn::parse(s)?)),
                (DataQuality::Partial, Some(s)) => {
                    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) && s != "0000" {
                        Some(SsnValue::LastFour(s.to_owned()))
                    } else {
                        return Err(ParseError::new(
                            "ssn",
                            "for a partial SSN enter the last four digits",
                        ));
                    }
                }
                (q, None) if q.has_value() => {
                    return Err(ParseError::new(
                        "ssn",
                        "enter the SSN, or choose another data quality",
                    ))
                }
                (_, Some(_)) => return Err(ParseError::new(
                    "ssn",
                    "leave empty when the client does not know, refused or it was not collected",
                )),
                (_, None) => None,
            };
        let gender = text::optional("gender", input.gender.as_deref(), |f, g| {
            text::single_line(f, g, text::INTAKE_GENDER_MAX_CHARS)
        })?
        .map(str::to_owned);
        Ok(Self {
            first_name,
            middle_name,
            last_name,
            name_data_quality: input.name_data_quality.unwrap_or(NameDataQuality::Full),
            date_of_birth,
            dob_data_quality: input.dob_data_quality,
            ssn,
            ssn_data_quality: input.ssn_data_quality,
            sex: input.sex.unwrap_or(Sex::DataNotCollected),
            gender,
            veteran_status: input
                .veteran_status
                .unwrap_or(NoYesReasons::DataNotCollected),
            marital_status: input.marital_status,
        })
    }
}

/// a single-answer (or other intake) value as stored: names trimmed, dates
/// `YYYY-MM-DD`, SSNs `123-45-6789`; parsed with the shared newtypes as of `today`. Errors name
/// `as_field` (the request's name for the value).
pub fn parse_intake_value(
    field: Field,
    raw: &str,
    today: NaiveDate,
    as_field: &str,
) -> Result<String, ParseError> {
    let rename = |e: ParseError| ParseError::new(as_field, e.reason);
    if raw.trim().is_empty() {
        return Err(ParseError::new(as_field, "cannot be empty"));
    }
    match field {
        Field::DateOfBirth => DateOfBirth::parse(raw, today)
            .map(|d| d.date().format("%Y-%m-%d").to_string())
            .map_err(rename),
        Field::Ssn => Ssn::parse(raw)
            .map(|s| dashed_ssn(s.expose()))
            .map_err(rename),
        Field::MaritalStatus => MaritalStatus::parse(as_field, raw).map(|m| m.as_str().to_owned()),
        Field::Sex => Sex::parse(raw)
            .map(|s| s.as_str().to_owned())
            .map_err(rename),
        Field::VeteranStatus => {
            NoYesReasons::parse_as(as_field, raw).map(|v| v.as_str().to_owned())
        }
        _ => PersonName::parse(as_field, raw).map(|n| n.as_str().to_owned()),
    }
}

/// An SSN as stored and compared: `123456789` becomes `123-45-6789`; anything else (a partial
/// SSN) is kept as it is, trimmed.
pub fn dashed_ssn(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    match (
        digits.len(),
        digits.get(..3),
        digits.get(3..5),
        digits.get(5..),
    ) {
        (9, Some(a), Some(g), Some(r)) => format!("{a}-{g}-{r}"),
        _ => s.trim().to_owned(),
    }
}

/// The longest gender answer an intake change accepts, in characters.
pub const CHANGED_GENDER_MAX_CHARS: usize = 100;

/// The new value of an intake field in a change (`PATCH /clients/{id}/intake`), as stored
/// ([`parse_intake_value`]); `None` or empty clears an optional field, but the legal first and
/// last names are never cleared; gender is free text without control characters; marital status
/// one of [`MaritalStatus`]'s texts. Errors name `value`.
pub fn parse_intake_change(
    field: Field,
    value: Option<&str>,
    today: NaiveDate,
) -> Result<Option<String>, ParseError> {
    match value.map(str::trim) {
        None | Some("") => match field {
            Field::LegalFirstName | Field::LegalLastName => {
                Err(ParseError::new("value", "cannot be empty"))
            }
            // HUD's elements always have an answer: "data not collected" is one.
            Field::Sex | Field::VeteranStatus => Err(ParseError::new(
                "value",
                "cannot be empty: choose data_not_collected when it was not asked",
            )),
            _ => Ok(None),
        },
        Some(v) if field == Field::Gender => Ok(Some(
            text::single_line("value", v, CHANGED_GENDER_MAX_CHARS)?.to_owned(),
        )),
        Some(v) => parse_intake_value(field, v, today, "value").map(Some),
    }
}

/// Who entered the current value of one intake field: the organization and user of its last
/// change, or the intake's creator. The profile shows it beside the value, and R-1's decision
/// (`resolution::check_single_answer_change`) and a data conflict's addressee use it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSource {
    pub field: Field,
    pub org: OrgId,
    pub user: UserId,
    pub at: NaiveDateTime,
}

/// the source of `field`'s current value: the last change recorded for it (`changed`), else
/// the intake's creator (`intake`). `None` when the field is empty: there is no value to own, and
/// filling it needs no documentation.
pub fn value_source(
    field: Field,
    has_value: bool,
    changed: Option<FieldSource>,
    intake: &Provenance,
) -> Option<FieldSource> {
    if !has_value {
        return None;
    }
    Some(changed.filter(|c| c.field == field).unwrap_or(FieldSource {
        field,
        org: intake.org,
        user: intake.author,
        at: intake.created_at,
    }))
}

/// [`value_source`] of every intake field (`Field::INTAKE`) that has a value, given the changes
/// recorded (at most one per field: its last).
pub fn value_sources(
    has_value: impl Fn(Field) -> bool,
    changed: &[FieldSource],
    intake: &Provenance,
) -> Vec<FieldSource> {
    Field::INTAKE
        .into_iter()
        .filter_map(|f| {
            let last = changed.iter().find(|c| c.field == f).copied();
            value_source(f, has_value(f), last, intake)
        })
        .collect()
}
