//! Idempotency keys (migration 0012): the claim a creating request makes on its key, inside the
//! transaction that stores what it creates, and the first answer stored after it.
//!
//! The HTTP layer runs a keyed request inside `Claim::scope`; `db::begin_write` then calls
//! [`claim`] as the first statement of every write transaction of that request, so the key is
//! claimed exactly when, and only if, something the request writes commits. A second request with
//! the same key cannot claim it (the primary key), and learns so from [`Claim::progress`].

use super::{parse_ts, ts, Pool};
use chrono::NaiveDateTime;
use shared::UserId;
use std::sync::{Arc, Mutex};

tokio::task_local! {
    static CLAIM: Claim;
}

/// What a keyed request claims: its user, method, path and key, the hash of the request and a
/// random token of its own.
#[derive(Debug, Clone)]
pub struct Claim(Arc<ClaimInner>);

#[derive(Debug)]
struct ClaimInner {
    user: UserId,
    method: String,
    path: String,
    key: String,
    hash: String,
    token: String,
    at: NaiveDateTime,
    progress: Mutex<Progress>,
}

/// What happened to a claim while its request ran.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// A write transaction of this request inserted (or found its own) claim row.
    pub claimed: bool,
    /// Another request holds the key: this one's write transaction was refused.
    pub taken: bool,
    /// The first client the request audited (HMIS number), for auditing a replay.
    pub hmis_number: Option<String>,
}

/// The error `begin_write` returns when another request holds the key. The request's handler
/// answers it as an internal error; the HTTP layer replaces that answer (`Progress::taken`).
#[derive(Debug, thiserror::Error)]
#[error("the idempotency key is claimed by another request")]
pub struct KeyTaken;

impl Claim {
    pub fn new(
        user: UserId,
        method: &str,
        path: &str,
        key: &str,
        hash: String,
        token: String,
        at: NaiveDateTime,
    ) -> Self {
        Self(Arc::new(ClaimInner {
            user,
            method: method.to_owned(),
            path: path.to_owned(),
            key: key.to_owned(),
            hash,
            token,
            at,
            progress: Mutex::new(Progress::default()),
        }))
    }

    /// Runs `f` (the request's handler) with this claim in force for its write transactions.
    pub async fn scope<F: std::future::Future>(&self, f: F) -> F::Output {
        CLAIM.scope(self.clone(), f).await
    }

    pub fn progress(&self) -> Progress {
        self.lock().clone()
    }

    pub fn hash(&self) -> &str {
        &self.0.hash
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.0.progress.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The claim of the request being handled, if it carries a key.
pub fn current() -> Option<Claim> {
    CLAIM.try_with(Claim::clone).ok()
}

/// Notes the client an audit entry of the current request concerns (the first one counts).
pub fn note_client(hmis_number: Option<&str>) {
    if let (Some(claim), Some(h)) = (current(), hmis_number) {
        let mut p = claim.lock();
        if p.hmis_number.is_none() {
            p.hmis_number = Some(h.to_owned());
        }
    }
}

/// Claims `c`'s key in the transaction `tx` (its first statement): inserts the row, or finds it
/// already there. A row of this request's own token (an earlier transaction of the same request
/// committed it) is fine; another request's row is [`KeyTaken`]. On PostgreSQL the insert waits
/// for a concurrent claim of the same key to commit or roll back, on SQLite the write lock
/// (`BEGIN IMMEDIATE`) already serializes them.
pub async fn claim(tx: &mut sqlx::AnyConnection, c: &Claim) -> sqlx::Result<()> {
    let i = &c.0;
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, method, path, idem_key, request_hash, token,
                                       created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id, method, path, idem_key) DO NOTHING",
    )
    .bind(i.user.0)
    .bind(i.method.clone())
    .bind(i.path.clone())
    .bind(i.key.clone())
    .bind(i.hash.clone())
    .bind(i.token.clone())
    .bind(ts(i.at))
    .execute(&mut *tx)
    .await?;
    let (token,): (String,) = sqlx::query_as(
        "SELECT token FROM idempotency_keys
         WHERE user_id = $1 AND method = $2 AND path = $3 AND idem_key = $4",
    )
    .bind(i.user.0)
    .bind(i.method.clone())
    .bind(i.path.clone())
    .bind(i.key.clone())
    .fetch_one(&mut *tx)
    .await?;
    let mut p = c.lock();
    if token == i.token {
        p.claimed = true;
        Ok(())
    } else {
        p.taken = true;
        Err(sqlx::Error::Decode(Box::new(KeyTaken)))
    }
}

/// A stored first answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
    pub hmis_number: Option<String>,
}

/// A key as stored: the hash of the request that claimed it, when, and its answer if stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub request_hash: String,
    pub created_at: NaiveDateTime,
    pub answer: Option<Answer>,
}

type StoredRow = (
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The stored row of `user`'s `key` on `method` `path`, if any.
pub async fn find(
    pool: &Pool,
    user: UserId,
    method: &str,
    path: &str,
    key: &str,
) -> sqlx::Result<Option<Stored>> {
    let row: Option<StoredRow> = sqlx::query_as(
        "SELECT request_hash, created_at, status, content_type, body, hmis_number
         FROM idempotency_keys
         WHERE user_id = $1 AND method = $2 AND path = $3 AND idem_key = $4",
    )
    .bind(user.0)
    .bind(method.to_owned())
    .bind(path.to_owned())
    .bind(key.to_owned())
    .fetch_optional(pool)
    .await?;
    let Some((request_hash, created_at, status, content_type, body, hmis_number)) = row else {
        return Ok(None);
    };
    let answer = match (status, body) {
        (Some(status), Some(body)) => Some(Answer {
            status: u16::try_from(status).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            content_type,
            body,
            hmis_number,
        }),
        _ => None,
    };
    Ok(Some(Stored {
        request_hash,
        created_at: parse_ts(&created_at)?,
        answer,
    }))
}

/// Stores the first answer of `c`'s request on its own claim; false if it holds none.
pub async fn store_answer(pool: &Pool, c: &Claim, a: &Answer) -> sqlx::Result<bool> {
    let i = &c.0;
    let done = sqlx::query(
        "UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3, hmis_number = $4
         WHERE user_id = $5 AND method = $6 AND path = $7 AND idem_key = $8 AND token = $9
           AND status IS NULL",
    )
    .bind(i64::from(a.status))
    .bind(a.content_type.clone())
    .bind(a.body.clone())
    .bind(a.hmis_number.clone())
    .bind(i.user.0)
    .bind(i.method.clone())
    .bind(i.path.clone())
    .bind(i.key.clone())
    .bind(i.token.clone())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores claim and answer at once, for a request that wrote outside `begin_write` (a bug the
/// HTTP layer logs): a later retry is still replayed, though the crash window is open.
pub async fn insert_answered(pool: &Pool, c: &Claim, a: &Answer) -> sqlx::Result<()> {
    let i = &c.0;
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, method, path, idem_key, request_hash, token,
                                       created_at, status, content_type, body, hmis_number)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (user_id, method, path, idem_key) DO NOTHING",
    )
    .bind(i.user.0)
    .bind(i.method.clone())
    .bind(i.path.clone())
    .bind(i.key.clone())
    .bind(i.hash.clone())
    .bind(i.token.clone())
    .bind(ts(i.at))
    .bind(i64::from(a.status))
    .bind(a.content_type.clone())
    .bind(a.body.clone())
    .bind(a.hmis_number.clone())
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets `user`'s `key` on `method` `path` if it was claimed before `before` (expired).
pub async fn forget_expired_key(
    pool: &Pool,
    user: UserId,
    method: &str,
    path: &str,
    key: &str,
    before: NaiveDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM idempotency_keys
         WHERE user_id = $1 AND method = $2 AND path = $3 AND idem_key = $4 AND created_at < $5",
    )
    .bind(user.0)
    .bind(method.to_owned())
    .bind(path.to_owned())
    .bind(key.to_owned())
    .bind(ts(before))
    .execute(pool)
    .await?;
    Ok(())
}

/// Deletes every key claimed before `before`; returns how many.
pub async fn delete_expired(pool: &Pool, before: NaiveDateTime) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(ts(before))
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// Drops the stored answers of `user`'s key `key`, leaving the claims: the state a crash between
/// a request's commit and the storing of its answer leaves behind. For the tests of that window.
#[doc(hidden)]
pub async fn lose_answer(pool: &Pool, user: UserId, key: &str) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE idempotency_keys SET status = NULL, content_type = NULL, body = NULL
         WHERE user_id = $1 AND idem_key = $2",
    )
    .bind(user.0)
    .bind(key.to_owned())
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
