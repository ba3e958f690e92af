//! The client records API, rule by rule (R-4..R-6, R-9..R-12, S-5, P-3, P-4) and bad input.
//!
//! Demo data facts (see the header of `clients.rs`): client 1 is Bull City Shelter's (org 2) with
//! an active ROI naming the shelter and Eno River Housing (org 3); client 2 is Eno River's, shared
//! with Triangle Outreach (org 4) by the MOU. Programs 1 and 2 are the shelter's, 3 and 4 Eno
//! River's, 5..7 Triangle's. Users: 1 coc.admin, 2 shelter.admin, 3 shelter.cw, 4 shelter.cw2,
//! 5 housing.admin, 6 housing.cw, 7 housing.cw2, 8 outreach.admin, 9 outreach.cw, 10 outreach.cw2.

use crate::support::{spawn_app, TestApp};
use serde_json::{json, Value};

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
pub const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
];

/// Sends a JSON request; returns the status and the body (Null when empty).
pub async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = c.request(m, app.url(path));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Creates a record as `c`, asserting 201; returns its id.
pub async fn create(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> i64 {
    let (status, v) = send(app, c, "POST", path, Some(body)).await;
    assert_eq!(status, 201, "POST {path}: {v}");
    // A contact change answers with its new row.
    v["meta"]["id"]
        .as_i64()
        .or(v["row"]["meta"]["id"].as_i64())
        .unwrap()
}

pub async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    client: i64,
    query: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let res = c
        .post(app.url(&format!("/clients/{client}/attachments?{query}")))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.pool).await.unwrap();
    n
}

pub fn enrollment() -> Value {
    json!({ "program_id": 1, "case_name": "Rivera household", "entry_date": "2026-11-01",
            "head_of_household": true })
}

pub fn service(note_security: Option<&str>) -> Value {
    let mut v = json!({ "service_kind": "Transaction", "date": "2026-11-20",
        "description": "Shelter night", "case_management_minutes": 30,
        "case_management_note": "Talked about housing options" });
    if let Some(s) = note_security {
        v["note_security"] = json!(s);
    }
    v
}

/// Files uploaded by the test: all but the demo data's attachment scans (one per demo client).
fn files_in(app: &TestApp) -> usize {
    std::fs::read_dir(app.files_dir())
        .map(|d| d.count())
        .unwrap_or(0)
        - server::db::demo::DEMO_CLIENTS
}

/// Attachments uploaded by the test: all but the demo data's (one per demo client).
const UPLOADED_ATTACHMENTS: &str = "SELECT COUNT(*) - 36 FROM attachments";

#[test]
fn the_demo_has_one_attachment_per_client() {
    assert_eq!(
        server::db::demo::DEMO_CLIENTS,
        36,
        "keep UPLOADED_ATTACHMENTS in step"
    );
}

#[tokio::test]
async fn r6_enrollments_are_changed_and_exited_only_by_the_owning_agency() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = create(&app, &shelter, "/clients/1/enrollments", enrollment()).await;
    let housing = app.sign_in("housing.admin").await;
    let body = json!({ "case_name": "Changed" });
    let (status, v) = send(
        &app,
        &housing,
        "PATCH",
        &format!("/records/{id}"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(v["reason"]["code"], "only_owning_agency");
    let end = json!({ "end_date": "2026-11-21" });
    let (status, _) = send(
        &app,
        &housing,
        "POST",
        &format!("/records/{id}/end"),
        Some(end.clone()),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = send(&app, &housing, "DELETE", &format!("/records/{id}"), None).await;
    assert_eq!(status, 403);
    // Another user of the owning agency may.
    let colleague = app.sign_in("shelter.cw2").await;
    let (status, v) = send(
        &app,
        &colleague,
        "PATCH",
        &format!("/records/{id}"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["details"]["case_name"], "Changed");
    let (status, v) = send(
        &app,
        &colleague,
        "POST",
        &format!("/records/{id}/end"),
        Some(end),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["details"]["exit_date"], "2026-11-21");
    assert!(v["detail"].as_str().unwrap().contains("exit 2026-11-21"));
    // Nobody enrolls a client in another agency's program.
    let (status, v) = send(
        &app,
        &housing,
        "POST",
        "/clients/1/enrollments",
        Some(enrollment()),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(v["reason"]["code"], "not_your_agency");
    // An exit before the entry is bad input naming the field.
    let bad = json!({ "end_date": "2026-10-01" });
    let (status, v) = send(
        &app,
        &colleague,
        "POST",
        &format!("/records/{id}/end"),
        Some(bad),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("exit_date")));
}

#[tokio::test]
async fn r9_a_social_security_card_is_refused_for_everyone_and_nothing_is_stored() {
    let app = spawn_app().await;
    for user in ["shelter.cw", "shelter.admin", "coc.admin"] {
        let c = app.sign_in(user).await;
        let (status, v) = upload(
            &app,
            &c,
            1,
            "document_type=SocialSecurityCard&file_name=card.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(status, 403, "{user}");
        assert_eq!(v["reason"]["code"], "social_security_card_refused");
    }
    assert_eq!(count(&app, UPLOADED_ATTACHMENTS).await, 0);
    assert_eq!(files_in(&app), 0);
    // The refusal explains the alternative.
    let text = shared::Reason::SocialSecurityCardRefused.describe(&|o| o.to_string());
    assert!(text.contains("holds a copy"), "{text}");
}

#[tokio::test]
async fn r9_only_the_uploader_modifies_or_deletes_an_attachment() {
    let app = spawn_app().await;
    let uploader = app.sign_in("shelter.cw").await;
    let (status, v) = upload(
        &app,
        &uploader,
        1,
        "document_type=BirthCertificate&file_name=bc.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["details"]["security"], "SharedWithAll", "R-9 default");
    let id = v["meta"]["id"].as_i64().unwrap();
    // Everyone may read (shared with all) and download it.
    let outreach = app.sign_in("outreach.cw").await;
    let res = outreach
        .get(app.url(&format!("/records/{id}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    for user in ["shelter.cw2", "shelter.admin", "coc.admin", "outreach.cw"] {
        let c = app.sign_in(user).await;
        let (status, v) = send(&app, &c, "DELETE", &format!("/records/{id}"), None).await;
        assert_eq!(status, 403, "{user}");
        assert_eq!(v["reason"]["code"], "only_uploader");
        let patch = json!({ "file_name": "renamed.pdf" });
        let (status, _) = send(&app, &c, "PATCH", &format!("/records/{id}"), Some(patch)).await;
        assert_eq!(status, 403, "{user}");
    }
    let patch = json!({ "file_name": "renamed.pdf" });
    let (status, v) = send(
        &app,
        &uploader,
        "PATCH",
        &format!("/records/{id}"),
        Some(patch),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["details"]["file_name"], "renamed.pdf");
    let (status, _) = send(&app, &uploader, "DELETE", &format!("/records/{id}"), None).await;
    assert_eq!(status, 204);
    // P-3: the row and the file are kept.
    assert_eq!(count(&app, UPLOADED_ATTACHMENTS).await, 1);
    assert_eq!(files_in(&app), 1);
}

#[tokio::test]
async fn r9_sniffing_refuses_an_html_file_labelled_as_pdf_and_stores_nothing() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(
        &app,
        "SELECT COUNT(*) FROM records WHERE kind = 'Attachment' AND author_id = 3",
    )
    .await;
    let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec();
    let (status, v) = upload(
        &app,
        &c,
        1,
        "document_type=PhotoId&file_name=id.pdf",
        "application/pdf",
        html,
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["field"], "file");
    // A PNG declared as a PDF is refused too: the declared type must match the content.
    let (status, v) = upload(
        &app,
        &c,
        1,
        "document_type=PhotoId&file_name=id.pdf",
        "application/pdf",
        PNG.to_vec(),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("content_type")));
    assert_eq!(count(&app, UPLOADED_ATTACHMENTS).await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind = 'Attachment' AND author_id = 3"
        )
        .await,
        before,
        "no attachment record was added for the uploader"
    );
    assert_eq!(files_in(&app), 0);
}

#[tokio::test]
async fn r9_an_oversize_upload_is_refused_with_nothing_stored() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM records").await;
    let mut big = PDF.to_vec();
    big.resize(server::config::DEFAULT_MAX_UPLOAD_BYTES + 1, b' ');
    let (status, v) = upload(
        &app,
        &c,
        1,
        "document_type=PhotoId&file_name=big.pdf",
        "application/pdf",
        big,
    )
    .await;
    assert_eq!(status, 413, "{v}");
    assert_eq!(v["field"], "file");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, before);
    assert_eq!(files_in(&app), 0);
    // Exactly the limit is accepted (the global 1 MiB body limit does not apply to uploads).
    let mut max = PDF.to_vec();
    max.resize(server::config::DEFAULT_MAX_UPLOAD_BYTES, b' ');
    let (status, _) = upload(
        &app,
        &c,
        1,
        "document_type=PhotoId&file_name=max.pdf",
        "application/pdf",
        max,
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn r9_r11_only_the_service_owner_attaches_documents_to_a_service() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let sid = create(&app, &shelter, "/clients/1/services", service(None)).await;
    let housing = app.sign_in("housing.cw").await;
    let q = format!("document_type=ServiceAgreement&file_name=a.pdf&service_id={sid}");
    let (status, v) = upload(&app, &housing, 1, &q, "application/pdf", PDF.to_vec()).await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(v["reason"]["code"], "only_owning_agency");
    let (status, v) = upload(&app, &shelter, 1, &q, "application/pdf", PDF.to_vec()).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["details"]["service_id"], sid);
}

#[tokio::test]
async fn r10_case_managers_are_changed_only_by_the_assigning_agency() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let body = json!({ "program_id": 1, "case_manager_id": 3, "start_date": "2026-11-01" });
    let id = create(&app, &shelter, "/clients/1/case-managers", body).await;
    // A case manager of another agency is bad input.
    let wrong = json!({ "program_id": 1, "case_manager_id": 6, "start_date": "2026-11-01" });
    let (status, v) = send(
        &app,
        &shelter,
        "POST",
        "/clients/1/case-managers",
        Some(wrong),
    )
    .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (422, Some("case_manager_id"))
    );
    let patch = json!({ "case_manager_id": 4 });
    let end = json!({ "end_date": "2026-11-22" });
    for user in ["housing.admin", "outreach.cw", "coc.admin"] {
        let c = app.sign_in(user).await;
        let (status, v) = send(
            &app,
            &c,
            "PATCH",
            &format!("/records/{id}"),
            Some(patch.clone()),
        )
        .await;
        assert_eq!(status, 403, "{user}");
        assert_eq!(v["reason"]["code"], "only_owning_agency");
        let (status, _) = send(
            &app,
            &c,
            "POST",
            &format!("/records/{id}/end"),
            Some(end.clone()),
        )
        .await;
        assert_eq!(status, 403, "{user}");
        let (status, _) = send(&app, &c, "DELETE", &format!("/records/{id}"), None).await;
        assert_eq!(status, 403, "{user}");
    }
    let colleague = app.sign_in("shelter.cw2").await;
    let (status, v) = send(
        &app,
        &colleague,
        "PATCH",
        &format!("/records/{id}"),
        Some(patch),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["details"]["case_manager_id"], 4);
    assert!(v["detail"].as_str().unwrap().contains("Tom Becker"), "{v}");
    let (status, v) = send(
        &app,
        &colleague,
        "POST",
        &format!("/records/{id}/end"),
        Some(end),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["details"]["end_date"], "2026-11-22");
}

#[tokio::test]
async fn r11_services_have_no_delete_for_anyone() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = create(&app, &shelter, "/clients/1/services", service(None)).await;
    // The owner, its AgencyAdmin and a SystemAdmin: refused, and the rule says why.
    for user in ["shelter.cw", "shelter.admin", "coc.admin"] {
        let c = app.sign_in(user).await;
        let (status, v) = send(&app, &c, "DELETE", &format!("/records/{id}"), None).await;
        assert_eq!(status, 403, "{user}");
        assert_eq!(v["reason"]["code"], "services_are_never_deleted");
    }
    // A demo service (a registry row without details) too.
    let (demo,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM records WHERE kind = 'Service' AND client_id = 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let (status, _) = send(&app, &shelter, "DELETE", &format!("/records/{demo}"), None).await;
    assert_eq!(status, 403);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind = 'Service' AND deleted = 1"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn r11_the_database_refuses_to_delete_or_tombstone_a_service() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = create(&app, &shelter, "/clients/1/services", service(None)).await;
    let attempts = [
        format!("DELETE FROM services WHERE record_id = {id}"),
        format!("DELETE FROM records WHERE id = {id}"),
        "DELETE FROM records WHERE kind = 'Service'".to_owned(),
        format!("UPDATE records SET deleted = 1 WHERE id = {id}"),
        "UPDATE records SET deleted = 1 WHERE kind = 'Service'".to_owned(),
        format!("UPDATE records SET kind = 'ProfileNote' WHERE id = {id}"),
    ];
    for sql in &attempts {
        let res = sqlx::query(sql).execute(&app.pool).await;
        assert!(res.is_err(), "the database accepted: {sql}");
    }
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM services WHERE record_id = {id}")
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind = 'Service' AND deleted = 0"
        )
        .await,
        37,
        "36 demo services and the new one"
    );
    // Other records may still be tombstoned by the application.
    let ok =
        sqlx::query("UPDATE records SET deleted = 1 WHERE kind = 'ProfileNote' AND client_id = 1")
            .execute(&app.pool)
            .await;
    assert!(ok.is_ok());
}

#[tokio::test]
async fn r11_the_case_management_note_follows_its_own_setting() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = create(&app, &shelter, "/clients/1/services", service(None)).await;
    // Eno River reads the service (tier 2) but not the restricted note.
    let housing = app.sign_in("housing.cw").await;
    let (status, v) = send(&app, &housing, "GET", &format!("/records/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(v["details"]["case_management_note"], Value::Null);
    assert_eq!(v["details"]["note_hidden"], true);
    assert!(!v.to_string().contains("housing options"));
    // Lowering the note to ROI/MOU needs the shelter's AgencyAdmin; then the ROI shares it.
    let body = json!({ "security": "ShareWithRoiMou" });
    let (status, v) = send(
        &app,
        &shelter,
        "PUT",
        &format!("/records/{id}/security"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(v["reason"]["code"], "needs_agency_admin");
    let admin = app.sign_in("shelter.admin").await;
    let (status, _) = send(
        &app,
        &admin,
        "PUT",
        &format!("/records/{id}/security"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200);
    let (_, v) = send(&app, &housing, "GET", &format!("/records/{id}"), None).await;
    assert_eq!(
        v["details"]["case_management_note"],
        "Talked about housing options"
    );
}

#[tokio::test]
async fn r12_notes_are_edited_and_deleted_only_by_their_author() {
    let app = spawn_app().await;
    let author = app.sign_in("shelter.cw").await;
    let id = create(
        &app,
        &author,
        "/clients/1/notes",
        json!({ "text": "Prefers mornings." }),
    )
    .await;
    let edit = json!({ "text": "Edited by someone else" });
    for user in ["shelter.cw2", "shelter.admin", "coc.admin", "housing.admin"] {
        let c = app.sign_in(user).await;
        let (status, v) = send(
            &app,
            &c,
            "PATCH",
            &format!("/records/{id}"),
            Some(edit.clone()),
        )
        .await;
        assert_eq!(status, 403, "{user}");
        assert_eq!(v["reason"]["code"], "only_author");
        let (status, _) = send(&app, &c, "DELETE", &format!("/records/{id}"), None).await;
        assert_eq!(status, 403, "{user}");
    }
    let (status, v) = send(
        &app,
        &author,
        "PATCH",
        &format!("/records/{id}"),
        Some(json!({ "text": "Prefers afternoons." })),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["detail"], "Prefers afternoons.");
    assert_eq!(v["details"]["text"], "Prefers afternoons.");
    let (status, _) = send(&app, &author, "DELETE", &format!("/records/{id}"), None).await;
    assert_eq!(status, 204);
}

async fn phone_rows(app: &TestApp, c: &reqwest::Client, client: i64) -> Vec<Value> {
    let (status, v) = send(app, c, "GET", &format!("/clients/{client}/contacts"), None).await;
    assert_eq!(status, 200);
    v["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["details"]["contact_kind"] == "Phone")
        .cloned()
        .collect()
}

#[tokio::test]
async fn r4_contact_rows_change_only_at_the_clients_direction_by_a_new_row() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let first = json!({ "contact_kind": "Phone", "value": "(919) 555-0101",
        "start_date": "2026-10-01", "client_directed": true, "decline_note": true });
    let old = create(&app, &shelter, "/clients/1/contacts", first).await;
    let before = count(&app, "SELECT COUNT(*) FROM records").await;
    // Without the client's direction: refused, nothing stored.
    let housing = app.sign_in("housing.cw").await;
    let change = json!({ "contact_kind": "Phone", "value": "(919) 555-0202",
        "start_date": "2026-11-22", "replaces": [old], "client_directed": false });
    let (status, v) = send(
        &app,
        &housing,
        "POST",
        "/clients/1/contacts",
        Some(change.clone()),
    )
    .await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(v["reason"]["code"], "needs_client_direction");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, before);
    // In place: never, even for the agency that entered it.
    let (status, v) = send(
        &app,
        &shelter,
        "PATCH",
        &format!("/records/{old}"),
        Some(json!({ "value": "x" })),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(v["reason"]["code"], "contact_data_is_end_dated");
    let (status, v) = send(&app, &shelter, "DELETE", &format!("/records/{old}"), None).await;
    assert_eq!(
        (status, v["reason"]["code"].as_str()),
        (403, Some("contact_data_is_end_dated"))
    );
    // At the client's direction (another agency, tier 1): a new row, the old one end-dated the
    // day before, and the correction note since it was not declined.
    let mut directed = change.clone();
    directed["client_directed"] = json!(true);
    let (status, v) = send(
        &app,
        &housing,
        "POST",
        "/clients/1/contacts",
        Some(directed),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["end_dated"], json!([old]));
    assert_eq!(
        v["may_notify"],
        json!([2]),
        "the shelter entered the old row"
    );
    let note = v["correction_note"].as_i64().expect("a correction note");
    let rows = phone_rows(&app, &shelter, 1).await;
    let old_row = rows.iter().find(|r| r["meta"]["id"] == old).unwrap();
    assert_eq!(
        old_row["details"]["value"], "(919) 555-0101",
        "not overwritten"
    );
    assert_eq!(old_row["details"]["end_date"], "2026-11-21");
    let (status, n) = send(&app, &shelter, "GET", &format!("/records/{note}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(n["meta"]["kind"], "ProfileNote");
    assert_eq!(n["meta"]["provenance"]["org"], 3);
    assert!(n["detail"].as_str().unwrap().contains("corrected"), "{n}");
}

#[tokio::test]
async fn r5_the_correction_note_is_skipped_only_when_declined() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    let notes = "SELECT COUNT(*) FROM records WHERE kind = 'ProfileNote'";
    let before = count(&app, notes).await;
    let body = json!({ "contact_kind": "Email", "value": "alex@example.org",
        "start_date": "2026-11-22", "client_directed": true, "decline_note": true });
    let (status, v) = send(&app, &c, "POST", "/clients/2/contacts", Some(body)).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["correction_note"], Value::Null);
    assert_eq!(count(&app, notes).await, before);
    let body = json!({ "contact_kind": "Email", "value": "alex.r@example.org",
        "start_date": "2026-11-23", "client_directed": true,
        "replaces": [v["row"]["meta"]["id"]] });
    let (status, v) = send(&app, &c, "POST", "/clients/2/contacts", Some(body)).await;
    assert_eq!(status, 201, "{v}");
    assert!(v["correction_note"].is_i64());
    assert_eq!(count(&app, notes).await, before + 1);
    // A bad value names the field; nothing stored.
    let body = json!({ "contact_kind": "Email", "value": "not an email",
        "start_date": "2026-11-23", "client_directed": true });
    let (status, v) = send(&app, &c, "POST", "/clients/2/contacts", Some(body)).await;
    assert_eq!((status, v["field"].as_str()), (422, Some("value")));
    assert_eq!(count(&app, notes).await, before + 1);
}

#[tokio::test]
async fn r5_only_the_entering_agencys_admin_end_dates_without_the_clients_direction() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let body = json!({ "contact_kind": "Address", "value": "12 Main St, Durham",
        "start_date": "2026-09-01", "client_directed": true, "decline_note": true });
    let id = create(&app, &shelter, "/clients/1/contacts", body).await;
    let end = json!({ "end_date": "2026-11-22" });
    for user in ["shelter.cw", "housing.admin", "outreach.admin", "coc.admin"] {
        let c = app.sign_in(user).await;
        let (status, v) = send(
            &app,
            &c,
            "POST",
            &format!("/records/{id}/end"),
            Some(end.clone()),
        )
        .await;
        assert_eq!(status, 403, "{user}");
        assert_eq!(v["reason"]["code"], "needs_client_direction");
    }
    let admin = app.sign_in("shelter.admin").await;
    let (status, v) = send(
        &app,
        &admin,
        "POST",
        &format!("/records/{id}/end"),
        Some(end),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["details"]["end_date"], "2026-11-22");
    // With the client's direction, any agency may.
    let other = json!({ "contact_kind": "Address", "value": "3 Elm St, Durham",
        "start_date": "2026-09-01", "client_directed": true, "decline_note": true });
    let id2 = create(&app, &shelter, "/clients/1/contacts", other).await;
    let outreach = app.sign_in("outreach.cw").await;
    let end = json!({ "end_date": "2026-11-22", "client_directed": true });
    let (status, _) = send(
        &app,
        &outreach,
        "POST",
        &format!("/records/{id2}/end"),
        Some(end),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn s1_demographics_and_photo_are_editable_by_every_agency() {
    let app = spawn_app().await;
    let outreach = app.sign_in("outreach.cw").await;
    // Client 1 has a demo demographics row (no details yet): the first PUT fills it in.
    let body = json!({ "race": "Black or African American", "ethnicity": "Non-Hispanic" });
    let (status, v) = send(
        &app,
        &outreach,
        "PUT",
        "/clients/1/demographics",
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["details"]["race"], "Black or African American");
    assert_eq!(
        v["meta"]["provenance"]["org"], 2,
        "provenance stays with the entering agency"
    );
    let housing = app.sign_in("housing.cw").await;
    let (status, v) = send(
        &app,
        &housing,
        "PUT",
        "/clients/1/demographics",
        Some(json!({ "citizenship_status": "US citizen" })),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["details"]["race"], Value::Null);
    let (status, v) = send(
        &app,
        &housing,
        "PUT",
        "/clients/1/demographics",
        Some(json!({ "race": 7 })),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("race")));
    // Photo: JPEG/PNG only, by content.
    let res = outreach
        .put(app.url("/clients/1/photo"))
        .header("content-type", "image/png")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = housing
        .put(app.url("/clients/1/photo"))
        .body(PDF.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "a PDF is not a photo");
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'].to_vec();
    let res = housing
        .put(app.url("/clients/1/photo"))
        .body(jpeg.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "replaced by another agency");
    let res = app
        .sign_in("shelter.cw")
        .await
        .get(app.url("/clients/1/photo"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.bytes().await.unwrap().as_ref(), jpeg.as_slice());
    // P-3: the replaced photo's row is in history, its file still on disk.
    let hist = count(&app, "SELECT COUNT(*) FROM record_history WHERE action = 'update' AND old_value LIKE '%image/png%'").await;
    assert_eq!(hist, 1);
    assert_eq!(files_in(&app), 2);
}

#[tokio::test]
async fn s5_lowering_a_restricted_form_needs_an_agency_admin_of_the_owner() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    let form = json!({ "form_type": "Health", "answers": { "q1": "a1" } });
    let (status, v) = send(&app, &cw, "POST", "/clients/1/forms", Some(form)).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(
        v["details"]["security"], "RestrictToOrganization",
        "S-5 default"
    );
    let id = v["meta"]["id"].as_i64().unwrap();
    let lower = json!({ "security": "ShareWithRoiMou" });
    let (status, v) = send(
        &app,
        &cw,
        "PUT",
        &format!("/records/{id}/security"),
        Some(lower.clone()),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(v["reason"]["code"], "needs_agency_admin");
    // Another agency's admin may not even see it.
    let other = app.sign_in("housing.admin").await;
    let (status, _) = send(
        &app,
        &other,
        "PUT",
        &format!("/records/{id}/security"),
        Some(lower.clone()),
    )
    .await;
    assert_eq!(status, 404);
    let admin = app.sign_in("shelter.admin").await;
    let (status, v) = send(
        &app,
        &admin,
        "PUT",
        &format!("/records/{id}/security"),
        Some(lower),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["meta"]["security"], "ShareWithRoiMou");
    // Now shared with Eno River through the client's ROI.
    let (status, _) = send(&app, &other, "GET", &format!("/records/{id}"), None).await;
    assert_eq!(status, 200);
    // Raising back is the owner's, no admin needed; SharedWithAll is never a form's.
    let raise = json!({ "security": "RestrictToOrganization" });
    let (status, _) = send(
        &app,
        &cw,
        "PUT",
        &format!("/records/{id}/security"),
        Some(raise),
    )
    .await;
    assert_eq!(status, 200);
    let all = json!({ "security": "SharedWithAll" });
    let (status, v) = send(
        &app,
        &admin,
        "PUT",
        &format!("/records/{id}/security"),
        Some(all),
    )
    .await;
    assert_eq!(
        (status, v["reason"]["code"].as_str()),
        (403, Some("setting_not_allowed"))
    );
    // Creating below the default: the same rule.
    let low = json!({ "form_type": "Legal", "answers": {}, "security": "ShareWithRoiMou" });
    let (status, _) = send(&app, &cw, "POST", "/clients/1/forms", Some(low.clone())).await;
    assert_eq!(status, 403);
    let (status, _) = send(&app, &admin, "POST", "/clients/1/forms", Some(low)).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn p3_history_keeps_the_old_value_and_tombstones_are_for_system_admins() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    let id = create(
        &app,
        &cw,
        "/clients/1/notes",
        json!({ "text": "First wording." }),
    )
    .await;
    let (status, _) = send(
        &app,
        &cw,
        "PATCH",
        &format!("/records/{id}"),
        Some(json!({ "text": "Second wording." })),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(&app, &cw, "DELETE", &format!("/records/{id}"), None).await;
    assert_eq!(status, 204);
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT action, old_value, changed_by FROM record_history WHERE record_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(actions, ["create", "update", "delete"]);
    assert!(rows[1].1.contains("First wording."), "{}", rows[1].1);
    assert!(rows[2].1.contains("Second wording."), "{}", rows[2].1);
    assert!(rows.iter().all(|r| r.2 == 3), "changed by shelter.cw");
    assert!(sqlx::query("UPDATE record_history SET action = 'x'")
        .execute(&app.pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM record_history")
        .execute(&app.pool)
        .await
        .is_err());
    // The tombstone: hidden from caseworkers (not even counted), kept for SystemAdmins.
    let (status, _) = send(&app, &cw, "GET", &format!("/records/{id}"), None).await;
    assert_eq!(status, 404);
    let (_, list) = send(&app, &cw, "GET", "/clients/1/notes", None).await;
    assert!(!list["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["meta"]["id"] == id));
    assert_eq!(list["hidden_count"], 0);
    let admin = app.sign_in("coc.admin").await;
    let (status, v) = send(&app, &admin, "GET", &format!("/records/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(v["meta"]["deleted"], true);
    let (_, list) = send(&app, &admin, "GET", "/clients/1/notes", None).await;
    assert!(list["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["meta"]["id"] == id));
    // A tombstone is not deleted or edited again, even by a SystemAdmin.
    let (status, v) = send(&app, &admin, "DELETE", &format!("/records/{id}"), None).await;
    assert_eq!(
        (status, v["reason"]["code"].as_str()),
        (403, Some("deleted"))
    );
}

#[tokio::test]
async fn p4_record_reads_and_writes_are_audited_by_hmis_number_only() {
    let app = spawn_app().await;
    let cw = app.sign_in("housing.cw").await;
    let (status, _) = send(&app, &cw, "GET", "/clients/1/forms", None).await;
    assert_eq!(status, 200);
    let id = create(
        &app,
        &cw,
        "/clients/1/notes",
        json!({ "text": "Called Alex Rivera." }),
    )
    .await;
    let (status, _) = send(&app, &cw, "DELETE", &format!("/records/{id}"), None).await;
    assert_eq!(status, 204);
    let shelter = app.sign_in("shelter.cw").await;
    let (status, _) = send(&app, &shelter, "DELETE", &format!("/records/{id}"), None).await;
    assert_eq!(status, 404, "a tombstone is not found by a caseworker");
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT action, reason, hmis_number FROM audit_log
         WHERE user_id = 6 AND action <> 'sign in' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert!(actions.contains(&"list Form records"), "{actions:?}");
    assert!(
        actions.contains(&format!("create Profile note record #{id}").as_str()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&format!("delete Profile note record #{id}").as_str()),
        "{actions:?}"
    );
    let list = rows.iter().find(|r| r.0 == "list Form records").unwrap();
    // The reason by its stable audit text (`shared::stored`): code, then its data.
    assert!(
        list.1.starts_with("1 shown, 2 withheld; SharedByRoi roi=") && list.1.contains(" until="),
        "Housing shared by ROI, two restricted: {}",
        list.1
    );
    assert!(rows.iter().all(|r| r.2.as_deref() == Some("H0001001")));
    let all: Vec<(String, String)> = sqlx::query_as("SELECT action, reason FROM audit_log")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for (a, r) in all {
        assert!(
            !a.contains("Alex") && !r.contains("Alex") && !r.contains("Rivera"),
            "{a} {r}"
        );
    }
}

#[tokio::test]
async fn bad_input_is_a_422_naming_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM records").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/clients/1/notes", json!({}), "text"),
        ("/clients/1/notes", json!({ "text": 5 }), "text"),
        ("/clients/1/notes", json!({ "text": "   " }), "text"),
        (
            "/clients/1/notes",
            json!({ "text": "a", "colour": "red" }),
            "colour",
        ),
        (
            "/clients/1/enrollments",
            json!({ "program_id": 1, "case_name": "x", "entry_date": 5 }),
            "entry_date",
        ),
        (
            "/clients/1/enrollments",
            json!({ "program_id": 1, "case_name": "x", "entry_date": "2026-13-01" }),
            "entry_date",
        ),
        (
            "/clients/1/enrollments",
            json!({ "program_id": 999, "case_name": "x", "entry_date": "2026-11-01" }),
            "program_id",
        ),
        (
            "/clients/1/enrollments",
            json!({ "program_id": 1, "case_name": "x", "entry_date": "2026-11-01", "move_in_date": "2026-11-02" }),
            "move_in_date",
        ),
        (
            "/clients/1/services",
            json!({ "service_kind": "Meal", "date": "2026-11-01", "description": "x" }),
            "service_kind",
        ),
        (
            "/clients/1/services",
            json!({ "service_kind": "Need", "date": "2026-11-01", "description": "" }),
            "description",
        ),
        (
            "/clients/1/services",
            json!({ "service_kind": "Need", "date": "2026-11-01", "description": "x", "case_management_minutes": -5 }),
            "case_management_minutes",
        ),
        (
            "/clients/1/forms",
            json!({ "form_type": "Health", "answers": [1] }),
            "answers",
        ),
        (
            "/clients/1/case-managers",
            json!({ "program_id": 1, "case_manager_id": 3, "start_date": "2026-11-01", "end_date": "2026-10-01" }),
            "end_date",
        ),
        (
            "/clients/1/contacts",
            json!({ "contact_kind": "Phone", "value": "12", "start_date": "2026-11-01", "client_directed": true }),
            "value",
        ),
        (
            "/clients/1/contacts",
            json!({ "contact_kind": "Phone", "value": "(919) 555-0000", "start_date": "2026-11-01" }),
            "client_directed",
        ),
    ];
    for (path, body, field) in cases {
        let (status, v) = send(&app, &c, "POST", path, Some(body.clone())).await;
        assert_eq!(status, 422, "{path} {body}: {v}");
        assert_eq!(v["field"], field, "{path} {body}: {v}");
    }
    // Malformed JSON.
    let res = c
        .post(app.url("/clients/1/notes"))
        .header("content-type", "application/json")
        .body("{\"text\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["field"], "body");
    // Unknown ids: 404.
    let (status, _) = send(
        &app,
        &c,
        "POST",
        "/clients/99999/notes",
        Some(json!({ "text": "x" })),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = send(&app, &c, "GET", "/records/99999", None).await;
    assert_eq!(status, 404);
    let (status, _) = send(
        &app,
        &c,
        "PATCH",
        "/records/99999",
        Some(json!({ "text": "x" })),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = send(&app, &c, "GET", "/clients/99999/forms", None).await;
    assert_eq!(status, 404);
    // Upload query problems name the parameter.
    let (status, v) = upload(
        &app,
        &c,
        1,
        "file_name=a.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("document_type")));
    let (status, v) = upload(
        &app,
        &c,
        1,
        "document_type=Passport&file_name=a.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("document_type")));
    let (status, v) = upload(
        &app,
        &c,
        1,
        "document_type=PhotoId&file_name=../a.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("file_name")));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, before);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM record_history").await, 0);
}

#[tokio::test]
async fn idor_record_ids_of_another_client_are_not_found() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let enrollment_1 = create(&app, &c, "/clients/1/enrollments", enrollment()).await;
    let service_1 = create(&app, &c, "/clients/1/services", service(None)).await;
    let contact = json!({ "contact_kind": "Phone", "value": "(919) 555-0101",
        "start_date": "2026-10-01", "client_directed": true, "decline_note": true });
    let contact_1 = create(&app, &c, "/clients/1/contacts", contact).await;
    let before = count(&app, "SELECT COUNT(*) FROM records").await;
    // Client 4 is the shelter's too: the ids are readable, but not this client's.
    let mut s = service(None);
    s["enrollment_id"] = json!(enrollment_1);
    let (status, _) = send(&app, &c, "POST", "/clients/4/services", Some(s)).await;
    assert_eq!(status, 404);
    let q = format!("document_type=ServiceAgreement&file_name=a.pdf&service_id={service_1}");
    let (status, _) = upload(&app, &c, 4, &q, "application/pdf", PDF.to_vec()).await;
    assert_eq!(status, 404);
    let change = json!({ "contact_kind": "Phone", "value": "(919) 555-0202",
        "start_date": "2026-11-22", "replaces": [contact_1], "client_directed": true });
    let (status, _) = send(&app, &c, "POST", "/clients/4/contacts", Some(change)).await;
    assert_eq!(status, 404);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, before);
    assert_eq!(files_in(&app), 0);
}

#[tokio::test]
async fn r9_r10_the_head_of_household_checklist_shows_documents_on_file_and_missing_case_managers()
{
    let app = spawn_app().await;
    // Demo client 1 (id 2): head of household at Eno River's RRH with a case manager there, and
    // enrolled at Triangle Street Outreach (org 4, program 5) without one; a birth certificate.
    let c = app.sign_in("shelter.cw").await;
    let (status, v) = send(&app, &c, "GET", "/clients/2/checklist", None).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["head_of_household"], true);
    let on_file = |v: &Value, doc: &str| {
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["document"] == doc)
            .unwrap_or_else(|| panic!("{doc} in {v}"))["on_file"]
            .as_bool()
            .unwrap()
    };
    assert!(on_file(&v, "BirthCertificate"));
    assert!(!on_file(&v, "ThirdPartyHomelessnessVerification"));
    assert!(!on_file(&v, "DisabilityVerification"));
    let disability = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["document"] == "DisabilityVerification")
        .unwrap();
    assert!(disability["reminder"].as_str().unwrap().contains("diagnos"));
    assert_eq!(
        v["missing_case_managers"],
        json!([{ "org": 4, "program_id": 5, "program_name": "Triangle Street Outreach" }])
    );

    // Eno River uploads the disability verification: now on file for every reader.
    let housing = app.sign_in("housing.cw").await;
    let (status, up) = upload(
        &app,
        &housing,
        2,
        "document_type=DisabilityVerification&file_name=verification.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{up}");
    let (_, v) = send(&app, &c, "GET", "/clients/2/checklist", None).await;
    assert!(on_file(&v, "DisabilityVerification"));

    // An unknown client is 404.
    let (status, _) = send(&app, &c, "GET", "/clients/99999/checklist", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn r5_the_originating_agencys_admins_are_notified_when_the_user_asks() {
    let app = spawn_app().await;
    // Demo client 1 (id 2, H0001002): its phone row was entered by Eno River Housing (org 3).
    let shelter = app.sign_in("shelter.cw").await;
    let (_, list) = send(&app, &shelter, "GET", "/clients/2/contacts", None).await;
    let phone = list["records"][0]["meta"]["id"].clone();
    let change = |value: &str, notify: bool| {
        json!({ "contact_kind": "Phone", "value": value, "start_date": "2026-11-22",
                "client_directed": true, "replaces": [phone.clone()], "notify_owners": notify })
    };
    let inbox = |user: &'static str| {
        let app = &app;
        async move {
            let c = app.sign_in(user).await;
            let (status, v) = send(app, &c, "GET", "/notifications", None).await;
            assert_eq!(status, 200, "{v}");
            v["items"].as_array().unwrap().clone()
        }
    };
    let (status, v) = send(
        &app,
        &shelter,
        "POST",
        "/clients/2/contacts",
        Some(change("(919) 555-0177", true)),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["may_notify"], json!([3]));
    assert_eq!(v["notified"], json!([3]));
    let items = inbox("housing.admin").await;
    assert_eq!(items.len(), 1, "{items:?}");
    let text = format!("{} {}", items[0]["subject"], items[0]["body"]);
    assert!(text.contains("H0001002"), "{text}");
    for secret in ["Jordan", "Brooks", "1967"] {
        assert!(!text.contains(secret), "R-13: {text}");
    }
    assert!(inbox("housing.cw").await.is_empty(), "AgencyAdmins only");
    assert!(inbox("outreach.admin").await.is_empty());
}
