//! Queries of the data-resolution workflows: intake field provenance and history, conflicts
//! and their attempts and events, enrollment dates and entry/exit detections,
//! and the background jobs' bookkeeping. The decisions are made in `shared`; this file only
//! stores and loads.

use super::{parse_date, parse_stored, parse_ts, ts, Pool};
use chrono::{NaiveDate, NaiveDateTime};
use shared::api::resolution::{AttemptView, ContactOutcome, EntryExitView};
use shared::intake::FieldSource;
use shared::notify::ConflictId;
use shared::records::EnrollmentDates;
use shared::resolution::{
    ConflictState, ConflictSubject, ContactAttempt, ContactMethod, DataConflict, EntryExitConflict,
};
use shared::{ClientId, Field, HmisNumber, OrgId, ProgramId, RecordId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn decode<E: std::error::Error + Send + Sync + 'static>(e: E) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(v).map_err(decode)
}

// --- intake field provenance and history ---------------------------------------------------

/// Who last set `field` of `client`, if recorded (see 0005: otherwise the intake's creator,
/// `shared::intake::value_source`).
pub async fn field_provenance(
    conn: &mut AnyConnection,
    client: ClientId,
    field: Field,
) -> sqlx::Result<Option<FieldSource>> {
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT org_id, user_id, set_at FROM intake_field_provenance
         WHERE client_id = $1 AND field = $2",
    )
    .bind(client.0)
    .bind(field.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(o, u, at)| {
        Ok(FieldSource {
            field,
            org: OrgId(o),
            user: UserId(u),
            at: parse_ts(&at)?,
        })
    })
    .transpose()
}

/// Who last set each intake field of `client` that has a recorded change, on the pool or a
/// transaction's connection.
pub async fn field_sources<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    client: ClientId,
) -> sqlx::Result<Vec<FieldSource>> {
    let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT field, org_id, user_id, set_at FROM intake_field_provenance WHERE client_id = $1",
    )
    .bind(client.0)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(field, o, u, at)| {
            Ok(FieldSource {
                field: parse_stored("field", &field)?,
                org: OrgId(o),
                user: UserId(u),
                at: parse_ts(&at)?,
            })
        })
        .collect()
}

/// The `clients` column of an intake field, or `None` for fields stored elsewhere.
pub fn intake_column(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::LegalFirstName => "first_name",
        Field::LegalMiddleName => "middle_name",
        Field::LegalLastName => "last_name",
        Field::DateOfBirth => "date_of_birth",
        Field::Ssn => "ssn",
        Field::Gender => "gender",
        Field::MaritalStatus => "marital_status",
        Field::Sex => "sex",
        Field::VeteranStatus => "veteran_status",
        _ => return None,
    })
}

/// One intake change: the new value, who made it, and the old value with its provenance.
pub struct IntakeChange<'a> {
    pub client: ClientId,
    pub field: Field,
    pub column: &'static str,
    pub new_value: Option<&'a str>,
    pub old_value: Option<&'a str>,
    pub old_by: Option<(OrgId, UserId)>,
    pub at: NaiveDateTime,
    pub by: (OrgId, UserId),
    pub decision: &'a str,
    pub documentation: Option<String>,
    pub attachment: Option<RecordId>,
}

/// Writes an intake field, keeping the old value in `intake_history` (P-3) and recording who set
/// the new one.
pub async fn write_intake_field(conn: &mut AnyConnection, c: IntakeChange<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO intake_history (client_id, field, old_value, old_org_id, old_user_id,
             changed_at, changed_by, changed_by_org, decision, documentation, attachment_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(c.client.0)
    .bind(c.field.as_str())
    .bind(c.old_value)
    .bind(c.old_by.map(|b| b.0 .0))
    .bind(c.old_by.map(|b| b.1 .0))
    .bind(ts(c.at))
    .bind(c.by.1 .0)
    .bind(c.by.0 .0)
    .bind(c.decision)
    .bind(c.documentation)
    .bind(c.attachment.map(|a| a.0))
    .execute(&mut *conn)
    .await?;
    // The column name comes from `intake_column`'s fixed list, never from input.
    let sql = format!("UPDATE clients SET {} = $1 WHERE id = $2", c.column);
    sqlx::query(&sql)
        .bind(c.new_value)
        .bind(c.client.0)
        .execute(&mut *conn)
        .await?;
    super::refresh_search_keys(&mut *conn, c.client).await?;
    sqlx::query(
        "INSERT INTO intake_field_provenance (client_id, field, org_id, user_id, set_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (client_id, field)
         DO UPDATE SET org_id = excluded.org_id, user_id = excluded.user_id, set_at = excluded.set_at",
    )
    .bind(c.client.0)
    .bind(c.field.as_str())
    .bind(c.by.0 .0)
    .bind(c.by.1 .0)
    .bind(ts(c.at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Number of history rows of one intake field (tests and the profile's "changed" hint).
pub async fn intake_history_count(
    conn: &mut AnyConnection,
    client: ClientId,
    field: Field,
) -> sqlx::Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM intake_history WHERE client_id = $1 AND field = $2")
            .bind(client.0)
            .bind(field.as_str())
            .fetch_one(&mut *conn)
            .await?;
    Ok(n)
}

/// Whether `attachment` is a live Attachment record of `client` (R-1's optional scan).
pub async fn is_attachment_of(
    conn: &mut AnyConnection,
    client: ClientId,
    attachment: RecordId,
) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM records WHERE id = $1 AND client_id = $2 AND kind = 'Attachment'
         AND deleted = 0",
    )
    .bind(attachment.0)
    .bind(client.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

// --- Conflicts ------------------------------------------------------------------------------------

/// A stored conflict: the shared state machine's value plus what only storage knows.
#[derive(Debug, Clone)]
pub struct StoredConflict {
    pub conflict: DataConflict,
    pub attempts: Vec<AttemptView>,
    pub note: Option<RecordId>,
    pub detection: Option<i64>,
}

/// Inserts a new conflict built by `new_field_conflict` / `new_entry_exit_conflict`
/// with a placeholder id; returns the real id.
pub async fn insert_conflict(
    conn: &mut AnyConnection,
    c: &DataConflict,
    detection: Option<i64>,
    now: NaiveDateTime,
) -> sqlx::Result<ConflictId> {
    let (kind, field, enrollment) = match &c.subject {
        ConflictSubject::Field { field, .. } => ("field", Some(field.as_str().to_owned()), None),
        ConflictSubject::EntryExit { enrollment, .. } => ("entry_exit", None, Some(enrollment.0)),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO conflicts (client_id, kind, field, enrollment_id, detection_id, subject, state,
             state_name, reporter_org, reporter_user, addressed_org, addressed_user, opened_on,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
         RETURNING id",
    )
    .bind(c.client.0)
    .bind(kind)
    .bind(field)
    .bind(enrollment)
    .bind(detection)
    .bind(json(&c.subject)?)
    .bind(json(&c.state)?)
    .bind(c.state.as_str())
    .bind(c.reporter_org.0)
    .bind(c.reporter_user.0)
    .bind(c.addressed_org.0)
    .bind(c.addressed_user.map(|u| u.0))
    .bind(super::date(c.opened_on))
    .bind(ts(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(ConflictId(id))
}

const CONFLICT_SELECT: &str = "SELECT c.id, c.client_id, cl.hmis_number, c.subject, c.state,
    c.reporter_org, c.reporter_user, c.addressed_org, c.addressed_user, c.opened_on, c.note_id,
    c.detection_id
    FROM conflicts c JOIN clients cl ON cl.id = c.client_id";

fn conflict_from_row(row: &AnyRow) -> Result<StoredConflict, sqlx::Error> {
    let subject: String = row.try_get("subject")?;
    let state: String = row.try_get("state")?;
    let hmis: String = row.try_get("hmis_number")?;
    let addressed_user: Option<i64> = row.try_get("addressed_user")?;
    let note: Option<i64> = row.try_get("note_id")?;
    Ok(StoredConflict {
        conflict: DataConflict {
            id: ConflictId(row.try_get("id")?),
            client: ClientId(row.try_get("client_id")?),
            hmis_number: HmisNumber::parse(&hmis).map_err(decode)?,
            subject: serde_json::from_str(&subject).map_err(decode)?,
            reporter_org: OrgId(row.try_get("reporter_org")?),
            reporter_user: UserId(row.try_get("reporter_user")?),
            addressed_org: OrgId(row.try_get("addressed_org")?),
            addressed_user: addressed_user.map(UserId),
            opened_on: parse_date(&row.try_get::<String, _>("opened_on")?)?,
            attempts: Vec::new(),
            state: serde_json::from_str(&state).map_err(decode)?,
        },
        attempts: Vec::new(),
        note: note.map(RecordId),
        detection: row.try_get("detection_id")?,
    })
}

async fn with_attempts(
    conn: &mut AnyConnection,
    mut c: StoredConflict,
) -> sqlx::Result<StoredConflict> {
    let rows = sqlx::query(
        "SELECT id, attempted_on, method, outcome, by_user, by_org, logged_at
         FROM conflict_attempts WHERE conflict_id = $1 ORDER BY attempted_on, id",
    )
    .bind(c.conflict.id.0)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let method: String = row.try_get("method")?;
        let outcome: String = row.try_get("outcome")?;
        let outcome = parse_stored("outcome", &outcome)?;
        let view = AttemptView {
            id: row.try_get("id")?,
            when: parse_date(&row.try_get::<String, _>("attempted_on")?)?,
            how: parse_stored("contact method", &method)?,
            outcome,
            by_user: UserId(row.try_get("by_user")?),
            by_org: OrgId(row.try_get("by_org")?),
            logged_at: parse_ts(&row.try_get::<String, _>("logged_at")?)?,
        };
        c.conflict.attempts.push(ContactAttempt {
            on: view.when,
            method: view.how,
            by: view.by_user,
            outcome: view.outcome.outcome(),
        });
        c.attempts.push(view);
    }
    Ok(c)
}

pub async fn conflict(
    conn: &mut AnyConnection,
    id: ConflictId,
) -> sqlx::Result<Option<StoredConflict>> {
    let sql = format!("{CONFLICT_SELECT} WHERE c.id = $1 AND c.state_name <> 'pending'");
    let row = sqlx::query(&sql)
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Some(with_attempts(conn, conflict_from_row(&row)?).await?)),
        None => Ok(None),
    }
}

/// Which conflicts a list shows.
#[derive(Debug, Clone, Default)]
pub struct ConflictFilter {
    /// Conflicts this organization raised or is addressed by (`None`: all, for SystemAdmins).
    pub org: Option<OrgId>,
    pub state: Option<String>,
    pub kind: Option<String>,
    pub client: Option<ClientId>,
    pub field: Option<Field>,
}

pub async fn conflicts(
    conn: &mut AnyConnection,
    f: &ConflictFilter,
) -> sqlx::Result<Vec<StoredConflict>> {
    let mut sql = format!("{CONFLICT_SELECT} WHERE c.state_name <> 'pending'");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.org.is_some() {
        let p = next();
        sql.push_str(&format!(
            " AND (c.reporter_org = {p} OR c.addressed_org = {p})"
        ));
    }
    if f.state.is_some() {
        sql.push_str(&format!(" AND c.state_name = {}", next()));
    }
    if f.kind.is_some() {
        sql.push_str(&format!(" AND c.kind = {}", next()));
    }
    if f.client.is_some() {
        sql.push_str(&format!(" AND c.client_id = {}", next()));
    }
    if f.field.is_some() {
        sql.push_str(&format!(" AND c.field = {}", next()));
    }
    sql.push_str(" ORDER BY c.id DESC LIMIT 500");
    let mut q = sqlx::query(&sql);
    if let Some(o) = f.org {
        q = q.bind(o.0);
    }
    if let Some(s) = &f.state {
        q = q.bind(s.clone());
    }
    if let Some(k) = &f.kind {
        q = q.bind(k.clone());
    }
    if let Some(c) = f.client {
        q = q.bind(c.0);
    }
    if let Some(field) = f.field {
        q = q.bind(field.as_str());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(with_attempts(conn, conflict_from_row(row)?).await?);
    }
    Ok(out)
}

/// Stores a conflict's new state if nobody changed it meanwhile (`old` is the state it was
/// loaded with); records the change in `conflict_events`. Returns false when the row moved on.
#[allow(clippy::too_many_arguments)]
pub async fn save_state(
    conn: &mut AnyConnection,
    id: ConflictId,
    old: &ConflictState,
    new: &ConflictState,
    note: Option<RecordId>,
    step: &str,
    by: (OrgId, UserId),
    now: NaiveDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE conflicts SET state = $1, state_name = $2, note_id = COALESCE($3, note_id),
             updated_at = $4
         WHERE id = $5 AND state = $6",
    )
    .bind(json(new)?)
    .bind(new.as_str())
    .bind(note.map(|n| n.0))
    .bind(ts(now))
    .bind(id.0)
    .bind(json(old)?)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO conflict_events (conflict_id, at, by_user, by_org, step, old_state, new_state)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.0)
    .bind(ts(now))
    .bind(by.1 .0)
    .bind(by.0 .0)
    .bind(step)
    .bind(json(old)?)
    .bind(json(new)?)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Logs a contact attempt.
pub async fn insert_attempt(
    conn: &mut AnyConnection,
    conflict: ConflictId,
    on: NaiveDate,
    method: ContactMethod,
    outcome: ContactOutcome,
    by: (OrgId, UserId),
    now: NaiveDateTime,
) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO conflict_attempts (conflict_id, attempted_on, method, outcome, by_user,
             by_org, logged_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(conflict.0)
    .bind(super::date(on))
    .bind(method.as_str())
    .bind(outcome.as_str())
    .bind(by.1 .0)
    .bind(by.0 .0)
    .bind(ts(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Adds a ProfileNote (a `records` row of kind ProfileNote, the text in `detail`; ).
pub async fn insert_profile_note(
    conn: &mut AnyConnection,
    client: ClientId,
    by: (OrgId, UserId),
    title: &str,
    text: &str,
    now: NaiveDateTime,
) -> sqlx::Result<RecordId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO records (client_id, kind, org_id, author_id, created_at, title, detail)
         VALUES ($1, 'ProfileNote', $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(client.0)
    .bind(by.0 .0)
    .bind(by.1 .0)
    .bind(ts(now))
    .bind(title)
    .bind(text)
    .fetch_one(&mut *conn)
    .await?;
    Ok(RecordId(id))
}

// --- enrollment dates and detections -------------------------------------------------------

/// The dates of a client's live (not tombstoned) enrollments, read from the records engineer's
/// `enrollments` detail table; the owner is the registry row's organization.
pub async fn enrollment_dates_of_client(
    pool: &Pool,
    client: ClientId,
) -> sqlx::Result<Vec<EnrollmentDates>> {
    let mut conn = pool.acquire().await?;
    enrollment_dates(&mut conn, client).await
}

pub async fn enrollment_dates(
    conn: &mut AnyConnection,
    client: ClientId,
) -> sqlx::Result<Vec<EnrollmentDates>> {
    let rows = sqlx::query(
        "SELECT r.id, r.org_id, e.program_id, p.hud_project_type, e.entry_date, e.exit_date,
                e.move_in_date
         FROM records r
         JOIN enrollments e ON e.record_id = r.id
         JOIN programs p ON p.id = e.program_id
         WHERE r.client_id = $1 AND r.kind = 'Enrollment' AND r.deleted = 0
         ORDER BY r.id",
    )
    .bind(client.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let opt = |col: &str| -> sqlx::Result<Option<NaiveDate>> {
                row.try_get::<Option<String>, _>(col)?
                    .as_deref()
                    .map(parse_date)
                    .transpose()
            };
            Ok(EnrollmentDates {
                record: RecordId(row.try_get("id")?),
                org: OrgId(row.try_get("org_id")?),
                program: ProgramId(row.try_get("program_id")?),
                project_type: super::records::project_type(row.try_get("hud_project_type")?)?,
                entry: parse_date(&row.try_get::<String, _>("entry_date")?)?,
                exit: opt("exit_date")?,
                move_in: opt("move_in_date")?,
            })
        })
        .collect()
}

/// Clients the daily scan looks at: those with an enrollment or an uncleared detection.
pub async fn clients_to_scan(conn: &mut AnyConnection) -> sqlx::Result<Vec<ClientId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT r.client_id FROM records r JOIN enrollments e ON e.record_id = r.id
         UNION SELECT client_id FROM entry_exit_detections WHERE cleared_at IS NULL
         ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(c,)| ClientId(c)).collect())
}

/// A stored detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub id: i64,
    pub client: ClientId,
    pub found: EntryExitConflict,
    pub detected_at: NaiveDateTime,
    pub cleared: bool,
}

fn detection_from_row(row: &AnyRow) -> sqlx::Result<Detection> {
    let issue: String = row.try_get("issue")?;
    let second: Option<i64> = row.try_get("second_record")?;
    let second_org: Option<i64> = row.try_get("second_org")?;
    Ok(Detection {
        id: row.try_get("id")?,
        client: ClientId(row.try_get("client_id")?),
        found: EntryExitConflict {
            issue: parse_stored("entry/exit issue", &issue)?,
            first: RecordId(row.try_get("first_record")?),
            first_org: OrgId(row.try_get("first_org")?),
            second: second.map(RecordId),
            second_org: second_org.map(OrgId),
            from: parse_date(&row.try_get::<String, _>("from_date")?)?,
        },
        detected_at: parse_ts(&row.try_get::<String, _>("detected_at")?)?,
        cleared: row.try_get::<Option<String>, _>("cleared_at")?.is_some(),
    })
}

const DETECTION_COLUMNS: &str = "id, client_id, issue, first_record, first_org, second_record,
    second_org, from_date, detected_at, cleared_at";

pub async fn detection(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<Detection>> {
    let sql = format!("SELECT {DETECTION_COLUMNS} FROM entry_exit_detections WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(detection_from_row).transpose()
}

/// Replaces the client's current detections by `found`: new ones are inserted, ones no longer
/// found are cleared (kept, P-3), unchanged ones stay as they are. Returns the ids cleared.
pub async fn sync_detections(
    conn: &mut AnyConnection,
    client: ClientId,
    found: &[EntryExitConflict],
    now: NaiveDateTime,
) -> sqlx::Result<Vec<i64>> {
    let sql = format!(
        "SELECT {DETECTION_COLUMNS} FROM entry_exit_detections
         WHERE client_id = $1 AND cleared_at IS NULL"
    );
    let rows = sqlx::query(&sql)
        .bind(client.0)
        .fetch_all(&mut *conn)
        .await?;
    let current: Vec<Detection> = rows
        .iter()
        .map(detection_from_row)
        .collect::<sqlx::Result<_>>()?;
    let mut cleared = Vec::new();
    for d in &current {
        if !found.contains(&d.found) {
            sqlx::query("UPDATE entry_exit_detections SET cleared_at = $1 WHERE id = $2")
                .bind(ts(now))
                .bind(d.id)
                .execute(&mut *conn)
                .await?;
            cleared.push(d.id);
        }
    }
    for f in found {
        if current.iter().any(|d| d.found == *f) {
            continue;
        }
        sqlx::query(
            "INSERT INTO entry_exit_detections (client_id, issue, first_record, first_org,
                 second_record, second_org, from_date, detected_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT DO NOTHING",
        )
        .bind(client.0)
        .bind(f.issue.as_str())
        .bind(f.first.0)
        .bind(f.first_org.0)
        .bind(f.second.map(|r| r.0))
        .bind(f.second_org.map(|o| o.0))
        .bind(super::date(f.from))
        .bind(ts(now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(cleared)
}

/// Current detections involving `org` (either enrollment's owner), or of `client`, or all.
pub async fn detections(
    conn: &mut AnyConnection,
    org: Option<OrgId>,
    client: Option<ClientId>,
) -> sqlx::Result<Vec<EntryExitView>> {
    let mut sql = "SELECT d.id, d.client_id, cl.hmis_number, d.issue, d.first_record, d.first_org,
            d.second_record, d.second_org, d.from_date, d.detected_at, d.cleared_at,
            (SELECT MAX(c.id) FROM conflicts c WHERE c.detection_id = d.id
                AND c.state_name NOT IN ('pending', 'resolved')) AS conflict_id
         FROM entry_exit_detections d JOIN clients cl ON cl.id = d.client_id
         WHERE d.cleared_at IS NULL"
        .to_owned();
    let mut n = 0;
    if org.is_some() {
        n += 1;
        sql.push_str(&format!(" AND (d.first_org = ${n} OR d.second_org = ${n})"));
    }
    if client.is_some() {
        n += 1;
        sql.push_str(&format!(" AND d.client_id = ${n}"));
    }
    sql.push_str(" ORDER BY d.id DESC LIMIT 500");
    let mut q = sqlx::query(&sql);
    if let Some(o) = org {
        q = q.bind(o.0);
    }
    if let Some(c) = client {
        q = q.bind(c.0);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            let d = detection_from_row(row)?;
            let hmis: String = row.try_get("hmis_number")?;
            let conflict: Option<i64> = row.try_get("conflict_id")?;
            Ok(EntryExitView {
                id: d.id,
                client: d.client,
                hmis_number: HmisNumber::parse(&hmis).map_err(decode)?,
                issue: d.found.issue,
                description: d.found.issue.label().to_owned(),
                first: d.found.first,
                first_org: d.found.first_org,
                second: d.found.second,
                second_org: d.found.second_org,
                from: d.found.from,
                detected_at: d.detected_at,
                conflict: conflict.map(ConflictId),
            })
        })
        .collect()
}

/// Unresolved conflicts opened about a detection.
pub async fn open_conflicts_of_detection(
    conn: &mut AnyConnection,
    detection: i64,
) -> sqlx::Result<Vec<ConflictId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM conflicts WHERE detection_id = $1
         AND state_name NOT IN ('pending', 'resolved') ORDER BY id",
    )
    .bind(detection)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(c,)| ConflictId(c)).collect())
}

/// Entry/exit conflicts waiting at the agency-admin step, for the data-center job.
pub async fn escalated_entry_exit_conflicts(
    conn: &mut AnyConnection,
) -> sqlx::Result<Vec<ConflictId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM conflicts WHERE kind = 'entry_exit' AND state_name = 'escalated'
         ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(c,)| ConflictId(c)).collect())
}

/// Whether a detection is still current (not cleared by a correction).
pub async fn detection_is_current(conn: &mut AnyConnection, id: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM entry_exit_detections WHERE id = $1 AND cleared_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

// --- Jobs -----------------------------------------------------------------------------------------

/// The day a daily job last ran.
pub async fn job_last_run(conn: &mut AnyConnection, job: &str) -> sqlx::Result<Option<NaiveDate>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT last_run_on FROM job_runs WHERE job = $1")
        .bind(job)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(d,)| parse_date(&d)).transpose()
}

pub async fn set_job_run(conn: &mut AnyConnection, job: &str, on: NaiveDate) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO job_runs (job, last_run_on) VALUES ($1, $2)
         ON CONFLICT (job) DO UPDATE SET last_run_on = excluded.last_run_on",
    )
    .bind(job)
    .bind(super::date(on))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
