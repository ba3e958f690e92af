//! The intake use cases: creating a client (S-1: parsed with the shared intake types, possible
//! duplicates refused unless confirmed, the next HMIS number, provenance, an audit entry by HMIS
//! number only) and changing one intake field under R-1 (`check_single_answer_change`), keeping
//! the old value in `intake_history` (P-3) and resolving the agreed data conflicts the
//! change carries out.

use crate::db::resolution::{self as q, ConflictFilter, IntakeChange};
use crate::db::{self, AuditEntry};
use crate::error::{allow, ApiError};
use crate::services::resolution::{apply_step, parse_enum, stored_value};
use crate::state::AppState;
use shared::api::intake::NewClientRequest;
use shared::api::resolution::{IntakeChangeRequest, IntakeChangeResponse};
use shared::intake::{parse_intake_change, value_source, NewClient};
use shared::notify::ConflictId;
use shared::resolution::{
    carries_out_agreement, check_single_answer_change, ConflictStep, Documentation,
};
use shared::{
    can_create, Actor, ClientId, DocumentationType, Field, HmisNumber, NewRecord, RecordId,
    RecordKind,
};
use sqlx::AnyConnection;

/// What a client intake came to.
#[derive(Debug, Clone)]
pub enum Created {
    /// The client was created (`possible_duplicates` were confirmed as a different person).
    Client {
        id: ClientId,
        hmis_number: HmisNumber,
        possible_duplicates: Vec<HmisNumber>,
    },
    /// Possible duplicates exist and the request did not confirm a new client: nothing was
    /// created (the refusal is audited).
    PossibleDuplicates(Vec<HmisNumber>),
}

/// S-1: `actor` creates a client from `body` (403 unless the shared `can_create` allows an
/// intake record for its agency). With possible duplicates and no `confirm_new` the refusal is
/// audited and nothing is written; otherwise the client gets the next HMIS number and the
/// creation is audited by that number, naming the duplicates confirmed as a different person.
pub async fn create_client(
    state: &AppState,
    actor: &Actor,
    body: &NewClientRequest,
) -> Result<Created, ApiError> {
    let decision = can_create(
        actor,
        &NewRecord {
            client: ClientId(0),
            kind: RecordKind::Intake,
            owner: actor.org,
            security: None,
            default_security: None,
        },
    );
    let decision = allow(decision)?;
    let now = state.clock.now();
    let new = NewClient::parse(body, now.date())?;
    let duplicates = db::intake::possible_duplicates(&state.pool, &new).await?;
    if !duplicates.is_empty() && !body.confirm_new {
        state
            .audit(AuditEntry::new(
                now,
                actor,
                "create client refused",
                format!("{} possible duplicates", duplicates.len()),
            ))
            .await?;
        return Ok(Created::PossibleDuplicates(duplicates));
    }
    let (id, hmis_number) =
        db::intake::insert_client(&state.pool, &new, actor.org, actor.user, now)
            .await?
            .ok_or_else(|| {
                ApiError::conflict("hmis_number", "Could not assign an HMIS number; try again.")
            })?;
    let confirmed: Vec<&str> = duplicates.iter().map(|h| h.as_str()).collect();
    state
        .audit(
            AuditEntry::new(
                now,
                actor,
                "create client",
                if confirmed.is_empty() {
                    decision.reason.to_string()
                } else {
                    format!(
                        "{}; confirmed new despite possible duplicates {}",
                        decision.reason,
                        confirmed.join(", ")
                    )
                },
            )
            .client(Some(&hmis_number)),
        )
        .await?;
    Ok(Created::Client {
        id,
        hmis_number,
        possible_duplicates: duplicates,
    })
}

/// The documentation a change offers: its type and, optionally, the attachment that scans it.
fn documentation(
    req: &IntakeChangeRequest,
) -> Result<Option<(DocumentationType, Option<RecordId>)>, ApiError> {
    match &req.documentation {
        None => Ok(None),
        Some(d) => {
            let document: DocumentationType = parse_enum("documentation.document", &d.document)?;
            Ok(Some((document, d.attachment_id.map(RecordId))))
        }
    }
}

/// resolves each agreed conflict on `field` of `client` that `actor` writing `new_value`
/// carries out (the agreed updater writing the agreed, stated, value); returns their ids. Run
/// inside the change's transaction.
async fn resolve_agreed(
    conn: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    client: ClientId,
    field: Field,
    new_value: Option<&str>,
) -> Result<Vec<ConflictId>, ApiError> {
    let agreed = q::conflicts(
        conn,
        &ConflictFilter {
            client: Some(client),
            field: Some(field),
            state: Some("agreed".into()),
            ..ConflictFilter::default()
        },
    )
    .await?;
    let mut resolved = Vec::new();
    for c in agreed {
        if carries_out_agreement(&c.conflict, actor, field, new_value).allowed {
            apply_step(conn, state, &c, actor, ConflictStep::Resolve).await?;
            resolved.push(c.conflict.id);
        }
    }
    Ok(resolved)
}

/// `actor` changes one intake field of client `id` (404 unless it may read it and it is
/// not tombstoned). The new value is parsed with the shared newtypes (empty clears an optional
/// field); the shared `check_single_answer_change` decides (403 with its reason), given who set
/// the old value and the documentation offered, which must be an attachment on this client. A
/// different value is written with the old one kept in `intake_history`, and every agreed
/// conflict on the field that this change carries out is resolved, all in one
/// transaction; the change is audited after it commits.
pub async fn change_intake(
    state: &AppState,
    actor: &Actor,
    id: ClientId,
    req: &IntakeChangeRequest,
) -> Result<IntakeChangeResponse, ApiError> {
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
    let client = crate::services::access::live_client(state, actor, id).await?;
    // The new value, parsed with the shared newtypes; empty clears an optional field.
    let new_value = parse_intake_change(field, req.value.as_deref(), today)?;
    let documentation = documentation(req)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    if let Some((_, Some(attachment))) = documentation {
        if !q::is_attachment_of(&mut tx, client.id, attachment).await? {
            return Err(ApiError::validation(
                "documentation.attachment_id",
                "is not an attachment on this client's profile",
            ));
        }
    }
    let old_value = stored_value(&client, field);
    // the value's source is whoever changed it last, else the intake's creator.
    let old_by = value_source(
        field,
        old_value.is_some(),
        q::field_provenance(&mut tx, client.id, field).await?,
        &client.meta.provenance,
    )
    .map(|s| (s.org, s.user));
    let offered = documentation.map(|(document, attachment)| Documentation {
        document,
        scan: attachment.map(|a| format!("record #{a}")),
    });
    let decision = check_single_answer_change(
        actor,
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
    let resolved = if new_value == old_value {
        Vec::new()
    } else {
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
                by: (actor.org, actor.user),
                decision: &decision.reason.to_string(),
                documentation: documentation.map(|(d, _)| d.as_str().to_owned()),
                attachment: documentation.and_then(|(_, a)| a),
            },
        )
        .await?;
        resolve_agreed(
            &mut tx,
            state,
            actor,
            client.id,
            field,
            new_value.as_deref(),
        )
        .await?
    };
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                now,
                actor,
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
    Ok(IntakeChangeResponse {
        field,
        decision,
        resolved_conflicts: resolved,
    })
}
