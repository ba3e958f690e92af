//! Sessions and sign-in failures: the `sessions` table (by token hash, never the token) and the
//! lockout counters on `users`.

use super::{parse_ts, ts, Pool};
use chrono::NaiveDateTime;
use shared::UserId;
use sqlx::AnyConnection;

/// A successful sign-in: clears the failure count and any lock.
pub async fn clear_failures(pool: &Pool, user: UserId) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(user.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// A failed sign-in: counts it (in the database, so concurrent failures all count) and returns
/// the new failure count.
pub async fn add_failure(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<i64> {
    let (failures,): (i64,) = sqlx::query_as(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
    )
    .bind(user.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(failures)
}

/// Locks sign-in for `user` until `until` (the back-off the failure count led to).
pub async fn lock_until(
    conn: &mut AnyConnection,
    user: UserId,
    until: NaiveDateTime,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET locked_until = $1 WHERE id = $2")
        .bind(ts(until))
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert(
    pool: &Pool,
    token_hash: &str,
    user: UserId,
    now: NaiveDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user.0)
    .bind(ts(now))
    .bind(ts(now))
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn delete(pool: &Pool, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Deletes every session of `user` but the one with hash `keep` (empty: none kept).
pub async fn delete_all_but(pool: &Pool, user: UserId, keep: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.0)
        .bind(keep)
        .execute(pool)
        .await?;
    Ok(())
}

/// A stored session: its user, when it began and when it was last seen.
pub async fn find(
    pool: &Pool,
    token_hash: &str,
) -> sqlx::Result<Option<(UserId, NaiveDateTime, NaiveDateTime)>> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    row.map(|(user, created, seen)| Ok((UserId(user), parse_ts(&created)?, parse_ts(&seen)?)))
        .transpose()
}

/// Moves a session's idle timer.
pub async fn touch(pool: &Pool, token_hash: &str, now: NaiveDateTime) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(ts(now))
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}
