//! Retries are safe: the use cases around an `Idempotency-Key` (`shared::api::idempotency`).
//! Before a keyed creating request runs, [`start`] finds what an earlier request with the key
//! left (its answer is replayed and audited; a different request is 422; a claim without an
//! answer is 409); the request then runs under a `db::idempotency::Claim`, which its write
//! transactions take (`db::begin_write`), and [`finish`] stores its answer. See
//! `docs/decisions.md`, "Retries are safe".

use crate::db::idempotency::{self as q, Answer, Claim};
use crate::db::AuditEntry;
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::api::idempotency::{IdempotencyKey, KEY_HEADER, KEY_LIFETIME_HOURS};

/// One keyed request: its method, its path under `/api/v1`, its key and the hash of the whole
/// request (method, path with query, content type, body).
#[derive(Debug, Clone, Copy)]
pub struct Keyed<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub key: &'a IdempotencyKey,
    pub hash: &'a str,
}

/// What to do with a keyed request.
#[derive(Debug)]
pub enum Start {
    /// No earlier request holds the key: run this one under the claim.
    Run(Claim),
    /// The first request's answer, to send again (already audited).
    Replay(Answer),
}

/// What to answer once the request ran.
#[derive(Debug)]
pub enum Finish {
    /// The request's own answer.
    Keep,
    /// Another request with the key came first and has its answer: send that one (audited).
    Replay(Answer),
}

fn lifetime() -> chrono::Duration {
    chrono::Duration::hours(KEY_LIFETIME_HOURS)
}

fn different_request() -> ApiError {
    ApiError::validation(KEY_HEADER, "was used for a different request")
}

/// 409 for a key whose first request was stored but whose answer is not: lost in a crash
/// between the commit and the storing of the answer, or not written yet.
fn stored_without_answer() -> ApiError {
    ApiError::conflict(
        KEY_HEADER,
        "the first request with this key was stored, but its answer is not available: reload to \
         see what it stored instead of sending it again",
    )
}

fn in_progress() -> ApiError {
    ApiError::conflict(
        KEY_HEADER,
        "another request with this key is being answered: send it again in a moment",
    )
}

/// Looks up `req`'s key for `auth`'s user: what an earlier request with it left decides.
pub async fn start(state: &AppState, auth: &AuthUser, req: Keyed<'_>) -> Result<Start, ApiError> {
    let now = state.clock.now();
    let user = auth.actor.user;
    let key = req.key.as_str();
    if let Some(stored) = q::find(&state.pool, user, req.method, req.path, key).await? {
        if stored.created_at >= now - lifetime() {
            if stored.request_hash != req.hash {
                return Err(different_request());
            }
            let answer = stored.answer.ok_or_else(stored_without_answer)?;
            audit_replay(state, auth, req, &answer).await?;
            return Ok(Start::Replay(answer));
        }
        // Expired and not yet cleaned up by the job: as if it never was.
        let before = now - lifetime();
        q::forget_expired_key(&state.pool, user, req.method, req.path, key, before).await?;
    }
    let token = crate::digest::random_hex::<16>()?;
    Ok(Start::Run(Claim::new(
        user,
        req.method,
        req.path,
        key,
        req.hash.to_owned(),
        token,
        now,
    )))
}

/// Stores the answer (`status`, `content_type`, `body`) of the request that ran under `claim`,
/// if the claim was committed with its write. A request that lost the key to a concurrent one
/// gets that one's answer, or 409 while it has none. A 5xx is not stored (a retry is then told
/// that the first request was stored, which is true when the claim committed). A failure to
/// store is logged, not answered: the write is done, and a retry gets 409, never a second write.
pub async fn finish(
    state: &AppState,
    auth: &AuthUser,
    req: Keyed<'_>,
    claim: &Claim,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Finish, ApiError> {
    let progress = claim.progress();
    if progress.taken {
        let user = auth.actor.user;
        let stored = q::find(&state.pool, user, req.method, req.path, req.key.as_str()).await?;
        let stored = stored.ok_or_else(in_progress)?;
        if stored.request_hash != req.hash {
            return Err(different_request());
        }
        let answer = stored.answer.ok_or_else(in_progress)?;
        audit_replay(state, auth, req, &answer).await?;
        return Ok(Finish::Replay(answer));
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Ok(Finish::Keep);
    };
    let answer = Answer {
        status,
        content_type: content_type.map(str::to_owned),
        body: text.to_owned(),
        hmis_number: progress.hmis_number,
    };
    let stored = if progress.claimed && status < 500 {
        q::store_answer(&state.pool, claim, &answer)
            .await
            .map(|_| ())
    } else if !progress.claimed && (200..300).contains(&status) {
        // A creation that wrote outside `db::begin_write`: still replayed, but not crash-safe.
        tracing::error!(
            method = req.method,
            path = req.path,
            "a keyed creation wrote without db::begin_write: its key was stored after the write"
        );
        q::insert_answered(&state.pool, claim, &answer).await
    } else {
        Ok(())
    };
    if let Err(e) = stored {
        tracing::error!(error = %e, path = req.path, "storing an idempotent answer failed");
    }
    Ok(Finish::Keep)
}

/// A replay returns data (what the first request created), so it is audited like a read (P-4):
/// who, which request, and the client the first request concerned.
async fn audit_replay(
    state: &AppState,
    auth: &AuthUser,
    req: Keyed<'_>,
    answer: &Answer,
) -> Result<(), ApiError> {
    let mut entry = AuditEntry::new(
        state.clock.now(),
        &auth.actor,
        format!("replayed the answer of {} {}", req.method, req.path),
        "same Idempotency-Key and request as the first",
    );
    entry.hmis_number = answer.hmis_number.clone();
    state.audit(entry).await
}

/// Forgets the keys older than `KEY_LIFETIME_HOURS` (the hourly jobs); returns how many.
pub async fn forget_expired(state: &AppState) -> Result<u64, ApiError> {
    let before = state.clock.now() - lifetime();
    Ok(q::delete_expired(&state.pool, before).await?)
}
