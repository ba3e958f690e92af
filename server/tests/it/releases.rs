//! Releases of information (S-3) and MOUs (S-4, S-6) through the API: setting, revoking, signing,
//! attaching documents, and the effect on what a profile shows. Demo facts: see `clients.rs`.
//! Client 3 (id 4) is Bull City Shelter's, with two `ShareWithRoiMou` forms and an expired ROI;
//! client 1 (id 2) is Eno River Housing's, with two `ShareWithRoiMou` forms; client 0 (id 1) has
//! the active ROI #1 naming the shelter (2) and Eno River (3).

use crate::support::{today, TestApp};
use chrono::Duration;
use serde_json::{json, Value};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

async fn post(c: &reqwest::Client, url: String, body: Value) -> (u16, Value) {
    let res = c.post(url).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn upload(
    c: &reqwest::Client,
    url: String,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let res = c
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The titles of the forms `user` sees on client `id`'s profile, signing in afresh (the clock
/// may have moved past the idle timeout).
async fn forms_seen(app: &TestApp, user: &str, id: i64) -> Vec<String> {
    let c = app.sign_in(user).await;
    let res = app.profile(&c, id).await;
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.unwrap();
    p["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["meta"]["kind"] == "Form")
        .map(|r| r["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.pool).await.unwrap();
    n
}

#[tokio::test]
async fn s3_an_roi_without_the_attestation_is_refused_and_nothing_is_stored() {
    let app = crate::support::spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM rois").await;
    for body in [
        json!({ "organizations": [2, 3] }),
        json!({ "organizations": [2, 3], "attested": false }),
    ] {
        let (status, err) = post(&c, app.url("/clients/4/rois"), body).await;
        assert_eq!(status, 422);
        assert_eq!(err["field"], "attested");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM rois").await, before);
    assert!(forms_seen(&app, "housing.cw", 4).await.is_empty());
}

#[tokio::test]
async fn s3_an_roi_must_name_the_setting_users_agency_and_another() {
    let app = crate::support::spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM rois").await;
    for orgs in [json!([3, 4]), json!([2]), json!([])] {
        let (status, err) = post(
            &c,
            app.url("/clients/4/rois"),
            json!({ "organizations": orgs, "attested": true }),
        )
        .await;
        assert_eq!(status, 403, "{orgs}");
        assert_eq!(err["reason"]["code"], "roi_must_name_your_agency");
    }
    let (status, err) = post(
        &c,
        app.url("/clients/4/rois"),
        json!({ "organizations": [2, 99], "attested": true }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(err["field"], "organizations");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM rois").await, before);
}

#[tokio::test]
async fn s3_an_roi_starts_today_and_runs_one_year_by_default() {
    let app = crate::support::spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let (status, roi) = post(
        &c,
        app.url("/clients/4/rois"),
        json!({ "organizations": [3, 2], "attested": true }),
    )
    .await;
    assert_eq!(status, 201, "{roi}");
    assert_eq!(roi["start"], "2026-11-22");
    assert_eq!(roi["end"], "2027-11-22");
    assert_eq!(roi["orgs"], json!([2, 3]));
    assert_eq!(roi["active"], true);
    assert_eq!(roi["attestation"]["org"], 2);
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'set ROI' AND hmis_number = 'H0001004'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, 1, "the ROI is audited under the client's HMIS number");
}

#[tokio::test]
async fn s3_an_roi_shares_up_to_and_including_its_end_date() {
    let app = crate::support::spawn_app().await;
    assert!(forms_seen(&app, "housing.cw", 4).await.is_empty());
    let c = app.sign_in("shelter.cw").await;
    let end = today() + Duration::days(10);
    let (status, roi) = post(
        &c,
        app.url("/clients/4/rois"),
        json!({ "organizations": [2, 3], "end": end.to_string(), "attested": true }),
    )
    .await;
    assert_eq!(status, 201, "{roi}");
    let shared = ["Income assessment", "Employment assessment"];
    let mut seen = forms_seen(&app, "housing.cw", 4).await;
    seen.sort();
    assert_eq!(seen, [shared[1], shared[0]]);
    // Triangle Outreach is not named: nothing.
    assert!(forms_seen(&app, "outreach.cw", 4).await.is_empty());
    app.clock.advance(Duration::days(10));
    assert_eq!(
        forms_seen(&app, "housing.cw", 4).await.len(),
        2,
        "on the end date"
    );
    app.clock.advance(Duration::days(1));
    assert!(
        forms_seen(&app, "housing.cw", 4).await.is_empty(),
        "the day after the end date"
    );
}

async fn roi_ids(app: &TestApp, user: &str, client: i64) -> (u16, Vec<i64>) {
    let c = app.sign_in(user).await;
    let res = c
        .get(app.url(&format!("/clients/{client}/rois")))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    let ids = body
        .as_array()
        .map(|a| a.iter().map(|r| r["id"].as_i64().unwrap()).collect())
        .unwrap_or_default();
    (status, ids)
}

#[tokio::test]
async fn s8_roi_lists_show_only_rois_naming_the_callers_agency() {
    let app = crate::support::spawn_app().await;
    assert_eq!(roi_ids(&app, "housing.cw", 1).await, (200, vec![1]));
    assert_eq!(roi_ids(&app, "shelter.cw", 1).await, (200, vec![1]));
    assert_eq!(roi_ids(&app, "outreach.cw", 1).await, (200, vec![]));
    assert_eq!(roi_ids(&app, "coc.admin", 1).await, (200, vec![1]));
    assert_eq!(roi_ids(&app, "housing.cw", 99_999).await.0, 404);
}

#[tokio::test]
async fn s3_a_named_agencys_user_revokes_an_roi_and_others_cannot() {
    let app = crate::support::spawn_app().await;
    assert_eq!(forms_seen(&app, "housing.cw", 1).await.len(), 1);
    // Not named: as if it did not exist.
    let outreach = app.sign_in("outreach.cw").await;
    let (status, _) = post(&outreach, app.url("/rois/1/revoke"), json!({})).await;
    assert_eq!(status, 404);
    let (missing, _) = post(&outreach, app.url("/rois/99999/revoke"), json!({})).await;
    assert_eq!(missing, 404);
    // A SystemAdmin sees it but is not named on it: the shared decision refuses.
    let admin = app.sign_in("coc.admin").await;
    let (status, err) = post(&admin, app.url("/rois/1/revoke"), json!({})).await;
    assert_eq!(status, 403);
    assert_eq!(err["reason"]["code"], "not_named_on_roi");
    // Eno River is named (the shelter attested): it may revoke.
    let housing = app.sign_in("housing.cw").await;
    let (status, roi) = post(&housing, app.url("/rois/1/revoke"), json!({})).await;
    assert_eq!(status, 200, "{roi}");
    assert_eq!(roi["active"], false);
    assert_eq!(roi["revoked"]["on"], "2026-11-22");
    assert!(forms_seen(&app, "housing.cw", 1).await.is_empty());
    let shelter = app.sign_in("shelter.cw").await;
    let (status, err) = post(&shelter, app.url("/rois/1/revoke"), json!({})).await;
    assert_eq!(status, 403);
    assert_eq!(err["reason"]["code"], "already_ended");
    // The database itself refuses editing an ROI in place.
    let edit = sqlx::query("UPDATE rois SET end_date = '2030-01-01' WHERE id = 1")
        .execute(&app.pool)
        .await;
    assert!(edit.is_err(), "an ROI is never edited");
}

#[tokio::test]
async fn s3_the_release_scan_is_attached_by_the_attesting_agency_and_read_by_named_ones() {
    let app = crate::support::spawn_app().await;
    let housing = app.sign_in("housing.cw").await;
    let (status, err) = upload(
        &housing,
        app.url("/rois/1/document"),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 403, "named but not attesting");
    assert_eq!(err["reason"]["code"], "only_attesting_agency");
    let outreach = app.sign_in("outreach.cw").await;
    let (status, _) = upload(
        &outreach,
        app.url("/rois/1/document"),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 404);
    let shelter = app.sign_in("shelter.cw").await;
    let (status, info) = upload(
        &shelter,
        app.url("/rois/1/document"),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{info}");
    assert_eq!(info["content_type"], "application/pdf");
    let (again, err) = upload(
        &shelter,
        app.url("/rois/1/document"),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(again, 403);
    assert_eq!(err["reason"]["code"], "document_already_attached");
    let res = housing
        .get(app.url("/rois/1/document"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let res = outreach
        .get(app.url("/rois/1/document"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(count(&app, UPLOADED_DOCUMENTS).await, 1);
}

/// Documents uploaded by a test: all but the demo MOU's signed copy (MOU 1, loaded with the demo).
const UPLOADED_DOCUMENTS: &str =
    "SELECT COUNT(*) FROM documents WHERE NOT (owner_kind = 'mou' AND owner_id = 1)";

async fn new_mou(app: &TestApp, admin: &reqwest::Client, orgs: Value) -> i64 {
    let (status, mou) = post(
        admin,
        app.url("/mous"),
        json!({
            "name": "Shelter and Housing Compact",
            "organizations": orgs,
            "start": today().to_string(),
            "end": (today() + Duration::days(365)).to_string(),
        }),
    )
    .await;
    assert_eq!(status, 201, "{mou}");
    assert_eq!(mou["status"], "incomplete");
    mou["id"].as_i64().unwrap()
}

async fn sign(app: &TestApp, c: &reqwest::Client, mou: i64, org: i64) -> (u16, Value) {
    post(
        c,
        app.url(&format!("/mous/{mou}/signatures")),
        json!({ "org": org, "name": "Pat Morgan", "title": "Executive Director", "date": today().to_string() }),
    )
    .await
}

#[tokio::test]
async fn s6_caseworkers_and_agency_admins_cannot_create_or_change_mous() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, json!([2, 3])).await;
    for user in ["shelter.cw", "shelter.admin", "housing.admin"] {
        let c = app.sign_in(user).await;
        let (status, err) = post(
            &c,
            app.url("/mous"),
            json!({ "name": "Rogue", "organizations": [2, 3], "start": "2026-11-22", "end": "2027-11-22" }),
        )
        .await;
        assert_eq!(status, 403, "{user} creates");
        assert_eq!(err["reason"]["code"], "only_system_admin");
        let (status, err) = sign(&app, &c, mou, 2).await;
        assert_eq!(
            (status, &err["reason"]["code"]),
            (403, &json!("only_system_admin")),
            "{user} signs"
        );
        let (status, _) = upload(
            &c,
            app.url(&format!("/mous/{mou}/document")),
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(status, 403, "{user} attaches");
        let (status, _) = post(&c, app.url("/mous/1/terminate"), json!({})).await;
        assert_eq!(status, 403, "{user} terminates");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM mous").await, 3);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM mou_parties WHERE signed_on IS NOT NULL"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM mous WHERE terminated_on IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(count(&app, UPLOADED_DOCUMENTS).await, 0);
}

#[tokio::test]
async fn s6_an_mou_shares_only_after_the_last_signature_and_the_document_and_stops_when_terminated()
{
    let app = crate::support::spawn_app().await;
    // Client 1 (Eno River) read by the shelter: no ROI, no MOU between them.
    assert!(forms_seen(&app, "shelter.cw", 2).await.is_empty());
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, json!([2, 3])).await;
    assert_eq!(sign(&app, &admin, mou, 2).await.0, 200);
    let (status, _) = upload(
        &admin,
        app.url(&format!("/mous/{mou}/document")),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 201);
    assert!(
        forms_seen(&app, "shelter.cw", 2).await.is_empty(),
        "one signature missing"
    );
    let view: Value = admin
        .get(app.url(&format!("/mous/{mou}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "incomplete");
    assert_eq!(view["missing_signatures"], json!([3]));
    assert_eq!(view["missing_document"], false);

    let (status, view) = sign(&app, &admin, mou, 3).await;
    assert_eq!(status, 200);
    assert_eq!(view["status"], "active");
    let mut seen = forms_seen(&app, "shelter.cw", 2).await;
    seen.sort();
    assert_eq!(seen, ["Employment assessment", "Income assessment"]);

    let (status, view) = post(
        &admin,
        app.url(&format!("/mous/{mou}/terminate")),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "terminated");
    assert!(
        forms_seen(&app, "shelter.cw", 2).await.is_empty(),
        "terminated"
    );
    let (status, err) = post(
        &admin,
        app.url(&format!("/mous/{mou}/terminate")),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, &err["reason"]["code"]),
        (403, &json!("already_ended"))
    );
}

#[tokio::test]
async fn s6_an_mou_with_every_signature_but_no_document_shares_nothing() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, json!([2, 3])).await;
    assert_eq!(sign(&app, &admin, mou, 2).await.0, 200);
    let (status, view) = sign(&app, &admin, mou, 3).await;
    assert_eq!(status, 200);
    assert_eq!(view["status"], "incomplete");
    assert_eq!(view["missing_document"], true);
    assert!(forms_seen(&app, "shelter.cw", 2).await.is_empty());
    // A party signs once; a party not named cannot sign.
    let (status, err) = sign(&app, &admin, mou, 3).await;
    assert_eq!(
        (status, &err["reason"]["code"]),
        (403, &json!("already_signed"))
    );
    let (status, err) = sign(&app, &admin, mou, 4).await;
    assert_eq!(
        (status, &err["reason"]["code"]),
        (403, &json!("not_named_on_mou"))
    );
}

#[tokio::test]
async fn s6_an_mou_is_validated_and_names_two_or_more_known_organizations() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let cases = [
        (
            json!({ "name": "", "organizations": [2, 3], "start": "2026-11-22", "end": "2027-11-22" }),
            "name",
        ),
        (
            json!({ "name": "X", "organizations": [2], "start": "2026-11-22", "end": "2027-11-22" }),
            "organizations",
        ),
        (
            json!({ "name": "X", "organizations": [2, 2], "start": "2026-11-22", "end": "2027-11-22" }),
            "organizations",
        ),
        (
            json!({ "name": "X", "organizations": [2, 77], "start": "2026-11-22", "end": "2027-11-22" }),
            "organizations",
        ),
        (
            json!({ "name": "X", "organizations": [2, 3], "start": "2026-11-22", "end": "2026-11-21" }),
            "end",
        ),
    ];
    for (body, field) in cases {
        let (status, err) = post(&admin, app.url("/mous"), body.clone()).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (422, Some(field)),
            "{body}"
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM mous").await, 2);
}

#[tokio::test]
async fn s6_uploads_refuse_mislabelled_content_and_oversize_bodies_and_store_nothing() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, json!([2, 3])).await;
    let url = app.url(&format!("/mous/{mou}/document"));
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.extend_from_slice(&[0u8; 512]);
    let html = b"<!DOCTYPE html><script>alert(1)</script>".to_vec();
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("application/pdf", exe, 422, "body"),
        ("application/pdf", html.clone(), 422, "body"),
        ("text/html", html, 422, "content_type"),
        ("image/png", PDF.to_vec(), 422, "body"),
        ("application/pdf", Vec::new(), 422, "body"),
        ("application/pdf", big, 413, "body"),
    ];
    for (ct, body, status, field) in cases {
        let (got, err) = upload(&admin, url.clone(), ct, body).await;
        assert_eq!(
            (got, err["field"].as_str()),
            (status, Some(field)),
            "{ct}: {err}"
        );
    }
    assert_eq!(count(&app, UPLOADED_DOCUMENTS).await, 0);
    let view: Value = admin
        .get(app.url(&format!("/mous/{mou}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["has_document"], false);
    let (status, _) = upload(&admin, url.clone(), "application/pdf", PDF.to_vec()).await;
    assert_eq!(status, 201);
    let (status, err) = upload(&admin, url, "application/pdf", PDF.to_vec()).await;
    assert_eq!(
        (status, &err["reason"]["code"]),
        (403, &json!("document_already_attached"))
    );
    assert_eq!(count(&app, UPLOADED_DOCUMENTS).await, 1);
}

#[tokio::test]
async fn s6_every_user_lists_mous_but_only_parties_read_the_signed_document() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, json!([2, 3])).await;
    let (status, _) = upload(
        &admin,
        app.url(&format!("/mous/{mou}/document")),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 201);
    let outreach = app.sign_in("outreach.cw").await;
    let list: Value = outreach
        .get(app.url("/mous"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), m["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("Durham Housing Partners", "active"),
            ("Shelter and Outreach Pilot", "incomplete"),
            ("Shelter and Housing Compact", "incomplete"),
        ]
    );
    assert_eq!(list[2]["has_document"], true);
    assert!(
        list[2].get("document").is_none(),
        "no document content or reference"
    );
    let res = outreach
        .get(app.url(&format!("/mous/{mou}/document")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let shelter = app.sign_in("shelter.cw").await;
    let res = shelter
        .get(app.url(&format!("/mous/{mou}/document")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let res = admin.get(app.url("/mous/99999")).send().await.unwrap();
    assert_eq!(res.status(), 404);
}
