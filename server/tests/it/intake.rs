//! Client intake (S-1): validation naming the field, the next HMIS number, provenance, possible
//! duplicates (refused with 409 until confirmed) and the audit by HMIS number only.

use crate::support::{path, Answer, TestApp};
use serde_json::{json, Value};
use shared::api::endpoints as ep;
use shared::api::intake::{NewClientRequest, NewClientResponse, PossibleDuplicates};
use shared::intake::DataQuality;
use shared::OrgId;

fn intake() -> NewClientRequest {
    NewClientRequest {
        first_name: "Ana".into(),
        middle_name: Some("Luz".into()),
        last_name: "Reyes".into(),
        date_of_birth: Some("1990-05-01".into()),
        dob_data_quality: DataQuality::Full,
        ssn: Some("123-45-6789".into()),
        ssn_data_quality: DataQuality::Full,
        gender: Some("Woman".into()),
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        marital_status: None,
        confirm_new: false,
    }
}

async fn create(app: &TestApp, user: &str, body: &NewClientRequest) -> Answer<NewClientResponse> {
    let c = app.sign_in(user).await;
    app.send::<ep::CreateClient>(&c, &[], body).await
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
    let created = create(&app, "outreach.cw", &intake()).await.ok_with(201);
    assert_eq!(
        created.hmis_number.to_string(),
        "H0001037",
        "after the 36 demo clients"
    );
    assert_eq!(created.possible_duplicates, []);
    let c = app.sign_in("shelter.cw").await;
    let p = app
        .get::<ep::GetClientProfile>(&c, &[created.id.0])
        .await
        .ok();
    assert_eq!(p.intake.last_name, "Reyes");
    assert_eq!(p.intake.ssn_last4.as_deref(), Some("6789"));
    assert_eq!(p.intake.meta.provenance.org, OrgId(4));
    assert_eq!(
        p.intake.meta.provenance.created_at.to_string(),
        "2026-11-22 10:00:00"
    );
    // And as the JSON writes it.
    let raw: Value = app.profile(&c, created.id.0).await.json().await.unwrap();
    assert_eq!(
        raw["intake"]["meta"]["provenance"]["created_at"],
        "2026-11-22T10:00:00"
    );
    let bo = NewClientRequest {
        first_name: "Bo".into(),
        middle_name: None,
        last_name: "Lind".into(),
        date_of_birth: None,
        dob_data_quality: DataQuality::ClientRefused,
        ssn: None,
        ssn_data_quality: DataQuality::DataNotCollected,
        gender: None,
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        marital_status: None,
        confirm_new: false,
    };
    let next = create(&app, "shelter.cw", &bo).await.ok_with(201);
    assert_eq!(next.hmis_number.to_string(), "H0001038");
}

#[tokio::test]
async fn s1_the_creation_is_audited_by_hmis_number_only() {
    let app = crate::support::spawn_app().await;
    create(&app, "outreach.cw", &intake()).await.ok_with(201);
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
    type Change = fn(&mut NewClientRequest);
    let cases: [(&str, Change); 9] = [
        ("date_of_birth", |b| {
            b.date_of_birth = Some("2030-01-01".into())
        }),
        ("date_of_birth", |b| {
            b.date_of_birth = Some("1990-13-45".into())
        }),
        ("date_of_birth", |b| b.date_of_birth = None),
        ("ssn", |b| b.ssn = Some("12345".into())),
        ("ssn", |b| b.ssn = Some("666-12-3456".into())),
        ("ssn", |b| b.ssn_data_quality = DataQuality::ClientRefused),
        ("last_name", |b| b.last_name = String::new()),
        ("last_name", |b| b.last_name = "   ".into()),
        ("first_name", |b| b.first_name = "x".repeat(101)),
    ];
    for (i, (field, change)) in cases.into_iter().enumerate() {
        let mut body = intake();
        change(&mut body);
        let e = create(&app, "housing.cw", &body).await.refused(422);
        assert_eq!(e.field.as_deref(), Some(field), "case {i}: {body:?}");
    }
    // A data quality no wire type can carry.
    let mut body = serde_json::to_value(intake()).unwrap();
    body["ssn_data_quality"] = json!("maybe");
    let c = app.sign_in("housing.cw").await;
    let res = c
        .post(app.url(&path::<ep::CreateClient>(&[])))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["field"], "ssn_data_quality", "{err}");
    assert_eq!(clients(&app).await, 36);
}

#[tokio::test]
async fn s1_a_possible_duplicate_is_refused_until_the_user_confirms_a_new_client() {
    let app = crate::support::spawn_app().await;
    // Demo client 0: Alex Lee Rivera, born 1960-01-01, H0001001.
    let dup = NewClientRequest {
        first_name: "ALEX".into(),
        middle_name: None,
        last_name: "rivera".into(),
        date_of_birth: Some("1960-01-01".into()),
        dob_data_quality: DataQuality::Full,
        ssn: None,
        ssn_data_quality: DataQuality::ClientDoesntKnow,
        gender: None,
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        marital_status: None,
        confirm_new: false,
    };
    // The 409 carries the error body plus the HMIS numbers: read as its own wire type.
    let c = app.sign_in("shelter.cw").await;
    let res = c
        .post(app.url(&path::<ep::CreateClient>(&[])))
        .json(&dup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let text = res.text().await.unwrap();
    let err: PossibleDuplicates = serde_json::from_str(&text).unwrap();
    assert_eq!(err.field, "confirm_new");
    assert_eq!(err.possible_duplicates.len(), 1);
    assert_eq!(err.possible_duplicates[0].to_string(), "H0001001");
    assert!(!text.contains("Rivera"), "HMIS numbers only");
    assert_eq!(
        create(&app, "shelter.cw", &dup)
            .await
            .refused(409)
            .field
            .as_deref(),
        Some("confirm_new")
    );
    assert_eq!(clients(&app).await, 36);
    // A different date of birth is a different person.
    let other = NewClientRequest {
        date_of_birth: Some("1961-01-01".into()),
        ..dup.clone()
    };
    create(&app, "shelter.cw", &other).await.ok_with(201);
    let confirmed = NewClientRequest {
        confirm_new: true,
        ..dup
    };
    let created = create(&app, "shelter.cw", &confirmed).await.ok_with(201);
    assert_eq!(created.possible_duplicates.len(), 1);
    assert_eq!(created.possible_duplicates[0].to_string(), "H0001001");
    assert_eq!(clients(&app).await, 38);
}

#[tokio::test]
async fn s1_any_agency_sets_marital_status() {
    use shared::api::resolution::IntakeChangeRequest;
    use shared::intake::MaritalStatus;
    use shared::{Field, Reason, UserId};
    let app = crate::support::spawn_app().await;
    // Recorded at intake by Triangle Outreach (org 4).
    let body = NewClientRequest {
        marital_status: Some(MaritalStatus::NeverMarried),
        ..intake()
    };
    let id = create(&app, "outreach.cw", &body).await.ok_with(201).id.0;
    let shelter = app.sign_in("shelter.cw").await;
    let p = app.get::<ep::GetClientProfile>(&shelter, &[id]).await.ok();
    assert_eq!(p.intake.marital_status, Some(MaritalStatus::NeverMarried));
    // The shelter (org 2, user 3) changes it without documentation: it is not single-answer.
    let change = |value: Option<&str>| IntakeChangeRequest {
        field: "marital_status".into(),
        value: value.map(str::to_owned),
        documentation: None,
    };
    let v = app
        .send::<ep::ChangeIntake>(&shelter, &[id], &change(Some("Married")))
        .await
        .ok();
    assert_eq!(
        (v.field, v.decision.reason),
        (Field::MaritalStatus, Reason::CommunityEditable)
    );
    let p = app.get::<ep::GetClientProfile>(&shelter, &[id]).await.ok();
    assert_eq!(p.intake.marital_status, Some(MaritalStatus::Married));
    let source = p.intake.source(Field::MaritalStatus).copied().unwrap();
    assert_eq!((source.org, source.user), (OrgId(2), UserId(3)));
    // The old value is kept in history, with who entered it and who changed it (P-3).
    let history: Vec<(Option<String>, Option<i64>, i64)> = sqlx::query_as(
        "SELECT old_value, old_org_id, changed_by_org FROM intake_history
         WHERE client_id = $1 AND field = 'MaritalStatus' ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(history, [(Some("never_married".into()), Some(4), 2)]);
    // Only the closed list is accepted; nothing is stored otherwise.
    let e = app
        .send::<ep::ChangeIntake>(&shelter, &[id], &change(Some("engaged")))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("value"));
    // Cleared by the original agency, again without documentation; history grows.
    let outreach = app.sign_in("outreach.cw").await;
    app.send::<ep::ChangeIntake>(&outreach, &[id], &change(None))
        .await
        .ok();
    let p = app.get::<ep::GetClientProfile>(&outreach, &[id]).await.ok();
    assert_eq!(p.intake.marital_status, None);
    assert!(p.intake.source(Field::MaritalStatus).is_none());
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM intake_history WHERE client_id = $1 AND field = 'MaritalStatus'",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn s1_marital_status_at_intake_is_optional_and_one_of_the_closed_list() {
    let app = crate::support::spawn_app().await;
    let c = app.sign_in("housing.cw").await;
    // Without the field (as older clients send it): not recorded.
    let mut raw = serde_json::to_value(intake()).unwrap();
    raw.as_object_mut().unwrap().remove("marital_status");
    let created: NewClientResponse = app
        .send_as::<ep::CreateClient, _>(&c, &[], &raw)
        .await
        .ok_with(201);
    let p = app
        .get::<ep::GetClientProfile>(&c, &[created.id.0])
        .await
        .ok();
    assert_eq!(p.intake.marital_status, None);
    let n = clients(&app).await;
    let bad = json!({"first_name": "Bo", "last_name": "Lind", "dob_data_quality": "data_not_collected",
                     "ssn_data_quality": "data_not_collected", "marital_status": "engaged"});
    let e = app
        .send_as::<ep::CreateClient, _>(&c, &[], &bad)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("marital_status"));
    assert_eq!(clients(&app).await, n);
}
