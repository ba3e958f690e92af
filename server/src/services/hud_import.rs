//! HUD CSV import (`hearth-server import-hud PATH [--dry-run]`, issue #16): reads a folder or a
//! zip of HUD HMIS CSV files (FY2026), checks every row strictly (the code lists of `shared::hud`, dates,
//! required values, primary and foreign keys), and writes what Hearth holds (organizations,
//! users, programs, clients with intake and demographics, enrollments with their exits, services,
//! the domestic-violence and health forms) under the sharing policy's ownership, one transaction
//! per file, every change in history and audited as an import. What Hearth does not hold yet is
//! reported per file and per column. A dry run does the same in one transaction it rolls back.
//!
//! Re-importing: each imported row is mapped (migration 0017) by (source, HUD file, HUD id) to
//! the Hearth row it became; a later export of the same source updates the rows whose
//! `DateUpdated` is newer and tombstones those it marks `DateDeleted`. Decisions:
//! docs/decisions.md, "HUD CSV import".

pub mod job;
mod report;
mod table;

pub use report::{FileReport, FileStatus, Report, RowError, RowWarning};

use crate::db::hud_import::{self as q, MapRow};
use crate::db::{self, records as store, AuditEntry, Pool};
use chrono::{NaiveDate, NaiveDateTime};
use shared::api::intake::NewClientRequest;
use shared::api::records::{
    DemographicsDetails, EnrollmentDetails, FormDetails, RecordDetails, ServiceDetails,
};
use shared::hud::{
    CocCode, DataQuality, Destination, NameDataQuality, NoYesReasons, PriorLivingSituation,
    ProjectType, RaceEthnicity, RaceEthnicitySet, RelationshipToHoH, Sex,
};
use shared::intake::NewClient;
use shared::records::{FormType, ServiceKind};
use shared::{
    Actor, ClientId, HmisNumber, OrgId, PolicyConfig, ProgramId, RecordId, RecordKind, Role, UserId,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};
use table::{Row, Table};

/// The HUD files the importer knows, in the order they are read.
pub const KNOWN_FILES: [&str; 16] = [
    "Export",
    "Organization",
    "User",
    "Project",
    "Funder",
    "Inventory",
    "ProjectCoC",
    "Client",
    "Enrollment",
    "Exit",
    "Services",
    "HealthAndDV",
    "IncomeBenefits",
    "Disabilities",
    "EmploymentEducation",
    "CurrentLivingSituation",
];

/// `Name.csv` of a known file.
fn csv_name(name: &str) -> &'static str {
    const NAMES: [&str; 16] = [
        "Export.csv",
        "Organization.csv",
        "User.csv",
        "Project.csv",
        "Funder.csv",
        "Inventory.csv",
        "ProjectCoC.csv",
        "Client.csv",
        "Enrollment.csv",
        "Exit.csv",
        "Services.csv",
        "HealthAndDV.csv",
        "IncomeBenefits.csv",
        "Disabilities.csv",
        "EmploymentEducation.csv",
        "CurrentLivingSituation.csv",
    ];
    KNOWN_FILES
        .iter()
        .position(|k| *k == name)
        .map(|i| NAMES[i])
        .unwrap_or("other.csv")
}

/// Known files whose records Hearth does not hold yet: read, counted, reported, not imported.
const NOT_HELD: [(&str, &str); 7] = [
    ("Funder", "Hearth holds no funders yet"),
    ("Inventory", "Hearth holds no bed and unit inventory yet"),
    (
        "ProjectCoC",
        "Hearth holds no project CoC, geocode or address yet",
    ),
    (
        "IncomeBenefits",
        "Hearth has no income and benefits assessment yet",
    ),
    ("Disabilities", "Hearth has no disabilities assessment yet"),
    (
        "EmploymentEducation",
        "Hearth has no employment and education assessment yet",
    ),
    (
        "CurrentLivingSituation",
        "Hearth holds no current living situation records yet",
    ),
];

/// The columns every file carries that the importer reads for itself (ids of the row's
/// provenance and history).
const META_COLUMNS: [&str; 5] = [
    "DateCreated",
    "DateUpdated",
    "DateDeleted",
    "UserID",
    "ExportID",
];

/// The columns each imported file maps; every other column present is reported as not imported.
fn imported_columns(file: &str) -> &'static [&'static str] {
    match file {
        "Export" => &["ExportID", "SourceID", "SourceName", "CSVVersion"],
        "Organization" => &["OrganizationID", "OrganizationName"],
        "User" => &["UserID", "UserFirstName", "UserLastName"],
        "Project" => &["ProjectID", "OrganizationID", "ProjectName", "ProjectType"],
        "Client" => &[
            "PersonalID",
            "FirstName",
            "MiddleName",
            "LastName",
            "NameDataQuality",
            "SSN",
            "SSNDataQuality",
            "DOB",
            "DOBDataQuality",
            "Sex",
            "AmIndAKNative",
            "Asian",
            "BlackAfAmerican",
            "HispanicLatinao",
            "MidEastNAfrican",
            "NativeHIPacific",
            "White",
            "RaceNone",
            "AdditionalRaceEthnicity",
            "VeteranStatus",
        ],
        "Enrollment" => &[
            "EnrollmentID",
            "PersonalID",
            "ProjectID",
            "EntryDate",
            "HouseholdID",
            "RelationshipToHoH",
            "EnrollmentCoC",
            "LivingSituation",
            "DisablingCondition",
            "MoveInDate",
        ],
        "Exit" => &[
            "ExitID",
            "EnrollmentID",
            "PersonalID",
            "ExitDate",
            "Destination",
        ],
        "Services" => &[
            "ServicesID",
            "EnrollmentID",
            "PersonalID",
            "DateProvided",
            "RecordType",
            "TypeProvided",
        ],
        "HealthAndDV" => &[
            "HealthAndDVID",
            "EnrollmentID",
            "PersonalID",
            "InformationDate",
            "DomesticViolenceSurvivor",
            "WhenOccurred",
            "CurrentlyFleeing",
            "GeneralHealthStatus",
            "DentalHealthStatus",
            "MentalHealthStatus",
            "PregnancyStatus",
            "DueDate",
            "DataCollectionStage",
        ],
        _ => &[],
    }
}

/// Progress of an import, reported after every few thousand rows and at the end of each file.
#[derive(Debug, Clone)]
pub struct Progress {
    pub file: String,
    pub done: usize,
    pub total: usize,
    pub elapsed: Duration,
}

/// What to import from and how.
pub struct ImportRun<'a> {
    pub pool: &'a Pool,
    pub policy: &'a PolicyConfig,
    pub input: Input<'a>,
    pub dry_run: bool,
    pub now: NaiveDateTime,
}

/// Where the HUD CSV files are: a folder or a `.zip` file on disk (`import-hud PATH`), or a zip
/// held in memory (the admin upload).
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Path(&'a Path),
    Zip(&'a [u8]),
}

/// A fatal error: nothing (more) is imported. Row errors are in the report instead.
pub type Fatal = String;

fn db_err(e: sqlx::Error) -> Fatal {
    format!("database error: {e}")
}

/// What a row does to Hearth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Tombstone,
    Unchanged,
    /// Deleted in the source before it was ever imported: nothing to keep.
    SkipDeleted,
}

/// The provenance columns of a row.
#[derive(Debug, Clone)]
struct Meta {
    id: String,
    export_id: String,
    created: NaiveDateTime,
    updated: NaiveDateTime,
    user: Option<String>,
}

/// A row that passed its checks, with what it does.
struct Parsed<T> {
    meta: Meta,
    action: Action,
    data: T,
}

type Key = (&'static str, String);

/// This export's enrollments that passed their checks: client, entry, move-in, project type.
type OnEnrollment = HashMap<String, (String, NaiveDate, Option<NaiveDate>, Option<ProjectType>)>;

/// The state of one import: the source, the map of what was imported before, and what this
/// run checked.
struct Ctx<'a> {
    run: &'a ImportRun<'a>,
    source: String,
    exports: HashSet<String>,
    actor: Actor,
    import_org: OrgId,
    import_user: UserId,
    map: HashMap<Key, MapRow>,
    /// Rows of this export that passed their checks and are not skipped: valid foreign keys.
    valid: HashSet<Key>,
    /// Rows of this export with errors.
    failed: HashSet<Key>,
    /// Every id present in this export's files.
    seen: HashSet<Key>,
    /// This run's new or changed map rows, written at the end of each file.
    new_map: Vec<MapRow>,
    history: Vec<(RecordId, &'static str, String)>,
    audit: Vec<AuditEntry>,
    hmis: HashMap<i64, String>,
    programs: HashMap<i64, String>,
    /// This export's projects' types, by HUD ProjectID (for the enrollment dates' rule).
    project_types: HashMap<String, ProjectType>,
}

impl Ctx<'_> {
    fn reason(&self, export_id: &str) -> String {
        format!(
            "hud_import: HUD CSV import, source {}, export {export_id}",
            self.source
        )
    }

    /// A foreign key to `target`: a row of this export that passed its checks, or one imported
    /// before from the same source and not in this export.
    fn fk(&self, row: &Row, column: &str, target: &'static str) -> Result<String, RowError> {
        let v = row.req(column)?.to_owned();
        let key = (target, v.clone());
        if self.valid.contains(&key) || (!self.seen.contains(&key) && self.map.contains_key(&key)) {
            return Ok(v);
        }
        let why = if self.failed.contains(&key) {
            format!("{v} names a row of {target}.csv that has errors (not imported)")
        } else if self.seen.contains(&key) {
            format!("{v} names a row of {target}.csv deleted in the source")
        } else {
            format!("{v} names no row of {target}.csv (nor one imported before)")
        };
        Err(row.err(column, format!("foreign key to nothing: {why}")))
    }

    fn mapped(&self, file: &'static str, id: &str) -> Option<&MapRow> {
        self.map.get(&(file, id.to_owned()))
    }

    fn user_of(&self, meta: &Meta) -> UserId {
        meta.user
            .as_deref()
            .and_then(|u| self.mapped("User", u))
            .map(|m| UserId(m.hearth_id))
            .unwrap_or(self.import_user)
    }

    fn remember(&mut self, file: &'static str, meta: &Meta, row: MapRow) {
        let _ = meta;
        self.map.insert((file, row.hud_id.clone()), row.clone());
        self.new_map.push(row);
    }

    fn map_row(
        &self,
        file: &str,
        meta: &Meta,
        hearth_id: i64,
        org: Option<i64>,
        client: Option<i64>,
        deleted: bool,
    ) -> MapRow {
        MapRow {
            hud_file: file.to_owned(),
            hud_id: meta.id.clone(),
            hearth_id,
            org_id: org,
            client_id: client,
            export_id: meta.export_id.clone(),
            date_updated: db::ts(meta.updated),
            deleted,
        }
    }

    fn audit_entry(&mut self, meta: &Meta, what: String, hmis: Option<String>) {
        let mut e = AuditEntry::new(
            self.run.now,
            &self.actor,
            what,
            self.reason(&meta.export_id),
        );
        e.hmis_number = hmis;
        self.audit.push(e);
    }

    async fn hmis_of(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        client: i64,
    ) -> Result<String, Fatal> {
        if let Some(h) = self.hmis.get(&client) {
            return Ok(h.clone());
        }
        let (h, _, _, _) = q::client_values(conn, ClientId(client), &[])
            .await
            .map_err(db_err)?;
        self.hmis.insert(client, h.clone());
        Ok(h)
    }

    async fn program_name(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        program: i64,
    ) -> Result<String, Fatal> {
        if let Some(n) = self.programs.get(&program) {
            return Ok(n.clone());
        }
        let p = store::program(conn, ProgramId(program))
            .await
            .map_err(db_err)?
            .ok_or_else(|| format!("program #{program} vanished during the import"))?;
        self.programs.insert(program, p.name.clone());
        Ok(p.name)
    }

    /// Writes this file's map rows, history and audit entries.
    async fn flush(&mut self, conn: &mut sqlx::AnyConnection) -> Result<(), Fatal> {
        q::upsert_map(conn, &self.source, &self.new_map, self.run.now)
            .await
            .map_err(db_err)?;
        self.new_map.clear();
        q::history_batch(conn, self.run.now, &self.actor, &self.history)
            .await
            .map_err(db_err)?;
        self.history.clear();
        q::audit_batch(conn, &self.audit).await.map_err(db_err)?;
        self.audit.clear();
        Ok(())
    }
}

/// Checks each row of `table` (its provenance columns, its primary key, then `f`) and decides
/// what it does; counts go into `rep`, errors into `errors`.
fn check_rows<T>(
    ctx: &mut Ctx,
    table: &Table,
    file: &'static str,
    id_col: &str,
    rep: &mut FileReport,
    errors: &mut Vec<RowError>,
    mut f: impl FnMut(&Row, &Ctx) -> Result<T, RowError>,
) -> Vec<Parsed<T>> {
    let mut out = Vec::with_capacity(table.rows.len());
    let mut lines: HashMap<String, u64> = HashMap::new();
    let mut unknown_users: HashSet<String> = HashSet::new();
    let mut unknown_user_rows = 0usize;
    rep.rows = table.rows.len();
    // Every id first: a foreign key within one file (none today) or a later file's key to a
    // row with errors is told apart from one to nothing.
    for i in 0..table.rows.len() {
        let id = table.row(i).get(id_col).to_owned();
        if !id.is_empty() {
            ctx.seen.insert((file, id));
        }
    }
    for i in 0..table.rows.len() {
        let row = table.row(i);
        let checked = (|| {
            row.check_width()?;
            let id = row.req(id_col)?.to_owned();
            if let Some(first) = lines.get(&id) {
                return Err(row.err(
                    id_col,
                    format!("duplicate primary key {id} (first on line {first})"),
                ));
            }
            lines.insert(id.clone(), row.line);
            let export_id = row.req("ExportID")?.to_owned();
            if !ctx.exports.contains(&export_id) {
                return Err(row.err(
                    "ExportID",
                    format!("foreign key to nothing: {export_id} names no row of Export.csv"),
                ));
            }
            let created = row.req_timestamp("DateCreated")?;
            let updated = row.req_timestamp("DateUpdated")?;
            let deleted = row.timestamp("DateDeleted")?.is_some();
            // UserID is provenance only: one naming no user is entered by the import user
            // (counted in the file's notes), not a reason to refuse the row.
            let user = match (file, row.opt("UserID")) {
                ("User", _) | (_, None) => None,
                (_, Some(u)) => match ctx.fk(&row, "UserID", "User") {
                    Ok(u) => Some(u),
                    Err(_) => {
                        unknown_users.insert(u.to_owned());
                        unknown_user_rows += 1;
                        None
                    }
                },
            };
            let meta = Meta {
                id,
                export_id,
                created,
                updated,
                user,
            };
            let data = f(&row, ctx)?;
            let action = match ctx.mapped(file, &meta.id) {
                None if deleted => Action::SkipDeleted,
                None => Action::Create,
                Some(m) if m.deleted => Action::Unchanged,
                Some(_) if deleted => Action::Tombstone,
                Some(m) if db::ts(updated) > m.date_updated => Action::Update,
                Some(_) => Action::Unchanged,
            };
            Ok(Parsed { meta, action, data })
        })();
        match checked {
            Ok(p) => {
                match p.action {
                    Action::Create => rep.created += 1,
                    Action::Update => rep.updated += 1,
                    Action::Tombstone => rep.tombstoned += 1,
                    Action::Unchanged => rep.unchanged += 1,
                    Action::SkipDeleted => rep.skipped += 1,
                }
                if p.action != Action::SkipDeleted {
                    ctx.valid.insert((file, p.meta.id.clone()));
                }
                out.push(p);
            }
            Err(e) => {
                rep.errors += 1;
                let id = row.get(id_col).to_owned();
                if !id.is_empty() && !ctx.valid.contains(&(file, id.clone())) {
                    ctx.failed.insert((file, id));
                }
                errors.push(e);
            }
        }
    }
    if unknown_user_rows > 0 {
        let mut names: Vec<String> = unknown_users.into_iter().collect();
        names.sort();
        rep.notes.push(format!(
            "UserID: {unknown_user_rows} rows name a user not in User.csv ({}): entered by the \
             import user",
            names.join(", ")
        ));
    }
    if rep.skipped > 0 {
        rep.notes.push(format!(
            "{} rows deleted in the source (DateDeleted) before they were ever imported: skipped",
            rep.skipped
        ));
    }
    out
}

// ---- the rows of each file ----

struct OrgRow {
    name: String,
}

struct UserRowIn {
    username: String,
    display: String,
}

struct ProjectRow {
    org: String,
    name: String,
    project_type: ProjectType,
}

struct ClientIn {
    new: NewClient,
    race: RaceEthnicitySet,
    additional: Option<String>,
    /// What of the row was not held (the row itself is imported).
    warnings: Vec<RowError>,
}

struct EnrollmentIn {
    client: String,
    project: String,
    details: EnrollmentDetails,
    /// HUD's HouseholdID and the relationship to its head (3.15), for Hearth's households.
    household: Option<String>,
    relationship: Option<RelationshipToHoH>,
    line: u64,
    /// What of the row was not held (the row itself is imported).
    warnings: Vec<RowError>,
}

struct ExitIn {
    enrollment: String,
    exit_date: NaiveDate,
    destination: Option<Destination>,
    /// The enrollment's move-in is after this exit: not held (a warning says so).
    drop_move_in: bool,
    warnings: Vec<RowError>,
}

struct ServiceIn {
    enrollment: String,
    date: NaiveDate,
    description: String,
}

struct HealthDvIn {
    enrollment: String,
    date: NaiveDate,
    dv: BTreeMap<String, String>,
    health: BTreeMap<String, String>,
}

fn parse_org(row: &Row, _: &Ctx) -> Result<OrgRow, RowError> {
    let name = shared::admin::parse_name("OrganizationName", row.req("OrganizationName")?)
        .map_err(|e| row.parse_err("OrganizationName", e))?;
    Ok(OrgRow { name })
}

fn parse_user(row: &Row, _: &Ctx) -> Result<UserRowIn, RowError> {
    let id = row.req("UserID")?;
    let cleaned: String = id
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let username = shared::admin::Username::parse(&format!("hud.{cleaned}"))
        .map_err(|e| row.parse_err("UserID", e))?;
    let display = format!("{} {}", row.get("UserFirstName"), row.get("UserLastName"))
        .trim()
        .to_owned();
    let display = if display.is_empty() {
        format!("HUD user {id}")
    } else {
        display
    };
    let display = shared::admin::parse_name("UserFirstName", &display)
        .map_err(|e| row.parse_err("UserFirstName", e))?;
    Ok(UserRowIn {
        username: username.as_str().to_owned(),
        display,
    })
}

fn parse_project(row: &Row, ctx: &Ctx) -> Result<ProjectRow, RowError> {
    let org = ctx.fk(row, "OrganizationID", "Organization")?;
    let name = shared::admin::parse_name("ProjectName", row.req("ProjectName")?)
        .map_err(|e| row.parse_err("ProjectName", e))?;
    let project_type = row.req_code("ProjectType", ProjectType::from_code)?;
    Ok(ProjectRow {
        org,
        name,
        project_type,
    })
}

/// The HUD column an intake parse error's field names.
fn client_column(field: &str) -> &'static str {
    match field {
        "first_name" => "FirstName",
        "middle_name" => "MiddleName",
        "last_name" => "LastName",
        "date_of_birth" => "DOB",
        "ssn" => "SSN",
        _ => "PersonalID",
    }
}

fn parse_client(row: &Row, ctx: &Ctx) -> Result<ClientIn, RowError> {
    let name_dq = row.req_code("NameDataQuality", NameDataQuality::from_code)?;
    let ssn_dq = row.req_code("SSNDataQuality", DataQuality::from_code)?;
    let dob_dq = row.req_code("DOBDataQuality", DataQuality::from_code)?;
    let sex = row.code("Sex", Sex::from_code)?;
    let veteran = row.code("VeteranStatus", NoYesReasons::from_code)?;
    // HUD's partial SSN convention: X (either case) for the digits not collected.
    let ssn = row.opt("SSN").map(|s| {
        let (head, tail) = s.split_at(s.len().saturating_sub(4));
        if ssn_dq == DataQuality::Partial
            && s.len() == 9
            && head.chars().all(|c| c.eq_ignore_ascii_case(&'x'))
        {
            tail.to_owned()
        } else {
            s.to_owned()
        }
    });
    let mut request = NewClientRequest {
        first_name: row.get("FirstName").to_owned(),
        middle_name: row.opt("MiddleName").map(str::to_owned),
        last_name: row.get("LastName").to_owned(),
        name_data_quality: Some(name_dq),
        date_of_birth: row.opt("DOB").map(str::to_owned),
        dob_data_quality: dob_dq,
        ssn,
        ssn_data_quality: ssn_dq,
        sex,
        gender: None,
        veteran_status: veteran,
        marital_status: None,
        confirm_new: true,
    };
    // An SSN the intake's rule refuses (one its data quality says there is none of, one never
    // issued, a partial SSN of nine digits, none where the quality claims one) and a date of
    // birth its data quality contradicts are not held, but the client is: a warning names the
    // column (never the value), and a data quality that claimed a value becomes 99 (data not
    // collected). A date of birth that is not a date, and any other refusal, is the row's error.
    let mut warnings = Vec::new();
    let dob_dq = request.dob_data_quality;
    if dob_dq.has_value() != request.date_of_birth.is_some() {
        let reason = if dob_dq.has_value() {
            "no date of birth where its data quality claims one"
        } else {
            "a date of birth where its data quality says there is none"
        };
        request.date_of_birth = None;
        if dob_dq.has_value() {
            request.dob_data_quality = DataQuality::DataNotCollected;
        }
        warnings.push(dropped(row, "DOB", reason, "DOBDataQuality", dob_dq));
    }
    let new = loop {
        match NewClient::parse(&request, ctx.run.now.date()) {
            Ok(new) => break new,
            Err(e)
                if e.field == "ssn"
                    && (request.ssn.is_some() || request.ssn_data_quality.has_value()) =>
            {
                let dq = request.ssn_data_quality;
                request.ssn = None;
                if dq.has_value() {
                    request.ssn_data_quality = DataQuality::DataNotCollected;
                }
                warnings.push(dropped(row, "SSN", &e.reason, "SSNDataQuality", dq));
            }
            Err(e) => return Err(row.err(client_column(&e.field), e.reason)),
        }
    };
    let mut races = Vec::new();
    for r in RaceEthnicity::ALL {
        if let Some(col) = r.csv_column() {
            if row.flag(col)? {
                races.push(r);
            }
        }
    }
    if let Some(none) = row.code("RaceNone", RaceEthnicity::from_code)? {
        if !none.is_data_quality() {
            return Err(row.err(
                "RaceNone",
                format!("bad code {}: must be 8, 9 or 99", none.code()),
            ));
        }
        races.push(none);
    }
    let race = RaceEthnicitySet::parse(races).map_err(|e| row.parse_err("RaceNone", e))?;
    let additional = row
        .opt("AdditionalRaceEthnicity")
        .map(|s| {
            shared::text::single_line(
                "AdditionalRaceEthnicity",
                s,
                shared::text::SHORT_TEXT_MAX_CHARS,
            )
            .map(str::to_owned)
        })
        .transpose()
        .map_err(|e| row.parse_err("AdditionalRaceEthnicity", e.into()))?;
    Ok(ClientIn {
        new,
        race,
        additional,
        warnings,
    })
}

/// The warning of an intake value not held (its value is never named: it is PII).
fn dropped(row: &Row, column: &str, reason: &str, dq_column: &str, dq: DataQuality) -> RowError {
    let then = if dq.has_value() {
        format!(
            "{dq_column} {} stored as 99 (data not collected)",
            dq.code()
        )
    } else {
        format!("{dq_column} {} kept", dq.code())
    };
    row.err(
        column,
        format!("value not imported: {reason} ({then}); the client is imported without it"),
    )
}

fn parse_enrollment(row: &Row, ctx: &Ctx) -> Result<EnrollmentIn, RowError> {
    let client = ctx.fk(row, "PersonalID", "Client")?;
    let project = ctx.fk(row, "ProjectID", "Project")?;
    let entry_date = row.req_date("EntryDate")?;
    let relationship = row.code("RelationshipToHoH", RelationshipToHoH::from_code)?;
    let enrollment_coc = row
        .opt("EnrollmentCoC")
        .map(CocCode::parse)
        .transpose()
        .map_err(|e| row.parse_err("EnrollmentCoC", e))?;
    let prior = row.code("LivingSituation", PriorLivingSituation::from_code)?;
    let disabling = row.code("DisablingCondition", NoYesReasons::from_code)?;
    let mut move_in = row.date("MoveInDate")?;
    // The API's rule for an enrollment's dates (`shared::records::EnrollmentDates`): a move-in
    // only in permanent housing, not before the entry. The project's type is known when the
    // project is in this export (always, in a full export). A move-in the rule refuses is not
    // held, but the enrollment is: HUD collects 3.20 only in permanent housing, and a move-in
    // before the entry is wrong data, not a reason to lose the stay (a warning names it).
    let mut warnings = Vec::new();
    if let (Some(project_type), Some(m)) = (ctx.project_types.get(&project), move_in) {
        if let Err(e) = dates(None, entry_date, move_in, *project_type) {
            warnings.push(row.err(
                "MoveInDate",
                format!(
                    "{m} not imported: {} (project type {}, entry {entry_date}); the enrollment \
                     is imported without it",
                    e.reason,
                    project_type.code()
                ),
            ));
            move_in = None;
        }
    }
    let household = row.opt("HouseholdID").unwrap_or("");
    Ok(EnrollmentIn {
        client,
        project,
        details: EnrollmentDetails {
            program_id: ProgramId(0),
            program_name: String::new(),
            case_name: if household.is_empty() {
                "HUD enrollment".to_owned()
            } else {
                format!("HUD household {household}")
            },
            entry_date,
            exit_date: None,
            move_in_date: move_in,
            head_of_household: relationship == Some(RelationshipToHoH::SelfHeadOfHousehold),
            prior_living_situation: prior,
            disabling_condition: disabling,
            enrollment_coc,
            destination: None,
        },
        household: Some(household.to_owned()).filter(|h| !h.is_empty()),
        relationship,
        line: row.line,
        warnings,
    })
}

/// `shared::records::EnrollmentDates::parse` over an imported enrollment's dates.
fn dates(
    exit: Option<NaiveDate>,
    entry: NaiveDate,
    move_in: Option<NaiveDate>,
    project_type: ProjectType,
) -> Result<(), shared::ParseError> {
    shared::records::EnrollmentDates {
        record: RecordId(0),
        org: OrgId(0),
        program: ProgramId(0),
        project_type,
        entry,
        exit,
        move_in,
    }
    .parse()
    .map(|_| ())
}

/// The enrollment a row of Exit, Services or HealthAndDV is on, and the check that its
/// PersonalID is that enrollment's client.
fn on_enrollment(
    row: &Row,
    ctx: &Ctx,
    enrollments: &OnEnrollment,
) -> Result<(String, Option<NaiveDate>), RowError> {
    let enrollment = ctx.fk(row, "EnrollmentID", "Enrollment")?;
    let person = row.req("PersonalID")?;
    let (owner, entry) = match enrollments.get(&enrollment) {
        Some((p, entry, _, _)) => (p.clone() == person, Some(*entry)),
        None => {
            let client = ctx.mapped("Client", person).map(|m| m.hearth_id);
            let of = ctx
                .mapped("Enrollment", &enrollment)
                .and_then(|m| m.client_id);
            (client.is_some() && client == of, None)
        }
    };
    if !owner {
        return Err(row.err(
            "PersonalID",
            format!(
                "foreign key to nothing: {person} is not the client of enrollment {enrollment}"
            ),
        ));
    }
    Ok((enrollment, entry))
}

fn parse_exit(row: &Row, ctx: &Ctx, enrollments: &OnEnrollment) -> Result<ExitIn, RowError> {
    let (enrollment, entry) = on_enrollment(row, ctx, enrollments)?;
    let exit_date = row.req_date("ExitDate")?;
    let mut warnings = Vec::new();
    let mut drop_move_in = false;
    if let Some(&(_, entry, move_in, Some(project_type))) = enrollments.get(&enrollment) {
        dates(Some(exit_date), entry, None, project_type)
            .map_err(|e| row.parse_err("ExitDate", e))?;
        // A move-in after the exit (the enrollment's, checked now its exit is known): the exit
        // is imported and the move-in is not held, as on the enrollment itself.
        if let (Some(m), Err(e)) = (
            move_in,
            dates(Some(exit_date), entry, move_in, project_type),
        ) {
            warnings.push(row.err(
                "ExitDate",
                format!(
                    "the MoveInDate {m} of enrollment {enrollment} is not imported: it {} \
                     ({exit_date}); the enrollment and this exit are imported without it",
                    e.reason
                ),
            ));
            drop_move_in = true;
        }
    }
    let _ = entry;
    let destination = row.code("Destination", Destination::from_code)?;
    shared::hud::check_destination(Some(exit_date), destination)
        .map_err(|e| row.parse_err("Destination", e))?;
    Ok(ExitIn {
        enrollment,
        exit_date,
        destination,
        drop_move_in,
        warnings,
    })
}

fn whole(row: &Row, column: &str) -> Result<Option<i64>, RowError> {
    row.opt(column)
        .map(|s| {
            s.parse::<i64>()
                .map_err(|_| row.err(column, format!("bad code {s:?}: not a whole number")))
        })
        .transpose()
}

fn parse_service(row: &Row, ctx: &Ctx, enrollments: &OnEnrollment) -> Result<ServiceIn, RowError> {
    let (enrollment, _) = on_enrollment(row, ctx, enrollments)?;
    let date = row.req_date("DateProvided")?;
    row.req("RecordType")?;
    row.req("TypeProvided")?;
    let record_type = whole(row, "RecordType")?.unwrap_or_default();
    let type_provided = whole(row, "TypeProvided")?.unwrap_or_default();
    Ok(ServiceIn {
        enrollment,
        date,
        description: format!("HUD service: RecordType {record_type}, TypeProvided {type_provided}"),
    })
}

fn parse_health_dv(
    row: &Row,
    ctx: &Ctx,
    enrollments: &OnEnrollment,
) -> Result<HealthDvIn, RowError> {
    let (enrollment, _) = on_enrollment(row, ctx, enrollments)?;
    let date = row.req_date("InformationDate")?;
    let mut dv = BTreeMap::new();
    let mut health = BTreeMap::new();
    dv.insert("information_date".to_owned(), date.to_string());
    health.insert("information_date".to_owned(), date.to_string());
    let answer = |col: &str| row.code(col, NoYesReasons::from_code);
    if let Some(v) = answer("DomesticViolenceSurvivor")? {
        dv.insert("domestic_violence_survivor".into(), v.as_str().into());
    }
    if let Some(v) = answer("CurrentlyFleeing")? {
        dv.insert("currently_fleeing".into(), v.as_str().into());
    }
    // HUD lists with no table in shared yet: kept as HUD's integer code, named so.
    for (col, key, target) in [
        ("WhenOccurred", "when_occurred_hud_code", &mut dv),
        (
            "DataCollectionStage",
            "data_collection_stage_hud_code",
            &mut health,
        ),
    ] {
        if let Some(v) = whole(row, col)? {
            target.insert(key.into(), v.to_string());
        }
    }
    if let Some(v) = whole(row, "DataCollectionStage")? {
        dv.insert("data_collection_stage_hud_code".into(), v.to_string());
    }
    let mut any_health = false;
    for (col, key) in [
        ("GeneralHealthStatus", "general_health_status_hud_code"),
        ("DentalHealthStatus", "dental_health_status_hud_code"),
        ("MentalHealthStatus", "mental_health_status_hud_code"),
    ] {
        if let Some(v) = whole(row, col)? {
            health.insert(key.into(), v.to_string());
            any_health = true;
        }
    }
    if let Some(v) = answer("PregnancyStatus")? {
        health.insert("pregnancy_status".into(), v.as_str().into());
        any_health = true;
    }
    if let Some(d) = row.date("DueDate")? {
        health.insert("due_date".into(), d.to_string());
        any_health = true;
    }
    if !any_health {
        health.clear();
    }
    Ok(HealthDvIn {
        enrollment,
        date,
        dv,
        health,
    })
}

// ---- the import ----

/// Imports the HUD CSV folder of `run` (or, with `dry_run`, checks it and stores nothing),
/// reporting progress to `progress`. A fatal error (no folder, no Export.csv, a database error)
/// ends it: files already committed stay (importing again continues where it stopped).
pub async fn import(
    run: &ImportRun<'_>,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<Report, Fatal> {
    let started = Instant::now();
    let mut report = Report {
        dry_run: run.dry_run,
        ..Report::default()
    };
    let files = list_files(run.input)?;
    let path_of = |name: &str| {
        files
            .get(&format!("{}.csv", name.to_ascii_lowercase()))
            .map(|(_, bytes)| bytes.as_slice())
    };
    // Export.csv: the source (every row must name the same one) and the exports rows may name.
    let export_path = path_of("Export").ok_or("Export.csv is missing: it names the source")?;
    let export = Table::read("Export.csv", export_path)?;
    let mut sources = Vec::new();
    let mut exports = HashSet::new();
    let mut versions = Vec::new();
    for i in 0..export.rows.len() {
        let row = export.row(i);
        let source = row.req("SourceID").map_err(|e| e.to_string())?.to_owned();
        if !sources.contains(&source) {
            sources.push(source);
        }
        exports.insert(row.req("ExportID").map_err(|e| e.to_string())?.to_owned());
        let v = row.get("CSVVersion").to_owned();
        if !versions.contains(&v) {
            versions.push(v);
        }
    }
    let source = match sources.as_slice() {
        [one] => one.clone(),
        [] => return Err("Export.csv has no row: it names the source".into()),
        more => {
            return Err(format!(
                "Export.csv names several sources ({}): import one source at a time",
                more.join(", ")
            ))
        }
    };
    report.source = source.clone();
    if export.rows.len() > 1 {
        report.notes.push(format!(
            "Export.csv has {} rows (HUD's format has one); all name source {source}, so rows of \
             the other files may name any of their {} ExportIDs",
            export.rows.len(),
            exports.len()
        ));
    }
    if versions.iter().any(|v| v != "2026 v1.0") {
        report.notes.push(format!(
            "Export.csv: CSVVersion {} (this importer reads FY2026 \"2026 v1.0\" columns)",
            versions.join(", ")
        ));
    }
    let mut tx = db::begin_write(run.pool).await.map_err(db_err)?;
    let (import_org, import_user) = q::import_actor(&mut tx, true, run.now)
        .await
        .map_err(db_err)?
        .ok_or("the import organization could not be made")?;
    let map = q::load_map(&mut tx, &source)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter_map(|m| {
            let file = KNOWN_FILES
                .iter()
                .chain(["HealthAndDV:Health", "Household"].iter())
                .find(|f| **f == m.hud_file)?;
            Some(((*file, m.hud_id.clone()), m))
        })
        .collect();
    let mut ctx = Ctx {
        run,
        source,
        exports,
        actor: Actor {
            user: import_user,
            org: import_org,
            role: Role::Caseworker,
        },
        import_org,
        import_user,
        map,
        valid: HashSet::new(),
        failed: HashSet::new(),
        seen: HashSet::new(),
        new_map: Vec::new(),
        history: Vec::new(),
        audit: Vec::new(),
        hmis: HashMap::new(),
        programs: HashMap::new(),
        project_types: HashMap::new(),
    };

    // Every file of the folder, known or not, in HUD's order and then by name.
    let mut tables: HashMap<&'static str, Table> = HashMap::new();
    let mut file_reports: HashMap<&'static str, FileReport> = HashMap::new();
    for name in KNOWN_FILES {
        let file = csv_name(name);
        let mut rep = FileReport {
            file: file.to_owned(),
            ..FileReport::default()
        };
        match path_of(name) {
            None => {
                rep.status = FileStatus::Missing;
                if name != "Export" {
                    report
                        .notes
                        .push(format!("{file} is missing: nothing of it is imported"));
                }
            }
            Some(path) => {
                let t = Table::read(file, path)?;
                rep.rows = t.rows.len();
                if let Some((_, why)) = NOT_HELD.iter().find(|(n, _)| *n == name) {
                    rep.status = FileStatus::NotImported((*why).to_owned());
                } else {
                    let cols = imported_columns(name);
                    let not: Vec<&str> = t
                        .headers
                        .iter()
                        .map(String::as_str)
                        .filter(|h| {
                            !cols.iter().any(|c| c.eq_ignore_ascii_case(h))
                                && !META_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(h))
                        })
                        .collect();
                    if !not.is_empty() {
                        rep.notes
                            .push(format!("columns not imported: {}", not.join(", ")));
                    }
                    let missing: Vec<&str> = cols.iter().copied().filter(|c| !t.has(c)).collect();
                    if !missing.is_empty() {
                        rep.notes.push(format!(
                            "columns missing (read as empty): {}",
                            missing.join(", ")
                        ));
                    }
                }
                tables.insert(name, t);
            }
        }
        file_reports.insert(name, rep);
    }
    if let Some(r) = file_reports.get_mut("Export") {
        r.status = FileStatus::NotImported(
            "read for the source and its export ids (kept in the import map)".into(),
        );
    }
    let mut others: Vec<(&String, &(String, Vec<u8>))> = files
        .iter()
        .filter(|(n, _)| {
            !KNOWN_FILES
                .iter()
                .any(|k| format!("{}.csv", k.to_ascii_lowercase()) == **n)
        })
        .collect();
    others.sort();
    let mut other_reports = Vec::new();
    for (_, (full, bytes)) in others {
        let name = full.rsplit(['/', '\\']).next().unwrap_or("").to_owned();
        let rows = Table::read("other.csv", bytes)
            .map(|t| t.rows.len())
            .unwrap_or(0);
        other_reports.push(FileReport {
            file: name,
            rows,
            status: FileStatus::NotImported("Hearth does not import this HUD file yet".into()),
            ..FileReport::default()
        });
    }

    // Check every row, file by file (a row's foreign keys are to rows checked before it).
    let mut errors = Vec::new();
    let empty = Table::empty();
    let t = |n: &str| tables.get(n).unwrap_or(&empty);
    let mut rep = |n: &'static str| file_reports.remove(n).unwrap_or_default();
    let mut r_user = rep("User");
    let users = check_rows(
        &mut ctx,
        t("User"),
        "User",
        "UserID",
        &mut r_user,
        &mut errors,
        parse_user,
    );
    let mut r_org = rep("Organization");
    let orgs = check_rows(
        &mut ctx,
        t("Organization"),
        "Organization",
        "OrganizationID",
        &mut r_org,
        &mut errors,
        parse_org,
    );
    let mut r_project = rep("Project");
    let projects = check_rows(
        &mut ctx,
        t("Project"),
        "Project",
        "ProjectID",
        &mut r_project,
        &mut errors,
        parse_project,
    );
    ctx.project_types = projects
        .iter()
        .map(|p| (p.meta.id.clone(), p.data.project_type))
        .collect();
    let mut r_client = rep("Client");
    let mut clients = check_rows(
        &mut ctx,
        t("Client"),
        "Client",
        "PersonalID",
        &mut r_client,
        &mut errors,
        parse_client,
    );
    let mut r_enrollment = rep("Enrollment");
    let mut enrollments = check_rows(
        &mut ctx,
        t("Enrollment"),
        "Enrollment",
        "EnrollmentID",
        &mut r_enrollment,
        &mut errors,
        parse_enrollment,
    );
    let mut warnings: Vec<RowError> = Vec::new();
    for p in &mut clients {
        r_client.warnings += p.data.warnings.len();
        warnings.append(&mut p.data.warnings);
    }
    for p in &mut enrollments {
        r_enrollment.warnings += p.data.warnings.len();
        warnings.append(&mut p.data.warnings);
    }
    let on: OnEnrollment = enrollments
        .iter()
        .map(|p| {
            let d = &p.data.details;
            let project_type = ctx.project_types.get(&p.data.project).copied();
            let at = (
                p.data.client.clone(),
                d.entry_date,
                d.move_in_date,
                project_type,
            );
            (p.meta.id.clone(), at)
        })
        .collect();
    let mut r_exit = rep("Exit");
    let mut exits = check_rows(
        &mut ctx,
        t("Exit"),
        "Exit",
        "ExitID",
        &mut r_exit,
        &mut errors,
        |r, c| parse_exit(r, c, &on),
    );
    one_exit_per_enrollment(&mut exits, t("Exit"), &mut r_exit, &mut errors);
    for p in &mut exits {
        r_exit.warnings += p.data.warnings.len();
        warnings.append(&mut p.data.warnings);
    }
    let mut r_service = rep("Services");
    let services = check_rows(
        &mut ctx,
        t("Services"),
        "Services",
        "ServicesID",
        &mut r_service,
        &mut errors,
        |r, c| parse_service(r, c, &on),
    );
    let mut r_hdv = rep("HealthAndDV");
    let health_dv = check_rows(
        &mut ctx,
        t("HealthAndDV"),
        "HealthAndDV",
        "HealthAndDVID",
        &mut r_hdv,
        &mut errors,
        |r, c| parse_health_dv(r, c, &on),
    );
    code_notes(t("Client"), &mut r_client);
    r_user.notes.push(
        "imported users are disabled Caseworkers of the organization \"HUD CSV import\", with no \
         password: they can never sign in (docs/decisions.md)"
            .into(),
    );
    if r_service.tombstoned > 0 {
        r_service.notes.push(format!(
            "{} services deleted in the source are kept (counted as skipped): services are never \
             deleted (R-11)",
            r_service.tombstoned
        ));
        r_service.skipped += r_service.tombstoned;
        r_service.tombstoned = 0;
    }

    // Write, file by file, each in its transaction (a dry run: all in one, rolled back).
    let mut step = |name: &str, done: usize, total: usize| {
        progress(&Progress {
            file: name.to_owned(),
            done,
            total,
            elapsed: started.elapsed(),
        })
    };
    write_users(&mut ctx, &mut tx, &users).await?;
    step("User.csv", users.len(), users.len());
    tx = checkpoint(&mut ctx, tx).await?;
    write_orgs(&mut ctx, &mut tx, &orgs).await?;
    step("Organization.csv", orgs.len(), orgs.len());
    tx = checkpoint(&mut ctx, tx).await?;
    write_projects(&mut ctx, &mut tx, &projects).await?;
    step("Project.csv", projects.len(), projects.len());
    tx = checkpoint(&mut ctx, tx).await?;
    let first_project = earliest_projects(&enrollments);
    write_clients(&mut ctx, &mut tx, &clients, &first_project, &mut step).await?;
    tx = checkpoint(&mut ctx, tx).await?;
    let folded = write_enrollments(&mut ctx, &mut tx, &enrollments, &exits, &mut step).await?;
    tx = checkpoint(&mut ctx, tx).await?;
    write_exits(&mut ctx, &mut tx, &exits, &folded, &mut step).await?;
    tx = checkpoint(&mut ctx, tx).await?;
    let last_names: HashMap<&str, &str> = clients
        .iter()
        .map(|p| (p.meta.id.as_str(), p.data.new.last_name.as_str()))
        .collect();
    let households = HouseholdInput {
        enrollments: &enrollments,
        exits: &exits,
        last_names: &last_names,
    };
    write_households(
        &mut ctx,
        &mut tx,
        households,
        &mut r_enrollment,
        &mut warnings,
    )
    .await?;
    step("Households", r_enrollment.rows, r_enrollment.rows);
    tx = checkpoint(&mut ctx, tx).await?;
    write_services(&mut ctx, &mut tx, &services, &mut step).await?;
    tx = checkpoint(&mut ctx, tx).await?;
    write_health_dv(&mut ctx, &mut tx, &health_dv, &mut step).await?;
    ctx.audit_entry(
        &Meta {
            id: String::new(),
            export_id: ctx.exports.iter().min().cloned().unwrap_or_default(),
            created: run.now,
            updated: run.now,
            user: None,
        },
        format!(
            "import HUD CSV from source {}: {} rows with errors not imported",
            ctx.source,
            errors.len()
        ),
        None,
    );
    ctx.flush(&mut tx).await?;
    if run.dry_run {
        tx.rollback().await.map_err(db_err)?;
    } else {
        tx.commit().await.map_err(db_err)?;
    }

    for r in [
        file_reports.remove("Export").unwrap_or_default(),
        r_org,
        r_user,
        r_project,
    ] {
        report.files.push(r);
    }
    for n in ["Funder", "Inventory", "ProjectCoC"] {
        report
            .files
            .push(file_reports.remove(n).unwrap_or_default());
    }
    for r in [r_client, r_enrollment, r_exit, r_service, r_hdv] {
        report.files.push(r);
    }
    for n in [
        "IncomeBenefits",
        "Disabilities",
        "EmploymentEducation",
        "CurrentLivingSituation",
    ] {
        report
            .files
            .push(file_reports.remove(n).unwrap_or_default());
    }
    report.files.extend(other_reports);
    errors.sort_by(|a, b| (a.file, a.line).cmp(&(b.file, b.line)));
    report.errors = errors;
    warnings.sort_by(|a, b| (a.file, a.line).cmp(&(b.file, b.line)));
    report.warnings = warnings;
    Ok(report)
}

/// The CSV files of the input by lower-case name (`client.csv`), each with its name as written
/// and its bytes. In a zip, a file may sit in a subfolder (HUD's exports often do); the name is
/// the part after the last `/`. A name found twice is fatal: which one to import is a guess.
fn list_files(input: Input<'_>) -> Result<HashMap<String, (String, Vec<u8>)>, Fatal> {
    match input {
        Input::Zip(bytes) => list_zip(bytes),
        Input::Path(path) if path.is_dir() => list_folder(path),
        Input::Path(path) if path.is_file() => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            list_zip(&bytes).map_err(|e| format!("{}: {e}", path.display()))
        }
        Input::Path(path) => Err(format!(
            "{} is neither a folder nor a zip file of HUD CSV files",
            path.display()
        )),
    }
}

fn list_folder(dir: &Path) -> Result<HashMap<String, (String, Vec<u8>)>, Fatal> {
    let mut out = HashMap::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_file() && name.to_ascii_lowercase().ends_with(".csv") {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.insert(name.to_ascii_lowercase(), (name, bytes));
        }
    }
    Ok(out)
}

fn list_zip(bytes: &[u8]) -> Result<HashMap<String, (String, Vec<u8>)>, Fatal> {
    use std::io::Read;
    let bad = |e: zip::result::ZipError| format!("not a readable zip file: {e}");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let mut out: HashMap<String, (String, Vec<u8>)> = HashMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(bad)?;
        if entry.is_dir() {
            continue;
        }
        let full = entry.name().to_owned();
        let name = full.rsplit(['/', '\\']).next().unwrap_or("").to_owned();
        // macOS's resource forks (`__MACOSX/`, `._Client.csv`) are not HUD files.
        if full.starts_with("__MACOSX/") || name.starts_with("._") {
            continue;
        }
        if !name.to_ascii_lowercase().ends_with(".csv") {
            continue;
        }
        let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry
            .read_to_end(&mut data)
            .map_err(|e| format!("{full}: cannot be read from the zip: {e}"))?;
        if let Some((first, _)) = out.insert(name.to_ascii_lowercase(), (full.clone(), data)) {
            return Err(format!(
                "the zip holds {name} twice ({first} and {full}): one export per zip"
            ));
        }
    }
    Ok(out)
}

/// Commits the file just written and begins the next transaction (a dry run keeps one).
async fn checkpoint(
    ctx: &mut Ctx<'_>,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, Fatal> {
    ctx.flush(&mut tx).await?;
    if ctx.run.dry_run {
        return Ok(tx);
    }
    tx.commit().await.map_err(db_err)?;
    db::begin_write(ctx.run.pool).await.map_err(db_err)
}

/// A second exit of one enrollment is a row error (3.11: one exit per enrollment).
fn one_exit_per_enrollment(
    exits: &mut Vec<Parsed<ExitIn>>,
    table: &Table,
    rep: &mut FileReport,
    errors: &mut Vec<RowError>,
) {
    let mut first: HashMap<String, String> = HashMap::new();
    let mut keep = Vec::with_capacity(exits.len());
    for p in exits.drain(..) {
        if let Some(other) = first.get(&p.data.enrollment) {
            let line = (0..table.rows.len())
                .map(|i| table.row(i))
                .find(|r| r.get("ExitID") == p.meta.id)
                .map(|r| r.line)
                .unwrap_or(0);
            errors.push(RowError {
                file: "Exit.csv",
                line,
                column: "EnrollmentID".into(),
                reason: format!(
                    "enrollment {} already has exit {other}: one exit per enrollment",
                    p.data.enrollment
                ),
            });
            rep.errors += 1;
            match p.action {
                Action::Create => rep.created -= 1,
                Action::Update => rep.updated -= 1,
                Action::Tombstone => rep.tombstoned -= 1,
                Action::Unchanged => rep.unchanged -= 1,
                Action::SkipDeleted => rep.skipped -= 1,
            }
            continue;
        }
        if p.action != Action::SkipDeleted {
            first.insert(p.data.enrollment.clone(), p.meta.id.clone());
        }
        keep.push(p);
    }
    *exits = keep;
}

/// Notes on the Client file's optional codes left empty (stored as HUD's 99).
fn code_notes(table: &Table, rep: &mut FileReport) {
    for col in ["Sex", "VeteranStatus"] {
        let empty = (0..table.rows.len())
            .filter(|i| table.row(*i).opt(col).is_none())
            .count();
        if empty > 0 {
            rep.notes.push(format!(
                "{col}: empty in {empty} rows, stored as 99 (data not collected)"
            ));
        }
    }
    rep.notes.push(
        "NameSuffix and the veteran detail columns: not imported (Hearth holds no such fields \
         yet)"
            .into(),
    );
}

/// R-1: who "entered" each client's tier-1 values: the organization of the project of the
/// client's earliest enrollment in this export (by EntryDate, then EnrollmentID).
fn earliest_projects(enrollments: &[Parsed<EnrollmentIn>]) -> HashMap<String, String> {
    let mut best: HashMap<&str, (NaiveDate, &str, &str)> = HashMap::new();
    for p in enrollments {
        if p.action == Action::SkipDeleted {
            continue;
        }
        let cand = (
            p.data.details.entry_date,
            p.meta.id.as_str(),
            p.data.project.as_str(),
        );
        best.entry(p.data.client.as_str())
            .and_modify(|b| {
                if (cand.0, cand.1) < (b.0, b.1) {
                    *b = cand;
                }
            })
            .or_insert(cand);
    }
    best.into_iter()
        .map(|(c, (_, _, p))| (c.to_owned(), p.to_owned()))
        .collect()
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A new record waiting for its file's batched INSERT (its id reserved already).
struct Pending {
    id: RecordId,
    client: ClientId,
    kind: RecordKind,
    org: OrgId,
    author: UserId,
    at: NaiveDateTime,
    security: Option<shared::SecuritySetting>,
    title: String,
    detail: String,
    details: RecordDetails,
}

/// Writes the pending records, many per statement, with their creation in history.
async fn flush_pending(ctx: &mut Ctx<'_>, tx: &mut Tx, pending: Vec<Pending>) -> Result<(), Fatal> {
    let rows: Vec<(RecordId, store::NewRow<'_>, RecordDetails)> = pending
        .iter()
        .map(|p| {
            (
                p.id,
                store::NewRow {
                    client: p.client,
                    kind: p.kind,
                    org: p.org,
                    author: p.author,
                    at: p.at,
                    security: p.security,
                    title: &p.title,
                    detail: &p.detail,
                },
                p.details.clone(),
            )
        })
        .collect();
    q::insert_records(tx, &rows).await.map_err(db_err)?;
    for p in &pending {
        ctx.history.push((p.id, "import create", "null".into()));
    }
    Ok(())
}

/// Ids for `n` new rows of `table` (see `db::hud_import::reserve_ids`).
async fn reserve(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    table: &'static str,
    n: usize,
) -> Result<std::vec::IntoIter<i64>, Fatal> {
    Ok(q::reserve_ids(tx, db::backend(ctx.run.pool), table, n)
        .await
        .map_err(db_err)?
        .into_iter())
}

async fn write_orgs(ctx: &mut Ctx<'_>, tx: &mut Tx, rows: &[Parsed<OrgRow>]) -> Result<(), Fatal> {
    for p in rows {
        let id = match p.action {
            Action::Create => {
                let id = match q::org_named(tx, &p.data.name).await.map_err(db_err)? {
                    // An organization of that name already in Hearth (e.g. made by hand) is
                    // the same agency: HUD's names are its legal names.
                    Some(o) => o,
                    None => q::insert_org(tx, &p.data.name, p.meta.created)
                        .await
                        .map_err(db_err)?,
                };
                ctx.audit_entry(
                    &p.meta,
                    format!(
                        "import HUD Organization {}: organization #{}",
                        p.meta.id, id.0
                    ),
                    None,
                );
                id
            }
            Action::Update | Action::Tombstone => {
                let id = OrgId(
                    ctx.mapped("Organization", &p.meta.id)
                        .map(|m| m.hearth_id)
                        .unwrap_or(0),
                );
                let disabled = p.action == Action::Tombstone;
                q::update_org(tx, id, &p.data.name, disabled)
                    .await
                    .map_err(db_err)?;
                ctx.audit_entry(
                    &p.meta,
                    format!(
                        "import HUD Organization {}: {} organization #{}",
                        p.meta.id,
                        if disabled { "disable" } else { "update" },
                        id.0
                    ),
                    None,
                );
                id
            }
            Action::Unchanged | Action::SkipDeleted => continue,
        };
        let m = ctx.map_row(
            "Organization",
            &p.meta,
            id.0,
            Some(id.0),
            None,
            p.action == Action::Tombstone,
        );
        ctx.remember("Organization", &p.meta, m);
    }
    Ok(())
}

async fn write_users(
    ctx: &mut Ctx<'_>,
    tx: &mut Tx,
    rows: &[Parsed<UserRowIn>],
) -> Result<(), Fatal> {
    for p in rows {
        let id = match p.action {
            Action::Create => {
                let id = if q::username_taken(tx, &p.data.username)
                    .await
                    .map_err(db_err)?
                {
                    // Taken by a user imported under another source, or made by hand: a
                    // distinct name (never the other account).
                    let name = format!("{}-{}", p.data.username, ctx.map.len() + ctx.new_map.len());
                    q::insert_user(tx, ctx.import_org, &name, &p.data.display, p.meta.created).await
                } else {
                    q::insert_user(
                        tx,
                        ctx.import_org,
                        &p.data.username,
                        &p.data.display,
                        p.meta.created,
                    )
                    .await
                }
                .map_err(db_err)?;
                ctx.audit_entry(
                    &p.meta,
                    format!(
                        "import HUD User {}: user #{} (disabled, no login)",
                        p.meta.id, id.0
                    ),
                    None,
                );
                id
            }
            Action::Update | Action::Tombstone => {
                let id = UserId(
                    ctx.mapped("User", &p.meta.id)
                        .map(|m| m.hearth_id)
                        .unwrap_or(0),
                );
                q::update_user_name(tx, id, &p.data.display)
                    .await
                    .map_err(db_err)?;
                ctx.audit_entry(
                    &p.meta,
                    format!("import HUD User {}: update user #{}", p.meta.id, id.0),
                    None,
                );
                id
            }
            Action::Unchanged | Action::SkipDeleted => continue,
        };
        let m = ctx.map_row(
            "User",
            &p.meta,
            id.0,
            Some(ctx.import_org.0),
            None,
            p.action == Action::Tombstone,
        );
        ctx.remember("User", &p.meta, m);
    }
    Ok(())
}

async fn write_projects(
    ctx: &mut Ctx<'_>,
    tx: &mut Tx,
    rows: &[Parsed<ProjectRow>],
) -> Result<(), Fatal> {
    for p in rows {
        let org = ctx
            .mapped("Organization", &p.data.org)
            .map(|m| m.hearth_id)
            .unwrap_or(0);
        let code = p.data.project_type.code();
        let id = match p.action {
            Action::Create => {
                let id = q::insert_program(tx, OrgId(org), &p.data.name, code)
                    .await
                    .map_err(db_err)?;
                ctx.audit_entry(
                    &p.meta,
                    format!("import HUD Project {}: program #{}", p.meta.id, id.0),
                    None,
                );
                id
            }
            Action::Update | Action::Tombstone => {
                let id = ProgramId(
                    ctx.mapped("Project", &p.meta.id)
                        .map(|m| m.hearth_id)
                        .unwrap_or(0),
                );
                let disabled = p.action == Action::Tombstone;
                q::update_program(tx, id, &p.data.name, code, disabled)
                    .await
                    .map_err(db_err)?;
                ctx.audit_entry(
                    &p.meta,
                    format!(
                        "import HUD Project {}: {} program #{}",
                        p.meta.id,
                        if disabled { "disable" } else { "update" },
                        id.0
                    ),
                    None,
                );
                id
            }
            Action::Unchanged | Action::SkipDeleted => continue,
        };
        ctx.programs.insert(id.0, p.data.name.clone());
        let m = ctx.map_row(
            "Project",
            &p.meta,
            id.0,
            Some(org),
            None,
            p.action == Action::Tombstone,
        );
        ctx.remember("Project", &p.meta, m);
    }
    Ok(())
}

fn demographics(c: &ClientIn) -> RecordDetails {
    RecordDetails::Demographics(DemographicsDetails {
        race_ethnicity: Some(c.race.clone()),
        additional_race_ethnicity: c.additional.clone(),
        religious_preference: None,
        citizenship_status: None,
        legacy_race: None,
        legacy_ethnicity: None,
    })
}

/// Every N rows, a progress line.
const PROGRESS_EVERY: usize = 2000;

async fn write_clients(
    ctx: &mut Ctx<'_>,
    tx: &mut Tx,
    rows: &[Parsed<ClientIn>],
    first_project: &HashMap<String, String>,
    step: &mut impl FnMut(&str, usize, usize),
) -> Result<(), Fatal> {
    let mut next = q::max_hmis_sequence(tx).await.map_err(db_err)? + 1;
    let creates = rows.iter().filter(|p| p.action == Action::Create).count();
    let mut client_ids = reserve(ctx, tx, "clients", creates).await?;
    let mut record_ids = reserve(ctx, tx, "records", creates).await?;
    let mut new_clients = Vec::with_capacity(creates);
    let mut pending = Vec::with_capacity(creates);
    for (n, p) in rows.iter().enumerate() {
        if n % PROGRESS_EVERY == 0 {
            step("Client.csv", n, rows.len());
        }
        match p.action {
            Action::Create => {
                let org = first_project
                    .get(&p.meta.id)
                    .and_then(|project| ctx.mapped("Project", project))
                    .and_then(|m| m.org_id)
                    .map(OrgId)
                    .unwrap_or(ctx.import_org);
                let author = ctx.user_of(&p.meta);
                let hmis = HmisNumber::from_sequence(u32::try_from(next).unwrap_or(u32::MAX))
                    .map_err(|e| format!("HMIS numbers: {}", e.reason))?;
                next += 1;
                let client = ClientId(client_ids.next().ok_or("no client id reserved")?);
                let rec = RecordId(record_ids.next().ok_or("no record id reserved")?);
                new_clients.push((
                    client,
                    &p.data.new,
                    hmis.clone(),
                    org,
                    author,
                    p.meta.created,
                ));
                pending.push(Pending {
                    id: rec,
                    client,
                    kind: RecordKind::Demographics,
                    org,
                    author,
                    at: p.meta.created,
                    security: None,
                    title: "Demographics".into(),
                    detail: "Race and ethnicity recorded".into(),
                    details: demographics(&p.data),
                });
                ctx.hmis.insert(client.0, hmis.as_str().to_owned());
                ctx.audit_entry(
                    &p.meta,
                    format!(
                        "import HUD Client {}: client and demographics record #{}",
                        p.meta.id, rec.0
                    ),
                    Some(hmis.as_str().to_owned()),
                );
                let m = ctx.map_row(
                    "Client",
                    &p.meta,
                    client.0,
                    Some(org.0),
                    Some(client.0),
                    false,
                );
                ctx.remember("Client", &p.meta, m);
            }
            Action::Update => update_client(ctx, tx, p).await?,
            Action::Tombstone => {
                let client = ctx
                    .mapped("Client", &p.meta.id)
                    .map(|m| m.hearth_id)
                    .unwrap_or(0);
                q::tombstone_client(tx, ClientId(client), ctx.run.now, &ctx.actor)
                    .await
                    .map_err(db_err)?;
                let hmis = ctx.hmis_of(tx, client).await?;
                ctx.audit_entry(
                    &p.meta,
                    format!("import HUD Client {}: tombstone client", p.meta.id),
                    Some(hmis),
                );
                let org = ctx.mapped("Client", &p.meta.id).and_then(|m| m.org_id);
                let m = ctx.map_row("Client", &p.meta, client, org, Some(client), true);
                ctx.remember("Client", &p.meta, m);
            }
            Action::Unchanged | Action::SkipDeleted => {}
        }
    }
    q::insert_clients(tx, &new_clients).await.map_err(db_err)?;
    flush_pending(ctx, tx, pending).await?;
    step("Client.csv", rows.len(), rows.len());
    Ok(())
}

/// A newer client row: each changed intake value written with its old value in history (R-1's
/// provenance: set by the client's entering organization), and the demographics replaced.
async fn update_client(ctx: &mut Ctx<'_>, tx: &mut Tx, p: &Parsed<ClientIn>) -> Result<(), Fatal> {
    use shared::Field;
    let mapped = ctx
        .mapped("Client", &p.meta.id)
        .cloned()
        .ok_or("client map row vanished")?;
    let client = ClientId(mapped.hearth_id);
    let c = &p.data.new;
    let fields: [(Option<Field>, &'static str, Option<String>); 10] = [
        (
            Some(Field::LegalFirstName),
            "first_name",
            Some(c.first_name.as_str().to_owned()),
        ),
        (
            Some(Field::LegalMiddleName),
            "middle_name",
            c.middle_name.as_ref().map(|m| m.as_str().to_owned()),
        ),
        (
            Some(Field::LegalLastName),
            "last_name",
            Some(c.last_name.as_str().to_owned()),
        ),
        (
            Some(Field::DateOfBirth),
            "date_of_birth",
            c.date_of_birth.map(|d| db::date(d.date())),
        ),
        (Some(Field::Ssn), "ssn", c.ssn.as_ref().map(|s| s.stored())),
        (Some(Field::Sex), "sex", Some(c.sex.as_str().to_owned())),
        (
            Some(Field::VeteranStatus),
            "veteran_status",
            Some(c.veteran_status.as_str().to_owned()),
        ),
        (
            None,
            "name_data_quality",
            Some(c.name_data_quality.as_str().to_owned()),
        ),
        (
            None,
            "dob_data_quality",
            Some(c.dob_data_quality.as_str().to_owned()),
        ),
        (
            None,
            "ssn_data_quality",
            Some(c.ssn_data_quality.as_str().to_owned()),
        ),
    ];
    let columns: Vec<&str> = fields.iter().map(|f| f.1).collect();
    let (hmis, org, author, old) = q::client_values(tx, client, &columns)
        .await
        .map_err(db_err)?;
    let by = Actor {
        user: ctx.user_of(&p.meta),
        org,
        role: Role::Caseworker,
    };
    let _ = author;
    let mut changed = Vec::new();
    for ((field, column, new), old) in fields.iter().zip(old.iter()) {
        if new == old {
            continue;
        }
        changed.push(*column);
        match field {
            Some(field) => db::resolution::write_intake_field(
                tx,
                db::resolution::IntakeChange {
                    client,
                    field: *field,
                    column,
                    new_value: new.as_deref(),
                    old_value: old.as_deref(),
                    old_by: None,
                    at: ctx.run.now,
                    by: (by.org, by.user),
                    decision: "hud_import",
                    documentation: None,
                    attachment: None,
                },
            )
            .await
            .map_err(db_err)?,
            None => q::set_quality_column(
                tx,
                client,
                column,
                old.as_deref(),
                new.as_deref(),
                &by,
                ctx.run.now,
            )
            .await
            .map_err(db_err)?,
        }
    }
    let details = demographics(&p.data);
    match q::demographics_of(tx, client).await.map_err(db_err)? {
        Some(rec) => {
            let old = snapshot(tx, rec).await?;
            if old.1.as_ref() != Some(&details) {
                ctx.history.push((rec, "import update", old.0));
                store::write_details(tx, rec, &details, true)
                    .await
                    .map_err(db_err)?;
                changed.push("demographics");
            }
        }
        None => {
            let rec = store::insert_record(
                tx,
                store::NewRow {
                    client,
                    kind: RecordKind::Demographics,
                    org,
                    author: by.user,
                    at: ctx.run.now,
                    security: None,
                    title: "Demographics",
                    detail: "Race and ethnicity recorded",
                },
            )
            .await
            .map_err(db_err)?;
            store::write_details(tx, rec, &details, false)
                .await
                .map_err(db_err)?;
            ctx.history.push((rec, "import create", "null".into()));
            changed.push("demographics");
        }
    }
    ctx.audit_entry(
        &p.meta,
        format!(
            "import HUD Client {}: update {}",
            p.meta.id,
            if changed.is_empty() {
                "nothing".to_owned()
            } else {
                changed.join(", ")
            }
        ),
        Some(hmis),
    );
    let m = ctx.map_row(
        "Client",
        &p.meta,
        client.0,
        mapped.org_id,
        Some(client.0),
        false,
    );
    ctx.remember("Client", &p.meta, m);
    Ok(())
}

/// A record as the API showed it before a change (`record_history`'s old value), with its
/// details.
async fn snapshot(tx: &mut Tx, id: RecordId) -> Result<(String, Option<RecordDetails>), Fatal> {
    let row = store::record(tx, id)
        .await
        .map_err(db_err)?
        .ok_or_else(|| format!("record #{} vanished during the import", id.0))?;
    let details = store::details(tx, &row.meta).await.map_err(db_err)?;
    let json = serde_json::json!({
        "meta": row.meta,
        "title": row.title,
        "detail": row.detail,
        "details": details,
    })
    .to_string();
    Ok((json, details))
}

fn enrollment_summary(d: &EnrollmentDetails) -> String {
    match d.exit_date {
        Some(x) => format!("Entry {} · exit {x}", d.entry_date),
        None => format!("Entry {} · active", d.entry_date),
    }
}

/// Writes enrollments (owned by their project's organization, R-6); a new enrollment whose exit
/// is new too gets its exit in the same row. Returns the exits so written.
async fn write_enrollments(
    ctx: &mut Ctx<'_>,
    tx: &mut Tx,
    rows: &[Parsed<EnrollmentIn>],
    exits: &[Parsed<ExitIn>],
    step: &mut impl FnMut(&str, usize, usize),
) -> Result<HashSet<String>, Fatal> {
    let new_exits: HashMap<&str, &Parsed<ExitIn>> = exits
        .iter()
        .filter(|e| e.action == Action::Create)
        .map(|e| (e.data.enrollment.as_str(), e))
        .collect();
    let mut folded = HashSet::new();
    let creates = rows.iter().filter(|p| p.action == Action::Create).count();
    let mut ids = reserve(ctx, tx, "records", creates).await?;
    let mut pending = Vec::with_capacity(creates);
    for (n, p) in rows.iter().enumerate() {
        if n % PROGRESS_EVERY == 0 {
            step("Enrollment.csv", n, rows.len());
        }
        if matches!(p.action, Action::Unchanged | Action::SkipDeleted) {
            continue;
        }
        let project = ctx
            .mapped("Project", &p.data.project)
            .cloned()
            .ok_or("project map row vanished")?;
        let client = ctx
            .mapped("Client", &p.data.client)
            .map(|m| m.hearth_id)
            .ok_or("client map row vanished")?;
        let org = OrgId(project.org_id.unwrap_or(ctx.import_org.0));
        let mut details = p.data.details.clone();
        details.program_id = ProgramId(project.hearth_id);
        details.program_name = ctx.program_name(tx, project.hearth_id).await?;
        let hmis = ctx.hmis_of(tx, client).await?;
        let id = match p.action {
            Action::Create => {
                if let Some(x) = new_exits.get(p.meta.id.as_str()) {
                    details.exit_date = Some(x.data.exit_date);
                    details.destination = x.data.destination;
                    if x.data.drop_move_in {
                        details.move_in_date = None;
                    }
                    folded.insert(x.meta.id.clone());
                }
                let id = RecordId(ids.next().ok_or("no record id reserved")?);
                pending.push(Pending {
                    id,
                    client: ClientId(client),
                    kind: RecordKind::Enrollment,
                    org,
                    author: ctx.user_of(&p.meta),
                    at: p.meta.created,
                    security: None,
                    title: details.program_name.clone(),
                    detail: enrollment_summary(&details),
                    details: RecordDetails::Enrollment(details),
                });
                ctx.audit_entry(
                    &p.meta,
                    format!(
                        "import HUD Enrollment {}: create enrollment record #{}",
                        p.meta.id, id.0
                    ),
                    Some(hmis),
                );
                id
            }
            Action::Update | Action::Tombstone => {
                let id = RecordId(
                    ctx.mapped("Enrollment", &p.meta.id)
                        .map(|m| m.hearth_id)
                        .unwrap_or(0),
                );
                let (old, old_details) = snapshot(tx, id).await?;
                if let Some(RecordDetails::Enrollment(o)) = &old_details {
                    // The exit is Exit.csv's: kept as stored.
                    details.exit_date = o.exit_date;
                    details.destination = o.destination;
                }
                if p.action == Action::Tombstone {
                    ctx.history.push((id, "import delete", old));
                    store::tombstone(tx, id).await.map_err(db_err)?;
                    ctx.audit_entry(
                        &p.meta,
                        format!(
                            "import HUD Enrollment {}: tombstone enrollment record #{}",
                            p.meta.id, id.0
                        ),
                        Some(hmis),
                    );
                } else {
                    ctx.history.push((id, "import update", old));
                    store::set_summary(
                        tx,
                        id,
                        &details.program_name,
                        &enrollment_summary(&details),
                    )
                    .await
                    .map_err(db_err)?;
                    store::write_details(tx, id, &RecordDetails::Enrollment(details), true)
                        .await
                        .map_err(db_err)?;
                    ctx.audit_entry(
                        &p.meta,
                        format!(
                            "import HUD Enrollment {}: update enrollment record #{}",
                            p.meta.id, id.0
                        ),
                        Some(hmis),
                    );
                }
                id
            }
            Action::Unchanged | Action::SkipDeleted => continue,
        };
        let m = ctx.map_row(
            "Enrollment",
            &p.meta,
            id.0,
            Some(org.0),
            Some(client),
            p.action == Action::Tombstone,
        );
        ctx.remember("Enrollment", &p.meta, m);
    }
    flush_pending(ctx, tx, pending).await?;
    step("Enrollment.csv", rows.len(), rows.len());
    Ok(folded)
}

/// Writes exits onto their enrollments (exit date and destination, 3.11 and 3.12); a deleted
/// exit clears them again, the old value kept in history.
async fn write_exits(
    ctx: &mut Ctx<'_>,
    tx: &mut Tx,
    rows: &[Parsed<ExitIn>],
    folded: &HashSet<String>,
    step: &mut impl FnMut(&str, usize, usize),
) -> Result<(), Fatal> {
    for (n, p) in rows.iter().enumerate() {
        if n % PROGRESS_EVERY == 0 {
            step("Exit.csv", n, rows.len());
        }
        if matches!(p.action, Action::Unchanged | Action::SkipDeleted) {
            continue;
        }
        let enrollment = ctx
            .mapped("Enrollment", &p.data.enrollment)
            .cloned()
            .ok_or("enrollment map row vanished")?;
        let hmis = ctx.hmis_of(tx, enrollment.client_id.unwrap_or(0)).await?;
        let id = RecordId(enrollment.hearth_id);
        if folded.contains(&p.meta.id) {
            ctx.audit_entry(
                &p.meta,
                format!(
                    "import HUD Exit {}: exit of enrollment record #{}",
                    p.meta.id, id.0
                ),
                Some(hmis),
            );
        } else {
            let (old, old_details) = snapshot(tx, id).await?;
            let Some(RecordDetails::Enrollment(mut d)) = old_details else {
                return Err(format!("enrollment record #{} has no details", id.0));
            };
            let deleted = p.action == Action::Tombstone;
            d.exit_date = (!deleted).then_some(p.data.exit_date);
            d.destination = if deleted { None } else { p.data.destination };
            if p.data.drop_move_in && !deleted {
                d.move_in_date = None;
            }
            ctx.history.push((id, "import update", old));
            store::set_summary(tx, id, &d.program_name.clone(), &enrollment_summary(&d))
                .await
                .map_err(db_err)?;
            store::write_details(tx, id, &RecordDetails::Enrollment(d), true)
                .await
                .map_err(db_err)?;
            let verb = if deleted { "remove exit" } else { "exit" };
            ctx.audit_entry(
                &p.meta,
                format!(
                    "import HUD Exit {}: {verb} of enrollment record #{}",
                    p.meta.id, id.0
                ),
                Some(hmis),
            );
        }
        let m = ctx.map_row(
            "Exit",
            &p.meta,
            id.0,
            enrollment.org_id,
            enrollment.client_id,
            p.action == Action::Tombstone,
        );
        ctx.remember("Exit", &p.meta, m);
    }
    step("Exit.csv", rows.len(), rows.len());
    Ok(())
}

/// Writes services (owned by their enrollment's organization; never deleted, R-11).
async fn write_services(
    ctx: &mut Ctx<'_>,
    tx: &mut Tx,
    rows: &[Parsed<ServiceIn>],
    step: &mut impl FnMut(&str, usize, usize),
) -> Result<(), Fatal> {
    let note_security = ctx.run.policy.default_security_for_service_note();
    let creates = rows.iter().filter(|p| p.action == Action::Create).count();
    let mut ids = reserve(ctx, tx, "records", creates).await?;
    let mut pending = Vec::with_capacity(creates);
    for (n, p) in rows.iter().enumerate() {
        if n % PROGRESS_EVERY == 0 {
            step("Services.csv", n, rows.len());
        }
        if matches!(p.action, Action::Unchanged | Action::SkipDeleted) {
            continue;
        }
        let enrollment = ctx
            .mapped("Enrollment", &p.data.enrollment)
            .cloned()
            .ok_or("enrollment map row vanished")?;
        let client = enrollment.client_id.unwrap_or(0);
        let org = OrgId(enrollment.org_id.unwrap_or(ctx.import_org.0));
        let hmis = ctx.hmis_of(tx, client).await?;
        let details = RecordDetails::Service(ServiceDetails {
            service_kind: ServiceKind::Transaction,
            date: p.data.date,
            description: p.data.description.clone(),
            enrollment_id: Some(RecordId(enrollment.hearth_id)),
            case_management_minutes: None,
            case_management_note: None,
            note_security,
            note_hidden: false,
        });
        let detail = format!("Provided {}", p.data.date);
        let id = match p.action {
            Action::Create => {
                let id = RecordId(ids.next().ok_or("no record id reserved")?);
                pending.push(Pending {
                    id,
                    client: ClientId(client),
                    kind: RecordKind::Service,
                    org,
                    author: ctx.user_of(&p.meta),
                    at: p.meta.created,
                    security: None,
                    title: p.data.description.clone(),
                    detail: detail.clone(),
                    details: details.clone(),
                });
                ctx.audit_entry(
                    &p.meta,
                    format!(
                        "import HUD Services {}: create service record #{}",
                        p.meta.id, id.0
                    ),
                    Some(hmis),
                );
                id
            }
            Action::Update => {
                let id = RecordId(
                    ctx.mapped("Services", &p.meta.id)
                        .map(|m| m.hearth_id)
                        .unwrap_or(0),
                );
                let (old, _) = snapshot(tx, id).await?;
                ctx.history.push((id, "import update", old));
                store::set_summary(tx, id, &p.data.description, &detail)
                    .await
                    .map_err(db_err)?;
                store::write_details(tx, id, &details, true)
                    .await
                    .map_err(db_err)?;
                ctx.audit_entry(
                    &p.meta,
                    format!(
                        "import HUD Services {}: update service record #{}",
                        p.meta.id, id.0
                    ),
                    Some(hmis),
                );
                id
            }
            // R-11: kept; the map remembers the source deleted it, so it is not counted again.
            Action::Tombstone => RecordId(
                ctx.mapped("Services", &p.meta.id)
                    .map(|m| m.hearth_id)
                    .unwrap_or(0),
            ),
            Action::Unchanged | Action::SkipDeleted => continue,
        };
        let m = ctx.map_row(
            "Services",
            &p.meta,
            id.0,
            Some(org.0),
            Some(client),
            p.action == Action::Tombstone,
        );
        ctx.remember("Services", &p.meta, m);
    }
    flush_pending(ctx, tx, pending).await?;
    step("Services.csv", rows.len(), rows.len());
    Ok(())
}

/// Writes HealthAndDV rows as a domestic-violence assessment form and, when the row has health
/// answers, a health assessment form, each at its form type's default setting (S-5:
/// `RestrictToOrganization`), owned by the enrollment's organization.
async fn write_health_dv(
    ctx: &mut Ctx<'_>,
    tx: &mut Tx,
    rows: &[Parsed<HealthDvIn>],
    step: &mut impl FnMut(&str, usize, usize),
) -> Result<(), Fatal> {
    let creates: usize = rows
        .iter()
        .filter(|p| p.action == Action::Create)
        .map(|p| 1 + usize::from(!p.data.health.is_empty()))
        .sum();
    let mut ids = reserve(ctx, tx, "records", creates).await?;
    let mut pending = Vec::with_capacity(creates);
    for (n, p) in rows.iter().enumerate() {
        if n % PROGRESS_EVERY == 0 {
            step("HealthAndDV.csv", n, rows.len());
        }
        if matches!(p.action, Action::Unchanged | Action::SkipDeleted) {
            continue;
        }
        let enrollment = ctx
            .mapped("Enrollment", &p.data.enrollment)
            .cloned()
            .ok_or("enrollment map row vanished")?;
        let client = enrollment.client_id.unwrap_or(0);
        let org = OrgId(enrollment.org_id.unwrap_or(ctx.import_org.0));
        let hmis = ctx.hmis_of(tx, client).await?;
        for (file, form_type, answers, title) in [
            (
                "HealthAndDV",
                FormType::DomesticViolence,
                &p.data.dv,
                "Domestic violence assessment (HUD)",
            ),
            (
                "HealthAndDV:Health",
                FormType::Health,
                &p.data.health,
                "Health assessment (HUD)",
            ),
        ] {
            let existing = ctx.mapped(file, &p.meta.id).map(|m| RecordId(m.hearth_id));
            if answers.is_empty() && existing.is_none() {
                continue;
            }
            let security = ctx.run.policy.default_security_for_form(form_type);
            let details = RecordDetails::Form(FormDetails {
                form_type,
                answers: answers.clone(),
                security,
            });
            let detail = format!("Information date {}", p.data.date);
            let id = match (p.action, existing) {
                (Action::Tombstone, Some(id)) => {
                    let (old, _) = snapshot(tx, id).await?;
                    ctx.history.push((id, "import delete", old));
                    store::tombstone(tx, id).await.map_err(db_err)?;
                    ctx.audit_entry(
                        &p.meta,
                        format!(
                            "import HUD {file} {}: tombstone form record #{}",
                            p.meta.id, id.0
                        ),
                        Some(hmis.clone()),
                    );
                    id
                }
                (Action::Tombstone, None) => continue,
                (_, Some(id)) => {
                    let (old, _) = snapshot(tx, id).await?;
                    ctx.history.push((id, "import update", old));
                    store::set_summary(tx, id, title, &detail)
                        .await
                        .map_err(db_err)?;
                    store::write_details(tx, id, &details, true)
                        .await
                        .map_err(db_err)?;
                    ctx.audit_entry(
                        &p.meta,
                        format!(
                            "import HUD {file} {}: update form record #{}",
                            p.meta.id, id.0
                        ),
                        Some(hmis.clone()),
                    );
                    id
                }
                (Action::Create, None) => {
                    let id = RecordId(ids.next().ok_or("no record id reserved")?);
                    pending.push(Pending {
                        id,
                        client: ClientId(client),
                        kind: RecordKind::Form,
                        org,
                        author: ctx.user_of(&p.meta),
                        at: p.meta.created,
                        security: Some(security),
                        title: title.into(),
                        detail: detail.clone(),
                        details: details.clone(),
                    });
                    ctx.audit_entry(
                        &p.meta,
                        format!(
                            "import HUD {file} {}: create form record #{}",
                            p.meta.id, id.0
                        ),
                        Some(hmis.clone()),
                    );
                    id
                }
                (_, None) => {
                    let id = store::insert_record(
                        tx,
                        store::NewRow {
                            client: ClientId(client),
                            kind: RecordKind::Form,
                            org,
                            author: ctx.user_of(&p.meta),
                            at: ctx.run.now,
                            security: Some(security),
                            title,
                            detail: &detail,
                        },
                    )
                    .await
                    .map_err(db_err)?;
                    store::write_details(tx, id, &details, false)
                        .await
                        .map_err(db_err)?;
                    ctx.history.push((id, "import create", "null".into()));
                    ctx.audit_entry(
                        &p.meta,
                        format!(
                            "import HUD {file} {}: create form record #{}",
                            p.meta.id, id.0
                        ),
                        Some(hmis.clone()),
                    );
                    id
                }
            };
            let file: &'static str = if form_type == FormType::Health {
                "HealthAndDV:Health"
            } else {
                "HealthAndDV"
            };
            let m = ctx.map_row(
                file,
                &p.meta,
                id.0,
                Some(org.0),
                Some(client),
                p.action == Action::Tombstone,
            );
            ctx.remember(file, &p.meta, m);
        }
    }
    flush_pending(ctx, tx, pending).await?;
    step("HealthAndDV.csv", rows.len(), rows.len());
    Ok(())
}

/// What the households are made from: this export's checked enrollments and exits, and the
/// imported clients' last names (a household's family name is its head's).
struct HouseholdInput<'a> {
    enrollments: &'a [Parsed<EnrollmentIn>],
    exits: &'a [Parsed<ExitIn>],
    last_names: &'a HashMap<&'a str, &'a str>,
}

/// Households (3.15, migration 0015): one per HUD HouseholdID of this source, each new
/// enrollment a membership row from its entry date to its exit date (open while there is none)
/// with its RelationshipToHoH (empty: 99, data not collected), the head's row first. Each row
/// is checked by `shared::household::check_add_member` against the household's rows and the
/// client's rows in every other household (stored ones and this import's): a row the rules
/// refuse (the client already in another household then, a second head, a member with no head)
/// is not stored and is a warning on the enrollment, which is imported all the same. Owned by
/// the head's enrollment's organization; history and audit as an import.
async fn write_households(
    ctx: &mut Ctx<'_>,
    tx: &mut Tx,
    input: HouseholdInput<'_>,
    rep: &mut FileReport,
    warnings: &mut Vec<RowError>,
) -> Result<(), Fatal> {
    use crate::db::households as hh;
    use shared::household::{check_add_member, Membership, NewMember};
    use shared::ids::{HouseholdId, MembershipId};
    let exit_of: HashMap<&str, NaiveDate> = input
        .exits
        .iter()
        .filter(|x| matches!(x.action, Action::Create | Action::Update))
        .map(|x| (x.data.enrollment.as_str(), x.data.exit_date))
        .collect();
    // New enrollments by household, households in the order of their first entry.
    let mut groups: HashMap<&str, Vec<&Parsed<EnrollmentIn>>> = HashMap::new();
    let mut without = 0usize;
    for p in input
        .enrollments
        .iter()
        .filter(|p| p.action == Action::Create)
    {
        match &p.data.household {
            Some(h) => groups.entry(h.as_str()).or_default().push(p),
            None => without += 1,
        }
    }
    let mut order: Vec<(&str, Vec<&Parsed<EnrollmentIn>>)> = groups.into_iter().collect();
    for (_, members) in &mut order {
        members.sort_by_key(|p| {
            (
                p.data.relationship != Some(RelationshipToHoH::SelfHeadOfHousehold),
                p.data.details.entry_date,
                p.meta.id.clone(),
            )
        });
    }
    order.sort_by_key(|(h, m)| (m.iter().map(|p| p.data.details.entry_date).min(), *h));
    if order.is_empty() && without == 0 {
        return Ok(());
    }
    hh::lock(tx).await.map_err(db_err)?;
    let stored = hh::all_rows(tx).await.map_err(db_err)?;
    let mut by_client: HashMap<ClientId, Vec<Membership>> = HashMap::new();
    let mut by_household: HashMap<HouseholdId, Vec<Membership>> = HashMap::new();
    for m in stored {
        by_client.entry(m.client).or_default().push(m);
        by_household.entry(m.household).or_default().push(m);
    }
    let today = ctx.run.now.date();
    let new_households = order
        .iter()
        .filter(|(h, _)| ctx.mapped("Household", h).is_none())
        .count();
    let mut household_ids = reserve(ctx, tx, "households", new_households).await?;
    let mut member_ids = reserve(ctx, tx, "household_members", input.enrollments.len()).await?;
    let (mut new_h, mut new_m) = (Vec::new(), Vec::new());
    let mut refused = 0usize;
    for (hud_id, members) in &order {
        let existing = ctx
            .mapped("Household", hud_id)
            .map(|m| HouseholdId(m.hearth_id));
        let id = match existing {
            Some(id) => id,
            None => HouseholdId(household_ids.next().ok_or("no household id reserved")?),
        };
        let mut rows = by_household.get(&id).cloned().unwrap_or_default();
        let mut added = Vec::new();
        for p in members {
            let Some(enrollment) = ctx.mapped("Enrollment", &p.meta.id).cloned() else {
                continue;
            };
            let client = ClientId(enrollment.client_id.unwrap_or(0));
            let org = OrgId(enrollment.org_id.unwrap_or(ctx.import_org.0));
            let author = ctx.user_of(&p.meta);
            let new = NewMember {
                client,
                relationship: p
                    .data
                    .relationship
                    .unwrap_or(RelationshipToHoH::DataNotCollected),
                start: p.data.details.entry_date,
                end: exit_of.get(p.meta.id.as_str()).copied(),
            };
            let provenance = shared::Provenance {
                org,
                author,
                created_at: p.meta.created,
            };
            let elsewhere: Vec<Membership> = by_client
                .get(&client)
                .map(|r| r.iter().filter(|m| m.household != id).copied().collect())
                .unwrap_or_default();
            if let Err(e) = check_add_member(id, &rows, &elsewhere, &new, provenance, today) {
                refused += 1;
                warnings.push(RowError {
                    file: "Enrollment.csv",
                    line: p.data.line,
                    column: "HouseholdID".into(),
                    reason: format!(
                        "not made a member of household {hud_id}: {}; the enrollment is \
                         imported without the membership",
                        e.reason
                    ),
                });
                continue;
            }
            let row_id = MembershipId(member_ids.next().ok_or("no membership id reserved")?);
            let row = Membership {
                id: row_id,
                household: id,
                client,
                relationship: new.relationship,
                start: new.start,
                end: new.end,
                provenance,
            };
            rows.push(row);
            by_client.entry(client).or_default().push(row);
            added.push((p, row, new));
        }
        let Some((head, head_row, _)) = added.first() else {
            continue;
        };
        if existing.is_none() {
            let family_name = input
                .last_names
                .get(head.data.client.as_str())
                .and_then(|n| shared::household::parse_family_name(n).ok())
                .unwrap_or_else(|| format!("HUD household {hud_id}"));
            new_h.push(q::NewHouseholdRow {
                id,
                family_name,
                org: head_row.provenance.org,
                author: head_row.provenance.author,
                at: head.meta.created,
            });
            let m = ctx.map_row(
                "Household",
                &head.meta,
                id.0,
                Some(head_row.provenance.org.0),
                None,
                false,
            );
            let m = MapRow {
                hud_id: (*hud_id).to_owned(),
                ..m
            };
            ctx.remember("Household", &head.meta, m);
        }
        for (p, row, new) in &added {
            let hmis = ctx.hmis_of(tx, row.client.0).await?;
            ctx.audit_entry(
                &p.meta,
                format!(
                    "import HUD Enrollment {}: member #{} of household #{} as {}",
                    p.meta.id,
                    row.id.0,
                    id.0,
                    row.relationship.as_str()
                ),
                Some(hmis),
            );
            new_m.push(q::NewMemberRow {
                id: row.id,
                household: id,
                member: *new,
                org: row.provenance.org,
                author: row.provenance.author,
                at: p.meta.created,
            });
        }
        by_household.insert(id, rows);
    }
    q::insert_households(tx, &new_h, &new_m, &ctx.actor, ctx.run.now)
        .await
        .map_err(db_err)?;
    rep.warnings += refused;
    rep.notes.push(format!(
        "HouseholdID and RelationshipToHoH: {} households created, {} membership rows (from \
         the entry date to the exit date); {refused} memberships refused by the household rules \
         (warnings); {without} new enrollments have no HouseholdID",
        new_h.len(),
        new_m.len()
    ));
    Ok(())
}
