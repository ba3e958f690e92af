//! `PATCH /api/v1/clients/{id}/intake`: changes one intake field under R-1 (the shared
//! `check_single_answer_change`), keeps the old value in `intake_history` (P-3), records who set
//! the new one, and resolves the agreed data conflicts this update carries out.

use crate::db::resolution::{self as q, ConflictFilter, IntakeChange};
use crate::db::AuditEntry;
use crate::error::{allow, ApiError};
use crate::extract::Json;
use crate::extract::PathId;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::resolution::{apply_step, parse_enum, stored_value};
use crate::state::AppState;
use axum::extract::State;
use shared::api::endpoints as ep;
use shared::api::resolution::{DocumentationRequest, IntakeChangeRequest, IntakeChangeResponse};
use shared::intake::parse_intake_change;
use shared::resolution::{
    carries_out_agreement, check_single_answer_change, ConflictStep, Documentation,
};
use shared::{ClientId, DocumentationType, Field, RecordId};

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
    let field = Field::parse(&req.field)?;
    let column = q::intake_column(field);
    if column.is_none() && !field.is_contact() {
        return Err(ApiError::validation(
            "field",
            "is not part of the intake: demographics are edited as records",
        ));
    }
    let today = state.clock.today();
    let now = state.clock.now();
    let client = crate::services::access::live_client(&state, &auth.actor, ClientId(id)).await?;
    // The new value, parsed with the shared newtypes; empty clears an optional field.
    let new_value = parse_intake_change(field, req.value.as_deref(), today)?;
    let documentation = match &req.documentation {
        None => None,
        Some(d) => {
            let document: DocumentationType = parse_enum("documentation.document", &d.document)?;
            Some((document, d.attachment_id.map(RecordId)))
        }
    };
    let mut tx = state.pool.begin().await?;
    if let Some((_, Some(attachment))) = documentation {
        if !q::is_attachment_of(&mut tx, client.id, attachment).await? {
            return Err(ApiError::validation(
                "documentation.attachment_id",
                "is not an attachment on this client's profile",
            ));
        }
    }
    let old_value = stored_value(&client, field);
    let old_by = match old_value {
        Some(_) => Some(
            q::field_provenance(&mut tx, client.id, field)
                .await?
                .unwrap_or((client.meta.provenance.org, client.meta.provenance.author)),
        ),
        None => None,
    };
    let offered = documentation.map(|(document, attachment)| Documentation {
        document,
        scan: attachment.map(|a| format!("record #{a}")),
    });
    let decision = check_single_answer_change(
        &auth.actor,
        field,
        old_by.map(|(org, _)| org),
        offered.as_ref(),
        &state.policy,
    );
    let decision = allow(decision)?;
    // Contact fields have no intake column; the shared decision above refused them.
    let Some(column) = column else {
        return Err(ApiError::validation(
            "field",
            "is not part of the intake: contact information is added as rows",
        ));
    };
    let mut resolved = Vec::new();
    if new_value != old_value {
        q::write_intake_field(
            &mut tx,
            IntakeChange {
                client: client.id,
                field,
                column,
                new_value: new_value.as_deref(),
                old_value: old_value.as_deref(),
                old_by,
                at: now,
                by: (auth.actor.org, auth.actor.user),
                decision: &decision.reason.to_string(),
                documentation: documentation.map(|(d, _)| d.as_str().to_owned()),
                attachment: documentation.and_then(|(_, a)| a),
            },
        )
        .await?;
        // an agreed conflict on this field is resolved by the agreed updater writing the
        // agreed (stated) value.
        let agreed = q::conflicts(
            &mut tx,
            &ConflictFilter {
                client: Some(client.id),
                field: Some(field),
                state: Some("agreed".into()),
                ..ConflictFilter::default()
            },
        )
        .await?;
        for c in agreed {
            if carries_out_agreement(&c.conflict, &auth.actor, field, new_value.as_deref()).allowed
            {
                apply_step(&mut tx, &state, &c, &auth.actor, ConflictStep::Resolve).await?;
                resolved.push(c.conflict.id);
            }
        }
    }
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                now,
                &auth.actor,
                format!("change intake field {}", field.as_str()),
                format!(
                    "{}; resolved conflicts {:?}",
                    decision.reason,
                    resolved.iter().map(|c| c.0).collect::<Vec<_>>()
                ),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(Json(IntakeChangeResponse {
        field,
        decision,
        resolved_conflicts: resolved,
    }))
}
