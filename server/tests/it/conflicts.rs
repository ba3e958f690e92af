//! Data conflicts: opening, contact attempts, escalation thresholds on the
//! controllable clock, agreement resolved by the permitted party's intake change, and bad input.
//!
//! Demo facts (see `clients.rs` and `records.rs`): client 2 (`H0001002`, first name Jordan, no
//! middle name) was entered by Eno River Housing (org 3) user 7 (housing.cw2); Eno River's only
//! AgencyAdmin is user 5 (housing.admin). Users 2 shelter.admin, 3 shelter.cw (org 2), 6 housing.cw,
//! 8 outreach.admin, 9 outreach.cw (org 4), 1 coc.admin (the only SystemAdmin).

use crate::records::{count, send};
use crate::refused;
use crate::support::{date, spawn_app, Answer, TestApp};
use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use shared::api::endpoint::NoBody;
use shared::api::endpoints::{self as ep, ConflictListQuery};
use shared::api::resolution::{
    AgreeRequest, ConflictView, DocumentationRequest, IntakeChangeRequest, NewAttemptRequest,
    NewConflictRequest,
};
use shared::fields::Field;
use shared::ids::{OrgId, RecordId, UserId};
use shared::notify::ConflictId;
use shared::resolution::{ConflictState, ConflictSubject};
use shared::Reason;

/// Moves the clock `days` days on.
pub fn advance(app: &TestApp, days: i64) {
    app.clock.advance(Duration::days(days));
}

/// The clock's date, `days` after the first test day, as `YYYY-MM-DD`.
pub fn day(days: i64) -> String {
    (crate::support::today() + Duration::days(days)).to_string()
}

/// A data conflict's opening: the client stated `stated` for `field`.
pub fn stated(field: &str, stated: &str) -> NewConflictRequest {
    NewConflictRequest {
        field: field.into(),
        stated_value: stated.into(),
    }
}

/// Opens a data conflict on client 2's legal first name as `c`; returns its id.
pub async fn open_first_name_conflict(app: &TestApp, c: &reqwest::Client) -> i64 {
    let body = stated("legal_first_name", "Jordyn");
    app.send::<ep::OpenConflict>(c, &[2], &body).await.ok().id.0
}

/// A contact attempt's record.
pub fn attempt_on(when: &str, how: &str, outcome: &str) -> NewAttemptRequest {
    NewAttemptRequest {
        when: when.into(),
        how: how.into(),
        outcome: outcome.into(),
    }
}

/// Logs an attempt as `user` (signed in afresh: moving the clock ends sessions).
pub async fn attempt(
    app: &TestApp,
    user: &str,
    conflict: i64,
    when: &str,
    outcome: &str,
) -> Answer<ConflictView> {
    let c = app.sign_in(user).await;
    let body = attempt_on(when, "phone", outcome);
    app.send::<ep::LogConflictAttempt>(&c, &[conflict], &body)
        .await
}

/// Asks to escalate as `user` (signed in afresh).
pub async fn escalate(app: &TestApp, user: &str, conflict: i64) -> Answer<ConflictView> {
    let c = app.sign_in(user).await;
    app.get::<ep::EscalateConflict>(&c, &[conflict]).await
}

/// The `state` query of `GET /conflicts`.
pub fn in_state(state: &str) -> ConflictListQuery {
    ConflictListQuery {
        state: Some(state.into()),
        ..Default::default()
    }
}

/// The too-early refusal of an escalation: (attempts, attempts needed, span, days
/// needed, next attempt on or after).
#[track_caller]
pub fn too_early(answer: Answer<ConflictView>) -> (u32, u32, i64, u32, Option<NaiveDate>) {
    match refused!(answer, 403, Reason::EscalationTooEarly { .. }).reason {
        Some(Reason::EscalationTooEarly {
            attempts,
            attempts_needed,
            span_days,
            days_needed,
            next_attempt_on_or_after,
        }) => (
            attempts,
            attempts_needed,
            span_days,
            days_needed,
            next_attempt_on_or_after,
        ),
        _ => unreachable!(),
    }
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
    let v = app
        .send::<ep::OpenConflict>(&shelter, &[2], &stated("legal_first_name", " Jordyn "))
        .await
        .ok();
    assert_eq!(v.hmis_number.to_string(), "H0001002");
    assert_eq!(
        v.subject,
        ConflictSubject::Field {
            field: Field::LegalFirstName,
            // The server fills in the stored value.
            stored: "Jordan".into(),
            stated: "Jordyn".into(),
        }
    );
    assert_eq!(v.state, ConflictState::Open);
    assert_eq!(v.reporter_org, OrgId(2));
    assert_eq!(
        v.addressed_org,
        OrgId(3),
        "the organization that entered the value"
    );
    assert_eq!(
        v.addressed_user,
        Some(UserId(7)),
        "the user that entered the value"
    );
    // The stored value is not changed.
    let p = app.get::<ep::GetClientProfile>(&shelter, &[2]).await.ok();
    assert_eq!(p.intake.first_name, "Jordan");
    // The entering user is told, by HMIS number only.
    let n = notifications(&app).await;
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].0, 7);
    assert_eq!(n[0].1, "data_conflict_opened");
    assert!(n[0].2.contains("H0001002"));
    // Both parties list it; a third agency does not see it.
    let housing = app.sign_in("housing.cw").await;
    for c in [&shelter, &housing] {
        let list = app
            .call::<ep::ListConflicts>(c, &[], &in_state("open"), &NoBody)
            .await
            .ok();
        assert_eq!(list.len(), 1, "{list:?}");
    }
    let outreach = app.sign_in("outreach.cw").await;
    let list = app
        .call::<ep::ListConflicts>(&outreach, &[], &Default::default(), &NoBody)
        .await
        .ok();
    assert_eq!(list.len(), 0);
    let id = v.id;
    let a = app.get::<ep::GetConflict>(&outreach, &[id.0]).await;
    assert_eq!(a.status, 404, "not a party: not found");
    let one = app.get::<ep::GetConflict>(&housing, &[id.0]).await.ok();
    assert_eq!(one.id, id);
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
    let v = app
        .send::<ep::OpenConflict>(&shelter, &[2], &stated("ssn", "123-45-6789"))
        .await
        .ok();
    let ConflictSubject::Field { stored, stated, .. } = v.subject else {
        panic!("a field conflict: {v:?}");
    };
    assert_eq!(stated, "***-**-6789");
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
    let shelter = app.sign_in("shelter.cw").await;
    // Eno River entered the value; the shelter states the stored value.
    for (c, stated_value, field) in [
        (&housing, "Jordyn", "field"),
        (&shelter, "Jordan", "stated_value"),
    ] {
        let body = stated("legal_first_name", stated_value);
        let e = app
            .send::<ep::OpenConflict>(c, &[2], &body)
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM conflicts").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM notifications").await, 0);
}

#[tokio::test]
async fn r3_escalation_needs_three_unanswered_attempts_two_are_refused() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = open_first_name_conflict(&app, &shelter).await;
    attempt(&app, "shelter.cw", id, &day(0), "no_answer")
        .await
        .ok_with(201);
    advance(&app, 14);
    attempt(&app, "shelter.cw", id, &day(14), "left_message")
        .await
        .ok_with(201);
    // An answered call does not count toward escalation.
    attempt(&app, "shelter.cw", id, &day(14), "reached")
        .await
        .ok_with(201);
    let (attempts, needed, span, _, _) = too_early(escalate(&app, "shelter.cw", id).await);
    assert_eq!((attempts, needed, span), (2, 3, 14));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind = 'ProfileNote' AND client_id = 2"
        )
        .await,
        0
    );
    attempt(&app, "shelter.cw", id, &day(14), "no_answer")
        .await
        .ok_with(201);
    let v = escalate(&app, "shelter.cw", id).await.ok_with(200);
    assert!(matches!(v.state, ConflictState::Escalated { .. }), "{v:?}");
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
    let (attempts, _, span, days_needed, next) = too_early(escalate(&app, "shelter.cw", id).await);
    assert_eq!(
        (attempts, span, days_needed, next),
        (3, 13, 14, Some(date(&day(14)))),
        "day 13"
    );
    // The view says the same before the user tries.
    let shelter = app.sign_in("shelter.cw").await;
    let view = app.get::<ep::GetConflict>(&shelter, &[id]).await.ok();
    assert!(!view.escalation.allowed);
    // The span is between attempts, not up to today: day 14 alone changes nothing.
    advance(&app, 1);
    assert_eq!(escalate(&app, "shelter.cw", id).await.status, 403);
    attempt(&app, "shelter.cw", id, &day(14), "no_answer").await;
    let a = escalate(&app, "shelter.cw", id).await;
    assert_eq!(a.status, 200, "day 14: {a:?}");
    // Only the reporting agency escalates, once.
    assert_eq!(escalate(&app, "shelter.cw", id).await.status, 403);
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
    let v = escalate(&app, "shelter.cw", id).await.ok_with(200);
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
    assert_eq!(v.note, Some(RecordId(note_id)));
    // The note is on the profile for every agency (tier 2).
    let outreach = app.sign_in("outreach.cw").await;
    let p = app.get::<ep::GetClientProfile>(&outreach, &[2]).await.ok();
    assert!(p.records.iter().any(|r| r.meta.id == RecordId(note_id)));
    // Exactly one notification: Eno River's AgencyAdmin, confirming the conflict and the note.
    let n = notifications(&app).await;
    let new: Vec<_> = n[before..].to_vec();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].0, 5, "housing.admin");
    assert_eq!(new[0].1, "data_conflict_escalated");
    assert!(new[0].3.contains(&format!("#{note_id}")), "{}", new[0].3);
    assert_notifications_name_no_client(&app, &["Jordyn"], &[]).await;
}

/// An intake change of `field` to `value`, without documentation.
pub fn change_to(field: &str, value: &str) -> IntakeChangeRequest {
    IntakeChangeRequest {
        field: field.into(),
        value: Some(value.into()),
        documentation: None,
    }
}

fn agree(agreed_value: &str, updater: i64) -> AgreeRequest {
    AgreeRequest {
        agreed_value: agreed_value.into(),
        updater,
    }
}

#[tokio::test]
async fn r3_an_agreed_value_is_resolved_by_the_agreed_updaters_intake_change() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    let id = open_first_name_conflict(&app, &shelter).await;
    let v = app
        .send::<ep::AgreeConflict>(&housing, &[id], &agree("stated", 3))
        .await
        .ok();
    assert!(matches!(v.state, ConflictState::Agreed { .. }), "{v:?}");
    // Another value written does not resolve it.
    let change = |value: &str| change_to("legal_first_name", value);
    let v = app
        .send::<ep::ChangeIntake>(&housing, &[2], &change("Jordi"))
        .await
        .ok();
    assert_eq!(v.resolved_conflicts, []);
    // The entering agency writes the agreed value: no documentation needed, conflict resolved.
    let v = app
        .send::<ep::ChangeIntake>(&housing, &[2], &change("Jordyn"))
        .await
        .ok();
    assert_eq!(v.decision.reason, Reason::YourAgency);
    assert_eq!(v.resolved_conflicts, [ConflictId(id)]);
    let c = app.get::<ep::GetConflict>(&shelter, &[id]).await.ok();
    assert!(matches!(c.state, ConflictState::Resolved { .. }), "{c:?}");
    let p = app.get::<ep::GetClientProfile>(&shelter, &[2]).await.ok();
    assert_eq!(p.intake.first_name, "Jordyn");
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
    let body = agree("stored", 3);
    app.send::<ep::AgreeConflict>(&outreach, &[id], &body)
        .await
        .refused(404);
    let a = app
        .send::<ep::AgreeConflict>(&shelter, &[id], &agree("stored", 4))
        .await;
    assert_eq!(a.status, 403, "the updater must be a party: {a:?}");
    let v = app
        .send::<ep::AgreeConflict>(&shelter, &[id], &body)
        .await
        .ok();
    assert!(matches!(v.state, ConflictState::Resolved { .. }), "{v:?}");
}

#[tokio::test]
async fn r1_another_agencys_single_answer_value_changes_only_with_written_documentation() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let change = change_to("date_of_birth", "1980-04-30");
    refused!(
        app.send::<ep::ChangeIntake>(&shelter, &[2], &change).await,
        403,
        Reason::NeedsDocumentation { .. }
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intake_history").await, 0);
    // A scan of a Social Security card is never accepted as documentation.
    let (attachment,): (i64,) = sqlx::query_as(
        "SELECT id FROM records WHERE client_id = 2 AND kind = 'Attachment' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let with = |document: &str| IntakeChangeRequest {
        documentation: Some(DocumentationRequest {
            document: document.into(),
            attachment_id: Some(attachment),
        }),
        ..change.clone()
    };
    refused!(
        app.send::<ep::ChangeIntake>(&shelter, &[2], &with("social_security_card"))
            .await,
        403,
        Reason::SocialSecurityCardRefused
    );
    let v = app
        .send::<ep::ChangeIntake>(&shelter, &[2], &with("birth_certificate"))
        .await
        .ok();
    assert!(
        matches!(v.decision.reason, Reason::Documented { .. }),
        "{v:?}"
    );
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
    refused!(
        app.send::<ep::ChangeIntake>(&housing, &[2], &change).await,
        403,
        Reason::NeedsDocumentation {
            entered_by: OrgId(2),
            ..
        }
    );
}

#[tokio::test]
async fn r1_the_entering_agency_changes_its_own_value_and_filling_an_empty_value_needs_nothing() {
    let app = spawn_app().await;
    let housing = app.sign_in("housing.cw").await;
    let v = app
        .send::<ep::ChangeIntake>(
            &housing,
            &[2],
            &change_to("legal_last_name", "Okafor-Smith"),
        )
        .await
        .ok();
    assert_eq!(v.decision.reason, Reason::YourAgency, "{v:?}");
    // Client 2 has no middle name: any agency fills it in.
    let shelter = app.sign_in("shelter.cw").await;
    let v = app
        .send::<ep::ChangeIntake>(&shelter, &[2], &change_to("legal_middle_name", "Lee"))
        .await
        .ok();
    assert_eq!(v.decision.reason, Reason::EmptyValue, "{v:?}");
    let p = app.get::<ep::GetClientProfile>(&shelter, &[2]).await.ok();
    assert_eq!(p.intake.middle_name.as_deref(), Some("Lee"));
    // Contact data is never overwritten in place.
    refused!(
        app.send::<ep::ChangeIntake>(&shelter, &[2], &change_to("phone", "919-555-0100"))
            .await,
        403,
        Reason::ContactDataIsEndDated
    );
}

#[tokio::test]
async fn bad_input_is_a_4xx_naming_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    for (client, body, status, field) in [
        (2, stated("favourite_colour", "blue"), 422, Some("field")),
        (2, stated("gender", "Woman"), 422, Some("field")),
        (2, stated("phone", "919-555-0100"), 422, Some("field")),
        (
            2,
            stated("legal_first_name", "  "),
            422,
            Some("stated_value"),
        ),
        (
            2,
            stated("date_of_birth", "yesterday"),
            422,
            Some("stated_value"),
        ),
        (
            2,
            stated("date_of_birth", "2030-01-01"),
            422,
            Some("stated_value"),
        ),
        (2, stated("ssn", "12345"), 422, Some("stated_value")),
        (999, stated("legal_first_name", "Jordyn"), 404, None),
    ] {
        let e = app
            .send::<ep::OpenConflict>(&shelter, &[client], &body)
            .await
            .refused(status);
        assert_eq!(e.field.as_deref(), field, "{client} {body:?}: {e:?}");
    }
    let e = app
        .send::<ep::LogConflictAttempt>(
            &shelter,
            &[999],
            &attempt_on(&day(0), "phone", "no_answer"),
        )
        .await
        .refused(404);
    assert_eq!(e.field, None);
    // Bodies no wire type can carry: a missing value, and a body where none is taken.
    for (path, body, status, field) in [
        (
            "/clients/2/conflicts",
            json!({ "field": "ssn" }),
            422,
            Some("stated_value"),
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
    let document = |document: &str, attachment_id| IntakeChangeRequest {
        documentation: Some(DocumentationRequest {
            document: document.into(),
            attachment_id,
        }),
        ..change_to("legal_middle_name", "Lee")
    };
    for (body, field) in [
        (change_to("shoe_size", "9"), "field"),
        (change_to("ethnicity", "x"), "field"),
        (change_to("legal_first_name", ""), "value"),
        (change_to("ssn", "000-12-3456"), "value"),
        (document("napkin", None), "documentation.document"),
        (document("passport", Some(1)), "documentation.attachment_id"),
    ] {
        let e = app
            .send::<ep::ChangeIntake>(&shelter, &[2], &body)
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some(field), "{body:?}: {e:?}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM conflicts").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM intake_history").await, 0);
    let id = open_first_name_conflict(&app, &shelter).await;
    for (body, field) in [
        (attempt_on(&day(1), "phone", "no_answer"), "when"),
        (attempt_on(&day(-1), "phone", "no_answer"), "when"),
        (attempt_on("22/11/2026", "phone", "no_answer"), "when"),
        (attempt_on(&day(0), "pigeon", "no_answer"), "how"),
        (attempt_on(&day(0), "phone", "maybe"), "outcome"),
    ] {
        let e = app
            .send::<ep::LogConflictAttempt>(&shelter, &[id], &body)
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some(field), "{body:?}: {e:?}");
    }
    for (body, field) in [(agree("both", 3), "agreed_value")] {
        let e = app
            .send::<ep::AgreeConflict>(&shelter, &[id], &body)
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some(field), "{body:?}: {e:?}");
    }
    let e = app
        .call::<ep::ListConflicts>(&shelter, &[], &in_state("maybe"), &NoBody)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("state"));
    // A query parameter of the wrong type is a 422 in our error format, never axum's plain 400.
    // (The typed queries cannot carry one: these are raw on purpose.)
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
    refused!(
        attempt(&app, "housing.cw", id, &day(0), "no_answer").await,
        403,
        Reason::NotAPartyToConflict
    );
}

#[tokio::test]
async fn r1_a_documented_change_makes_the_changing_agency_and_user_the_values_source() {
    use server::clock::Clock as _;
    let app = spawn_app().await;
    // Client 2's date of birth was entered by Eno River Housing (org 3, user 7).
    let outreach = app.sign_in("outreach.cw").await;
    let before = app.get::<ep::GetClientProfile>(&outreach, &[2]).await.ok();
    let dob = before.intake.source(Field::DateOfBirth).copied().unwrap();
    assert_eq!((dob.org, dob.user), (OrgId(3), UserId(7)));
    // The shelter (org 2, user 3) changes it with a birth certificate.
    let shelter = app.sign_in("shelter.cw").await;
    let documented = IntakeChangeRequest {
        documentation: Some(DocumentationRequest {
            document: "birth_certificate".into(),
            attachment_id: None,
        }),
        ..change_to("date_of_birth", "1980-04-30")
    };
    let v = app
        .send::<ep::ChangeIntake>(&shelter, &[2], &documented)
        .await
        .ok();
    assert!(
        matches!(v.decision.reason, Reason::Documented { .. }),
        "{v:?}"
    );
    // The profile names the shelter and its user as the value's source; the other fields keep
    // theirs.
    let after = app.get::<ep::GetClientProfile>(&outreach, &[2]).await.ok();
    let dob = after.intake.source(Field::DateOfBirth).copied().unwrap();
    assert_eq!((dob.org, dob.user), (OrgId(2), UserId(3)));
    assert_eq!(dob.at, app.clock.now());
    let first = after.intake.source(Field::LegalFirstName).copied().unwrap();
    assert_eq!((first.org, first.user), (OrgId(3), UserId(7)));
    // R-1's next decision uses the new source: the original agency now needs documentation,
    // and the refusal names the shelter; the shelter changes its own value freely.
    let housing = app.sign_in("housing.cw").await;
    refused!(
        app.send::<ep::ChangeIntake>(&housing, &[2], &change_to("date_of_birth", "1980-05-01"))
            .await,
        403,
        Reason::NeedsDocumentation {
            field: Field::DateOfBirth,
            entered_by: OrgId(2),
        }
    );
    let v = app
        .send::<ep::ChangeIntake>(&shelter, &[2], &change_to("date_of_birth", "1980-05-01"))
        .await
        .ok();
    assert_eq!(v.decision.reason, Reason::YourAgency);
    // A data conflict on the value is addressed to its source.
    let conflict = app
        .send::<ep::OpenConflict>(&outreach, &[2], &stated("date_of_birth", "1980-06-01"))
        .await
        .ok();
    assert_eq!(
        (conflict.addressed_org, conflict.addressed_user),
        (OrgId(2), Some(UserId(3)))
    );
}
