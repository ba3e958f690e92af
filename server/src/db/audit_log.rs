//! Reading the audit log (P-4): filtered, newest first, paged by keyset (a cursor entry's
//! `(at, id)`, so every page costs the same however deep it is) or, as before, by offset.
//! Writing stays `db::audit`; the table refuses UPDATE and DELETE in the database, and nothing
//! here tries either.

use super::{parse_ts, Pool};
use chrono::NaiveDateTime;
use shared::api::accounts::AuditEntryView;
use shared::{HmisNumber, OrgId, UserId};
use sqlx::Row;

/// Which side of a cursor entry a keyset page reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The entries after it in the newest-first order (`before=`): older ones.
    Older,
    /// The entries before it (`after=`): newer ones, still returned newest first.
    Newer,
}

/// A keyset cursor: an entry's position in the `(at, id)` order.
#[derive(Debug, Clone, Copy)]
pub struct Cursor {
    pub at: NaiveDateTime,
    pub id: i64,
    pub side: Side,
}

/// Filters of `GET /audit`; `None` matches everything. `before` is exclusive.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub org: Option<OrgId>,
    pub user: Option<UserId>,
    pub hmis_number: Option<HmisNumber>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub before: Option<NaiveDateTime>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
    pub offset: i64,
}

/// The time of entry `id`, if it exists (a keyset cursor's position).
pub async fn at_of(pool: &Pool, id: i64) -> sqlx::Result<Option<NaiveDateTime>> {
    let row = sqlx::query("SELECT at FROM audit_log WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| parse_ts(&r.try_get::<String, _>("at")?))
        .transpose()
}

/// Up to `limit` entries matching `f`, newest first (for a `Newer` cursor: the `limit` entries
/// just newer than it, still newest first).
pub async fn entries(pool: &Pool, f: &AuditFilter) -> sqlx::Result<Vec<AuditEntryView>> {
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    // By client: the client's (user, day) pairs from the register (migration 0011) drive the
    // search, each read through the (user, time) index; otherwise the log itself, through the
    // index of the filter it has (migrations 0002 and 0018), newest first.
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
    if f.action.is_some() {
        sql.push_str(&format!(" AND a.action = {}", next()));
    }
    if f.from.is_some() {
        sql.push_str(&format!(" AND a.at >= {}", next()));
    }
    if f.before.is_some() {
        sql.push_str(&format!(" AND a.at < {}", next()));
    }
    // The cursor as a range on `at` (which every index serves) plus a tie-break on `id` among
    // the entries of the cursor's very instant.
    let order = match f.cursor {
        Some(c) => {
            let (t, id) = (next(), next());
            let (cmp, strict, dir) = match c.side {
                Side::Older => ("<=", "<", "DESC"),
                Side::Newer => (">=", ">", "ASC"),
            };
            sql.push_str(&format!(
                " AND a.at {cmp} {t} AND (a.at {strict} {t} OR a.id {strict} {id})"
            ));
            dir
        }
        None => "DESC",
    };
    let (limit, offset) = (next(), next());
    sql.push_str(&format!(
        " ORDER BY a.at {order}, a.id {order} LIMIT {limit} OFFSET {offset}"
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
    if let Some(a) = &f.action {
        q = q.bind(a.clone());
    }
    if let Some(t) = f.from {
        q = q.bind(super::ts(t));
    }
    if let Some(t) = f.before {
        q = q.bind(super::ts(t));
    }
    if let Some(c) = f.cursor {
        q = q.bind(super::ts(c.at)).bind(c.id);
    }
    let rows = q.bind(f.limit).bind(f.offset).fetch_all(pool).await?;
    let mut out = rows
        .iter()
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
        .collect::<sqlx::Result<Vec<_>>>()?;
    if matches!(
        f.cursor,
        Some(Cursor {
            side: Side::Newer,
            ..
        })
    ) {
        out.reverse();
    }
    Ok(out)
}
