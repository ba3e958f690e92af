//! Many users writing at once: a transaction that reads before it writes holds when other
//! connections commit in between (SQLite answered `database is locked` to such transactions:
//! issue 11). Every request here must succeed; none may answer 5xx.

use crate::conflicts::{attempt_on, day, open_first_name_conflict};
use crate::support::{call_at, spawn_app};
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::records::NoteInput;

#[tokio::test]
async fn r3_contact_attempts_logged_by_two_caseworkers_while_a_third_writes_notes_all_succeed() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let conflict = open_first_name_conflict(&app, &shelter).await;
    let writers = [
        app.sign_in("shelter.cw").await,
        app.sign_in("shelter.cw2").await,
    ];
    let notes = app.sign_in("housing.cw").await;
    let base = app.url("");
    let mut tasks = Vec::new();
    for i in 0..50 {
        for c in &writers {
            let (c, base) = (c.clone(), base.clone());
            tasks.push(tokio::spawn(async move {
                let body = attempt_on(&day(0), "phone", "no_answer");
                call_at::<ep::LogConflictAttempt>(&base, &c, &[conflict], &NoQuery, &body)
                    .await
                    .status
            }));
        }
        let (c, base) = (notes.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let body = NoteInput {
                text: format!("Called about housing, note {i}"),
            };
            call_at::<ep::CreateNote>(&base, &c, &[2], &NoQuery, &body)
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let failed: Vec<u16> = statuses.iter().copied().filter(|s| *s != 201).collect();
    assert!(
        failed.is_empty(),
        "{} of {} requests failed: {failed:?}",
        failed.len(),
        statuses.len()
    );
}

/// Every read-then-write path at once, from four agencies' users: enrollments (which re-run R-7
/// detection after their write), intake changes, new data conflicts and notes. Some
/// may be refused (422, 409) by the rules; none may fail (5xx).
#[tokio::test]
async fn r7_r1_r2_enrollments_intake_changes_conflicts_and_notes_written_at_once_never_fail() {
    use chrono::NaiveDate;
    use shared::api::records::NewEnrollment;
    use shared::api::resolution::IntakeChangeRequest;
    use shared::ProgramId;
    let app = spawn_app().await;
    let base = app.url("");
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    let outreach = app.sign_in("outreach.cw").await;
    let shelter2 = app.sign_in("shelter.cw2").await;
    let mut tasks = Vec::new();
    for i in 0..30u32 {
        let (c, b) = (shelter.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let body = NewEnrollment {
                program_id: ProgramId(1),
                case_name: "Rivera".into(),
                entry_date: NaiveDate::from_ymd_opt(2026, 1, 1 + i % 28).unwrap(),
                exit_date: None,
                prior_living_situation: None,
                disabling_condition: None,
                enrollment_coc: None,
                destination: None,
                move_in_date: None,
                head_of_household: false,
            };
            let a = call_at::<ep::CreateEnrollment>(&b, &c, &[1], &NoQuery, &body).await;
            ("enrollment", a.status)
        }));
        let (c, b) = (housing.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let body = IntakeChangeRequest {
                field: "gender".into(),
                value: Some(format!("Woman {i}")),
                documentation: None,
            };
            let a = call_at::<ep::ChangeIntake>(&b, &c, &[2], &NoQuery, &body).await;
            ("intake change", a.status)
        }));
        let (c, b) = (outreach.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let body = crate::conflicts::stated("legal_first_name", &format!("Jordyn{i}"));
            let a = call_at::<ep::OpenConflict>(&b, &c, &[2], &NoQuery, &body).await;
            ("conflict", a.status)
        }));
        let (c, b) = (shelter2.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let body = NoteInput {
                text: format!("Shelter bed confirmed, note {i}"),
            };
            let a = call_at::<ep::CreateNote>(&b, &c, &[1], &NoQuery, &body).await;
            ("note", a.status)
        }));
    }
    let mut failed = Vec::new();
    let mut total = 0;
    for t in tasks {
        let (what, status) = t.await.unwrap();
        total += 1;
        if status >= 500 {
            failed.push((what, status));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {total} requests failed: {failed:?}",
        failed.len()
    );
}

#[path = "../../examples/scenario/mod.rs"]
#[allow(dead_code)]
mod scenario;

/// Every write endpoint at once: sessions of all ten demo users (caseworkers, agency
/// administrators and the SystemAdmin of four organizations) run the mixed benchmark's scenario
/// (`examples/scenario`) side by side for two rounds each: intakes, every record kind, uploads,
/// conflicts, ROIs, MOUs, accounts, programs, organizations. The rules may refuse some requests
/// (4xx); none may fail (5xx). Before `db::begin_write` this failed on several paths.
#[tokio::test]
async fn p3_every_write_endpoint_used_by_ten_users_of_four_agencies_at_once_never_fails() {
    // A failure shows the server's warnings and errors (their causes) beside the assertion.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let app = crate::support::spawn_app().await;
    let far = std::time::Instant::now() + std::time::Duration::from_secs(600);
    let world = scenario::World::new(app.base.clone(), far);
    let mut tasks = Vec::new();
    for (username, ..) in server::db::demo::DEMO_USERS {
        for _ in 0..2 {
            let w = world.clone();
            tasks.push(tokio::spawn(scenario::user(
                w,
                username,
                crate::support::PASSWORD,
                2,
            )));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    let book = world.book.lock().unwrap();
    let failed: Vec<String> = book
        .iter()
        .filter(|(_, op)| !op.failed.is_empty() || op.transport > 0)
        .map(|(name, op)| format!("{name}: {:?} {:?}", op.failed, op.first))
        .collect();
    assert!(failed.is_empty(), "requests failed: {failed:#?}");
    let answered: usize = book.values().map(|op| op.ok.len()).sum();
    assert!(answered > 500, "only {answered} requests succeeded");
    // The scenario reaches every write endpoint the server routes.
    let exercised = world.exercised.lock().unwrap();
    let missed: Vec<String> = server::routes::operations()
        .iter()
        .filter(|op| op.method != "get" && !exercised.contains(&(op.method, op.path)))
        .map(|op| format!("{} {}", op.method, op.path))
        .collect();
    assert!(
        missed.is_empty(),
        "write endpoints not exercised: {missed:?}"
    );
}
