//! `/api/v1/clients/{id}/conflicts` and `/api/v1/conflicts`: data conflicts and the
//! steps of every conflict, entry/exit ones included: contact attempts, agreement,
//! escalation, resolution. The shared state machine decides every step.

use crate::db::resolution::{self as q, ConflictFilter};
use crate::db::AuditEntry;
use crate::error::ApiError;
use crate::extract::Json;
use crate::extract::PathId;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::resolution::{apply_step, may_see, parse_enum, stored_value, view};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shared::api::endpoints as ep;
use shared::api::resolution::{
    AgreeRequest, AttemptView, ConflictView, ContactOutcome, NewAttemptRequest, NewConflictRequest,
};
use shared::intake::parse_intake_value;
use shared::notify::ConflictId;
use shared::resolution::{
    check_attempt, new_field_conflict, next_escalation, parse_agreement, parse_conflict_field,
    parse_conflict_stored, resolves_on_agreement, AgreedValue, ConflictState, ConflictStep,
    ConflictSubject, ContactAttempt, ContactMethod,
};
use shared::{ClientId, Decision, Field, OrgId, ParseError, Reason, RecordId, UserId};

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
    let field = parse_conflict_field(Field::parse(&req.field)?, &state.policy)?;
    let today = state.clock.today();
    let now = state.clock.now();
    let stated = parse_intake_value(field, &req.stated_value, today, "stated_value")?;
    let client = crate::services::access::live_client(&state, &auth.actor, ClientId(id)).await?;
    let stored = stored_value(&client, field);
    let stored = parse_conflict_stored(stored.as_deref())?;
    let mut tx = state.pool.begin().await?;
    let (entered_org, entered_user) = q::field_provenance(&mut tx, client.id, field)
        .await?
        .unwrap_or((client.meta.provenance.org, client.meta.provenance.author));
    let build = |id| {
        new_field_conflict(
            &auth.actor,
            id,
            client.id,
            client.hmis_number.clone(),
            field,
            stored,
            &stated,
            entered_org,
            Some(entered_user),
            today,
        )
        .map_err(|e| match e.field.as_str() {
            "stated" => ParseError::new("stated_value", e.reason),
            _ => e,
        })
    };
    let (draft, _) = build(ConflictId(0))?;
    let id = q::insert_conflict(&mut tx, &draft, None, now).await?;
    let (_, notice) = build(id)?;
    crate::services::notify::enqueue(&mut tx, &notice, now).await?;
    let stored = q::conflict(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("open data conflict #{} ({})", id.0, field.as_str()),
                format!("addressed to organization {}", entered_org.0),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, &stored, &auth.actor)),
    ))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    state: Option<String>,
    kind: Option<String>,
    client: Option<i64>,
}

/// The caller's organization's conflicts, raised and addressed (a SystemAdmin: all), newest
/// first; `?state=open|agreed|escalated|data_center|resolved`, `?kind=field|entry_exit`,
/// `?client=ID`.
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<ConflictView>>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    if let Some(s) = &query.state {
        if !ConflictState::NAMES.contains(&s.as_str()) {
            return Err(ApiError::validation(
                "state",
                "use open, agreed, escalated, data_center or resolved",
            ));
        }
    }
    if let Some(k) = &query.kind {
        if k != "field" && k != "entry_exit" {
            return Err(ApiError::validation("kind", "use field or entry_exit"));
        }
    }
    let filter = ConflictFilter {
        org: shared::agency_scope(&auth.actor).org(),
        state: query.state,
        kind: query.kind,
        client: query.client.map(ClientId),
        field: None,
    };
    let mut conn = state.pool.acquire().await?;
    let found = q::conflicts(&mut conn, &filter).await?;
    drop(conn);
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            "list conflicts",
            format!("{} conflicts", found.len()),
        ))
        .await?;
    Ok(Json(
        found.iter().map(|c| view(&state, c, &auth.actor)).collect(),
    ))
}

/// Loads a conflict the caller may see (404 otherwise).
async fn load(
    conn: &mut sqlx::AnyConnection,
    auth: &AuthUser,
    id: i64,
) -> Result<q::StoredConflict, ApiError> {
    q::conflict(conn, ConflictId(id))
        .await?
        .filter(|c| may_see(&c.conflict, &auth.actor))
        .ok_or(ApiError::NotFound)
}

async fn one(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ConflictView>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let stored = load(&mut conn, &auth, id).await?;
    drop(conn);
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("read conflict #{id}"),
                "party to the conflict or system administrator",
            )
            .client(Some(&stored.conflict.hmis_number)),
        )
        .await?;
    Ok(Json(view(&state, &stored, &auth.actor)))
}

/// Takes one step in a transaction and answers with the conflict's new view.
async fn take_step(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    make: impl FnOnce(&q::StoredConflict) -> Result<ConflictStep, ApiError>,
    then_resolve: impl FnOnce(&ConflictStep) -> bool,
) -> Result<Json<ConflictView>, ApiError> {
    let mut tx = state.pool.begin().await?;
    let stored = load(&mut tx, auth, id).await?;
    let step = make(&stored)?;
    let resolve_after = then_resolve(&step);
    let name = step.as_str();
    let applied = apply_step(&mut tx, state, &stored, &auth.actor, step).await?;
    if resolve_after {
        let next = q::StoredConflict {
            conflict: applied.conflict.clone(),
            ..stored.clone()
        };
        apply_step(&mut tx, state, &next, &auth.actor, ConflictStep::Resolve).await?;
    }
    let after = q::conflict(&mut tx, ConflictId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("conflict #{id}: {name}"),
                after.conflict.state.as_str(),
            )
            .client(Some(&after.conflict.hmis_number)),
        )
        .await?;
    Ok(Json(view(state, &after, &auth.actor)))
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
    let today = state.clock.today();
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let stored = load(&mut tx, &auth, id).await?;
    let attempt = ContactAttempt {
        on: when,
        method: how,
        by: auth.actor.user,
        outcome: outcome.outcome(),
    };
    check_attempt(
        &stored.conflict,
        &auth.actor,
        &attempt,
        today,
        &state.policy,
    )?;
    let step = ConflictStep::LogAttempt { attempt };
    q::insert_attempt(
        &mut tx,
        stored.conflict.id,
        when,
        how,
        outcome,
        (auth.actor.org, auth.actor.user),
        now,
    )
    .await?;
    apply_step(&mut tx, &state, &stored, &auth.actor, step).await?;
    let after = q::conflict(&mut tx, ConflictId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("conflict #{id}: log_attempt"),
                format!("{} attempts", after.attempts.len()),
            )
            .client(Some(&after.conflict.hmis_number)),
        )
        .await?;
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
    take_step(
        &state,
        &auth,
        id,
        |stored| Ok(parse_agreement(&stored.conflict, value, updater)?),
        resolves_on_agreement,
    )
    .await
}

/// escalates to the addressed agency's AgencyAdmins once the shared thresholds are
/// met (403 with what is still missing otherwise); adds the ProfileNote. An entry/exit conflict
/// already escalated goes on to the data center 30 days later (also done by the daily job).
async fn escalate(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ConflictView>, ApiError> {
    take_step(
        &state,
        &auth,
        id,
        |stored| Ok(next_escalation(&stored.conflict)),
        |_| false,
    )
    .await
}

/// Marks a conflict resolved (the data was corrected or confirmed), by a party or, once at the
/// data center, a SystemAdmin.
async fn resolve(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ConflictView>, ApiError> {
    take_step(&state, &auth, id, |_| Ok(ConflictStep::Resolve), |_| false).await
}
