//! Wire types of the data-resolution endpoints: data conflicts (R-1..R-3), entry/exit conflicts
//! (R-6..R-8) and the notification inbox.
//!
//! Request bodies carry enum values as strings (`"legal_first_name"`, `"in_person"`) so that the
//! server can answer an unknown value with a 422 naming the field.

use crate::fields::Field;
use crate::ids::{ClientId, HmisNumber, OrgId, RecordId, UserId};
use crate::notify::{ConflictId, Message};
use crate::resolution::{
    AttemptOutcome, ConflictState, ConflictSubject, ContactMethod, EntryExitIssue,
};
use crate::Decision;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/clients/{id}/conflicts`: the client stated `stated_value` for `field`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewConflictRequest {
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::api::either_case::<Field>")
    )]
    pub field: String,
    pub stated_value: String,
}

/// The outcome of a contact attempt as the user records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactOutcome {
    NoAnswer,
    LeftMessage,
    Reached,
}

impl ContactOutcome {
    /// Whether the attempt reached the other agency: an answered call counts as contact, a
    /// message left on a machine does not (it counts toward escalation like no answer).
    pub fn outcome(self) -> AttemptOutcome {
        match self {
            ContactOutcome::NoAnswer | ContactOutcome::LeftMessage => AttemptOutcome::NoContact,
            ContactOutcome::Reached => AttemptOutcome::Reached,
        }
    }
}

/// `POST /api/v1/conflicts/{id}/attempts`: `when` is a date (`YYYY-MM-DD`), `how` one of
/// `phone`, `email`, `in_person`, `hmis_message`, `other`; `outcome` one of `no_answer`,
/// `left_message`, `reached`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAttemptRequest {
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    pub when: String,
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::api::either_case::<ContactMethod>")
    )]
    pub how: String,
    #[cfg_attr(feature = "schema", schemars(with = "ContactOutcome"))]
    pub outcome: String,
}

/// `POST /api/v1/conflicts/{id}/agree`: which value is right (`stored` or `stated`) and the
/// organization (one of the two parties) that updates it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AgreeRequest {
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::api::either_case::<crate::resolution::AgreedValue>")
    )]
    pub agreed_value: String,
    #[cfg_attr(feature = "schema", schemars(with = "OrgId"))]
    pub updater: i64,
}

/// One logged contact attempt: when, how, by whom, outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AttemptView {
    pub id: i64,
    pub when: NaiveDate,
    pub how: ContactMethod,
    pub outcome: ContactOutcome,
    pub by_user: UserId,
    pub by_org: OrgId,
    pub logged_at: NaiveDateTime,
}

/// A data conflict or entry/exit conflict as the parties see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConflictView {
    pub id: ConflictId,
    pub client: ClientId,
    pub hmis_number: HmisNumber,
    /// In lists, an SSN shows only its last four digits (`resolution::shown_value`).
    pub subject: ConflictSubject,
    pub state: ConflictState,
    pub reporter_org: OrgId,
    pub reporter_user: UserId,
    pub addressed_org: OrgId,
    pub addressed_user: Option<UserId>,
    pub opened_on: NaiveDate,
    pub attempts: Vec<AttemptView>,
    /// The ProfileNote added on escalation, if any.
    pub note: Option<RecordId>,
    /// May the caller escalate today, and if not, what is still missing.
    pub escalation: Decision,
}

/// `PATCH /api/v1/clients/{id}/intake`: one intake field. `value` null or empty clears an
/// optional field. Another agency's single-answer value needs `documentation`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IntakeChangeRequest {
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::api::either_case::<Field>")
    )]
    pub field: String,
    pub value: Option<String>,
    #[serde(default)]
    pub documentation: Option<DocumentationRequest>,
}

/// The written documentation offered with a single-answer change: its type (e.g.
/// `birth_certificate`) and, optionally, the id of an attachment on the client's profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentationRequest {
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::api::either_case::<crate::DocumentationType>")
    )]
    pub document: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<RecordId>"))]
    pub attachment_id: Option<i64>,
}

/// The answer to an intake change: the decision that allowed it and the conflicts it resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IntakeChangeResponse {
    pub field: Field,
    pub decision: Decision,
    pub resolved_conflicts: Vec<ConflictId>,
}

/// One detected entry/exit conflict of `GET /api/v1/entry-exit-conflicts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryExitView {
    pub id: i64,
    pub client: ClientId,
    pub hmis_number: HmisNumber,
    pub issue: EntryExitIssue,
    pub description: String,
    pub first: RecordId,
    pub first_org: OrgId,
    pub second: Option<RecordId>,
    pub second_org: Option<OrgId>,
    pub from: NaiveDate,
    pub detected_at: NaiveDateTime,
    /// The conflict opened about it, if any.
    pub conflict: Option<ConflictId>,
}

/// `POST /api/v1/entry-exit-conflicts/{id}/open`: the enrollment believed to be incorrect (one
/// of the detection's enrollments, owned by another agency).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenEntryExitRequest {
    #[cfg_attr(feature = "schema", schemars(with = "RecordId"))]
    pub enrollment: i64,
}

/// One in-app notification (R-13: the client appears by HMIS number only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NotificationView {
    pub id: i64,
    pub client: HmisNumber,
    pub message: Message,
    pub subject: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

/// `GET /api/v1/notifications`: the caller's notifications, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NotificationList {
    pub unread: i64,
    pub items: Vec<NotificationView>,
}
