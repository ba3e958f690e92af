//! The client's demographics set (S-1): created by the first `PUT`, replaced by the next.

use super::changes::apply_update;
use super::writes::insert;
use super::{current_of, decide, new_record, scope, Saved};
use crate::db::records as store;
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::api::records::*;
use shared::{can_create, ClientId, RecordKind};

/// The demographics set of a `PUT` or `PATCH` body, each answer checked as one line of text.
pub(super) fn demographics(input: &DemographicsInput) -> Result<DemographicsDetails, ApiError> {
    Ok(shared::input::demographics(input)?)
}

/// Sets client `id`'s demographics (S-1: any agency): the first set is created, a later one
/// replaces the current set (an edit, keeping the old one in history).
pub async fn put_demographics(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    input: DemographicsInput,
) -> Result<Saved, ApiError> {
    let s = scope(state, auth, id).await?;
    let new = RecordDetails::Demographics(demographics(&input)?);
    match current_of(state, s.client.id, RecordKind::Demographics).await? {
        None => {
            let d = decide(
                state,
                auth,
                &s,
                "create demographics",
                can_create(
                    &auth.actor,
                    &new_record(&s, RecordKind::Demographics, auth.actor.org),
                ),
            )
            .await?;
            let it = insert(
                state,
                auth,
                &s,
                RecordKind::Demographics,
                auth.actor.org,
                None,
                new,
                &d,
                None,
            )
            .await?;
            Ok(Saved::Created(it))
        }
        Some(row) => {
            let old = store::details(&mut *state.pool.acquire().await?, &row.meta).await?;
            let it = apply_update(state, auth, &s, row, old, new).await?;
            Ok(Saved::Replaced(it))
        }
    }
}
