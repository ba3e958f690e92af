//! Queries of the HUD CSV export (`services::hud_export`): whole tables read once (programs,
//! organizations, users, clients, the registry rows of the exported kinds, ROIs, the import map),
//! so that the export decides in memory. No rule lives here.

use super::{
    client_from_row, get_date, get_opt_date, parse_stored, parse_ts, ClientRow, CLIENT_SELECT,
};
use chrono::NaiveDateTime;
use shared::model::{Attestation, Revocation};
use shared::{
    ClientId, OrgId, ProgramId, Provenance, RecordId, RecordKind, RecordMeta, Roi, RoiId, UserId,
};
use sqlx::{AnyConnection, Row};

/// A program as the export writes it.
#[derive(Debug, Clone)]
pub struct ProgramRow {
    pub id: ProgramId,
    pub org: OrgId,
    pub name: String,
    pub hud_project_type: i64,
}

pub async fn programs(conn: &mut AnyConnection) -> sqlx::Result<Vec<ProgramRow>> {
    let rows: Vec<(i64, i64, String, i64)> =
        sqlx::query_as("SELECT id, org_id, name, hud_project_type FROM programs ORDER BY id")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, org, name, t)| ProgramRow {
            id: ProgramId(id),
            org: OrgId(org),
            name,
            hud_project_type: t,
        })
        .collect())
}

/// Organizations and users: id, name, created_at.
pub async fn organizations(
    conn: &mut AnyConnection,
) -> sqlx::Result<Vec<(OrgId, String, NaiveDateTime)>> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, created_at FROM organizations ORDER BY id")
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(id, name, at)| Ok((OrgId(id), name, parse_ts(&at)?)))
        .collect()
}

pub async fn users(conn: &mut AnyConnection) -> sqlx::Result<Vec<(UserId, String, NaiveDateTime)>> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, display_name, created_at FROM users ORDER BY id")
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(id, name, at)| Ok((UserId(id), name, parse_ts(&at)?)))
        .collect()
}

/// Every client, tombstones included (the read decision hides them).
pub async fn clients(conn: &mut AnyConnection) -> sqlx::Result<Vec<ClientRow>> {
    let sql = format!("{CLIENT_SELECT} ORDER BY id");
    sqlx::query(&sql)
        .fetch_all(conn)
        .await?
        .iter()
        .map(client_from_row)
        .collect()
}

/// The registry rows of some kinds, tombstones included, in id order.
pub async fn records_of_kinds(
    conn: &mut AnyConnection,
    kinds: &[RecordKind],
) -> sqlx::Result<Vec<RecordMeta>> {
    let params: Vec<String> = (1..=kinds.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, client_id, kind, org_id, author_id, created_at, security, deleted
         FROM records WHERE kind IN ({}) ORDER BY id",
        params.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for k in kinds {
        q = q.bind(k.as_str());
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let sec: Option<String> = row.try_get("security")?;
            Ok(RecordMeta {
                id: RecordId(row.try_get("id")?),
                client: ClientId(row.try_get("client_id")?),
                kind: parse_stored("record kind", &kind)?,
                provenance: Provenance {
                    org: OrgId(row.try_get("org_id")?),
                    author: UserId(row.try_get("author_id")?),
                    created_at: parse_ts(&row.try_get::<String, _>("created_at")?)?,
                },
                security: sec
                    .as_deref()
                    .map(|s| parse_stored("security setting", s))
                    .transpose()?,
                deleted: row.try_get::<i64, _>("deleted")? != 0,
            })
        })
        .collect()
}

/// Every ROI of every client.
pub async fn rois(conn: &mut AnyConnection) -> sqlx::Result<Vec<Roi>> {
    let rows = sqlx::query(
        "SELECT id, client_id, orgs, start_date, end_date, attested_by, attested_org,
                attested_on, document, revoked_by, revoked_on
         FROM rois ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let orgs: String = row.try_get("orgs")?;
            let orgs: Vec<OrgId> =
                serde_json::from_str(&orgs).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            let revoked_by: Option<i64> = row.try_get("revoked_by")?;
            let revoked_on = get_opt_date(row, "revoked_on")?;
            Ok(Roi {
                id: RoiId(row.try_get("id")?),
                client: ClientId(row.try_get("client_id")?),
                orgs,
                start: get_date(row, "start_date")?,
                end: get_date(row, "end_date")?,
                attestation: Attestation {
                    by: UserId(row.try_get("attested_by")?),
                    org: OrgId(row.try_get("attested_org")?),
                    on: get_date(row, "attested_on")?,
                },
                document: row.try_get("document")?,
                revoked: revoked_by
                    .zip(revoked_on)
                    .map(|(by, on)| Revocation { by: UserId(by), on }),
            })
        })
        .collect()
}

/// One row of `hud_import_map` (migration 0017) as the export reads it.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub hud_file: String,
    pub hud_id: String,
    pub hearth_id: i64,
    pub date_updated: NaiveDateTime,
}

/// Every imported row's HUD id, oldest source first (a Hearth row imported from two sources is
/// exported under the first one's id).
pub async fn import_map(conn: &mut AnyConnection) -> sqlx::Result<Vec<Mapped>> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT hud_file, hud_id, hearth_id, date_updated FROM hud_import_map
         WHERE deleted = 0 ORDER BY imported_at, source, hud_file, hud_id",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(hud_file, hud_id, hearth_id, at)| {
            Ok(Mapped {
                hud_file,
                hud_id,
                hearth_id,
                date_updated: parse_ts(&at)?,
            })
        })
        .collect()
}
