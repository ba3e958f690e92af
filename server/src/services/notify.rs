//! Notifications: stored for each recipient user (the in-app inbox) and, when SMTP is
//! configured, emailed by the delivery loop with retries and back-off. Every message is built by
//! `shared::notify::Notification` and rendered by its `render`; nothing else writes one, so a
//! client appears by HMIS number only. Logs name the notification id and user id, never content.

use crate::db::notifications as q;
use crate::state::AppState;
use chrono::{Duration, NaiveDateTime};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use shared::notify::{AccountNotice, Notification};
use sqlx::AnyConnection;

/// After this many failed attempts an email is marked failed and no longer retried.
pub const MAX_EMAIL_ATTEMPTS: i64 = 8;

/// The wait before retry number `attempts + 1`: 1, 2, 4, ... minutes, at most six hours.
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(0, 16)).unwrap_or(16);
    Duration::minutes((1i64 << exp).min(360))
}

/// Stores `n` for every user its recipient stands for (inbox + outbox); returns the row ids.
pub async fn enqueue(
    conn: &mut AnyConnection,
    n: &Notification,
    now: NaiveDateTime,
) -> sqlx::Result<Vec<i64>> {
    let names = q::org_namer(conn).await?;
    let (subject, body) = n.render(&names);
    let mut ids = Vec::new();
    for user in q::recipients(conn, n.recipient).await? {
        let id = q::insert(conn, user, n, &subject, &body, now).await?;
        tracing::info!(notification = id, user = user.0, "notification queued");
        ids.push(id);
    }
    Ok(ids)
}

/// Stores the notifications `ns` (one message to several recipients) once for each user they
/// stand for: a user two recipients name (an AgencyAdmin who is also the one user addressed)
/// gets one. Returns the row ids.
pub async fn enqueue_once_each(
    conn: &mut AnyConnection,
    ns: &[Notification],
    now: NaiveDateTime,
) -> sqlx::Result<Vec<i64>> {
    let names = q::org_namer(conn).await?;
    let mut seen = std::collections::BTreeSet::new();
    let mut ids = Vec::new();
    for n in ns {
        let (subject, body) = n.render(&names);
        for user in q::recipients(conn, n.recipient).await? {
            if !seen.insert(user) {
                continue;
            }
            let id = q::insert(conn, user, n, &subject, &body, now).await?;
            tracing::info!(notification = id, user = user.0, "notification queued");
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Stores a notice about a user's own account in the outbox (not for a disabled user); returns
/// the row id. It is emailed by [`deliver_pending`] like any notification.
pub async fn enqueue_account(
    conn: &mut AnyConnection,
    n: &AccountNotice,
    now: NaiveDateTime,
) -> sqlx::Result<Option<i64>> {
    let to = shared::notify::Recipient::User { user: n.user };
    if q::recipients(conn, to).await?.is_empty() {
        return Ok(None);
    }
    let names = q::org_namer(conn).await?;
    let (subject, body) = n.render(&names);
    let id = q::insert_account_notice(conn, n, &subject, &body, now).await?;
    tracing::info!(notification = id, user = n.user.0, "account notice queued");
    Ok(Some(id))
}

fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let rest = url
        .strip_prefix("smtp://")
        .ok_or("HEARTH_SMTP_URL must look like smtp://host:port")?;
    let rest = rest.trim_end_matches('/');
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| "bad SMTP port")?),
        None => (rest, 25),
    };
    Ok(
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build(),
    )
}

/// Sends the due emails of the outbox once; returns how many were sent. Without SMTP
/// configured it sends nothing (the rows stay pending for when it is).
pub async fn deliver_pending(state: &AppState) -> sqlx::Result<usize> {
    let Some(url) = state.config.mail.smtp_url.clone() else {
        return Ok(0);
    };
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let due = q::due_emails(&mut conn, now, 50).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let mailer = transport(&url);
    let from: Result<Mailbox, _> = state.config.mail.from.parse();
    let mut sent = 0;
    for email in due {
        let result = async {
            let mailer = mailer.as_ref().map_err(|e| (*e).to_owned())?;
            let from = from
                .clone()
                .map_err(|_| "bad HEARTH_MAIL_FROM".to_owned())?;
            let to: Mailbox = email
                .to
                .parse()
                .map_err(|_| "bad recipient address".to_owned())?;
            let message = lettre::Message::builder()
                .from(from)
                .to(to)
                .subject(email.subject.clone())
                .header(ContentType::TEXT_PLAIN)
                .body(email.body.clone())
                .map_err(|e| format!("message: {e}"))?;
            mailer
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| format!("smtp: {e}"))
        }
        .await;
        match result {
            Ok(()) => {
                q::mark_sent(&mut conn, email.id, now).await?;
                tracing::info!(notification = email.id, user = email.user.0, "email sent");
                sent += 1;
            }
            Err(error) => {
                let attempts = email.attempts + 1;
                let retry = (attempts < MAX_EMAIL_ATTEMPTS).then(|| now + backoff(attempts - 1));
                q::mark_failed(&mut conn, email.id, &error, retry).await?;
                tracing::warn!(
                    notification = email.id,
                    user = email.user.0,
                    attempts,
                    "email not sent"
                );
            }
        }
    }
    Ok(sent)
}

/// Stores every notification in `ns` (convenience for the workflows).
pub async fn enqueue_all(
    conn: &mut AnyConnection,
    ns: &[Notification],
    now: NaiveDateTime,
) -> sqlx::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for n in ns {
        ids.extend(enqueue(conn, n, now).await?);
    }
    Ok(ids)
}
