//! P-4 client search, ranked by `shared::matching` behind the search index (migration 0020):
//! typos, swapped names, nicknames, accents, date of birth and SSN last four; every returned
//! client audited.

use crate::support::{spawn_app, TestApp};
use shared::api::endpoint::NoBody;
use shared::api::endpoints::{self as ep, SearchQuery};
use shared::api::intake::NewClientRequest;
use shared::api::ClientSummary;
use shared::intake::DataQuality;

pub fn person(first: &str, last: &str, dob: Option<&str>, ssn: Option<&str>) -> NewClientRequest {
    NewClientRequest {
        first_name: first.into(),
        middle_name: None,
        last_name: last.into(),
        date_of_birth: dob.map(str::to_owned),
        dob_data_quality: if dob.is_some() {
            DataQuality::Full
        } else {
            DataQuality::DataNotCollected
        },
        ssn: ssn.map(str::to_owned),
        ssn_data_quality: if ssn.is_some() {
            DataQuality::Full
        } else {
            DataQuality::DataNotCollected
        },
        gender: None,
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        marital_status: None,
        confirm_new: true,
    }
}

pub async fn create(app: &TestApp, c: &reqwest::Client, p: NewClientRequest) -> (i64, String) {
    let r = app.send::<ep::CreateClient>(c, &[], &p).await.ok_with(201);
    (r.id.0, r.hmis_number.to_string())
}

pub async fn search(app: &TestApp, c: &reqwest::Client, q: &str) -> Vec<ClientSummary> {
    let query = SearchQuery { q: q.into() };
    app.call::<ep::SearchClients>(c, &[], &query, &NoBody)
        .await
        .ok_with(200)
}

fn names(found: &[ClientSummary]) -> Vec<String> {
    found
        .iter()
        .map(|v| format!("{} {}", v.first_name, v.last_name))
        .collect()
}

#[tokio::test]
async fn p4_a_misspelt_swapped_nicknamed_or_unaccented_name_finds_the_person_first() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    create(&app, &c, person("Johanna", "Smithers", None, None)).await;
    create(&app, &c, person("John", "Smith", Some("1984-03-07"), None)).await;
    create(&app, &c, person("Mary", "Smith", None, None)).await;
    create(&app, &c, person("William", "Okafor", None, None)).await;
    create(&app, &c, person("José", "Nuñez", None, None)).await;
    for q in ["Jon Smyth", "Smith John", "smyth, jhon", "Johnny Smith"] {
        let found = search(&app, &c, q).await;
        assert_eq!(
            names(&found).first().map(String::as_str),
            Some("John Smith"),
            "{q}: {:?}",
            names(&found)
        );
    }
    assert_eq!(
        names(&search(&app, &c, "Bill Okafor").await)[0],
        "William Okafor"
    );
    assert_eq!(names(&search(&app, &c, "jose nunez").await), ["José Nuñez"]);
    assert_eq!(names(&search(&app, &c, "Nunes").await), ["José Nuñez"]);
}

#[tokio::test]
async fn p4_a_date_of_birth_lifts_a_candidate_and_ssn_last_four_with_it_beats_a_fuzzy_name() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    create(&app, &c, person("Kevin", "Marsh", Some("1970-01-01"), None)).await;
    create(&app, &c, person("Kevin", "Marsh", Some("1991-06-15"), None)).await;
    let found = search(&app, &c, "kevin marsh 1991-06-15").await;
    assert_eq!(
        found[0].date_of_birth.map(|d| d.to_string()).as_deref(),
        Some("1991-06-15")
    );
    // Married since: the name differs, the date of birth and SSN last four are hers.
    create(&app, &c, person("Ana", "Lopes", Some("1990-05-05"), None)).await;
    create(
        &app,
        &c,
        person("Ana", "Garcia", Some("1985-02-03"), Some("123-45-4321")),
    )
    .await;
    let found = search(&app, &c, "Ana Lopez 1985-02-03 4321").await;
    assert_eq!(names(&found)[0], "Ana Garcia", "{:?}", names(&found));
    assert!(names(&found).contains(&"Ana Lopes".to_owned()));
}

#[tokio::test]
async fn p4_a_ranked_search_audits_one_entry_per_returned_client_and_never_the_terms() {
    let app = spawn_app().await;
    let c = app.sign_in("housing.cw").await;
    let (_, hmis) = create(&app, &c, person("Zelda", "Quintero", None, None)).await;
    let found = search(&app, &c, "Zelda Quinterro").await;
    assert_eq!(names(&found), ["Zelda Quintero"]);
    let rows: Vec<(Option<String>, String)> =
        sqlx::query_as("SELECT hmis_number, reason FROM audit_log WHERE action = 'search clients'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0.as_deref(), Some(hmis.as_str()));
    assert!(!rows[0].1.to_lowercase().contains("quinterro"));
}

#[tokio::test]
async fn p4_search_keys_follow_a_name_change_and_are_backfilled_for_old_rows() {
    let app = spawn_app().await;
    let c = app.sign_in("housing.cw").await;
    // Demo clients were written before the index existed in this database's life: found.
    assert!(!search(&app, &c, "rivera").await.is_empty());
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM clients c WHERE NOT EXISTS
         (SELECT 1 FROM client_search_keys k WHERE k.client_id = c.id)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, 0, "every client has index keys");
}
