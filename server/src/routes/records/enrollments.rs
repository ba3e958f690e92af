//! Enrollments, services and case-manager assignments: the records a
//! program's agency creates, `POST /clients/{id}/enrollments`, `/services`, `/case-managers`.

use crate::error::ApiError;
use crate::extract::{parse_body, Json, PathId};
use crate::services::auth::AuthUser;
use crate::services::records::enrollments;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use shared::api::records::*;
use shared::ClientId;

/// `POST /clients/{id}/enrollments`: owned by the program's agency, which must be the
/// caller's.
pub(super) async fn create_enrollment(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewEnrollment = parse_body(body)?;
    let it = enrollments::create_enrollment(&state, &auth, ClientId(id), input).await?;
    Ok((StatusCode::CREATED, Json(it)).into_response())
}

/// `POST /clients/{id}/services`. The case-management note is governed by its own
/// setting, as a form (S-5): lowering it below the case-note default needs an AgencyAdmin.
pub(super) async fn create_service(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewService = parse_body(body)?;
    let it = enrollments::create_service(&state, &auth, ClientId(id), input).await?;
    Ok((StatusCode::CREATED, Json(it)).into_response())
}

/// `POST /clients/{id}/case-managers`: assigned by the program's agency, to one of its
/// users.
pub(super) async fn create_case_manager(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewCaseManager = parse_body(body)?;
    let it = enrollments::create_case_manager(&state, &auth, ClientId(id), input).await?;
    Ok((StatusCode::CREATED, Json(it)).into_response())
}
