//! Reading the audit log (P-4): filtered, newest first, paged. Writing stays `db::audit`; the
//! table refuses UPDATE and DELETE in the database, and nothing here tries either.

use super::{parse_ts, Pool};
use chrono::NaiveDateTime;
use shared::api::accounts::AuditEntryView;
use shared::{HmisNumber, OrgId, UserId};
use sqlx::Row;

/// Filters of `GET /audit`; `None` matches everything. `before` is exclusive.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub org: Option<OrgId>,
    pub user: Option<UserId>,
    pub hmis_number: Option<HmisNumber>,
    pub from: Option<NaiveDateTime>,
    pub before: Option<NaiveDateTime>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn entries(pool: &Pool, f: &AuditFilter) -> sqlx::Result<Vec<AuditEntryView>> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    // By client: the client's (user, day) pairs from the register (migration 0011) drive the
    // search, each read through the (user, time) index; otherwise the log itself, newest first.
    let mut sql = match f.hmis_number {
        Some(_) => {
            let h = next();
            format!(
                "SELECT a.id, a.at, a.user_id, u.username, a.org_id, a.hmis_number, a.action,
                        a.reason
                 FROM audit_client_days d
                 JOIN audit_log a ON a.user_id = d.user_id AND a.at >= d.day AND a.at < d.next_day
                 LEFT JOIN users u ON u.id = a.user_id
                 WHERE d.hmis_number = {h} AND a.hmis_number = {h}"
            )
        }
        None => "SELECT a.id, a.at, a.user_id, u.username, a.org_id, a.hmis_number, a.action,
                        a.reason
                 FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE 1 = 1"
            .to_owned(),
    };
    if f.org.is_some() {
        sql.push_str(&format!(" AND a.org_id = {}", next()));
    }
    if f.user.is_some() {
        sql.push_str(&format!(" AND a.user_id = {}", next()));
    }
    if f.from.is_some() {
        sql.push_str(&format!(" AND a.at >= {}", next()));
    }
    if f.before.is_some() {
        sql.push_str(&format!(" AND a.at < {}", next()));
    }
    let (limit, offset) = (next(), next());
    sql.push_str(&format!(
        " ORDER BY a.at DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
    ));
    let mut q = sqlx::query(&sql);
    if let Some(h) = &f.hmis_number {
        q = q.bind(h.as_str().to_owned());
    }
    if let Some(o) = f.org {
        q = q.bind(o.0);
    }
    if let Some(u) = f.user {
        q = q.bind(u.0);
    }
    if let Some(t) = f.from {
        q = q.bind(super::ts(t));
    }
    if let Some(t) = f.before {
        q = q.bind(super::ts(t));
    }
    let rows = q.bind(f.limit).bind(f.offset).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let hmis: Option<String> = r.try_get("hmis_number")?;
            Ok(AuditEntryView {
                id: r.try_get("id")?,
                at: parse_ts(&r.try_get::<String, _>("at")?)?,
                user_id: UserId(r.try_get("user_id")?),
                username: r.try_get("username")?,
                org_id: OrgId(r.try_get("org_id")?),
                hmis_number: hmis.as_deref().and_then(|h| HmisNumber::parse(h).ok()),
                action: r.try_get("action")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}
