//! The database: connecting, migrating, and the queries the routes use. SQLite (WAL) is the
//! embedded default; a `postgres://` URL selects PostgreSQL. Both run the same SQL through sqlx's
//! `Any` driver: `$N` placeholders, ISO-8601 TEXT dates, 0/1 integer flags (see the migrations).

use chrono::{NaiveDate, NaiveDateTime};
use shared::model::{Attestation, MouParty, Revocation, Signature};
use shared::{
    ClientId, HmisNumber, Mou, MouId, OrgId, Provenance, RecordId, RecordKind, RecordMeta, Roi,
    RoiId, Role, UserId,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Executor, Row};

pub mod demo;
pub mod households;
pub mod hud_export;
pub mod hud_import;
pub mod idempotency;
pub mod intake;
pub mod links;
pub mod mou_impact;
pub mod notifications;
pub mod notify_email;
pub mod records;
pub mod releases;
pub mod resolution;
pub mod search;
pub mod sessions;

pub type Pool = sqlx::AnyPool;

pub mod accounts;
pub mod audit_log;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// The backend a pool talks to.
pub fn backend(pool: &Pool) -> Option<Backend> {
    Backend::of(pool.connect_options().database_url.as_str())
}

/// Begins a transaction that writes. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and then writes fails with
/// `database is locked` (SQLITE_BUSY_SNAPSHOT, which `busy_timeout` cannot wait out) whenever
/// another connection commits in between, so under several writers it must not read before it
/// holds the lock. Writers then queue on `busy_timeout`. PostgreSQL begins as usual (its row
/// locks and the compare-and-set in `records::claim` serialize what must be).
///
/// In a request that carries an `Idempotency-Key` (`idempotency::Claim::scope`), the
/// transaction's first statement claims the key (`idempotency::claim`), so the claim commits
/// with what the request writes, or not at all; a key another request holds makes this fail.
pub async fn begin_write(pool: &Pool) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    let mut tx = match backend(pool) {
        Some(Backend::Sqlite) => pool.begin_with("BEGIN IMMEDIATE").await?,
        _ => pool.begin().await?,
    };
    if let Some(claim) = idempotency::current() {
        idempotency::claim(&mut tx, &claim).await?;
    }
    Ok(tx)
}

/// Opens (creating if missing) and migrates the database at `url`.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of(url).ok_or_else(|| {
        sqlx::Error::Configuration(
            format!("unsupported database URL {url:?}: use sqlite://PATH or postgres://...").into(),
        )
    })?;
    let pool = match backend {
        Backend::Sqlite => {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or(path);
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
                }
            }
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            AnyPoolOptions::new()
                .max_connections(8)
                // An embedded file cannot drop like a network connection: no ping before use.
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // FULL: every commit is synced to disk before it is acknowledged, so a
                        // power cut or OS crash loses no acknowledged write (NORMAL, in WAL
                        // mode, may lose the last commits). Its cost: docs/decisions.md.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(&url)
                .await?
        }
        Backend::Postgres => {
            AnyPoolOptions::new()
                .max_connections(16)
                .connect(url)
                .await?
        }
    };
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
    }
    backfill_search_keys(&pool).await?;
    Ok(pool)
}

/// Timestamps are stored as `YYYY-MM-DD HH:MM:SS.ffffff` text: sortable and portable.
pub fn ts(t: NaiveDateTime) -> String {
    shared::timefmt::with_micros(&t).as_str().to_owned()
}

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what} in the database: {value:?}").into())
}

pub fn parse_ts(s: &str) -> Result<NaiveDateTime, sqlx::Error> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").map_err(|_| decode_err("timestamp", s))
}

pub fn parse_date(s: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| decode_err("date", s))
}

pub(crate) fn get_ts(row: &AnyRow, col: &str) -> Result<NaiveDateTime, sqlx::Error> {
    parse_ts(&row.try_get::<String, _>(col)?)
}

pub(crate) fn get_date(row: &AnyRow, col: &str) -> Result<NaiveDate, sqlx::Error> {
    parse_date(&row.try_get::<String, _>(col)?)
}

pub(crate) fn get_opt_date(row: &AnyRow, col: &str) -> Result<Option<NaiveDate>, sqlx::Error> {
    row.try_get::<Option<String>, _>(col)?
        .as_deref()
        .map(parse_date)
        .transpose()
}

fn get_opt_ts(row: &AnyRow, col: &str) -> Result<Option<NaiveDateTime>, sqlx::Error> {
    row.try_get::<Option<String>, _>(col)?
        .as_deref()
        .map(parse_ts)
        .transpose()
}

/// An enum column's value, by the stable text `shared::stored` gives it (`as_str`).
pub fn parse_stored<T: std::str::FromStr<Err = shared::ParseError>>(
    what: &str,
    s: &str,
) -> Result<T, sqlx::Error> {
    s.parse().map_err(|_| decode_err(what, s))
}

/// An optional column holding a stored text (`shared::stored`, `shared::hud`): NULL is `None`,
/// a text outside the list a decode error naming the column.
pub fn opt_stored<T: std::str::FromStr<Err = shared::ParseError>>(
    row: &AnyRow,
    column: &str,
) -> Result<Option<T>, sqlx::Error> {
    let v: Option<String> = row.try_get(column)?;
    v.as_deref().map(|s| parse_stored(column, s)).transpose()
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
    pub locked_until: Option<NaiveDateTime>,
}

const USER_SELECT: &str = "SELECT u.id, u.org_id, o.name AS org_name, u.username, u.display_name,
    u.role, u.password_hash, u.disabled, u.failed_logins, u.locked_until
    FROM users u JOIN organizations o ON o.id = u.org_id";

fn user_from_row(row: &AnyRow) -> Result<UserRow, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(UserRow {
        id: UserId(row.try_get("id")?),
        org: OrgId(row.try_get("org_id")?),
        org_name: row.try_get("org_name")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: parse_stored("role", &role)?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: get_opt_ts(row, "locked_until")?,
    })
}

pub async fn user_by_username(pool: &Pool, username: &str) -> sqlx::Result<Option<UserRow>> {
    let sql = format!("{USER_SELECT} WHERE u.username = $1");
    let row = sqlx::query(&sql)
        .bind(username)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// On the pool, or on a transaction's connection (`&mut *tx`) inside one: a transaction must not
/// wait for a second connection (all of them may be waiting for its write lock).
pub async fn user_by_id<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: UserId,
) -> sqlx::Result<Option<UserRow>> {
    let sql = format!("{USER_SELECT} WHERE u.id = $1");
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(db).await?;
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
    pub date_of_birth: Option<NaiveDate>,
    pub ssn: Option<String>,
    pub name_data_quality: Option<shared::hud::NameDataQuality>,
    pub dob_data_quality: Option<shared::hud::DataQuality>,
    pub ssn_data_quality: Option<shared::hud::DataQuality>,
    pub sex: Option<shared::hud::Sex>,
    pub veteran_status: Option<shared::hud::NoYesReasons>,
    pub gender: Option<String>,
    pub marital_status: Option<shared::intake::MaritalStatus>,
    pub meta: RecordMeta,
    /// `clients.version` when the row was read (migration 0008, `cache`).
    pub version: i64,
}

fn client_from_row(row: &AnyRow) -> Result<ClientRow, sqlx::Error> {
    let id = ClientId(row.try_get("id")?);
    let hmis: String = row.try_get("hmis_number")?;
    let marital: Option<String> = row.try_get("marital_status")?;
    Ok(ClientRow {
        id,
        hmis_number: HmisNumber::parse(&hmis).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        first_name: row.try_get("first_name")?,
        middle_name: row.try_get("middle_name")?,
        last_name: row.try_get("last_name")?,
        date_of_birth: get_opt_date(row, "date_of_birth")?,
        ssn: row.try_get("ssn")?,
        name_data_quality: opt_stored(row, "name_data_quality")?,
        dob_data_quality: opt_stored(row, "dob_data_quality")?,
        ssn_data_quality: opt_stored(row, "ssn_data_quality")?,
        sex: opt_stored(row, "sex")?,
        veteran_status: opt_stored(row, "veteran_status")?,
        gender: row.try_get("gender")?,
        marital_status: marital
            .as_deref()
            .map(|m| parse_stored("marital_status", m))
            .transpose()?,
        meta: RecordMeta {
            // The intake is keyed by its client: one intake per client.
            id: RecordId(id.0),
            client: id,
            kind: RecordKind::Intake,
            provenance: Provenance {
                org: OrgId(row.try_get("org_id")?),
                author: UserId(row.try_get("author_id")?),
                created_at: get_ts(row, "created_at")?,
            },
            security: None,
            deleted: row.try_get::<i64, _>("deleted")? != 0,
        },
        version: row.try_get("version")?,
    })
}

const CLIENT_SELECT: &str = "SELECT id, hmis_number, first_name, middle_name, last_name,
    date_of_birth, ssn, name_data_quality, dob_data_quality, ssn_data_quality, sex,
    veteran_status, gender, marital_status, org_id, author_id, created_at, deleted, version
    FROM clients";

/// The cache epoch (migration 0008) and the versions of `clients` that exist, in one statement.
/// The epoch is moved by every change to sessions, users, organizations and MOUs; a client's
/// version by every change to its row, ROIs and records.
pub async fn versions_of(
    db: impl sqlx::AnyExecutor<'_>,
    clients: &std::collections::BTreeSet<ClientId>,
) -> sqlx::Result<(i64, std::collections::HashMap<ClientId, i64>)> {
    if clients.is_empty() {
        let (epoch,): (i64,) = sqlx::query_as("SELECT value FROM cache_epoch")
            .fetch_one(db)
            .await?;
        return Ok((epoch, Default::default()));
    }
    // Padded to a power of two with an id no client has, so that few statement texts exist
    // (each is prepared once per connection).
    let n = clients.len().next_power_of_two();
    let placeholders: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT e.value, c.id, c.version FROM cache_epoch e
         LEFT JOIN clients c ON c.id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, Option<i64>, Option<i64>)>(&sql);
    for id in clients
        .iter()
        .map(|c| c.0)
        .chain(std::iter::repeat(-1))
        .take(n)
    {
        query = query.bind(id);
    }
    let rows = query.fetch_all(db).await?;
    let epoch = rows
        .first()
        .map(|r| r.0)
        .ok_or_else(|| sqlx::Error::Decode("cache_epoch has no row".into()))?;
    let versions = rows
        .into_iter()
        .filter_map(|(_, id, version)| Some((ClientId(id?), version?)))
        .collect();
    Ok((epoch, versions))
}

/// On the pool or a transaction's connection (see [`user_by_id`]).
pub async fn client_by_id<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: ClientId,
) -> sqlx::Result<Option<ClientRow>> {
    let sql = format!("{CLIENT_SELECT} WHERE id = $1");
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(db).await?;
    row.as_ref().map(client_from_row).transpose()
}

/// The form of a name that search compares: trimmed and lower-cased with Unicode's rules (the
/// databases' own `lower()` folds ASCII only, and "Ñúñez" must be found by "ñú").
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Writes the search keys (`first_key`, `middle_key`, `last_key`) of a client from its names.
/// Every write of a client's names calls it; `connect` backfills rows that lack keys.
pub async fn refresh_search_keys(
    conn: &mut sqlx::AnyConnection,
    client: ClientId,
) -> sqlx::Result<()> {
    let names: Option<(String, Option<String>, String)> =
        sqlx::query_as("SELECT first_name, middle_name, last_name FROM clients WHERE id = $1")
            .bind(client.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((first, middle, last)) = names else {
        return Ok(());
    };
    sqlx::query("UPDATE clients SET first_key = $1, middle_key = $2, last_key = $3 WHERE id = $4")
        .bind(name_key(&first))
        .bind(middle.as_deref().map(name_key))
        .bind(name_key(&last))
        .bind(client.0)
        .execute(&mut *conn)
        .await?;
    search::refresh_keys(conn, client).await
}

async fn backfill_search_keys(pool: &Pool) -> sqlx::Result<()> {
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM clients WHERE first_key IS NULL")
        .fetch_all(pool)
        .await?;
    if ids.is_empty() {
        return Ok(());
    }
    let mut tx = begin_write(pool).await?;
    for (id,) in ids {
        refresh_search_keys(&mut tx, ClientId(id)).await?;
    }
    tx.commit().await
}

/// Clients whose first, middle or last name starts with each word of the query (in any order),
/// or whose HMIS number equals it. Tombstoned clients are not searched.
///
/// Each word is a range on the name keys (`key(w) <= key < key(w) + U+10FFFF`), answered by the
/// keys' indexes (migration 0006). The keys compare byte-wise on both backends (SQLite's BINARY,
/// PostgreSQL's "C" collation), so a range holds exactly the names that start with the word, and
/// `%` or `_` typed by a user are plain characters.
pub async fn search_clients(
    pool: &Pool,
    words: &[String],
    hmis: Option<&HmisNumber>,
    limit: i64,
) -> sqlx::Result<Vec<ClientRow>> {
    let mut sql = format!("{CLIENT_SELECT} WHERE deleted = 0");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if hmis.is_some() {
        sql.push_str(&format!(" AND hmis_number = {}", next()));
    }
    for _ in words {
        let (from, to) = (next(), next());
        let parts: Vec<String> = ["first_key", "last_key", "middle_key"]
            .iter()
            .map(|col| format!("({col} >= {from} AND {col} < {to})"))
            .collect();
        sql.push_str(&format!(" AND ({})", parts.join(" OR ")));
    }
    sql.push_str(&format!(
        " ORDER BY last_key, first_key, id LIMIT {}",
        next()
    ));
    let mut q = sqlx::query(&sql);
    if let Some(h) = hmis {
        q = q.bind(h.as_str().to_owned());
    }
    for w in words {
        let from = name_key(w);
        let to = format!("{from}\u{10FFFF}");
        q = q.bind(from).bind(to);
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
    /// S-2: the names of the entering user and organization, read with the row.
    pub entered_by: shared::api::EnteredBy,
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

pub async fn records_of_client(pool: &Pool, client: ClientId) -> sqlx::Result<Vec<RecordRow>> {
    let sql = format!(
        "SELECT id, kind, org_id, author_id, created_at, security, title, detail, deleted,
                {ENTERED_BY}
         FROM records WHERE client_id = $1 ORDER BY created_at DESC, id DESC"
    );
    let rows = sqlx::query(&sql).bind(client.0).fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let security: Option<String> = row.try_get("security")?;
            Ok(RecordRow {
                meta: RecordMeta {
                    id: RecordId(row.try_get("id")?),
                    client,
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
                },
                title: row.try_get("title")?,
                detail: row.try_get("detail")?,
                entered_by: entered_by_from(row)?,
            })
        })
        .collect()
}

/// S-2: the entering user's and organization's names of a `records` row, read with it; a copy
/// of the row is invalidated when either name changes (migration 0013).
pub const ENTERED_BY: &str = "(SELECT display_name FROM users WHERE users.id = records.author_id)
    AS entered_by_user,
    (SELECT name FROM organizations WHERE organizations.id = records.org_id) AS entered_by_org";

pub fn entered_by_from(row: &AnyRow) -> sqlx::Result<shared::api::EnteredBy> {
    Ok(shared::api::EnteredBy {
        user_name: row
            .try_get::<Option<String>, _>("entered_by_user")?
            .unwrap_or_default(),
        org_name: row
            .try_get::<Option<String>, _>("entered_by_org")?
            .unwrap_or_default(),
    })
}

/// S-2: the names of a user and an organization (the intake's entering ones).
pub async fn entered_by(
    pool: &Pool,
    author: UserId,
    org: OrgId,
) -> sqlx::Result<shared::api::EnteredBy> {
    let row = sqlx::query(
        "SELECT (SELECT display_name FROM users WHERE id = $1) AS entered_by_user,
                (SELECT name FROM organizations WHERE id = $2) AS entered_by_org",
    )
    .bind(author.0)
    .bind(org.0)
    .fetch_one(pool)
    .await?;
    entered_by_from(&row)
}

pub async fn rois_of_client(pool: &Pool, client: ClientId) -> sqlx::Result<Vec<Roi>> {
    let rows = sqlx::query(
        "SELECT id, orgs, start_date, end_date, attested_by, attested_org, attested_on, document,
                revoked_by, revoked_on
         FROM rois WHERE client_id = $1 ORDER BY id",
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
            let revoked_on = get_opt_date(row, "revoked_on")?;
            Ok(Roi {
                id: RoiId(row.try_get("id")?),
                client,
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

/// Every MOU, complete or not; the shared rules decide which are active.
pub async fn all_mous(pool: &Pool) -> sqlx::Result<Vec<Mou>> {
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
            let terminated_on = get_opt_date(row, "terminated_on")?;
            let parties = parties
                .iter()
                .filter(|p| p.try_get::<i64, _>("mou_id").ok() == Some(id))
                .map(|p| {
                    let name: Option<String> = p.try_get("signer_name")?;
                    let title: Option<String> = p.try_get("signer_title")?;
                    let date = get_opt_date(p, "signed_on")?;
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
                start: get_date(row, "start_date")?,
                end: get_date(row, "end_date")?,
                terminated: terminated_by
                    .zip(terminated_on)
                    .map(|(by, on)| Revocation { by: UserId(by), on }),
            })
        })
        .collect()
}

pub async fn org_names(pool: &Pool) -> sqlx::Result<Vec<shared::api::OrgName>> {
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

/// One audit entry (P-4). Never updated or deleted: the database refuses both. Every writer
/// builds it the same way, `AuditEntry::new(at, &actor, action, reason)` and `.client(..)` when it
/// concerns a client, and hands it to `AppState::audit` (the command line: `db::audit`).
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: NaiveDateTime,
    pub user: UserId,
    pub org: OrgId,
    pub hmis_number: Option<String>,
    pub action: String,
    pub reason: String,
}

impl AuditEntry {
    /// What `by` did at `at`, and why: `reason` is a decision's `Reason` (its stable audit text,
    /// `shared::stored`) or a text built on one. Neither names client data.
    pub fn new(
        at: NaiveDateTime,
        by: &shared::Actor,
        action: impl Into<String>,
        reason: impl std::fmt::Display,
    ) -> Self {
        Self {
            at,
            user: by.user,
            org: by.org,
            hmis_number: None,
            action: action.into(),
            reason: reason.to_string(),
        }
    }

    /// The client the entry concerns, by HMIS number only.
    pub fn client(mut self, hmis_number: Option<&HmisNumber>) -> Self {
        self.hmis_number = hmis_number.map(|h| h.as_str().to_owned());
        self
    }
}

/// Appends one entry at once. Request handlers go through `AppState::audit` (group commit);
/// this is for the command line, which has no writer task.
pub async fn audit(pool: &Pool, e: AuditEntry) -> sqlx::Result<()> {
    audit_batch(pool, &[&e]).await
}

/// Appends `entries` in one INSERT: all are stored, or none.
pub async fn audit_batch(
    db: impl sqlx::AnyExecutor<'_>,
    entries: &[&AuditEntry],
) -> sqlx::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(
        "INSERT INTO audit_log (at, user_id, org_id, hmis_number, action, reason) VALUES ",
    );
    for i in 0..entries.len() {
        let n = i * 6;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${})",
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5,
            n + 6
        ));
    }
    let mut query = sqlx::query(&sql);
    for e in entries {
        query = query
            .bind(ts(e.at))
            .bind(e.user.0)
            .bind(e.org.0)
            .bind(e.hmis_number.clone())
            .bind(e.action.clone())
            .bind(e.reason.clone());
    }
    query.execute(db).await?;
    Ok(())
}
