//! `/api/v1/clients/{id}/conflicts` and `/api/v1/conflicts`: data conflicts and the
//! steps of every conflict, entry/exit ones included: contact attempts, agreement,
//! escalation, resolution. The shared state machine decides every step.

use crate::auth::AuthUser;
use crate::db::resolution::{self as q, ConflictFilter};
use crate::db::AuditEntry;
use crate::error::ApiError;
use crate::example;
use crate::openapi::Op;
use crate::resolution::{apply_step, may_see, parse_enum, stored_value, view};
use crate::routes::Json;
use crate::routes::PathId;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
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

/// A date of the demo's calendar (today is 2026-11-22).
pub(super) fn ex_date(day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default()
}

pub(super) fn ex_hmis(n: u32) -> shared::HmisNumber {
    shared::HmisNumber::from_sequence(n).unwrap_or_else(|_| unreachable!())
}

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

/// Statuses of a step on one conflict (a refusal by `can_step` is 403 with its reason; a
/// concurrent change or bad input 422).
const STEP: &[u16] = &[200, 401, 403, 404, 422];

pub const OPERATIONS: &[Op] = &[
    Op {
        method: "post",
        path: "/clients/{id}/conflicts",
        summary: "Record a data conflict (R-2): the client stated a single-answer value that \
            differs from the stored one; the stored value is kept, the conflict is addressed to \
            the agency and user that entered it (notified), and answers 201 with the conflict",
        who: "any signed-in user who may read the client (404 otherwise), never on a value their \
            own agency entered (`new_field_conflict`: 422 `field`)",
        request: Some(example!(
            NewConflictRequest,
            NewConflictRequest {
                field: "date_of_birth".into(),
                stated_value: "1988-04-21".into(),
            }
        )),
        response: Some(example!(OpenConflictView, ex_open())),
        statuses: &[201, 401, 403, 404, 422],
    },
    Op {
        method: "get",
        path: "/conflicts",
        summary: "The data and entry/exit conflicts the caller's agency raised or is addressed \
            (R-2, R-7), newest first; optional `state` (open, agreed, escalated, data_center, \
            resolved), `kind` (field, entry_exit) and `client` (a client id)",
        who: "any signed-in user, for their agency's conflicts; SystemAdmins see all",
        request: None,
        response: Some(example!(Vec<ConflictView>, vec![ex_attempted()])),
        statuses: &[200, 401, 422],
    },
    Op {
        method: "get",
        path: "/conflicts/{id}",
        summary: "One conflict with its contact attempts, and whether the caller may escalate it \
            today or what is still missing (`escalation`, R-3, R-8)",
        who: "users of the two parties and SystemAdmins (`may_see`); anyone else gets 404",
        request: None,
        response: Some(example!(ConflictView, ex_attempted())),
        statuses: &[200, 401, 404],
    },
    Op {
        method: "post",
        path: "/conflicts/{id}/attempts",
        summary: "Log a contact attempt (R-3): when (between the day the conflict was opened and \
            today), how, and the outcome; unanswered ones count toward escalation. Answers 201",
        who: "users of the reporting agency while the conflict is open (`can_step`)",
        request: Some(example!(
            NewAttemptRequest,
            NewAttemptRequest {
                when: "2026-11-20".into(),
                how: "phone".into(),
                outcome: "left_message".into(),
            }
        )),
        response: Some(example!(ConflictView, ex_attempted())),
        statuses: &[201, 401, 403, 404, 422],
    },
    Op {
        method: "post",
        path: "/conflicts/{id}/agree",
        summary: "The parties agree which value is right and which of them updates it (R-3): \
            agreeing on the stored value resolves the conflict at once, on the stated value it \
            is resolved by the updater's `PATCH /clients/{id}/intake`",
        who: "users of either party while the conflict is open or escalated (`can_step`); an \
            entry/exit conflict only on `stored`",
        request: Some(example!(
            AgreeRequest,
            AgreeRequest {
                agreed_value: "stated".into(),
                updater: 2,
            }
        )),
        response: Some(example!(AgreedConflictView, ex_agreed())),
        statuses: STEP,
    },
    Op {
        method: "post",
        path: "/conflicts/{id}/escalate",
        summary: "Escalate (R-3, R-8): once 3 unanswered attempts span 14 days, adds a \
            ProfileNote and tells the addressed agency's AgencyAdmins; an escalated entry/exit \
            conflict goes on to the data center 30 days later (R-8). Refused with 403 and what \
            is still missing before that",
        who: "users of the reporting agency (`can_step`)",
        request: None,
        response: Some(example!(EscalatedConflictView, ex_escalated())),
        statuses: STEP,
    },
    Op {
        method: "post",
        path: "/conflicts/{id}/resolve",
        summary: "Mark a conflict resolved: the data was corrected or confirmed (R-3, R-8)",
        who: "users of either party; SystemAdmins once the data center has it (`can_step`)",
        request: None,
        response: Some(example!(ResolvedConflictView, ex_resolved())),
        statuses: STEP,
    },
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients/{id}/conflicts", post(open))
        .route("/conflicts", get(list))
        .route("/conflicts/{id}", get(one))
        .route("/conflicts/{id}/attempts", post(log_attempt))
        .route("/conflicts/{id}/agree", post(agree))
        .route("/conflicts/{id}/escalate", post(escalate))
        .route("/conflicts/{id}/resolve", post(resolve))
}

async fn audit(
    state: &AppState,
    auth: &AuthUser,
    hmis: &shared::HmisNumber,
    action: &str,
    reason: &str,
) -> Result<(), ApiError> {
    auth.audit(state, Some(hmis), action, reason).await
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
    let client = crate::routes::live_client(&state, &auth.actor, ClientId(id)).await?;
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
    crate::notify::enqueue(&mut tx, &notice, now).await?;
    let stored = q::conflict(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    audit(
        &state,
        &auth,
        &client.hmis_number,
        &format!("open data conflict #{} ({field:?})", id.0),
        &format!("addressed to organization {}", entered_org.0),
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

const STATES: [&str; 5] = ["open", "agreed", "escalated", "data_center", "resolved"];

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
        if !STATES.contains(&s.as_str()) {
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
        .audit(AuditEntry {
            at: state.clock.now(),
            user: auth.actor.user,
            org: auth.actor.org,
            hmis_number: None,
            action: "list conflicts",
            reason: &format!("{} conflicts", found.len()),
        })
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
    audit(
        &state,
        &auth,
        &stored.conflict.hmis_number,
        &format!("read conflict #{id}"),
        "party to the conflict or system administrator",
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
    let name = crate::resolution::step_name(&step);
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
    audit(
        state,
        auth,
        &after.conflict.hmis_number,
        &format!("conflict #{id}: {name}"),
        &format!("{:?}", after.conflict.state),
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
    audit(
        &state,
        &auth,
        &after.conflict.hmis_number,
        &format!("conflict #{id}: log_attempt"),
        &format!("{} attempts", after.attempts.len()),
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
