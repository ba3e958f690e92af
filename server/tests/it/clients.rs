//! Client search and profile: every record passes the shared read decision (S-1..S-9, P-4).
//!
//! Demo data facts used here (see `server/src/demo.rs`): client `i` has id `i + 1` and HMIS number
//! `H000{1001 + i}`, is owned by organization `2 + i % 3` (2 Bull City Shelter, 3 Eno River Housing,
//! 4 Triangle Outreach Services); clients 0, 9, ... have an active ROI naming their owner and the
//! next agency, clients 3, 12, ... an expired one, 6, 15, ... a revoked one; the MOU "Durham Housing
//! Partners" (Eno River + Triangle Outreach) is complete; the Shelter/Outreach pilot lacks a signature.

use crate::support::{client, spawn_app, TestApp};
use serde_json::Value;
use shared::api::endpoint::NoBody;
use shared::api::endpoints::{self as ep, SearchQuery};
use shared::api::intake::NewClientRequest;
use shared::api::{ClientProfile, ClientSummary, RecordView};
use shared::intake::DataQuality;
use shared::{ClientId, Reason, RecordKind};

async fn profile_of(app: &TestApp, user: &str, client_id: i64) -> ClientProfile {
    let c = app.sign_in(user).await;
    let a = app.get::<ep::GetClientProfile>(&c, &[client_id]).await;
    assert_eq!(a.status, 200, "{user} reads client {client_id}");
    a.ok()
}

fn forms(profile: &ClientProfile) -> Vec<&RecordView> {
    profile
        .records
        .iter()
        .filter(|r| r.meta.kind == RecordKind::Form)
        .collect()
}

#[tokio::test]
async fn s1_every_agency_reads_the_intake_of_any_client() {
    let app = spawn_app().await;
    // Client 1 is entered by Eno River Housing; the shelter caseworker reads its intake.
    let p = profile_of(&app, "shelter.cw", 2).await;
    assert_eq!(p.hmis_number.to_string(), "H0001002");
    assert_eq!(p.intake.first_name, "Jordan");
    // The wire type has only the last four; the JSON must not carry more either.
    let c = app.sign_in("shelter.cw").await;
    let raw: Value = app.profile(&c, 2).await.json().await.unwrap();
    assert!(
        raw["intake"].get("ssn").is_none(),
        "only the last four SSN digits leave the server"
    );
}

#[tokio::test]
async fn s2_enrollments_of_other_agencies_are_read_only_with_their_owner() {
    let app = spawn_app().await;
    let p = profile_of(&app, "shelter.cw", 2).await;
    let enrollment = p
        .records
        .iter()
        .find(|r| r.meta.kind == RecordKind::Enrollment)
        .expect("an enrollment is shown");
    assert!(
        matches!(enrollment.reason, Reason::ReadOnlyEnteredBy { .. }),
        "{:?}",
        enrollment.reason
    );
}

#[tokio::test]
async fn s5_restricted_and_unreleased_forms_are_withheld_and_not_counted() {
    let app = spawn_app().await;
    // Client 1 (Eno River): the shelter has no ROI or MOU with Eno River for it.
    let p = profile_of(&app, "shelter.cw", 2).await;
    assert!(
        forms(&p).is_empty(),
        "no form of another agency without ROI or MOU"
    );
    assert_eq!(p.withheld_by, None, "S-9: nothing hints at them by default");
    // The owner sees its own forms, restricted ones included.
    let own = profile_of(&app, "housing.cw", 2).await;
    assert_eq!(forms(&own).len(), 3);
    assert_eq!(own.withheld_by, None);
}

#[tokio::test]
async fn s3_an_active_roi_shares_roi_mou_forms_but_never_restricted_ones() {
    let app = spawn_app().await;
    // Client 0 (Bull City Shelter) has an active ROI naming the shelter and Eno River Housing.
    let p = profile_of(&app, "housing.cw", 1).await;
    let shared: Vec<_> = forms(&p);
    assert_eq!(
        shared.len(),
        1,
        "only the ShareWithRoiMou form (Housing assessment)"
    );
    assert_eq!(shared[0].title, "Housing assessment");
    assert!(
        matches!(shared[0].reason, Reason::SharedByRoi { .. }),
        "{:?}",
        shared[0].reason
    );
    assert_eq!(
        p.withheld_by, None,
        "the two restricted forms go unmentioned"
    );
}

#[tokio::test]
async fn s3_expired_and_revoked_rois_share_nothing() {
    let app = spawn_app().await;
    // Client 3: expired ROI (shelter + Eno River); client 6: revoked ROI.
    for id in [4, 7] {
        let p = profile_of(&app, "housing.cw", id).await;
        assert!(forms(&p).is_empty(), "client {id}");
    }
}

#[tokio::test]
async fn s4_a_complete_mou_shares_roi_mou_forms_of_every_client() {
    let app = spawn_app().await;
    // Client 1 (Eno River) read by Triangle Outreach under "Durham Housing Partners".
    let p = profile_of(&app, "outreach.cw", 2).await;
    let shared = forms(&p);
    assert_eq!(shared.len(), 2, "Income and Employment assessments");
    for f in shared {
        assert!(
            matches!(&f.reason, Reason::SharedByMou { name, .. } if name == "Durham Housing Partners"),
            "{:?}",
            f.reason
        );
    }
    assert_eq!(p.mous.len(), 1);
}

#[tokio::test]
async fn s6_an_mou_missing_a_signature_shares_nothing() {
    let app = spawn_app().await;
    // Client 3 (Bull City Shelter) read by Triangle Outreach: the pilot MOU lacks a signature.
    let p = profile_of(&app, "outreach.cw", 4).await;
    assert!(forms(&p).is_empty());
    let mous: Vec<_> = p.mous.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        mous,
        ["Durham Housing Partners"],
        "the incomplete pilot is not in force"
    );
}

#[tokio::test]
async fn s7_system_administrators_read_every_record() {
    let app = spawn_app().await;
    let p = profile_of(&app, "coc.admin", 2).await;
    assert_eq!(p.withheld_by, None);
    assert_eq!(forms(&p).len(), 3);
    for r in &p.records {
        assert_eq!(r.reason, Reason::SystemAdministrator);
    }
}

#[tokio::test]
async fn s8_rois_that_do_not_name_the_reader_are_not_sent() {
    let app = spawn_app().await;
    // Client 0's ROI names the shelter and Eno River, not Triangle Outreach.
    let p = profile_of(&app, "outreach.cw", 1).await;
    assert!(p.rois.is_empty());
    let named = profile_of(&app, "housing.cw", 1).await;
    assert_eq!(named.rois.len(), 1);
}

#[tokio::test]
async fn s9_a_deleted_client_and_a_missing_one_are_both_not_found() {
    let app = spawn_app().await;
    sqlx::query("UPDATE clients SET deleted = 1 WHERE id = 5")
        .execute(&app.pool)
        .await
        .unwrap();
    let c = app.sign_in("shelter.cw").await;
    let deleted = app.get::<ep::GetClientProfile>(&c, &[5]).await.refused(404);
    let missing = app
        .get::<ep::GetClientProfile>(&c, &[99_999])
        .await
        .refused(404);
    assert_eq!(deleted, missing, "indistinguishable");
    // And byte for byte.
    let deleted = app.profile(&c, 5).await;
    let missing = app.profile(&c, 99_999).await;
    assert_eq!(
        deleted.text().await.unwrap(),
        missing.text().await.unwrap(),
        "indistinguishable"
    );
    // P-3: the tombstone stays visible to system administrators.
    let admin = app.sign_in("coc.admin").await;
    app.get::<ep::GetClientProfile>(&admin, &[5])
        .await
        .ok_with(200);
}

/// A new client with neither date of birth nor SSN collected.
fn unknown_birth(first: &str, last: &str) -> NewClientRequest {
    NewClientRequest {
        first_name: first.into(),
        middle_name: None,
        last_name: last.into(),
        date_of_birth: None,
        dob_data_quality: DataQuality::DataNotCollected,
        ssn: None,
        ssn_data_quality: DataQuality::DataNotCollected,
        gender: None,
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        marital_status: None,
        confirm_new: false,
    }
}

async fn search(app: &TestApp, c: &reqwest::Client, q: &str) -> Vec<ClientSummary> {
    let query = SearchQuery { q: q.into() };
    let a = app.call::<ep::SearchClients>(c, &[], &query, &NoBody).await;
    assert_eq!(a.status, 200, "search {q}");
    a.ok()
}

#[tokio::test]
async fn search_finds_clients_by_name_prefix_and_hmis_number() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    let found = search(&app, &c, "riv al").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].last_name, "Rivera");
    let by_number = search(&app, &c, "h0001002").await;
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0].hmis_number.to_string(), "H0001002");
    // LIKE wildcards typed by the user are matched literally.
    let wild = search(&app, &c, "%%").await;
    assert!(wild.is_empty());
}

#[tokio::test]
async fn search_refuses_too_short_queries_and_anonymous_callers() {
    let app = spawn_app().await;
    let rivera = SearchQuery { q: "rivera".into() };
    app.call::<ep::SearchClients>(&client(), &[], &rivera, &NoBody)
        .await
        .refused(401);
    let c = app.sign_in("outreach.cw").await;
    let short = SearchQuery { q: "r".into() };
    let e = app
        .call::<ep::SearchClients>(&c, &[], &short, &NoBody)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("q"));
}

#[tokio::test]
async fn p4_profile_reads_are_audited_and_the_audit_log_cannot_be_changed() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    app.get::<ep::GetClientProfile>(&c, &[2]).await.ok_with(200);
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE hmis_number = 'H0001002'
         AND action = 'read client profile'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, 1);
    let update = sqlx::query("UPDATE audit_log SET action = 'nothing'")
        .execute(&app.pool)
        .await;
    assert!(update.is_err(), "UPDATE refused by trigger");
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err(), "DELETE refused by trigger");
}

#[tokio::test]
async fn search_matches_name_prefixes_in_any_case_and_nothing_else() {
    let app = spawn_app().await;
    let c = app.sign_in("housing.cw").await;
    let body = unknown_birth("Zoë", "Ñúñez");
    let created = app.send::<ep::CreateClient>(&c, &[], &body).await.ok();
    let hmis = created.hmis_number.to_string();
    let names = |found: Vec<ClientSummary>| -> Vec<String> {
        found.iter().map(|v| v.hmis_number.to_string()).collect()
    };
    assert_eq!(
        names(search(&app, &c, "ZO").await),
        std::slice::from_ref(&hmis)
    );
    assert_eq!(names(search(&app, &c, "zoë ÑÚ").await), [hmis]);
    assert!(search(&app, &c, "ivera").await.is_empty(), "prefixes only");
    // Issue 15: accents are folded (`shared::matching`), so "zoe" finds "Zoë".
    assert_eq!(
        names(search(&app, &c, "zoe nunez").await),
        [created.hmis_number.to_string()]
    );
    let riveras = search(&app, &c, "RIVERA").await;
    assert_eq!(riveras.len(), 3);
    assert!(riveras.iter().all(|v| v.last_name == "Rivera"));
}

#[tokio::test]
async fn s1_search_returns_the_first_twenty_matches_by_last_then_first_name_once_each_without_tombstones(
) {
    let app = spawn_app().await;
    let c = app.sign_in("housing.cw").await;
    let create = |first: String, last: &'static str| {
        let (app, c) = (&app, &c);
        async move {
            let body = NewClientRequest {
                confirm_new: true,
                ..unknown_birth(&first, last)
            };
            app.send::<ep::CreateClient>(c, &[], &body)
                .await
                .ok_with(201)
                .id
                .0
        }
    };
    let mut ordways = Vec::new();
    for i in 0..55 {
        ordways.push(create(format!("A{i:02}"), "Ordway").await);
    }
    create("Ordell".into(), "Aaron").await;
    // Matches "ordwa" by its first name and by its last name.
    create("Ordway".into(), "Ordwa").await;
    // A00 is tombstoned: never found.
    sqlx::query("UPDATE clients SET deleted = 1 WHERE id = $1")
        .bind(ordways[0])
        .execute(&app.pool)
        .await
        .unwrap();

    let found = search(&app, &c, "ord").await;
    let names: Vec<String> = found
        .iter()
        .map(|v| format!("{} {}", v.first_name, v.last_name))
        .collect();
    let mut expected = vec!["Ordell Aaron".to_owned(), "Ordway Ordwa".to_owned()];
    // Equally good matches (a prefix each) keep the order of last then first name.
    expected.extend((1..19).map(|i| format!("A{i:02} Ordway")));
    assert_eq!(names, expected, "20 results, by last then first name");

    // Found by its first and its last name alike, listed once.
    let found = search(&app, &c, "ordwa").await;
    let ids: std::collections::BTreeSet<ClientId> = found.iter().map(|v| v.id).collect();
    assert_eq!(ids.len(), found.len(), "no client twice");
    assert_eq!(found[0].last_name, "Ordwa");
    assert_eq!(found[1].first_name, "A01");
}
