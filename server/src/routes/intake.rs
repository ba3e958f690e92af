//! `POST /api/v1/clients`: client intake (S-1). Parses with the shared intake types, warns of
//! possible duplicates (409 unless confirmed), assigns the next HMIS number, records provenance
//! and audits the creation by HMIS number only.

use crate::db::{self, AuditEntry};
use crate::error::{allow, ApiError};
use crate::extract::Json;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::endpoints as ep;
use shared::api::intake::{NewClientRequest, NewClientResponse, PossibleDuplicates};
use shared::intake::{DataQuality, NewClient};
use shared::{can_create, ClientId, HmisNumber, NewRecord, RecordKind};

fn request_example() -> NewClientRequest {
    NewClientRequest {
        first_name: "Jordan".into(),
        middle_name: None,
        last_name: "Ellison".into(),
        date_of_birth: Some("1988-04-17".into()),
        dob_data_quality: DataQuality::Full,
        ssn: Some("4821".into()),
        ssn_data_quality: DataQuality::Partial,
        gender: Some("Man".into()),
        confirm_new: false,
    }
}

fn response_example() -> NewClientResponse {
    NewClientResponse {
        id: ClientId(37),
        hmis_number: HmisNumber::from_sequence(1037).unwrap_or_else(|_| unreachable!()),
        possible_duplicates: vec![],
    }
}

/// The 409 answer when possible duplicates exist and `confirm_new` was not set.
fn duplicates_body(duplicates: Vec<HmisNumber>) -> PossibleDuplicates {
    PossibleDuplicates {
        error: "A client with this name and date of birth already exists. Check these HMIS \
                numbers; if this is a different person, send again with confirm_new."
            .to_owned(),
        field: "confirm_new".to_owned(),
        possible_duplicates: duplicates,
    }
}

crate::documented!(ep::CreateClient {
    request: NewClientRequest = request_example();
    response: NewClientResponse = response_example();
    error 409: PossibleDuplicates = duplicates_body(vec![
        HmisNumber::from_sequence(1001).unwrap_or_else(|_| unreachable!())
    ]);
});

pub fn router() -> Api {
    Api::new().at::<ep::CreateClient, _>(create)
}

async fn create(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewClientRequest>,
) -> Result<Response, ApiError> {
    let decision = can_create(
        &auth.actor,
        &NewRecord {
            client: ClientId(0),
            kind: RecordKind::Intake,
            owner: auth.actor.org,
            security: None,
            default_security: None,
        },
    );
    let decision = allow(decision)?;
    let now = state.clock.now();
    let new = NewClient::parse(&body, now.date())?;
    let duplicates = db::intake::possible_duplicates(&state.pool, &new).await?;
    if !duplicates.is_empty() && !body.confirm_new {
        state
            .audit(AuditEntry::new(
                now,
                &auth.actor,
                "create client refused",
                format!("{} possible duplicates", duplicates.len()),
            ))
            .await?;
        let body = duplicates_body(duplicates);
        return Ok((StatusCode::CONFLICT, Json(body)).into_response());
    }
    let (id, hmis_number) =
        db::intake::insert_client(&state.pool, &new, auth.actor.org, auth.actor.user, now)
            .await?
            .ok_or_else(|| {
                ApiError::conflict("hmis_number", "Could not assign an HMIS number; try again.")
            })?;
    let confirmed: Vec<&str> = duplicates.iter().map(|h| h.as_str()).collect();
    state
        .audit(
            AuditEntry::new(
                now,
                &auth.actor,
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
    Ok((
        StatusCode::CREATED,
        Json(NewClientResponse {
            id,
            hmis_number,
            possible_duplicates: duplicates,
        }),
    )
        .into_response())
}
