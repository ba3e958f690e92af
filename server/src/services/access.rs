//! Which client a request may act on: the one place that turns S-1's read decision on the intake
//! into "this client, or 404" (S-9).

use crate::state::AppState;

/// A client that exists and whose intake `actor` may read (S-1; a tombstone only for
/// SystemAdmins, P-3); anything else is 404 (S-9).
pub async fn readable_client(
    state: &AppState,
    actor: &shared::Actor,
    id: shared::ClientId,
) -> Result<crate::db::ClientRow, crate::error::ApiError> {
    let client = crate::db::client_by_id(&state.pool, id)
        .await?
        .ok_or(crate::error::ApiError::NotFound)?;
    let ctx = shared::SharingContext {
        rois: &[],
        mous: &[],
    };
    let today = state.clock.today();
    crate::error::visible(shared::can_read(
        actor,
        &client.meta,
        &ctx,
        today,
        &state.policy,
    ))?;
    Ok(client)
}

/// As `readable_client`, and not tombstoned: for the routes that change something about it.
pub async fn live_client(
    state: &AppState,
    actor: &shared::Actor,
    id: shared::ClientId,
) -> Result<crate::db::ClientRow, crate::error::ApiError> {
    let client = readable_client(state, actor, id).await?;
    if client.meta.deleted {
        return Err(crate::error::ApiError::NotFound);
    }
    Ok(client)
}
