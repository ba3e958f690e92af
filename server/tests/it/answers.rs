//! Answers that say what to do: an unknown id inside a body answers 422 naming the field (P-5:
//! clear errors); a refused Social Security card explains the alternative; the first
//! contact row of a kind is "added", not "corrected".
//!
//! Demo data facts: see the header of `records.rs`.

use crate::records::{attachment, contact, new_service, send, PDF};
use crate::refused;
use crate::support::{spawn_app, TestApp};
use serde_json::{json, Value};
use shared::api::endpoints as ep;
use shared::records::ContactKind;
use shared::records::DocumentType;
use shared::Reason;

/// `user`'s answer to a JSON request.
async fn answer(app: &TestApp, user: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let c = app.sign_in(user).await;
    send(app, &c, method, path, Some(body)).await
}

#[tokio::test]
async fn p5_an_unknown_id_inside_a_body_answers_422_naming_the_field() {
    let app = spawn_app().await;
    let mut service = serde_json::to_value(new_service()).unwrap();
    service["enrollment_id"] = json!(999_999);
    let manager = |program: i64, user: i64| json!({ "program_id": program, "case_manager_id": user, "start_date": "2026-11-01" });
    // A conflict the shelter opened on client 2 (Eno River's), to agree on.
    let shelter = app.sign_in("shelter.cw").await;
    let (_, conflict) = send(
        &app,
        &shelter,
        "POST",
        "/clients/2/conflicts",
        Some(json!({ "field": "legal_first_name", "stated_value": "Jordyn" })),
    )
    .await;
    let conflict = conflict["id"].as_i64().expect("a conflict");
    let cases: Vec<(&str, &str, String, Value, &str)> = vec![
        (
            "shelter.cw",
            "POST",
            "/clients/1/services".into(),
            service,
            "enrollment_id",
        ),
        (
            "shelter.cw",
            "POST",
            "/clients/1/case-managers".into(),
            manager(999, 3),
            "program_id",
        ),
        (
            "shelter.cw",
            "POST",
            "/clients/1/case-managers".into(),
            manager(1, 999),
            "case_manager_id",
        ),
        (
            "shelter.cw",
            "PATCH",
            "/clients/2/intake".into(),
            json!({ "field": "legal_first_name", "value": "Jordyn",
                    "documentation": { "document": "birth_certificate", "attachment_id": 999_999 } }),
            "documentation.attachment_id",
        ),
        (
            "shelter.cw",
            "POST",
            "/clients/1/rois".into(),
            json!({ "organizations": [2, 999], "attested": true }),
            "organizations",
        ),
        (
            "coc.admin",
            "POST",
            "/mous".into(),
            json!({ "name": "Unknown partners", "organizations": [2, 999],
                    "start": "2026-11-01", "end": "2027-10-31" }),
            "organizations",
        ),
        (
            "shelter.cw",
            "POST",
            format!("/conflicts/{conflict}/agree"),
            json!({ "agreed_value": "stated", "updater": 999 }),
            "updater",
        ),
    ];
    let mut wrong = Vec::new();
    for (user, method, path, body, field) in cases {
        let (status, v) = answer(&app, user, method, &path, body).await;
        if status != 422 || v["field"] != field {
            wrong.push(format!(
                "{method} {path}: {status} {v}, want 422 naming {field}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[tokio::test]
async fn r9_a_refused_social_security_card_explains_the_alternative_in_error() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let query = attachment(DocumentType::SocialSecurityCard, "card.pdf");
    let e = refused!(
        app.upload::<ep::UploadAttachment>(&c, &[1], &query, Some("application/pdf"), PDF.to_vec())
            .await,
        403,
        Reason::SocialSecurityCardRefused
    );
    // For API clients as for the app: the text decided once in shared.
    let text = Reason::SocialSecurityCardRefused.describe(&|o| o.to_string());
    assert_eq!(e.error, text);
    assert!(
        text.contains("holds a copy") && text.contains("contact"),
        "{text}"
    );
}

#[tokio::test]
async fn r5_the_first_contact_row_of_a_kind_is_added_not_corrected() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    // Client 2 has no email row yet.
    let first = contact(ContactKind::Email, "alex@example.org", "2026-11-22");
    let (status, v) = send(
        &app,
        &c,
        "POST",
        "/clients/2/contacts",
        Some(serde_json::to_value(&first).unwrap()),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let note = v["correction_note"]
        .as_i64()
        .expect("a note of the addition");
    let (_, n) = send(&app, &c, "GET", &format!("/records/{note}"), None).await;
    let text = n["detail"].as_str().unwrap();
    assert!(
        text.contains("added") && !text.contains("corrected"),
        "{text}"
    );
    // Replacing it is a correction.
    let mut second = contact(ContactKind::Email, "alex.r@example.org", "2026-11-23");
    second.replaces = vec![shared::RecordId(v["row"]["meta"]["id"].as_i64().unwrap())];
    let (_, v) = send(
        &app,
        &c,
        "POST",
        "/clients/2/contacts",
        Some(serde_json::to_value(&second).unwrap()),
    )
    .await;
    let note = v["correction_note"].as_i64().unwrap();
    let (_, n) = send(&app, &c, "GET", &format!("/records/{note}"), None).await;
    assert!(n["detail"].as_str().unwrap().contains("corrected"), "{n}");
}
