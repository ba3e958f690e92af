//! Signing in and out, sessions, lockout, CSRF and security headers (P-5).

use crate::support::{client, spawn_app, PASSWORD};
use serde_json::json;
use shared::api::endpoints as ep;

#[tokio::test]
async fn p5_sign_in_sets_an_http_only_same_site_strict_session_cookie() {
    let app = spawn_app().await;
    let res = client()
        .post(app.url("/session"))
        .json(&json!({ "username": "shelter.cw", "password": PASSWORD }))
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
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["role"], "Caseworker");
    assert_eq!(me["org"]["name"], "Bull City Shelter");
}

#[tokio::test]
async fn p5_session_info_requires_a_session_and_sign_out_ends_it() {
    let app = spawn_app().await;
    let anonymous = app.get::<ep::GetSession>(&client(), &[]).await;
    assert_eq!(anonymous.refused(401).error, "Sign in first.");
    let c = app.sign_in("housing.cw").await;
    let me = app.get::<ep::GetSession>(&c, &[]).await.ok();
    assert_eq!(me.username, "housing.cw");
    app.get::<ep::SignOut>(&c, &[]).await.ok();
    app.get::<ep::GetSession>(&c, &[]).await.refused(401);
}

#[tokio::test]
async fn p5_wrong_password_and_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    for (user, pass) in [("shelter.cw", "wrong password!"), ("nobody.here", PASSWORD)] {
        let res = client()
            .post(app.url("/session"))
            .json(&json!({ "username": user, "password": pass }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"], "Wrong username or password.");
    }
}

#[tokio::test]
async fn p5_account_locks_after_five_failures_and_unlocks_after_the_back_off() {
    let app = spawn_app().await;
    let attempt = |password: &'static str| {
        let url = app.url("/session");
        async move {
            client()
                .post(url)
                .json(&json!({ "username": "outreach.cw", "password": password }))
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("not it at all").await.status(), 401);
    }
    // Locked: even the right password is refused, with a message that says so.
    let locked = attempt(PASSWORD).await;
    assert_eq!(locked.status(), 401);
    let body: serde_json::Value = locked.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("locked"), "{body}");
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(attempt(PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn p5_idle_session_expires_after_thirty_minutes() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(
        c.get(app.url("/session")).send().await.unwrap().status(),
        200
    );
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(
        c.get(app.url("/session")).send().await.unwrap().status(),
        401
    );
}

#[tokio::test]
async fn p5_absolute_timeout_ends_an_active_session_after_twelve_hours() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    for _ in 0..25 {
        app.clock.advance(chrono::Duration::minutes(29));
        let _ = c.get(app.url("/session")).send().await.unwrap();
    }
    // 25 × 29 min = 12 h 5 min of activity, never idle for 30 minutes.
    assert_eq!(
        c.get(app.url("/session")).send().await.unwrap().status(),
        401
    );
}

#[tokio::test]
async fn p5_state_changing_requests_without_the_csrf_header_are_refused() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .post(app.url("/session"))
        .json(&json!({ "username": "shelter.cw", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["field"], "x-hearth-csrf");
    let cross = client()
        .post(app.url("/session"))
        .header("origin", "https://evil.example")
        .json(&json!({ "username": "shelter.cw", "password": PASSWORD }))
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
        assert_eq!(
            c.get(app.url("/session")).send().await.unwrap().status(),
            200
        );
    }
    // Requests seconds apart do not move the stored idle timer each time, but never let it lapse.
    app.clock.advance(chrono::Duration::seconds(20));
    assert_eq!(
        c.get(app.url("/session")).send().await.unwrap().status(),
        200
    );
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(
        c.get(app.url("/session")).send().await.unwrap().status(),
        200
    );
}
