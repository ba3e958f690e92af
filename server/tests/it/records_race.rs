//! Simultaneous writes to the same client records (R-4, R-5, P-3): many real requests at once
//! against the real server, on a multi-threaded runtime, then the stored state is checked. A
//! request either wins (2xx) or is told the records changed meanwhile (409); never both, and the
//! history keeps every old value once.
//!
//! Demo facts: client 1 (id 1, H0001001) is Bull City Shelter's (org 2); every demo client has
//! one current phone row and one demographics set.

use crate::records::{count, enrollment, send};
use crate::support::{spawn_app, TestApp};
use serde_json::{json, Value};
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

/// Sends `bodies[i]` as `method path` with session `i % sessions.len()`, all at once; returns
/// each request's status and body, in the order of `bodies`.
async fn all_at_once(
    app: &TestApp,
    sessions: &[reqwest::Client],
    method: &'static str,
    path: &str,
    bodies: Vec<Value>,
) -> Vec<(u16, Value)> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(bodies.len()));
    let mut tasks = Vec::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let c = sessions[i % sessions.len()].clone();
        let url = app.url(path);
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let req = c
                .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
                .json(&body);
            barrier.wait().await;
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            (status, serde_json::from_str(&text).unwrap_or(Value::Null))
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

fn is_conflict(status: u16, body: &Value) -> bool {
    status == 409
        && body["error"]
            .as_str()
            .is_some_and(|e| e.contains("changed meanwhile") && e.contains("reload"))
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
        .map(|i| {
            json!({ "contact_kind": "Phone", "value": format!("(919) 555-02{i:02}"),
                    "start_date": "2026-11-22", "replaces": [old], "client_directed": true,
                    "notify_owners": true })
        })
        .collect();
    let answers = all_at_once(&app, &sessions, "POST", "/clients/1/contacts", bodies).await;

    for (status, body) in &answers {
        assert!(
            *status == 201 || is_conflict(*status, body),
            "each change wins or is told to reload: {status} {body}"
        );
    }
    let won: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(
        won.len(),
        1,
        "the first change wins, the others replaced a row no longer current"
    );
    let winner = won[0];
    assert_eq!(winner["end_dated"], json!([old]));

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
    let new_id = winner["row"]["meta"]["id"].as_i64().unwrap();
    let new_row = after.iter().find(|r| r.0 == new_id).unwrap();
    assert_eq!(new_row.4, None);
    assert_eq!(winner["row"]["details"]["value"], json!(new_row.2));
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
    let notified = winner["notified"].as_array().unwrap().len() as i64;
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
    let (_, list) = send(&app, &shelter, "GET", "/clients/1/contacts", None).await;
    let old = list["records"][0]["meta"]["id"].as_i64().unwrap();
    let change = |value: &str| {
        json!({ "contact_kind": "Phone", "value": value, "start_date": "2026-11-22",
                "replaces": [old], "client_directed": true })
    };
    // Both loaded the rows; the shelter's change comes first.
    let (status, v) = send(
        &app,
        &shelter,
        "POST",
        "/clients/1/contacts",
        Some(change("(919) 555-0301")),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let records = count(&app, "SELECT COUNT(*) FROM records").await;
    let history_rows = count(&app, "SELECT COUNT(*) FROM record_history").await;
    // Eno River's change still replaces the row the shelter's change ended: told to reload,
    // and nothing is written (no second current phone, no note).
    let (status, v) = send(
        &app,
        &housing,
        "POST",
        "/clients/1/contacts",
        Some(change("(919) 555-0302")),
    )
    .await;
    assert!(is_conflict(status, &v), "{status} {v}");
    assert_eq!(v["field"], Value::Null);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, records);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM record_history").await,
        history_rows
    );
    // After reloading, Eno River replaces the current row.
    let (_, list) = send(&app, &housing, "GET", "/clients/1/contacts", None).await;
    let current: Vec<i64> = list["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["details"]["end_date"].is_null())
        .map(|r| r["meta"]["id"].as_i64().unwrap())
        .collect();
    let mut body = change("(919) 555-0302");
    body["replaces"] = json!(current);
    let (status, v) = send(&app, &housing, "POST", "/clients/1/contacts", Some(body)).await;
    assert_eq!(status, 201, "{v}");
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
    let (status, v) = send(
        &app,
        &sessions[0],
        "POST",
        "/clients/1/enrollments",
        Some(enrollment()),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let id = v["meta"]["id"].as_i64().unwrap();
    let bodies: Vec<Value> = (0..N)
        .map(|i| json!({ "case_name": format!("Household {i}") }))
        .collect();
    let answers = all_at_once(
        &app,
        &sessions,
        "PATCH",
        &format!("/records/{id}"),
        bodies.clone(),
    )
    .await;
    let mut winners = Vec::new();
    for ((status, body), sent) in answers.iter().zip(&bodies) {
        match status {
            200 => winners.push(sent["case_name"].clone()),
            _ => assert!(is_conflict(*status, body), "{status} {body}"),
        }
    }
    assert!(!winners.is_empty());
    let (_, stored) = send(&app, &sessions[0], "GET", &format!("/records/{id}"), None).await;
    one_chain(
        &json!("Rivera household"),
        &old_values(&app, id, "case_name").await,
        &stored["details"]["case_name"],
        &winners,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn s1_simultaneous_first_demographics_of_a_client_make_one_live_set() {
    let app = spawn_app().await;
    let sessions = sessions(&app, &["shelter.cw", "housing.cw", "outreach.cw"]).await;
    let intake = json!({ "first_name": "Ana", "last_name": "Reyes", "date_of_birth": "1990-05-01",
        "dob_data_quality": "full", "ssn_data_quality": "data_not_collected" });
    let (status, v) = send(&app, &sessions[2], "POST", "/clients", Some(intake)).await;
    assert_eq!(status, 201, "{v}");
    let client = v["id"].as_i64().unwrap();
    let bodies: Vec<Value> = (0..N)
        .map(|i| json!({ "race": format!("Race {i}") }))
        .collect();
    let path = format!("/clients/{client}/demographics");
    let answers = all_at_once(&app, &sessions, "PUT", &path, bodies.clone()).await;
    let (mut first, mut winners) = (Vec::new(), Vec::new());
    for ((status, body), sent) in answers.iter().zip(&bodies) {
        match status {
            201 => first.push(sent["race"].clone()),
            200 => winners.push(sent["race"].clone()),
            _ => assert!(is_conflict(*status, body), "{status} {body}"),
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
    let (_, list) = send(&app, &sessions[0], "GET", &path, None).await;
    assert_eq!(list["records"].as_array().unwrap().len(), 1, "{list}");
    one_chain(
        &first[0],
        &old_values(&app, live[0].0, "race").await,
        &list["records"][0]["details"]["race"],
        &winners,
    );
}
