//! Accounts (SPEC section 1, P-5): organizations, programs, users; who may manage what; the
//! password policy; sessions ended by disabling and password changes; lockout; `create-admin`.

use crate::refused;
use crate::support::{client, path, spawn_app, spawn_app_with, Answer, TestApp, PASSWORD};
use serde_json::Value;
use server::db;
use shared::api::accounts::{
    NewOrganization, NewProgram, NewUser, OrganizationPatch, PasswordChange, PasswordReset,
    ProgramPatch, UserPatch,
};
use shared::api::endpoint::NoBody;
use shared::api::endpoints::{self as ep, ProgramQuery};
use shared::api::{LoginRequest, SessionInfo};
use shared::ids::OrgId;
use shared::records::ProjectType;
use shared::{Reason, Role};

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

fn new_user(username: &str, role: Role, password: &str) -> NewUser {
    NewUser {
        org: None,
        username: username.into(),
        display_name: "New Person".into(),
        role,
        password: password.into(),
    }
}

const GOOD_PASSWORD: &str = "a long passphrase for hearth";

/// Signs in afresh (a new cookie jar) as `username` with `password`.
async fn sign_in_with(app: &TestApp, username: &str, password: &str) -> Answer<SessionInfo> {
    let login = LoginRequest {
        username: username.into(),
        password: password.into(),
    };
    app.send::<ep::SignIn>(&client(), &[], &login).await
}

/// An answer's status and, when refused, its reason.
type Outcome = (u16, Option<Reason>);

fn refusal<T>(answer: Answer<T>) -> Outcome {
    (answer.status, answer.body.err().and_then(|e| e.reason))
}

fn disable() -> UserPatch {
    UserPatch {
        disabled: Some(true),
        ..Default::default()
    }
}

fn reset_to(password: &str) -> PasswordReset {
    PasswordReset {
        password: password.into(),
    }
}

fn change_password(current: &str, new: &str) -> PasswordChange {
    PasswordChange {
        current_password: current.into(),
        new_password: new.into(),
    }
}

#[tokio::test]
async fn section1_forced_browsing_by_a_caseworker_gets_403_with_a_reason_or_404_never_200() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    let same_org = user_id(&app, "shelter.cw2").await;
    let other_org = user_id(&app, "housing.cw").await;
    let before = counts(&app).await;
    let rogue_org = NewOrganization {
        name: "Rogue Org".into(),
    };
    let rogue_program = NewProgram {
        org: OrgId(2),
        name: "X".into(),
        hud_project_type: 1,
    };
    let disable_program = ProgramPatch {
        disabled: Some(true),
        ..Default::default()
    };
    let disable_org = OrganizationPatch {
        disabled: Some(true),
        ..Default::default()
    };
    let rogue_user = new_user("rogue.user", Role::Caseworker, GOOD_PASSWORD);
    let reset = reset_to(GOOD_PASSWORD);
    let cases: Vec<(&str, Outcome, u16)> = vec![
        (
            "POST /organizations",
            refusal(
                app.send::<ep::CreateOrganization>(&cw, &[], &rogue_org)
                    .await,
            ),
            403,
        ),
        (
            "PATCH /organizations/2",
            refusal(
                app.send::<ep::UpdateOrganization>(&cw, &[2], &disable_org)
                    .await,
            ),
            403,
        ),
        (
            "POST /programs",
            refusal(
                app.send::<ep::CreateProgram>(&cw, &[], &rogue_program)
                    .await,
            ),
            403,
        ),
        (
            "PATCH /programs/1",
            refusal(
                app.send::<ep::UpdateProgram>(&cw, &[1], &disable_program)
                    .await,
            ),
            403,
        ),
        (
            "GET /users",
            refusal(app.get::<ep::ListUsers>(&cw, &[]).await),
            403,
        ),
        (
            "POST /users",
            refusal(app.send::<ep::CreateUser>(&cw, &[], &rogue_user).await),
            403,
        ),
        (
            "GET /users/same_org",
            refusal(app.get::<ep::GetUser>(&cw, &[same_org]).await),
            403,
        ),
        (
            "PATCH /users/same_org",
            refusal(
                app.send::<ep::UpdateUser>(&cw, &[same_org], &disable())
                    .await,
            ),
            403,
        ),
        (
            "POST /users/same_org/password",
            refusal(
                app.send::<ep::ResetPassword>(&cw, &[same_org], &reset)
                    .await,
            ),
            403,
        ),
        (
            "GET /users/other_org",
            refusal(app.get::<ep::GetUser>(&cw, &[other_org]).await),
            404,
        ),
        (
            "PATCH /users/other_org",
            refusal(
                app.send::<ep::UpdateUser>(&cw, &[other_org], &disable())
                    .await,
            ),
            404,
        ),
        (
            "POST /users/other_org/password",
            refusal(
                app.send::<ep::ResetPassword>(&cw, &[other_org], &reset)
                    .await,
            ),
            404,
        ),
        (
            "GET /audit",
            refusal(
                app.call::<ep::ListAudit>(&cw, &[], &Default::default(), &NoBody)
                    .await,
            ),
            403,
        ),
    ];
    for (what, (status, reason), expected) in cases {
        assert_eq!(status, expected, "{what}");
        if expected == 403 {
            assert!(reason.is_some(), "{what}: a reason");
        }
    }
    assert_eq!(counts(&app).await, before, "nothing stored");
    // What a caseworker may do: list organizations and programs, see their own account.
    app.get::<ep::ListOrganizations>(&cw, &[])
        .await
        .ok_with(200);
    app.call::<ep::ListPrograms>(&cw, &[], &Default::default(), &NoBody)
        .await
        .ok_with(200);
    let me = user_id(&app, "shelter.cw").await;
    app.get::<ep::GetUser>(&cw, &[me]).await.ok_with(200);
}

#[tokio::test]
async fn section1_agency_admin_probing_another_agencys_user_ids_gets_404_like_a_missing_id() {
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let before = counts(&app).await;
    let rename = UserPatch {
        display_name: Some("Owned".into()),
        ..Default::default()
    };
    for target in [
        user_id(&app, "housing.cw").await,
        user_id(&app, "coc.admin").await,
        99_999,
    ] {
        for (what, status) in [
            (
                "GET",
                app.get::<ep::GetUser>(&admin, &[target]).await.status,
            ),
            (
                "PATCH display_name",
                app.send::<ep::UpdateUser>(&admin, &[target], &rename)
                    .await
                    .status,
            ),
            (
                "PATCH disabled",
                app.send::<ep::UpdateUser>(&admin, &[target], &disable())
                    .await
                    .status,
            ),
            (
                "POST password",
                app.send::<ep::ResetPassword>(&admin, &[target], &reset_to(GOOD_PASSWORD))
                    .await
                    .status,
            ),
        ] {
            assert_eq!(status, 404, "{what} /users/{target}");
        }
    }
    assert_eq!(counts(&app).await, before);
    // Their own agency's list holds their agency's users only (and the wire type has no
    // password hash to hold).
    let users = app.get::<ep::ListUsers>(&admin, &[]).await.ok();
    let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["shelter.admin", "shelter.cw", "shelter.cw2"]);
    assert!(users.iter().all(|u| u.org.id == OrgId(2)));
    let raw: Vec<Value> = admin
        .get(app.url(&path::<ep::ListUsers>(&[])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(raw.iter().all(|u| u.get("password_hash").is_none()));
}

#[tokio::test]
async fn section1_agency_admin_cannot_create_or_promote_a_system_admin_nor_act_for_another_agency()
{
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let before = counts(&app).await;
    let boss = new_user("shelter.boss", Role::SystemAdmin, GOOD_PASSWORD);
    refused!(
        app.send::<ep::CreateUser>(&admin, &[], &boss).await,
        403,
        Reason::OnlySystemAdminsManageSystemAdmins
    );
    let cw2 = user_id(&app, "shelter.cw2").await;
    let promote = UserPatch {
        role: Some(Role::SystemAdmin),
        ..Default::default()
    };
    app.send::<ep::UpdateUser>(&admin, &[cw2], &promote)
        .await
        .refused(403);
    let other = NewUser {
        org: Some(OrgId(3)),
        ..new_user("housing.new", Role::Caseworker, GOOD_PASSWORD)
    };
    refused!(
        app.send::<ep::CreateUser>(&admin, &[], &other).await,
        403,
        Reason::AgencyAdminsManageOwnAgencyOnly { .. }
    );
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn section1_agency_admin_manages_its_own_agencys_users() {
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let body = new_user("Shelter.New", Role::Caseworker, GOOD_PASSWORD);
    let created = app.send::<ep::CreateUser>(&admin, &[], &body).await.ok();
    assert_eq!(created.username, "shelter.new");
    assert_eq!(created.org.id, OrgId(2));
    let id = created.id.0;
    let patch = UserPatch {
        display_name: Some("Pat Newman".into()),
        role: Some(Role::AgencyAdmin),
        ..Default::default()
    };
    let u = app.send::<ep::UpdateUser>(&admin, &[id], &patch).await.ok();
    assert_eq!(
        (u.display_name.as_str(), u.role),
        ("Pat Newman", Role::AgencyAdmin)
    );
    sign_in_with(&app, "shelter.new", GOOD_PASSWORD).await.ok();
    // Nobody disables themself.
    let me = user_id(&app, "shelter.admin").await;
    app.send::<ep::UpdateUser>(&admin, &[me], &disable())
        .await
        .refused(403);
    // Programs: listed, not managed.
    let query = ProgramQuery {
        org: Some("2".into()),
    };
    let programs = app
        .call::<ep::ListPrograms>(&admin, &[], &query, &NoBody)
        .await
        .ok();
    assert_eq!(programs.len(), 2);
    assert!(programs.iter().all(|p| p.org == OrgId(2)));
}

#[tokio::test]
async fn section1_system_admin_manages_organizations_programs_and_users_of_any_agency() {
    let app = spawn_app().await;
    let sys = app.sign_in("coc.admin").await;
    let named = |name: &str| NewOrganization { name: name.into() };
    let org = app
        .send::<ep::CreateOrganization>(&sys, &[], &named("  Durham Food Bank "))
        .await
        .ok();
    assert_eq!(org.name, "Durham Food Bank");
    let org_id = org.id;
    app.send::<ep::CreateOrganization>(&sys, &[], &named("durham food bank"))
        .await
        .refused(409);
    let pantry = NewProgram {
        org: org_id,
        name: "Food Pantry".into(),
        hud_project_type: 6,
    };
    let program = app.send::<ep::CreateProgram>(&sys, &[], &pantry).await.ok();
    assert_eq!(program.project_type, ProjectType::ServicesOnly);
    let pid = program.id.0;
    let patch = ProgramPatch {
        hud_project_type: Some(5),
        ..Default::default()
    };
    let e = app
        .send::<ep::UpdateProgram>(&sys, &[pid], &patch)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("hud_project_type"));
    let patch = ProgramPatch {
        disabled: Some(true),
        ..Default::default()
    };
    let p = app
        .send::<ep::UpdateProgram>(&sys, &[pid], &patch)
        .await
        .ok();
    assert!(p.disabled);
    let u = NewUser {
        org: Some(org_id),
        ..new_user("food.admin", Role::AgencyAdmin, GOOD_PASSWORD)
    };
    app.send::<ep::CreateUser>(&sys, &[], &u).await.ok_with(201);
    let patch = OrganizationPatch {
        name: Some("Durham Food Bank Inc".into()),
        disabled: Some(true),
    };
    app.send::<ep::UpdateOrganization>(&sys, &[org_id.0], &patch)
        .await
        .ok_with(200);
    // A disabled organization gets no new users; nothing was deleted.
    let u2 = NewUser {
        org: Some(org_id),
        ..new_user("food.cw", Role::Caseworker, GOOD_PASSWORD)
    };
    let e = app
        .send::<ep::CreateUser>(&sys, &[], &u2)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("org"));
    let orgs = app.get::<ep::ListOrganizations>(&sys, &[]).await.ok();
    assert!(orgs.iter().any(|o| o.id == org_id && o.disabled));
    let all = app.get::<ep::ListUsers>(&sys, &[]).await.ok();
    assert_eq!(all.len(), 11);
    let rename = OrganizationPatch {
        name: Some("X".into()),
        ..Default::default()
    };
    app.send::<ep::UpdateOrganization>(&sys, &[999], &rename)
        .await
        .refused(404);
}

#[tokio::test]
async fn p5_usernames_are_unique_regardless_of_case_409_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let before = counts(&app).await;
    for taken in ["shelter.cw", "SHELTER.CW", "housing.cw"] {
        let body = new_user(taken, Role::Caseworker, GOOD_PASSWORD);
        let e = app.send::<ep::CreateUser>(&admin, &[], &body).await;
        assert_eq!(e.status, 409, "{taken}");
        assert_eq!(e.refused(409).field.as_deref(), Some("username"));
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
        let body = new_user(&username, Role::Caseworker, password);
        let a = app.send::<ep::CreateUser>(&admin, &[], &body).await;
        if *ok {
            assert_eq!(a.status, 201, "{password:?}");
        } else {
            assert_eq!(a.status, 422, "{password:?}");
            assert_eq!(
                a.refused(422).field.as_deref(),
                Some("password"),
                "{password:?}"
            );
            assert_eq!(count(&app, "users").await, before);
        }
    }
    let cw = user_id(&app, "shelter.cw").await;
    app.send::<ep::ResetPassword>(&admin, &[cw], &reset_to("123456789012"))
        .await
        .refused(422);
    let me = app.sign_in("shelter.cw2").await;
    let e = app
        .send::<ep::ChangeOwnPassword>(&me, &[], &change_password(PASSWORD, "shelter.cw2"))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("new_password"));
}

#[tokio::test]
async fn p5_the_minimum_length_is_configurable() {
    let app = spawn_app_with(|c| c.password_policy.min_length = 20).await;
    let admin = app.sign_in("shelter.admin").await;
    let body = new_user("len.test", Role::Caseworker, "nineteen characters");
    let e = app
        .send::<ep::CreateUser>(&admin, &[], &body)
        .await
        .refused(422);
    assert!(e.error.contains("at least 20"), "{e:?}");
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
    app.send::<ep::UpdateUser>(&admin, &[id], &disable())
        .await
        .ok_with(200);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 0, "session rows deleted");
    for c in [&victim, &victim2] {
        app.get::<ep::GetSession>(c, &[]).await.refused(401);
    }
    let e = sign_in_with(&app, "shelter.cw", PASSWORD)
        .await
        .refused(401);
    assert!(e.error.contains("disabled"), "{e:?}");
    // Enabled again, the user signs in; nothing was deleted.
    let enable = UserPatch {
        disabled: Some(false),
        ..Default::default()
    };
    app.send::<ep::UpdateUser>(&admin, &[id], &enable)
        .await
        .ok();
    sign_in_with(&app, "shelter.cw", PASSWORD)
        .await
        .ok_with(200);
}

#[tokio::test]
async fn p5_changing_a_password_needs_the_current_one_and_ends_the_users_other_sessions() {
    let app = spawn_app().await;
    let elsewhere = app.sign_in("housing.cw").await;
    let me = app.sign_in("housing.cw").await;
    let e = app
        .send::<ep::ChangeOwnPassword>(&me, &[], &change_password("not my password", GOOD_PASSWORD))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("current_password"));
    app.send::<ep::ChangeOwnPassword>(&me, &[], &change_password(PASSWORD, GOOD_PASSWORD))
        .await
        .ok_with(204);
    let a = app.get::<ep::GetSession>(&me, &[]).await;
    assert_eq!(a.status, 200, "this session goes on");
    let a = app.get::<ep::GetSession>(&elsewhere, &[]).await;
    assert_eq!(a.status, 401, "the other ends");
    sign_in_with(&app, "housing.cw", PASSWORD)
        .await
        .refused(401);
    sign_in_with(&app, "housing.cw", GOOD_PASSWORD)
        .await
        .ok_with(200);
    // An administrator's reset ends every session of the user.
    let admin = app.sign_in("housing.admin").await;
    let id = user_id(&app, "housing.cw").await;
    app.send::<ep::ResetPassword>(&admin, &[id], &reset_to("reset by the admin 2026"))
        .await
        .ok_with(204);
    app.get::<ep::GetSession>(&me, &[]).await.refused(401);
    sign_in_with(&app, "housing.cw", "reset by the admin 2026")
        .await
        .ok_with(200);
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
    // Every answer is the same (a lock is not told to the sign-in form), so the guesses that
    // were evaluated are the failures the database counted.
    let failures = || async {
        let (n,): (i64,) =
            sqlx::query_as("SELECT failed_logins FROM users WHERE username = 'outreach.cw'")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        n
    };
    let mut counted = [0, 0];
    for i in 0..720 {
        let e = sign_in_with(&app, "outreach.cw", &format!("guess number {i}"))
            .await
            .refused(401);
        assert_eq!(e.error, "Wrong username or password.");
        app.clock.advance(chrono::Duration::seconds(10));
        if i == 359 || i == 719 {
            counted[i / 360] = failures().await;
        }
    }
    let evaluated_per_hour = [counted[0], counted[1] - counted[0]];
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
        // The cookie is a header: this sign-in is raw on purpose.
        let login = LoginRequest {
            username: "shelter.cw".into(),
            password: PASSWORD.into(),
        };
        let res = client()
            .post(app.url(&path::<ep::SignIn>(&[])))
            .json(&login)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
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
        let (app, c) = (&app, &c);
        async move {
            app.send::<ep::ChangeOwnPassword>(c, &[], &change_password(current, GOOD_PASSWORD))
                .await
        }
    };
    for _ in 0..5 {
        change("a wrong guess").await.refused(422);
    }
    // Locked: the right password does not count, here or at sign-in.
    let e = change(PASSWORD).await.refused(422);
    assert!(
        e.reason.is_none() && e.error.contains("try again later"),
        "{e:?}"
    );
    sign_in_with(&app, "outreach.cw2", PASSWORD)
        .await
        .refused(401);
    app.clock.advance(chrono::Duration::seconds(61));
    change(PASSWORD).await.ok_with(204);
}

#[tokio::test]
async fn p5_sign_in_ignores_the_case_of_the_username() {
    let app = spawn_app().await;
    sign_in_with(&app, "Shelter.CW", PASSWORD)
        .await
        .ok_with(200);
}
