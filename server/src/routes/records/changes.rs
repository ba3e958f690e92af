//! Changes to one record: `PATCH`, `DELETE`, `POST …/end` and `PUT …/security` of
//! `/records/{id}`; each a compare-and-set on the record as read (the use cases:
//! `services::records::changes`).

use crate::error::ApiError;
use crate::extract::{parse_body, Json, PathId};
use crate::services::auth::AuthUser;
use crate::services::records::changes;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;
use shared::api::records::*;

/// `PATCH /records/{id}`: the kind's patch body (see `shared::api::records::*Patch`), read only
/// once the edit is allowed.
pub(super) async fn update_record(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Json<RecordItem>, ApiError> {
    Ok(Json(changes::update_record(&state, &auth, id, body).await?))
}

/// `DELETE /records/{id}`: a tombstone (P-3) where `can_delete` allows; services never.
pub(super) async fn delete_record(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    changes::delete_record(&state, &auth, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /records/{id}/end`: end-dates a contact row, a case-manager assignment
/// or an enrollment (its exit, R-6).
pub(super) async fn end_record(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Json<RecordItem>, ApiError> {
    let input: EndDateInput = parse_body(body)?;
    Ok(Json(changes::end_record(&state, &auth, id, input).await?))
}

/// `PUT /records/{id}/security` (S-5): a form's or attachment's setting, or a service's note
/// setting; lowering below the default needs an AgencyAdmin of the owning agency.
pub(super) async fn set_security(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Json<RecordItem>, ApiError> {
    let input: SecurityInput = parse_body(body)?;
    Ok(Json(changes::set_security(&state, &auth, id, input).await?))
}
