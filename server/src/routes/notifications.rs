//! `/api/v1/notifications`: the caller's in-app inbox (R-13: clients by HMIS number only).

use crate::db::notifications as q;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDateTime;
use shared::api::endpoints as ep;
use shared::api::resolution::{NotificationList, NotificationView};
use shared::notify::{ConflictId, Message, Notification, Recipient};
use shared::{Field, HmisNumber, OrgId, UserId};

// ---- OpenAPI: the operations and their examples ---------------------------------------------

/// A notification in Lena Fischer's (user 7, Eno River Housing) inbox, rendered by the shared
/// templates: the client by HMIS number only, never a name, date of birth or SSN.
fn ex_notification(
    id: i64,
    hmis: u32,
    message: Message,
    (created, read): (NaiveDateTime, Option<NaiveDateTime>),
) -> NotificationView {
    let client = HmisNumber::from_sequence(hmis).unwrap_or_else(|_| unreachable!());
    let n = Notification::new(Recipient::User { user: UserId(7) }, client, message);
    let (subject, body) = n.render(&|org: OrgId| match org.0 {
        2 => "Bull City Shelter".to_owned(),
        3 => "Eno River Housing".to_owned(),
        4 => "Triangle Outreach Services".to_owned(),
        _ => format!("agency #{}", org.0),
    });
    NotificationView {
        id,
        client: n.client,
        message: n.message,
        subject,
        body,
        created_at: created,
        read_at: read,
    }
}

fn ex_inbox() -> NotificationList {
    let at = |day: u32, h: u32, m: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_default()
    };
    NotificationList {
        unread: 1,
        items: vec![
            ex_notification(
                31,
                1002,
                Message::DataConflictOpened {
                    conflict: ConflictId(7),
                    field: Field::DateOfBirth,
                    by: OrgId(2),
                },
                (at(6, 11, 42), None),
            ),
            ex_notification(
                24,
                1014,
                Message::DataConflictOpened {
                    conflict: ConflictId(5),
                    field: Field::Ssn,
                    by: OrgId(4),
                },
                (at(2, 9, 15), Some(at(2, 13, 30))),
            ),
        ],
    }
}

crate::documented!(ep::ListNotifications {
    response: NotificationList = ex_inbox();
});

crate::documented!(ep::MarkNotificationRead {});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListNotifications, _>(list)
        .at::<ep::MarkNotificationRead, _>(read)
}

/// The caller's notifications, newest first (at most 200), and the unread count.
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<crate::extract::Json<NotificationList>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let (unread, items) = q::of_user(&mut conn, auth.actor.user, 200).await?;
    Ok(crate::extract::Json(NotificationList { unread, items }))
}

/// Marks one of the caller's notifications read; another user's answers 404.
async fn read(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let mut conn = state.pool.acquire().await?;
    if q::mark_read(&mut conn, auth.actor.user, id, state.clock.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
