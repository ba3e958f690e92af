//! `/api/v1/session`: sign in, who am I, sign out.

use crate::auth::{self, AuthUser};
use crate::db::{self, AuditEntry};
use crate::error::ApiError;
use crate::routes::Json;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use shared::api::{LoginRequest, OrgName, SessionInfo};

pub fn router() -> Router<AppState> {
    Router::new().route("/session", get(me).post(sign_in).delete(sign_out))
}

fn info(state: &AppState, user: &db::UserRow) -> SessionInfo {
    SessionInfo {
        user_id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        org: OrgName {
            id: user.org,
            name: user.org_name.clone(),
        },
        actor: shared::Actor {
            user: user.id,
            org: user.org,
            role: user.role,
        },
        today: state.clock.today(),
        policy: state.policy.clone(),
    }
}

async fn me(State(state): State<AppState>, auth: AuthUser) -> axum::Json<SessionInfo> {
    axum::Json(info(&state, &auth.user))
}

async fn sign_in(
    State(state): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    if req.username.trim().is_empty() {
        return Err(ApiError::validation("username", "is required"));
    }
    if req.password.is_empty() {
        return Err(ApiError::validation("password", "is required"));
    }
    let (user, token) = auth::login(&state, req.username.trim(), &req.password).await?;
    db::audit(
        &state.pool,
        AuditEntry {
            at: state.clock.now(),
            user: user.id,
            org: user.org,
            hmis_number: None,
            action: "sign in",
            reason: "password verified",
        },
    )
    .await?;
    let body = axum::Json(info(&state, &user));
    Ok(([(SET_COOKIE, auth::session_cookie(&state, &token))], body).into_response())
}

async fn sign_out(State(state): State<AppState>, auth: AuthUser) -> Result<Response, ApiError> {
    auth::logout(&state, &auth.token).await?;
    Ok((
        axum::http::StatusCode::NO_CONTENT,
        [(SET_COOKIE, auth::session_cookie(&state, ""))],
    )
        .into_response())
}
