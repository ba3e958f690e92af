//! Entry/exit conflicts: detection on every enrollment write and by the daily
//! scan, the per-agency list, opening one addressed to the owning agency, escalation to its
//! AgencyAdmins after three attempts over two weeks, and the automatic data-center escalation
//! 30 days after that notice, all on the controllable clock.
//!
//! The scenario (SPEC R-7) plays on a client of its own (`scenario_client`, HMIS H0009001, who has
//! no demo enrollments to get in the way): the client stays at Bull City Shelter (org 2, program 1, emergency
//! shelter) from 2026-06-01 with no exit recorded; Eno River Housing (org 3, program 3, rapid
//! re-housing) moved the client into housing on 2026-07-01. Eno River finds the shelter stay
//! still open and opens a conflict about the shelter's enrollment. Shelter AgencyAdmin: user 2;
//! the only SystemAdmin: user 1.

use crate::conflicts::{
    advance, assert_notifications_name_no_client, attempt, day, escalate, notifications, too_early,
};
use crate::records::{count, end_on};
use crate::refused;
use crate::support::{date, spawn_app, TestApp};
use server::services::jobs::run_due_jobs;
use shared::api::accounts::NewProgram;
use shared::api::endpoint::NoBody;
use shared::api::endpoints::{self as ep, ConflictListQuery, EntryExitListQuery};
use shared::api::records::NewEnrollment;
use shared::api::resolution::{EntryExitView, OpenEntryExitRequest};
use shared::ids::{OrgId, ProgramId, RecordId};
use shared::notify::ConflictId;
use shared::resolution::{ConflictState, EntryExitIssue};
use shared::Reason;

/// A client with no enrollment yet (entered by Bull City Shelter): `(id, HMIS number)`.
/// Created on first use; later calls return the same client.
async fn scenario_client(app: &TestApp, hmis: &str) -> i64 {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM clients WHERE hmis_number = $1")
        .bind(hmis)
        .fetch_optional(&app.pool)
        .await
        .unwrap();
    if let Some((id,)) = found {
        return id;
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO clients (hmis_number, first_name, last_name, org_id, author_id, created_at)
         VALUES ($1, 'Sam', 'Okafor', 2, 3, '2026-05-01 09:00:00.000000') RETURNING id",
    )
    .bind(hmis)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    id
}

const SCENARIO: &str = "H0009001";

/// An enrollment of the scenario's household in `program` from `entry`.
fn stay_in(program: i64, entry: &str, move_in: Option<&str>) -> NewEnrollment {
    NewEnrollment {
        program_id: ProgramId(program),
        case_name: "Rivera".into(),
        entry_date: date(entry),
        exit_date: None,
        prior_living_situation: None,
        disabling_condition: None,
        enrollment_coc: None,
        destination: None,
        move_in_date: move_in.map(date),
        head_of_household: false,
    }
}

/// Enrolls `client` as `c`; returns the enrollment's id.
async fn enroll(app: &TestApp, c: &reqwest::Client, client: i64, body: &NewEnrollment) -> i64 {
    app.send::<ep::CreateEnrollment>(c, &[client], body)
        .await
        .ok()
        .meta
        .id
        .0
}

/// Creates the two enrollments of the scenario; returns (shelter enrollment, housing enrollment).
async fn housed_during_shelter_stay(app: &TestApp) -> (i64, i64) {
    let client = scenario_client(app, SCENARIO).await;
    let shelter = app.sign_in("shelter.cw").await;
    let stay = enroll(app, &shelter, client, &stay_in(1, "2026-06-01", None)).await;
    let housing = app.sign_in("housing.cw").await;
    let housed = enroll(
        app,
        &housing,
        client,
        &stay_in(3, "2026-06-15", Some("2026-07-01")),
    )
    .await;
    (stay, housed)
}

/// The entry/exit detections `c` lists: its agency's, or `client`'s.
async fn list(app: &TestApp, c: &reqwest::Client, client: Option<i64>) -> Vec<EntryExitView> {
    let query = EntryExitListQuery { client };
    app.call::<ep::ListEntryExitConflicts>(c, &[], &query, &NoBody)
        .await
        .ok()
}

fn about(enrollment: i64) -> OpenEntryExitRequest {
    OpenEntryExitRequest { enrollment }
}

/// Opens the scenario's conflict as housing.cw about the shelter's enrollment; returns its id.
async fn open_about_shelter_stay(app: &TestApp, stay: i64) -> i64 {
    let housing = app.sign_in("housing.cw").await;
    let found = list(app, &housing, None).await;
    assert_eq!(found.len(), 1, "{found:?}");
    let detection = found[0].id;
    let v = app
        .send::<ep::OpenEntryExitConflict>(&housing, &[detection], &about(stay))
        .await
        .ok_with(201);
    assert_eq!(v.addressed_org, OrgId(2), "addressed to the owning agency");
    v.id.0
}

/// Three unanswered attempts on days 0, 7 and 14, the clock ending on day 14.
async fn three_attempts_over_two_weeks(app: &TestApp, user: &str, id: i64) {
    for d in [0, 7, 14] {
        if d > 0 {
            advance(app, 7);
        }
        attempt(app, user, id, &day(d), "no_answer")
            .await
            .ok_with(201);
    }
}

#[tokio::test]
async fn r7_a_conflict_is_detected_on_enrollment_write_and_listed_for_the_agencies_involved() {
    let app = spawn_app().await;
    let (stay, housed) = housed_during_shelter_stay(&app).await;
    let housing = app.sign_in("housing.cw").await;
    let found = list(&app, &housing, None).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].issue, EntryExitIssue::HousedDuringResidentialStay);
    assert_eq!(found[0].first, RecordId(housed));
    assert_eq!(found[0].second, Some(RecordId(stay)));
    assert_eq!(found[0].hmis_number.to_string(), SCENARIO);
    assert_eq!(found[0].from, date("2026-07-01"));
    let shelter = app.sign_in("shelter.cw").await;
    assert_eq!(list(&app, &shelter, None).await.len(), 1);
    // A third agency's list is its own; the client's list is open to all (tier 2).
    let outreach = app.sign_in("outreach.cw").await;
    assert_eq!(list(&app, &outreach, None).await.len(), 0);
    let client = scenario_client(&app, SCENARIO).await;
    assert_eq!(list(&app, &outreach, Some(client)).await.len(), 1);
    // The owner ends the stay on the move-in day: the conflict is gone.
    app.send::<ep::EndRecord>(&shelter, &[stay], &end_on("2026-07-01"))
        .await
        .ok();
    assert_eq!(list(&app, &housing, None).await.len(), 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM entry_exit_detections WHERE cleared_at IS NOT NULL"
        )
        .await,
        1,
        "kept, marked cleared (P-3)"
    );
}

/// HUD code 0 is Emergency Shelter (entry/exit method), the most common shelter code in real HUD
/// data: a stay there is residential like any other shelter stay, so housing during it is flagged.
#[tokio::test]
async fn r7_a_stay_at_a_code_0_emergency_shelter_is_flagged_when_housed_during_it() {
    let app = spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let shelter_program = NewProgram {
        org: OrgId(2),
        name: "Night-by-night Shelter".into(),
        hud_project_type: 0,
    };
    let program = app
        .send::<ep::CreateProgram>(&admin, &[], &shelter_program)
        .await
        .ok()
        .id
        .0;
    let client = scenario_client(&app, "H0009010").await;
    let shelter = app.sign_in("shelter.cw").await;
    let stay = enroll(
        &app,
        &shelter,
        client,
        &stay_in(program, "2026-06-01", None),
    )
    .await;
    let housing = app.sign_in("housing.cw").await;
    let housed = enroll(
        &app,
        &housing,
        client,
        &stay_in(3, "2026-06-15", Some("2026-07-01")),
    )
    .await;
    let found = list(&app, &housing, None).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].issue, EntryExitIssue::HousedDuringResidentialStay);
    assert_eq!(found[0].first, RecordId(housed));
    assert_eq!(found[0].second, Some(RecordId(stay)));
}

#[tokio::test]
async fn r7_the_daily_scan_finds_conflicts_in_enrollments_written_elsewhere_once_a_day() {
    let app = spawn_app().await;
    let client = scenario_client(&app, "H0009004").await;
    // Enrollments written straight into the tables (e.g. an import), not through the API.
    for (org, program, entry, move_in) in [
        (2, 1, "2026-06-01", None),
        (3, 3, "2026-06-15", Some("2026-07-01")),
    ] {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO records (client_id, kind, org_id, author_id, created_at, title, detail)
             VALUES ($1, 'Enrollment', $2, 1, '2026-11-01 09:00:00.000000', 'Enrollment', '')
             RETURNING id",
        )
        .bind(client)
        .bind(org)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO enrollments (record_id, program_id, case_name, entry_date, move_in_date)
             VALUES ($1, $2, 'Imported', $3, $4)",
        )
        .bind(id)
        .bind(program)
        .bind(entry)
        .bind(move_in)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let housing = app.sign_in("housing.cw").await;
    assert_eq!(
        list(&app, &housing, Some(client)).await.len(),
        0,
        "not yet scanned"
    );
    let report = run_due_jobs(&app.state).await.unwrap();
    assert!(report.scanned >= 1, "{report:?}");
    assert_eq!(list(&app, &housing, Some(client)).await.len(), 1);
    let again = run_due_jobs(&app.state).await.unwrap();
    assert_eq!(again.scanned, 0, "once a day");
    advance(&app, 1);
    assert!(
        run_due_jobs(&app.state).await.unwrap().scanned >= 1,
        "the next day"
    );
}

#[tokio::test]
async fn r7_opening_needs_an_enrollment_of_the_detection_owned_by_another_agency() {
    let app = spawn_app().await;
    let (stay, housed) = housed_during_shelter_stay(&app).await;
    let housing = app.sign_in("housing.cw").await;
    let detection = list(&app, &housing, None).await[0].id;
    let open = |enrollment: i64| {
        let housing = &housing;
        let app = &app;
        async move {
            app.send::<ep::OpenEntryExitConflict>(housing, &[detection], &about(enrollment))
                .await
        }
    };
    // Its own enrollment it corrects directly; an enrollment not of the detection.
    for enrollment in [housed, 1] {
        let e = open(enrollment).await.refused(422);
        assert_eq!(e.field.as_deref(), Some("enrollment"), "{e:?}");
    }
    app.send::<ep::OpenEntryExitConflict>(&housing, &[999], &about(stay))
        .await
        .refused(404);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM conflicts").await, 0);
    let id = open_about_shelter_stay(&app, stay).await;
    // The owning agency's AgencyAdmins are told.
    let n = notifications(&app).await;
    assert_eq!(n.len(), 1);
    assert_eq!((n[0].0, n[0].1.as_str()), (2, "entry_exit_conflict_opened"));
    let e = open(stay).await.refused(422);
    assert_eq!(
        e.field.as_deref(),
        Some("enrollment"),
        "already open: {e:?}"
    );
    assert_eq!(
        list(&app, &housing, None).await[0].conflict,
        Some(ConflictId(id))
    );
}

#[tokio::test]
async fn r8_escalation_to_the_owning_agencys_admins_needs_three_attempts_over_two_weeks() {
    let app = spawn_app().await;
    let (stay, _) = housed_during_shelter_stay(&app).await;
    let id = open_about_shelter_stay(&app, stay).await;
    attempt(&app, "housing.cw", id, &day(0), "no_answer").await;
    advance(&app, 13);
    attempt(&app, "housing.cw", id, &day(13), "no_answer").await;
    let (attempts, ..) = too_early(escalate(&app, "housing.cw", id).await);
    assert_eq!(attempts, 2, "2 attempts");
    attempt(&app, "housing.cw", id, &day(13), "no_answer").await;
    let (_, _, span, ..) = too_early(escalate(&app, "housing.cw", id).await);
    assert_eq!(span, 13, "day 13");
    advance(&app, 1);
    attempt(&app, "housing.cw", id, &day(14), "no_answer").await;
    let before = notifications(&app).await.len();
    let v = escalate(&app, "housing.cw", id).await.ok_with(200);
    assert!(
        matches!(v.state, ConflictState::Escalated { .. }),
        "day 14: {v:?}"
    );
    let new = notifications(&app).await[before..].to_vec();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(
        (new[0].0, new[0].1.as_str()),
        (2, "entry_exit_review_requested")
    );
    // The reporting agency never changes the owner's enrollment.
    let housing = app.sign_in("housing.cw").await;
    app.send::<ep::EndRecord>(&housing, &[stay], &end_on("2026-07-01"))
        .await
        .refused(403);
}

#[tokio::test]
async fn r8_the_data_center_is_asked_automatically_thirty_days_after_the_admin_notice_not_twenty_nine(
) {
    let app = spawn_app().await;
    let (stay, _) = housed_during_shelter_stay(&app).await;
    let id = open_about_shelter_stay(&app, stay).await;
    three_attempts_over_two_weeks(&app, "housing.cw", id).await;
    escalate(&app, "housing.cw", id).await.ok_with(200);
    let client = scenario_client(&app, SCENARIO).await;
    let notes = count(&app, &format!("SELECT COUNT(*) FROM records WHERE kind = 'ProfileNote' AND client_id = {client} AND title = 'Entry/exit conflict'")).await;
    assert_eq!(notes, 1, "R-8 works as R-3: one note");
    let before = notifications(&app).await.len();
    advance(&app, 29);
    let report = run_due_jobs(&app.state).await.unwrap();
    assert!(report.data_center.is_empty(), "day 29: {report:?}");
    // Asking by hand is refused too, with the date it becomes possible.
    let on_or_after = date(&day(44));
    refused!(
        escalate(&app, "housing.cw", id).await,
        403,
        Reason::DataCenterTooEarly { on_or_after: d, .. } if d == on_or_after
    );
    advance(&app, 1);
    let report = run_due_jobs(&app.state).await.unwrap();
    assert_eq!(report.data_center.len(), 1, "day 30: {report:?}");
    assert_eq!(report.data_center[0].0, id);
    let new = notifications(&app).await[before..].to_vec();
    assert_eq!(new.len(), 1, "every SystemAdmin, nobody else: {new:?}");
    assert_eq!((new[0].0, new[0].1.as_str()), (1, "entry_exit_data_center"));
    let coc = app.sign_in("coc.admin").await;
    let v = app.get::<ep::GetConflict>(&coc, &[id]).await.ok();
    let requested = date(&day(14));
    assert!(
        matches!(v.state, ConflictState::DataCenter { review_requested_on, .. } if review_requested_on == requested),
        "{v:?}"
    );
    // Once only.
    advance(&app, 1);
    assert!(run_due_jobs(&app.state)
        .await
        .unwrap()
        .data_center
        .is_empty());
    assert_eq!(notifications(&app).await.len(), before + 1);
    // The data center may resolve it.
    let coc = app.sign_in("coc.admin").await;
    let v = app
        .get::<ep::ResolveConflict>(&coc, &[id])
        .await
        .ok_with(200);
    assert!(matches!(v.state, ConflictState::Resolved { .. }), "{v:?}");
    assert_notifications_name_no_client(&app, &[], &[]).await;
}

#[tokio::test]
async fn r8_a_corrected_enrollment_resolves_the_conflict_and_never_reaches_the_data_center() {
    let app = spawn_app().await;
    let (stay, _) = housed_during_shelter_stay(&app).await;
    let id = open_about_shelter_stay(&app, stay).await;
    three_attempts_over_two_weeks(&app, "housing.cw", id).await;
    escalate(&app, "housing.cw", id).await.ok_with(200);
    advance(&app, 10);
    let shelter_admin = app.sign_in("shelter.admin").await;
    app.send::<ep::EndRecord>(&shelter_admin, &[stay], &end_on("2026-07-01"))
        .await
        .ok_with(200);
    let housing = app.sign_in("housing.cw").await;
    let v = app.get::<ep::GetConflict>(&housing, &[id]).await.ok();
    assert!(matches!(v.state, ConflictState::Resolved { .. }), "{v:?}");
    advance(&app, 30);
    let report = run_due_jobs(&app.state).await.unwrap();
    assert!(report.data_center.is_empty(), "{report:?}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM notifications WHERE user_id = 1").await,
        0
    );
}

#[tokio::test]
async fn r7_the_database_keeps_one_current_detection_per_pair_of_enrollments() {
    let app = spawn_app().await;
    let (stay, housed) = housed_during_shelter_stay(&app).await;
    let client = scenario_client(&app, SCENARIO).await;
    let current = "SELECT COUNT(*) FROM entry_exit_detections WHERE cleared_at IS NULL";
    let before = count(&app, current).await;
    // A second writer storing the same detection at the same moment is ignored.
    let (issue, first, second): (String, i64, Option<i64>) = sqlx::query_as(
        "SELECT issue, first_record, second_record FROM entry_exit_detections
         WHERE client_id = $1 AND cleared_at IS NULL",
    )
    .bind(client)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!([stay, housed].contains(&first));
    let dup = sqlx::query(
        "INSERT INTO entry_exit_detections (client_id, issue, first_record, first_org,
             second_record, second_org, from_date, detected_at)
         VALUES ($1, $2, $3, 2, $4, 3, '2026-07-01', '2026-11-22 10:00:00.000000')",
    )
    .bind(client)
    .bind(&issue)
    .bind(first)
    .bind(second)
    .execute(&app.pool)
    .await;
    assert!(
        dup.is_err(),
        "the unique index refuses a second current detection"
    );
    assert_eq!(count(&app, current).await, before);
}

/// The ids in `user`'s resolution queue (`GET /conflicts?queue=mine`).
async fn queue_of(app: &TestApp, user: &str) -> Vec<i64> {
    let c = app.sign_in(user).await;
    let query = ConflictListQuery {
        queue: Some("mine".into()),
        ..Default::default()
    };
    app.call::<ep::ListConflicts>(&c, &[], &query, &NoBody)
        .await
        .ok()
        .into_iter()
        .map(|v| v.id.0)
        .collect()
}

#[tokio::test]
async fn r8_the_addressed_agencys_admins_queue_holds_the_conflict_and_the_data_center_gets_it_after_thirty_days(
) {
    let app = spawn_app().await;
    let (stay, _) = housed_during_shelter_stay(&app).await;
    let id = open_about_shelter_stay(&app, stay).await;
    assert_eq!(
        queue_of(&app, "shelter.admin").await,
        vec![id],
        "addressed to the shelter"
    );
    assert!(
        queue_of(&app, "housing.admin").await.is_empty(),
        "the reporter's is not"
    );
    assert!(
        queue_of(&app, "shelter.cw").await.is_empty(),
        "caseworkers have no queue"
    );
    assert!(
        queue_of(&app, "coc.admin").await.is_empty(),
        "not at the data center yet"
    );
    three_attempts_over_two_weeks(&app, "housing.cw", id).await;
    escalate(&app, "housing.cw", id).await.ok_with(200);
    advance(&app, 30);
    run_due_jobs(&app.state).await.unwrap();
    assert_eq!(
        queue_of(&app, "coc.admin").await,
        vec![id],
        "R-8: the data center"
    );
    assert_eq!(
        queue_of(&app, "shelter.admin").await,
        vec![id],
        "still unresolved"
    );
    let coc = app.sign_in("coc.admin").await;
    app.get::<ep::ResolveConflict>(&coc, &[id])
        .await
        .ok_with(200);
    assert!(queue_of(&app, "coc.admin").await.is_empty());
    assert!(queue_of(&app, "shelter.admin").await.is_empty());
    let query = ConflictListQuery {
        queue: Some("everyone".into()),
        ..Default::default()
    };
    let e = app
        .call::<ep::ListConflicts>(&coc, &[], &query, &NoBody)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("queue"));
}
