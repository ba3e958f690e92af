//! `/api/v1/session`: sign in, who am I, sign out, how long the session has left (the use cases are `services::session` and
//! `services::auth`).

use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::Api;
use crate::services::auth::{self, AuthUser};
use crate::services::session;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use shared::api::endpoints as ep;
use shared::api::{LoginRequest, OrgName, SessionInfo, SessionTimeLeft};

fn session_example() -> SessionInfo {
    let actor = shared::Actor {
        user: shared::UserId(3),
        org: shared::OrgId(2),
        role: shared::Role::Caseworker,
    };
    SessionInfo {
        user_id: actor.user,
        username: "shelter.cw".into(),
        display_name: "Maria Lopez".into(),
        role: actor.role,
        org: OrgName {
            id: actor.org,
            name: "Bull City Shelter".into(),
        },
        actor,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
        policy: shared::PolicyConfig::default(),
        notify_email: Some("maria.lopez@bullcity.example.org".into()),
        idle_timeout_minutes: 30,
        absolute_timeout_minutes: 12 * 60,
        password_policy: shared::password::PasswordPolicy::default(),
    }
}

crate::documented!(ep::GetSession {
    response: SessionInfo = session_example();
});

crate::documented!(ep::SignIn {
    request: LoginRequest = LoginRequest {
                username: "shelter.cw".into(),
                password: "hearth-demo-2026".into(),
            };
    response: SessionInfo = session_example();
});

crate::documented!(ep::SignOut {});

crate::documented!(ep::GetSessionTimeLeft {
    response: SessionTimeLeft = SessionTimeLeft {
                idle_seconds: 25 * 60,
                absolute_seconds: 9 * 3600,
            };
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::GetSession, _>(me)
        .at::<ep::SignIn, _>(sign_in)
        .at::<ep::SignOut, _>(sign_out)
        .at::<ep::GetSessionTimeLeft, _>(time_left)
}

async fn me(State(state): State<AppState>, auth: AuthUser) -> Result<Json<SessionInfo>, ApiError> {
    Ok(Json(session::session_info(&state, &auth.user).await?))
}

/// `GET /session/time-left`: takes the unchecked token (not `AuthUser`, whose check would move
/// the idle timer).
async fn time_left(
    State(state): State<AppState>,
    token: auth::SessionToken,
) -> Result<Json<SessionTimeLeft>, ApiError> {
    Ok(Json(session::time_left(&state, token).await?))
}

async fn sign_in(
    State(state): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    let username = shared::input::sign_in(&req)?;
    let (info, token) = session::sign_in(&state, username, &req.password).await?;
    Ok((
        [(SET_COOKIE, auth::session_cookie(&state, &token))],
        Json(info),
    )
        .into_response())
}

async fn sign_out(State(state): State<AppState>, auth: AuthUser) -> Result<Response, ApiError> {
    auth::logout(&state, &auth.token).await?;
    Ok((
        axum::http::StatusCode::NO_CONTENT,
        [(SET_COOKIE, auth::session_cookie(&state, ""))],
    )
        .into_response())
}
