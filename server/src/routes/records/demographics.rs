//! The client's demographics set (S-1): `PUT /clients/{id}/demographics`, 201 when it creates
//! the first set, 200 when it replaces the current one.

use crate::error::ApiError;
use crate::extract::{parse_body, Json, PathId};
use crate::services::auth::AuthUser;
use crate::services::records::{demographics, Saved};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use shared::api::records::*;
use shared::ClientId;

/// `PUT /clients/{id}/demographics` (S-1): any agency; replaces the set, keeping the old one.
pub(super) async fn put_demographics(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: DemographicsInput = parse_body(body)?;
    Ok(
        match demographics::put_demographics(&state, &auth, ClientId(id), input).await? {
            Saved::Created(it) => (StatusCode::CREATED, Json(it)).into_response(),
            Saved::Replaced(it) => Json(it).into_response(),
        },
    )
}
