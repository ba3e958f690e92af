//! The in-memory copies (`server::cache`) never change an answer: every change made anywhere, by
//! another server instance on the same database or directly in the database, is seen by the very
//! next request. Each test first reads through the instance under test so that its copies are
//! warm, changes something elsewhere, and reads again.
//!
//! Demo facts (see clients.rs): client 1 (Bull City Shelter) has an active ROI (id 1) naming the
//! shelter and Eno River Housing; client 2 (Eno River Housing) is shared with Triangle Outreach
//! through the complete MOU 1. User ids: shelter.cw 3, housing.cw 6.

use crate::support::{client, spawn_app, TestApp, PASSWORD};
use serde_json::{json, Value};

/// Signs in on `base` and returns the bare cookie, for requests that must keep sending it after
/// the server has asked the browser to forget it.
async fn cookie_of(base: &str, username: &str) -> String {
    let res = client()
        .post(format!("{base}/session"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign in as {username}");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

async fn call(method: &str, url: String, cookie: &str, body: Option<Value>) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = reqwest::Client::new()
        .request(method, url)
        .header("cookie", cookie)
        .header("x-hearth-csrf", "1");
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn profile(base: &str, cookie: &str, client_id: i64) -> Value {
    let (status, p) = call("GET", format!("{base}/clients/{client_id}"), cookie, None).await;
    assert_eq!(status, 200, "profile of client {client_id}");
    p
}

/// The ids of the forms a profile shows.
fn forms(p: &Value) -> Vec<i64> {
    p["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["meta"]["kind"] == "Form")
        .map(|r| r["meta"]["id"].as_i64().unwrap())
        .collect()
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

    let (status, _) = call(
        "POST",
        format!("{a}/rois/1/revoke"),
        &housing,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "Eno River is named on the ROI and revokes it");

    let after = profile(&b, &housing, 1).await;
    assert!(forms(&after).is_empty(), "no form is shown once revoked");
    assert_eq!(
        after["hidden_count"].as_i64().unwrap(),
        before["hidden_count"].as_i64().unwrap() + forms(&before).len() as i64
    );
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
    assert_eq!(before["mous"].as_array().unwrap().len(), 1);

    let admin = cookie_of(&a, "coc.admin").await;
    let (status, _) = call(
        "POST",
        format!("{a}/mous/1/terminate"),
        &admin,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200);

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
    let (status, body) = call(
        "PUT",
        format!("{a}/records/{form}/security"),
        &shelter,
        Some(json!({ "security": "RestrictToOrganization" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let after = forms(&profile(&b, &housing, 1).await);
    assert!(!after.contains(&form), "the restricted form is withheld");
}

#[tokio::test]
async fn p5_a_user_disabled_on_one_instance_is_signed_out_of_another_at_once() {
    let (_app, a, b) = two_instances().await;
    let housing = cookie_of(&b, "housing.cw").await;
    profile(&b, &housing, 1).await;
    let (status, _) = call("GET", format!("{b}/clients?q=jo"), &housing, None).await;
    assert_eq!(status, 200);

    let admin = cookie_of(&a, "coc.admin").await;
    let (status, _) = call(
        "PATCH",
        format!("{a}/users/6"),
        &admin,
        Some(json!({ "disabled": true })),
    )
    .await;
    assert_eq!(status, 200, "coc.admin disables housing.cw");

    let (status, _) = call("GET", format!("{b}/clients/1"), &housing, None).await;
    assert_eq!(status, 401, "the profile route");
    let (status, _) = call("GET", format!("{b}/clients?q=jo"), &housing, None).await;
    assert_eq!(status, 401, "every other route");
}

#[tokio::test]
async fn p5_signing_out_on_one_instance_ends_the_session_on_every_instance() {
    let (_app, a, b) = two_instances().await;
    let shelter = cookie_of(&a, "shelter.cw").await;
    profile(&b, &shelter, 1).await;
    let (status, _) = call("GET", format!("{b}/session"), &shelter, None).await;
    assert_eq!(status, 200);

    let (status, _) = call("DELETE", format!("{a}/session"), &shelter, None).await;
    assert!(status == 200 || status == 204, "sign out: {status}");

    let (status, _) = call("GET", format!("{b}/clients/1"), &shelter, None).await;
    assert_eq!(status, 401);
    let (status, _) = call("GET", format!("{b}/session"), &shelter, None).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn p5_an_idle_session_times_out_even_when_its_copy_is_warm() {
    let app = spawn_app().await;
    let base = app.url("");
    let shelter = cookie_of(&base, "shelter.cw").await;
    profile(&base, &shelter, 1).await;
    app.clock.advance(chrono::Duration::minutes(31));
    let (status, _) = call("GET", format!("{base}/clients/1"), &shelter, None).await;
    assert_eq!(status, 401, "30 minutes idle");
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
        .bind(form)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(!forms(&profile(&base, &housing, 1).await).contains(&form));

    sqlx::query("UPDATE clients SET first_name = 'Renamed' WHERE id = 1")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        profile(&base, &housing, 1).await["intake"]["first_name"],
        "Renamed"
    );

    sqlx::query("UPDATE organizations SET name = 'Eno River Housing Inc.' WHERE id = 3")
        .execute(&app.pool)
        .await
        .unwrap();
    let p = profile(&base, &housing, 1).await;
    assert!(p["org_names"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["name"] == "Eno River Housing Inc."));
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
