//! Forms and assessments under their security settings (S-5).

use super::writes::insert;
use super::{decide, new_record, scope};
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::actions::NewRecord;
use shared::api::records::*;
use shared::records::check_answers;
use shared::{can_create, ClientId, RecordKind};

/// Adds a form to client `id` (S-5): the setting defaults to the form type's; lower needs an
/// AgencyAdmin.
pub async fn create_form(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    input: NewForm,
) -> Result<RecordItem, ApiError> {
    let s = scope(state, auth, id).await?;
    check_answers(&input.answers)?;
    let default = state.policy.default_security_for_form(input.form_type);
    let security = input.security.unwrap_or(default);
    let d = decide(
        state,
        auth,
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
    insert(
        state,
        auth,
        &s,
        RecordKind::Form,
        auth.actor.org,
        Some(security),
        details,
        &d,
        None,
    )
    .await
}
