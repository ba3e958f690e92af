//! `import-hud` (issue #16): small HUD CSV folders written by each test, with an error of each
//! kind, imported through `services::hud_import` into a fresh database with the demo data (SQLite,
//! or PostgreSQL with `HEARTH_TEST_DATABASE_URL`): the report names file, line, column and reason;
//! headers match by name in any order and case; a dry run stores nothing; importing again changes
//! nothing, a newer DateUpdated updates and a DateDeleted tombstones (P-3); an imported
//! HealthAndDV form is restricted to its project's organization (S-5); imported users cannot sign
//! in. The HUD sample itself: `cargo test -p server --test it hud_sample -- --ignored`.

use crate::support::{spawn_app, RemoveOnDrop, TestApp};
use server::services::hud_import::{self, FileStatus, ImportRun, Report};
use shared::api::endpoints as ep;
use shared::api::hud_import::{HudImportJob, HudImportQuery, HudImportState};
use shared::api::LoginRequest;
use shared::ids::HouseholdId;
use shared::{PolicyConfig, RecordKind};
use std::path::{Path, PathBuf};

const EXPORT: &str = "ExportID,SourceID,SourceName,CSVVersion
E1,XX-501,Test HMIS,2026 v1.0
E2,XX-501,Test HMIS,2026 v1.0
";
const USERS: &str = "UserID,UserFirstName,UserLastName,DateCreated,DateUpdated,DateDeleted,ExportID
U1,Pat,Case,2024-01-01 09:00:00,2024-01-01 09:00:00,,E1
";
/// Headers in another order and case than HUD's.
const ORGS: &str =
    "exportid,OrganizationName,ORGANIZATIONID,datecreated,DateUpdated,UserID,DateDeleted
E1,Alpha Shelter,O1,2024-01-01 09:00:00,2024-01-01 09:00:00,U1,
E2,Beta Housing,O2,2024-01-01 09:00:00,2024-01-01 09:00:00,U1,
";
const PROJECTS: &str = "ProjectID,OrganizationID,ProjectName,ProjectType,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
P1,O1,Alpha Emergency Shelter,0,2024-01-01 09:00:00,2024-01-01 09:00:00,U1,,E1
P2,O2,Beta Rapid Re-Housing,13,2024-01-01 09:00:00,2024-01-01 09:00:00,U1,,E1
P3,O9,Gamma Outreach,4,2024-01-01 09:00:00,2024-01-01 09:00:00,U1,,E1
P4,O1,Alpha Other,5,2024-01-01 09:00:00,2024-01-01 09:00:00,U1,,E1
";
const CLIENT_HEADER: &str = "PersonalID,FirstName,LastName,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,Sex,White,BlackAfAmerican,RaceNone,VeteranStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID\n";
const CLIENT_ROWS: &str =
    "C1,Ada,Lovelace,1,,99,1980-04-30,1,0,1,0,,0,2024-01-02 09:00:00,2024-01-02 09:00:00,U1,,E1
C2,Ben,Okafor,1,,99,,99,1,0,1,,0,2024-01-02 09:00:00,2024-01-02 09:00:00,U1,,E1
C1,Ada,Again,1,,99,1980-04-30,1,0,1,0,,0,2024-01-02 09:00:00,2024-01-02 09:00:00,U1,,E1
C3,Cy,Bad,1,,99,1980-13-40,1,0,1,0,,0,2024-01-02 09:00:00,2024-01-02 09:00:00,U1,,E1
C4,Di,Nodq,,,99,,99,0,1,0,,0,2024-01-02 09:00:00,2024-01-02 09:00:00,U1,,E1
";
const ENROLLMENTS: &str = "EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,EnrollmentCoC,LivingSituation,DisablingCondition,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
N1,C1,P1,2025-01-10,HH1,1,XX-501,116,0,2025-01-10 09:00:00,2025-01-10 09:00:00,U1,,E1
N2,C2,P2,2025-02-01,HH2,1,XX-501,101,1,2025-02-01 09:00:00,2025-02-01 09:00:00,U1,,E1
N3,C3,P1,2025-02-01,HH3,1,XX-501,101,1,2025-02-01 09:00:00,2025-02-01 09:00:00,U1,,E1
N4,C9,P1,2025-02-01,HH4,1,XX-501,101,1,2025-02-01 09:00:00,2025-02-01 09:00:00,U1,,E1
";
const EXITS: &str = "ExitID,EnrollmentID,PersonalID,ExitDate,Destination,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
X1,N1,C1,2025-03-01,410,2025-03-01 09:00:00,2025-03-01 09:00:00,U1,,E1
X2,N2,C2,2025-03-05,434,2025-03-05 09:00:00,2025-03-05 09:00:00,U1,,E1
";
const SERVICES: &str = "ServicesID,EnrollmentID,PersonalID,DateProvided,RecordType,TypeProvided,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
S1,N1,C1,2025-01-11,200,200,2025-01-11 09:00:00,2025-01-11 09:00:00,U1,,E1
";
const HEALTH_DV: &str = "HealthAndDVID,EnrollmentID,PersonalID,InformationDate,DomesticViolenceSurvivor,WhenOccurred,CurrentlyFleeing,PregnancyStatus,DataCollectionStage,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
H1,N1,C1,2025-01-10,1,2,0,0,1,2025-01-10 09:00:00,2025-01-10 09:00:00,U1,,E1
";

/// A folder of HUD CSV files; `(name, text)` replaces or adds a file of the default set.
fn folder(changes: &[(&str, String)]) -> (PathBuf, RemoveOnDrop) {
    let dir = crate::support::fresh_dir().join("hud");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files: Vec<(&str, String)> = vec![
        ("Export.csv", EXPORT.into()),
        ("User.csv", USERS.into()),
        ("Organization.csv", ORGS.into()),
        ("Project.csv", PROJECTS.into()),
        ("Client.csv", format!("{CLIENT_HEADER}{CLIENT_ROWS}")),
        ("Enrollment.csv", ENROLLMENTS.into()),
        ("Exit.csv", EXITS.into()),
        ("Services.csv", SERVICES.into()),
        ("HealthAndDV.csv", HEALTH_DV.into()),
        ("Affiliation.csv", "AffiliationID,ProjectID\n".into()),
    ];
    for (name, text) in changes {
        files.retain(|(n, _)| n != name);
        files.push((name, text.clone()));
    }
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let guard = RemoveOnDrop(dir.parent().unwrap().to_path_buf());
    (dir, guard)
}

async fn import(app: &TestApp, dir: &Path, dry_run: bool) -> Report {
    let policy = PolicyConfig::default();
    let run = ImportRun {
        pool: &app.pool,
        policy: &policy,
        input: hud_import::Input::Path(dir),
        dry_run,
        now: crate::support::today().and_hms_opt(12, 0, 0).unwrap(),
    };
    hud_import::import(&run, &mut |_| {}).await.unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.pool).await.unwrap();
    n
}

/// What the database holds, in counts: clients, records, history rows, map rows.
async fn totals(app: &TestApp) -> [i64; 6] {
    [
        count(app, "SELECT COUNT(*) FROM clients").await,
        count(app, "SELECT COUNT(*) FROM records").await,
        count(app, "SELECT COUNT(*) FROM record_history").await,
        count(app, "SELECT COUNT(*) FROM intake_history").await,
        count(app, "SELECT COUNT(*) FROM programs").await,
        count(app, "SELECT COUNT(*) FROM organizations").await,
    ]
}

/// The Hearth id a HUD row became.
async fn hearth_id(app: &TestApp, file: &str, hud_id: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT hearth_id FROM hud_import_map WHERE source = 'XX-501' AND hud_file = $1 AND hud_id = $2",
    )
    .bind(file)
    .bind(hud_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    id
}

fn error_at(report: &Report, file: &str, line: u64) -> (String, String) {
    let e = report
        .errors
        .iter()
        .find(|e| e.file == file && e.line == line)
        .unwrap_or_else(|| panic!("no error at {file} line {line}: {report}"));
    (e.column.clone(), e.reason.clone())
}

#[tokio::test]
async fn hud_import_names_file_line_column_and_reason_of_every_row_error_and_imports_the_rest() {
    let app = spawn_app().await;
    let (dir, _guard) = folder(&[]);
    let before = count(&app, "SELECT COUNT(*) FROM clients").await;

    let report = import(&app, &dir, false).await;

    let cases: [(&str, u64, &str, &str); 8] = [
        (
            "Project.csv",
            4,
            "OrganizationID",
            "foreign key to nothing: O9 names no row",
        ),
        (
            "Project.csv",
            5,
            "ProjectType",
            "bad code 5: must be one of HUD's codes 0",
        ),
        (
            "Client.csv",
            4,
            "PersonalID",
            "duplicate primary key C1 (first on line 2)",
        ),
        ("Client.csv", 5, "DOB", "must be a date"),
        ("Client.csv", 6, "NameDataQuality", "missing required value"),
        (
            "Enrollment.csv",
            4,
            "PersonalID",
            "C3 names a row of Client.csv that has errors",
        ),
        (
            "Enrollment.csv",
            5,
            "PersonalID",
            "C9 names no row of Client.csv",
        ),
        ("Exit.csv", 3, "Destination", "bad code 434"),
    ];
    for (file, line, column, reason) in cases {
        let (c, r) = error_at(&report, file, line);
        assert_eq!(c, column, "{file} line {line}: {r}");
        assert!(
            r.contains(reason),
            "{file} line {line}: {r:?} lacks {reason:?}"
        );
    }
    assert_eq!(report.errors.len(), 8, "{report}");
    let client = report.file("Client.csv").unwrap();
    assert_eq!((client.rows, client.created, client.errors), (5, 2, 3));
    assert_eq!(
        report.file("Disabilities.csv").unwrap().status,
        FileStatus::Missing
    );
    assert!(matches!(
        report.file("Affiliation.csv").unwrap().status,
        FileStatus::NotImported(_)
    ));
    assert!(report
        .notes
        .iter()
        .any(|n| n.contains("Export.csv has 2 rows")));
    // The rest is stored: two clients, owned (tier 1, R-1) by the organization of their earliest
    // enrollment's project; the enrollment with its exit; the enrollment whose exit had a bad
    // code without one.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM clients").await,
        before + 2
    );
    let c1 = hearth_id(&app, "Client", "C1").await;
    let alpha = hearth_id(&app, "Organization", "O1").await;
    let (org, last): (i64, String) =
        sqlx::query_as("SELECT org_id, last_name FROM clients WHERE id = $1")
            .bind(c1)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((org, last.as_str()), (alpha, "Lovelace"));
    let n1 = hearth_id(&app, "Enrollment", "N1").await;
    let (org, exit, dest): (i64, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT r.org_id, e.exit_date, e.destination FROM records r
         JOIN enrollments e ON e.record_id = r.id WHERE r.id = $1",
    )
    .bind(n1)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (org, exit.as_deref(), dest.as_deref()),
        (alpha, Some("2025-03-01"), Some("rental_no_subsidy"))
    );
    let n2 = hearth_id(&app, "Enrollment", "N2").await;
    let (exit,): (Option<String>,) =
        sqlx::query_as("SELECT exit_date FROM enrollments WHERE record_id = $1")
            .bind(n2)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(exit, None);
    // Every imported change is audited as an import.
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'import HUD%'"
        )
        .await
            >= 8
    );
}

#[tokio::test]
async fn hud_import_dry_run_stores_nothing_and_prints_the_same_report() {
    let app = spawn_app().await;
    let (dir, _guard) = folder(&[]);
    let before = totals(&app).await;
    let audit = count(&app, "SELECT COUNT(*) FROM audit_log").await;

    let dry = import(&app, &dir, true).await;

    assert_eq!(totals(&app).await, before);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log").await, audit);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM hud_import_map").await, 0);
    let real = import(&app, &dir, false).await;
    assert!(dry.dry_run && !real.dry_run);
    assert_eq!(dry.files, real.files);
    assert_eq!(dry.errors, real.errors);
}

#[tokio::test]
async fn p3_importing_again_changes_nothing_a_newer_row_updates_and_a_deleted_row_is_tombstoned() {
    let app = spawn_app().await;
    let (dir, _guard) = folder(&[]);
    import(&app, &dir, false).await;
    let after_first = totals(&app).await;

    let again = import(&app, &dir, false).await;

    assert_eq!(totals(&app).await, after_first);
    for f in &again.files {
        assert_eq!(
            (f.created, f.updated, f.tombstoned),
            (0, 0, 0),
            "{}",
            f.file
        );
    }

    // A later export of the same source: C1 renamed (newer DateUpdated), C2 renamed with the
    // same DateUpdated (not newer: unchanged), N2 deleted.
    let clients = CLIENT_ROWS
        .replace(
            "C1,Ada,Lovelace,1,,99,1980-04-30,1,0,1,0,,0,2024-01-02 09:00:00,2024-01-02 09:00:00",
            "C1,Ada,Byron,1,,99,1980-04-30,1,0,1,0,,0,2024-01-02 09:00:00,2025-06-01 10:00:00",
        )
        .replace("C2,Ben,Okafor", "C2,Ben,Other");
    let enrollments = ENROLLMENTS.replace(
        "2025-02-01 09:00:00,2025-02-01 09:00:00,U1,,E1\nN3",
        "2025-02-01 09:00:00,2025-06-01 10:00:00,U1,2025-06-01 10:00:00,E2\nN3",
    );
    let (later, _g2) = folder(&[
        ("Client.csv", format!("{CLIENT_HEADER}{clients}")),
        ("Enrollment.csv", enrollments),
    ]);

    let report = import(&app, &later, false).await;

    let c = report.file("Client.csv").unwrap();
    assert_eq!((c.updated, c.unchanged), (1, 1), "{report}");
    assert_eq!(report.file("Enrollment.csv").unwrap().tombstoned, 1);
    let c1 = hearth_id(&app, "Client", "C1").await;
    let c2 = hearth_id(&app, "Client", "C2").await;
    let last = |id: i64| {
        let pool = app.pool.clone();
        async move {
            let (n,): (String,) = sqlx::query_as("SELECT last_name FROM clients WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
            n
        }
    };
    assert_eq!(last(c1).await, "Byron");
    assert_eq!(last(c2).await, "Okafor");
    let (old,): (Option<String>,) = sqlx::query_as(
        "SELECT old_value FROM intake_history WHERE client_id = $1 AND field = 'LegalLastName'",
    )
    .bind(c1)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(old.as_deref(), Some("Lovelace"));
    let n2 = hearth_id(&app, "Enrollment", "N2").await;
    let (deleted,): (i64,) = sqlx::query_as("SELECT deleted FROM records WHERE id = $1")
        .bind(n2)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(deleted, 1, "tombstoned, not deleted");
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM record_history WHERE record_id = $1 AND action = 'import delete'",
    )
    .bind(n2)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'import HUD Enrollment N2: tombstone%'").await,
        1
    );
}

#[tokio::test]
async fn s5_an_imported_health_and_dv_form_is_restricted_to_its_projects_organization() {
    let app = spawn_app().await;
    let (dir, _guard) = folder(&[]);
    import(&app, &dir, false).await;
    let c1 = hearth_id(&app, "Client", "C1").await;
    let form = hearth_id(&app, "HealthAndDV", "H1").await;
    let (security, org): (String, i64) =
        sqlx::query_as("SELECT security, org_id FROM records WHERE id = $1")
            .bind(form)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(security, "RestrictToOrganization");
    assert_eq!(org, hearth_id(&app, "Organization", "O1").await);

    let forms = |p: &shared::api::ClientProfile| {
        p.records
            .iter()
            .filter(|r| r.meta.kind == RecordKind::Form)
            .count()
    };
    // Another organization's caseworker (a demo agency) sees the client but not the form.
    let other = app.sign_in("shelter.cw").await;
    let seen = app.get::<ep::GetClientProfile>(&other, &[c1]).await.ok();
    assert_eq!(forms(&seen), 0);
    // A SystemAdmin reads them (S-7): the domestic-violence form and, as the row has a
    // pregnancy status, the health form, both restricted.
    let admin = app.sign_in("coc.admin").await;
    let seen = app.get::<ep::GetClientProfile>(&admin, &[c1]).await.ok();
    assert_eq!(forms(&seen), 2);
    let health = hearth_id(&app, "HealthAndDV:Health", "H1").await;
    let (security,): (String,) = sqlx::query_as("SELECT security FROM records WHERE id = $1")
        .bind(health)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(security, "RestrictToOrganization");
}

#[tokio::test]
async fn p5_imported_users_can_never_sign_in() {
    let app = spawn_app().await;
    let (dir, _guard) = folder(&[]);
    import(&app, &dir, false).await;
    let (username, disabled): (String, i64) =
        sqlx::query_as("SELECT username, disabled FROM users WHERE id = $1")
            .bind(hearth_id(&app, "User", "U1").await)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((username.as_str(), disabled), ("hud.u1", 1));
    for password in [
        "",
        "!no-login: imported from HUD CSV",
        crate::support::PASSWORD,
    ] {
        let c = reqwest::Client::new();
        let login = LoginRequest {
            username: username.clone(),
            password: password.into(),
        };
        let answer = app.send::<ep::SignIn>(&c, &[], &login).await;
        assert!(answer.status >= 400, "signed in with {password:?}");
    }
}

/// The HUD sample (`/work/shared/data/hud-sample-fy2026`, or `HEARTH_HUD_SAMPLE`): every row of
/// the files counted, imported or reported. About 30 s in a debug build: ignored by default.
#[tokio::test]
#[ignore]
async fn hud_sample_imports_with_counts_matching_its_files() {
    let dir = std::env::var("HEARTH_HUD_SAMPLE")
        .unwrap_or_else(|_| "/work/shared/data/hud-sample-fy2026".into());
    let app = spawn_app().await;
    let report = import(&app, Path::new(&dir), false).await;
    for (file, rows) in [
        ("Client.csv", 10_606),
        ("Enrollment.csv", 16_494),
        ("Exit.csv", 14_627),
        ("Services.csv", 19_012),
    ] {
        let f = report.file(file).unwrap();
        assert_eq!(f.rows, rows, "{file}");
        assert_eq!(
            f.created + f.updated + f.unchanged + f.tombstoned + f.skipped + f.errors,
            rows,
            "{file}"
        );
        assert_eq!(f.errors, report.errors_of(file).count(), "{file}");
    }
    assert_eq!(
        report.file("Disabilities.csv").unwrap().status,
        FileStatus::Missing
    );
    // The only row errors are the 4 exits whose destinations are not HUD's FY2026 codes; a
    // move-in HUD does not collect, an SSN its data quality refuses, a client in two
    // households at once are warnings (those rows are imported).
    assert_eq!(report.errors.len(), 4, "{report}");
    assert!(report.warnings_of("Enrollment.csv").count() > 1_000);
    assert!(count(&app, "SELECT COUNT(*) FROM households").await > 10_000);
    for code in ["419", "434", "440"] {
        assert!(report
            .errors_of("Exit.csv")
            .any(|e| e.column == "Destination" && e.reason.contains(&format!("bad code {code}"))));
    }
    let created = report.file("Client.csv").unwrap().created as i64;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM hud_import_map WHERE hud_file = 'Client'"
        )
        .await,
        created
    );
}

/// The default folder's files as a zip, inside a subfolder and with lower-case names.
fn zip_of(dir: &Path) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().to_lowercase();
        out.start_file(format!("HUD export/{name}"), options)
            .unwrap();
        out.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

async fn import_input(app: &TestApp, input: hud_import::Input<'_>, dry_run: bool) -> Report {
    let policy = PolicyConfig::default();
    let run = ImportRun {
        pool: &app.pool,
        policy: &policy,
        input,
        dry_run,
        now: crate::support::today().and_hms_opt(12, 0, 0).unwrap(),
    };
    hud_import::import(&run, &mut |_| {}).await.unwrap()
}

#[tokio::test]
async fn hud_import_of_a_zip_with_its_files_in_a_subfolder_equals_the_import_of_the_folder() {
    let (dir, _guard) = folder(&[]);
    let bytes = zip_of(&dir);
    let from_folder = spawn_app().await;
    let from_zip = spawn_app().await;
    let zip_path = dir.parent().unwrap().join("export.zip");
    std::fs::write(&zip_path, &bytes).unwrap();

    let a = import(&from_folder, &dir, false).await;
    let b = import_input(&from_zip, hud_import::Input::Path(&zip_path), false).await;

    // The one file HUD does not define keeps its name as written (lower case in this zip).
    let lower = |r: &Report| {
        let mut files = r.files.clone();
        for f in &mut files {
            f.file = f.file.to_lowercase();
        }
        files
    };
    assert_eq!(lower(&a), lower(&b), "{b}");
    assert_eq!(a.errors, b.errors);
    assert_eq!(a.warnings, b.warnings);
    assert_eq!(totals(&from_folder).await, totals(&from_zip).await);
    assert!(b.file("affiliation.csv").is_some(), "{b}");
    // The same bytes uploaded (held in memory) give the same report again: nothing new.
    let again = import_input(&from_zip, hud_import::Input::Zip(&bytes), true).await;
    assert_eq!(again.file("Client.csv").unwrap().unchanged, 2);
    // Not a zip: fatal, with a reason, nothing stored.
    let policy = PolicyConfig::default();
    let run = ImportRun {
        pool: &from_zip.pool,
        policy: &policy,
        input: hud_import::Input::Zip(b"not a zip"),
        dry_run: false,
        now: crate::support::today().and_hms_opt(12, 0, 0).unwrap(),
    };
    let fatal = hud_import::import(&run, &mut |_| {}).await.unwrap_err();
    assert!(fatal.contains("not a readable zip file"), "{fatal}");
}

const MOVE_IN_ENROLLMENTS: &str = "EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,MoveInDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
N1,C1,P1,2025-01-10,HH1,1,2025-01-20,2025-01-10 09:00:00,2025-01-10 09:00:00,U1,,E1
N2,C2,P2,2025-02-01,HH2,1,2025-01-15,2025-02-01 09:00:00,2025-02-01 09:00:00,U1,,E1
N3,C1,P2,2025-03-05,HH3,1,2025-03-10,2025-03-05 09:00:00,2025-03-05 09:00:00,U1,,E1
";

#[tokio::test]
async fn hud_import_keeps_an_enrollment_whose_move_in_date_hud_does_not_collect_or_is_before_entry_with_a_warning(
) {
    let app = spawn_app().await;
    let (dir, _guard) = folder(&[
        ("Enrollment.csv", MOVE_IN_ENROLLMENTS.into()),
        (
            "Exit.csv",
            EXITS.lines().take(1).collect::<Vec<_>>().join("\n"),
        ),
        (
            "Services.csv",
            SERVICES.lines().take(1).collect::<Vec<_>>().join("\n"),
        ),
        (
            "HealthAndDV.csv",
            HEALTH_DV.lines().take(1).collect::<Vec<_>>().join("\n"),
        ),
    ]);

    let report = import(&app, &dir, false).await;

    let e = report.file("Enrollment.csv").unwrap();
    assert_eq!((e.rows, e.created, e.errors), (3, 3, 0), "{report}");
    let w: Vec<_> = report
        .warnings_of("Enrollment.csv")
        .filter(|w| w.column == "MoveInDate")
        .collect();
    assert_eq!(w.len(), 2, "{report}");
    assert_eq!((w[0].line, w[0].column.as_str()), (2, "MoveInDate"));
    assert!(w[0].reason.contains("only permanent housing"), "{}", w[0]);
    assert!(w[0].reason.contains("project type 0"), "{}", w[0]);
    assert_eq!((w[1].line, w[1].column.as_str()), (3, "MoveInDate"));
    assert!(w[1].reason.contains("before the entry date"), "{}", w[1]);
    assert!(
        report.errors.iter().all(|e| e.file != "Enrollment.csv"),
        "{report}"
    );
    let move_in = |hud: &'static str| {
        let app = &app;
        async move {
            let id = hearth_id(app, "Enrollment", hud).await;
            let (m,): (Option<String>,) =
                sqlx::query_as("SELECT move_in_date FROM enrollments WHERE record_id = $1")
                    .bind(id)
                    .fetch_one(&app.pool)
                    .await
                    .unwrap();
            m
        }
    };
    // Imported without the move-in HUD does not collect or that is before the entry; a valid
    // one (permanent housing, within the stay) is kept.
    assert_eq!(move_in("N1").await, None);
    assert_eq!(move_in("N2").await, None);
    assert_eq!(move_in("N3").await.as_deref(), Some("2025-03-10"));
}

const HOUSEHOLD_ENROLLMENTS: &str = "EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
N1,C1,P1,2025-01-10,HH1,1,2025-01-10 09:00:00,2025-01-10 09:00:00,U1,,E1
N5,C2,P1,2025-01-10,HH1,2,2025-01-10 09:00:00,2025-01-10 09:00:00,U1,,E1
N2,C2,P2,2025-02-01,HH2,1,2025-02-01 09:00:00,2025-02-01 09:00:00,U1,,E1
N6,C1,P2,2025-02-15,HH6,1,2025-02-15 09:00:00,2025-02-15 09:00:00,U1,,E1
";
const HOUSEHOLD_EXITS: &str = "ExitID,EnrollmentID,PersonalID,ExitDate,Destination,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
X1,N1,C1,2025-03-01,410,2025-03-01 09:00:00,2025-03-01 09:00:00,U1,,E1
X5,N5,C2,2025-01-31,410,2025-01-31 09:00:00,2025-01-31 09:00:00,U1,,E1
";

#[tokio::test]
async fn hud_import_makes_one_household_per_household_id_with_its_head_and_warns_of_a_client_in_two_at_once(
) {
    let app = spawn_app().await;
    let (dir, _guard) = folder(&[
        ("Enrollment.csv", HOUSEHOLD_ENROLLMENTS.into()),
        ("Exit.csv", HOUSEHOLD_EXITS.into()),
    ]);
    let households_before = count(&app, "SELECT COUNT(*) FROM households").await;

    let report = import(&app, &dir, false).await;

    let e = report.file("Enrollment.csv").unwrap();
    assert_eq!((e.created, e.errors, e.warnings), (4, 0, 1), "{report}");
    // N6: C1 is in HH1 until its exit on 2025-03-01: a client is in one household at a time.
    let w: Vec<_> = report.warnings_of("Enrollment.csv").collect();
    assert_eq!((w[0].line, w[0].column.as_str()), (5, "HouseholdID"));
    assert!(w[0].reason.contains("one household at a time"), "{}", w[0]);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM households").await,
        households_before + 2,
        "HH1 and HH2; HH6 has no member"
    );
    let c1 = hearth_id(&app, "Client", "C1").await;
    let c2 = hearth_id(&app, "Client", "C2").await;
    let hh1 = hearth_id(&app, "Household", "HH1").await;
    let hh2 = hearth_id(&app, "Household", "HH2").await;
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT client_id, relationship, start_date, end_date FROM household_members
         WHERE household_id = $1 ORDER BY client_id",
    )
    .bind(hh1)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                c1,
                "self_head_of_household".into(),
                "2025-01-10".into(),
                Some("2025-03-01".into())
            ),
            (
                c2,
                "child".into(),
                "2025-01-10".into(),
                Some("2025-01-31".into())
            ),
        ]
    );
    let (name, org): (String, i64) =
        sqlx::query_as("SELECT family_name, org_id FROM households WHERE id = $1")
            .bind(hh1)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (name.as_str(), org),
        ("Lovelace", hearth_id(&app, "Organization", "O1").await)
    );
    // The household as the API shows it: C2 is head of HH2 today, HH1 is in the past.
    let admin = app.sign_in("coc.admin").await;
    let view = app
        .get::<ep::ListClientHouseholds>(&admin, &[c2])
        .await
        .ok();
    assert_eq!(view.head_of_household.household, Some(HouseholdId(hh2)));
    assert!(view.head_of_household.is_head);
    // History and audit as an import; importing again adds nothing.
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM household_history WHERE action = 'import create'"
        )
        .await
            >= 5
    );
    let members = count(&app, "SELECT COUNT(*) FROM household_members").await;
    let again = import(&app, &dir, false).await;
    assert_eq!(again.file("Enrollment.csv").unwrap().warnings, 0, "{again}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM household_members").await,
        members
    );
}

/// Polls `GET /admin/hud-import` as `c` until the job is no longer running.
async fn finished_job(app: &TestApp, c: &reqwest::Client) -> HudImportJob {
    for _ in 0..1200 {
        let job = app.get::<ep::GetHudImport>(c, &[]).await.ok();
        if let Some(job) = job.filter(|j| j.state != HudImportState::Running) {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import job never finished");
}

#[tokio::test]
async fn hud_import_upload_is_refused_to_all_but_system_admins_and_reports_what_the_command_line_does(
) {
    let (dir, _guard) = folder(&[]);
    let bytes = zip_of(&dir);
    let app = spawn_app().await;
    for user in ["shelter.admin", "shelter.cw", "housing.admin"] {
        let c = app.sign_in(user).await;
        let query = HudImportQuery {
            dry_run: Some("true".into()),
        };
        let refused = app
            .upload::<ep::StartHudImport>(&c, &[], &query, Some("application/zip"), bytes.clone())
            .await
            .refused(403);
        assert!(
            refused.error.contains("Only system administrators import"),
            "{refused:?}"
        );
        app.get::<ep::GetHudImport>(&c, &[]).await.refused(403);
    }
    let before = totals(&app).await;
    let admin = app.sign_in("coc.admin").await;
    // Not a zip: 422 naming the file.
    let bad = app
        .upload::<ep::StartHudImport>(&admin, &[], &HudImportQuery::default(), None, b"x".to_vec())
        .await
        .refused(422);
    assert_eq!(bad.field.as_deref(), Some("file"));

    // A dry run, then the import: each answers 202 at once and reports when polled.
    let dry = HudImportQuery {
        dry_run: Some("true".into()),
    };
    let started = app
        .upload::<ep::StartHudImport>(&admin, &[], &dry, Some("application/zip"), bytes.clone())
        .await
        .ok_with(202);
    assert!(started.dry_run);
    let dry_job = finished_job(&app, &admin).await;
    assert_eq!(dry_job.state, HudImportState::Done, "{:?}", dry_job.error);
    assert_eq!(totals(&app).await, before, "a dry run stores nothing");
    app.upload::<ep::StartHudImport>(
        &admin,
        &[],
        &HudImportQuery::default(),
        Some("application/zip"),
        bytes.clone(),
    )
    .await
    .ok_with(202);
    let job = finished_job(&app, &admin).await;
    let uploaded = job.report.expect("a report");
    assert!(!uploaded.dry_run);
    assert_eq!(
        dry_job.report.map(|r| (r.files, r.errors, r.warnings)),
        Some((
            uploaded.files.clone(),
            uploaded.errors.clone(),
            uploaded.warnings.clone()
        ))
    );

    // The command line's import of the same zip into another database reports the same.
    let other = spawn_app().await;
    let cli = import_input(&other, hud_import::Input::Zip(&bytes), false).await;
    assert_eq!(server::services::hud_import::job::wire(&cli), uploaded);
    assert_eq!(totals(&other).await, totals(&app).await);
    // Audited: who started it, and its end.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'start HUD CSV %'"
        )
        .await,
        2
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'end HUD CSV import #2: 8 row errors%'").await,
        1
    );
}
