//! Reads: a client's records of one kind, the head-of-household checklist, one record.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::services::auth::AuthUser;
use crate::services::records::lists;
use crate::state::AppState;
use axum::extract::State;
use shared::api::records::*;
use shared::{ClientId, RecordKind};

/// `GET /clients/{id}/{kind}`: the records of one kind the caller may read, each with its reason,
/// and nothing about the others unless the policy's notice is on (S-9). Tombstones are shown to SystemAdmins only (P-3).
pub(super) async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    id: i64,
    kind: RecordKind,
) -> Result<Json<RecordList>, ApiError> {
    Ok(Json(lists::list(&state, &auth, ClientId(id), kind).await?))
}

/// `GET /clients/{id}/checklist`: the R-9 document checklist of a head of household and the
/// R-10 case-manager gaps, computed by the shared rules from the records the caller may read.
pub(super) async fn checklist(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<Checklist>, ApiError> {
    Ok(Json(lists::checklist(&state, &auth, ClientId(id)).await?))
}

/// `GET /records/{id}`: one record, 404 when missing or unreadable.
pub(super) async fn get_record(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<RecordItem>, ApiError> {
    Ok(Json(lists::get_record(&state, &auth, id).await?))
}
