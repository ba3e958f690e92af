//! R-13 notifications: every email or in-app message identifies the client by HMIS number only.
//! A message is a closed set of templates with typed fields; there is no free-text field, so a
//! name, date of birth or SSN cannot be put into one.

use crate::fields::Field;
use crate::ids::{ClientId, HmisNumber, OrgId, RecordId, RoiId, UserId};
use crate::records::ContactKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who receives a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Recipient {
    /// The AgencyAdmins of an organization.
    AgencyAdmins { org: OrgId },
    /// One user (e.g. the user addressed by a conflict).
    User { user: UserId },
    /// The data center: the SystemAdmins.
    DataCenter,
}

/// The conflict a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConflictId(pub i64);

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ConflictId {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ConflictId".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::ids::id_schema()
    }
}

/// The message templates. Fields are ids, dates, field names and enums: never client data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Message {
    /// a data conflict was opened against a value your agency entered.
    DataConflictOpened {
        conflict: ConflictId,
        field: Field,
        by: OrgId,
    },
    /// escalation: confirms the conflict and the new note on the client profile.
    DataConflictEscalated {
        conflict: ConflictId,
        field: Field,
        by: OrgId,
        note: Option<RecordId>,
    },
    /// an entry/exit conflict was opened against your agency's enrollment.
    EntryExitConflictOpened {
        conflict: ConflictId,
        enrollment: RecordId,
        by: OrgId,
    },
    /// please review the enrollment data believed to be incorrect.
    EntryExitReviewRequested {
        conflict: ConflictId,
        enrollment: RecordId,
        by: OrgId,
    },
    /// not corrected within the days after the review request: the data center is asked.
    EntryExitDataCenter {
        conflict: ConflictId,
        enrollment: RecordId,
        owner: OrgId,
        review_requested_on: NaiveDate,
    },
    /// contact data your agency entered was corrected at the client's direction.
    ContactDataCorrected {
        kind: ContactKind,
        by: OrgId,
        note: Option<RecordId>,
    },
    /// P-2 / S-3: a release of information set by `org` ends on `end`, within the policy's
    /// reminder window: renew it with the client, or let it lapse. Sent once per ROI to the user
    /// who set it and `org`'s AgencyAdmins (`actions::roi_reminders`). `client` is the internal
    /// id the app links with (the client file's releases), never shown: the text names the
    /// HMIS number only.
    RoiEndingSoon {
        roi: RoiId,
        client: ClientId,
        end: NaiveDate,
        org: OrgId,
    },
    /// Issue 15: a record your agency entered was linked to another as the same person.
    RecordsLinked { other: HmisNumber, by: OrgId },
    /// Issue 15: that link was undone (both records are kept as they were).
    RecordsUnlinked { other: HmisNumber, by: OrgId },
}

/// A notification: recipient, the client's HMIS number (the only client identifier), message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub recipient: Recipient,
    pub client: HmisNumber,
    pub message: Message,
}

impl Notification {
    pub fn new(recipient: Recipient, client: HmisNumber, message: Message) -> Self {
        Self {
            recipient,
            client,
            message,
        }
    }

    /// Subject and body, with organization names resolved by `org_name`.
    pub fn render(&self, org_name: &dyn Fn(OrgId) -> String) -> (String, String) {
        let h = &self.client;
        match &self.message {
            Message::DataConflictOpened {
                conflict,
                field,
                by,
            } => (
                format!("Data conflict #{} for client {h}", conflict.0),
                format!(
                    "{} recorded a data conflict about the {} your agency entered for client {h}. \
                     Please contact them to agree on the correct value.",
                    org_name(*by),
                    field.label()
                ),
            ),
            Message::DataConflictEscalated {
                conflict,
                field,
                by,
                note,
            } => (
                format!("Data conflict #{} escalated for client {h}", conflict.0),
                format!(
                    "{} could not reach your agency after repeated attempts about the {} of client \
                     {h}. The conflict is confirmed and a note{} was added to the client profile.",
                    org_name(*by),
                    field.label(),
                    note.map(|n| format!(" (#{n})")).unwrap_or_default()
                ),
            ),
            Message::EntryExitConflictOpened {
                conflict,
                enrollment,
                by,
            } => (
                format!("Entry/exit conflict #{} for client {h}", conflict.0),
                format!(
                    "{} believes enrollment #{enrollment} of client {h}, entered by your agency, \
                     has incorrect dates. Please contact them.",
                    org_name(*by)
                ),
            ),
            Message::EntryExitReviewRequested {
                conflict,
                enrollment,
                by,
            } => (
                format!(
                    "Please review enrollment #{enrollment} (conflict #{})",
                    conflict.0
                ),
                format!(
                    "{} asks your agency's administrator to review enrollment #{enrollment} of \
                     client {h}, believed to be incorrect.",
                    org_name(*by)
                ),
            ),
            Message::EntryExitDataCenter {
                conflict,
                enrollment,
                owner,
                review_requested_on,
            } => (
                format!("Entry/exit conflict #{} needs the data center", conflict.0),
                format!(
                    "Enrollment #{enrollment} of client {h}, owned by {}, was not corrected since \
                     the review request of {review_requested_on}.",
                    org_name(*owner)
                ),
            ),
            Message::ContactDataCorrected { kind, by, note } => (
                format!("Contact information corrected for client {h}"),
                format!(
                    "{} corrected the {} of client {h} at the client's direction{}. You may \
                     end-date rows your agency entered.",
                    org_name(*by),
                    kind.label(),
                    note.map(|n| format!(" (note #{n})")).unwrap_or_default()
                ),
            ),
            Message::RoiEndingSoon { roi, end, org, .. } => (
                format!(
                    "Release of information #{} for client {h} ends {end}",
                    roi.0
                ),
                format!(
                    "The release of information #{} of client {h}, set by {}, ends on {end}. \
                     If the client agrees to keep sharing, record a new signed release before \
                     then; otherwise it lapses and the agencies it names stop sharing.",
                    roi.0,
                    org_name(*org)
                ),
            ),
            Message::RecordsLinked { other, by } => (
                format!("Client {h} linked to {other} as the same person"),
                format!(
                    "{} marked client {h}, entered by your agency, and client {other} as the same \
                     person. Both records are kept; the profile of each now shows the other.",
                    org_name(*by)
                ),
            ),
            Message::RecordsUnlinked { other, by } => (
                format!("Client {h} no longer linked to {other}"),
                format!(
                    "{} undid the link between client {h}, entered by your agency, and client \
                     {other}. Both records are kept as they were.",
                    org_name(*by)
                ),
            ),
        }
    }
}

/// The templates of [`AccountNotice`]: about the recipient's own account, so they name no client
/// at all (R-13 holds trivially).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum AccountMessage {
    /// The address the user's notifications are emailed to was set or changed, by the user
    /// themself or by an administrator of `by_org`. Sent to the new address, so its arrival
    /// confirms that the address works; it does not contain the address.
    NotificationEmailChanged { by: UserId, by_org: OrgId },
    /// P-5: repeated wrong passwords locked the account until `until` (server time). The sign-in
    /// form does not say so (its answer is the same for unknown, wrong and locked, so it does not
    /// reveal which usernames exist); this notice does, to the account's owner only.
    SignInLocked {
        failures: u32,
        until: chrono::NaiveDateTime,
    },
}

/// A notice to one user about their own account. Unlike [`Notification`] it has no client field:
/// it is emailed through the same outbox but is not a client notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountNotice {
    pub user: UserId,
    pub message: AccountMessage,
}

impl AccountNotice {
    /// Subject and body, with organization names resolved by `org_name`.
    pub fn render(&self, org_name: &dyn Fn(OrgId) -> String) -> (String, String) {
        match &self.message {
            AccountMessage::NotificationEmailChanged { by, by_org } => {
                let who = if *by == self.user {
                    "You".to_owned()
                } else {
                    format!("An administrator of {} (user #{by})", org_name(*by_org))
                };
                (
                    "Your Hearth notification address was changed".to_owned(),
                    format!(
                        "{who} set this address as the one Hearth emails your notifications to. \
                         From now on they come here; they name clients by HMIS number only. If \
                         you did not expect this change, tell your agency's HMIS administrator."
                    ),
                )
            }
            AccountMessage::SignInLocked { failures, until } => (
                "Your Hearth account is locked for a while".to_owned(),
                format!(
                    "After {failures} wrong passwords in a row, signing in to your Hearth account \
                     is refused until {} (server time), even with the right password. If this \
                     was not you, tell your agency's HMIS administrator and change your password \
                     once you are signed in.",
                    until.format("%Y-%m-%d %H:%M")
                ),
            ),
        }
    }
}
