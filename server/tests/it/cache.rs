//! The in-memory copies (`server::cache`) never change an answer: every change made anywhere, by
//! another server instance on the same database or directly in the database, is seen by the very
//! next request. Each test first reads through the instance under test so that its copies are
//! warm, changes something elsewhere, and reads again.
//!
//! Demo facts (see clients.rs): client 1 (Bull City Shelter) has an active ROI (id 1) naming the
//! shelter and Eno River Housing; client 2 (Eno River Housing) is shared with Triangle Outreach
//! through the complete MOU 1. User ids: shelter.cw 3, housing.cw 6.

use crate::support::{call_at, client, path, spawn_app, TestApp, PASSWORD};
use shared::api::accounts::UserPatch;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, SearchQuery};
use shared::api::records::SecurityInput;
use shared::api::releases::TerminateRequest;
use shared::api::{ClientProfile, LoginRequest};
use shared::{RecordId, RecordKind, SecuritySetting};

/// Signs in on `base` and returns a client that sends the bare cookie (and the CSRF header) with
/// every request, for requests that must keep sending it after the server has asked the browser
/// to forget it. (The cookie is a header: this sign-in is raw on purpose.)
async fn cookie_of(base: &str, username: &str) -> reqwest::Client {
    let login = LoginRequest {
        username: username.into(),
        password: PASSWORD.into(),
    };
    let res = client()
        .post(format!("{base}{}", path::<ep::SignIn>(&[])))
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign in as {username}");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    headers.insert("x-hearth-csrf", "1".parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

/// `GET /clients/{id}` on `base` as `c`, asserting 200.
async fn profile(base: &str, c: &reqwest::Client, client_id: i64) -> ClientProfile {
    let a = call_at::<ep::GetClientProfile>(base, c, &[client_id], &NoQuery, &NoBody).await;
    assert_eq!(a.status, 200, "profile of client {client_id}");
    a.ok()
}

/// The ids of the forms a profile shows.
fn forms(p: &ClientProfile) -> Vec<RecordId> {
    p.records
        .iter()
        .filter(|r| r.meta.kind == RecordKind::Form)
        .map(|r| r.meta.id)
        .collect()
}

/// `GET /clients/{id}` on `base` as `c`: its status only.
async fn profile_status(base: &str, c: &reqwest::Client, client_id: i64) -> u16 {
    call_at::<ep::GetClientProfile>(base, c, &[client_id], &NoQuery, &NoBody)
        .await
        .status
}

/// Two instances on one database: `a` where changes are made, `b` whose copies are warm.
async fn two_instances() -> (TestApp, String, String) {
    let app = spawn_app().await;
    let a = app.url("");
    let b = app.another_instance().await;
    (app, a, b)
}

#[tokio::test]
async fn s3_an_roi_revoked_on_one_instance_stops_sharing_on_another_at_once() {
    let (_app, a, b) = two_instances().await;
    let housing = cookie_of(&b, "housing.cw").await;
    let before = profile(&b, &housing, 1).await;
    assert!(
        !forms(&before).is_empty(),
        "the ROI shares client 1's forms"
    );
    // Read twice: the second answer comes from warm copies.
    assert_eq!(profile(&b, &housing, 1).await, before);

    let revoked = call_at::<ep::RevokeRoi>(&a, &housing, &[1], &NoQuery, &NoBody).await;
    assert_eq!(
        revoked.status, 200,
        "Eno River is named on the ROI and revokes it"
    );

    let after = profile(&b, &housing, 1).await;
    assert!(forms(&after).is_empty(), "no form is shown once revoked");
    assert_eq!(after.withheld_by, None, "S-9: and nothing says they exist");
}

#[tokio::test]
async fn s6_an_mou_terminated_on_one_instance_stops_sharing_on_another_at_once() {
    let (_app, a, b) = two_instances().await;
    let outreach = cookie_of(&b, "outreach.cw").await;
    let before = profile(&b, &outreach, 2).await;
    assert!(
        !forms(&before).is_empty(),
        "the MOU shares client 2's forms"
    );
    assert_eq!(before.mous.len(), 1);

    let admin = cookie_of(&a, "coc.admin").await;
    let today = TerminateRequest::default();
    call_at::<ep::TerminateMou>(&a, &admin, &[1], &NoQuery, &today)
        .await
        .ok_with(200);

    let after = profile(&b, &outreach, 2).await;
    assert!(forms(&after).is_empty(), "no form is shown once terminated");
}

#[tokio::test]
async fn s5_a_record_restricted_on_one_instance_is_withheld_by_another_at_once() {
    let (_app, a, b) = two_instances().await;
    let housing = cookie_of(&b, "housing.cw").await;
    let shown = forms(&profile(&b, &housing, 1).await);
    let form = *shown.first().expect("a form shared by the ROI");

    let shelter = cookie_of(&a, "shelter.admin").await;
    let restrict = SecurityInput {
        security: SecuritySetting::RestrictToOrganization,
    };
    call_at::<ep::SetRecordSecurity>(&a, &shelter, &[form.0], &NoQuery, &restrict)
        .await
        .ok_with(200);

    let after = forms(&profile(&b, &housing, 1).await);
    assert!(!after.contains(&form), "the restricted form is withheld");
}

#[tokio::test]
async fn p5_a_user_disabled_on_one_instance_is_signed_out_of_another_at_once() {
    let (_app, a, b) = two_instances().await;
    let housing = cookie_of(&b, "housing.cw").await;
    profile(&b, &housing, 1).await;
    let jo = SearchQuery { q: "jo".into() };
    let search = || call_at::<ep::SearchClients>(&b, &housing, &[], &jo, &NoBody);
    search().await.ok_with(200);

    let admin = cookie_of(&a, "coc.admin").await;
    let disable = UserPatch {
        disabled: Some(true),
        ..Default::default()
    };
    let disabled = call_at::<ep::UpdateUser>(&a, &admin, &[6], &NoQuery, &disable).await;
    assert_eq!(disabled.status, 200, "coc.admin disables housing.cw");

    assert_eq!(
        profile_status(&b, &housing, 1).await,
        401,
        "the profile route"
    );
    assert_eq!(search().await.status, 401, "every other route");
}

#[tokio::test]
async fn p5_signing_out_on_one_instance_ends_the_session_on_every_instance() {
    let (_app, a, b) = two_instances().await;
    let shelter = cookie_of(&a, "shelter.cw").await;
    profile(&b, &shelter, 1).await;
    let session = || call_at::<ep::GetSession>(&b, &shelter, &[], &NoQuery, &NoBody);
    session().await.ok_with(200);

    let out = call_at::<ep::SignOut>(&a, &shelter, &[], &NoQuery, &NoBody).await;
    assert!(out.status == 200 || out.status == 204, "sign out: {out:?}");
    out.ok();

    assert_eq!(profile_status(&b, &shelter, 1).await, 401);
    assert_eq!(session().await.status, 401);
}

#[tokio::test]
async fn p5_an_idle_session_times_out_even_when_its_copy_is_warm() {
    let app = spawn_app().await;
    let base = app.url("");
    let shelter = cookie_of(&base, "shelter.cw").await;
    profile(&base, &shelter, 1).await;
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(
        profile_status(&base, &shelter, 1).await,
        401,
        "30 minutes idle"
    );
}

#[tokio::test]
async fn p3_a_change_made_directly_in_the_database_is_seen_by_the_next_read() {
    let app = spawn_app().await;
    let base = app.url("");
    let housing = cookie_of(&base, "housing.cw").await;
    let shown = forms(&profile(&base, &housing, 1).await);
    let form = *shown.first().expect("a form shared by the ROI");
    // As a maintenance tool would, without going through any server instance.
    sqlx::query("UPDATE records SET security = 'RestrictToOrganization' WHERE id = $1")
        .bind(form.0)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(!forms(&profile(&base, &housing, 1).await).contains(&form));

    sqlx::query("UPDATE clients SET first_name = 'Renamed' WHERE id = 1")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        profile(&base, &housing, 1).await.intake.first_name,
        "Renamed"
    );

    sqlx::query("UPDATE organizations SET name = 'Eno River Housing Inc.' WHERE id = 3")
        .execute(&app.pool)
        .await
        .unwrap();
    let p = profile(&base, &housing, 1).await;
    assert!(p
        .org_names
        .iter()
        .any(|o| o.name == "Eno River Housing Inc."));
}

#[tokio::test]
async fn p4_every_concurrent_profile_read_is_audited_before_it_is_answered() {
    let app = spawn_app().await;
    let base = app.url("");
    let shelter = cookie_of(&base, "shelter.cw").await;
    let count = || app.audited_profile_reads(3);
    let before = count().await;
    // 64 reads at once: the group commit stores them in a few batches, and each answer comes
    // only after its own entry is stored.
    let reads = (0..64).map(|i| {
        let (base, shelter) = (base.clone(), shelter.clone());
        tokio::spawn(async move { profile(&base, &shelter, 1 + i % 30).await })
    });
    for r in reads {
        r.await.unwrap();
    }
    assert_eq!(count().await - before, 64);
}

#[tokio::test]
async fn p3_the_cache_numbers_move_with_every_change_and_say_which_clients_exist() {
    use shared::ClientId;
    let app = spawn_app().await;
    let v = |id| app.state.versions(Some(ClientId(id)));
    let before = v(1).await.unwrap();
    let other_before = v(2).await.unwrap();
    assert!(before.client.is_some());
    assert_eq!(v(999_999).await.unwrap().client, None, "no such client");
    assert_eq!(app.state.versions(None).await.unwrap().client, None);

    sqlx::query("UPDATE records SET title = title || '.' WHERE client_id = 1 AND kind = 'Form'")
        .execute(&app.pool)
        .await
        .unwrap();
    let after = v(1).await.unwrap();
    assert!(
        after.client > before.client,
        "a records change moves the client's version"
    );
    assert_eq!(after.epoch, before.epoch, "and not the epoch");
    assert_eq!(
        v(2).await.unwrap().client,
        other_before.client,
        "and not another client's version"
    );

    sqlx::query("UPDATE mous SET name = name || '.' WHERE id = 1")
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(
        v(1).await.unwrap().epoch > after.epoch,
        "an MOU change moves the epoch"
    );
}
