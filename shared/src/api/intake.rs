//! Wire types of client intake (S-1): `POST /api/v1/clients`.

use crate::hud::{NameDataQuality, NoYesReasons, Sex};
use crate::ids::{ClientId, HmisNumber};
use crate::intake::{DataQuality, MaritalStatus};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/clients`: a new client's intake as typed. Parsed by
/// [`crate::intake::NewClient::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewClientRequest {
    #[cfg_attr(feature = "schema", schemars(with = "crate::fields::PersonName"))]
    pub first_name: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::fields::PersonName>")
    )]
    pub middle_name: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::fields::PersonName"))]
    pub last_name: String,
    /// 3.01.5; `full` when left out.
    #[serde(default)]
    pub name_data_quality: Option<NameDataQuality>,
    /// `YYYY-MM-DD`; empty unless `dob_data_quality` is `full` or `partial`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub date_of_birth: Option<String>,
    pub dob_data_quality: DataQuality,
    /// Nine digits for `full`, the last four for `partial`, empty otherwise.
    #[serde(default)]
    pub ssn: Option<String>,
    pub ssn_data_quality: DataQuality,
    /// Sex (FY2026 4.21); `data_not_collected` when left out.
    #[serde(default)]
    pub sex: Option<Sex>,
    /// A local, optional free-text element (no HUD element since FY2026).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::INTAKE_GENDER_MAX_CHARS)))]
    pub gender: Option<String>,
    /// 3.07 veteran status; `data_not_collected` when left out.
    #[serde(default)]
    pub veteran_status: Option<NoYesReasons>,
    /// Optional (e.g. `married`, `never_married`; see `MaritalStatus`).
    #[serde(default)]
    pub marital_status: Option<MaritalStatus>,
    /// Create the client even though possible duplicates exist (after the user checked them).
    #[serde(default)]
    pub confirm_new: bool,
}

/// `201` answer of `POST /api/v1/clients`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewClientResponse {
    pub id: ClientId,
    pub hmis_number: HmisNumber,
    /// Existing clients with the same first and last name and date of birth, when the user
    /// confirmed the new client anyway (HMIS numbers only).
    pub possible_duplicates: Vec<HmisNumber>,
}

/// `409` answer of `POST /api/v1/clients` when possible duplicates exist and `confirm_new` was
/// not set: the shape of `ErrorBody` plus the HMIS numbers to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PossibleDuplicates {
    pub error: String,
    pub field: String,
    pub possible_duplicates: Vec<HmisNumber>,
}
