//! `/api/v1/entry-exit-conflicts`: the entry/exit conflicts detected among a client's enrollments
//! listed per agency, and opening one addressed to the enrollment's owning agency. Its
//! later steps (attempts, escalation to the AgencyAdmins, the data center) are those of every
//! conflict under `/api/v1/conflicts/{id}`.

use crate::auth::AuthUser;
use crate::db::resolution as q;
use crate::db::{self, AuditEntry};
use crate::error::ApiError;
use crate::resolution::view;
use crate::routes::Json;
use crate::routes::PathId;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use shared::api::resolution::{ConflictView, EntryExitView, OpenEntryExitRequest};
use shared::notify::ConflictId;
use shared::resolution::{new_entry_exit_conflict, ConflictSubject};
use shared::{ClientId, RecordId, Role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/entry-exit-conflicts", get(list))
        .route("/entry-exit-conflicts/{id}/open", post(open))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    client: Option<i64>,
}

/// Current detections involving an enrollment of the caller's agency (a SystemAdmin: all);
/// `?client=ID`: every current detection of that client (enrollments are tier 2, S-2).
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<ListQuery>,
) -> Result<axum::Json<Vec<EntryExitView>>, ApiError> {
    let org = match (query.client, auth.actor.role) {
        (Some(_), _) | (None, Role::SystemAdmin) => None,
        (None, _) => Some(auth.actor.org),
    };
    let mut conn = state.pool.acquire().await?;
    let found = q::detections(&mut conn, org, query.client.map(ClientId)).await?;
    drop(conn);
    db::audit(
        &state.pool,
        AuditEntry {
            at: state.clock.now(),
            user: auth.actor.user,
            org: auth.actor.org,
            hmis_number: found
                .first()
                .map(|d| &d.hmis_number)
                .filter(|_| query.client.is_some()),
            action: "list entry/exit conflicts",
            reason: &format!("{} detections", found.len()),
        },
    )
    .await?;
    Ok(axum::Json(found))
}

/// opens a conflict about `enrollment` (one of the detection's, owned by another agency),
/// addressed to its owning agency, whose AgencyAdmins are told. Answers 201 with the conflict.
async fn open(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<OpenEntryExitRequest>,
) -> Result<(StatusCode, axum::Json<ConflictView>), ApiError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let detection = q::detection(&mut tx, id)
        .await?
        .filter(|d| !d.cleared)
        .ok_or(ApiError::NotFound)?;
    let enrollment = RecordId(req.enrollment);
    let other = if detection.found.first == enrollment {
        detection.found.second
    } else if detection.found.second == Some(enrollment) {
        Some(detection.found.first)
    } else {
        return Err(ApiError::validation(
            "enrollment",
            "is not one of this entry/exit conflict's enrollments",
        ));
    };
    let dates = q::enrollment_dates(&mut tx, detection.client)
        .await?
        .into_iter()
        .find(|e| e.record == enrollment)
        .ok_or_else(|| ApiError::validation("enrollment", "no longer exists"))?;
    let client = db::client_by_id(&state.pool, detection.client)
        .await?
        .ok_or(ApiError::NotFound)?;
    for open in q::open_conflicts_of_detection(&mut tx, id).await? {
        if let Some(c) = q::conflict(&mut tx, open).await? {
            let same = matches!(c.conflict.subject,
                ConflictSubject::EntryExit { enrollment: e, .. } if e == enrollment);
            if same && c.conflict.reporter_org == auth.actor.org {
                return Err(ApiError::validation(
                    "enrollment",
                    format!("your agency already opened conflict #{} about it", open.0),
                ));
            }
        }
    }
    let build = |cid| {
        new_entry_exit_conflict(
            &auth.actor,
            cid,
            client.id,
            client.hmis_number.clone(),
            &dates,
            other,
            detection.found.issue,
            today,
        )
    };
    let (draft, _) = build(ConflictId(0))?;
    let cid = q::insert_conflict(&mut tx, &draft, Some(id), now).await?;
    let (_, notice) = build(cid)?;
    crate::notify::enqueue(&mut tx, &notice, now).await?;
    let stored = q::conflict(&mut tx, cid).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    db::audit(
        &state.pool,
        AuditEntry {
            at: now,
            user: auth.actor.user,
            org: auth.actor.org,
            hmis_number: Some(&client.hmis_number),
            action: &format!(
                "open entry/exit conflict #{} (enrollment #{enrollment})",
                cid.0
            ),
            reason: &format!("addressed to organization {}", dates.org.0),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(view(&state, &stored, &auth.actor)),
    ))
}
