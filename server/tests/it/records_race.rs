//! Simultaneous writes to the same client records (R-4, R-5, P-3): many real requests at once
//! against the real server, on a multi-threaded runtime, then the stored state is checked. A
//! request either wins (2xx) or is told the records changed meanwhile (409); never both, and the
//! history keeps every old value once.
//!
//! Demo facts: client 1 (id 1, H0001001) is Bull City Shelter's (org 2); every demo client has
//! one current phone row and one demographics set.

use crate::details;
use crate::records::{contact, count, new_enrollment};
use crate::support::{call_at, spawn_app, Answer, TestApp};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::intake::NewClientRequest;
use shared::api::records::{DemographicsInput, EnrollmentPatch, NewContact, RecordPatch};
use shared::api::Endpoint;
use shared::intake::DataQuality;
use shared::records::ContactKind;
use shared::RecordId;
use std::collections::{BTreeMap, BTreeSet};

/// How many requests each test sends at once.
const N: usize = 20;

/// Signed-in clients for users of every agency (several requests share each session).
async fn sessions(app: &TestApp, users: &[&str]) -> Vec<reqwest::Client> {
    let mut out = Vec::new();
    for u in users {
        out.push(app.sign_in(u).await);
    }
    out
}

/// Sends `bodies[i]` to endpoint `E` (path parameters `ids`) with session `i % sessions.len()`,
/// all at once; returns each request's answer, in the order of `bodies`.
async fn all_at_once<E>(
    app: &TestApp,
    sessions: &[reqwest::Client],
    ids: &[i64],
    bodies: Vec<E::Body>,
) -> Vec<Answer<E::Response>>
where
    E: Endpoint<Query = NoQuery> + 'static,
    E::Body: Send + Sync + 'static,
    E::Response: DeserializeOwned + Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(bodies.len()));
    let mut tasks = Vec::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let c = sessions[i % sessions.len()].clone();
        let (base, ids) = (app.url(""), ids.to_vec());
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            call_at::<E>(&base, &c, &ids, &NoQuery, &body).await
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// The client's contact rows as stored: (record id, kind, value, start, end).
async fn contact_rows(
    app: &TestApp,
    client: i64,
) -> Vec<(i64, String, String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT c.record_id, c.contact_kind, c.value, c.start_date, c.end_date
         FROM contact_rows c JOIN records r ON r.id = c.record_id
         WHERE r.client_id = $1 ORDER BY c.record_id",
    )
    .bind(client)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// `record_history` of one record: (action, old value as JSON), oldest first.
async fn history(app: &TestApp, record: i64) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, old_value FROM record_history WHERE record_id = $1 ORDER BY id",
    )
    .bind(record)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(a, v)| (a, serde_json::from_str(&v).unwrap()))
        .collect()
}

/// A 409 telling the caller the records changed meanwhile and to reload.
fn is_conflict<T>(answer: &Answer<T>) -> bool {
    answer.status == 409
        && answer
            .body
            .as_ref()
            .is_err_and(|e| e.error.contains("changed meanwhile") && e.error.contains("reload"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r4_simultaneous_contact_changes_end_date_the_replaced_row_once_and_leave_one_current_row()
{
    let app = spawn_app().await;
    let client = 1;
    let before = contact_rows(&app, client).await;
    let old: Vec<_> = before
        .iter()
        .filter(|r| r.1 == "Phone" && r.4.is_none())
        .collect();
    assert_eq!(
        old.len(),
        1,
        "the demo client has one current phone: {before:?}"
    );
    let old = old[0].0;
    let notes = "SELECT COUNT(*) FROM records WHERE kind = 'ProfileNote'";
    let notes_before = count(&app, notes).await;
    let inbox_before = count(&app, "SELECT COUNT(*) FROM notifications").await;
    let users = [
        "shelter.cw",
        "shelter.cw2",
        "housing.cw",
        "housing.cw2",
        "outreach.cw",
        "outreach.cw2",
    ];
    let sessions = sessions(&app, &users).await;
    // Every caller saw the same current phone and replaces it with a phone of its own, today.
    let bodies = (0..N)
        .map(|i| NewContact {
            replaces: vec![RecordId(old)],
            notify_owners: true,
            ..contact(
                ContactKind::Phone,
                &format!("(919) 555-02{i:02}"),
                "2026-11-22",
            )
        })
        .collect();
    let answers = all_at_once::<ep::CreateContact>(&app, &sessions, &[1], bodies).await;

    for a in &answers {
        assert!(
            a.status == 201 || is_conflict(a),
            "each change wins or is told to reload: {a:?}"
        );
    }
    let won: Vec<_> = answers
        .into_iter()
        .filter(|a| a.status == 201)
        .map(Answer::ok)
        .collect();
    assert_eq!(
        won.len(),
        1,
        "the first change wins, the others replaced a row no longer current"
    );
    let winner = &won[0];
    assert_eq!(winner.end_dated, [RecordId(old)]);

    // Exactly one current row per contact kind; the old row ended once, the day before.
    let after = contact_rows(&app, client).await;
    assert_eq!(after.len(), before.len() + 1, "one new row: {after:?}");
    let today = "2026-11-22";
    let mut current: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, kind, _, start, end) in &after {
        if start.as_str() <= today && end.as_deref().is_none_or(|e| e >= today) {
            *current.entry(kind.as_str()).or_default() += 1;
        }
    }
    assert!(current.values().all(|n| *n == 1), "{current:?}");
    assert_eq!(current.get("Phone"), Some(&1));
    let new_id = winner.row.meta.id.0;
    let new_row = after.iter().find(|r| r.0 == new_id).unwrap();
    assert_eq!(new_row.4, None);
    assert_eq!(details!(winner.row, Contact).value, new_row.2);
    let old_row = after.iter().find(|r| r.0 == old).unwrap();
    assert_eq!(old_row.4.as_deref(), Some("2026-11-21"));

    // History: the old row was end-dated once, from its open state; the new row created once.
    let h = history(&app, old).await;
    let ends: Vec<_> = h.iter().filter(|(a, _)| a == "end-date").collect();
    assert_eq!(ends.len(), 1, "{h:?}");
    assert_eq!(ends[0].1["details"]["end_date"], Value::Null);
    assert_eq!(
        history(&app, new_id).await,
        vec![("create".into(), Value::Null)]
    );
    // Only the winner's correction note and notice (the shelter entered the old row).
    assert_eq!(count(&app, notes).await, notes_before + 1);
    let notified = winner.notified.len() as i64;
    let admins = count(
        &app,
        "SELECT COUNT(*) FROM users WHERE role = 'AgencyAdmin' AND org_id = 2",
    )
    .await;
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM notifications").await,
        inbox_before + notified * admins
    );
    // Nothing a refused change wrote survived: the one new row is the only creation.
    let created = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM record_history h JOIN records r ON r.id = h.record_id
             WHERE r.client_id = {client} AND h.action = 'create' AND r.id > {old}"
        ),
    )
    .await;
    assert_eq!(created, 2, "the new row and its correction note");
}

#[tokio::test]
async fn r4_a_change_replacing_a_row_another_change_already_ended_is_a_conflict() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    let list = app.get::<ep::ListContacts>(&shelter, &[1]).await.ok();
    let old = list.records[0].meta.id;
    let change = |value: &str| NewContact {
        replaces: vec![old],
        ..contact(ContactKind::Phone, value, "2026-11-22")
    };
    // Both loaded the rows; the shelter's change comes first.
    app.send::<ep::CreateContact>(&shelter, &[1], &change("(919) 555-0301"))
        .await
        .ok_with(201);
    let records = count(&app, "SELECT COUNT(*) FROM records").await;
    let history_rows = count(&app, "SELECT COUNT(*) FROM record_history").await;
    // Eno River's change still replaces the row the shelter's change ended: told to reload,
    // and nothing is written (no second current phone, no note).
    let a = app
        .send::<ep::CreateContact>(&housing, &[1], &change("(919) 555-0302"))
        .await;
    assert!(is_conflict(&a), "{a:?}");
    assert_eq!(a.refused(409).field, None);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, records);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM record_history").await,
        history_rows
    );
    // After reloading, Eno River replaces the current row.
    let list = app.get::<ep::ListContacts>(&housing, &[1]).await.ok();
    let current: Vec<RecordId> = list
        .records
        .iter()
        .filter(|r| details!(r, Contact).end_date.is_none())
        .map(|r| r.meta.id)
        .collect();
    let body = NewContact {
        replaces: current,
        ..change("(919) 555-0302")
    };
    app.send::<ep::CreateContact>(&housing, &[1], &body)
        .await
        .ok_with(201);
}

/// The values a record's `update` history entries hold for `field` of its details, oldest first.
async fn old_values(app: &TestApp, record: i64, field: &str) -> Vec<Value> {
    history(app, record)
        .await
        .into_iter()
        .filter(|(a, _)| a == "update")
        .map(|(_, v)| v["details"][field].clone())
        .collect()
}

/// Checks that the updates that won form one chain: the old values in history followed by the
/// stored value start at `initial`, and the rest are exactly the winners' new values, each once
/// (no update lost, none recorded twice).
fn one_chain(initial: &Value, olds: &[Value], stored: &Value, winners: &[Value]) {
    assert_eq!(
        olds.len(),
        winners.len(),
        "one history entry per winning update"
    );
    let chain: Vec<&Value> = olds.iter().chain([stored]).collect();
    assert_eq!(chain[0], initial, "{chain:?}");
    let mut rest: Vec<String> = chain[1..].iter().map(|v| v.to_string()).collect();
    let mut won: Vec<String> = winners.iter().map(Value::to_string).collect();
    rest.sort();
    won.sort();
    assert_eq!(rest, won);
    assert_eq!(
        rest.iter().collect::<BTreeSet<_>>().len(),
        rest.len(),
        "no value recorded twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn p3_simultaneous_edits_of_one_record_keep_one_chain_of_old_values() {
    let app = spawn_app().await;
    let sessions = sessions(&app, &["shelter.cw", "shelter.cw2", "shelter.admin"]).await;
    let id = app
        .send::<ep::CreateEnrollment>(&sessions[0], &[1], &new_enrollment())
        .await
        .ok_with(201)
        .meta
        .id
        .0;
    let names: Vec<String> = (0..N).map(|i| format!("Household {i}")).collect();
    let bodies = names
        .iter()
        .map(|name| {
            RecordPatch::Enrollment(EnrollmentPatch {
                case_name: Some(name.clone()),
                ..Default::default()
            })
        })
        .collect();
    let answers = all_at_once::<ep::UpdateRecord>(&app, &sessions, &[id], bodies).await;
    let mut winners = Vec::new();
    for (a, sent) in answers.iter().zip(&names) {
        match a.status {
            200 => winners.push(json!(sent)),
            _ => assert!(is_conflict(a), "{a:?}"),
        }
    }
    assert!(!winners.is_empty());
    let stored = app.get::<ep::GetRecord>(&sessions[0], &[id]).await.ok();
    one_chain(
        &json!("Rivera household"),
        &old_values(&app, id, "case_name").await,
        &json!(details!(stored, Enrollment).case_name),
        &winners,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn s1_simultaneous_first_demographics_of_a_client_make_one_live_set() {
    let app = spawn_app().await;
    let sessions = sessions(&app, &["shelter.cw", "housing.cw", "outreach.cw"]).await;
    let intake = NewClientRequest {
        first_name: "Ana".into(),
        middle_name: None,
        last_name: "Reyes".into(),
        date_of_birth: Some("1990-05-01".into()),
        dob_data_quality: DataQuality::Full,
        ssn: None,
        ssn_data_quality: DataQuality::DataNotCollected,
        gender: None,
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        marital_status: None,
        confirm_new: false,
    };
    let client = app
        .send::<ep::CreateClient>(&sessions[2], &[], &intake)
        .await
        .ok_with(201)
        .id
        .0;
    let races: Vec<String> = (0..N).map(|i| format!("Race {i}")).collect();
    let bodies = races
        .iter()
        .map(|race| DemographicsInput {
            additional_race_ethnicity: Some(race.clone()),
            ..Default::default()
        })
        .collect();
    let answers = all_at_once::<ep::PutDemographics>(&app, &sessions, &[client], bodies).await;
    let (mut first, mut winners) = (Vec::new(), Vec::new());
    for (a, sent) in answers.iter().zip(&races) {
        match a.status {
            201 => first.push(json!(sent)),
            200 => winners.push(json!(sent)),
            _ => assert!(is_conflict(a), "{a:?}"),
        }
    }
    assert_eq!(first.len(), 1, "one first set: {answers:?}");
    let live: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM records WHERE client_id = $1 AND kind = 'Demographics' AND deleted = 0",
    )
    .bind(client)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(live.len(), 1, "one live set");
    let list = app
        .get::<ep::ListDemographics>(&sessions[0], &[client])
        .await
        .ok();
    assert_eq!(list.records.len(), 1, "{list:?}");
    one_chain(
        &first[0],
        &old_values(&app, live[0].0, "additional_race_ethnicity").await,
        &json!(details!(list.records[0], Demographics).additional_race_ethnicity),
        &winners,
    );
}
