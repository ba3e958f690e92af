//! Queries of the client records API: the `records` registry, the per-kind detail tables of
//! migration 0004, and `record_history` (P-3). No rule lives here: routes decide, this stores.

use super::{get_date, get_opt_date, opt_stored, parse_stored, parse_ts, RecordRow};
use chrono::NaiveDateTime;
use shared::api::records::{
    AttachmentDetails, CaseManagerDetails, ContactDetails, DemographicsDetails, EnrollmentDetails,
    FormDetails, NoteDetails, PhotoDetails, RecordDetails, ServiceDetails,
};
use shared::hud::{CocCode, RaceEthnicitySet};
use shared::records::{DocumentType, ProjectType};
use shared::{
    Actor, ClientId, OrgId, ProgramId, Provenance, RecordId, RecordKind, RecordMeta,
    SecuritySetting, UserId,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

fn decode(what: &str, v: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what} in the database: {v:?}").into())
}

/// With the entering user's and organization's names (S-2, `db::ENTERED_BY`).
fn record_select() -> String {
    format!(
        "SELECT id, client_id, kind, org_id, author_id, created_at, security, title, detail,
         deleted, {} FROM records",
        super::ENTERED_BY
    )
}

fn record_from_row(row: &AnyRow) -> sqlx::Result<RecordRow> {
    let kind: String = row.try_get("kind")?;
    let sec: Option<String> = row.try_get("security")?;
    Ok(RecordRow {
        meta: RecordMeta {
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
        },
        title: row.try_get("title")?,
        detail: row.try_get("detail")?,
        entered_by: super::entered_by_from(row)?,
    })
}

/// One registry row by id, whatever its client and kind.
pub async fn record(conn: &mut AnyConnection, id: RecordId) -> sqlx::Result<Option<RecordRow>> {
    let sql = format!("{} WHERE id = $1", record_select());
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(conn).await?;
    row.as_ref().map(record_from_row).transpose()
}

/// Compare-and-set on a record's registry row: touches it (`SET deleted = deleted`, no value
/// changes) only if its title, detail, security and tombstone are still those of `seen`; false
/// when the row changed meanwhile. Every change to a record makes this the *first* statement of
/// its transaction, so that:
/// - on SQLite the transaction takes the database's write lock before it reads anything (a
///   deferred transaction that read first would get `SQLITE_BUSY_SNAPSHOT` instead of waiting
///   for a concurrent writer), and then sees the latest committed state;
/// - on PostgreSQL it holds the row's lock until commit: a concurrent claim of the same record
///   waits, then re-checks its condition against the committed row (READ COMMITTED), and the
///   statements after it see what the other transaction committed.
///
/// So changes to one record are serialized, and the caller then checks the detail row too
/// (`details` inside the transaction) before writing.
pub async fn claim(conn: &mut AnyConnection, seen: &RecordRow) -> sqlx::Result<bool> {
    let security = match seen.meta.security {
        Some(_) => "security = $5",
        None => "security IS NULL",
    };
    let sql = format!(
        "UPDATE records SET deleted = deleted
         WHERE id = $1 AND title = $2 AND detail = $3 AND deleted = $4 AND {security}"
    );
    let mut q = sqlx::query(&sql)
        .bind(seen.meta.id.0)
        .bind(&seen.title)
        .bind(&seen.detail)
        .bind(i64::from(seen.meta.deleted));
    if let Some(s) = seen.meta.security {
        q = q.bind(s.as_str());
    }
    Ok(q.execute(conn).await?.rows_affected() == 1)
}

/// A client's records of some kinds, tombstones included (the read decision hides them), newest
/// first.
pub async fn of_client(
    conn: &mut AnyConnection,
    client: ClientId,
    kinds: &[RecordKind],
) -> sqlx::Result<Vec<RecordRow>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let params: Vec<String> = (2..kinds.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "{} WHERE client_id = $1 AND kind IN ({})
         ORDER BY created_at DESC, id DESC",
        record_select(),
        params.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(client.0);
    for k in kinds {
        q = q.bind(k.as_str());
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(record_from_row)
        .collect()
}

/// A stored HUD project type code, decoded by the one shared list (`shared::hud`); a code
/// outside it is a decode error, never a guess.
pub fn project_type(hud_code: i64) -> sqlx::Result<ProjectType> {
    ProjectType::from_code(hud_code).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A program: its organization, name and project type.
#[derive(Debug, Clone)]
pub struct Program {
    pub id: ProgramId,
    pub org: OrgId,
    pub name: String,
    pub project_type: ProjectType,
}

pub async fn program(conn: &mut AnyConnection, id: ProgramId) -> sqlx::Result<Option<Program>> {
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT org_id, name, hud_project_type FROM programs WHERE id = $1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    row.map(|(org, name, code)| {
        Ok(Program {
            id,
            org: OrgId(org),
            name,
            project_type: project_type(code)?,
        })
    })
    .transpose()
}

/// Several programs at once (one query), by id; unknown ids are absent.
pub async fn programs(
    conn: &mut AnyConnection,
    ids: &[ProgramId],
) -> sqlx::Result<HashMap<ProgramId, Program>> {
    let mut ids = ids.to_vec();
    ids.sort_by_key(|p| p.0);
    ids.dedup();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IN_LIST) {
        let params: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, org_id, name, hud_project_type FROM programs WHERE id IN ({})",
            params.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, i64, String, i64)>(&sql);
        for p in chunk {
            q = q.bind(p.0);
        }
        for (id, org, name, code) in q.fetch_all(&mut *conn).await? {
            let id = ProgramId(id);
            out.insert(
                id,
                Program {
                    id,
                    org: OrgId(org),
                    name,
                    project_type: project_type(code)?,
                },
            );
        }
    }
    Ok(out)
}

/// The detail row of a record, if it has one (records entered before migration 0004 do not).
/// The service note is returned in full: the route redacts it.
pub async fn details(
    conn: &mut AnyConnection,
    meta: &RecordMeta,
) -> sqlx::Result<Option<RecordDetails>> {
    Ok(details_of(conn, &[meta]).await?.remove(&meta.id))
}

/// How many record ids one `IN (...)` list binds at most: far below both backends' limits on
/// placeholders (SQLite 32,766, PostgreSQL 65,535), and more than a client has of one kind.
const IN_LIST: usize = 500;

/// The detail rows of many records at once (each record as `details` gives it; records without
/// one are absent): one query per kind present, `WHERE record_id IN ($1, ..., $n)`, instead of
/// one query per record. Only the records asked for are read.
pub async fn details_of(
    conn: &mut AnyConnection,
    metas: &[&RecordMeta],
) -> sqlx::Result<HashMap<RecordId, RecordDetails>> {
    let mut out = HashMap::with_capacity(metas.len());
    for kind in RecordKind::ALL {
        let of_kind: Vec<&RecordMeta> = metas.iter().copied().filter(|m| m.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let Some(select) = detail_select(kind) else {
            if kind == RecordKind::ProfileNote {
                // A note's text is `records.detail`; the route fills it in.
                for m in of_kind {
                    out.insert(
                        m.id,
                        RecordDetails::Note(NoteDetails {
                            text: String::new(),
                        }),
                    );
                }
            }
            continue;
        };
        for chunk in of_kind.chunks(IN_LIST) {
            let params: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("{select} IN ({})", params.join(", "));
            let mut q = sqlx::query(&sql);
            for m in chunk {
                q = q.bind(m.id.0);
            }
            let asked: HashMap<RecordId, &RecordMeta> = chunk.iter().map(|m| (m.id, *m)).collect();
            for r in q.fetch_all(&mut *conn).await? {
                let id = RecordId(r.try_get("record_id")?);
                if let Some(meta) = asked.get(&id) {
                    out.insert(id, detail_from_row(&r, meta)?);
                }
            }
        }
    }
    Ok(out)
}

/// The query of a kind's detail rows, up to the `IN` list of record ids; `None` for the kinds
/// without a detail table (notes, intake).
fn detail_select(kind: RecordKind) -> Option<&'static str> {
    Some(match kind {
        RecordKind::Enrollment => {
            "SELECT e.record_id, e.program_id, p.name, e.case_name, e.entry_date, e.exit_date,
                    e.move_in_date, e.head_of_household, e.prior_living_situation,
                    e.disabling_condition, e.enrollment_coc, e.destination
             FROM enrollments e JOIN programs p ON p.id = e.program_id WHERE e.record_id"
        }
        RecordKind::Service => {
            "SELECT record_id, service_kind, service_date, description, enrollment_id,
                    case_management_minutes, case_management_note, note_security
             FROM services WHERE record_id"
        }
        RecordKind::FamilyContact => {
            "SELECT record_id, contact_kind, value, start_date, end_date FROM contact_rows
             WHERE record_id"
        }
        RecordKind::Demographics => {
            "SELECT record_id, ethnicity, race, religious_preference, citizenship_status,
                    race_ethnicity, additional_race_ethnicity
             FROM demographics WHERE record_id"
        }
        RecordKind::CaseManager => {
            "SELECT record_id, head_of_household_id, program_id, case_manager_id, start_date,
                    end_date
             FROM case_managers WHERE record_id"
        }
        RecordKind::Form => "SELECT record_id, form_type, answers FROM forms WHERE record_id",
        RecordKind::Attachment => {
            "SELECT record_id, document_type, file_name, content_type, size_bytes, sha256,
                    service_id
             FROM attachments WHERE record_id"
        }
        RecordKind::Photo => {
            "SELECT record_id, content_type, size_bytes, sha256 FROM photos WHERE record_id"
        }
        RecordKind::ProfileNote | RecordKind::Intake => return None,
    })
}

/// One detail row of `detail_select(meta.kind)` as the API shows it.
fn detail_from_row(r: &AnyRow, meta: &RecordMeta) -> sqlx::Result<RecordDetails> {
    let sec = meta.security.unwrap_or(SecuritySetting::ShareWithRoiMou);
    Ok(match meta.kind {
        RecordKind::Enrollment => RecordDetails::Enrollment(EnrollmentDetails {
            program_id: ProgramId(r.try_get("program_id")?),
            program_name: r.try_get("name")?,
            case_name: r.try_get("case_name")?,
            entry_date: get_date(r, "entry_date")?,
            exit_date: get_opt_date(r, "exit_date")?,
            move_in_date: get_opt_date(r, "move_in_date")?,
            head_of_household: r.try_get::<i64, _>("head_of_household")? != 0,
            prior_living_situation: opt_stored(r, "prior_living_situation")?,
            disabling_condition: opt_stored(r, "disabling_condition")?,
            enrollment_coc: r
                .try_get::<Option<String>, _>("enrollment_coc")?
                .map(|c| CocCode::parse(&c).map_err(|e| sqlx::Error::Decode(Box::new(e))))
                .transpose()?,
            destination: opt_stored(r, "destination")?,
        }),
        RecordKind::Service => {
            let kind: String = r.try_get("service_kind")?;
            let minutes: Option<i64> = r.try_get("case_management_minutes")?;
            RecordDetails::Service(ServiceDetails {
                service_kind: parse_stored("service kind", &kind)?,
                date: get_date(r, "service_date")?,
                description: r.try_get("description")?,
                enrollment_id: r.try_get::<Option<i64>, _>("enrollment_id")?.map(RecordId),
                case_management_minutes: minutes.and_then(|m| u32::try_from(m).ok()),
                case_management_note: r.try_get("case_management_note")?,
                note_security: parse_stored(
                    "security setting",
                    &r.try_get::<String, _>("note_security")?,
                )?,
                note_hidden: false,
            })
        }
        RecordKind::FamilyContact => {
            let kind: String = r.try_get("contact_kind")?;
            RecordDetails::Contact(ContactDetails {
                contact_kind: parse_stored("contact kind", &kind)?,
                value: r.try_get("value")?,
                start_date: get_date(r, "start_date")?,
                end_date: get_opt_date(r, "end_date")?,
                entered_by: meta.provenance.org,
            })
        }
        RecordKind::Demographics => RecordDetails::Demographics(DemographicsDetails {
            race_ethnicity: r
                .try_get::<Option<String>, _>("race_ethnicity")?
                .map(|s| {
                    RaceEthnicitySet::from_stored(&s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
                })
                .transpose()?,
            additional_race_ethnicity: r.try_get("additional_race_ethnicity")?,
            religious_preference: r.try_get("religious_preference")?,
            citizenship_status: r.try_get("citizenship_status")?,
            legacy_race: r.try_get("race")?,
            legacy_ethnicity: r.try_get("ethnicity")?,
        }),
        RecordKind::CaseManager => RecordDetails::CaseManager(CaseManagerDetails {
            head_of_household: ClientId(r.try_get("head_of_household_id")?),
            agency: meta.provenance.org,
            program_id: ProgramId(r.try_get("program_id")?),
            case_manager_id: UserId(r.try_get("case_manager_id")?),
            start_date: get_date(r, "start_date")?,
            end_date: get_opt_date(r, "end_date")?,
        }),
        RecordKind::Form => {
            let t: String = r.try_get("form_type")?;
            let answers: String = r.try_get("answers")?;
            RecordDetails::Form(FormDetails {
                form_type: parse_stored("form type", &t)?,
                answers: serde_json::from_str(&answers)
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                security: sec,
            })
        }
        RecordKind::Attachment => {
            let t: String = r.try_get("document_type")?;
            RecordDetails::Attachment(AttachmentDetails {
                document_type: parse_stored("document type", &t)?,
                file_name: r.try_get("file_name")?,
                content_type: r.try_get("content_type")?,
                size_bytes: u64::try_from(r.try_get::<i64, _>("size_bytes")?).unwrap_or(0),
                sha256: r.try_get("sha256")?,
                service_id: r.try_get::<Option<i64>, _>("service_id")?.map(RecordId),
                security: sec,
            })
        }
        RecordKind::Photo => RecordDetails::Photo(PhotoDetails {
            content_type: r.try_get("content_type")?,
            size_bytes: u64::try_from(r.try_get::<i64, _>("size_bytes")?).unwrap_or(0),
            sha256: r.try_get("sha256")?,
        }),
        RecordKind::ProfileNote | RecordKind::Intake => {
            return Err(decode("record kind with a detail row", meta.kind.label()))
        }
    })
}

/// The storage key of an attachment's or photo's file.
pub async fn storage_key(
    conn: &mut AnyConnection,
    meta: &RecordMeta,
) -> sqlx::Result<Option<String>> {
    let sql = match meta.kind {
        RecordKind::Attachment => "SELECT storage_key FROM attachments WHERE record_id = $1",
        RecordKind::Photo => "SELECT storage_key FROM photos WHERE record_id = $1",
        _ => return Ok(None),
    };
    let row: Option<(String,)> = sqlx::query_as(sql)
        .bind(meta.id.0)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(k,)| k))
}

/// A new registry row.
pub struct NewRow<'a> {
    pub client: ClientId,
    pub kind: RecordKind,
    pub org: OrgId,
    pub author: UserId,
    pub at: NaiveDateTime,
    pub security: Option<SecuritySetting>,
    pub title: &'a str,
    pub detail: &'a str,
}

pub async fn insert_record(conn: &mut AnyConnection, r: NewRow<'_>) -> sqlx::Result<RecordId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO records (client_id, kind, org_id, author_id, created_at, security, title,
                              detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(r.client.0)
    .bind(r.kind.as_str())
    .bind(r.org.0)
    .bind(r.author.0)
    .bind(super::ts(r.at))
    .bind(r.security.map(SecuritySetting::as_str))
    .bind(r.title)
    .bind(r.detail)
    .fetch_one(conn)
    .await?;
    Ok(RecordId(id))
}

fn opt_date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(super::date)
}

/// A detail table, its columns (after `record_id`) and one row's values.
pub(crate) type DetailRow = (&'static str, &'static [&'static str], Vec<Value>);

/// A detail row's table, columns and values (`None` for kinds without one: notes, files).
pub(crate) fn detail_row(details: &RecordDetails) -> sqlx::Result<Option<DetailRow>> {
    let table = match details {
        RecordDetails::Enrollment(_) => "enrollments",
        RecordDetails::Service(_) => "services",
        RecordDetails::Contact(_) => "contact_rows",
        RecordDetails::Demographics(_) => "demographics",
        RecordDetails::CaseManager(_) => "case_managers",
        RecordDetails::Form(_) => "forms",
        RecordDetails::Attachment(_) | RecordDetails::Photo(_) | RecordDetails::Note(_) => {
            // Files are written by `insert_file`; notes have no detail row.
            return Ok(None);
        }
    };
    let (cols, values): (&[&str], Vec<Value>) = match details {
        RecordDetails::Enrollment(e) => (
            &[
                "program_id",
                "case_name",
                "entry_date",
                "exit_date",
                "move_in_date",
                "head_of_household",
                "prior_living_situation",
                "disabling_condition",
                "enrollment_coc",
                "destination",
            ],
            vec![
                Value::I(Some(e.program_id.0)),
                Value::S(Some(e.case_name.clone())),
                Value::S(Some(super::date(e.entry_date))),
                Value::S(opt_date(e.exit_date)),
                Value::S(opt_date(e.move_in_date)),
                Value::I(Some(i64::from(e.head_of_household))),
                Value::S(e.prior_living_situation.map(|v| v.as_str().to_owned())),
                Value::S(e.disabling_condition.map(|v| v.as_str().to_owned())),
                Value::S(e.enrollment_coc.as_ref().map(|c| c.as_str().to_owned())),
                Value::S(e.destination.map(|v| v.as_str().to_owned())),
            ],
        ),
        RecordDetails::Service(s) => (
            &[
                "service_kind",
                "service_date",
                "description",
                "enrollment_id",
                "case_management_minutes",
                "case_management_note",
                "note_security",
            ],
            vec![
                Value::S(Some(s.service_kind.as_str().to_owned())),
                Value::S(Some(super::date(s.date))),
                Value::S(Some(s.description.clone())),
                Value::I(s.enrollment_id.map(|e| e.0)),
                Value::I(s.case_management_minutes.map(i64::from)),
                Value::S(s.case_management_note.clone()),
                Value::S(Some(s.note_security.as_str().to_owned())),
            ],
        ),
        RecordDetails::Contact(c) => (
            &["contact_kind", "value", "start_date", "end_date"],
            vec![
                Value::S(Some(c.contact_kind.as_str().to_owned())),
                Value::S(Some(c.value.clone())),
                Value::S(Some(super::date(c.start_date))),
                Value::S(opt_date(c.end_date)),
            ],
        ),
        RecordDetails::Demographics(d) => (
            &[
                "race_ethnicity",
                "additional_race_ethnicity",
                "ethnicity",
                "race",
                "religious_preference",
                "citizenship_status",
            ],
            vec![
                Value::S(d.race_ethnicity.as_ref().map(RaceEthnicitySet::stored)),
                Value::S(d.additional_race_ethnicity.clone()),
                Value::S(d.legacy_ethnicity.clone()),
                Value::S(d.legacy_race.clone()),
                Value::S(d.religious_preference.clone()),
                Value::S(d.citizenship_status.clone()),
            ],
        ),
        RecordDetails::CaseManager(c) => (
            &[
                "head_of_household_id",
                "program_id",
                "case_manager_id",
                "start_date",
                "end_date",
            ],
            vec![
                Value::I(Some(c.head_of_household.0)),
                Value::I(Some(c.program_id.0)),
                Value::I(Some(c.case_manager_id.0)),
                Value::S(Some(super::date(c.start_date))),
                Value::S(opt_date(c.end_date)),
            ],
        ),
        RecordDetails::Form(f) => (
            &["form_type", "answers"],
            vec![
                Value::S(Some(f.form_type.as_str().to_owned())),
                Value::S(Some(
                    serde_json::to_string(&f.answers)
                        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?,
                )),
            ],
        ),
        RecordDetails::Attachment(_) | RecordDetails::Photo(_) | RecordDetails::Note(_) => {
            return Ok(None)
        }
    };
    Ok(Some((table, cols, values)))
}

/// Writes a record's detail row: inserts it, or replaces the existing one (`exists`). Notes have
/// none (their text is `records.detail`).
pub async fn write_details(
    conn: &mut AnyConnection,
    id: RecordId,
    details: &RecordDetails,
    exists: bool,
) -> sqlx::Result<()> {
    let Some((table, cols, values)) = detail_row(details)? else {
        return Ok(());
    };
    let sql = if exists {
        let sets: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        format!(
            "UPDATE {table} SET {} WHERE record_id = ${}",
            sets.join(", "),
            cols.len() + 1
        )
    } else {
        let params: Vec<String> = (2..=cols.len() + 1).map(|i| format!("${i}")).collect();
        format!(
            "INSERT INTO {table} (record_id, {}) VALUES ($1, {})",
            cols.join(", "),
            params.join(", ")
        )
    };
    let mut q = sqlx::query(&sql);
    if !exists {
        q = q.bind(id.0);
    }
    for v in values {
        q = match v {
            Value::I(i) => q.bind(i),
            Value::S(s) => q.bind(s),
        };
    }
    if exists {
        q = q.bind(id.0);
    }
    q.execute(conn).await?;
    Ok(())
}

/// A bound value of a detail row.
pub(crate) enum Value {
    I(Option<i64>),
    S(Option<String>),
}

/// A stored file's metadata, for `attachments` or `photos`.
pub struct StoredFile<'a> {
    pub content_type: &'a str,
    pub size: usize,
    pub sha256: &'a str,
    pub storage_key: &'a str,
}

pub async fn insert_attachment(
    conn: &mut AnyConnection,
    id: RecordId,
    document_type: DocumentType,
    file_name: &str,
    service: Option<RecordId>,
    f: &StoredFile<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO attachments (record_id, document_type, file_name, content_type, size_bytes,
                                  sha256, storage_key, service_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.0)
    .bind(document_type.as_str())
    .bind(file_name)
    .bind(f.content_type)
    .bind(i64::try_from(f.size).unwrap_or(i64::MAX))
    .bind(f.sha256)
    .bind(f.storage_key)
    .bind(service.map(|s| s.0))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_attachment(
    conn: &mut AnyConnection,
    id: RecordId,
    document_type: DocumentType,
    file_name: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE attachments SET document_type = $1, file_name = $2 WHERE record_id = $3")
        .bind(document_type.as_str())
        .bind(file_name)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts or replaces a photo's file row.
pub async fn write_photo(
    conn: &mut AnyConnection,
    id: RecordId,
    f: &StoredFile<'_>,
    exists: bool,
) -> sqlx::Result<()> {
    let sql = if exists {
        "UPDATE photos SET content_type = $1, size_bytes = $2, sha256 = $3, storage_key = $4
         WHERE record_id = $5"
    } else {
        "INSERT INTO photos (content_type, size_bytes, sha256, storage_key, record_id)
         VALUES ($1, $2, $3, $4, $5)"
    };
    sqlx::query(sql)
        .bind(f.content_type)
        .bind(i64::try_from(f.size).unwrap_or(i64::MAX))
        .bind(f.sha256)
        .bind(f.storage_key)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Updates the registry's profile summary (and, for notes, the text).
pub async fn set_summary(
    conn: &mut AnyConnection,
    id: RecordId,
    title: &str,
    detail: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE records SET title = $1, detail = $2 WHERE id = $3")
        .bind(title)
        .bind(detail)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_security(
    conn: &mut AnyConnection,
    id: RecordId,
    to: SecuritySetting,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE records SET security = $1 WHERE id = $2")
        .bind(to.as_str())
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_note_security(
    conn: &mut AnyConnection,
    id: RecordId,
    to: SecuritySetting,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE services SET note_security = $1 WHERE record_id = $2")
        .bind(to.as_str())
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// P-3: the tombstone. The database refuses it for services.
pub async fn tombstone(conn: &mut AnyConnection, id: RecordId) -> sqlx::Result<()> {
    sqlx::query("UPDATE records SET deleted = 1 WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// P-3: keeps the old value (JSON; `null` for a creation) before a change.
pub async fn history(
    conn: &mut AnyConnection,
    id: RecordId,
    at: NaiveDateTime,
    actor: &Actor,
    action: &str,
    old_value: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO record_history (record_id, changed_at, changed_by, changed_by_org, action,
                                     old_value)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.0)
    .bind(super::ts(at))
    .bind(actor.user.0)
    .bind(actor.org.0)
    .bind(action)
    .bind(old_value)
    .execute(conn)
    .await?;
    Ok(())
}

/// The user's organization, if the user exists.
pub async fn user_org(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<Option<OrgId>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT org_id FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(o,)| OrgId(o)))
}

/// A user's display name.
pub async fn user_name(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(n,)| n))
}
