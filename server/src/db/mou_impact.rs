//! The reads of the MOU impact preview (S-4, S-6): every live client's records and ROIs, a
//! chunk of clients at a time, so a preview over any number of clients holds one chunk in
//! memory. Only what `can_read` needs: no titles, no details, no names.

use super::{get_ts, parse_stored, Pool};
use shared::model::Provenance;
use shared::{ClientId, OrgId, RecordId, RecordMeta, Roi, UserId};
use sqlx::Row;

/// The records and ROIs of a run of consecutive live clients, each sorted by client.
#[derive(Debug, Default)]
pub struct Chunk {
    /// The last client id of the run: the next chunk starts after it.
    pub last: i64,
    pub records: Vec<RecordMeta>,
    pub rois: Vec<Roi>,
}

/// The chunk of the (at most) `size` live clients after client id `after`, or `None` past
/// the last one. Tombstoned clients (P-3) are left out: only SystemAdmins open them.
pub async fn chunk(pool: &Pool, after: i64, size: i64) -> sqlx::Result<Option<Chunk>> {
    let ids = sqlx::query("SELECT id FROM clients WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after)
        .bind(size)
        .fetch_all(pool)
        .await?;
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
        return Ok(None);
    };
    let (first, last): (i64, i64) = (first.try_get("id")?, last.try_get("id")?);
    let rows = sqlx::query(
        "SELECT r.id, r.client_id, r.kind, r.org_id, r.author_id, r.created_at, r.security,
                r.deleted
         FROM records r JOIN clients c ON c.id = r.client_id
         WHERE r.client_id BETWEEN $1 AND $2 AND c.deleted = 0
         ORDER BY r.client_id, r.id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await?;
    let records = rows
        .iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let security: Option<String> = row.try_get("security")?;
            Ok(RecordMeta {
                id: RecordId(row.try_get("id")?),
                client: ClientId(row.try_get("client_id")?),
                kind: parse_stored("record kind", &kind)?,
                provenance: Provenance {
                    org: OrgId(row.try_get("org_id")?),
                    author: UserId(row.try_get("author_id")?),
                    created_at: get_ts(row, "created_at")?,
                },
                security: security
                    .as_deref()
                    .map(|s| parse_stored("security setting", s))
                    .transpose()?,
                deleted: row.try_get::<i64, _>("deleted")? != 0,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    let rois = sqlx::query(
        "SELECT id, client_id, orgs, start_date, end_date, attested_by, attested_org,
                attested_on, document, revoked_by, revoked_on
         FROM rois WHERE client_id BETWEEN $1 AND $2 ORDER BY client_id, id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await?
    .iter()
    .map(super::releases::roi_from_row)
    .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Some(Chunk {
        last,
        records,
        rois,
    }))
}
