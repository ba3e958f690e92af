//! Releases ending soon (S-3, P-2's `roi_reminder_days`): `GET /rois?ending_within_days=` lists
//! the ROIs in force that name the caller's agency and end within the window, with their
//! client's HMIS number and name, soonest first, audited as a read of each client (P-4). Demo
//! facts: see `clients.rs` (client 0, id 1, has the active ROI #1 of the shelter (2) and Eno
//! River (3), ending in 335 days; client 3's is expired, client 6's revoked).

use crate::support::{spawn_app, today, TestApp};
use chrono::Duration;
use shared::api::endpoint::NoBody;
use shared::api::endpoints::{self as ep, RoiListQuery};
use shared::api::releases::{EndingRois, NewRoiRequest};
use shared::ids::OrgId;

/// Sets an ROI on client `client` as `user`, naming `orgs`, ending `days` from today.
async fn roi_ending_in(app: &TestApp, user: &str, client: i64, orgs: &[i64], days: i64) -> i64 {
    let c = app.sign_in(user).await;
    let body = NewRoiRequest {
        organizations: orgs.iter().copied().map(OrgId).collect(),
        start: Some(today() - Duration::days(300)),
        end: Some(today() + Duration::days(days)),
        attested: true,
    };
    app.send::<ep::CreateRoi>(&c, &[client], &body)
        .await
        .ok()
        .roi
        .id
        .0
}

async fn ending(app: &TestApp, user: &str, within: Option<&str>) -> EndingRois {
    let c = app.sign_in(user).await;
    let query = RoiListQuery {
        ending_within_days: within.map(str::to_owned),
    };
    app.call::<ep::ListEndingRois>(&c, &[], &query, &NoBody)
        .await
        .ok()
}

fn ids(list: &EndingRois) -> Vec<i64> {
    list.rois.iter().map(|r| r.id.0).collect()
}

#[tokio::test]
async fn s3_p2_releases_ending_within_the_policys_reminder_window_are_listed_for_the_agencies_named(
) {
    let app = spawn_app().await;
    // The shelter (2) and Eno River (3): one ending in 12 days, one in 45 (outside 30 days).
    let soon = roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 12).await;
    let later = roi_ending_in(&app, "shelter.cw", 7, &[2, 3], 45).await;
    // Eno River and Triangle Outreach (4): ends in 3 days, not the shelter's.
    let theirs = roi_ending_in(&app, "housing.cw", 5, &[3, 4], 3).await;

    let shelter = ending(&app, "shelter.cw", None).await;
    assert_eq!(shelter.within_days, 30, "the policy's default window");
    assert_eq!(shelter.until, today() + Duration::days(30));
    assert_eq!(ids(&shelter), vec![soon]);
    let row = &shelter.rois[0];
    assert_eq!((row.client.0, row.days_left), (4, 12));
    assert_eq!(row.hmis_number.to_string(), "H0001004");
    assert!(!row.first_name.is_empty() && !row.last_name.is_empty());
    assert_eq!(row.end, today() + Duration::days(12));

    // Eno River is named on both soon ones: soonest end first.
    assert_eq!(
        ids(&ending(&app, "housing.cw", None).await),
        vec![theirs, soon]
    );
    assert_eq!(ids(&ending(&app, "outreach.cw", None).await), vec![theirs]);
    // A wider window takes in the later one (and the demo's ROI #1, ending in 335 days).
    let wide = ending(&app, "shelter.cw", Some("60")).await;
    assert_eq!(ids(&wide), vec![soon, later]);
    assert!(ids(&ending(&app, "shelter.cw", Some("366")).await).contains(&1));
}

#[tokio::test]
async fn s3_revoked_expired_and_other_agencies_releases_are_never_listed() {
    let app = spawn_app().await;
    let revoked = roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 10).await;
    let c = app.sign_in("housing.cw").await;
    app.get::<ep::RevokeRoi>(&c, &[revoked]).await.ok();
    // Ending today is still in force; yesterday's end is over.
    let today_end = roi_ending_in(&app, "shelter.cw", 7, &[2, 3], 0).await;
    let c = app.sign_in("shelter.cw").await;
    let body = NewRoiRequest {
        organizations: vec![OrgId(2), OrgId(3)],
        start: Some(today() - Duration::days(300)),
        end: Some(today() + Duration::days(1)),
        attested: true,
    };
    let tomorrow = app
        .send::<ep::CreateRoi>(&c, &[10], &body)
        .await
        .ok()
        .roi
        .id
        .0;
    app.clock.advance(Duration::days(2));
    let listed = ending(&app, "shelter.cw", None).await;
    assert!(!ids(&listed).contains(&revoked), "revoked");
    assert!(!ids(&listed).contains(&tomorrow), "ended yesterday");
    assert!(!ids(&listed).contains(&today_end), "ended two days ago");
    // The SystemAdmin's agency (the coalition) is named on none of them.
    assert!(ending(&app, "coc.admin", None).await.rois.is_empty());
}

#[tokio::test]
async fn s3_an_roi_ending_today_is_still_listed_with_zero_days_left() {
    let app = spawn_app().await;
    let id = roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 0).await;
    let listed = ending(&app, "shelter.cw", Some("0")).await;
    assert_eq!(ids(&listed), vec![id]);
    assert_eq!(listed.rois[0].days_left, 0);
}

#[tokio::test]
async fn p2_a_window_that_is_not_a_number_of_days_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    for bad in ["-1", "soon", "367", "1.5"] {
        let query = RoiListQuery {
            ending_within_days: Some(bad.to_owned()),
        };
        let e = app
            .call::<ep::ListEndingRois>(&c, &[], &query, &NoBody)
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some("ending_within_days"), "{bad}");
    }
}

#[tokio::test]
async fn p4_listing_releases_ending_soon_is_audited_as_a_read_of_each_client_listed() {
    let app = spawn_app().await;
    roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 5).await;
    roi_ending_in(&app, "shelter.cw", 7, &[2, 3], 6).await;
    ending(&app, "shelter.cw", None).await;
    let rows: Vec<(Option<String>,)> = sqlx::query_as(
        "SELECT hmis_number FROM audit_log WHERE action = 'list ROIs ending soon' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let clients: Vec<Option<String>> = rows.into_iter().map(|(h,)| h).collect();
    assert_eq!(
        clients,
        vec![Some("H0001004".to_owned()), Some("H0001007".to_owned())]
    );
    // Nothing listed: one entry, naming no client.
    ending(&app, "outreach.cw", None).await;
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'list ROIs ending soon' AND hmis_number IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, 1);
}

// P-2 / R-13: the background job's reminders (migration 0019: once per ROI).

async fn inbox(app: &TestApp, user: &str) -> Vec<shared::api::resolution::NotificationView> {
    let c = app.sign_in(user).await;
    app.get::<ep::ListNotifications>(&c, &[])
        .await
        .ok()
        .items
        .into_iter()
        .filter(|n| matches!(n.message, shared::notify::Message::RoiEndingSoon { .. }))
        .collect()
}

async fn run_jobs(app: &TestApp) -> Vec<i64> {
    server::services::jobs::run_due_jobs(&app.state)
        .await
        .unwrap()
        .roi_reminders
        .into_iter()
        .map(|r| r.0)
        .collect()
}

#[tokio::test]
async fn p2_an_roi_ending_in_20_days_raises_one_reminder_when_the_job_runs() {
    let app = spawn_app().await;
    let roi = roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 20).await;
    assert!(
        inbox(&app, "shelter.cw").await.is_empty(),
        "nothing before the job"
    );
    assert_eq!(run_jobs(&app).await, vec![roi]);
    let got = inbox(&app, "shelter.cw").await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].message,
        shared::notify::Message::RoiEndingSoon {
            roi: shared::RoiId(roi),
            client: shared::ClientId(4),
            end: today() + Duration::days(20),
            org: OrgId(2),
        }
    );
    // However often the job runs, on later days too, no second reminder.
    assert!(run_jobs(&app).await.is_empty());
    app.clock.advance(Duration::days(3));
    assert!(run_jobs(&app).await.is_empty());
    assert_eq!(inbox(&app, "shelter.cw").await.len(), 1);
    let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roi_reminders")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn p2_an_roi_reminder_goes_to_its_setter_and_their_agency_admins_and_nobody_else() {
    let app = spawn_app().await;
    roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 20).await;
    run_jobs(&app).await;
    for (user, n) in [
        ("shelter.cw", 1),
        ("shelter.admin", 1),
        ("shelter.cw2", 0),
        ("housing.admin", 0),
        ("housing.cw", 0),
        ("outreach.admin", 0),
        ("coc.admin", 0),
    ] {
        assert_eq!(inbox(&app, user).await.len(), n, "{user}");
    }
    // An AgencyAdmin who set one is reminded once, not as setter and again as admin.
    roi_ending_in(&app, "housing.admin", 5, &[3, 4], 10).await;
    run_jobs(&app).await;
    assert_eq!(inbox(&app, "housing.admin").await.len(), 1);
    assert_eq!(inbox(&app, "housing.cw").await.len(), 0);
}

#[tokio::test]
async fn p2_no_reminder_for_revoked_rois_or_those_ending_after_the_window() {
    let app = spawn_app().await;
    let revoked = roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 10).await;
    let c = app.sign_in("housing.cw").await;
    app.get::<ep::RevokeRoi>(&c, &[revoked]).await.ok();
    let later = roi_ending_in(&app, "shelter.cw", 7, &[2, 3], 45).await;
    assert!(run_jobs(&app).await.is_empty());
    assert!(inbox(&app, "shelter.cw").await.is_empty());
    // Fifteen days on, the later one enters the 30-day window: reminded then, once.
    app.clock.advance(Duration::days(15));
    assert_eq!(run_jobs(&app).await, vec![later]);
    assert_eq!(inbox(&app, "shelter.admin").await.len(), 1);
}

#[tokio::test]
async fn r13_an_roi_reminder_names_the_client_by_hmis_number_only() {
    let app = spawn_app().await;
    roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 20).await;
    run_jobs(&app).await;
    let (first, last, dob): (String, String, Option<String>) =
        sqlx::query_as("SELECT first_name, last_name, date_of_birth FROM clients WHERE id = 4")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let got = inbox(&app, "shelter.admin").await;
    let n = &got[0];
    assert_eq!(n.client.to_string(), "H0001004");
    for text in [&n.subject, &n.body] {
        assert!(text.contains("H0001004"), "{text}");
        assert!(!text.contains(&first) && !text.contains(&last), "{text}");
        if let Some(dob) = &dob {
            assert!(!text.contains(dob.as_str()), "{text}");
        }
    }
    let payload = serde_json::to_string(&n.message).unwrap();
    assert!(!payload.contains(&first) && !payload.contains(&last));
}

// S-3 / P-2 / P-4: the agency ROI list, whatever the status.

async fn agency_list(
    app: &TestApp,
    user: &str,
    status: Option<&str>,
) -> shared::api::releases::AgencyRois {
    let c = app.sign_in(user).await;
    let query = ep::AgencyRoiQuery {
        status: status.map(str::to_owned),
    };
    app.call::<ep::ListAgencyRois>(&c, &[], &query, &NoBody)
        .await
        .ok()
}

#[tokio::test]
async fn s3_the_agency_roi_list_keeps_revoked_and_expired_releases_with_their_status() {
    use shared::RoiStatus;
    let app = spawn_app().await;
    let soon = roi_ending_in(&app, "shelter.cw", 4, &[2, 3], 12).await;
    let revoked = roi_ending_in(&app, "shelter.cw", 7, &[2, 3], 100).await;
    let c = app.sign_in("shelter.admin").await;
    app.get::<ep::RevokeRoi>(&c, &[revoked]).await.ok();
    let theirs = roi_ending_in(&app, "housing.cw", 5, &[3, 4], 3).await;
    let list = agency_list(&app, "shelter.admin", None).await;
    let status = |id: i64| list.rois.iter().find(|r| r.id.0 == id).map(|r| r.status);
    assert_eq!(status(soon), Some(RoiStatus::EndingSoon { days_left: 12 }));
    assert_eq!(status(revoked), Some(RoiStatus::Revoked));
    assert_eq!(status(1), Some(RoiStatus::Active), "the demo's ROI #1");
    assert_eq!(status(theirs), None, "not naming the shelter");
    // Demo client 3's ROI is expired, client 6's revoked: both stay listed.
    assert!(list.rois.iter().any(|r| r.status == RoiStatus::Expired));
    let revoked_only = agency_list(&app, "shelter.admin", Some("revoked")).await;
    assert!(revoked_only
        .rois
        .iter()
        .all(|r| r.status == RoiStatus::Revoked));
    assert!(revoked_only.rois.iter().any(|r| r.id.0 == revoked));
    // A caseworker sees their own agency's; a SystemAdmin every agency's.
    assert!(agency_list(&app, "shelter.cw", None)
        .await
        .rois
        .iter()
        .any(|r| r.id.0 == soon));
    let all = agency_list(&app, "coc.admin", None).await;
    assert!(all.rois.iter().any(|r| r.id.0 == theirs) && all.rois.iter().any(|r| r.id.0 == soon));
    let outreach = agency_list(&app, "outreach.admin", None).await;
    assert!(outreach.rois.iter().all(|r| r.orgs.contains(&OrgId(4))));
}

#[tokio::test]
async fn p4_the_agency_roi_list_is_audited_as_a_read_of_each_client_and_refuses_an_unknown_status()
{
    let app = spawn_app().await;
    let list = agency_list(&app, "housing.admin", None).await;
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'list agency ROIs' AND hmis_number IS NOT NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, i64::try_from(list.rois.len()).unwrap());
    assert!(n > 0);
    let c = app.sign_in("housing.admin").await;
    let query = ep::AgencyRoiQuery {
        status: Some("soon".into()),
    };
    let e = app
        .call::<ep::ListAgencyRois>(&c, &[], &query, &NoBody)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("status"));
}
