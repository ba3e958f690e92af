//! The database: connecting, migrating, and the queries the routes use. SQLite (WAL) is the
//! embedded default.

use shared::model::{Attestation, MouParty, Revocation, Signature};
use shared::{
    ClientId, HmisNumber, Mou, MouId, OrgId, Provenance, RecordId, RecordKind, RecordMeta, Roi,
    RoiId, Role, SecuritySetting, UserId,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Opens (creating if missing) and migrates the database at `url`.
pub async fn connect(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
    }
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

pub fn role_from_str(s: &str) -> Option<Role> {
    Role::ALL.into_iter().find(|r| format!("{r:?}") == s)
}

pub fn kind_from_str(s: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|k| format!("{k:?}") == s)
}

pub fn security_from_str(s: &str) -> Option<SecuritySetting> {
    SecuritySetting::ALL
        .into_iter()
        .find(|k| format!("{k:?}") == s)
}

/// A user row as authentication needs it.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: UserId,
    pub org: OrgId,
    pub org_name: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<chrono::NaiveDateTime>,
}

const USER_SELECT: &str = "SELECT u.id, u.org_id, o.name AS org_name, u.username, u.display_name,
    u.role, u.password_hash, u.disabled, u.failed_logins, u.locked_until
    FROM users u JOIN organizations o ON o.id = u.org_id";

fn user_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<UserRow, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(UserRow {
        id: UserId(row.try_get("id")?),
        org: OrgId(row.try_get("org_id")?),
        org_name: row.try_get("org_name")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: role_from_str(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: row.try_get("locked_until")?,
    })
}

pub async fn user_by_username(pool: &SqlitePool, username: &str) -> sqlx::Result<Option<UserRow>> {
    let sql = format!("{USER_SELECT} WHERE u.username = ?");
    let row = sqlx::query(&sql)
        .bind(username)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn user_by_id(pool: &SqlitePool, id: UserId) -> sqlx::Result<Option<UserRow>> {
    let sql = format!("{USER_SELECT} WHERE u.id = ?");
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(pool).await?;
    row.as_ref().map(user_from_row).transpose()
}

/// The tier-1 intake row of a client.
#[derive(Debug, Clone)]
pub struct ClientRow {
    pub id: ClientId,
    pub hmis_number: HmisNumber,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub date_of_birth: Option<chrono::NaiveDate>,
    pub ssn: Option<String>,
    pub gender: Option<String>,
    pub meta: RecordMeta,
}

fn client_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<ClientRow, sqlx::Error> {
    let id = ClientId(row.try_get("id")?);
    let hmis: String = row.try_get("hmis_number")?;
    Ok(ClientRow {
        id,
        hmis_number: HmisNumber::parse(&hmis).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        first_name: row.try_get("first_name")?,
        middle_name: row.try_get("middle_name")?,
        last_name: row.try_get("last_name")?,
        date_of_birth: row.try_get("date_of_birth")?,
        ssn: row.try_get("ssn")?,
        gender: row.try_get("gender")?,
        meta: RecordMeta {
            // The intake is keyed by its client: one intake per client.
            id: RecordId(id.0),
            client: id,
            kind: RecordKind::Intake,
            provenance: Provenance {
                org: OrgId(row.try_get("org_id")?),
                author: UserId(row.try_get("author_id")?),
                created_at: row.try_get("created_at")?,
            },
            security: None,
            deleted: row.try_get::<i64, _>("deleted")? != 0,
        },
    })
}

const CLIENT_SELECT: &str = "SELECT id, hmis_number, first_name, middle_name, last_name,
    date_of_birth, ssn, gender, org_id, author_id, created_at, deleted FROM clients";

pub async fn client_by_id(pool: &SqlitePool, id: ClientId) -> sqlx::Result<Option<ClientRow>> {
    let sql = format!("{CLIENT_SELECT} WHERE id = ?");
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(pool).await?;
    row.as_ref().map(client_from_row).transpose()
}

/// Clients whose first or last name starts with each word of `query` (in either order),
/// or whose HMIS number equals it. Tombstoned clients are not searched.
pub async fn search_clients(
    pool: &SqlitePool,
    words: &[String],
    hmis: Option<&HmisNumber>,
    limit: i64,
) -> sqlx::Result<Vec<ClientRow>> {
    let mut sql = format!("{CLIENT_SELECT} WHERE deleted = 0");
    if hmis.is_some() {
        sql.push_str(" AND hmis_number = ?");
    }
    for _ in words {
        sql.push_str(
            " AND (first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\'
                   OR middle_name LIKE ? ESCAPE '\\')",
        );
    }
    sql.push_str(" ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id LIMIT ?");
    let mut q = sqlx::query(&sql);
    if let Some(h) = hmis {
        q = q.bind(h.as_str());
    }
    for w in words {
        let escaped = w
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("{escaped}%");
        q = q.bind(pattern.clone()).bind(pattern.clone()).bind(pattern);
    }
    let rows = q.bind(limit).fetch_all(pool).await?;
    rows.iter().map(client_from_row).collect()
}

/// A non-intake record of a client.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub meta: RecordMeta,
    pub title: String,
    pub detail: String,
}

impl shared::records::HasMeta for ClientRow {
    fn meta(&self) -> &RecordMeta {
        &self.meta
    }
}

impl shared::records::HasMeta for RecordRow {
    fn meta(&self) -> &RecordMeta {
        &self.meta
    }
}

pub async fn records_of_client(
    pool: &SqlitePool,
    client: ClientId,
) -> sqlx::Result<Vec<RecordRow>> {
    let rows = sqlx::query(
        "SELECT id, kind, org_id, author_id, created_at, security, title, detail, deleted
         FROM records WHERE client_id = ? ORDER BY created_at DESC, id DESC",
    )
    .bind(client.0)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let security: Option<String> = row.try_get("security")?;
            Ok(RecordRow {
                meta: RecordMeta {
                    id: RecordId(row.try_get("id")?),
                    client,
                    kind: kind_from_str(&kind).ok_or_else(|| {
                        sqlx::Error::Decode(format!("unknown record kind {kind}").into())
                    })?,
                    provenance: Provenance {
                        org: OrgId(row.try_get("org_id")?),
                        author: UserId(row.try_get("author_id")?),
                        created_at: row.try_get("created_at")?,
                    },
                    security: security.as_deref().and_then(security_from_str),
                    deleted: row.try_get::<i64, _>("deleted")? != 0,
                },
                title: row.try_get("title")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect()
}

pub async fn rois_of_client(pool: &SqlitePool, client: ClientId) -> sqlx::Result<Vec<Roi>> {
    let rows = sqlx::query(
        "SELECT id, orgs, start_date, end_date, attested_by, attested_org, attested_on, document,
                revoked_by, revoked_on
         FROM rois WHERE client_id = ? ORDER BY id",
    )
    .bind(client.0)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let orgs: String = row.try_get("orgs")?;
            let orgs: Vec<OrgId> =
                serde_json::from_str(&orgs).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            let revoked_by: Option<i64> = row.try_get("revoked_by")?;
            let revoked_on: Option<chrono::NaiveDate> = row.try_get("revoked_on")?;
            Ok(Roi {
                id: RoiId(row.try_get("id")?),
                client,
                orgs,
                start: row.try_get("start_date")?,
                end: row.try_get("end_date")?,
                attestation: Attestation {
                    by: UserId(row.try_get("attested_by")?),
                    org: OrgId(row.try_get("attested_org")?),
                    on: row.try_get("attested_on")?,
                },
                document: row.try_get("document")?,
                revoked: revoked_by
                    .zip(revoked_on)
                    .map(|(by, on)| Revocation { by: UserId(by), on }),
            })
        })
        .collect()
}

/// Every MOU, complete or not; the shared rules decide which are active.
pub async fn all_mous(pool: &SqlitePool) -> sqlx::Result<Vec<Mou>> {
    let mous = sqlx::query(
        "SELECT id, name, start_date, end_date, document, terminated_by, terminated_on
         FROM mous ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let parties = sqlx::query(
        "SELECT mou_id, org_id, signer_name, signer_title, signed_on FROM mou_parties
         ORDER BY mou_id, org_id",
    )
    .fetch_all(pool)
    .await?;
    mous.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let terminated_by: Option<i64> = row.try_get("terminated_by")?;
            let terminated_on: Option<chrono::NaiveDate> = row.try_get("terminated_on")?;
            let parties = parties
                .iter()
                .filter(|p| p.try_get::<i64, _>("mou_id").ok() == Some(id))
                .map(|p| {
                    let name: Option<String> = p.try_get("signer_name")?;
                    let title: Option<String> = p.try_get("signer_title")?;
                    let date: Option<chrono::NaiveDate> = p.try_get("signed_on")?;
                    Ok(MouParty {
                        org: OrgId(p.try_get("org_id")?),
                        signature: match (name, title, date) {
                            (Some(name), Some(title), Some(date)) => {
                                Some(Signature { name, title, date })
                            }
                            _ => None,
                        },
                    })
                })
                .collect::<sqlx::Result<Vec<_>>>()?;
            Ok(Mou {
                id: MouId(id),
                name: row.try_get("name")?,
                parties,
                document: row.try_get("document")?,
                start: row.try_get("start_date")?,
                end: row.try_get("end_date")?,
                terminated: terminated_by
                    .zip(terminated_on)
                    .map(|(by, on)| Revocation { by: UserId(by), on }),
            })
        })
        .collect()
}

pub async fn org_names(pool: &SqlitePool) -> sqlx::Result<Vec<shared::api::OrgName>> {
    let rows = sqlx::query("SELECT id, name FROM organizations ORDER BY id")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(shared::api::OrgName {
                id: OrgId(r.try_get("id")?),
                name: r.try_get("name")?,
            })
        })
        .collect()
}

/// One audit entry (P-4). Never updated or deleted: the database refuses both.
pub struct AuditEntry<'a> {
    pub at: chrono::NaiveDateTime,
    pub user: UserId,
    pub org: OrgId,
    pub hmis_number: Option<&'a HmisNumber>,
    pub action: &'a str,
    pub reason: &'a str,
}

pub async fn audit(pool: &SqlitePool, e: AuditEntry<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, org_id, hmis_number, action, reason)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(e.at)
    .bind(e.user.0)
    .bind(e.org.0)
    .bind(e.hmis_number.map(|h| h.as_str().to_owned()))
    .bind(e.action)
    .bind(e.reason)
    .execute(pool)
    .await?;
    Ok(())
}
