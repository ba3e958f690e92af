//! Client intake (S-1): validation naming the field, the next HMIS number, provenance, possible
//! duplicates (refused with 409 until confirmed) and the audit by HMIS number only.

use crate::support::TestApp;
use serde_json::{json, Value};

fn intake() -> Value {
    json!({
        "first_name": "Ana",
        "middle_name": "Luz",
        "last_name": "Reyes",
        "date_of_birth": "1990-05-01",
        "dob_data_quality": "full",
        "ssn": "123-45-6789",
        "ssn_data_quality": "full",
        "gender": "Woman",
    })
}

async fn create(app: &TestApp, user: &str, body: Value) -> (u16, Value) {
    let c = app.sign_in(user).await;
    let res = c
        .post(app.url("/clients"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

async fn clients(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn s1_any_agency_creates_a_client_with_the_next_hmis_number_and_its_provenance() {
    let app = crate::support::spawn_app().await;
    let (status, created) = create(&app, "outreach.cw", intake()).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created["hmis_number"], "H0001037",
        "after the 36 demo clients"
    );
    assert_eq!(created["possible_duplicates"], json!([]));
    let c = app.sign_in("shelter.cw").await;
    let p: Value = app
        .profile(&c, created["id"].as_i64().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["intake"]["last_name"], "Reyes");
    assert_eq!(p["intake"]["ssn_last4"], "6789");
    assert_eq!(p["intake"]["meta"]["provenance"]["org"], 4);
    assert_eq!(
        p["intake"]["meta"]["provenance"]["created_at"],
        "2026-11-22T10:00:00"
    );
    let (second, next) = create(&app, "shelter.cw", json!({ "first_name": "Bo", "last_name": "Lind", "dob_data_quality": "client_refused", "ssn_data_quality": "data_not_collected" })).await;
    assert_eq!(second, 201, "{next}");
    assert_eq!(next["hmis_number"], "H0001038");
}

#[tokio::test]
async fn s1_the_creation_is_audited_by_hmis_number_only() {
    let app = crate::support::spawn_app().await;
    let (status, _) = create(&app, "outreach.cw", intake()).await;
    assert_eq!(status, 201);
    let rows: Vec<(Option<String>, String, String)> = sqlx::query_as(
        "SELECT hmis_number, action, reason FROM audit_log WHERE action = 'create client'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0.as_deref(), Some("H0001037"));
    for text in [&rows[0].1, &rows[0].2] {
        for secret in ["Ana", "Reyes", "1990", "6789"] {
            assert!(!text.contains(secret), "{text} contains {secret}");
        }
    }
}

#[tokio::test]
async fn s1_intake_validation_errors_name_the_field_and_store_nothing() {
    let app = crate::support::spawn_app().await;
    let cases = [
        ("date_of_birth", json!({ "date_of_birth": "2030-01-01" })),
        ("date_of_birth", json!({ "date_of_birth": "1990-13-45" })),
        ("date_of_birth", json!({ "date_of_birth": null })),
        ("ssn", json!({ "ssn": "12345" })),
        ("ssn", json!({ "ssn": "666-12-3456" })),
        ("ssn", json!({ "ssn_data_quality": "client_refused" })),
        ("last_name", json!({ "last_name": "" })),
        ("last_name", json!({ "last_name": "   " })),
        ("first_name", json!({ "first_name": "x".repeat(101) })),
        ("ssn_data_quality", json!({ "ssn_data_quality": "maybe" })),
    ];
    for (field, change) in cases {
        let mut body = intake();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, err) = create(&app, "housing.cw", body).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (422, Some(field)),
            "{change}"
        );
    }
    assert_eq!(clients(&app).await, 36);
}

#[tokio::test]
async fn s1_a_possible_duplicate_is_refused_until_the_user_confirms_a_new_client() {
    let app = crate::support::spawn_app().await;
    // Demo client 0: Alex Lee Rivera, born 1960-01-01, H0001001.
    let dup = json!({
        "first_name": "ALEX", "last_name": "rivera", "date_of_birth": "1960-01-01",
        "dob_data_quality": "full", "ssn_data_quality": "client_doesnt_know",
    });
    let (status, err) = create(&app, "shelter.cw", dup.clone()).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["field"], "confirm_new");
    assert_eq!(err["possible_duplicates"], json!(["H0001001"]));
    assert!(!err.to_string().contains("Rivera"), "HMIS numbers only");
    assert_eq!(clients(&app).await, 36);
    // A different date of birth is a different person.
    let mut other = dup.clone();
    other["date_of_birth"] = json!("1961-01-01");
    assert_eq!(create(&app, "shelter.cw", other).await.0, 201);
    let mut confirmed = dup;
    confirmed["confirm_new"] = json!(true);
    let (status, created) = create(&app, "shelter.cw", confirmed).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["possible_duplicates"], json!(["H0001001"]));
    assert_eq!(clients(&app).await, 38);
}
