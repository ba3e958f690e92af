//! `/api/v1/notifications`: the caller's in-app inbox (R-13: clients by HMIS number only).

use crate::auth::AuthUser;
use crate::db::notifications as q;
use crate::error::ApiError;
use crate::routes::PathId;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use shared::api::resolution::NotificationList;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/{id}/read", post(read))
}

/// The caller's notifications, newest first (at most 200), and the unread count.
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<axum::Json<NotificationList>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let (unread, items) = q::of_user(&mut conn, auth.actor.user, 200).await?;
    Ok(axum::Json(NotificationList { unread, items }))
}

/// Marks one of the caller's notifications read; another user's answers 404.
async fn read(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let mut conn = state.pool.acquire().await?;
    if q::mark_read(&mut conn, auth.actor.user, id, state.clock.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
