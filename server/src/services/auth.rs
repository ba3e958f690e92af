//! Authentication: argon2id password hashes, server-side sessions in an HttpOnly SameSite=Strict
//! cookie, lockout after repeated failures, and the `AuthUser` extractor every client route takes.

use crate::cache;
use crate::db::{self, sessions, UserRow};
use crate::error::ApiError;
use crate::password::verify_password;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use shared::notify::{AccountMessage, AccountNotice};
use shared::Actor;

pub const COOKIE: &str = "hearth_session";

/// A 256-bit random session token, hex-encoded.
fn new_token() -> Result<String, ApiError> {
    crate::digest::random_hex::<32>()
}

fn token_hash(token: &str) -> String {
    crate::digest::sha256_hex(token.as_bytes())
}

/// Checks the password, applying lockout with back-off; on success creates a session and returns
/// its token. Unknown users, wrong passwords and locked accounts get the same answer after the
/// same work (one argon2 verification each), so neither the message nor the time it takes tells
/// which usernames exist (P-5); a lockout is told to the account's owner by an account notice.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<(UserRow, String), ApiError> {
    const BAD: ApiError = ApiError::LoginFailed("Wrong username or password.");
    let now = state.clock.now();
    // Usernames are stored lower-case (shared::admin::Username), so sign-in ignores case.
    let Some(user) = db::user_by_username(&state.pool, &username.to_lowercase()).await? else {
        let _ = verify_password(password, DUMMY_HASH);
        return Err(BAD);
    };
    match check_password(state, &user, password).await? {
        PasswordCheck::Locked | PasswordCheck::Wrong => return Err(BAD),
        PasswordCheck::Right => {}
    }
    if user.disabled {
        return Err(ApiError::LoginFailed(
            "This account is disabled. Ask your agency administrator.",
        ));
    }
    sessions::clear_failures(&state.pool, user.id).await?;
    let token = new_token()?;
    sessions::insert(&state.pool, &token_hash(&token), user.id, now).await?;
    Ok((user, token))
}

/// The outcome of [`check_password`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    Right,
    Wrong,
    /// Locked after repeated failures: the password was not even evaluated.
    Locked,
}

/// Checks `user`'s password under the lockout (P-5), for sign-in and for anything else that asks
/// for the current password: a locked account's password is not evaluated, and a wrong one counts
/// as a failure (the policy's lockout, `PolicyConfig::lockout_seconds`: by default 5 failures lock
/// it for 60 s, doubling with each further failure up to one hour).
pub async fn check_password(
    state: &AppState,
    user: &UserRow,
    password: &str,
) -> Result<PasswordCheck, ApiError> {
    let now = state.clock.now();
    // Evaluated even when locked, and its result ignored then: a locked account costs the same
    // time as any other answer.
    let right = verify_password(password, &user.password_hash);
    if shared::policy::is_locked(user.locked_until, now) {
        return Ok(PasswordCheck::Locked);
    }
    if right {
        return Ok(PasswordCheck::Right);
    }
    let mut tx = db::begin_write(&state.pool).await?;
    let failures = sessions::add_failure(&mut tx, user.id).await?;
    let failures = u32::try_from(failures).unwrap_or(u32::MAX);
    if let Some(secs) = state.policy.lockout_seconds(failures) {
        let until = now + chrono::Duration::seconds(i64::from(secs));
        sessions::lock_until(&mut tx, user.id, until).await?;
        let notice = AccountNotice {
            user: user.id,
            message: AccountMessage::SignInLocked { failures, until },
        };
        crate::services::notify::enqueue_account(&mut tx, &notice, now).await?;
    }
    tx.commit().await?;
    Ok(PasswordCheck::Wrong)
}

/// An argon2id hash of a random string, verified against when the username is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3Sxe8TsvoWmMOIbRj3NshXEHTQ7HK/Z3WlvYMhEdfNY";

pub async fn logout(state: &AppState, token: &str) -> Result<(), ApiError> {
    sessions::delete(&state.pool, &token_hash(token)).await?;
    Ok(())
}

/// Ends every session of `user` except the one whose token is `keep` (P-5: disabling a user or
/// changing a password ends its sessions at once).
pub async fn end_sessions(
    pool: &db::Pool,
    user: shared::UserId,
    keep: Option<&str>,
) -> Result<(), ApiError> {
    let keep = keep.map(token_hash).unwrap_or_default();
    sessions::delete_all_but(pool, user, &keep).await?;
    Ok(())
}

/// The `Set-Cookie` value for a new session, or for clearing it (`token` empty).
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let max_age = if token.is_empty() {
        "; Max-Age=0".to_owned()
    } else {
        String::new()
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}{max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("hearth_session=; Path=/; Max-Age=0"))
}

pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == COOKIE && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

/// A signed-in user. Extracting it checks the session's idle and absolute timeouts and that the
/// user is still enabled, and refreshes the idle timer.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: UserRow,
    pub actor: Actor,
    pub token: String,
    /// The cache epoch the session was checked at (`cache`).
    pub epoch: i64,
}

/// How often a busy session's idle timer is written back.
const TOUCH_INTERVAL: chrono::Duration = chrono::Duration::seconds(30);

/// The session cookie's token, not yet checked. Only [`SessionToken::check`] turns it into an
/// [`AuthUser`]: extracting `AuthUser` checks at once (reading the cache epoch first); the profile
/// route reads the epoch in the same query as the client's version and checks with it.
pub struct SessionToken {
    token: String,
    hash: String,
}

impl FromRequestParts<AppState> for SessionToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        let token = token_from_headers(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(&token);
        Ok(Self { token, hash })
    }
}

/// The configured idle and absolute timeouts (P-5).
fn timeouts(state: &AppState) -> Result<(chrono::Duration, chrono::Duration), ApiError> {
    let idle = chrono::Duration::from_std(state.config.idle_timeout)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let absolute = chrono::Duration::from_std(state.config.absolute_timeout)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((idle, absolute))
}

impl SessionToken {
    /// How long the session has left, `(idle, absolute)` (`shared::policy::session_time_left`),
    /// read from the database; unlike [`SessionToken::check`] it never moves the idle timer, so
    /// asking on a timer does not keep an unattended session alive. A session that has timed
    /// out, or whose user is disabled, is ended and answers 401.
    pub async fn time_left(
        self,
        state: &AppState,
    ) -> Result<(chrono::Duration, chrono::Duration), ApiError> {
        let now = state.clock.now();
        let (idle, absolute) = timeouts(state)?;
        let (user_id, created_at, last_seen_at) = sessions::find(&state.pool, &self.hash)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        let enabled = db::user_by_id(&state.pool, user_id)
            .await?
            .is_some_and(|u| !u.disabled);
        if !enabled
            || shared::policy::session_timed_out(created_at, last_seen_at, now, idle, absolute)
        {
            sessions::delete(&state.pool, &self.hash).await?;
            return Err(ApiError::Unauthorized);
        }
        Ok(shared::policy::session_time_left(
            created_at,
            last_seen_at,
            now,
            idle,
            absolute,
        ))
    }

    /// The signed-in user, if the session exists, has not timed out, and its user is enabled, as
    /// the database has them at cache `epoch` (read by the caller just before).
    pub async fn check(self, state: &AppState, epoch: i64) -> Result<AuthUser, ApiError> {
        let now = state.clock.now();
        let (idle, absolute) = timeouts(state)?;
        let expired = |created_at, last_seen_at| {
            shared::policy::session_timed_out(created_at, last_seen_at, now, idle, absolute)
        };
        // A kept copy at this epoch is exact but for the idle timer, which other instances may
        // have moved since: it can only be later than the copy's. So a copy that is still
        // within its timeouts is trusted; one that looks timed out is checked in the database.
        let session = match state.cache.session(&self.hash, epoch) {
            Some(s) if !expired(s.created_at, s.last_seen_at) => s,
            _ => {
                let (user_id, created_at, last_seen_at) = sessions::find(&state.pool, &self.hash)
                    .await?
                    .ok_or(ApiError::Unauthorized)?;
                let user = db::user_by_id(&state.pool, user_id).await?;
                let Some(user) = user.filter(|u| !u.disabled && !expired(created_at, last_seen_at))
                else {
                    sessions::delete(&state.pool, &self.hash).await?;
                    return Err(ApiError::Unauthorized);
                };
                let session = cache::Session {
                    epoch,
                    user,
                    created_at,
                    last_seen_at,
                };
                state.cache.put_session(self.hash.clone(), session.clone());
                session
            }
        };
        // The idle timer moves at most every TOUCH_INTERVAL: one write per session per interval
        // instead of one per request; a session may end up to that much before its full idle time.
        if now - session.last_seen_at >= TOUCH_INTERVAL {
            sessions::touch(&state.pool, &self.hash, now).await?;
            state.cache.touch_session(&self.hash, now);
        }
        let user = session.user;
        let actor = Actor {
            user: user.id,
            org: user.org,
            role: user.role,
        };
        Ok(AuthUser {
            user,
            actor,
            token: self.token,
            epoch,
        })
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = SessionToken::from_request_parts(parts, state).await?;
        let epoch = state.versions(None).await?.epoch;
        token.check(state, epoch).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p5_session_tokens_carry_256_random_bits() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn session_cookie_is_read_back_from_a_cookie_header() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; hearth_session=abc; b=2"),
        );
        assert_eq!(token_from_headers(&h).as_deref(), Some("abc"));
    }
}
