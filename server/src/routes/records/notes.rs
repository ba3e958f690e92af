//! Profile notes: `POST /clients/{id}/notes`.

use crate::error::ApiError;
use crate::extract::{parse_body, Json, PathId};
use crate::services::auth::AuthUser;
use crate::services::records::notes;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use shared::api::records::*;
use shared::ClientId;

/// `POST /clients/{id}/notes`.
pub(super) async fn create_note(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NoteInput = parse_body(body)?;
    let it = notes::create_note(&state, &auth, ClientId(id), input).await?;
    Ok((StatusCode::CREATED, Json(it)).into_response())
}
