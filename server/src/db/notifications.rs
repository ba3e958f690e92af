//! Queries of the notification inbox and email outbox: one `notifications` row per
//! recipient user, rendered from a `shared::notify::Notification`.

use super::{parse_ts, ts};
use chrono::NaiveDateTime;
use shared::api::resolution::NotificationView;
use shared::notify::{AccountNotice, Notification, Recipient};
use shared::{HmisNumber, UserId};
use sqlx::{AnyConnection, Row};

fn decode<E: std::error::Error + Send + Sync + 'static>(e: E) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

/// The enabled users a recipient stands for: one user, an agency's AgencyAdmins, or every
/// SystemAdmin (the data center, R-8).
pub async fn recipients(conn: &mut AnyConnection, to: Recipient) -> sqlx::Result<Vec<UserId>> {
    let rows: Vec<(i64,)> =
        match to {
            Recipient::User { user } => {
                sqlx::query_as("SELECT id FROM users WHERE id = $1 AND disabled = 0")
                    .bind(user.0)
                    .fetch_all(&mut *conn)
                    .await?
            }
            Recipient::AgencyAdmins { org } => sqlx::query_as(
                "SELECT id FROM users WHERE org_id = $1 AND role = 'AgencyAdmin' AND disabled = 0
                 ORDER BY id",
            )
            .bind(org.0)
            .fetch_all(&mut *conn)
            .await?,
            Recipient::DataCenter => {
                sqlx::query_as(
                    "SELECT id FROM users WHERE role = 'SystemAdmin' AND disabled = 0 ORDER BY id",
                )
                .fetch_all(&mut *conn)
                .await?
            }
        };
    Ok(rows.into_iter().map(|(u,)| UserId(u)).collect())
}

/// Stores one notification for `user`: in the inbox, and in the outbox when the user has an
/// email address.
pub async fn insert(
    conn: &mut AnyConnection,
    user: UserId,
    n: &Notification,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
) -> sqlx::Result<i64> {
    let payload = serde_json::to_string(n).map_err(decode)?;
    insert_row(conn, user, n.client.as_str(), &payload, subject, body, now).await
}

/// Stores a notice about `n.user`'s own account in the outbox (emailed when the user has an
/// address, like any notification). It names no client: its `hmis_number` is the empty string,
/// which keeps it out of the client-notification inbox (`of_user`).
pub async fn insert_account_notice(
    conn: &mut AnyConnection,
    n: &AccountNotice,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
) -> sqlx::Result<i64> {
    let payload = serde_json::to_string(n).map_err(decode)?;
    insert_row(conn, n.user, "", &payload, subject, body, now).await
}

/// One `notifications` row: pending email when the user has an address, else `no_address`.
async fn insert_row(
    conn: &mut AnyConnection,
    user: UserId,
    hmis_number: &str,
    payload: &str,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO notifications (user_id, hmis_number, payload, subject, body, created_at,
             email_status, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6,
             CASE WHEN (SELECT notify_email FROM users WHERE id = $1) IS NULL
                  THEN 'no_address' ELSE 'pending' END,
             $6)
         RETURNING id",
    )
    .bind(user.0)
    .bind(hmis_number.to_owned())
    .bind(payload.to_owned())
    .bind(subject.to_owned())
    .bind(body.to_owned())
    .bind(ts(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// The user's emails still waiting in the outbox stop waiting (`no_address`) when their address
/// is cleared: they are not sent anywhere (and do not fail eight times against no address). They
/// stay in the inbox. Returns how many.
pub async fn hold_pending_emails(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE notifications SET email_status = 'no_address'
         WHERE user_id = $1 AND email_status = 'pending'",
    )
    .bind(user.0)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// The user's client notifications, newest first, and how many are unread (account notices,
/// which have no HMIS number, are email only).
pub async fn of_user(
    conn: &mut AnyConnection,
    user: UserId,
    limit: i64,
) -> sqlx::Result<(i64, Vec<NotificationView>)> {
    let (unread,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notifications
             WHERE user_id = $1 AND read_at IS NULL AND hmis_number <> ''",
    )
    .bind(user.0)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query(
        "SELECT id, hmis_number, payload, subject, body, created_at, read_at
         FROM notifications WHERE user_id = $1 AND hmis_number <> ''
         ORDER BY id DESC LIMIT $2",
    )
    .bind(user.0)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let items = rows
        .iter()
        .map(|row| {
            let payload: String = row.try_get("payload")?;
            let n: Notification = serde_json::from_str(&payload).map_err(decode)?;
            let hmis: String = row.try_get("hmis_number")?;
            let read_at: Option<String> = row.try_get("read_at")?;
            Ok(NotificationView {
                id: row.try_get("id")?,
                client: HmisNumber::parse(&hmis).map_err(decode)?,
                message: n.message,
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
                created_at: parse_ts(&row.try_get::<String, _>("created_at")?)?,
                read_at: read_at.as_deref().map(parse_ts).transpose()?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok((unread, items))
}

/// Marks the user's notification read (once); false when it is not the user's.
pub async fn mark_read(
    conn: &mut AnyConnection,
    user: UserId,
    id: i64,
    now: NaiveDateTime,
) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM notifications WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.0)
            .fetch_optional(&mut *conn)
            .await?;
    if row.is_none() {
        return Ok(false);
    }
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL")
        .bind(ts(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// An email waiting in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxEmail {
    pub id: i64,
    pub user: UserId,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Pending emails whose next attempt is due.
pub async fn due_emails(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    limit: i64,
) -> sqlx::Result<Vec<OutboxEmail>> {
    let rows = sqlx::query(
        "SELECT n.id, n.user_id, u.notify_email, n.subject, n.body, n.email_attempts
         FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE n.email_status = 'pending' AND n.next_attempt_at <= $1
         ORDER BY n.id LIMIT $2",
    )
    .bind(ts(now))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let to: Option<String> = row.try_get("notify_email")?;
            Ok(OutboxEmail {
                id: row.try_get("id")?,
                user: UserId(row.try_get("user_id")?),
                to: to.unwrap_or_default(),
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
                attempts: row.try_get("email_attempts")?,
            })
        })
        .collect()
}

pub async fn mark_sent(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE notifications SET email_status = 'sent', sent_at = $1,
             email_attempts = email_attempts + 1, last_error = NULL
         WHERE id = $2",
    )
    .bind(ts(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or given up (`failed`) when `None`.
pub async fn mark_failed(
    conn: &mut AnyConnection,
    id: i64,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE notifications SET email_attempts = email_attempts + 1, last_error = $1,
             email_status = CASE WHEN $2 IS NULL THEN 'failed' ELSE 'pending' END,
             next_attempt_at = COALESCE($2, next_attempt_at)
         WHERE id = $3",
    )
    .bind(error)
    .bind(retry_at.map(ts))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Organization names for `Notification::render`.
pub async fn org_namer(conn: &mut AnyConnection) -> sqlx::Result<impl Fn(shared::OrgId) -> String> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM organizations")
        .fetch_all(&mut *conn)
        .await?;
    Ok(move |org: shared::OrgId| {
        rows.iter()
            .find(|(id, _)| *id == org.0)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("agency #{org}"))
    })
}
