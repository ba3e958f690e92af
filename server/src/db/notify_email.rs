//! Queries of users' notification email addresses (`users.notify_email`) and their append-only
//! history (`notify_email_history`, P-3). Callers decide who may change whose address
//! (`shared::admin`) and parse it (`shared::admin::EmailAddress`) before calling.

use super::{ts, Pool};
use chrono::NaiveDateTime;
use shared::{Actor, UserId};
use sqlx::AnyConnection;

/// A user's notification email address (`None`: in-app only, or no such user).
pub async fn address(pool: &Pool, user: UserId) -> sqlx::Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT notify_email FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(e,)| e))
}

/// What [`set`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The address was already this one: nothing written.
    Unchanged,
    /// Changed; the old value (kept in the history) was this.
    Changed { old: Option<String> },
}

/// Sets (`Some`) or clears (`None`) `user`'s address in the caller's transaction, keeping the old
/// and new values in `notify_email_history` with who changed it and when. The user's row is
/// locked first (a no-op update), so the old value read is the one replaced even when two changes
/// race, on both backends.
pub async fn set(
    conn: &mut AnyConnection,
    user: UserId,
    new: Option<&str>,
    by: &Actor,
    now: NaiveDateTime,
) -> sqlx::Result<Outcome> {
    sqlx::query("UPDATE users SET notify_email = notify_email WHERE id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    let (old,): (Option<String>,) = sqlx::query_as("SELECT notify_email FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_one(&mut *conn)
        .await?;
    if old.as_deref() == new {
        return Ok(Outcome::Unchanged);
    }
    sqlx::query(
        "INSERT INTO notify_email_history
             (user_id, old_email, new_email, changed_at, changed_by, changed_by_org)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.0)
    .bind(old.clone())
    .bind(new.map(str::to_owned))
    .bind(ts(now))
    .bind(by.user.0)
    .bind(by.org.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE users SET notify_email = $1 WHERE id = $2")
        .bind(new.map(str::to_owned))
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    Ok(Outcome::Changed { old })
}
