//! Forms and assessments under their security settings (S-5).

use super::{created, decide, insert, new_record, parse_body, scope};
use crate::error::ApiError;
use crate::extract::Json;
use crate::extract::PathId;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde_json::Value;
use shared::actions::NewRecord;
use shared::api::records::*;
use shared::records::check_answers;
use shared::{can_create, ClientId, RecordKind};

/// `POST /clients/{id}/forms` (S-5): the setting defaults to the form type's; lower needs an
/// AgencyAdmin.
pub(super) async fn create_form(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewForm = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    check_answers(&input.answers)?;
    let default = state.policy.default_security_for_form(input.form_type);
    let security = input.security.unwrap_or(default);
    let d = decide(
        &state,
        &auth,
        &s,
        "create form",
        can_create(
            &auth.actor,
            &NewRecord {
                security: Some(security),
                default_security: Some(default),
                ..new_record(&s, RecordKind::Form, auth.actor.org)
            },
        ),
    )
    .await?;
    let details = RecordDetails::Form(FormDetails {
        form_type: input.form_type,
        answers: input.answers,
        security,
    });
    let it = insert(
        &state,
        &auth,
        &s,
        RecordKind::Form,
        auth.actor.org,
        Some(security),
        details,
        &d,
        None,
    )
    .await?;
    Ok(created(it))
}
