//! Forms and assessments under their security settings (S-5): `POST /clients/{id}/forms`.

use crate::error::ApiError;
use crate::extract::{parse_body, Json, PathId};
use crate::services::auth::AuthUser;
use crate::services::records::forms;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use shared::api::records::*;
use shared::ClientId;

/// `POST /clients/{id}/forms` (S-5): the setting defaults to the form type's; lower needs an
/// AgencyAdmin.
pub(super) async fn create_form(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewForm = parse_body(body)?;
    let it = forms::create_form(&state, &auth, ClientId(id), input).await?;
    Ok((StatusCode::CREATED, Json(it)).into_response())
}
