//! HUD CSV export (FY2026, `hearth-server export-hud`, `GET /hud-export`, issue #16 point 3): the
//! enrollments of a set of projects active in a date range, their clients, exits, services and
//! domestic-violence / health forms, as HUD's 24 files (`hud_csv`), holding exactly what the
//! exporting user may read (P-6, S-8): every client and record goes through the shared read
//! decision (`can_read`, with the client's ROIs and the MOUs in force), as the profile does.
//! Optionally hashed (`HashStatus` 4). The export is audited: one entry for the export and one
//! read (P-4) per exported client, written before the files are handed out.
//!
//! Ids: a row imported from HUD CSV (`hud_import_map`) is exported under its HUD id and its
//! source's `DateUpdated`; any other row under its Hearth id. So export, import into an empty
//! database, export again gives the same files. Decisions: docs/decisions.md, "HUD CSV export".

use crate::db::hud_export::{self as q, Mapped, ProgramRow};
use crate::db::{self, records as store, AuditEntry, ClientRow, Pool};
use crate::error::{allow, ApiError};
use crate::services::hud_csv::{self as csv, Cell, Record};
use chrono::{NaiveDate, NaiveDateTime};
use shared::api::records::{DemographicsDetails, EnrollmentDetails, RecordDetails};
use shared::hud::{NoYesReasons, RaceEthnicity};
use shared::records::FormType;
use shared::{
    can_read, Actor, ClientId, Mou, OrgId, PolicyConfig, ProgramId, RecordId, RecordKind,
    RecordMeta, Roi, SharingContext,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// Enrollments active on some day from `from` to `to`, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The projects (Hearth programs); empty: every project.
    pub projects: Vec<ProgramId>,
    /// `HashStatus` 4: names and SSNs hashed.
    pub hash: bool,
}

/// The files of one export, in HUD's order (`Name.csv`, text), and what they hold.
#[derive(Debug, Clone)]
pub struct HudExport {
    pub files: Vec<(String, String)>,
    pub export_id: String,
    pub clients: usize,
    pub enrollments: usize,
    /// Hearth services with no HUD `RecordType` (not imported from HUD CSV): not exported.
    pub services_without_hud_type: usize,
}

impl HudExport {
    /// Writes the files into `dir` (created if missing).
    pub fn write_to(&self, dir: &std::path::Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, text) in &self.files {
            std::fs::write(dir.join(name), text)?;
        }
        Ok(())
    }

    /// The files as one zip archive (deflate).
    pub fn zip(&self) -> Result<Vec<u8>, ApiError> {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, text) in &self.files {
            out.start_file(name.as_str(), options)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            out.write_all(text.as_bytes())
                .map_err(|e| ApiError::Internal(e.to_string()))?;
        }
        let cursor = out
            .finish()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(cursor.into_inner())
    }
}

/// The source name every Hearth export gives (`Export.SourceID`): an import of it is one source.
pub const SOURCE_ID: &str = "hearth";

/// The HUD id and `DateUpdated` of each imported Hearth row, by HUD file.
struct Ids {
    map: HashMap<(String, i64), (String, NaiveDateTime)>,
}

impl Ids {
    fn new(rows: Vec<Mapped>) -> Self {
        let mut map = HashMap::with_capacity(rows.len());
        for m in rows {
            map.entry((m.hud_file, m.hearth_id))
                .or_insert((m.hud_id, m.date_updated));
        }
        Self { map }
    }

    fn get(&self, file: &str, id: i64) -> Option<&(String, NaiveDateTime)> {
        self.map.get(&(file.to_owned(), id))
    }

    /// The row's id in the export: its HUD id when imported, else its Hearth id.
    fn id(&self, file: &str, id: i64) -> String {
        self.get(file, id)
            .map_or_else(|| id.to_string(), |(h, _)| h.clone())
    }

    /// `DateUpdated`: the source's when imported, else `created` (Hearth keeps each change in
    /// history, not an updated-at per row).
    fn updated(&self, file: &str, id: i64, created: NaiveDateTime) -> NaiveDateTime {
        self.get(file, id).map_or(created, |(_, at)| *at)
    }
}

/// Everything read for one export.
struct Data {
    programs: Vec<ProgramRow>,
    orgs: Vec<(OrgId, String, NaiveDateTime)>,
    users: HashMap<i64, (String, NaiveDateTime)>,
    clients: HashMap<ClientId, ClientRow>,
    metas: Vec<RecordMeta>,
    details: HashMap<RecordId, RecordDetails>,
    rois: HashMap<ClientId, Vec<Roi>>,
    mous: Vec<Mou>,
    ids: Ids,
}

async fn read(pool: &Pool) -> Result<Data, ApiError> {
    let mut conn = pool.acquire().await?;
    let programs = q::programs(&mut conn).await?;
    let orgs = q::organizations(&mut conn).await?;
    let users = q::users(&mut conn)
        .await?
        .into_iter()
        .map(|(id, name, at)| (id.0, (name, at)))
        .collect();
    let clients = q::clients(&mut conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let kinds = [
        RecordKind::Enrollment,
        RecordKind::Demographics,
        RecordKind::Service,
        RecordKind::Form,
    ];
    let metas: Vec<RecordMeta> = q::records_of_kinds(&mut conn, &kinds)
        .await?
        .into_iter()
        .filter(|m| !m.deleted)
        .collect();
    let refs: Vec<&RecordMeta> = metas.iter().collect();
    let details = store::details_of(&mut conn, &refs).await?;
    let mut rois: HashMap<ClientId, Vec<Roi>> = HashMap::new();
    for r in q::rois(&mut conn).await? {
        rois.entry(r.client).or_default().push(r);
    }
    let ids = Ids::new(q::import_map(&mut conn).await?);
    drop(conn);
    let mous = db::all_mous(pool).await?;
    Ok(Data {
        programs,
        orgs,
        users,
        clients,
        metas,
        details,
        rois,
        mous,
        ids,
    })
}

/// Exports what `actor` may read of `req` on `now`'s date, and audits it.
pub async fn export(
    pool: &Pool,
    policy: &PolicyConfig,
    actor: &Actor,
    req: &ExportRequest,
    now: NaiveDateTime,
) -> Result<HudExport, ApiError> {
    if req.to < req.from {
        return Err(ApiError::validation("to", "must not be before from"));
    }
    let data = read(pool).await?;
    let mut reasons = Vec::new();
    let projects: Vec<&ProgramRow> = if req.projects.is_empty() {
        data.programs.iter().collect()
    } else {
        let mut out = Vec::new();
        for id in &req.projects {
            let p =
                data.programs.iter().find(|p| p.id == *id).ok_or_else(|| {
                    ApiError::validation("project", format!("no project {}", id.0))
                })?;
            if !out.iter().any(|o: &&ProgramRow| o.id == p.id) {
                out.push(p);
            }
        }
        out
    };
    for p in &projects {
        reasons.push(allow(shared::admin::can_export_hud(actor, p.org))?.reason);
    }
    let today = now.date();
    let built = Builder::new(&data, policy, actor, today, req, now, &projects).build();
    let mut entries = vec![AuditEntry::new(
        now,
        actor,
        "export HUD CSV",
        format!(
            "{}; {} clients, {} enrollments, {} to {}, {} projects{}",
            reasons
                .first()
                .map_or_else(String::new, ToString::to_string),
            built.read.len(),
            built.enrollments,
            req.from,
            req.to,
            projects.len(),
            if req.hash { ", hashed" } else { "" }
        ),
    )];
    for (hmis, reason) in &built.read {
        entries.push(
            AuditEntry::new(now, actor, "read client for HUD export", reason).client(Some(hmis)),
        );
    }
    for chunk in entries.chunks(500) {
        let refs: Vec<&AuditEntry> = chunk.iter().collect();
        db::audit_batch(pool, &refs).await?;
    }
    Ok(HudExport {
        files: built.files,
        export_id: built.export_id,
        clients: built.read.len(),
        enrollments: built.enrollments,
        services_without_hud_type: built.services_without_hud_type,
    })
}

struct Built {
    files: Vec<(String, String)>,
    export_id: String,
    read: Vec<(shared::HmisNumber, String)>,
    enrollments: usize,
    services_without_hud_type: usize,
}

/// One exported enrollment: its registry row, details and HUD id.
struct Enrollment<'a> {
    meta: &'a RecordMeta,
    details: &'a EnrollmentDetails,
    hud_id: String,
}

struct Builder<'a> {
    data: &'a Data,
    policy: &'a PolicyConfig,
    actor: &'a Actor,
    today: NaiveDate,
    req: &'a ExportRequest,
    now: NaiveDateTime,
    projects: &'a [&'a ProgramRow],
    export_id: String,
    users: BTreeSet<i64>,
    files: BTreeMap<&'static str, Vec<(String, Record)>>,
    /// Each client's demographics records, in id order.
    demographics: HashMap<ClientId, Vec<&'a RecordMeta>>,
}

fn file(name: &str) -> &'static csv::HudFile {
    csv::file(name).expect("a HUD file of hud_csv::FILES")
}

impl<'a> Builder<'a> {
    fn new(
        data: &'a Data,
        policy: &'a PolicyConfig,
        actor: &'a Actor,
        today: NaiveDate,
        req: &'a ExportRequest,
        now: NaiveDateTime,
        projects: &'a [&'a ProgramRow],
    ) -> Self {
        Self {
            data,
            policy,
            actor,
            today,
            req,
            now,
            projects,
            export_id: format!("HEARTH{}", now.format("%Y%m%d%H%M%S")),
            users: BTreeSet::new(),
            files: BTreeMap::new(),
            demographics: {
                let mut by: HashMap<ClientId, Vec<&'a RecordMeta>> = HashMap::new();
                for m in data
                    .metas
                    .iter()
                    .filter(|m| m.kind == RecordKind::Demographics)
                {
                    by.entry(m.client).or_default().push(m);
                }
                by
            },
        }
    }

    fn readable(&self, meta: &RecordMeta) -> Option<shared::Decision> {
        let rois = self
            .data
            .rois
            .get(&meta.client)
            .map_or(&[][..], Vec::as_slice);
        let ctx = SharingContext {
            rois,
            mous: &self.data.mous,
        };
        let d = can_read(self.actor, meta, &ctx, self.today, self.policy);
        (d.allowed && !meta.deleted).then_some(d)
    }

    /// A new row of `name` with its provenance columns set.
    fn row(
        &mut self,
        name: &'static str,
        created: NaiveDateTime,
        updated: NaiveDateTime,
        user: Option<i64>,
    ) -> Record {
        let mut r = Record::new(file(name));
        r.set("DateCreated", Cell::timestamp(created))
            .set("DateUpdated", Cell::timestamp(updated))
            .set("ExportID", Cell::text(self.export_id.clone()));
        if let Some(u) = user {
            self.users.insert(u);
            r.set("UserID", Cell::text(self.data.ids.id("User", u)));
        }
        r
    }

    fn push(&mut self, name: &'static str, id: String, mut row: Record) {
        let col = file(name).columns[0];
        row.set(col, Cell::text(id.clone()));
        self.files.entry(name).or_default().push((id, row));
    }

    fn build(mut self) -> Built {
        let selected: BTreeSet<ProgramId> = self.projects.iter().map(|p| p.id).collect();
        // The enrollments: readable, of the selected projects, active in the range.
        let data = self.data;
        let mut enrollments: Vec<Enrollment> = Vec::new();
        let mut read: BTreeMap<ClientId, String> = BTreeMap::new();
        for meta in data
            .metas
            .iter()
            .filter(|m| m.kind == RecordKind::Enrollment)
        {
            let Some(RecordDetails::Enrollment(d)) = data.details.get(&meta.id) else {
                continue;
            };
            let active =
                d.entry_date <= self.req.to && d.exit_date.is_none_or(|x| x >= self.req.from);
            if !active || !selected.contains(&d.program_id) || self.readable(meta).is_none() {
                continue;
            }
            let Some(client) = data.clients.get(&meta.client) else {
                continue;
            };
            let Some(intake) = self.readable(&client.meta) else {
                continue;
            };
            read.entry(client.id)
                .or_insert_with(|| intake.reason.to_string());
            enrollments.push(Enrollment {
                meta,
                details: d,
                hud_id: data.ids.id("Enrollment", meta.id.0),
            });
        }
        self.projects_and_orgs();
        for id in read.keys() {
            self.client(&data.clients[id]);
        }
        for e in &enrollments {
            self.enrollment(e);
        }
        let by_id: HashMap<RecordId, &Enrollment> =
            enrollments.iter().map(|e| (e.meta.id, e)).collect();
        let services_without_hud_type = self.services(&by_id);
        self.health_and_dv(&enrollments);
        self.users_file();
        self.export_row();
        let files = csv::FILES
            .iter()
            .map(|f| {
                let mut rows = self.files.remove(f.name).unwrap_or_default();
                rows.sort_by(|a, b| a.0.cmp(&b.0));
                let rows: Vec<Record> = rows.into_iter().map(|(_, r)| r).collect();
                (f.file_name(), csv::write(f, &rows))
            })
            .collect();
        Built {
            files,
            export_id: self.export_id,
            read: read
                .into_iter()
                .map(|(id, reason)| (data.clients[&id].hmis_number.clone(), reason))
                .collect(),
            enrollments: enrollments.len(),
            services_without_hud_type,
        }
    }

    fn projects_and_orgs(&mut self) {
        let data = self.data;
        let mut orgs = BTreeSet::new();
        for p in self.projects {
            orgs.insert(p.org);
            let org_created = data
                .orgs
                .iter()
                .find(|o| o.0 == p.org)
                .map_or(self.now, |o| o.2);
            let updated = data.ids.updated("Project", p.id.0, org_created);
            let mut r = self.row("Project", updated, updated, None);
            r.set(
                "OrganizationID",
                Cell::text(data.ids.id("Organization", p.org.0)),
            )
            .set("ProjectName", Cell::text(p.name.clone()))
            .set("ProjectType", Cell::int(p.hud_project_type));
            self.push("Project", data.ids.id("Project", p.id.0), r);
        }
        for (id, name, created) in data.orgs.iter().filter(|o| orgs.contains(&o.0)) {
            let updated = data.ids.updated("Organization", id.0, *created);
            let mut r = self.row("Organization", *created, updated, None);
            r.set("OrganizationName", Cell::text(name.clone()));
            self.push("Organization", data.ids.id("Organization", id.0), r);
        }
    }

    fn client(&mut self, c: &ClientRow) {
        let data = self.data;
        let created = c.meta.provenance.created_at;
        let updated = data.ids.updated("Client", c.id.0, created);
        let mut r = self.row("Client", created, updated, Some(c.meta.provenance.author.0));
        let name = |s: &str| -> Cell {
            if self.req.hash {
                Cell::opt_text(csv::hash_name(s))
            } else {
                Cell::opt_text((!s.is_empty()).then(|| s.to_owned()))
            }
        };
        r.set("FirstName", name(&c.first_name))
            .set("MiddleName", name(c.middle_name.as_deref().unwrap_or("")))
            .set("LastName", name(&c.last_name))
            .set(
                "NameDataQuality",
                Cell::int(c.name_data_quality.map_or(99, |q| q.code())),
            )
            .set(
                "SSN",
                Cell::opt_text(c.ssn.as_deref().map(csv::ssn).map(|s| {
                    if self.req.hash {
                        csv::hash_ssn(&s)
                    } else {
                        s
                    }
                })),
            )
            .set(
                "SSNDataQuality",
                Cell::int(c.ssn_data_quality.map_or(99, |q| q.code())),
            )
            .set("DOB", Cell::opt_date(c.date_of_birth))
            .set(
                "DOBDataQuality",
                Cell::int(c.dob_data_quality.map_or(99, |q| q.code())),
            )
            .set("Sex", Cell::int(c.sex.map_or(99, |s| s.code())))
            .set(
                "VeteranStatus",
                Cell::int(c.veteran_status.map_or(99, |v| v.code())),
            );
        // 3.04 from the client's live demographics the actor may read (the latest).
        let demographics = self
            .demographics
            .get(&c.id)
            .into_iter()
            .flatten()
            .filter(|m| self.readable(m).is_some())
            .filter_map(|m| match data.details.get(&m.id) {
                Some(RecordDetails::Demographics(d)) => Some(d),
                _ => None,
            })
            .next_back();
        race_columns(&mut r, demographics);
        self.push("Client", data.ids.id("Client", c.id.0), r);
    }

    fn enrollment(&mut self, e: &Enrollment) {
        let data = self.data;
        let d = e.details;
        let created = e.meta.provenance.created_at;
        let updated = data.ids.updated("Enrollment", e.meta.id.0, created);
        let author = Some(e.meta.provenance.author.0);
        let mut r = self.row("Enrollment", created, updated, author);
        let household = d
            .case_name
            .strip_prefix("HUD household ")
            .map_or_else(|| format!("HH{}", e.hud_id), str::to_owned);
        r.set(
            "PersonalID",
            Cell::text(data.ids.id("Client", e.meta.client.0)),
        )
        .set(
            "ProjectID",
            Cell::text(data.ids.id("Project", d.program_id.0)),
        )
        .set("EntryDate", Cell::date(d.entry_date))
        .set("HouseholdID", Cell::text(household))
        .set(
            "RelationshipToHoH",
            Cell::int(if d.head_of_household { 1 } else { 99 }),
        )
        .set(
            "EnrollmentCoC",
            Cell::opt_text(d.enrollment_coc.as_ref().map(|c| c.as_str().to_owned())),
        )
        .set(
            "LivingSituation",
            Cell::opt_int(d.prior_living_situation.map(|p| p.code())),
        )
        .set(
            "DisablingCondition",
            Cell::opt_int(d.disabling_condition.map(|p| p.code())),
        )
        .set("MoveInDate", Cell::opt_date(d.move_in_date));
        self.push("Enrollment", e.hud_id.clone(), r);
        if let Some(exit) = d.exit_date {
            let at = data.ids.updated("Exit", e.meta.id.0, created);
            let mut x = self.row("Exit", at, at, author);
            x.set("EnrollmentID", Cell::text(e.hud_id.clone()))
                .set(
                    "PersonalID",
                    Cell::text(data.ids.id("Client", e.meta.client.0)),
                )
                .set("ExitDate", Cell::date(exit))
                .set(
                    "Destination",
                    Cell::opt_int(d.destination.map(|x| x.code())),
                );
            let id = data
                .ids
                .get("Exit", e.meta.id.0)
                .map_or_else(|| e.hud_id.clone(), |(h, _)| h.clone());
            self.push("Exit", id, x);
        }
    }

    /// Services on exported enrollments that carry HUD's `RecordType` and `TypeProvided` (those
    /// imported from HUD CSV); returns how many readable ones did not (not exported).
    fn services(&mut self, enrollments: &HashMap<RecordId, &Enrollment>) -> usize {
        let data = self.data;
        let mut without = 0;
        for meta in data.metas.iter().filter(|m| m.kind == RecordKind::Service) {
            let Some(RecordDetails::Service(s)) = data.details.get(&meta.id) else {
                continue;
            };
            let Some(e) = s.enrollment_id.and_then(|id| enrollments.get(&id)) else {
                continue;
            };
            if self.readable(meta).is_none() {
                continue;
            }
            let Some((record_type, type_provided)) = hud_service_codes(&s.description) else {
                without += 1;
                continue;
            };
            let created = meta.provenance.created_at;
            let updated = data.ids.updated("Services", meta.id.0, created);
            let mut r = self.row("Services", created, updated, Some(meta.provenance.author.0));
            r.set("EnrollmentID", Cell::text(e.hud_id.clone()))
                .set(
                    "PersonalID",
                    Cell::text(data.ids.id("Client", meta.client.0)),
                )
                .set("DateProvided", Cell::date(s.date))
                .set("RecordType", Cell::int(record_type))
                .set("TypeProvided", Cell::int(type_provided));
            self.push("Services", data.ids.id("Services", meta.id.0), r);
        }
        without
    }

    /// HealthAndDV.csv: the readable domestic-violence and health forms of the exported
    /// enrollments' clients. A form is on the enrollment of its client and organization that
    /// began last on or before its information date (else the first after); the two forms one
    /// HealthAndDV row was imported as are one row again.
    fn health_and_dv(&mut self, enrollments: &[Enrollment]) {
        let data = self.data;
        let mut rows: BTreeMap<String, HealthRow> = BTreeMap::new();
        let mut of_client: HashMap<ClientId, Vec<&Enrollment>> = HashMap::new();
        for e in enrollments {
            of_client.entry(e.meta.client).or_default().push(e);
        }
        for meta in data.metas.iter().filter(|m| m.kind == RecordKind::Form) {
            let Some(RecordDetails::Form(f)) = data.details.get(&meta.id) else {
                continue;
            };
            let (file, health) = match f.form_type {
                FormType::DomesticViolence => ("HealthAndDV", false),
                FormType::Health => ("HealthAndDV:Health", true),
                _ => continue,
            };
            if self.readable(meta).is_none() {
                continue;
            }
            let date = f
                .answers
                .get("information_date")
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or(meta.provenance.created_at.date());
            let mine = of_client.get(&meta.client).map_or(&[][..], Vec::as_slice);
            let Some(e) = form_enrollment(mine, meta, date) else {
                continue;
            };
            let id = data.ids.id(file, meta.id.0);
            let created = meta.provenance.created_at;
            let updated = data.ids.updated(file, meta.id.0, created);
            let row = rows.entry(id).or_insert_with(|| HealthRow {
                enrollment: e.hud_id.clone(),
                client: data.ids.id("Client", meta.client.0),
                date,
                created,
                updated,
                author: meta.provenance.author.0,
                answers: Vec::new(),
            });
            if !health {
                // The domestic-violence form's provenance is the row's.
                row.created = created;
                row.updated = updated;
                row.author = meta.provenance.author.0;
            }
            row.answers.push((health, &f.answers));
        }
        for (id, h) in rows {
            let mut r = self.row("HealthAndDV", h.created, h.updated, Some(h.author));
            r.set("EnrollmentID", Cell::text(h.enrollment))
                .set("PersonalID", Cell::text(h.client))
                .set("InformationDate", Cell::date(h.date));
            for (health, answers) in h.answers {
                health_columns(&mut r, health, answers);
            }
            self.push("HealthAndDV", id, r);
        }
    }

    fn users_file(&mut self) {
        let data = self.data;
        let users = std::mem::take(&mut self.users);
        for u in users {
            let Some((name, created)) = data.users.get(&u) else {
                continue;
            };
            let updated = data.ids.updated("User", u, *created);
            let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
            let mut r = self.row("User", *created, updated, None);
            r.set(
                "UserFirstName",
                Cell::opt_text((!first.is_empty()).then_some(first)),
            )
            .set(
                "UserLastName",
                Cell::opt_text((!last.is_empty()).then_some(last)),
            );
            self.push("User", data.ids.id("User", u), r);
        }
    }

    fn export_row(&mut self) {
        let mut r = Record::new(file("Export"));
        r.set("SourceType", Cell::int(1))
            .set("SourceID", Cell::text(SOURCE_ID))
            .set("SourceName", Cell::text("Hearth HMIS"))
            .set("ExportDate", Cell::timestamp(self.now))
            .set("ExportStartDate", Cell::date(self.req.from))
            .set("ExportEndDate", Cell::date(self.req.to))
            .set("SoftwareName", Cell::text("Hearth"))
            .set("SoftwareVersion", Cell::text(env!("CARGO_PKG_VERSION")))
            .set("CSVVersion", Cell::text(csv::CSV_VERSION))
            // 3: reporting period; 2: full refresh; 1: unhashed, 4: SHA-256 (RHY).
            .set("ExportPeriodType", Cell::int(3))
            .set("ExportDirective", Cell::int(2))
            .set("HashStatus", Cell::int(if self.req.hash { 4 } else { 1 }));
        let id = self.export_id.clone();
        self.push("Export", id, r);
    }
}

struct HealthRow<'a> {
    enrollment: String,
    client: String,
    date: NaiveDate,
    created: NaiveDateTime,
    updated: NaiveDateTime,
    author: i64,
    answers: Vec<(bool, &'a shared::api::records::Answers)>,
}

fn form_enrollment<'e>(
    enrollments: &[&'e Enrollment<'e>],
    meta: &RecordMeta,
    date: NaiveDate,
) -> Option<&'e Enrollment<'e>> {
    let mine = enrollments
        .iter()
        .copied()
        .filter(|e| e.meta.client == meta.client && e.meta.provenance.org == meta.provenance.org);
    let key = |e: &&Enrollment| (e.details.entry_date, e.hud_id.clone());
    mine.clone()
        .filter(|e| e.details.entry_date <= date)
        .max_by_key(key)
        .or_else(|| mine.min_by_key(key))
}

/// 3.04: one 0/1 column per race, `RaceNone` for a data-quality answer (99 when none recorded).
fn race_columns(r: &mut Record, d: Option<&DemographicsDetails>) {
    let set = d.and_then(|d| d.race_ethnicity.as_ref());
    for race in RaceEthnicity::ALL {
        if let Some(col) = race.csv_column() {
            r.set(
                col,
                Cell::int(i64::from(set.is_some_and(|s| s.contains(race)))),
            );
        }
    }
    let none = match set {
        Some(s) => s.race_none().map(|n| n.code()),
        None => Some(99),
    };
    r.set("RaceNone", Cell::opt_int(none));
    r.set(
        "AdditionalRaceEthnicity",
        Cell::opt_text(d.and_then(|d| d.additional_race_ethnicity.clone())),
    );
}

/// The HealthAndDV columns of a domestic-violence (`health` false) or health form's answers.
fn health_columns(r: &mut Record, health: bool, a: &shared::api::records::Answers) {
    let list = |key: &str| {
        a.get(key)
            .and_then(|v| v.parse::<NoYesReasons>().ok())
            .map(|v| v.code())
    };
    let int = |key: &str| a.get(key).and_then(|v| v.parse::<i64>().ok());
    if health {
        r.set(
            "GeneralHealthStatus",
            Cell::opt_int(int("general_health_status_hud_code")),
        )
        .set(
            "DentalHealthStatus",
            Cell::opt_int(int("dental_health_status_hud_code")),
        )
        .set(
            "MentalHealthStatus",
            Cell::opt_int(int("mental_health_status_hud_code")),
        )
        .set("PregnancyStatus", Cell::opt_int(list("pregnancy_status")))
        .set(
            "DueDate",
            Cell::opt_date(
                a.get("due_date")
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            ),
        );
    } else {
        r.set(
            "DomesticViolenceSurvivor",
            Cell::opt_int(list("domestic_violence_survivor")),
        )
        .set("WhenOccurred", Cell::opt_int(int("when_occurred_hud_code")))
        .set("CurrentlyFleeing", Cell::opt_int(list("currently_fleeing")))
        .set(
            "DataCollectionStage",
            Cell::opt_int(int("data_collection_stage_hud_code")),
        );
    }
}

/// `RecordType` and `TypeProvided` of a service imported from HUD CSV (its description, as
/// `services::hud_import` writes it).
fn hud_service_codes(description: &str) -> Option<(i64, i64)> {
    let rest = description.strip_prefix("HUD service: RecordType ")?;
    let (record_type, type_provided) = rest.split_once(", TypeProvided ")?;
    Some((record_type.parse().ok()?, type_provided.parse().ok()?))
}

/// `export-hud OUT_DIR --user USERNAME --from DATE --to DATE [--project ID]... [--hash]`.
#[derive(Debug, Clone)]
pub struct ExportArgs {
    pub out_dir: std::path::PathBuf,
    pub username: String,
    pub request: ExportRequest,
}

pub const EXPORT_USAGE: &str = "usage: hearth-server export-hud OUT_DIR --user USERNAME \
     --from YYYY-MM-DD --to YYYY-MM-DD [--project ID]... [--hash]";

impl ExportArgs {
    pub fn from_args(args: &[String]) -> Result<Self, String> {
        let mut out_dir = None;
        let (mut username, mut from, mut to) = (None, None, None);
        let (mut projects, mut hash) = (Vec::new(), false);
        let mut it = args.iter();
        let date = |v: Option<&String>, what: &str| {
            let v = v.ok_or(format!("{what} needs a date"))?;
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| format!("{what}: {v:?} is not a date (YYYY-MM-DD)"))
        };
        while let Some(a) = it.next() {
            match a.as_str() {
                "--user" => username = Some(it.next().ok_or("--user needs a username")?.clone()),
                "--from" => from = Some(date(it.next(), "--from")?),
                "--to" => to = Some(date(it.next(), "--to")?),
                "--project" => {
                    let v = it.next().ok_or("--project needs a project id")?;
                    let id = v
                        .parse::<i64>()
                        .map_err(|_| format!("--project: {v:?} is not a project id"))?;
                    projects.push(ProgramId(id));
                }
                "--hash" => hash = true,
                other if other.starts_with("--") => return Err(format!("unknown option {other}")),
                other if out_dir.is_none() => out_dir = Some(std::path::PathBuf::from(other)),
                _ => return Err(EXPORT_USAGE.into()),
            }
        }
        match (out_dir, username, from, to) {
            (Some(out_dir), Some(username), Some(from), Some(to)) => Ok(Self {
                out_dir,
                username,
                request: ExportRequest {
                    from,
                    to,
                    projects,
                    hash,
                },
            }),
            _ => Err(EXPORT_USAGE.into()),
        }
    }
}

/// The command line's actor: an enabled user, by username.
pub async fn actor_named(pool: &Pool, username: &str) -> Result<Actor, String> {
    let user = db::user_by_username(pool, username)
        .await
        .map_err(|e| e.to_string())?
        .ok_or(format!("no user {username:?}"))?;
    if user.disabled {
        return Err(format!("user {username:?} is disabled"));
    }
    Ok(Actor {
        user: user.id,
        org: user.org,
        role: user.role,
    })
}

/// `GET /hud-export`'s query as an export request: each bad value a 422 naming its parameter.
/// The dates must be plausible on `today` (`shared::dates`, as an ROI's: from 1990 to ten years
/// ahead).
pub fn parse_query(
    q: &shared::api::endpoints::HudExportQuery,
    today: NaiveDate,
) -> Result<ExportRequest, ApiError> {
    use shared::dates::{check, DateKind};
    let date = |field: &str, v: &Option<String>| {
        let v = v
            .as_deref()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ApiError::validation(field, "required: a date (YYYY-MM-DD)"))?;
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| ApiError::validation(field, "must be a date (YYYY-MM-DD)"))
    };
    let (from, to) = (date("from", &q.from)?, date("to", &q.to)?);
    check("from", DateKind::Release, from, today)?;
    check("to", DateKind::Release, to, today)?;
    let projects = q
        .projects
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(ProgramId)
                .ok_or_else(|| {
                    ApiError::validation("projects", "must be project ids, comma-separated")
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let hash = shared::input::flag("hash", q.hash.as_deref())?;
    Ok(ExportRequest {
        from,
        to,
        projects,
        hash,
    })
}
