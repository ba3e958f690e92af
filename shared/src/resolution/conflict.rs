//! The data-conflict state machine: R-2 (record a conflict, keep the stored value), R-3 (contact
//! attempts, agreement, escalation after 3 attempts over 14 days) and R-8 (entry/exit conflicts:
//! agency-admin review, then the data center 30 days later).

use crate::decision::{Decision, Reason};
use crate::fields::{Field, FieldClass};
use crate::ids::{ClientId, HmisNumber, OrgId, ParseError, RecordId, UserId};
use crate::model::{Actor, Role};
use crate::notify::{ConflictId, Message, Notification, Recipient};
use crate::policy::PolicyConfig;
use crate::records::{EnrollmentDates, NoteDraft};
use crate::resolution::EntryExitIssue;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the conflict is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ConflictSubject {
    /// the client stated `stated`; HMIS holds `stored`. The stored value is not changed.
    Field {
        field: Field,
        stored: String,
        stated: String,
    },
    /// an enrollment believed to be incorrect (and the other enrollment, if any).
    EntryExit {
        enrollment: RecordId,
        other: Option<RecordId>,
        issue: EntryExitIssue,
    },
}

/// How a contact attempt was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ContactMethod {
    Phone,
    Email,
    InPerson,
    HmisMessage,
    Other,
}

/// The outcome of a contact attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum AttemptOutcome {
    /// Nobody answered: counts toward escalation.
    NoContact,
    /// Reached the other agency: does not count toward escalation.
    Reached,
}

/// One logged contact attempt: when, how, by whom, outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactAttempt {
    pub on: NaiveDate,
    pub method: ContactMethod,
    pub by: UserId,
    pub outcome: AttemptOutcome,
}

/// Which value the parties agreed is right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum AgreedValue {
    Stored,
    Stated,
}

/// The life of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConflictState {
    Open,
    /// The parties agreed which value is right and which agency updates it.
    Agreed {
        on: NaiveDate,
        value: AgreedValue,
        updater: OrgId,
    },
    /// note added and the other agency's AgencyAdmins told; R-8: review requested from them.
    Escalated {
        on: NaiveDate,
    },
    /// the data center (SystemAdmins) was asked.
    DataCenter {
        on: NaiveDate,
        review_requested_on: NaiveDate,
    },
    Resolved {
        on: NaiveDate,
    },
}

/// A data conflict or entry/exit conflict, addressed to the agency that entered the
/// data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataConflict {
    pub id: ConflictId,
    pub client: ClientId,
    pub hmis_number: HmisNumber,
    pub subject: ConflictSubject,
    pub reporter_org: OrgId,
    pub reporter_user: UserId,
    pub addressed_org: OrgId,
    pub addressed_user: Option<UserId>,
    pub opened_on: NaiveDate,
    pub attempts: Vec<ContactAttempt>,
    pub state: ConflictState,
}

impl DataConflict {
    pub fn is_entry_exit(&self) -> bool {
        matches!(self.subject, ConflictSubject::EntryExit { .. })
    }
}

/// who may see a conflict: users of its two parties (the reporting agency and the
/// agency addressed) and SystemAdmins (S-7; the data center of R-8). Anyone else is not told it
/// exists.
pub fn can_see_conflict(actor: &Actor, conflict: &DataConflict) -> Decision {
    if actor.role == Role::SystemAdmin {
        Decision::allow(Reason::SystemAdministrator)
    } else if actor.org == conflict.reporter_org || actor.org == conflict.addressed_org {
        Decision::allow(Reason::YourAgency)
    } else {
        Decision::deny(Reason::NotCovered)
    }
}

/// R-4's refusal of a conflict about contact information, said the same way wherever it is.
const CONTACT_HAS_SEVERAL_ANSWERS: &str =
    "contact information has several answers: add a new row instead (R-4)";

/// the field of a data conflict, which must be a single-answer field: contact fields
/// have several answers (R-4: add a row), and other fields are edited directly by any agency
/// (S-1). Errors name `field`.
pub fn parse_conflict_field(field: Field, policy: &PolicyConfig) -> Result<Field, ParseError> {
    match policy.field_class(field) {
        FieldClass::SingleAnswer => Ok(field),
        FieldClass::SeveralAnswers => Err(ParseError::new("field", CONTACT_HAS_SEVERAL_ANSWERS)),
        FieldClass::Plain => Err(ParseError::new(
            "field",
            "is not a single-answer field: any agency may edit it directly (S-1)",
        )),
    }
}

/// the stored value a conflict is about. An empty field has nothing to conflict with:
/// anyone fills it in directly. Errors name `field`.
pub fn parse_conflict_stored(stored: Option<&str>) -> Result<&str, ParseError> {
    stored.ok_or_else(|| ParseError::new("field", "has no stored value: fill it in directly (R-1)"))
}

/// one entry/exit conflict per enrollment per agency. Refused (naming the conflict already
/// open) when `actor`'s agency already opened one of `open` about `enrollment`.
pub fn check_one_entry_exit_conflict_per_agency(
    actor: &Actor,
    enrollment: RecordId,
    open: &[DataConflict],
) -> Result<(), ParseError> {
    let same = open.iter().find(|c| {
        c.reporter_org == actor.org
            && matches!(c.subject, ConflictSubject::EntryExit { enrollment: e, .. } if e == enrollment)
    });
    match same {
        Some(c) => Err(ParseError::new(
            "enrollment",
            format!("your agency already opened conflict #{} about it", c.id.0),
        )),
        None => Ok(()),
    }
}

/// whether `actor`'s change of `field` to `new_value` carries out the agreement of
/// `conflict`, and so resolves it: the parties agreed on the stated value of this field, the
/// actor's agency is the agreed updater, and the new value is the stated one.
pub fn carries_out_agreement(
    conflict: &DataConflict,
    actor: &Actor,
    field: Field,
    new_value: Option<&str>,
) -> Decision {
    let ConflictState::Agreed {
        value: AgreedValue::Stated,
        updater,
        ..
    } = conflict.state
    else {
        return Decision::deny(Reason::WrongConflictState);
    };
    let ConflictSubject::Field {
        field: about,
        stated,
        ..
    } = &conflict.subject
    else {
        return Decision::deny(Reason::WrongConflictState);
    };
    if *about != field || new_value != Some(stated.as_str()) {
        return Decision::deny(Reason::NotTheAgreedValue);
    }
    if updater != actor.org {
        return Decision::deny(Reason::NotTheAgreedUpdater { updater });
    }
    Decision::allow(Reason::CarriesOutAgreement)
}

/// records a conflict about `field` between `stored` (entered by `entered_by`, user
/// `entered_by_user`) and the orally `stated` value; plus the notice to the entering user or, if
/// unknown, its AgencyAdmins. Refused (naming the field) when the values are equal, the field is a
/// contact field (R-4 applies), or the actor's own agency entered the value (it may change it).
#[allow(clippy::too_many_arguments)]
pub fn new_field_conflict(
    actor: &Actor,
    id: ConflictId,
    client: ClientId,
    hmis_number: HmisNumber,
    field: Field,
    stored: &str,
    stated: &str,
    entered_by: OrgId,
    entered_by_user: Option<UserId>,
    today: NaiveDate,
) -> Result<(DataConflict, Notification), ParseError> {
    if field.is_contact() {
        return Err(ParseError::new("field", CONTACT_HAS_SEVERAL_ANSWERS));
    }
    if stored.trim() == stated.trim() {
        return Err(ParseError::new("stated", "is the same as the stored value"));
    }
    if stated.trim().is_empty() {
        return Err(ParseError::new("stated", "cannot be empty"));
    }
    if entered_by == actor.org {
        return Err(ParseError::new(
            "field",
            "your agency entered this value and may change it directly",
        ));
    }
    let conflict = DataConflict {
        id,
        client,
        hmis_number: hmis_number.clone(),
        subject: ConflictSubject::Field {
            field,
            stored: stored.trim().to_owned(),
            stated: stated.trim().to_owned(),
        },
        reporter_org: actor.org,
        reporter_user: actor.user,
        addressed_org: entered_by,
        addressed_user: entered_by_user,
        opened_on: today,
        attempts: Vec::new(),
        state: ConflictState::Open,
    };
    let recipient = match entered_by_user {
        Some(user) => Recipient::User { user },
        None => Recipient::AgencyAdmins { org: entered_by },
    };
    let notice = Notification::new(
        recipient,
        hmis_number,
        Message::DataConflictOpened {
            conflict: id,
            field,
            by: actor.org,
        },
    );
    Ok((conflict, notice))
}

/// opens an entry/exit conflict about `enrollment`, addressed to its owning agency. Refused
/// when the actor's own agency owns it (it corrects it directly, R-6).
#[allow(clippy::too_many_arguments)]
pub fn new_entry_exit_conflict(
    actor: &Actor,
    id: ConflictId,
    client: ClientId,
    hmis_number: HmisNumber,
    enrollment: &EnrollmentDates,
    other: Option<RecordId>,
    issue: EntryExitIssue,
    today: NaiveDate,
) -> Result<(DataConflict, Notification), ParseError> {
    if enrollment.org == actor.org {
        return Err(ParseError::new(
            "enrollment",
            "your agency owns this enrollment and may correct it directly",
        ));
    }
    let conflict = DataConflict {
        id,
        client,
        hmis_number: hmis_number.clone(),
        subject: ConflictSubject::EntryExit {
            enrollment: enrollment.record,
            other,
            issue,
        },
        reporter_org: actor.org,
        reporter_user: actor.user,
        addressed_org: enrollment.org,
        addressed_user: None,
        opened_on: today,
        attempts: Vec::new(),
        state: ConflictState::Open,
    };
    let notice = Notification::new(
        Recipient::AgencyAdmins {
            org: enrollment.org,
        },
        hmis_number,
        Message::EntryExitConflictOpened {
            conflict: id,
            enrollment: enrollment.record,
            by: actor.org,
        },
    );
    Ok((conflict, notice))
}

/// thresholds: at least `escalation_min_attempts` unanswered attempts (dated no later
/// than `today`) whose first and last are at least `escalation_min_days` apart. A refusal says
/// what is still missing.
pub fn escalation_check(
    attempts: &[ContactAttempt],
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Decision {
    let counted = attempts
        .iter()
        .filter(|a| a.outcome == AttemptOutcome::NoContact && a.on <= today);
    let mut n: u32 = 0;
    let mut first: Option<NaiveDate> = None;
    let mut last: Option<NaiveDate> = None;
    for a in counted {
        n = n.saturating_add(1);
        first = Some(first.map_or(a.on, |f| f.min(a.on)));
        last = Some(last.map_or(a.on, |l| l.max(a.on)));
    }
    let span_days = match (first, last) {
        (Some(f), Some(l)) => (l - f).num_days(),
        _ => 0,
    };
    let days_needed = policy.escalation_min_days;
    let attempts_needed = policy.escalation_min_attempts;
    if n >= attempts_needed && span_days >= i64::from(days_needed) {
        return Decision::allow(Reason::ThresholdsMet);
    }
    let next_attempt_on_or_after = match first {
        Some(f) if span_days < i64::from(days_needed) => {
            f.checked_add_days(chrono::Days::new(u64::from(days_needed)))
        }
        _ => None,
    };
    Decision::deny(Reason::EscalationTooEarly {
        attempts: n,
        attempts_needed,
        span_days,
        days_needed,
        next_attempt_on_or_after,
    })
}

/// A step in a conflict's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ConflictStep {
    /// Log a contact attempt (reporting agency; while open).
    LogAttempt { attempt: ContactAttempt },
    /// The parties agree (either party; while open or escalated).
    Agree { value: AgreedValue, updater: OrgId },
    /// The agreed update was made or the data corrected (either party; SystemAdmins once the data
    /// center has it).
    Resolve,
    /// escalate to the addressed agency's AgencyAdmins (reporting agency; thresholds).
    Escalate,
    /// ask the data center (reporting agency; entry/exit only; 30 days after escalation).
    EscalateToDataCenter,
}

/// The outcome of an allowed step: the new conflict, whether to add the escalation note
/// ([`escalation_note`]) and the notifications to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stepped {
    pub conflict: DataConflict,
    pub add_note: bool,
    pub notifications: Vec<Notification>,
}

fn is_party(c: &DataConflict, actor: &Actor) -> bool {
    actor.org == c.reporter_org || actor.org == c.addressed_org
}

/// May `actor` take `step` on `conflict` on `today`?
pub fn can_step(
    conflict: &DataConflict,
    actor: &Actor,
    step: &ConflictStep,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Decision {
    let reporter = actor.org == conflict.reporter_org;
    let state = &conflict.state;
    if matches!(state, ConflictState::Resolved { .. }) {
        return Decision::deny(Reason::WrongConflictState);
    }
    match step {
        ConflictStep::LogAttempt { attempt } => {
            if !reporter {
                return Decision::deny(Reason::NotAPartyToConflict);
            }
            if *state != ConflictState::Open {
                return Decision::deny(Reason::WrongConflictState);
            }
            if attempt.on > today || attempt.on < conflict.opened_on {
                return Decision::deny(Reason::NotCovered);
            }
            Decision::allow(Reason::YourAgency)
        }
        ConflictStep::Agree { updater, .. } => {
            if !is_party(conflict, actor) {
                return Decision::deny(Reason::NotAPartyToConflict);
            }
            if *updater != conflict.reporter_org && *updater != conflict.addressed_org {
                return Decision::deny(Reason::NotAPartyToConflict);
            }
            match state {
                ConflictState::Open | ConflictState::Escalated { .. } => {
                    Decision::allow(Reason::YourAgency)
                }
                _ => Decision::deny(Reason::WrongConflictState),
            }
        }
        ConflictStep::Resolve => {
            if is_party(conflict, actor) {
                Decision::allow(Reason::YourAgency)
            } else if actor.role == Role::SystemAdmin
                && matches!(state, ConflictState::DataCenter { .. })
            {
                Decision::allow(Reason::SystemAdministrator)
            } else {
                Decision::deny(Reason::NotAPartyToConflict)
            }
        }
        ConflictStep::Escalate => {
            if !reporter {
                return Decision::deny(Reason::NotAPartyToConflict);
            }
            if *state != ConflictState::Open {
                return Decision::deny(Reason::WrongConflictState);
            }
            escalation_check(&conflict.attempts, today, policy)
        }
        ConflictStep::EscalateToDataCenter => {
            if !reporter {
                return Decision::deny(Reason::NotAPartyToConflict);
            }
            let ConflictState::Escalated { on } = state else {
                return Decision::deny(Reason::WrongConflictState);
            };
            if !conflict.is_entry_exit() {
                return Decision::deny(Reason::WrongConflictState);
            }
            let on_or_after = on
                .checked_add_days(chrono::Days::new(u64::from(policy.data_center_days)))
                .unwrap_or(NaiveDate::MAX);
            if today >= on_or_after {
                Decision::allow(Reason::ThresholdsMet)
            } else {
                Decision::deny(Reason::DataCenterTooEarly {
                    notified_on: *on,
                    on_or_after,
                })
            }
        }
    }
}

/// the actor an automatic step (the data-center escalation, the resolution of a conflict
/// whose detection disappeared) is taken and recorded as: the conflict's reporting user, who
/// asked for it when escalating, with the role `reporter_role` they hold now; the least
/// privileged role, `Caseworker`, when their account is gone.
pub fn automatic_step_actor(conflict: &DataConflict, reporter_role: Option<Role>) -> Actor {
    Actor {
        user: conflict.reporter_user,
        org: conflict.reporter_org,
        role: reporter_role.unwrap_or(Role::Caseworker),
    }
}

/// may `actor` log `attempt` on `conflict` on `today`? [`can_step`]'s decision, except
/// that an attempt dated before the conflict was opened or after today is not a refusal but an
/// invalid date: the error names `when` and says the window.
pub fn check_attempt(
    conflict: &DataConflict,
    actor: &Actor,
    attempt: &ContactAttempt,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Result<Decision, ParseError> {
    let step = ConflictStep::LogAttempt {
        attempt: attempt.clone(),
    };
    let decision = can_step(conflict, actor, &step, today, policy);
    if !decision.allowed && decision.reason == Reason::NotCovered {
        return Err(ParseError::new(
            "when",
            format!(
                "must be between the day the conflict was opened ({}) and today ({today})",
                conflict.opened_on
            ),
        ));
    }
    Ok(decision)
}

/// the agreement step as asked for. An entry/exit conflict is never agreed on the
/// reporter's (stated) side: the incorrect data is corrected by its owning agency only, so
/// the parties agree on the stored value or the owner corrects the enrollment. Errors name
/// `agreed_value`.
pub fn parse_agreement(
    conflict: &DataConflict,
    value: AgreedValue,
    updater: OrgId,
) -> Result<ConflictStep, ParseError> {
    if conflict.is_entry_exit() && value == AgreedValue::Stated {
        return Err(ParseError::new(
            "agreed_value",
            "an entry/exit conflict is corrected by its owning agency: agree on stored or let \
             the owner correct the enrollment",
        ));
    }
    Ok(ConflictStep::Agree { value, updater })
}

/// whether taking `step` also resolves the conflict at once: agreeing that the stored value
/// is right leaves nothing to update. An agreement on the stated value waits for the agreed
/// updater's change ([`carries_out_agreement`]).
pub fn resolves_on_agreement(step: &ConflictStep) -> bool {
    matches!(
        step,
        ConflictStep::Agree {
            value: AgreedValue::Stored,
            ..
        }
    )
}

/// the escalation a user asks for next: an entry/exit conflict already escalated to
/// the owning agency's AgencyAdmins goes on to the data center; anything else is escalated to the
/// addressed agency (and [`can_step`] says whether that is allowed yet).
pub fn next_escalation(conflict: &DataConflict) -> ConflictStep {
    match (&conflict.state, conflict.is_entry_exit()) {
        (ConflictState::Escalated { .. }, true) => ConflictStep::EscalateToDataCenter,
        _ => ConflictStep::Escalate,
    }
}

/// Takes `step` if [`can_step`] allows it; otherwise returns the refusal.
pub fn step(
    conflict: &DataConflict,
    actor: &Actor,
    step: ConflictStep,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Result<Stepped, Decision> {
    let decision = can_step(conflict, actor, &step, today, policy);
    if !decision.allowed {
        return Err(decision);
    }
    let mut next = conflict.clone();
    let mut add_note = false;
    let mut notifications = Vec::new();
    let hmis = conflict.hmis_number.clone();
    match step {
        ConflictStep::LogAttempt { attempt } => next.attempts.push(attempt),
        ConflictStep::Agree { value, updater } => {
            next.state = ConflictState::Agreed {
                on: today,
                value,
                updater,
            };
        }
        ConflictStep::Resolve => next.state = ConflictState::Resolved { on: today },
        ConflictStep::Escalate => {
            next.state = ConflictState::Escalated { on: today };
            add_note = true;
            let message = match &conflict.subject {
                ConflictSubject::Field { field, .. } => Message::DataConflictEscalated {
                    conflict: conflict.id,
                    field: *field,
                    by: conflict.reporter_org,
                    note: None,
                },
                ConflictSubject::EntryExit { enrollment, .. } => {
                    Message::EntryExitReviewRequested {
                        conflict: conflict.id,
                        enrollment: *enrollment,
                        by: conflict.reporter_org,
                    }
                }
            };
            notifications.push(Notification::new(
                Recipient::AgencyAdmins {
                    org: conflict.addressed_org,
                },
                hmis,
                message,
            ));
        }
        ConflictStep::EscalateToDataCenter => {
            if let (
                ConflictState::Escalated { on },
                ConflictSubject::EntryExit { enrollment, .. },
            ) = (&conflict.state, &conflict.subject)
            {
                next.state = ConflictState::DataCenter {
                    on: today,
                    review_requested_on: *on,
                };
                notifications.push(Notification::new(
                    Recipient::DataCenter,
                    hmis,
                    Message::EntryExitDataCenter {
                        conflict: conflict.id,
                        enrollment: *enrollment,
                        owner: conflict.addressed_org,
                        review_requested_on: *on,
                    },
                ));
            }
        }
    }
    Ok(Stepped {
        conflict: next,
        add_note,
        notifications,
    })
}

/// the ProfileNote added on escalation, recording the conflicting data (a note on the client
/// profile, tier 2: never sent in a notification, R-13).
pub fn escalation_note(conflict: &DataConflict, org_name: &dyn Fn(OrgId) -> String) -> NoteDraft {
    let attempts = conflict
        .attempts
        .iter()
        .filter(|a| a.outcome == AttemptOutcome::NoContact)
        .count();
    let text = match &conflict.subject {
        ConflictSubject::Field {
            field,
            stored,
            stated,
        } => format!(
            "Data conflict #{}: {}. Stored value \"{stored}\" (entered by {}); the client states \
             \"{stated}\". {attempts} contact attempts without answer; escalated by {}.",
            conflict.id.0,
            field.label(),
            org_name(conflict.addressed_org),
            org_name(conflict.reporter_org)
        ),
        ConflictSubject::EntryExit {
            enrollment, issue, ..
        } => format!(
            "Entry/exit conflict #{}: enrollment #{enrollment} of {} ({}). {attempts} contact \
             attempts without answer; review requested by {}.",
            conflict.id.0,
            org_name(conflict.addressed_org),
            issue.label(),
            org_name(conflict.reporter_org)
        ),
    };
    NoteDraft {
        client: conflict.client,
        text,
    }
}

/// may `actor` open a resolution queue (the admin screen of the conflicts waiting on
/// an agency)? AgencyAdmins, for the conflicts addressed to their agency (they receive its
/// escalations); SystemAdmins, for the entry/exit conflicts sent to the data center. A
/// caseworker works conflicts from the client file.
pub fn can_see_resolution_queue(actor: &Actor) -> Decision {
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::SystemAdministrator),
        Role::AgencyAdmin => Decision::allow(Reason::YourAgency),
        Role::Caseworker => Decision::deny(Reason::NeedsAgencyAdmin { org: actor.org }),
    }
}

/// whether `conflict` is in `actor`'s resolution queue ([`can_see_resolution_queue`]):
/// for an AgencyAdmin, the unresolved conflicts addressed to their agency (data and entry/exit);
/// for a SystemAdmin (the data center), the entry/exit conflicts escalated to the data center
/// 30 days after the agency-admin notice.
pub fn in_resolution_queue(actor: &Actor, conflict: &DataConflict) -> bool {
    match actor.role {
        Role::SystemAdmin => {
            conflict.is_entry_exit() && matches!(conflict.state, ConflictState::DataCenter { .. })
        }
        Role::AgencyAdmin => {
            conflict.addressed_org == actor.org
                && !matches!(conflict.state, ConflictState::Resolved { .. })
        }
        Role::Caseworker => false,
    }
}

/// How many days a conflict has been open on `today` (its age in a queue).
pub fn conflict_age_days(conflict: &DataConflict, today: NaiveDate) -> i64 {
    (today - conflict.opened_on).num_days().max(0)
}
