//! The client's demographics set (S-1): created by the first `PUT`, replaced by the next.

use super::changes::apply_update;
use super::{created, current_of, decide, insert, new_record, opt_text, parse_body, scope};
use crate::db::records as store;
use crate::error::ApiError;
use crate::extract::Json;
use crate::extract::PathId;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use shared::api::records::*;
use shared::{can_create, ClientId, RecordKind};

pub(super) fn demographics(input: &DemographicsInput) -> Result<DemographicsDetails, ApiError> {
    Ok(DemographicsDetails {
        ethnicity: opt_text("ethnicity", &input.ethnicity)?,
        race: opt_text("race", &input.race)?,
        religious_preference: opt_text("religious_preference", &input.religious_preference)?,
        citizenship_status: opt_text("citizenship_status", &input.citizenship_status)?,
    })
}

/// `PUT /clients/{id}/demographics` (S-1): any agency; replaces the set, keeping the old one.
pub(super) async fn put_demographics(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: DemographicsInput = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    let new = RecordDetails::Demographics(demographics(&input)?);
    match current_of(&state, s.client.id, RecordKind::Demographics).await? {
        None => {
            let d = decide(
                &state,
                &auth,
                &s,
                "create demographics",
                can_create(
                    &auth.actor,
                    &new_record(&s, RecordKind::Demographics, auth.actor.org),
                ),
            )
            .await?;
            let it = insert(
                &state,
                &auth,
                &s,
                RecordKind::Demographics,
                auth.actor.org,
                None,
                new,
                &d,
                None,
            )
            .await?;
            Ok(created(it))
        }
        Some(row) => {
            let old = store::details(&mut *state.pool.acquire().await?, &row.meta).await?;
            let it = apply_update(&state, &auth, &s, row, old, new).await?;
            Ok(Json(it).into_response())
        }
    }
}
