//! What record views say besides the records themselves: who entered each, by name (S-2), and
//! nothing about the records the reader may not see, unless the CoC's policy asks for a notice
//! naming the restricting agency (S-9).
//!
//! Demo data facts (see the header of `records.rs`): client 1 is Bull City Shelter's (org 2);
//! shelter.cw is its caseworker; housing.cw is Eno River Housing's (org 3); outreach.cw
//! Triangle Outreach's (org 4).

use crate::records::{new_enrollment, new_service, note, send};
use crate::support::{spawn_app, spawn_app_with, TestApp};
use serde_json::Value;
use shared::api::accounts::{OrganizationPatch, UserPatch};
use shared::api::endpoints as ep;
use shared::api::records::{NewEnrollment, NewForm};
use shared::api::OrgName;
use shared::ids::{OrgId, ProgramId};
use shared::records::FormType;

/// Every view of one client a reader gets: the profile, each record list, the checklist, the
/// search that finds it.
const VIEWS: [&str; 12] = [
    "/clients/1",
    "/clients/1/enrollments",
    "/clients/1/services",
    "/clients/1/contacts",
    "/clients/1/demographics",
    "/clients/1/case-managers",
    "/clients/1/notes",
    "/clients/1/forms",
    "/clients/1/attachments",
    "/clients/1/photos",
    "/clients/1/checklist",
    "/clients?q=H0001001",
];

async fn views_of(app: &TestApp, c: &reqwest::Client) -> Vec<(&'static str, Value)> {
    let mut all = Vec::new();
    for path in VIEWS {
        let (status, body) = send(app, c, "GET", path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        all.push((path, body));
    }
    all
}

/// Case notes: restricted to the entering agency by default (S-5).
fn case_note() -> NewForm {
    NewForm {
        form_type: FormType::CaseNotes,
        answers: [("note".to_owned(), "Spoke about housing.".to_owned())].into(),
        security: None,
    }
}

async fn restricted_form_by(app: &TestApp, user: &str) {
    let c = app.sign_in(user).await;
    app.send::<ep::CreateForm>(&c, &[1], &case_note())
        .await
        .ok();
}

#[tokio::test]
async fn s9_lists_carry_no_hint_of_hidden_records_by_default() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let before = views_of(&app, &shelter).await;
    // Another agency adds records the shelter may not read: one, then two more.
    restricted_form_by(&app, "housing.cw").await;
    let one = views_of(&app, &shelter).await;
    restricted_form_by(&app, "outreach.cw").await;
    restricted_form_by(&app, "outreach.cw").await;
    let three = views_of(&app, &shelter).await;
    for ((path, b), ((_, o), (_, t))) in before.iter().zip(one.iter().zip(three.iter())) {
        // The whole JSON, raw: no count, no placeholder, no field, declared or not, differs.
        assert_eq!(
            b, o,
            "{path}: one hidden record changed what the reader gets"
        );
        assert_eq!(
            b, t,
            "{path}: three hidden records changed what the reader gets"
        );
        for key in ["withheld_by", "hidden_count"] {
            assert!(!b.to_string().contains(key), "{path} says {key}: {b}");
        }
    }
    // The owner sees what it entered: the records exist, the reader is simply not told.
    let housing = app.sign_in("housing.cw").await;
    let (_, forms) = send(&app, &housing, "GET", "/clients/1/forms", None).await;
    assert!(forms.to_string().contains("CaseNotes"), "{forms}");
}

#[tokio::test]
async fn s9_with_the_policy_setting_lists_name_the_restricting_agency_only() {
    let app = spawn_app_with(|config| config.policy.notice_of_restricted_records = true).await;
    // The setting reaches the app with the rest of the policy (P-2).
    let shelter = app.sign_in("shelter.cw").await;
    let (_, session) = send(&app, &shelter, "GET", "/session", None).await;
    assert_eq!(session["policy"]["notice_of_restricted_records"], true);
    let (_, before) = send(&app, &shelter, "GET", "/clients/1/forms", None).await;
    assert!(
        before.get("withheld_by").is_none(),
        "nothing withheld, nothing said: {before}"
    );

    restricted_form_by(&app, "housing.cw").await;
    let list = app.get::<ep::ListForms>(&shelter, &[1]).await.ok();
    let eno = OrgName {
        id: OrgId(3),
        name: "Eno River Housing".into(),
    };
    assert_eq!(list.withheld_by, Some(vec![eno.clone()]));
    let (_, one) = send(&app, &shelter, "GET", "/clients/1/forms", None).await;
    // More records of the same agency: the same notice, so their number is not told.
    restricted_form_by(&app, "housing.cw").await;
    restricted_form_by(&app, "housing.cw").await;
    let (_, three) = send(&app, &shelter, "GET", "/clients/1/forms", None).await;
    assert_eq!(one, three);
    assert_eq!(
        one["withheld_by"],
        serde_json::json!([{ "id": 3, "name": "Eno River Housing" }]),
        "the agency's name only: no kind, no count"
    );
    // Other kinds' lists have nothing withheld, so say nothing.
    let services = app.get::<ep::ListServices>(&shelter, &[1]).await.ok();
    assert_eq!(services.withheld_by, None);
    // The profile names the agency too.
    let profile = app.get::<ep::GetClientProfile>(&shelter, &[1]).await.ok();
    assert!(
        profile
            .withheld_by
            .as_ref()
            .is_some_and(|o| o.contains(&eno)),
        "{:?}",
        profile.withheld_by
    );
    // The owner is told of nothing withheld from it.
    let housing = app.sign_in("housing.cw").await;
    let own = app.get::<ep::ListForms>(&housing, &[1]).await.ok();
    assert!(own.withheld_by.is_none_or(|o| !o.contains(&eno)));
}

/// `(entered_by.user_name, entered_by.org_name)` of every record `id` in a JSON list or profile.
fn names_of(view: &Value, ids: &[i64]) -> Vec<(String, String)> {
    view["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| ids.contains(&r["meta"]["id"].as_i64().unwrap()))
        .map(|r| {
            let e = &r["entered_by"];
            // The names only: nothing else about the user.
            assert_eq!(e.as_object().unwrap().len(), 2, "{e}");
            (
                e["user_name"].as_str().unwrap().to_owned(),
                e["org_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn s2_enrollment_views_name_the_entering_user() {
    let app = spawn_app().await;
    // Eno River Housing's caseworker enrolls client 1 (the shelter's) in its program 3, adds a
    // service and a note.
    let housing = app.sign_in("housing.cw").await;
    let enrollment = NewEnrollment {
        program_id: ProgramId(3),
        ..new_enrollment()
    };
    let ids = [
        app.send::<ep::CreateEnrollment>(&housing, &[1], &enrollment)
            .await
            .ok()
            .meta
            .id
            .0,
        app.send::<ep::CreateService>(&housing, &[1], &new_service())
            .await
            .ok()
            .meta
            .id
            .0,
        app.send::<ep::CreateNote>(&housing, &[1], &note("Met at the day center."))
            .await
            .ok()
            .meta
            .id
            .0,
    ];
    let (name,): (String,) =
        sqlx::query_as("SELECT display_name FROM users WHERE username = 'housing.cw'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let eno = |user: &str| (user.to_owned(), "Eno River Housing".to_owned());
    // Another agency reads them: the profile and each list name the entering user and agency.
    let shelter = app.sign_in("shelter.cw").await;
    let read_all = || async {
        let mut all = Vec::new();
        for path in [
            "/clients/1",
            "/clients/1/enrollments",
            "/clients/1/services",
            "/clients/1/notes",
        ] {
            let (status, v) = send(&app, &shelter, "GET", path, None).await;
            assert_eq!(status, 200, "{path}");
            all.extend(names_of(&v, &ids));
        }
        all
    };
    let seen = read_all().await;
    assert_eq!(seen.len(), 6, "each record in the profile and in its list");
    assert!(seen.iter().all(|n| *n == eno(&name)), "{seen:?}");
    // The intake too: Bull City Shelter entered it.
    let profile = app.get::<ep::GetClientProfile>(&shelter, &[1]).await.ok();
    assert_eq!(profile.intake.entered_by.org_name, "Bull City Shelter");
    assert!(!profile.intake.entered_by.user_name.is_empty());

    // Renamed, the user is named anew at once, though the profile was read (and kept) before.
    let admin = app.sign_in("coc.admin").await;
    let patch = UserPatch {
        display_name: Some("Jordan Blake-Ortiz".into()),
        ..UserPatch::default()
    };
    app.send::<ep::UpdateUser>(&admin, &[6], &patch).await.ok();
    let seen = read_all().await;
    assert!(
        seen.iter().all(|n| *n == eno("Jordan Blake-Ortiz")),
        "{seen:?}"
    );
    // So is a renamed organization, the intake's included.
    let rename = OrganizationPatch {
        name: Some("Eno River Homes".into()),
        disabled: None,
    };
    app.send::<ep::UpdateOrganization>(&admin, &[3], &rename)
        .await
        .ok();
    let seen = read_all().await;
    let renamed = (
        "Jordan Blake-Ortiz".to_owned(),
        "Eno River Homes".to_owned(),
    );
    assert!(seen.iter().all(|n| *n == renamed), "{seen:?}");
    let rename = OrganizationPatch {
        name: Some("Bull City Shelter and Kitchen".into()),
        disabled: None,
    };
    app.send::<ep::UpdateOrganization>(&admin, &[2], &rename)
        .await
        .ok();
    let profile = app.get::<ep::GetClientProfile>(&shelter, &[1]).await.ok();
    assert_eq!(
        profile.intake.entered_by.org_name,
        "Bull City Shelter and Kitchen"
    );
}
