//! HUD FY2026 universal data elements as code lists (`shared::hud`), through the API: intake
//! (3.01-3.03 data quality, Sex and 3.07, also changed by `PATCH /clients/{id}/intake`), demographics (3.04 race and ethnicity set, 3.04.2),
//! enrollments (3.917, 3.08, 3.16 at entry; 3.12 at exit) and programs (2.02.6): each written and
//! read back, stored as its text, a bad code refused with 422 naming the field and the allowed
//! codes, nothing written; and rows as migration 0016 found them read back as codes (P-3: the
//! old free text kept).

use crate::details;
use crate::records::{end_on, new_enrollment, send};
use crate::support::{path, spawn_app, TestApp};
use serde_json::{json, Value};
use shared::api::accounts::NewProgram;
use shared::api::endpoints as ep;
use shared::api::intake::NewClientRequest;
use shared::api::records::{DemographicsInput, EnrollmentPatch, RecordPatch};
use shared::api::resolution::IntakeChangeRequest;
use shared::hud::*;
use shared::intake::DataQuality;
use shared::{Field, OrgId, Reason};

fn intake() -> NewClientRequest {
    NewClientRequest {
        first_name: "Ana".into(),
        middle_name: None,
        last_name: "Reyes".into(),
        name_data_quality: Some(NameDataQuality::Partial),
        date_of_birth: Some("1990-05-01".into()),
        dob_data_quality: DataQuality::Full,
        ssn: None,
        ssn_data_quality: DataQuality::ClientRefused,
        sex: Some(Sex::Female),
        gender: Some("Woman".into()),
        veteran_status: Some(NoYesReasons::Yes),
        marital_status: None,
        confirm_new: false,
    }
}

/// One column of one row, as stored.
async fn stored(app: &TestApp, sql: &str, id: i64) -> Option<String> {
    let (v,): (Option<String>,) = sqlx::query_as(sql)
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    v
}

/// A refusal's status, field and text (a 422's `error` says why).
fn refusal(status: u16, v: &Value) -> (u16, &str, &str) {
    (
        status,
        v["field"].as_str().unwrap_or(""),
        v["error"].as_str().unwrap_or(""),
    )
}

#[tokio::test]
async fn s1_intake_writes_and_reads_name_quality_sex_and_veteran_status_beside_the_local_gender() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    let id = app
        .send::<ep::CreateClient>(&c, &[], &intake())
        .await
        .ok_with(201)
        .id
        .0;
    let p = app.get::<ep::GetClientProfile>(&c, &[id]).await.ok();
    let i = &p.intake;
    assert_eq!(i.name_data_quality, Some(NameDataQuality::Partial));
    assert_eq!(i.dob_data_quality, Some(DataQuality::Full));
    assert_eq!(i.ssn_data_quality, Some(DataQuality::ClientRefused));
    assert_eq!(i.sex, Some(Sex::Female));
    assert_eq!(i.veteran_status, Some(NoYesReasons::Yes));
    assert_eq!(
        i.gender.as_deref(),
        Some("Woman"),
        "gender stays, a local element"
    );
    // Stored as the lists' texts (their serde names), HUD's codes one call away.
    for (col, want) in [
        ("name_data_quality", "partial"),
        ("sex", "female"),
        ("veteran_status", "yes"),
        ("ssn_data_quality", "client_refused"),
    ] {
        let sql = format!("SELECT {col} FROM clients WHERE id = $1");
        assert_eq!(stored(&app, &sql, id).await.as_deref(), Some(want), "{col}");
    }
    let raw: Value = app.profile(&c, id).await.json().await.unwrap();
    assert_eq!(raw["intake"]["sex"], "female");
    assert_eq!(Sex::Female.code(), 0);
}

#[tokio::test]
async fn s1_an_intake_that_leaves_the_new_elements_out_records_full_name_and_data_not_collected() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let body = NewClientRequest {
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        ..intake()
    };
    let id = app
        .send::<ep::CreateClient>(&c, &[], &body)
        .await
        .ok_with(201)
        .id
        .0;
    let p = app.get::<ep::GetClientProfile>(&c, &[id]).await.ok();
    assert_eq!(p.intake.name_data_quality, Some(NameDataQuality::Full));
    assert_eq!(p.intake.sex, Some(Sex::DataNotCollected));
    assert_eq!(
        p.intake.veteran_status,
        Some(NoYesReasons::DataNotCollected)
    );
}

#[tokio::test]
async fn s1_intake_refuses_an_unknown_code_naming_the_field_and_the_allowed_codes() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    let before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let good = serde_json::to_value(intake()).unwrap();
    for (field, bad, allowed) in [
        ("sex", json!("woman"), "female"),
        ("sex", json!(1), "male"),
        (
            "veteran_status",
            json!("maybe"),
            "client_prefers_not_to_answer",
        ),
        ("name_data_quality", json!("street_name"), "partial"),
        (
            "dob_data_quality",
            json!("client_prefers_not_to_answer"),
            "client_refused",
        ),
    ] {
        let mut body = good.clone();
        body[field] = bad;
        let (status, v) = send(&app, &c, "POST", &path::<ep::CreateClient>(&[]), Some(body)).await;
        let (s, f, reason) = refusal(status, &v);
        assert_eq!((s, f), (422, field), "{v}");
        assert!(reason.contains(allowed), "{field}: {reason}");
        assert!(reason.contains("data_not_collected"), "{field}: {reason}");
    }
    let after: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(before, after, "nothing written");
}

#[tokio::test]
async fn s1_demographics_record_race_and_ethnicity_as_one_multi_select_with_the_clients_words() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    let body = DemographicsInput {
        race_ethnicity: Some(
            RaceEthnicitySet::parse([RaceEthnicity::White, RaceEthnicity::HispanicLatinaeo])
                .unwrap(),
        ),
        additional_race_ethnicity: Some("Puerto Rican".into()),
        ..Default::default()
    };
    let v = app.send::<ep::PutDemographics>(&c, &[2], &body).await.ok();
    let d = details!(v, Demographics);
    assert_eq!(d.race_ethnicity, body.race_ethnicity);
    assert_eq!(d.additional_race_ethnicity.as_deref(), Some("Puerto Rican"));
    let list = app.get::<ep::ListDemographics>(&c, &[2]).await.ok();
    let d = details!(list.records[0], Demographics);
    assert_eq!(
        d.race_ethnicity.as_ref().map(|s| s.values().to_vec()),
        Some(vec![RaceEthnicity::White, RaceEthnicity::HispanicLatinaeo])
    );
    assert_eq!(
        stored(
            &app,
            "SELECT race_ethnicity FROM demographics WHERE record_id = $1",
            v.meta.id.0
        )
        .await
        .as_deref(),
        Some("white,hispanic_latinaeo")
    );
    // A data-quality answer alone is an answer.
    let body = DemographicsInput {
        race_ethnicity: Some(RaceEthnicitySet::one(
            RaceEthnicity::ClientPrefersNotToAnswer,
        )),
        ..Default::default()
    };
    let v = app.send::<ep::PutDemographics>(&c, &[2], &body).await.ok();
    assert_eq!(
        details!(v, Demographics)
            .race_ethnicity
            .as_ref()
            .and_then(RaceEthnicitySet::race_none)
            .map(RaceEthnicity::code),
        Some(9)
    );
}

#[tokio::test]
async fn s1_demographics_refuse_an_empty_set_a_data_quality_code_beside_a_race_and_unknown_races() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    let url = path::<ep::PutDemographics>(&[2]);
    for (body, reason) in [
        (json!({ "race_ethnicity": [] }), "at least one"),
        (
            json!({ "race_ethnicity": ["white", "data_not_collected"] }),
            "alone",
        ),
        (json!({ "race_ethnicity": ["latino"] }), "hispanic_latinaeo"),
        (json!({ "race_ethnicity": "white" }), "sequence"),
    ] {
        let (status, v) = send(&app, &c, "PUT", &url, Some(body.clone())).await;
        let (s, f, r) = refusal(status, &v);
        assert_eq!(s, 422, "{body}: {v}");
        assert!(f.starts_with("race_ethnicity"), "{body}: {v}");
        assert!(r.contains(reason), "{body}: {r}");
    }
    let long = "x".repeat(text_limit() + 1);
    let (status, v) = send(
        &app,
        &c,
        "PUT",
        &url,
        Some(json!({ "additional_race_ethnicity": long })),
    )
    .await;
    assert_eq!(refusal(status, &v).0, 422);
    assert_eq!(refusal(status, &v).1, "additional_race_ethnicity");
}

fn text_limit() -> usize {
    shared::text::ADDITIONAL_RACE_ETHNICITY_MAX_CHARS
}

#[tokio::test]
async fn s1_an_enrollment_records_its_entry_elements_and_its_destination_at_exit() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let mut e = new_enrollment();
    e.prior_living_situation = Some(PriorLivingSituation::FriendRoom);
    e.disabling_condition = Some(NoYesReasons::ClientDoesntKnow);
    e.enrollment_coc = Some(CocCode::parse("nc-507").unwrap());
    let v = app
        .send::<ep::CreateEnrollment>(&c, &[1], &e)
        .await
        .ok_with(201);
    let id = v.meta.id.0;
    let d = details!(v, Enrollment);
    assert_eq!(
        d.prior_living_situation,
        Some(PriorLivingSituation::FriendRoom)
    );
    assert_eq!(d.disabling_condition, Some(NoYesReasons::ClientDoesntKnow));
    assert_eq!(
        d.enrollment_coc.as_ref().map(CocCode::as_str),
        Some("NC-507")
    );
    assert_eq!(d.destination, None);
    // The exit, with where the client went.
    let mut end = end_on("2026-11-20");
    end.destination = Some(Destination::RentalWithSubsidy);
    let v = app.send::<ep::EndRecord>(&c, &[id], &end).await.ok();
    assert_eq!(
        details!(v, Enrollment).destination,
        Some(Destination::RentalWithSubsidy)
    );
    // A change of the CoC keeps the rest.
    let patch = RecordPatch::Enrollment(EnrollmentPatch {
        enrollment_coc: Some(CocCode::parse("NC-503").unwrap()),
        ..Default::default()
    });
    app.send::<ep::UpdateRecord>(&c, &[id], &patch).await.ok();
    let v = app.get::<ep::GetRecord>(&c, &[id]).await.ok();
    let d = details!(v, Enrollment);
    assert_eq!(
        d.enrollment_coc.as_ref().map(CocCode::as_str),
        Some("NC-503")
    );
    assert_eq!(d.destination, Some(Destination::RentalWithSubsidy));
    assert_eq!(
        d.prior_living_situation.map(PriorLivingSituation::code),
        Some(336)
    );
    for (col, want) in [
        ("prior_living_situation", "friend_room"),
        ("disabling_condition", "client_doesnt_know"),
        ("enrollment_coc", "NC-503"),
        ("destination", "rental_with_subsidy"),
    ] {
        let sql = format!("SELECT {col} FROM enrollments WHERE record_id = $1");
        assert_eq!(stored(&app, &sql, id).await.as_deref(), Some(want), "{col}");
    }
}

#[tokio::test]
async fn s1_an_enrollment_refuses_bad_codes_naming_the_field_and_the_allowed_codes() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let good = serde_json::to_value(new_enrollment()).unwrap();
    let url = path::<ep::CreateEnrollment>(&[1]);
    for (field, bad, reason) in [
        // 24 (deceased) is a destination, never a prior living situation.
        (
            "prior_living_situation",
            json!("deceased"),
            "place_not_meant_for_habitation",
        ),
        (
            "disabling_condition",
            json!("perhaps"),
            "client_doesnt_know",
        ),
        ("enrollment_coc", json!("NC507"), "NC-507"),
        ("destination", json!("rental_no_subsidy"), "exit date"),
    ] {
        let mut body = good.clone();
        body[field] = bad;
        let (status, v) = send(&app, &c, "POST", &url, Some(body)).await;
        let (s, f, r) = refusal(status, &v);
        assert_eq!((s, f), (422, field), "{v}");
        assert!(r.contains(reason), "{field}: {r}");
    }
    let id = app
        .send::<ep::CreateEnrollment>(&c, &[1], &new_enrollment())
        .await
        .ok_with(201)
        .meta
        .id
        .0;
    // 335 (a family member's room) is asked at entry only.
    let (status, v) = send(
        &app,
        &c,
        "POST",
        &path::<ep::EndRecord>(&[id]),
        Some(json!({ "end_date": "2026-11-20", "destination": "family_room" })),
    )
    .await;
    let (s, f, r) = refusal(status, &v);
    assert_eq!((s, f), (422, "destination"), "{v}");
    assert!(r.contains("family_temporary"), "{r}");
    // No destination on an enrollment that has not exited.
    let patch = json!({ "destination": "deceased" });
    let (status, v) = send(
        &app,
        &c,
        "PATCH",
        &path::<ep::UpdateRecord>(&[id]),
        Some(patch),
    )
    .await;
    assert_eq!(refusal(status, &v).0, 422, "{v}");
    assert_eq!(refusal(status, &v).1, "destination");
    let exit = stored(
        &app,
        "SELECT exit_date FROM enrollments WHERE record_id = $1",
        id,
    )
    .await;
    assert_eq!(exit, None, "nothing written");
}

#[tokio::test]
async fn s1_programs_take_their_project_type_from_hud_s_one_list() {
    let app = spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let p = app
        .send::<ep::CreateProgram>(
            &admin,
            &[],
            &NewProgram {
                org: OrgId(2),
                name: "Bull City Housing with Services".into(),
                hud_project_type: 10,
            },
        )
        .await
        .ok_with(201);
    assert_eq!(p.project_type, ProjectType::PhHousingWithServices);
    assert!(p.project_type.is_permanent_housing());
    let (status, v) = send(
        &app,
        &admin,
        "POST",
        &path::<ep::CreateProgram>(&[]),
        Some(json!({ "org": 2, "name": "Nowhere", "hud_project_type": 5 })),
    )
    .await;
    let (s, f, r) = refusal(status, &v);
    assert_eq!((s, f), (422, "hud_project_type"), "{v}");
    assert!(r.contains("13 (PH - Rapid Re-Housing)"), "{r}");
}

/// The data-migrating statements of migration 0016 (its `UPDATE`s), as the backend runs them.
async fn rerun_0016_updates(app: &TestApp) {
    let backend = if app.database.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let file = format!(
        "{}/migrations/{backend}/0016_hud_codes.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    let sql = std::fs::read_to_string(file).unwrap();
    let code: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    let updates: Vec<&str> = code
        .split(';')
        .map(str::trim)
        .filter(|s| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(updates.len(), 2, "clients and demographics");
    for u in updates {
        sqlx::query(u).execute(&app.pool).await.unwrap();
    }
}

#[tokio::test]
async fn p3_rows_of_before_the_code_lists_read_back_as_codes_with_their_old_text_kept() {
    let app = spawn_app().await;
    // Rows as they were before 0016: free-text gender, race and ethnicity, no codes.
    for (client, gender) in [(1, "Woman"), (2, "Non-binary"), (3, " male ")] {
        sqlx::query(
            "UPDATE clients SET gender = $1, sex = NULL, name_data_quality = NULL,
                                veteran_status = NULL WHERE id = $2",
        )
        .bind(gender)
        .bind(client)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let demographics = |client: i64| {
        let pool = app.pool.clone();
        async move {
            let (id,): (i64,) = sqlx::query_as(
                "SELECT d.record_id FROM demographics d JOIN records r ON r.id = d.record_id
                 WHERE r.client_id = $1 AND r.deleted = 0",
            )
            .bind(client)
            .fetch_one(&pool)
            .await
            .unwrap();
            id
        }
    };
    for (client, race, ethnicity) in [
        (1, Some("White"), Some("Hispanic/Latina/e/o")),
        (2, Some("Purple"), Some("Not Hispanic/Latina/e/o")),
        (3, None, Some("Latino")),
    ] {
        let id = demographics(client).await;
        sqlx::query(
            "UPDATE demographics SET race = $1, ethnicity = $2, race_ethnicity = NULL
             WHERE record_id = $3",
        )
        .bind(race)
        .bind(ethnicity)
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    rerun_0016_updates(&app).await;
    let c = app.sign_in("coc.admin").await;
    let cases = [
        (
            1,
            Sex::Female,
            vec![RaceEthnicity::White, RaceEthnicity::HispanicLatinaeo],
            Some("White"),
        ),
        (
            2,
            Sex::DataNotCollected,
            vec![RaceEthnicity::DataNotCollected],
            Some("Purple"),
        ),
        (3, Sex::Male, vec![RaceEthnicity::HispanicLatinaeo], None),
    ];
    for (client, sex, races, legacy_race) in cases {
        let p = app.get::<ep::GetClientProfile>(&c, &[client]).await.ok();
        assert_eq!(p.intake.sex, Some(sex), "client {client}");
        assert_eq!(
            p.intake.name_data_quality,
            Some(NameDataQuality::DataNotCollected)
        );
        assert_eq!(
            p.intake.veteran_status,
            Some(NoYesReasons::DataNotCollected)
        );
        assert!(p.intake.gender.is_some(), "the gender text is kept");
        let list = app.get::<ep::ListDemographics>(&c, &[client]).await.ok();
        let d = details!(list.records[0], Demographics);
        assert_eq!(
            d.race_ethnicity.as_ref().map(|s| s.values().to_vec()),
            Some(races),
            "client {client}"
        );
        assert_eq!(d.legacy_race.as_deref(), legacy_race, "client {client}");
        assert!(d.legacy_ethnicity.is_some(), "the ethnicity text is kept");
    }
}

#[tokio::test]
async fn s1_any_agency_changes_sex_and_veteran_status_with_the_old_code_kept_in_history() {
    let app = spawn_app().await;
    let outreach = app.sign_in("outreach.cw").await;
    let id = app
        .send::<ep::CreateClient>(&outreach, &[], &intake())
        .await
        .ok_with(201)
        .id
        .0;
    let shelter = app.sign_in("shelter.cw").await;
    let change = |field: &str, value: Option<&str>| IntakeChangeRequest {
        field: field.into(),
        value: value.map(str::to_owned),
        documentation: None,
    };
    for (field, value) in [
        ("sex", "client_prefers_not_to_answer"),
        ("veteran_status", "No"),
    ] {
        let v = app
            .send::<ep::ChangeIntake>(&shelter, &[id], &change(field, Some(value)))
            .await
            .ok();
        assert_eq!(v.decision.reason, Reason::CommunityEditable, "{field}");
    }
    let p = app.get::<ep::GetClientProfile>(&shelter, &[id]).await.ok();
    assert_eq!(p.intake.sex, Some(Sex::ClientPrefersNotToAnswer));
    assert_eq!(p.intake.veteran_status, Some(NoYesReasons::No));
    let source = p.intake.source(Field::Sex).copied().unwrap();
    assert_eq!(source.org, OrgId(2));
    let history: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT field, old_value FROM intake_history WHERE client_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        history,
        [
            ("Sex".to_owned(), Some("female".to_owned())),
            ("VeteranStatus".to_owned(), Some("yes".to_owned()))
        ]
    );
    // An unknown code, or no answer at all, is refused naming the value; nothing changes.
    for (field, value, says) in [
        ("sex", Some("woman"), "female"),
        ("veteran_status", Some("sometimes"), "client_doesnt_know"),
        ("sex", None, "data_not_collected"),
    ] {
        let e = app
            .send::<ep::ChangeIntake>(&shelter, &[id], &change(field, value))
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some("value"), "{field}");
        assert!(e.error.contains(says), "{field}: {}", e.error);
    }
    let p = app.get::<ep::GetClientProfile>(&shelter, &[id]).await.ok();
    assert_eq!(p.intake.sex, Some(Sex::ClientPrefersNotToAnswer));
}
