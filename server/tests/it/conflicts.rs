//! Data conflicts: opening, contact attempts, escalation thresholds on the
//! controllable clock, agreement resolved by the permitted party's intake change, and bad input.
//!
//! Demo facts (see `clients.rs` and `records.rs`): client 2 (`H0001002`, first name Jordan, no
//! middle name) was entered by Eno River Housing (org 3) user 7 (housing.cw2); Eno River's only
//! AgencyAdmin is user 5 (housing.admin). Users 2 shelter.admin, 3 shelter.cw (org 2), 6 housing.cw,
//! 8 outreach.admin, 9 outreach.cw (org 4), 1 coc.admin (the only SystemAdmin).

use crate::records::{count, send};
use crate::support::{spawn_app, TestApp};
use chrono::Duration;
use serde_json::{json, Value};

/// Moves the clock `days` days on.
pub fn advance(app: &TestApp, days: i64) {
    app.clock.advance(Duration::days(days));
}

/// The clock's date, `days` after the first test day, as `YYYY-MM-DD`.
pub fn day(days: i64) -> String {
    (crate::support::today() + Duration::days(days)).to_string()
}

/// Opens a data conflict on client 2's legal first name as `c`; returns its id.
pub async fn open_first_name_conflict(app: &TestApp, c: &reqwest::Client) -> i64 {
    let (status, v) = send(
        app,
        c,
        "POST",
        "/clients/2/conflicts",
        Some(json!({ "field": "legal_first_name", "stated_value": "Jordyn" })),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    v["id"].as_i64().unwrap()
}

/// Logs an attempt as `user` (signed in afresh: moving the clock ends sessions).
pub async fn attempt(
    app: &TestApp,
    user: &str,
    conflict: i64,
    when: &str,
    outcome: &str,
) -> (u16, Value) {
    let c = app.sign_in(user).await;
    send(
        app,
        &c,
        "POST",
        &format!("/conflicts/{conflict}/attempts"),
        Some(json!({ "when": when, "how": "phone", "outcome": outcome })),
    )
    .await
}

/// Asks to escalate as `user` (signed in afresh).
pub async fn escalate(app: &TestApp, user: &str, conflict: i64) -> (u16, Value) {
    let c = app.sign_in(user).await;
    send(
        app,
        &c,
        "POST",
        &format!("/conflicts/{conflict}/escalate"),
        None,
    )
    .await
}

/// Every stored notification as (user id, template, subject, body).
pub async fn notifications(app: &TestApp) -> Vec<(i64, String, String, String)> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT user_id, payload, subject, body FROM notifications ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(u, payload, s, b)| {
            let p: Value = serde_json::from_str(&payload).unwrap();
            (
                u,
                p["message"]["template"].as_str().unwrap().to_owned(),
                s,
                b,
            )
        })
        .collect()
}

/// The words and numbers that identify a demo client: first, middle and last names, the date of
/// birth in the usual formats and the SSN with and without dashes.
pub async fn client_identifiers(app: &TestApp) -> Vec<String> {
    type Row = (
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT first_name, middle_name, last_name, date_of_birth, ssn FROM clients",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut out = Vec::new();
    for (first, middle, last, dob, ssn) in rows {
        out.push(first);
        out.extend(middle);
        out.push(last);
        if let Some(d) = dob.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()) {
            for f in [
                "%Y-%m-%d",
                "%m/%d/%Y",
                "%-m/%-d/%Y",
                "%Y%m%d",
                "%m-%d-%Y",
                "%B %-d, %Y",
            ] {
                out.push(d.format(f).to_string());
            }
        }
        if let Some(s) = ssn {
            out.push(s.clone());
            out.push(s.chars().filter(char::is_ascii_digit).collect());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether `text` contains `needle` as a whole word (names) or anywhere (dates, numbers).
fn mentions(text: &str, needle: &str) -> bool {
    if needle.chars().all(char::is_alphabetic) {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|w| w == needle)
    } else {
        text.contains(needle)
    }
}

/// no notification (subject, body or stored payload) names a client by anything but its
/// HMIS number; `extra` are further values (e.g. stated values) that must not appear either.
pub async fn assert_notifications_name_no_client(app: &TestApp, extra: &[&str], more: &[String]) {
    let mut ids = client_identifiers(app).await;
    ids.extend(extra.iter().map(|s| (*s).to_owned()));
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT payload, subject, body FROM notifications")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let texts: Vec<String> = rows
        .into_iter()
        .flat_map(|(p, s, b)| [p, s, b])
        .chain(more.iter().cloned())
        .collect();
    assert!(!texts.is_empty(), "the test produced notifications");
    for t in &texts {
        for id in &ids {
            assert!(!mentions(t, id), "a notification mentions {id:?}: {t}");
        }
    }
}

#[tokio::test]
async fn r2_a_conflict_records_both_values_addresses_the_entering_user_and_keeps_the_stored_value()
{
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let (status, v) = send(
        &app,
        &shelter,
        "POST",
        "/clients/2/conflicts",
        Some(json!({ "field": "legal_first_name", "stated_value": " Jordyn " })),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["hmis_number"], "H0001002");
    assert_eq!(v["subject"]["field"], "LegalFirstName");
    assert_eq!(
        v["subject"]["stored"], "Jordan",
        "the server fills in the stored value"
    );
    assert_eq!(v["subject"]["stated"], "Jordyn");
    assert_eq!(v["state"]["state"], "open");
    assert_eq!(v["reporter_org"], 2);
    assert_eq!(
        v["addressed_org"], 3,
        "the organization that entered the value"
    );
    assert_eq!(v["addressed_user"], 7, "the user that entered the value");
    // The stored value is not changed.
    let p: Value = app.profile(&shelter, 2).await.json().await.unwrap();
    assert_eq!(p["intake"]["first_name"], "Jordan");
    // The entering user is told, by HMIS number only.
    let n = notifications(&app).await;
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].0, 7);
    assert_eq!(n[0].1, "data_conflict_opened");
    assert!(n[0].2.contains("H0001002"));
    // Both parties list it; a third agency does not see it.
    let housing = app.sign_in("housing.cw").await;
    for c in [&shelter, &housing] {
        let (status, list) = send(&app, c, "GET", "/conflicts?state=open", None).await;
        assert_eq!(status, 200);
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    }
    let outreach = app.sign_in("outreach.cw").await;
    let (_, list) = send(&app, &outreach, "GET", "/conflicts", None).await;
    assert_eq!(list.as_array().unwrap().len(), 0);
    let id = v["id"].as_i64().unwrap();
    let (status, _) = send(&app, &outreach, "GET", &format!("/conflicts/{id}"), None).await;
    assert_eq!(status, 404, "not a party: not found");
    let (status, one) = send(&app, &housing, "GET", &format!("/conflicts/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(one["id"], id);
    // Audited by HMIS number; no value in the audit strings (P-4).
    let audit: Vec<(Option<String>, String, String)> = sqlx::query_as(
        "SELECT hmis_number, action, reason FROM audit_log WHERE action LIKE '%conflict #%'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(audit.len() >= 2, "{audit:?}");
    assert!(audit
        .iter()
        .all(|(h, a, r)| h.as_deref() == Some("H0001002") && !(a.clone() + r).contains("Jord")));
    assert_notifications_name_no_client(&app, &["Jordyn"], &[]).await;
}

#[tokio::test]
async fn r2_an_ssn_conflict_shows_only_the_last_four_digits_of_either_value() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let (status, v) = send(
        &app,
        &shelter,
        "POST",
        "/clients/2/conflicts",
        Some(json!({ "field": "ssn", "stated_value": "123-45-6789" })),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["subject"]["stated"], "***-**-6789");
    let stored = v["subject"]["stored"].as_str().unwrap();
    assert!(
        stored.starts_with("***-**-") && stored.len() == 11,
        "{stored}"
    );
    // Stored in full with the conflict, for the parties' own records.
    let (stated,): (String,) = sqlx::query_as("SELECT subject FROM conflicts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stated.contains("123-45-6789"));
}

#[tokio::test]
async fn r2_no_conflict_on_a_value_your_own_agency_entered_or_on_an_equal_value() {
    let app = spawn_app().await;
    let housing = app.sign_in("housing.cw").await;
    let (status, v) = send(
        &app,
        &housing,
        "POST",
        "/clients/2/conflicts",
        Some(json!({ "field": "legal_first_name", "stated_value": "Jordyn" })),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("field")), "{v}");
    let shelter = app.sign_in("shelter.cw").await;
    let (status, v) = send(
        &app,
        &shelter,
        "POST",
        "/clients/2/conflicts",
        Some(json!({ "field": "legal_first_name", "stated_value": "Jordan" })),
    )
    .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (422, Some("stated_value")),
        "{v}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM conflicts").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM notifications").await, 0);
}

#[tokio::test]
async fn r3_escalation_needs_three_unanswered_attempts_two_are_refused() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = open_first_name_conflict(&app, &shelter).await;
    assert_eq!(
        attempt(&app, "shelter.cw", id, &day(0), "no_answer")
            .await
            .0,
        201
    );
    advance(&app, 14);
    assert_eq!(
        attempt(&app, "shelter.cw", id, &day(14), "left_message")
            .await
            .0,
        201
    );
    // An answered call does not count toward escalation.
    assert_eq!(
        attempt(&app, "shelter.cw", id, &day(14), "reached").await.0,
        201
    );
    let (status, v) = escalate(&app, "shelter.cw", id).await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(v["reason"]["code"], "escalation_too_early");
    assert_eq!(v["reason"]["attempts"], 2);
    assert_eq!(v["reason"]["attempts_needed"], 3);
    assert_eq!(v["reason"]["span_days"], 14);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind = 'ProfileNote' AND client_id = 2"
        )
        .await,
        0
    );
    assert_eq!(
        attempt(&app, "shelter.cw", id, &day(14), "no_answer")
            .await
            .0,
        201
    );
    let (status, v) = escalate(&app, "shelter.cw", id).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["state"]["state"], "escalated");
}

#[tokio::test]
async fn r3_escalation_needs_attempts_spanning_fourteen_days_thirteen_are_refused() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = open_first_name_conflict(&app, &shelter).await;
    attempt(&app, "shelter.cw", id, &day(0), "no_answer").await;
    advance(&app, 7);
    attempt(&app, "shelter.cw", id, &day(7), "no_answer").await;
    advance(&app, 6);
    attempt(&app, "shelter.cw", id, &day(13), "no_answer").await;
    let (status, v) = escalate(&app, "shelter.cw", id).await;
    assert_eq!(status, 403, "day 13: {v}");
    assert_eq!(v["reason"]["attempts"], 3);
    assert_eq!(v["reason"]["span_days"], 13);
    assert_eq!(v["reason"]["days_needed"], 14);
    assert_eq!(v["reason"]["next_attempt_on_or_after"], day(14));
    // The view says the same before the user tries.
    let shelter = app.sign_in("shelter.cw").await;
    let (_, view) = send(&app, &shelter, "GET", &format!("/conflicts/{id}"), None).await;
    assert_eq!(view["escalation"]["allowed"], false);
    // The span is between attempts, not up to today: day 14 alone changes nothing.
    advance(&app, 1);
    assert_eq!(escalate(&app, "shelter.cw", id).await.0, 403);
    attempt(&app, "shelter.cw", id, &day(14), "no_answer").await;
    let (status, v) = escalate(&app, "shelter.cw", id).await;
    assert_eq!(status, 200, "day 14: {v}");
    // Only the reporting agency escalates, once.
    assert_eq!(escalate(&app, "shelter.cw", id).await.0, 403);
}

#[tokio::test]
async fn r3_escalation_adds_exactly_one_profile_note_and_tells_only_the_other_agencys_admins() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = open_first_name_conflict(&app, &shelter).await;
    for d in [0, 7, 14] {
        if d > 0 {
            advance(&app, 7);
        }
        attempt(&app, "shelter.cw", id, &day(d), "no_answer").await;
    }
    let notes_before = count(
        &app,
        "SELECT COUNT(*) FROM records WHERE kind = 'ProfileNote' AND client_id = 2",
    )
    .await;
    let before = notifications(&app).await.len();
    let (status, v) = escalate(&app, "shelter.cw", id).await;
    assert_eq!(status, 200, "{v}");
    // Exactly one ProfileNote, by the escalating user, recording the conflicting data.
    let notes: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT id, org_id, author_id, detail FROM records
         WHERE kind = 'ProfileNote' AND client_id = 2 ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(notes.len() as i64, notes_before + 1);
    let (note_id, org, author, text) = notes.last().unwrap().clone();
    assert_eq!((org, author), (2, 3), "authored by the escalating user");
    assert!(
        text.contains("\"Jordan\"") && text.contains("\"Jordyn\""),
        "{text}"
    );
    assert!(text.contains(&format!("Data conflict #{id}")), "{text}");
    assert_eq!(v["note"], note_id);
    // The note is on the profile for every agency (tier 2).
    let outreach = app.sign_in("outreach.cw").await;
    let p: Value = app.profile(&outreach, 2).await.json().await.unwrap();
    assert!(p["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["meta"]["id"] == note_id));
    // Exactly one notification: Eno River's AgencyAdmin, confirming the conflict and the note.
    let n = notifications(&app).await;
    let new: Vec<_> = n[before..].to_vec();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].0, 5, "housing.admin");
    assert_eq!(new[0].1, "data_conflict_escalated");
    assert!(new[0].3.contains(&format!("#{note_id}")), "{}", new[0].3);
    assert_notifications_name_no_client(&app, &["Jordyn"], &[]).await;
}

#[tokio::test]
async fn r3_an_agreed_value_is_resolved_by_the_agreed_updaters_intake_change() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    let id = open_first_name_conflict(&app, &shelter).await;
    let (status, v) = send(
        &app,
        &housing,
        "POST",
        &format!("/conflicts/{id}/agree"),
        Some(json!({ "agreed_value": "stated", "updater": 3 })),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["state"]["state"], "agreed");
    // Another value written does not resolve it.
    let change = |value: &str| json!({ "field": "legal_first_name", "value": value });
    let (status, v) = send(
        &app,
        &housing,
        "PATCH",
        "/clients/2/intake",
        Some(change("Jordi")),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["resolved_conflicts"], json!([]));
    // The entering agency writes the agreed value: no documentation needed, conflict resolved.
    let (status, v) = send(
        &app,
        &housing,
        "PATCH",
        "/clients/2/intake",
        Some(change("Jordyn")),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["decision"]["reason"]["code"], "your_agency");
    assert_eq!(v["resolved_conflicts"], json!([id]));
    let (_, c) = send(&app, &shelter, "GET", &format!("/conflicts/{id}"), None).await;
    assert_eq!(c["state"]["state"], "resolved");
    let p: Value = app.profile(&shelter, 2).await.json().await.unwrap();
    assert_eq!(p["intake"]["first_name"], "Jordyn");
    // Old values are kept (P-3).
    let old: Vec<(Option<String>,)> =
        sqlx::query_as("SELECT old_value FROM intake_history WHERE client_id = 2 ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(old, vec![(Some("Jordan".into()),), (Some("Jordi".into()),)]);
}

#[tokio::test]
async fn r3_agreeing_on_the_stored_value_resolves_at_once_and_a_stranger_cannot_agree() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = open_first_name_conflict(&app, &shelter).await;
    let outreach = app.sign_in("outreach.cw").await;
    let body = json!({ "agreed_value": "stored", "updater": 3 });
    let (status, _) = send(
        &app,
        &outreach,
        "POST",
        &format!("/conflicts/{id}/agree"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 404);
    let (status, v) = send(
        &app,
        &shelter,
        "POST",
        &format!("/conflicts/{id}/agree"),
        Some(json!({ "agreed_value": "stored", "updater": 4 })),
    )
    .await;
    assert_eq!(status, 403, "the updater must be a party: {v}");
    let (status, v) = send(
        &app,
        &shelter,
        "POST",
        &format!("/conflicts/{id}/agree"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["state"]["state"], "resolved");
}

#[tokio::test]
async fn r1_another_agencys_single_answer_value_changes_only_with_written_documentation() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let change = json!({ "field": "date_of_birth", "value": "1980-04-30" });
    let (status, v) = send(
        &app,
        &shelter,
        "PATCH",
        "/clients/2/intake",
        Some(change.clone()),
    )
    .await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(v["reason"]["code"], "needs_documentation");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intake_history").await, 0);
    // A scan of a Social Security card is never accepted as documentation.
    let (attachment,): (i64,) = sqlx::query_as(
        "SELECT id FROM records WHERE client_id = 2 AND kind = 'Attachment' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut card = change.clone();
    card["documentation"] =
        json!({ "document": "social_security_card", "attachment_id": attachment });
    let (status, v) = send(&app, &shelter, "PATCH", "/clients/2/intake", Some(card)).await;
    assert_eq!(
        (status, v["reason"]["code"].as_str()),
        (403, Some("social_security_card_refused"))
    );
    let mut documented = change.clone();
    documented["documentation"] =
        json!({ "document": "birth_certificate", "attachment_id": attachment });
    let (status, v) = send(
        &app,
        &shelter,
        "PATCH",
        "/clients/2/intake",
        Some(documented),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["decision"]["reason"]["code"], "documented");
    let (doc, att, by_org): (Option<String>, Option<i64>, i64) =
        sqlx::query_as("SELECT documentation, attachment_id, changed_by_org FROM intake_history")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (doc.as_deref(), att, by_org),
        (Some("BirthCertificate"), Some(attachment), 2)
    );
    // The shelter entered the value now: Eno River needs documentation to change it back.
    let housing = app.sign_in("housing.cw").await;
    let (status, v) = send(&app, &housing, "PATCH", "/clients/2/intake", Some(change)).await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(v["reason"]["entered_by"], 2);
}

#[tokio::test]
async fn r1_the_entering_agency_changes_its_own_value_and_filling_an_empty_value_needs_nothing() {
    let app = spawn_app().await;
    let housing = app.sign_in("housing.cw").await;
    let (status, v) = send(
        &app,
        &housing,
        "PATCH",
        "/clients/2/intake",
        Some(json!({ "field": "legal_last_name", "value": "Okafor-Smith" })),
    )
    .await;
    assert_eq!(
        (status, v["decision"]["reason"]["code"].as_str()),
        (200, Some("your_agency")),
        "{v}"
    );
    // Client 2 has no middle name: any agency fills it in.
    let shelter = app.sign_in("shelter.cw").await;
    let (status, v) = send(
        &app,
        &shelter,
        "PATCH",
        "/clients/2/intake",
        Some(json!({ "field": "legal_middle_name", "value": "Lee" })),
    )
    .await;
    assert_eq!(
        (status, v["decision"]["reason"]["code"].as_str()),
        (200, Some("empty_value")),
        "{v}"
    );
    let p: Value = app.profile(&shelter, 2).await.json().await.unwrap();
    assert_eq!(p["intake"]["middle_name"], "Lee");
    // Contact data is never overwritten in place.
    let (status, v) = send(
        &app,
        &shelter,
        "PATCH",
        "/clients/2/intake",
        Some(json!({ "field": "phone", "value": "919-555-0100" })),
    )
    .await;
    assert_eq!(
        (status, v["reason"]["code"].as_str()),
        (403, Some("contact_data_is_end_dated")),
        "{v}"
    );
}

#[tokio::test]
async fn bad_input_is_a_4xx_naming_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let open = |field: &str, stated: &str| json!({ "field": field, "stated_value": stated });
    for (path, body, status, field) in [
        (
            "/clients/2/conflicts",
            open("favourite_colour", "blue"),
            422,
            Some("field"),
        ),
        (
            "/clients/2/conflicts",
            open("gender", "Woman"),
            422,
            Some("field"),
        ),
        (
            "/clients/2/conflicts",
            open("phone", "919-555-0100"),
            422,
            Some("field"),
        ),
        (
            "/clients/2/conflicts",
            open("legal_first_name", "  "),
            422,
            Some("stated_value"),
        ),
        (
            "/clients/2/conflicts",
            open("date_of_birth", "yesterday"),
            422,
            Some("stated_value"),
        ),
        (
            "/clients/2/conflicts",
            open("date_of_birth", "2030-01-01"),
            422,
            Some("stated_value"),
        ),
        (
            "/clients/2/conflicts",
            open("ssn", "12345"),
            422,
            Some("stated_value"),
        ),
        (
            "/clients/2/conflicts",
            json!({ "field": "ssn" }),
            422,
            Some("stated_value"),
        ),
        (
            "/clients/999/conflicts",
            open("legal_first_name", "Jordyn"),
            404,
            None,
        ),
        (
            "/conflicts/999/attempts",
            json!({ "when": day(0), "how": "phone", "outcome": "no_answer" }),
            404,
            None,
        ),
        ("/conflicts/999/escalate", json!({}), 404, None),
    ] {
        let (s, v) = send(&app, &shelter, "POST", path, Some(body.clone())).await;
        assert_eq!(
            (s, v["field"].as_str()),
            (status, field),
            "{path} {body}: {v}"
        );
    }
    for (path, body, field) in [
        (
            "/clients/2/intake",
            json!({ "field": "shoe_size", "value": "9" }),
            "field",
        ),
        (
            "/clients/2/intake",
            json!({ "field": "ethnicity", "value": "x" }),
            "field",
        ),
        (
            "/clients/2/intake",
            json!({ "field": "legal_first_name", "value": "" }),
            "value",
        ),
        (
            "/clients/2/intake",
            json!({ "field": "ssn", "value": "000-12-3456" }),
            "value",
        ),
        (
            "/clients/2/intake",
            json!({ "field": "legal_middle_name", "value": "Lee",
            "documentation": { "document": "napkin" } }),
            "documentation.document",
        ),
        (
            "/clients/2/intake",
            json!({ "field": "legal_middle_name", "value": "Lee",
            "documentation": { "document": "passport", "attachment_id": 1 } }),
            "documentation.attachment_id",
        ),
    ] {
        let (s, v) = send(&app, &shelter, "PATCH", path, Some(body.clone())).await;
        assert_eq!((s, v["field"].as_str()), (422, Some(field)), "{body}: {v}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM conflicts").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intake_history").await, 0);
    let id = open_first_name_conflict(&app, &shelter).await;
    let attempt_body = |when: &str, how: &str, outcome: &str| json!({ "when": when, "how": how, "outcome": outcome });
    for (body, field) in [
        (attempt_body(&day(1), "phone", "no_answer"), "when"),
        (attempt_body(&day(-1), "phone", "no_answer"), "when"),
        (attempt_body("22/11/2026", "phone", "no_answer"), "when"),
        (attempt_body(&day(0), "pigeon", "no_answer"), "how"),
        (attempt_body(&day(0), "phone", "maybe"), "outcome"),
    ] {
        let (s, v) = send(
            &app,
            &shelter,
            "POST",
            &format!("/conflicts/{id}/attempts"),
            Some(body.clone()),
        )
        .await;
        assert_eq!((s, v["field"].as_str()), (422, Some(field)), "{body}: {v}");
    }
    for (body, field) in [(
        json!({ "agreed_value": "both", "updater": 3 }),
        "agreed_value",
    )] {
        let (s, v) = send(
            &app,
            &shelter,
            "POST",
            &format!("/conflicts/{id}/agree"),
            Some(body.clone()),
        )
        .await;
        assert_eq!((s, v["field"].as_str()), (422, Some(field)), "{body}: {v}");
    }
    let (s, v) = send(&app, &shelter, "GET", "/conflicts?state=maybe", None).await;
    assert_eq!((s, v["field"].as_str()), (422, Some("state")));
    // A query parameter of the wrong type is a 422 in our error format, never axum's plain 400.
    for path in ["/conflicts?client=abc", "/entry-exit-conflicts?client=abc"] {
        let (s, v) = send(&app, &shelter, "GET", path, None).await;
        assert_eq!(
            (s, v["field"].as_str()),
            (422, Some("query")),
            "{path}: {v}"
        );
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM conflict_attempts").await,
        0
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM conflict_events").await, 0);
    // The other party does not log attempts (the reporting agency does).
    let (s, v) = attempt(&app, "housing.cw", id, &day(0), "no_answer").await;
    assert_eq!(
        (s, v["reason"]["code"].as_str()),
        (403, Some("not_a_party_to_conflict"))
    );
}
