//! Wire types of the JSON API under `/api/v1/`: the compatibility boundary between server and app.

pub mod endpoint;
pub mod endpoints;
pub mod idempotency;
pub use endpoint::{Endpoint, Method, QueryParams};
pub mod resolution;

use crate::decision::Reason;
use crate::ids::{ClientId, HmisNumber, OrgId, UserId};
use crate::model::{Actor, Mou, RecordMeta, Roi, Role};
use crate::policy::PolicyConfig;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod intake;
pub mod links;
pub mod releases;

/// The schema of a request field that carries an enum as a string (so that the server names the
/// field when a value is unknown): the enum's serde names (`LegalFirstName`) and their
/// snake_case spellings (`legal_first_name`), which the server reads alike.
#[cfg(feature = "schema")]
pub(crate) fn either_case<T: schemars::JsonSchema>(
    generator: &mut schemars::SchemaGenerator,
) -> schemars::Schema {
    let schema = T::json_schema(generator);
    let mut names: Vec<String> = Vec::new();
    if let Some(values) = schema.get("enum").and_then(|v| v.as_array()) {
        names.extend(values.iter().filter_map(|v| v.as_str()).map(str::to_owned));
    }
    if let Some(branches) = schema.get("oneOf").and_then(|v| v.as_array()) {
        names.extend(
            branches
                .iter()
                // A documented variant is a `const` branch; undocumented ones share an `enum`.
                .flat_map(
                    |b| match (b.get("const"), b.get("enum").and_then(|e| e.as_array())) {
                        (Some(c), _) => vec![c],
                        (None, Some(values)) => values.iter().collect(),
                        (None, None) => Vec::new(),
                    },
                )
                .filter_map(|v| v.as_str())
                .map(str::to_owned),
        );
    }
    let mut all = names.clone();
    for name in &names {
        let mut snake = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        }
        if !all.contains(&snake) {
            all.push(snake);
        }
    }
    schemars::json_schema!({ "type": "string", "enum": all })
}

/// `POST /api/v1/session`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::LOGIN_USERNAME_MAX_CHARS)))]
    pub username: String,
    pub password: String,
}

/// An organization's id and display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrgName {
    pub id: OrgId,
    pub name: String,
}

/// `GET /api/v1/session`: who is signed in, today's date on the server, and the policy in force (P-2).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionInfo {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org: OrgName,
    pub actor: Actor,
    pub today: NaiveDate,
    pub policy: PolicyConfig,
    /// Where the user's notifications are emailed (`None`: in-app only); set with
    /// `PUT /session/email`.
    #[serde(default)]
    pub notify_email: Option<String>,
    /// P-5: the session ends after this many minutes without a request (the server's idle
    /// timeout); the app warns a few minutes before.
    #[serde(default)]
    pub idle_timeout_minutes: u32,
    /// P-5: the session ends this many minutes after sign-in, whatever its activity.
    #[serde(default)]
    pub absolute_timeout_minutes: u32,
    /// P-5: the password rules a new password must meet (shown before it is sent; the server
    /// also refuses common passwords).
    #[serde(default)]
    pub password_policy: crate::password::PasswordPolicy,
}

/// `GET /api/v1/session/time-left`: how long the caller's session has left if no further request
/// comes (asking does not count as one: it never moves the idle timer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionTimeLeft {
    /// Seconds until the idle timeout; a request resets it to `idle_timeout_minutes`.
    pub idle_seconds: i64,
    /// Seconds until the absolute timeout (nothing extends it).
    pub absolute_seconds: i64,
}

/// One row of `GET /api/v1/clients?q=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientSummary {
    pub id: ClientId,
    pub hmis_number: HmisNumber,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Issue 15: the HMIS numbers of the records linked to this one as the same person; search
    /// returns a linked pair once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_person: Vec<HmisNumber>,
}

/// S-2: who entered a record, by name, for everyone who may read it: the entering user's display
/// name and organization's name (their ids are in the record's provenance). Nothing else about
/// the user.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteredBy {
    pub user_name: String,
    pub org_name: String,
}

/// The tier-1 intake of a client (S-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IntakeView {
    pub meta: RecordMeta,
    pub entered_by: EnteredBy,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Only the last four digits leave the server in the profile view.
    pub ssn_last4: Option<String>,
    /// 3.01.5, 3.02.2, 3.03.2 (`None` on rows entered before the column existed).
    #[serde(default)]
    pub name_data_quality: Option<crate::hud::NameDataQuality>,
    #[serde(default)]
    pub dob_data_quality: Option<crate::hud::DataQuality>,
    #[serde(default)]
    pub ssn_data_quality: Option<crate::hud::DataQuality>,
    /// Sex (FY2026 4.21).
    #[serde(default)]
    pub sex: Option<crate::hud::Sex>,
    /// 3.07.
    #[serde(default)]
    pub veteran_status: Option<crate::hud::NoYesReasons>,
    /// A local free-text element, optional.
    pub gender: Option<String>,
    #[serde(default)]
    pub marital_status: Option<crate::intake::MaritalStatus>,
    /// Who entered each field's current value, for every field that has one.
    #[serde(default)]
    pub sources: Vec<crate::intake::FieldSource>,
}

impl IntakeView {
    /// Who entered `field`'s current value; `None` when the field is empty.
    pub fn source(&self, field: crate::fields::Field) -> Option<&crate::intake::FieldSource> {
        self.sources.iter().find(|s| s.field == field)
    }
}

/// A record the actor may read, with the decision's reason (S-9).
///
/// `M` is how `meta` is held: a `RecordMeta` everywhere but in the server's profile read, which
/// writes the same JSON from a copy serialized once per cached client file (a profile's JSON is
/// most of its cost, and the metadata most of that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordView<M = RecordMeta> {
    pub meta: M,
    pub entered_by: EnteredBy,
    pub title: String,
    pub detail: String,
    pub reason: Reason,
}

/// `GET /api/v1/clients/{id}`: what the actor may see of one client.
/// `M`: see `RecordView`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientProfile<M = RecordMeta> {
    pub id: ClientId,
    pub hmis_number: HmisNumber,
    pub intake: IntakeView,
    pub records: Vec<RecordView<M>>,
    /// S-9: absent by default (nothing hints at a hidden record); with the policy's notice on,
    /// the agencies whose restricted records of this client exist (`redact::withheld_notice`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_by: Option<Vec<OrgName>>,
    /// The client's ROIs and the MOUs in force, so the client can recompute every decision.
    pub rois: Vec<Roi>,
    pub mous: Vec<Mou>,
    pub org_names: Vec<OrgName>,
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    pub error: String,
    /// The offending field, for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The policy reason, for refusals (403).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

pub mod accounts;
pub mod households;
pub mod hud_import;
pub mod records;
