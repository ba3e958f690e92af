//! Contact changes: `POST /clients/{id}/contacts`, a new effective-dated row that
//! end-dates the rows it replaces (the use case: `services::records::contacts`).

use crate::error::ApiError;
use crate::extract::{parse_body, Json, PathId};
use crate::services::auth::AuthUser;
use crate::services::records::contacts;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use shared::api::records::*;
use shared::ClientId;

/// `POST /clients/{id}/contacts`: adds a row at the client's direction, end-dates the
/// rows it replaces, and adds the correction note unless declined; 409 if another change
/// replaced those rows first.
pub(super) async fn create_contact(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewContact = parse_body(body)?;
    let result = contacts::create_contact(&state, &auth, ClientId(id), input).await?;
    Ok((StatusCode::CREATED, Json(result)).into_response())
}
