//! Accounts (SPEC section 1, P-5): organizations, programs, users; who may manage what; the
//! password policy; sessions ended by disabling and password changes; lockout; `create-admin`.

use crate::support::{client, spawn_app, spawn_app_with, TestApp, PASSWORD};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use server::db;

async fn user_id(app: &TestApp, username: &str) -> i64 {
    db::user_by_username(&app.pool, username)
        .await
        .unwrap()
        .unwrap()
        .id
        .0
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    n
}

/// Rows of every table an account write could touch, to prove a refused write stored nothing.
async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in ["organizations", "programs", "users", "audit_log"] {
        out.push(count(app, t).await);
    }
    let rows: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT id, display_name, role, disabled, password_hash FROM users ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    // Any change to any user shows as a different fingerprint.
    let fingerprint = format!("{rows:?}");
    out.push(fingerprint.len() as i64);
    out.push(fingerprint.bytes().map(i64::from).sum());
    out
}

async fn send(c: &Client, method: Method, url: String, body: Option<Value>) -> reqwest::Response {
    let mut req = c.request(method, url);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

fn new_user(username: &str, role: &str, password: &str) -> Value {
    json!({ "username": username, "display_name": "New Person", "role": role, "password": password })
}

const GOOD_PASSWORD: &str = "a long passphrase for hearth";

async fn sign_in_with(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    client()
        .post(app.url("/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn section1_forced_browsing_by_a_caseworker_gets_403_with_a_reason_or_404_never_200() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    let same_org = user_id(&app, "shelter.cw2").await;
    let other_org = user_id(&app, "housing.cw").await;
    let before = counts(&app).await;
    let cases: Vec<(Method, String, Option<Value>, StatusCode)> = vec![
        (
            Method::POST,
            "/organizations".into(),
            Some(json!({"name": "Rogue Org"})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::PATCH,
            "/organizations/2".into(),
            Some(json!({"disabled": true})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            "/programs".into(),
            Some(json!({"org": 2, "name": "X", "hud_project_type": 1})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::PATCH,
            "/programs/1".into(),
            Some(json!({"disabled": true})),
            StatusCode::FORBIDDEN,
        ),
        (Method::GET, "/users".into(), None, StatusCode::FORBIDDEN),
        (
            Method::POST,
            "/users".into(),
            Some(new_user("rogue.user", "Caseworker", GOOD_PASSWORD)),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            format!("/users/{same_org}"),
            None,
            StatusCode::FORBIDDEN,
        ),
        (
            Method::PATCH,
            format!("/users/{same_org}"),
            Some(json!({"disabled": true})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            format!("/users/{same_org}/password"),
            Some(json!({"password": GOOD_PASSWORD})),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            format!("/users/{other_org}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::PATCH,
            format!("/users/{other_org}"),
            Some(json!({"disabled": true})),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("/users/{other_org}/password"),
            Some(json!({"password": GOOD_PASSWORD})),
            StatusCode::NOT_FOUND,
        ),
        (Method::GET, "/audit".into(), None, StatusCode::FORBIDDEN),
    ];
    for (method, path, body, expected) in cases {
        let res = send(&cw, method.clone(), app.url(&path), body).await;
        assert_eq!(res.status(), expected, "{method} {path}");
        if expected == StatusCode::FORBIDDEN {
            let body: Value = res.json().await.unwrap();
            assert!(
                body["reason"]["code"].is_string(),
                "{method} {path}: {body}"
            );
        }
    }
    assert_eq!(counts(&app).await, before, "nothing stored");
    // What a caseworker may do: list organizations and programs, see their own account.
    for path in [
        "/organizations".to_owned(),
        "/programs".to_owned(),
        format!("/users/{}", user_id(&app, "shelter.cw").await),
    ] {
        assert_eq!(
            cw.get(app.url(&path)).send().await.unwrap().status(),
            200,
            "{path}"
        );
    }
}

#[tokio::test]
async fn section1_agency_admin_probing_another_agencys_user_ids_gets_404_like_a_missing_id() {
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let before = counts(&app).await;
    for target in [
        user_id(&app, "housing.cw").await,
        user_id(&app, "coc.admin").await,
        99_999,
    ] {
        for (method, path, body) in [
            (Method::GET, format!("/users/{target}"), None),
            (
                Method::PATCH,
                format!("/users/{target}"),
                Some(json!({"display_name": "Owned"})),
            ),
            (
                Method::PATCH,
                format!("/users/{target}"),
                Some(json!({"disabled": true})),
            ),
            (
                Method::POST,
                format!("/users/{target}/password"),
                Some(json!({"password": GOOD_PASSWORD})),
            ),
        ] {
            let res = send(&admin, method.clone(), app.url(&path), body).await;
            assert_eq!(res.status(), 404, "{method} {path}");
        }
    }
    assert_eq!(counts(&app).await, before);
    // Their own agency's list holds their agency's users only.
    let users: Vec<Value> = admin
        .get(app.url("/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = users
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["shelter.admin", "shelter.cw", "shelter.cw2"]);
    assert!(users
        .iter()
        .all(|u| u["org"]["id"] == 2 && u.get("password_hash").is_none()));
}

#[tokio::test]
async fn section1_agency_admin_cannot_create_or_promote_a_system_admin_nor_act_for_another_agency()
{
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let before = counts(&app).await;
    let res = admin
        .post(app.url("/users"))
        .json(&new_user("shelter.boss", "SystemAdmin", GOOD_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["reason"]["code"],
        "only_system_admins_manage_system_admins"
    );
    let cw2 = user_id(&app, "shelter.cw2").await;
    let res = admin
        .patch(app.url(&format!("/users/{cw2}")))
        .json(&json!({ "role": "SystemAdmin" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let mut other = new_user("housing.new", "Caseworker", GOOD_PASSWORD);
    other["org"] = json!(3);
    let res = admin
        .post(app.url("/users"))
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["reason"]["code"],
        "agency_admins_manage_own_agency_only"
    );
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn section1_agency_admin_manages_its_own_agencys_users() {
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let res = admin
        .post(app.url("/users"))
        .json(&new_user("Shelter.New", "Caseworker", GOOD_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["username"], "shelter.new");
    assert_eq!(created["org"]["id"], 2);
    let id = created["id"].as_i64().unwrap();
    let res = admin
        .patch(app.url(&format!("/users/{id}")))
        .json(&json!({ "display_name": "Pat Newman", "role": "AgencyAdmin" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let u: Value = res.json().await.unwrap();
    assert_eq!(
        (u["display_name"].as_str(), u["role"].as_str()),
        (Some("Pat Newman"), Some("AgencyAdmin"))
    );
    assert_eq!(
        sign_in_with(&app, "shelter.new", GOOD_PASSWORD)
            .await
            .status(),
        200
    );
    // Nobody disables themself.
    let me = user_id(&app, "shelter.admin").await;
    let res = admin
        .patch(app.url(&format!("/users/{me}")))
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Programs: listed, not managed.
    let programs: Vec<Value> = admin
        .get(app.url("/programs?org=2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(programs.len(), 2);
    assert!(programs.iter().all(|p| p["org"] == 2));
}

#[tokio::test]
async fn section1_system_admin_manages_organizations_programs_and_users_of_any_agency() {
    let app = spawn_app().await;
    let sys = app.sign_in("coc.admin").await;
    let res = sys
        .post(app.url("/organizations"))
        .json(&json!({"name": "  Durham Food Bank "}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let org: Value = res.json().await.unwrap();
    assert_eq!(org["name"], "Durham Food Bank");
    let org_id = org["id"].as_i64().unwrap();
    let dup = sys
        .post(app.url("/organizations"))
        .json(&json!({"name": "durham food bank"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), 409);
    let res = sys
        .post(app.url("/programs"))
        .json(&json!({"org": org_id, "name": "Food Pantry", "hud_project_type": 6}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let program: Value = res.json().await.unwrap();
    assert_eq!(program["project_type"], "ServicesOnly");
    let pid = program["id"].as_i64().unwrap();
    let res = sys
        .patch(app.url(&format!("/programs/{pid}")))
        .json(&json!({"hud_project_type": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json::<Value>().await.unwrap()["field"],
        "hud_project_type"
    );
    let res = sys
        .patch(app.url(&format!("/programs/{pid}")))
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["disabled"], true);
    let mut u = new_user("food.admin", "AgencyAdmin", GOOD_PASSWORD);
    u["org"] = json!(org_id);
    assert_eq!(
        sys.post(app.url("/users"))
            .json(&u)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let res = sys
        .patch(app.url(&format!("/organizations/{org_id}")))
        .json(&json!({"name": "Durham Food Bank Inc", "disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // A disabled organization gets no new users; nothing was deleted.
    let mut u2 = new_user("food.cw", "Caseworker", GOOD_PASSWORD);
    u2["org"] = json!(org_id);
    let res = sys.post(app.url("/users")).json(&u2).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "org");
    let orgs: Vec<Value> = sys
        .get(app.url("/organizations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(orgs
        .iter()
        .any(|o| o["id"] == org_id && o["disabled"] == true));
    let all: Vec<Value> = sys
        .get(app.url("/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all.len(), 11);
    assert_eq!(
        sys.patch(app.url("/organizations/999"))
            .json(&json!({"name": "X"}))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn p5_usernames_are_unique_regardless_of_case_409_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let before = counts(&app).await;
    for taken in ["shelter.cw", "SHELTER.CW", "housing.cw"] {
        let res = admin
            .post(app.url("/users"))
            .json(&new_user(taken, "Caseworker", GOOD_PASSWORD))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 409, "{taken}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["field"], "username");
    }
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn p5_new_passwords_follow_the_policy_on_create_reset_and_change() {
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let long = "x".repeat(100) + " and some words";
    let too_long = "y".repeat(129);
    // (password, accepted)
    let cases = [
        ("short", false),
        ("eleven char", false),
        ("password1234", false),
        ("QWERTY123456", false),
        ("policy.case", false), // equal to the username
        ("POLICY.CASE", false),
        (too_long.as_str(), false),
        ("twelve chars", true),
        (long.as_str(), true),
    ];
    for (i, (password, ok)) in cases.iter().enumerate() {
        let before = count(&app, "users").await;
        let username = if password.eq_ignore_ascii_case("policy.case") {
            "policy.case".to_owned()
        } else {
            format!("policy.case{i}")
        };
        let res = admin
            .post(app.url("/users"))
            .json(&new_user(&username, "Caseworker", password))
            .send()
            .await
            .unwrap();
        if *ok {
            assert_eq!(res.status(), 201, "{password:?}");
        } else {
            assert_eq!(res.status(), 422, "{password:?}");
            assert_eq!(
                res.json::<Value>().await.unwrap()["field"],
                "password",
                "{password:?}"
            );
            assert_eq!(count(&app, "users").await, before);
        }
    }
    let cw = user_id(&app, "shelter.cw").await;
    let res = admin
        .post(app.url(&format!("/users/{cw}/password")))
        .json(&json!({"password": "123456789012"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let me = app.sign_in("shelter.cw2").await;
    let res = me
        .post(app.url("/session/password"))
        .json(&json!({"current_password": PASSWORD, "new_password": "shelter.cw2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "new_password");
}

#[tokio::test]
async fn p5_the_minimum_length_is_configurable() {
    let app = spawn_app_with(|c| c.password_policy.min_length = 20).await;
    let admin = app.sign_in("shelter.admin").await;
    let res = admin
        .post(app.url("/users"))
        .json(&new_user("len.test", "Caseworker", "nineteen characters"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("at least 20"),
        "{body}"
    );
    assert_eq!(
        server::config::password_policy_from(
            &|k| (k == "HEARTH_PASSWORD_MIN_LENGTH").then(|| "16".to_owned())
        )
        .min_length,
        16
    );
}

#[tokio::test]
async fn p5_disabling_a_user_ends_its_sessions_at_once_and_it_cannot_sign_in() {
    let app = spawn_app().await;
    let victim = app.sign_in("shelter.cw").await;
    let victim2 = app.sign_in("shelter.cw").await;
    let admin = app.sign_in("shelter.admin").await;
    let id = user_id(&app, "shelter.cw").await;
    let res = admin
        .patch(app.url(&format!("/users/{id}")))
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 0, "session rows deleted");
    for c in [&victim, &victim2] {
        assert_eq!(
            c.get(app.url("/session")).send().await.unwrap().status(),
            401
        );
    }
    let res = sign_in_with(&app, "shelter.cw", PASSWORD).await;
    assert_eq!(res.status(), 401);
    assert!(res.json::<Value>().await.unwrap()["error"]
        .as_str()
        .unwrap()
        .contains("disabled"));
    // Enabled again, the user signs in; nothing was deleted.
    admin
        .patch(app.url(&format!("/users/{id}")))
        .json(&json!({"disabled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        sign_in_with(&app, "shelter.cw", PASSWORD).await.status(),
        200
    );
}

#[tokio::test]
async fn p5_changing_a_password_needs_the_current_one_and_ends_the_users_other_sessions() {
    let app = spawn_app().await;
    let elsewhere = app.sign_in("housing.cw").await;
    let me = app.sign_in("housing.cw").await;
    let res = me
        .post(app.url("/session/password"))
        .json(&json!({"current_password": "not my password", "new_password": GOOD_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json::<Value>().await.unwrap()["field"],
        "current_password"
    );
    let res = me
        .post(app.url("/session/password"))
        .json(&json!({"current_password": PASSWORD, "new_password": GOOD_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        me.get(app.url("/session")).send().await.unwrap().status(),
        200,
        "this session goes on"
    );
    assert_eq!(
        elsewhere
            .get(app.url("/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "the other ends"
    );
    assert_eq!(
        sign_in_with(&app, "housing.cw", PASSWORD).await.status(),
        401
    );
    assert_eq!(
        sign_in_with(&app, "housing.cw", GOOD_PASSWORD)
            .await
            .status(),
        200
    );
    // An administrator's reset ends every session of the user.
    let admin = app.sign_in("housing.admin").await;
    let id = user_id(&app, "housing.cw").await;
    let res = admin
        .post(app.url(&format!("/users/{id}/password")))
        .json(&json!({"password": "reset by the admin 2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        me.get(app.url("/session")).send().await.unwrap().status(),
        401
    );
    assert_eq!(
        sign_in_with(&app, "housing.cw", "reset by the admin 2026")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn p5_bad_input_gets_422_naming_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let sys = app.sign_in("coc.admin").await;
    let before = counts(&app).await;
    let raw = |path: &str, body: &'static str| {
        sys.post(app.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // (path, body, field)
    let cases: [(&str, &str, &str); 9] = [
        ("/users", "{not json", "body"),
        ("/users", "[1, 2]", "body"),
        (
            "/users",
            r#"{"display_name": "A", "role": "Caseworker", "password": "long enough pw"}"#,
            "username",
        ),
        (
            "/users",
            r#"{"username": 5, "display_name": "A", "role": "Caseworker", "password": "long enough pw"}"#,
            "username",
        ),
        (
            "/users",
            r#"{"username": "ok.name", "display_name": "A", "role": "Boss", "password": "long enough pw"}"#,
            "role",
        ),
        (
            "/users",
            r#"{"username": "ok.name", "display_name": "A", "role": "Caseworker", "password": "long enough pw", "is_root": true}"#,
            "is_root",
        ),
        (
            "/users",
            r#"{"username": "no spaces allowed", "display_name": "A", "role": "Caseworker", "password": "long enough pw"}"#,
            "username",
        ),
        ("/organizations", r#"{"name": "   "}"#, "name"),
        (
            "/programs",
            r#"{"org": "two", "name": "P", "hud_project_type": 1}"#,
            "org",
        ),
    ];
    for (path, body, field) in cases {
        let res = raw(path, body).await.unwrap();
        assert_eq!(res.status(), 422, "{body}");
        let json: Value = res.json().await.unwrap();
        assert_eq!(json["field"], field, "{body}: {json}");
    }
    let id = user_id(&app, "shelter.cw").await;
    let res = sys
        .patch(app.url(&format!("/users/{id}")))
        .header("content-type", "application/json")
        .body(r#"{"disabled": "yes"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "disabled");
    assert_eq!(
        sys.get(app.url("/users/abc"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(counts(&app).await, before, "nothing stored");
}

#[tokio::test]
async fn p5_lockout_lets_fewer_than_100_guesses_per_hour_be_evaluated() {
    let app = spawn_app().await;
    // An attacker guessing every 10 seconds for two hours (720 tries).
    let mut evaluated_per_hour = [0, 0];
    for i in 0..720 {
        let res = sign_in_with(&app, "outreach.cw", &format!("guess number {i}")).await;
        assert_eq!(res.status(), 401);
        let body: Value = res.json().await.unwrap();
        if body["error"] == "Wrong username or password." {
            evaluated_per_hour[i / 360] += 1;
        } else {
            assert!(body["error"].as_str().unwrap().contains("locked"), "{body}");
        }
        app.clock.advance(chrono::Duration::seconds(10));
    }
    // 5 before the first lock, then one per lock of 1, 2, 4, 8, 16, 32 (capped 60) minutes.
    assert!(evaluated_per_hour[0] <= 12, "{evaluated_per_hour:?}");
    assert!(evaluated_per_hour[1] <= 2, "{evaluated_per_hour:?}");
    assert!(evaluated_per_hour.iter().all(|&n| n < 100));
    let (failures,): (i64,) =
        sqlx::query_as("SELECT failed_logins FROM users WHERE username = 'outreach.cw'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(failures, evaluated_per_hour.iter().sum::<i64>());
}

#[tokio::test]
async fn p5_the_session_cookie_carries_secure_when_configured() {
    for secure in [false, true] {
        let app = spawn_app_with(|c| c.secure_cookies = secure).await;
        let res = sign_in_with(&app, "shelter.cw", PASSWORD).await;
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    }
}

/// Runs the built `hearth-server create-admin` against `database`.
fn create_admin(
    database: &str,
    args: &[&str],
    password: Option<&str>,
    stdin: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hearth-server"));
    cmd.arg("create-admin")
        .args(args)
        .env("DATABASE_URL", database)
        .env("RUST_LOG", "warn");
    cmd.env_remove("HEARTH_ADMIN_PASSWORD");
    if let Some(p) = password {
        cmd.env("HEARTH_ADMIN_PASSWORD", p);
    }
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn p5_create_admin_makes_the_first_system_admin_once_and_then_refuses() {
    let dir = std::env::temp_dir().join(format!("hearth-create-admin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let database = format!("sqlite://{}/hearth.db", dir.display());
    let args = [
        "--username",
        "Root.Admin",
        "--name",
        "Dana Whitfield",
        "--organization",
        "Durham CoC",
    ];
    // A weak password is refused before anything is stored.
    let weak = create_admin(&database, &args, Some("password"), "");
    assert!(!weak.status.success());
    assert!(
        String::from_utf8_lossy(&weak.stderr).contains("password"),
        "{weak:?}"
    );
    // The password from standard input when the variable is not set.
    let ok = create_admin(&database, &args, None, "a good long admin passphrase\n");
    assert!(ok.status.success(), "{ok:?}");
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("Created system administrator root.admin"),
        "{ok:?}"
    );
    let again = create_admin(
        &database,
        &[
            "--username",
            "second.admin",
            "--name",
            "Two",
            "--organization",
            "Durham CoC",
        ],
        Some("another good passphrase"),
        "",
    );
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists"),
        "{again:?}"
    );
    let missing = create_admin(
        &database,
        &["--username", "x.admin"],
        Some("another good passphrase"),
        "",
    );
    assert!(!missing.status.success());
    let pool = db::connect(&database).await.unwrap();
    let user = db::user_by_username(&pool, "root.admin")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (user.role, user.org_name.as_str()),
        (shared::Role::SystemAdmin, "Durham CoC")
    );
    assert!(server::password::verify_password(
        "a good long admin passphrase",
        &user.password_hash
    ));
    let (users, orgs, audits): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM organizations), (SELECT COUNT(*) FROM audit_log)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((users, orgs, audits), (1, 1, 1));
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn p5_guessing_the_current_password_with_a_session_is_under_the_same_lockout() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw2").await;
    let change = |current: &'static str| {
        c.post(app.url("/session/password"))
            .json(&json!({"current_password": current, "new_password": GOOD_PASSWORD}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(change("a wrong guess").await.unwrap().status(), 422);
    }
    // Locked: the right password is not even evaluated, here or at sign-in.
    let res = change(PASSWORD).await.unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["reason"].is_null() && body["error"].as_str().unwrap().contains("try again later"),
        "{body}"
    );
    assert_eq!(
        sign_in_with(&app, "outreach.cw2", PASSWORD).await.status(),
        401
    );
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(change(PASSWORD).await.unwrap().status(), 204);
}

#[tokio::test]
async fn p5_sign_in_ignores_the_case_of_the_username() {
    let app = spawn_app().await;
    assert_eq!(
        sign_in_with(&app, "Shelter.CW", PASSWORD).await.status(),
        200
    );
}
