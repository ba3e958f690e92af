//! The HUD CSV importer's SQL (`services::hud_import`): the import organization and user, the
//! map from (source, HUD file, HUD id) to Hearth ids (migration 0017), and the rows an import
//! creates or changes that no other use case writes (organizations, users and programs from HUD
//! files, clients with a given HMIS number, batched history). Everything runs inside the
//! importer's transaction.

use super::{name_key, ts};
use chrono::NaiveDateTime;
use shared::intake::NewClient;
use shared::{Actor, ClientId, HmisNumber, OrgId, ProgramId, RecordId, UserId};
use sqlx::AnyConnection;

/// The organization that "entered" what no HUD project owns (a client without an enrollment,
/// imported users): docs/decisions.md, HUD CSV import.
pub const IMPORT_ORG: &str = "HUD CSV import";
/// The user every import is written and audited as. It can never sign in (see `insert_user`).
pub const IMPORT_USER: &str = "hud-import";
/// A password hash no password matches (not a PHC string: `verify_password` answers false).
pub const NO_LOGIN_HASH: &str = "!no-login: imported from HUD CSV";

/// One row of `hud_import_map`.
#[derive(Debug, Clone)]
pub struct MapRow {
    pub hud_file: String,
    pub hud_id: String,
    pub hearth_id: i64,
    pub org_id: Option<i64>,
    pub client_id: Option<i64>,
    pub export_id: String,
    pub date_updated: String,
    pub deleted: bool,
}

/// The import organization and user, created (disabled, no login) when `create` and missing.
pub async fn import_actor(
    conn: &mut AnyConnection,
    create: bool,
    now: NaiveDateTime,
) -> sqlx::Result<Option<(OrgId, UserId)>> {
    let org: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM organizations WHERE lower(name) = lower($1)")
            .bind(IMPORT_ORG)
            .fetch_optional(&mut *conn)
            .await?;
    let org = match (org, create) {
        (Some((o,)), _) => OrgId(o),
        (None, true) => insert_org(conn, IMPORT_ORG, now).await?,
        (None, false) => return Ok(None),
    };
    let user: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(IMPORT_USER)
        .fetch_optional(&mut *conn)
        .await?;
    let user = match (user, create) {
        (Some((u,)), _) => UserId(u),
        (None, true) => insert_user(conn, org, IMPORT_USER, "HUD CSV import", now).await?,
        (None, false) => return Ok(None),
    };
    Ok(Some((org, user)))
}

/// Every map row of `source`.
pub async fn load_map(conn: &mut AnyConnection, source: &str) -> sqlx::Result<Vec<MapRow>> {
    type MapTuple = (
        String,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        String,
        String,
        i64,
    );
    let rows: Vec<MapTuple> = sqlx::query_as(
        "SELECT hud_file, hud_id, hearth_id, org_id, client_id, export_id, date_updated,
                    deleted
             FROM hud_import_map WHERE source = $1",
    )
    .bind(source)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MapRow {
            hud_file: r.0,
            hud_id: r.1,
            hearth_id: r.2,
            org_id: r.3,
            client_id: r.4,
            export_id: r.5,
            date_updated: r.6,
            deleted: r.7 != 0,
        })
        .collect())
}

/// Rows per multi-row INSERT. Small on purpose: binding a statement's placeholders costs time
/// growing faster than their number (measured: 2,000-row INSERTs were slower than single
/// rows), while about a thousand placeholders per statement keep most of the gain.
const BATCH: usize = 100;

/// Inserts or replaces map rows of `source`.
pub async fn upsert_map(
    conn: &mut AnyConnection,
    source: &str,
    rows: &[MapRow],
    now: NaiveDateTime,
) -> sqlx::Result<()> {
    for chunk in rows.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO hud_import_map (source, hud_file, hud_id, hearth_id, org_id, client_id,
                                         export_id, date_updated, deleted, imported_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let n = i * 10;
            if i > 0 {
                sql.push_str(", ");
            }
            let p: Vec<String> = (1..=10).map(|k| format!("${}", n + k)).collect();
            sql.push_str(&format!("({})", p.join(", ")));
        }
        sql.push_str(
            " ON CONFLICT (source, hud_file, hud_id) DO UPDATE SET hearth_id = excluded.hearth_id,
               org_id = excluded.org_id, client_id = excluded.client_id,
               export_id = excluded.export_id, date_updated = excluded.date_updated,
               deleted = excluded.deleted, imported_at = excluded.imported_at",
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(source.to_owned())
                .bind(r.hud_file.clone())
                .bind(r.hud_id.clone())
                .bind(r.hearth_id)
                .bind(r.org_id)
                .bind(r.client_id)
                .bind(r.export_id.clone())
                .bind(r.date_updated.clone())
                .bind(i64::from(r.deleted))
                .bind(ts(now));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Whether an organization of that name (any case) exists.
pub async fn org_named(conn: &mut AnyConnection, name: &str) -> sqlx::Result<Option<OrgId>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM organizations WHERE lower(name) = lower($1)")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(o,)| OrgId(o)))
}

pub async fn insert_org(
    conn: &mut AnyConnection,
    name: &str,
    at: NaiveDateTime,
) -> sqlx::Result<OrgId> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(ts(at))
            .fetch_one(&mut *conn)
            .await?;
    Ok(OrgId(id))
}

/// Renames an organization and sets whether it is disabled (a HUD DateDeleted disables: P-3).
pub async fn update_org(
    conn: &mut AnyConnection,
    id: OrgId,
    name: &str,
    disabled: bool,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE organizations SET name = $1, disabled = $2 WHERE id = $3")
        .bind(name)
        .bind(i64::from(disabled))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether a username (any case) is taken.
pub async fn username_taken(conn: &mut AnyConnection, username: &str) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE lower(username) = lower($1)")
            .bind(username)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// An imported user: a Caseworker of `org`, disabled, with a hash no password matches, so it
/// can never sign in (sign-in refuses disabled accounts before it checks a password).
pub async fn insert_user(
    conn: &mut AnyConnection,
    org: OrgId,
    username: &str,
    display_name: &str,
    at: NaiveDateTime,
) -> sqlx::Result<UserId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (org_id, username, display_name, role, password_hash, disabled,
                            created_at)
         VALUES ($1, $2, $3, 'Caseworker', $4, 1, $5) RETURNING id",
    )
    .bind(org.0)
    .bind(username)
    .bind(display_name)
    .bind(NO_LOGIN_HASH)
    .bind(ts(at))
    .fetch_one(&mut *conn)
    .await?;
    Ok(UserId(id))
}

pub async fn update_user_name(
    conn: &mut AnyConnection,
    id: UserId,
    display_name: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
        .bind(display_name)
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert_program(
    conn: &mut AnyConnection,
    org: OrgId,
    name: &str,
    hud_project_type: i64,
) -> sqlx::Result<ProgramId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO programs (org_id, name, hud_project_type) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(org.0)
    .bind(name)
    .bind(hud_project_type)
    .fetch_one(&mut *conn)
    .await?;
    Ok(ProgramId(id))
}

/// Renames a program, sets its HUD project type and whether it is disabled (DateDeleted).
pub async fn update_program(
    conn: &mut AnyConnection,
    id: ProgramId,
    name: &str,
    hud_project_type: i64,
    disabled: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE programs SET name = $1, hud_project_type = $2, disabled = $3 WHERE id = $4",
    )
    .bind(name)
    .bind(hud_project_type)
    .bind(i64::from(disabled))
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The highest HMIS number's sequence (0 when there is no client). Read under the write lock.
pub async fn max_hmis_sequence(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    let (max,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(CAST(substr(hmis_number, 2) AS BIGINT)), 0) FROM clients",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(max)
}

/// A new client with a given HMIS number, its search keys written with it (`db::name_key`).
pub async fn insert_client(
    conn: &mut AnyConnection,
    new: &NewClient,
    hmis: &HmisNumber,
    org: OrgId,
    author: UserId,
    at: NaiveDateTime,
) -> sqlx::Result<ClientId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO clients (hmis_number, first_name, middle_name, last_name, date_of_birth,
                              dob_data_quality, ssn, ssn_data_quality, org_id, author_id,
                              created_at, name_data_quality, sex, veteran_status, first_key,
                              middle_key, last_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         RETURNING id",
    )
    .bind(hmis.as_str().to_owned())
    .bind(new.first_name.as_str().to_owned())
    .bind(new.middle_name.as_ref().map(|m| m.as_str().to_owned()))
    .bind(new.last_name.as_str().to_owned())
    .bind(new.date_of_birth.map(|d| super::date(d.date())))
    .bind(new.dob_data_quality.as_str())
    .bind(new.ssn.as_ref().map(|s| s.stored()))
    .bind(new.ssn_data_quality.as_str())
    .bind(org.0)
    .bind(author.0)
    .bind(ts(at))
    .bind(new.name_data_quality.as_str())
    .bind(new.sex.as_str())
    .bind(new.veteran_status.as_str())
    .bind(name_key(new.first_name.as_str()))
    .bind(new.middle_name.as_ref().map(|m| name_key(m.as_str())))
    .bind(name_key(new.last_name.as_str()))
    .fetch_one(&mut *conn)
    .await?;
    Ok(ClientId(id))
}

/// The client's HMIS number, entering organization and author, and the stored texts of
/// `columns` (a fixed list of the importer's, never input), in that order.
pub async fn client_values(
    conn: &mut AnyConnection,
    id: ClientId,
    columns: &[&str],
) -> sqlx::Result<(String, OrgId, UserId, Vec<Option<String>>)> {
    use sqlx::Row;
    let sql = format!(
        "SELECT hmis_number, org_id, author_id{} FROM clients WHERE id = $1",
        columns.iter().map(|c| format!(", {c}")).collect::<String>()
    );
    let row = sqlx::query(&sql).bind(id.0).fetch_one(&mut *conn).await?;
    let mut values = Vec::with_capacity(columns.len());
    for c in columns {
        values.push(row.try_get::<Option<String>, _>(*c)?);
    }
    Ok((
        row.try_get("hmis_number")?,
        OrgId(row.try_get("org_id")?),
        UserId(row.try_get("author_id")?),
        values,
    ))
}

/// P-3: the client's tombstone, its old state kept in `intake_history` (field `Tombstone`).
pub async fn tombstone_client(
    conn: &mut AnyConnection,
    id: ClientId,
    at: NaiveDateTime,
    by: &Actor,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO intake_history (client_id, field, old_value, changed_at, changed_by,
                                     changed_by_org, decision)
         SELECT id, 'Tombstone', CAST(deleted AS TEXT), $2, $3, $4, 'hud_import'
         FROM clients WHERE id = $1",
    )
    .bind(id.0)
    .bind(ts(at))
    .bind(by.user.0)
    .bind(by.org.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE clients SET deleted = 1 WHERE id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// P-3: many `record_history` rows at once (`action`, old value JSON; `null` for a creation).
pub async fn history_batch(
    conn: &mut AnyConnection,
    at: NaiveDateTime,
    by: &Actor,
    rows: &[(RecordId, &str, String)],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO record_history (record_id, changed_at, changed_by, changed_by_org,
                                         action, old_value) VALUES ",
        );
        for i in 0..chunk.len() {
            let n = i * 6;
            if i > 0 {
                sql.push_str(", ");
            }
            let p: Vec<String> = (1..=6).map(|k| format!("${}", n + k)).collect();
            sql.push_str(&format!("({})", p.join(", ")));
        }
        let mut q = sqlx::query(&sql);
        for (id, action, old) in chunk {
            q = q
                .bind(id.0)
                .bind(ts(at))
                .bind(by.user.0)
                .bind(by.org.0)
                .bind(action.to_string())
                .bind(old.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Many audit entries at once, in the transaction (P-4: they commit with what they record).
pub async fn audit_batch(
    conn: &mut AnyConnection,
    entries: &[super::AuditEntry],
) -> sqlx::Result<()> {
    for chunk in entries.chunks(BATCH) {
        let refs: Vec<&super::AuditEntry> = chunk.iter().collect();
        super::audit_batch(&mut *conn, &refs).await?;
    }
    Ok(())
}

/// A data-quality column of the intake (no `Field` of its own: it goes with its value), changed
/// by an import with its old value in `intake_history` (field: the column's name).
pub async fn set_quality_column(
    conn: &mut AnyConnection,
    client: ClientId,
    column: &'static str,
    old: Option<&str>,
    new: Option<&str>,
    by: &Actor,
    at: NaiveDateTime,
) -> sqlx::Result<()> {
    debug_assert!(matches!(
        column,
        "name_data_quality" | "dob_data_quality" | "ssn_data_quality"
    ));
    sqlx::query(
        "INSERT INTO intake_history (client_id, field, old_value, changed_at, changed_by,
                                     changed_by_org, decision)
         VALUES ($1, $2, $3, $4, $5, $6, 'hud_import')",
    )
    .bind(client.0)
    .bind(column)
    .bind(old)
    .bind(ts(at))
    .bind(by.user.0)
    .bind(by.org.0)
    .execute(&mut *conn)
    .await?;
    // The column name comes from the fixed list above, never from input.
    let sql = format!("UPDATE clients SET {column} = $1 WHERE id = $2");
    sqlx::query(&sql)
        .bind(new)
        .bind(client.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The live demographics record of a client, if any.
pub async fn demographics_of(
    conn: &mut AnyConnection,
    client: ClientId,
) -> sqlx::Result<Option<RecordId>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM records WHERE client_id = $1 AND kind = 'Demographics' AND deleted = 0",
    )
    .bind(client.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| RecordId(id)))
}

/// `n` new ids of `table` (`clients` or `records`), taken so nobody else takes them: on SQLite
/// the next ones after the highest (the importer holds the write lock, `db::begin_write`), on
/// PostgreSQL from the table's identity sequence.
pub async fn reserve_ids(
    conn: &mut AnyConnection,
    backend: Option<super::Backend>,
    table: &'static str,
    n: usize,
) -> sqlx::Result<Vec<i64>> {
    assert!(matches!(
        table,
        "clients" | "records" | "households" | "household_members"
    ));
    if n == 0 {
        return Ok(Vec::new());
    }
    if backend == Some(super::Backend::Postgres) {
        let sql = format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
        );
        let rows: Vec<(i64,)> = sqlx::query_as(&sql)
            .bind(i64::try_from(n).unwrap_or(i64::MAX))
            .fetch_all(&mut *conn)
            .await?;
        return Ok(rows.into_iter().map(|(id,)| id).collect());
    }
    let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
    let (max,): (i64,) = sqlx::query_as(&sql).fetch_one(&mut *conn).await?;
    Ok((1..=n as i64).map(|k| max + k).collect())
}

/// `(n, k)`: `n` rows of `k` placeholders each, numbered from 1, for a multi-row VALUES.
fn values_list(n: usize, k: usize) -> String {
    (0..n)
        .map(|i| {
            let p: Vec<String> = (1..=k).map(|j| format!("${}", i * k + j)).collect();
            format!("({})", p.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many rows of `k` values one INSERT carries (below SQLite's 32,766 placeholders).
fn rows_per_insert(k: usize) -> usize {
    (1_000 / k.max(1)).clamp(1, BATCH)
}

/// New clients with reserved ids (`reserve_ids`) and their search keys, many per INSERT.
pub async fn insert_clients(
    conn: &mut AnyConnection,
    rows: &[(
        ClientId,
        &NewClient,
        HmisNumber,
        OrgId,
        UserId,
        NaiveDateTime,
    )],
) -> sqlx::Result<()> {
    const COLS: usize = 18;
    for chunk in rows.chunks(rows_per_insert(COLS)) {
        let sql = format!(
            "INSERT INTO clients (id, hmis_number, first_name, middle_name, last_name,
                                  date_of_birth, dob_data_quality, ssn, ssn_data_quality, org_id,
                                  author_id, created_at, name_data_quality, sex, veteran_status,
                                  first_key, middle_key, last_key)
             VALUES {}",
            values_list(chunk.len(), COLS)
        );
        let mut q = sqlx::query(&sql);
        for (id, new, hmis, org, author, at) in chunk {
            q = q
                .bind(id.0)
                .bind(hmis.as_str().to_owned())
                .bind(new.first_name.as_str().to_owned())
                .bind(new.middle_name.as_ref().map(|m| m.as_str().to_owned()))
                .bind(new.last_name.as_str().to_owned())
                .bind(new.date_of_birth.map(|d| super::date(d.date())))
                .bind(new.dob_data_quality.as_str())
                .bind(new.ssn.as_ref().map(|s| s.stored()))
                .bind(new.ssn_data_quality.as_str())
                .bind(org.0)
                .bind(author.0)
                .bind(ts(*at))
                .bind(new.name_data_quality.as_str())
                .bind(new.sex.as_str())
                .bind(new.veteran_status.as_str())
                .bind(name_key(new.first_name.as_str()))
                .bind(new.middle_name.as_ref().map(|m| name_key(m.as_str())))
                .bind(name_key(new.last_name.as_str()));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// New records with reserved ids (`reserve_ids`): their registry rows, then their detail rows
/// table by table, many per INSERT.
pub async fn insert_records(
    conn: &mut AnyConnection,
    rows: &[(
        RecordId,
        super::records::NewRow<'_>,
        shared::api::records::RecordDetails,
    )],
) -> sqlx::Result<()> {
    use super::records::{detail_row, Value};
    const COLS: usize = 9;
    for chunk in rows.chunks(rows_per_insert(COLS)) {
        let sql = format!(
            "INSERT INTO records (id, client_id, kind, org_id, author_id, created_at, security,
                                  title, detail)
             VALUES {}",
            values_list(chunk.len(), COLS)
        );
        let mut q = sqlx::query(&sql);
        for (id, r, _) in chunk {
            q = q
                .bind(id.0)
                .bind(r.client.0)
                .bind(r.kind.as_str())
                .bind(r.org.0)
                .bind(r.author.0)
                .bind(ts(r.at))
                .bind(r.security.map(shared::SecuritySetting::as_str))
                .bind(r.title.to_owned())
                .bind(r.detail.to_owned());
        }
        q.execute(&mut *conn).await?;
    }
    type Rows = Vec<(RecordId, Vec<Value>)>;
    let mut by_table: Vec<(&'static str, &'static [&'static str], Rows)> = Vec::new();
    for (id, _, details) in rows {
        let Some((table, cols, values)) = detail_row(details)? else {
            continue;
        };
        match by_table.iter_mut().find(|(t, _, _)| *t == table) {
            Some((_, _, v)) => v.push((*id, values)),
            None => by_table.push((table, cols, vec![(*id, values)])),
        }
    }
    for (table, cols, list) in by_table {
        let k = cols.len() + 1;
        for chunk in list.chunks(rows_per_insert(k)) {
            let sql = format!(
                "INSERT INTO {table} (record_id, {}) VALUES {}",
                cols.join(", "),
                values_list(chunk.len(), k)
            );
            let mut q = sqlx::query(&sql);
            for (id, values) in chunk {
                q = q.bind(id.0);
                for v in values {
                    q = match v {
                        Value::I(i) => q.bind(*i),
                        Value::S(s) => q.bind(s.clone()),
                    };
                }
            }
            q.execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// A household an import creates (reserved id, family name, owning organization, author, when).
pub struct NewHouseholdRow {
    pub id: shared::ids::HouseholdId,
    pub family_name: String,
    pub org: OrgId,
    pub author: UserId,
    pub at: NaiveDateTime,
}

/// A membership row an import creates (reserved id), with who entered it.
pub struct NewMemberRow {
    pub id: shared::ids::MembershipId,
    pub household: shared::ids::HouseholdId,
    pub member: shared::household::NewMember,
    pub org: OrgId,
    pub author: UserId,
    pub at: NaiveDateTime,
}

/// New households and membership rows (migration 0015) with reserved ids, many per INSERT,
/// each with its creation in `household_history` (P-3: old value `null`), written as `by`.
pub async fn insert_households(
    conn: &mut AnyConnection,
    households: &[NewHouseholdRow],
    members: &[NewMemberRow],
    by: &Actor,
    at: NaiveDateTime,
) -> sqlx::Result<()> {
    for chunk in households.chunks(rows_per_insert(5)) {
        let sql = format!(
            "INSERT INTO households (id, family_name, org_id, author_id, created_at) VALUES {}",
            values_list(chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for h in chunk {
            q = q
                .bind(h.id.0)
                .bind(h.family_name.clone())
                .bind(h.org.0)
                .bind(h.author.0)
                .bind(ts(h.at));
        }
        q.execute(&mut *conn).await?;
    }
    for chunk in members.chunks(rows_per_insert(9)) {
        let sql = format!(
            "INSERT INTO household_members (id, household_id, client_id, relationship, start_date,
                                            end_date, org_id, author_id, created_at)
             VALUES {}",
            values_list(chunk.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for m in chunk {
            q = q
                .bind(m.id.0)
                .bind(m.household.0)
                .bind(m.member.client.0)
                .bind(m.member.relationship.as_str())
                .bind(super::date(m.member.start))
                .bind(m.member.end.map(super::date))
                .bind(m.org.0)
                .bind(m.author.0)
                .bind(ts(m.at));
        }
        q.execute(&mut *conn).await?;
    }
    let history: Vec<(i64, &str, i64)> = households
        .iter()
        .map(|h| (h.id.0, "household", h.id.0))
        .chain(members.iter().map(|m| (m.household.0, "member", m.id.0)))
        .collect();
    for chunk in history.chunks(rows_per_insert(8)) {
        let sql = format!(
            "INSERT INTO household_history (household_id, subject, subject_id, changed_at,
                                            changed_by, changed_by_org, action, old_value)
             VALUES {}",
            values_list(chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (household, subject, id) in chunk {
            q = q
                .bind(*household)
                .bind(*subject)
                .bind(*id)
                .bind(ts(at))
                .bind(by.user.0)
                .bind(by.org.0)
                .bind("import create")
                .bind("null");
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
