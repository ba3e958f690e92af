//! `PATCH /api/v1/clients/{id}/intake`: changes one intake field under R-1, the use case
//! `services::intake::change_intake` (the shared `check_single_answer_change`, the old value kept
//! in `intake_history` (P-3), who set the new one, and the agreed data conflicts this update
//! carries out, resolved).

use crate::error::ApiError;
use crate::extract::Json;
use crate::extract::PathId;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::intake;
use crate::state::AppState;
use axum::extract::State;
use shared::api::endpoints as ep;
use shared::api::resolution::{DocumentationRequest, IntakeChangeRequest, IntakeChangeResponse};
use shared::{ClientId, DocumentationType, Field};

// ---- OpenAPI: the operation and its examples -------------------------------------------------

crate::documented!(ep::ChangeIntake {
    request: IntakeChangeRequest = IntakeChangeRequest {
            field: "date_of_birth".into(),
            value: Some("1988-04-21".into()),
            documentation: Some(DocumentationRequest {
                document: "birth_certificate".into(),
                attachment_id: Some(88),
            }),
        };
    response: IntakeChangeResponse = IntakeChangeResponse {
            field: Field::DateOfBirth,
            decision: shared::Decision::allow(shared::Reason::Documented {
                document: DocumentationType::BirthCertificate,
            }),
            resolved_conflicts: vec![shared::notify::ConflictId(7)],
        };
});

pub fn router() -> Api {
    Api::new().at::<ep::ChangeIntake, _>(change)
}

async fn change(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<IntakeChangeRequest>,
) -> Result<Json<IntakeChangeResponse>, ApiError> {
    let changed = intake::change_intake(&state, &auth.actor, ClientId(id), &req).await?;
    Ok(Json(changed))
}
