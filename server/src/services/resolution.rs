//! The data-resolution workflows around the shared state machine: applying
//! a `shared::resolution::step` with what it asks for (the escalation ProfileNote, the
//! notifications, the event history), value parsing for the single-answer intake fields,
//! and the API view of a conflict. Every decision is `shared`'s; this module stores its outcome.

use crate::db::resolution::{self as q, StoredConflict};
use crate::error::{allow, ApiError};
use crate::services::notify;
use crate::state::AppState;
use shared::api::resolution::ConflictView;
use shared::notify::{Message, Notification};
use shared::resolution::{
    can_step, escalation_note_shown, shown_value, ConflictStep, ConflictSubject, DataConflict,
};
use shared::{Actor, Field, RecordId};
use sqlx::AnyConnection;

/// What an applied step left behind.
#[derive(Debug, Clone)]
pub struct Applied {
    pub conflict: DataConflict,
    pub note: Option<RecordId>,
    pub notifications: Vec<Notification>,
}

/// Takes `step` on `stored` for `actor` if the shared state machine allows it (403 with its
/// reason otherwise): stores the new state and an event, adds the escalation ProfileNote when
/// the step asks for one (authored by the actor, text from `escalation_note`, an SSN shown by
/// its last four digits) and queues the step's notifications. Run inside a transaction.
pub async fn apply_step(
    conn: &mut AnyConnection,
    state: &AppState,
    stored: &StoredConflict,
    actor: &Actor,
    step: ConflictStep,
) -> Result<Applied, ApiError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let name = step.as_str();
    let mut stepped = shared::resolution::step(&stored.conflict, actor, step, today, &state.policy)
        .map_err(|d| {
            allow(d)
                .err()
                .unwrap_or_else(|| ApiError::Internal("a step refused as allowed".into()))
        })?;
    let mut note = None;
    if stepped.add_note {
        let names = crate::db::notifications::org_namer(conn).await?;
        let draft = escalation_note_shown(&stepped.conflict, &names);
        let title = if stepped.conflict.is_entry_exit() {
            "Entry/exit conflict"
        } else {
            "Data conflict"
        };
        let id = q::insert_profile_note(
            conn,
            draft.client,
            (actor.org, actor.user),
            title,
            &draft.text,
            now,
        )
        .await?;
        note = Some(id);
        for n in &mut stepped.notifications {
            if let Message::DataConflictEscalated { note: slot, .. } = &mut n.message {
                *slot = Some(id);
            }
        }
    }
    let saved = q::save_state(
        conn,
        stored.conflict.id,
        &stored.conflict.state,
        &stepped.conflict.state,
        note,
        name,
        (actor.org, actor.user),
        now,
    )
    .await?;
    if !saved {
        return Err(ApiError::validation(
            "conflict",
            "was changed meanwhile: reload it and try again",
        ));
    }
    notify::enqueue_all(conn, &stepped.notifications, now).await?;
    Ok(Applied {
        conflict: stepped.conflict,
        note,
        notifications: stepped.notifications,
    })
}

/// May `actor` see this conflict (the shared `can_see_conflict`).
pub fn may_see(c: &DataConflict, actor: &Actor) -> bool {
    shared::resolution::can_see_conflict(actor, c).allowed
}

/// The API view of a conflict for `actor`. Values of an SSN conflict show only the last four
/// digits (`shared::resolution::shown_value`): each party knows its own value, as the profile
/// shows only the last four.
pub fn view(state: &AppState, stored: &StoredConflict, actor: &Actor) -> ConflictView {
    let c = &stored.conflict;
    let mut subject = c.subject.clone();
    if let ConflictSubject::Field {
        field,
        stored: s,
        stated,
    } = &mut subject
    {
        *s = shown_value(*field, s);
        *stated = shown_value(*field, stated);
    }
    let next = shared::resolution::next_escalation(c);
    ConflictView {
        id: c.id,
        client: c.client,
        hmis_number: c.hmis_number.clone(),
        subject,
        state: c.state.clone(),
        reporter_org: c.reporter_org,
        reporter_user: c.reporter_user,
        addressed_org: c.addressed_org,
        addressed_user: c.addressed_user,
        opened_on: c.opened_on,
        attempts: stored.attempts.clone(),
        note: stored.note,
        escalation: can_step(c, actor, &next, state.clock.today(), &state.policy),
    }
}

/// The stored value of an intake field, normalised as `shared::intake::parse_intake_value`
/// writes it.
pub fn stored_value(client: &crate::db::ClientRow, field: Field) -> Option<String> {
    let v = match field {
        Field::LegalFirstName => Some(client.first_name.clone()),
        Field::LegalMiddleName => client.middle_name.clone(),
        Field::LegalLastName => Some(client.last_name.clone()),
        Field::DateOfBirth => client.date_of_birth.map(crate::db::date),
        Field::Ssn => client.ssn.as_deref().map(shared::intake::dashed_ssn),
        Field::Gender => client.gender.clone(),
        Field::MaritalStatus => client.marital_status.map(|m| m.as_str().to_owned()),
        Field::Sex => client.sex.map(|s| s.as_str().to_owned()),
        Field::VeteranStatus => client.veteran_status.map(|v| v.as_str().to_owned()),
        _ => None,
    };
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Parses an enum value given as `snake_case` or `PascalCase` (`in_person`, `InPerson`) through
/// its serde form; an unknown value is a 422 naming `field`.
pub fn parse_enum<T: serde::de::DeserializeOwned>(field: &str, raw: &str) -> Result<T, ApiError> {
    let raw = raw.trim();
    let pascal: String = raw
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    let mut snake = String::new();
    for (i, ch) in raw.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.push(ch.to_ascii_lowercase());
    }
    for candidate in [raw.to_owned(), pascal, snake] {
        if let Ok(v) = serde_json::from_value(serde_json::Value::String(candidate)) {
            return Ok(v);
        }
    }
    Err(ApiError::validation(field, "unknown value"))
}
