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
pub mod releases;

/// `POST /api/v1/session`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// An organization's id and display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgName {
    pub id: OrgId,
    pub name: String,
}

/// `GET /api/v1/session`: who is signed in, today's date on the server, and the policy in force (P-2).
#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

/// One row of `GET /api/v1/clients?q=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {
    pub id: ClientId,
    pub hmis_number: HmisNumber,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: Option<NaiveDate>,
}

/// S-2: who entered a record, by name, for everyone who may read it: the entering user's display
/// name and organization's name (their ids are in the record's provenance). Nothing else about
/// the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteredBy {
    pub user_name: String,
    pub org_name: String,
}

/// The tier-1 intake of a client (S-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeView {
    pub meta: RecordMeta,
    pub entered_by: EnteredBy,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Only the last four digits leave the server in the profile view.
    pub ssn_last4: Option<String>,
    pub gender: Option<String>,
}

/// A record the actor may read, with the decision's reason (S-9).
///
/// `M` is how `meta` is held: a `RecordMeta` everywhere but in the server's profile read, which
/// writes the same JSON from a copy serialized once per cached client file (a profile's JSON is
/// most of its cost, and the metadata most of that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
pub mod records;
