//! The test clock (`HEARTH_TEST_CLOCK=1`): `POST /api/v1/test/clock/advance` moves the server's
//! clock, and every date decision with it, only on a server started with it, on loopback; it is
//! never in the OpenAPI document. Browser tests use it to reach R-3's 14 days without waiting.

use crate::conflicts::{attempt, day, escalate, open_first_name_conflict, too_early};
use crate::support::{
    client, fresh_dir, spawn_app, spawn_app_with_test_clock, RemoveOnDrop, TestApp,
};
use chrono::Duration;
use serde_json::{json, Value};
use server::clock::{Clock, ManualClock};
use server::{Application, Config};

const ADVANCE: &str = "/test/clock/advance";

async fn advance(app: &TestApp, body: Value) -> (u16, Value) {
    let res = client()
        .post(app.url(ADVANCE))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_test_clock_is_absent_unless_enabled_and_never_documented() {
    let off = spawn_app().await;
    let before = off.clock.now();
    let (status, body) = advance(&off, json!({ "days": 14 })).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(off.clock.now(), before, "nothing moved");
    let on = spawn_app_with_test_clock().await;
    for app in [&off, &on] {
        let doc = reqwest::get(app.url("/openapi.json"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            doc.contains("/api/v1/clients") || doc.contains("/clients"),
            "a real document"
        );
        assert!(
            !doc.contains("/test/clock"),
            "the test clock is not documented"
        );
    }
}

#[tokio::test]
async fn the_test_clock_moves_the_servers_clock_by_days_and_hours_when_enabled() {
    let app = spawn_app_with_test_clock().await;
    let start = app.clock.now();
    let (status, body) = advance(&app, json!({ "days": 2, "hours": 3 })).await;
    assert_eq!(status, 200, "{body}");
    let now = start + Duration::days(2) + Duration::hours(3);
    assert_eq!(app.clock.now(), now);
    assert_eq!(body["now"], now.format("%Y-%m-%dT%H:%M:%S").to_string());
    assert_eq!(body["today"], now.date().to_string());
    // The due jobs ran at the new time (the daily entry/exit scan of a new day).
    assert!(body["jobs"]["scanned"].as_u64().is_some(), "{body}");
    let (status, _) = advance(&app, json!({ "hours": 1 })).await;
    assert_eq!(status, 200);
    assert_eq!(app.clock.now(), now + Duration::hours(1));
}

#[tokio::test]
async fn the_test_clock_never_moves_back_and_names_the_bad_field() {
    let app = spawn_app_with_test_clock().await;
    let start = app.clock.now();
    for (body, field) in [
        (json!({ "days": -1 }), "days"),
        (json!({ "hours": -5 }), "hours"),
        (json!({ "days": 100000 }), "days"),
    ] {
        let (status, answer) = advance(&app, body.clone()).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(answer["field"], field, "{body}: {answer}");
    }
    let (status, _) = advance(&app, json!({ "weeks": 2 })).await;
    assert_eq!(status, 422, "an unknown field");
    assert_eq!(app.clock.now(), start);
}

#[tokio::test]
async fn r3_a_conflicts_escalation_refused_at_day_seven_is_allowed_after_advancing_to_day_fourteen()
{
    let app = spawn_app_with_test_clock().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = open_first_name_conflict(&app, &shelter).await;
    attempt(&app, "shelter.cw", id, &day(0), "no_answer")
        .await
        .ok();
    assert_eq!(advance(&app, json!({ "days": 7 })).await.0, 200);
    attempt(&app, "shelter.cw", id, &day(7), "no_answer")
        .await
        .ok();
    let (attempts, _, span, days_needed, _) = too_early(escalate(&app, "shelter.cw", id).await);
    assert_eq!((attempts, span, days_needed), (2, 7, 14), "day 7");
    assert_eq!(advance(&app, json!({ "days": 7 })).await.0, 200);
    attempt(&app, "shelter.cw", id, &day(14), "no_answer")
        .await
        .ok();
    let a = escalate(&app, "shelter.cw", id).await;
    assert_eq!(a.status, 200, "day 14: {a:?}");
}

#[tokio::test]
async fn the_test_clock_is_refused_at_start_up_on_an_address_that_is_not_loopback() {
    let dir = RemoveOnDrop(fresh_dir());
    let config = |listen: &str| {
        let mut c = Config::for_tests(
            format!("sqlite://{}/hearth.db", dir.0.display()),
            dir.0.join("dist"),
        );
        c.listen = listen.to_owned();
        c.test_clock = true;
        c
    };
    let clock = ManualClock::new(chrono::Utc::now().naive_utc());
    let refused = Application::build_with_test_clock(config("0.0.0.0:0"), clock)
        .await
        .err()
        .expect("refused on 0.0.0.0");
    assert!(
        refused.to_string().contains("HEARTH_TEST_CLOCK"),
        "{refused}"
    );
    assert!(
        Application::build(config("0.0.0.0:0")).await.is_err(),
        "build reads Config::test_clock"
    );
    assert!(
        Application::build(config("127.0.0.1:0")).await.is_ok(),
        "loopback is fine"
    );
}
