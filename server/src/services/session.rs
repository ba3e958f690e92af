//! The session's use cases: signing in (the password check and session of `services::auth`,
//! audited) and what a session tells the app about its user (`SessionInfo`: who, which agency,
//! today, the policy's numbers, the notification email, the session's timeouts) and how long a
//! session has left (asked without moving its idle timer).

use crate::db::{self, AuditEntry};
use crate::error::ApiError;
use crate::services::auth;
use crate::state::AppState;
use shared::api::{OrgName, SessionInfo, SessionTimeLeft};

/// What the app is told about `user`'s session.
pub async fn session_info(state: &AppState, user: &db::UserRow) -> Result<SessionInfo, ApiError> {
    let notify_email = db::notify_email::address(&state.pool, user.id).await?;
    Ok(SessionInfo {
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
        notify_email,
        idle_timeout_minutes: minutes(state.config.idle_timeout),
        absolute_timeout_minutes: minutes(state.config.absolute_timeout),
        password_policy: state.config.password_policy,
    })
}

fn minutes(d: std::time::Duration) -> u32 {
    u32::try_from(d.as_secs() / 60).unwrap_or(u32::MAX)
}

/// How long the session of `token` has left (P-5), without moving its idle timer.
pub async fn time_left(
    state: &AppState,
    token: auth::SessionToken,
) -> Result<SessionTimeLeft, ApiError> {
    let (idle, absolute) = token.time_left(state).await?;
    Ok(SessionTimeLeft {
        idle_seconds: idle.num_seconds(),
        absolute_seconds: absolute.num_seconds(),
    })
}

/// Signs `username` in with `password` (`auth::login`: lockout, disabled accounts, one answer
/// for unknown users and wrong passwords), audits the sign-in and returns the new session's
/// information and token.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<(SessionInfo, String), ApiError> {
    let (user, token) = auth::login(state, username, password).await?;
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &shared::Actor {
                user: user.id,
                org: user.org,
                role: user.role,
            },
            "sign in",
            "password verified",
        ))
        .await?;
    Ok((session_info(state, &user).await?, token))
}
