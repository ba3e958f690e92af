//! Signing in and out, sessions, lockout, CSRF and security headers (P-5).

use crate::support::{client, path, spawn_app, Answer, TestApp, PASSWORD};
use serde_json::json;
use shared::api::endpoints as ep;
use shared::api::{LoginRequest, SessionInfo};
use shared::Role;

fn login(username: &str, password: &str) -> LoginRequest {
    LoginRequest {
        username: username.into(),
        password: password.into(),
    }
}

/// Signs in with a fresh cookie jar.
async fn sign_in_as(app: &TestApp, username: &str, password: &str) -> Answer<SessionInfo> {
    app.send::<ep::SignIn>(&client(), &[], &login(username, password))
        .await
}

/// `GET /session` as `c`: its status.
async fn session_status(app: &TestApp, c: &reqwest::Client) -> u16 {
    app.get::<ep::GetSession>(c, &[]).await.status
}

#[tokio::test]
async fn p5_sign_in_sets_an_http_only_same_site_strict_session_cookie() {
    let app = spawn_app().await;
    // The cookie is a header: read from the raw answer.
    let res = client()
        .post(app.url(&path::<ep::SignIn>(&[])))
        .json(&login("shelter.cw", PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("hearth_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("hearth_session=");
    assert_eq!(token.len(), 64, "256-bit token, hex");
    let me: SessionInfo = res.json().await.unwrap();
    assert_eq!(me.role, Role::Caseworker);
    assert_eq!(me.org.name, "Bull City Shelter");
}

#[tokio::test]
async fn p5_session_info_requires_a_session_and_sign_out_ends_it() {
    let app = spawn_app().await;
    app.get::<ep::GetSession>(&client(), &[]).await.refused(401);
    let c = app.sign_in("housing.cw").await;
    app.get::<ep::GetSession>(&c, &[]).await.ok_with(200);
    app.get::<ep::SignOut>(&c, &[]).await.ok_with(204);
    app.get::<ep::GetSession>(&c, &[]).await.refused(401);
}

#[tokio::test]
async fn p5_wrong_password_and_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    for (user, pass) in [("shelter.cw", "wrong password!"), ("nobody.here", PASSWORD)] {
        let e = sign_in_as(&app, user, pass).await.refused(401);
        assert_eq!(e.error, "Wrong username or password.");
    }
}

#[tokio::test]
async fn p5_account_locks_after_five_failures_and_unlocks_after_the_back_off() {
    let app = spawn_app().await;
    let attempt = |password: &'static str| sign_in_as(&app, "outreach.cw", password);
    for _ in 0..5 {
        attempt("not it at all").await.refused(401);
    }
    // Locked: even the right password is refused.
    attempt(PASSWORD).await.refused(401);
    app.clock.advance(chrono::Duration::seconds(61));
    attempt(PASSWORD).await.ok_with(200);
}

/// The account notices (`hmis_number` empty) of `username` in the outbox: their templates.
async fn account_notices(app: &TestApp, username: &str) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT n.payload FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE n.hmis_number = '' AND u.username = $1 ORDER BY n.id",
    )
    .bind(username)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    rows.iter()
        .map(|(p,)| {
            let v: serde_json::Value = serde_json::from_str(p).unwrap();
            v["message"]["template"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn p5_a_locked_account_answers_like_an_unknown_user_and_its_owner_is_notified() {
    let app = spawn_app().await;
    for _ in 0..5 {
        sign_in_as(&app, "outreach.cw", "not it at all")
            .await
            .refused(401);
    }
    let unknown = sign_in_as(&app, "nobody.here", PASSWORD).await.refused(401);
    let wrong = sign_in_as(&app, "shelter.cw", "not it either")
        .await
        .refused(401);
    let locked_right = sign_in_as(&app, "outreach.cw", PASSWORD).await.refused(401);
    let locked_wrong = sign_in_as(&app, "outreach.cw", "still not")
        .await
        .refused(401);
    for e in [&wrong, &locked_right, &locked_wrong] {
        assert_eq!(e, &unknown, "the answer tells which usernames exist");
    }
    assert!(!unknown.error.contains("lock"), "{unknown:?}");
    // The owner learns of it through an account notice, once per lock (P-5).
    assert_eq!(
        account_notices(&app, "outreach.cw").await,
        ["sign_in_locked"]
    );
    assert!(account_notices(&app, "shelter.cw").await.is_empty());
}

#[tokio::test]
async fn p5_concurrent_wrong_passwords_all_count_towards_the_lockout() {
    let app = spawn_app().await;
    let attempt = || sign_in_as(&app, "outreach.cw", "not it at all");
    let answers = tokio::join!(attempt(), attempt(), attempt(), attempt(), attempt());
    for answer in [answers.0, answers.1, answers.2, answers.3, answers.4] {
        answer.refused(401);
    }
    sign_in_as(&app, "outreach.cw", PASSWORD).await.refused(401);
    assert_eq!(
        account_notices(&app, "outreach.cw").await,
        ["sign_in_locked"]
    );
}

#[tokio::test]
async fn p5_idle_session_expires_after_thirty_minutes() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(session_status(&app, &c).await, 200);
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(session_status(&app, &c).await, 401);
}

#[tokio::test]
async fn p5_absolute_timeout_ends_an_active_session_after_twelve_hours() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    for _ in 0..25 {
        app.clock.advance(chrono::Duration::minutes(29));
        let _ = session_status(&app, &c).await;
    }
    // 25 × 29 min = 12 h 5 min of activity, never idle for 30 minutes.
    assert_eq!(session_status(&app, &c).await, 401);
}

#[tokio::test]
async fn p5_state_changing_requests_without_the_csrf_header_are_refused() {
    let app = spawn_app().await;
    // Raw on purpose: a client without the CSRF header, and one with a foreign origin.
    let res = reqwest::Client::new()
        .post(app.url(&path::<ep::SignIn>(&[])))
        .json(&login("shelter.cw", PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["field"], "x-hearth-csrf");
    let cross = client()
        .post(app.url(&path::<ep::SignIn>(&[])))
        .header("origin", "https://evil.example")
        .json(&login("shelter.cw", PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
}

#[tokio::test]
async fn p5_malformed_and_incomplete_sign_in_bodies_name_the_problem() {
    let app = spawn_app().await;
    let res = client()
        .post(app.url("/session"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["field"], "body");
    let res = client()
        .post(app.url("/session"))
        .json(&json!({ "username": "shelter.cw" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("password"),
        "{body}"
    );
}

#[tokio::test]
async fn p5_responses_carry_security_headers_and_deep_links_load_the_app() {
    let app = spawn_app().await;
    let res = client()
        .get(format!("{}/clients/7", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(
        csp.contains("'sha256-"),
        "the inline module script is allowed by hash: {csp}"
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    assert!(res.text().await.unwrap().contains("init()"));
    let api = client().get(app.url("/nowhere")).send().await.unwrap();
    assert_eq!(
        api.status(),
        404,
        "unknown API paths are not answered with the app"
    );
}

#[tokio::test]
async fn p5_activity_keeps_a_session_alive_past_thirty_minutes() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    for _ in 0..3 {
        app.clock.advance(chrono::Duration::minutes(29));
        assert_eq!(session_status(&app, &c).await, 200);
    }
    // Requests seconds apart do not move the stored idle timer each time, but never let it lapse.
    app.clock.advance(chrono::Duration::seconds(20));
    assert_eq!(session_status(&app, &c).await, 200);
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(session_status(&app, &c).await, 200);
}

#[tokio::test]
async fn p5_session_info_names_the_idle_and_absolute_timeouts_and_the_password_rules() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let me = app.get::<ep::GetSession>(&c, &[]).await.ok();
    assert_eq!(me.idle_timeout_minutes, 30);
    assert_eq!(me.absolute_timeout_minutes, 12 * 60);
    assert_eq!(me.password_policy.min_length, 12);
}

#[tokio::test]
async fn p5_asking_how_long_the_session_has_left_never_keeps_it_alive() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let left = app.get::<ep::GetSessionTimeLeft>(&c, &[]).await.ok();
    assert_eq!(left.idle_seconds, 30 * 60);
    assert_eq!(left.absolute_seconds, 12 * 3600);
    // Asked every 10 minutes: the idle timer keeps running down and the session ends at 30.
    for minutes_left in [20, 10] {
        app.clock.advance(chrono::Duration::minutes(10));
        let left = app.get::<ep::GetSessionTimeLeft>(&c, &[]).await.ok();
        assert_eq!(left.idle_seconds, minutes_left * 60);
    }
    app.clock
        .advance(chrono::Duration::minutes(10) + chrono::Duration::seconds(1));
    app.get::<ep::GetSessionTimeLeft>(&c, &[])
        .await
        .refused(401);
    assert_eq!(session_status(&app, &c).await, 401, "the session ended");
}

#[tokio::test]
async fn p5_any_other_request_such_as_get_session_restarts_the_idle_timer() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    app.clock.advance(chrono::Duration::minutes(25));
    // "Stay signed in": a real request.
    assert_eq!(session_status(&app, &c).await, 200);
    let left = app.get::<ep::GetSessionTimeLeft>(&c, &[]).await.ok();
    assert_eq!(left.idle_seconds, 30 * 60);
    assert_eq!(left.absolute_seconds, 12 * 3600 - 25 * 60);
    app.clock.advance(chrono::Duration::minutes(25));
    assert_eq!(session_status(&app, &c).await, 200, "kept alive");
}
