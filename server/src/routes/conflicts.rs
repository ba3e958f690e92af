//! `/api/v1/clients/{id}/conflicts` and `/api/v1/conflicts`: data conflicts and the
//! steps of every conflict, entry/exit ones included: contact attempts, agreement,
//! escalation, resolution. The shared state machine decides every step; the use cases are
//! `services::conflicts`.

use crate::error::ApiError;
use crate::extract::Json;
use crate::extract::PathId;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::conflicts;
use crate::services::resolution::{parse_enum, view};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::endpoints as ep;
use shared::api::endpoints::ConflictListQuery;
use shared::api::resolution::{
    AgreeRequest, AttemptView, ConflictView, ContactOutcome, NewAttemptRequest, NewConflictRequest,
};
use shared::notify::ConflictId;
use shared::resolution::{AgreedValue, ConflictState, ConflictSubject, ContactMethod};
use shared::{ClientId, Decision, Field, OrgId, Reason, RecordId, UserId};

// ---- OpenAPI: the operations and their examples ---------------------------------------------

// One schema per state of a conflict, so that each shows its own `state` and `subject`.
type OpenConflictView = ConflictView;
type AgreedConflictView = ConflictView;
type EscalatedConflictView = ConflictView;
type ResolvedConflictView = ConflictView;

use crate::openapi::examples::{ex_date, ex_hmis};

fn ex_attempt(id: i64, day: u32, how: ContactMethod, outcome: ContactOutcome) -> AttemptView {
    AttemptView {
        id,
        when: ex_date(day),
        how,
        outcome,
        by_user: UserId(3),
        by_org: OrgId(2),
        logged_at: ex_date(day).and_hms_opt(14, 5, 0).unwrap_or_default(),
    }
}

/// Conflict #7: Maria Lopez (user 3) of Bull City Shelter (org 2) heard client H0001002 state a
/// date of birth that differs from the one Lena Fischer (user 7) of Eno River Housing (org 3)
/// entered, on 2026-11-06.
fn ex_conflict(
    state: ConflictState,
    attempts: Vec<AttemptView>,
    escalation: Reason,
) -> ConflictView {
    ConflictView {
        id: ConflictId(7),
        client: ClientId(2),
        hmis_number: ex_hmis(1002),
        subject: ConflictSubject::Field {
            field: Field::DateOfBirth,
            stored: "1988-04-12".into(),
            stated: "1988-04-21".into(),
        },
        note: matches!(state, ConflictState::Escalated { .. }).then_some(RecordId(512)),
        state,
        reporter_org: OrgId(2),
        reporter_user: UserId(3),
        addressed_org: OrgId(3),
        addressed_user: Some(UserId(7)),
        opened_on: ex_date(6),
        attempts,
        escalation: Decision {
            allowed: escalation == Reason::ThresholdsMet,
            reason: escalation,
        },
    }
}

/// The three unanswered attempts that meet the thresholds (3 over 14 days, R-3).
fn ex_attempts() -> Vec<AttemptView> {
    vec![
        ex_attempt(11, 6, ContactMethod::Phone, ContactOutcome::NoAnswer),
        ex_attempt(12, 13, ContactMethod::Email, ContactOutcome::NoAnswer),
        ex_attempt(13, 20, ContactMethod::Phone, ContactOutcome::LeftMessage),
    ]
}

fn ex_open() -> ConflictView {
    ConflictView {
        opened_on: ex_date(22),
        ..ex_conflict(
            ConflictState::Open,
            Vec::new(),
            Reason::EscalationTooEarly {
                attempts: 0,
                attempts_needed: 3,
                span_days: 0,
                days_needed: 14,
                next_attempt_on_or_after: None,
            },
        )
    }
}

fn ex_attempted() -> ConflictView {
    ex_conflict(ConflictState::Open, ex_attempts(), Reason::ThresholdsMet)
}

fn ex_agreed() -> ConflictView {
    ex_conflict(
        ConflictState::Agreed {
            on: ex_date(22),
            value: AgreedValue::Stated,
            updater: OrgId(2),
        },
        ex_attempts(),
        Reason::WrongConflictState,
    )
}

fn ex_escalated() -> ConflictView {
    ex_conflict(
        ConflictState::Escalated { on: ex_date(22) },
        ex_attempts(),
        Reason::WrongConflictState,
    )
}

fn ex_resolved() -> ConflictView {
    ex_conflict(
        ConflictState::Resolved { on: ex_date(22) },
        ex_attempts(),
        Reason::WrongConflictState,
    )
}

crate::documented!(ep::OpenConflict {
    request: NewConflictRequest = NewConflictRequest {
                field: "date_of_birth".into(),
                stated_value: "1988-04-21".into(),
            };
    response: OpenConflictView = ex_open();
});

crate::documented!(ep::ListConflicts {
    response: Vec<ConflictView> = vec![ex_attempted()];
});

crate::documented!(ep::GetConflict {
    response: ConflictView = ex_attempted();
});

crate::documented!(ep::LogConflictAttempt {
    request: NewAttemptRequest = NewAttemptRequest {
                when: "2026-11-20".into(),
                how: "phone".into(),
                outcome: "left_message".into(),
            };
    response: ConflictView = ex_attempted();
});

crate::documented!(ep::AgreeConflict {
    request: AgreeRequest = AgreeRequest {
                agreed_value: "stated".into(),
                updater: 2,
            };
    response: AgreedConflictView = ex_agreed();
});

crate::documented!(ep::EscalateConflict {
    response: EscalatedConflictView = ex_escalated();
});

crate::documented!(ep::ResolveConflict {
    response: ResolvedConflictView = ex_resolved();
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::OpenConflict, _>(open)
        .at::<ep::ListConflicts, _>(list)
        .at::<ep::GetConflict, _>(one)
        .at::<ep::LogConflictAttempt, _>(log_attempt)
        .at::<ep::AgreeConflict, _>(agree)
        .at::<ep::EscalateConflict, _>(escalate)
        .at::<ep::ResolveConflict, _>(resolve)
}

/// the client stated a value that differs from the stored one. The server fills in the
/// stored value and addresses the conflict to the organization and user that entered it; the
/// stored value is not changed. Answers 201 with the conflict.
async fn open(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<NewConflictRequest>,
) -> Result<(StatusCode, Json<ConflictView>), ApiError> {
    let stored = conflicts::open_field_conflict(&state, &auth.actor, ClientId(id), &req).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, &stored, &auth.actor)),
    ))
}

/// The caller's organization's conflicts, raised and addressed (a SystemAdmin: all), newest
/// first; `?state=open|agreed|escalated|data_center|resolved`, `?kind=field|entry_exit`,
/// `?client=ID`.
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::extract::Query(query): crate::extract::Query<ConflictListQuery>,
) -> Result<Json<Vec<ConflictView>>, ApiError> {
    let found = conflicts::list(&state, &auth.actor, query).await?;
    Ok(Json(
        found.iter().map(|c| view(&state, c, &auth.actor)).collect(),
    ))
}

async fn one(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ConflictView>, ApiError> {
    let stored = conflicts::read(&state, &auth.actor, id).await?;
    Ok(Json(view(&state, &stored, &auth.actor)))
}

/// logs a contact attempt (when, how, outcome; by the caller).
async fn log_attempt(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<NewAttemptRequest>,
) -> Result<(StatusCode, Json<ConflictView>), ApiError> {
    let when = chrono::NaiveDate::parse_from_str(req.when.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::validation("when", "must be a date like 2026-11-22"))?;
    let how: ContactMethod = parse_enum("how", &req.how)?;
    let outcome: ContactOutcome = parse_enum("outcome", &req.outcome)?;
    let after = conflicts::log_attempt(&state, &auth.actor, id, when, how, outcome).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &after, &auth.actor))))
}

/// the parties agree which value is right and which party updates it. Agreeing on the
/// stored value resolves the conflict at once (there is nothing to update); agreeing on the
/// stated value waits for the updater's intake change (`PATCH /clients/{id}/intake`).
async fn agree(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<AgreeRequest>,
) -> Result<Json<ConflictView>, ApiError> {
    let value: AgreedValue = parse_enum("agreed_value", &req.agreed_value)?;
    let updater = OrgId(req.updater);
    let after = conflicts::agree(&state, &auth.actor, id, value, updater).await?;
    Ok(Json(view(&state, &after, &auth.actor)))
}

/// escalates to the addressed agency's AgencyAdmins once the shared thresholds are
/// met (403 with what is still missing otherwise); adds the ProfileNote. An entry/exit conflict
/// already escalated goes on to the data center 30 days later (also done by the daily job).
async fn escalate(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ConflictView>, ApiError> {
    let after = conflicts::escalate(&state, &auth.actor, id).await?;
    Ok(Json(view(&state, &after, &auth.actor)))
}

/// Marks a conflict resolved (the data was corrected or confirmed), by a party or, once at the
/// data center, a SystemAdmin.
async fn resolve(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ConflictView>, ApiError> {
    let after = conflicts::resolve(&state, &auth.actor, id).await?;
    Ok(Json(view(&state, &after, &auth.actor)))
}
