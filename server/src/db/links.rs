//! Links between two client records of one person (migration 0021, `shared::links`): append-only
//! rows that unlinking ends, never deletes.

use super::{get_opt_ts, get_ts, ts};
use chrono::NaiveDateTime;
use shared::ids::ClientLinkId;
use shared::links::ClientLink;
use shared::{ClientId, HmisNumber, OrgId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const LINK_SELECT: &str = "SELECT id, client_lo, client_hi, org_id, linked_by, linked_at, \
    ended_at, ended_by FROM client_links";

fn link_from_row(row: &AnyRow) -> sqlx::Result<ClientLink> {
    Ok(ClientLink {
        id: ClientLinkId(row.try_get("id")?),
        clients: [
            ClientId(row.try_get("client_lo")?),
            ClientId(row.try_get("client_hi")?),
        ],
        org: OrgId(row.try_get("org_id")?),
        linked_by: UserId(row.try_get("linked_by")?),
        linked_at: get_ts(row, "linked_at")?,
        ended_at: get_opt_ts(row, "ended_at")?,
        ended_by: row.try_get::<Option<i64>, _>("ended_by")?.map(UserId),
    })
}

/// Takes the link write lock: the first statement of every link write transaction (after
/// `db::begin_write`), so link writes are serialized on both backends and each one decides on
/// what the others committed.
pub async fn lock(conn: &mut AnyConnection) -> sqlx::Result<()> {
    sqlx::query("UPDATE client_link_write_lock SET n = n + 1 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// Every link of a client, live first, then the ended ones, newest first.
pub async fn links_of<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    client: ClientId,
) -> sqlx::Result<Vec<ClientLink>> {
    let sql = format!(
        "{LINK_SELECT} WHERE client_lo = $1 OR client_hi = $1
         ORDER BY CASE WHEN ended_at IS NULL THEN 0 ELSE 1 END, linked_at DESC, id DESC"
    );
    let rows = sqlx::query(&sql).bind(client.0).fetch_all(db).await?;
    rows.iter().map(link_from_row).collect()
}

/// The live link of a client, if any.
pub async fn live_link_of(
    conn: &mut AnyConnection,
    client: ClientId,
) -> sqlx::Result<Option<ClientLink>> {
    let sql =
        format!("{LINK_SELECT} WHERE (client_lo = $1 OR client_hi = $1) AND ended_at IS NULL");
    let row = sqlx::query(&sql)
        .bind(client.0)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(link_from_row).transpose()
}

pub async fn link_by_id<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: ClientLinkId,
) -> sqlx::Result<Option<ClientLink>> {
    let sql = format!("{LINK_SELECT} WHERE id = $1");
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(db).await?;
    row.as_ref().map(link_from_row).transpose()
}

/// Stores a new live link of the pair (`clients` as `shared::links::pair` orders them).
pub async fn insert(
    conn: &mut AnyConnection,
    clients: [ClientId; 2],
    org: OrgId,
    by: UserId,
    at: NaiveDateTime,
) -> sqlx::Result<ClientLinkId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO client_links (client_lo, client_hi, org_id, linked_by, linked_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(clients[0].0)
    .bind(clients[1].0)
    .bind(org.0)
    .bind(by.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(ClientLinkId(id))
}

/// Ends a live link; false when it had ended already (nothing changed).
pub async fn end(
    conn: &mut AnyConnection,
    id: ClientLinkId,
    by: UserId,
    at: NaiveDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE client_links SET ended_at = $1, ended_by = $2 WHERE id = $3 AND ended_at IS NULL",
    )
    .bind(ts(at))
    .bind(by.0)
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The live links among `clients`, each as the pair and the partner's HMIS number of each side
/// (tombstoned partners left out): what search needs to return a linked pair once.
pub async fn live_partners(
    pool: &super::Pool,
    clients: &[ClientId],
) -> sqlx::Result<Vec<(ClientId, ClientId, HmisNumber)>> {
    if clients.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=clients.len()).map(|i| format!("${i}")).collect();
    let list = marks.join(", ");
    let sql = format!(
        "SELECT l.client_lo AS this_id, l.client_hi AS other_id, c.hmis_number
         FROM client_links l JOIN clients c ON c.id = l.client_hi
         WHERE l.ended_at IS NULL AND c.deleted = 0 AND l.client_lo IN ({list})
         UNION ALL
         SELECT l.client_hi AS this_id, l.client_lo AS other_id, c.hmis_number
         FROM client_links l JOIN clients c ON c.id = l.client_lo
         WHERE l.ended_at IS NULL AND c.deleted = 0 AND l.client_hi IN ({list})"
    );
    let mut q = sqlx::query(&sql);
    for c in clients {
        q = q.bind(c.0);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let hmis: String = row.try_get("hmis_number")?;
            Ok((
                ClientId(row.try_get("this_id")?),
                ClientId(row.try_get("other_id")?),
                HmisNumber::parse(&hmis).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            ))
        })
        .collect()
}
