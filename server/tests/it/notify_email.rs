//! Notification email addresses: a user sets, changes and clears their own (`PUT /session/email`);
//! those who manage a user set it through `PATCH /users/{id}` (`admin::can_update_user`); the
//! address is parsed by `shared::admin::EmailAddress` (P-5: input validated with clear errors);
//! it is shown only with the account (section 1 read rules); each change is audited without the
//! address (P-4), keeps the old value (P-3), and a new address gets a notice naming no client
//! that the outbox really emails.

use crate::conflicts::{assert_notifications_name_no_client, open_first_name_conflict};
use crate::notifications::{smtp_server, unfold};
use crate::records::{count, send};
use crate::support::{spawn_app, spawn_app_with, TestApp};
use serde_json::{json, Value};
use server::services::jobs::run_due_jobs;

async fn user_id(app: &TestApp, username: &str) -> i64 {
    server::db::user_by_username(&app.pool, username)
        .await
        .unwrap()
        .unwrap()
        .id
        .0
}

/// The stored address of `username` (`users.notify_email`).
async fn stored(app: &TestApp, username: &str) -> Option<String> {
    let (e,): (Option<String>,) =
        sqlx::query_as("SELECT notify_email FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    e
}

/// `notify_email_history` of a user: (old, new, changed_by), oldest first.
async fn history(app: &TestApp, user: i64) -> Vec<(Option<String>, Option<String>, i64)> {
    sqlx::query_as(
        "SELECT old_email, new_email, changed_by FROM notify_email_history
         WHERE user_id = $1 ORDER BY id",
    )
    .bind(user)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// Audit rows of account writes about notification email: (user_id, action, reason).
async fn email_audit(app: &TestApp) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "SELECT user_id, action, reason FROM audit_log
         WHERE action LIKE '%notification email%' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// Account notices in the outbox: (user_id, template, subject, email_status).
async fn notices(app: &TestApp) -> Vec<(i64, String, String, String)> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT user_id, payload, subject, email_status FROM notifications
         WHERE hmis_number = '' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(u, p, s, e)| {
            let p: Value = serde_json::from_str(&p).unwrap();
            let t = p["message"]["template"].as_str().unwrap().to_owned();
            (u, t, s, e)
        })
        .collect()
}

async fn set_own(app: &TestApp, c: &reqwest::Client, email: Value) -> (u16, Value) {
    send(
        app,
        c,
        "PUT",
        "/session/email",
        Some(json!({ "email": email })),
    )
    .await
}

async fn patch_email(app: &TestApp, c: &reqwest::Client, user: i64, email: Value) -> (u16, Value) {
    send(
        app,
        c,
        "PATCH",
        &format!("/users/{user}"),
        Some(json!({ "notify_email": email })),
    )
    .await
}

#[tokio::test]
async fn p5_a_user_sets_changes_and_clears_their_own_notification_email() {
    let app = spawn_app().await;
    let me = user_id(&app, "shelter.cw").await;
    let c = app.sign_in("shelter.cw").await;
    let (_, session) = send(&app, &c, "GET", "/session", None).await;
    assert_eq!(session["notify_email"], Value::Null, "no address at first");

    // Set: trimmed, the domain lower-cased, the name before the @ kept as typed.
    let (status, v) = set_own(&app, &c, json!(" Maria.Lopez@BullCity.Example.ORG ")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["id"], me);
    assert_eq!(v["notify_email"], "Maria.Lopez@bullcity.example.org");
    assert_eq!(
        stored(&app, "shelter.cw").await.as_deref(),
        Some("Maria.Lopez@bullcity.example.org")
    );
    // Shown where the user's details are: the session and their own account.
    let (_, session) = send(&app, &c, "GET", "/session", None).await;
    assert_eq!(session["notify_email"], "Maria.Lopez@bullcity.example.org");
    let (status, own) = send(&app, &c, "GET", &format!("/users/{me}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(own["notify_email"], "Maria.Lopez@bullcity.example.org");

    // Change.
    let (status, v) = set_own(&app, &c, json!("maria@lopez.example.net")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["notify_email"], "maria@lopez.example.net");
    // The same address again changes nothing: no history, no audit, no notice.
    let (status, _) = set_own(&app, &c, json!("maria@LOPEZ.example.net")).await;
    assert_eq!(status, 200);
    assert_eq!(history(&app, me).await.len(), 2);

    // Clear with null.
    let (status, v) = set_own(&app, &c, Value::Null).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["notify_email"], Value::Null);
    assert_eq!(stored(&app, "shelter.cw").await, None);
    let (_, session) = send(&app, &c, "GET", "/session", None).await;
    assert_eq!(session["notify_email"], Value::Null);

    // P-3: every old value kept, with who changed it.
    let first = Some("Maria.Lopez@bullcity.example.org".to_owned());
    let second = Some("maria@lopez.example.net".to_owned());
    assert_eq!(
        history(&app, me).await,
        vec![
            (None, first.clone(), me),
            (first, second.clone(), me),
            (second, None, me),
        ]
    );
    // P-4: three audited changes by the user themself, without the address.
    let audit = email_audit(&app).await;
    let actions: Vec<&str> = audit.iter().map(|(_, a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            format!("update user {me} (shelter.cw): notification email set"),
            format!("update user {me} (shelter.cw): notification email set"),
            format!("update user {me} (shelter.cw): notification email cleared"),
        ]
    );
    for (by, _, reason) in &audit {
        assert_eq!(*by, me);
        assert_eq!(reason, "Your own account");
    }
    // Two addresses set, two change notices queued for the user.
    let n = notices(&app).await;
    assert_eq!(n.len(), 2, "{n:?}");
    assert!(n
        .iter()
        .all(|(u, t, _, _)| *u == me && t == "notification_email_changed"));
}

#[tokio::test]
async fn section1_an_agency_admin_sets_and_clears_the_address_of_their_own_agencys_user() {
    let app = spawn_app().await;
    let cw = user_id(&app, "shelter.cw").await;
    let admin = user_id(&app, "shelter.admin").await;
    let c = app.sign_in("shelter.admin").await;
    let (status, v) = patch_email(&app, &c, cw, json!("maria.lopez@bullcity.example.org")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["notify_email"], "maria.lopez@bullcity.example.org");
    // The user list and the user's own views show it.
    let (status, list) = send(&app, &c, "GET", "/users", None).await;
    assert_eq!(status, 200);
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == cw)
        .unwrap();
    assert_eq!(row["notify_email"], "maria.lopez@bullcity.example.org");
    let me = app.sign_in("shelter.cw").await;
    let (_, session) = send(&app, &me, "GET", "/session", None).await;
    assert_eq!(session["notify_email"], "maria.lopez@bullcity.example.org");
    // Combined with another field, both change, in one audit row.
    let (status, v) = send(
        &app,
        &c,
        "PATCH",
        &format!("/users/{cw}"),
        Some(json!({ "display_name": "Maria L. Lopez", "notify_email": null })),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["notify_email"], Value::Null);
    assert_eq!(v["display_name"], "Maria L. Lopez");
    assert_eq!(
        history(&app, cw).await,
        vec![
            (None, Some("maria.lopez@bullcity.example.org".into()), admin),
            (Some("maria.lopez@bullcity.example.org".into()), None, admin),
        ]
    );
    let audit = email_audit(&app).await;
    assert_eq!(
        audit,
        vec![
            (
                admin,
                format!("update user {cw} (shelter.cw): notification email set"),
                "Allowed to you as agency administrator of organization #2".to_owned()
            ),
            (
                admin,
                format!(
                    "update user {cw} (shelter.cw): display name changed, notification email \
                     cleared"
                ),
                "Allowed to you as agency administrator of organization #2".to_owned()
            ),
        ]
    );
    // A SystemAdmin sets anyone's, in any agency.
    let housing_cw = user_id(&app, "housing.cw").await;
    let sys = app.sign_in("coc.admin").await;
    let (status, v) =
        patch_email(&app, &sys, housing_cw, json!("jamal@enoriver.example.org")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        stored(&app, "housing.cw").await.as_deref(),
        Some("jamal@enoriver.example.org")
    );
    // A user disabled by the same request gets the address but no change notice.
    let housing_cw2 = user_id(&app, "housing.cw2").await;
    let (status, v) = send(
        &app,
        &sys,
        "PATCH",
        &format!("/users/{housing_cw2}"),
        Some(json!({ "disabled": true, "notify_email": "lena@enoriver.example.org" })),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["notify_email"], "lena@enoriver.example.org");
    let to: Vec<i64> = notices(&app).await.into_iter().map(|n| n.0).collect();
    assert_eq!(to, vec![cw, housing_cw], "no notice for the disabled user");
}

#[tokio::test]
async fn section1_an_agency_admin_of_another_agency_gets_404_and_changes_nothing() {
    let app = spawn_app().await;
    let cw = user_id(&app, "shelter.cw").await;
    let own = app.sign_in("shelter.cw").await;
    assert_eq!(
        set_own(&app, &own, json!("maria@bullcity.example.org"))
            .await
            .0,
        200
    );
    let other = app.sign_in("housing.admin").await;
    for email in [json!("someone@else.example.org"), Value::Null] {
        let (status, v) = patch_email(&app, &other, cw, email).await;
        assert_eq!(status, 404, "{v}");
        assert!(!v.to_string().contains("bullcity"), "{v}");
    }
    assert_eq!(
        stored(&app, "shelter.cw").await.as_deref(),
        Some("maria@bullcity.example.org")
    );
    assert_eq!(history(&app, cw).await.len(), 1);
    assert_eq!(email_audit(&app).await.len(), 1);
}

#[tokio::test]
async fn section1_a_caseworker_cannot_set_another_users_address() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let colleague = user_id(&app, "shelter.cw2").await;
    let elsewhere = user_id(&app, "housing.cw").await;
    // A colleague in the same agency: 403 with the shared reason.
    let (status, v) = patch_email(&app, &c, colleague, json!("x@bullcity.example.org")).await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(
        v["reason"]["code"], "only_administrators_manage_users",
        "{v}"
    );
    // Another agency's user: 404, as for any user the caller may not see.
    let (status, _) = patch_email(&app, &c, elsewhere, json!("x@enoriver.example.org")).await;
    assert_eq!(status, 404);
    // The self-service route has no way to name another user.
    let (status, v) = send(
        &app,
        &c,
        "PUT",
        "/session/email",
        Some(json!({ "email": "x@bullcity.example.org", "user_id": colleague })),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["field"], "user_id");
    for u in ["shelter.cw", "shelter.cw2", "housing.cw"] {
        assert_eq!(stored(&app, u).await, None, "{u}");
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM notify_email_history").await,
        0
    );
    assert!(email_audit(&app).await.is_empty());
}

#[tokio::test]
async fn p5_invalid_addresses_are_422_naming_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let cw = user_id(&app, "shelter.cw").await;
    let own = app.sign_in("shelter.cw").await;
    let admin = app.sign_in("shelter.admin").await;
    let good = "maria@bullcity.example.org";
    assert_eq!(set_own(&app, &own, json!(good)).await.0, 200);
    let too_long = format!("{}@example.org", "m".repeat(250));
    let invalid = [
        json!(""),
        json!("   "),
        json!("maria"),
        json!("maria@@bullcity.example.org"),
        json!("maria@lopez@bullcity.example.org"),
        json!("@bullcity.example.org"),
        json!("maria@localhost"),
        json!("maria@bullcity..example.org"),
        json!("maria lopez@bullcity.example.org"),
        json!("maria@bullcity.example.org\r\nBcc: x@evil.example"),
        json!("maria\u{0}@bullcity.example.org"),
        json!("<maria@bullcity.example.org>"),
        json!(too_long),
        json!(42),
        json!(["maria@bullcity.example.org"]),
    ];
    for email in &invalid {
        let (status, v) = set_own(&app, &own, email.clone()).await;
        assert_eq!(status, 422, "own {email}: {v}");
        assert_eq!(v["field"], "email", "own {email}: {v}");
        let (status, v) = send(
            &app,
            &admin,
            "PATCH",
            &format!("/users/{cw}"),
            Some(json!({ "display_name": "Renamed", "notify_email": email })),
        )
        .await;
        assert_eq!(status, 422, "admin {email}: {v}");
        assert_eq!(v["field"], "notify_email", "admin {email}: {v}");
    }
    // The key is required: an empty body clears nothing.
    let (status, v) = send(&app, &own, "PUT", "/session/email", Some(json!({}))).await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["field"], "email", "{v}");
    // Nothing stored: the address, the display name, the history, the audit, the outbox.
    assert_eq!(stored(&app, "shelter.cw").await.as_deref(), Some(good));
    let (name,): (String,) = sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
        .bind(cw)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(name, "Maria Lopez");
    assert_eq!(history(&app, cw).await.len(), 1);
    assert_eq!(email_audit(&app).await.len(), 1);
    assert_eq!(notices(&app).await.len(), 1);
}

#[tokio::test]
async fn section1_a_caseworker_cannot_read_another_users_address() {
    let app = spawn_app().await;
    let colleague = user_id(&app, "shelter.cw2").await;
    let elsewhere = user_id(&app, "housing.cw").await;
    for (u, email) in [
        ("shelter.cw2", "thomas@bullcity.example.org"),
        ("housing.cw", "jamal@enoriver.example.org"),
    ] {
        let c = app.sign_in(u).await;
        assert_eq!(set_own(&app, &c, json!(email)).await.0, 200);
    }
    let c = app.sign_in("shelter.cw").await;
    // Another agency's user: 404; a colleague: 403; the list: 403. No address in any answer.
    for (path, want) in [
        (format!("/users/{elsewhere}"), 404),
        (format!("/users/{colleague}"), 403),
        ("/users".to_owned(), 403),
    ] {
        let (status, v) = send(&app, &c, "GET", &path, None).await;
        assert_eq!(status, want, "GET {path}: {v}");
        assert!(!v.to_string().contains('@'), "GET {path}: {v}");
    }
    // An AgencyAdmin lists their own agency's addresses, not another agency's.
    let admin = app.sign_in("shelter.admin").await;
    let (status, list) = send(&app, &admin, "GET", "/users", None).await;
    assert_eq!(status, 200);
    let text = list.to_string();
    assert!(text.contains("thomas@bullcity.example.org"), "{text}");
    assert!(!text.contains("enoriver"), "{text}");
    let (status, _) = send(&app, &admin, "GET", &format!("/users/{elsewhere}"), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn r13_a_new_address_gets_the_change_notice_by_email_naming_no_client() {
    let (port, received) = smtp_server().await;
    let app = spawn_app_with(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail.from = "Hearth <hearth@example.org>".into();
    })
    .await;
    let cw = user_id(&app, "shelter.cw").await;
    let admin = app.sign_in("shelter.admin").await;
    let (status, _) = patch_email(&app, &admin, cw, json!("Maria@BullCity.Example.org")).await;
    assert_eq!(status, 200);
    // Queued in the outbox for the user, waiting to be emailed.
    assert_eq!(
        notices(&app).await,
        vec![(
            cw,
            "notification_email_changed".to_owned(),
            "Your Hearth notification address was changed".to_owned(),
            "pending".to_owned()
        )]
    );
    let report = run_due_jobs(&app.state).await.unwrap();
    assert_eq!(report.emails_sent, 1, "{report:?}");
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    let (rcpt, data) = &mails[0];
    assert_eq!(rcpt, &vec!["<Maria@bullcity.example.org>".to_owned()]);
    let text = unfold(data);
    assert!(
        text.contains("Subject: Your Hearth notification address was changed"),
        "{text}"
    );
    assert!(
        text.contains("An administrator of Bull City Shelter"),
        "{text}"
    );
    // The body (after the headers) does not repeat the address.
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    assert!(!body.contains('@'), "{body}");
    assert_eq!(notices(&app).await[0].3, "sent");
    // An account notice is email only: the client-notification inbox does not list it.
    let me = app.sign_in("shelter.cw").await;
    let (status, inbox) = send(&app, &me, "GET", "/notifications", None).await;
    assert_eq!(status, 200);
    assert_eq!(inbox, json!({ "unread": 0, "items": [] }));
    // The user changes it themself: the notice goes to the new address.
    assert_eq!(
        set_own(&app, &me, json!("maria@lopez.example.net")).await.0,
        200
    );
    assert_eq!(run_due_jobs(&app.state).await.unwrap().emails_sent, 1);
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1].0, vec!["<maria@lopez.example.net>".to_owned()]);
    let second = unfold(&mails[1].1);
    assert!(second.contains("You set this address"), "{second}");
    // no client is named in any of it (every demo client's names, DOB and SSN).
    assert_notifications_name_no_client(&app, &[], &[text, second]).await;
}

#[tokio::test]
async fn r13_clearing_the_address_holds_the_emails_still_waiting() {
    let (port, received) = smtp_server().await;
    let app = spawn_app_with(|c| c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    // housing.cw2 (who entered client 2's first name) sets an address, then a conflict is opened
    // against that value: the change notice and the conflict notice wait in the outbox.
    let entering = app.sign_in("housing.cw2").await;
    assert_eq!(
        set_own(&app, &entering, json!("lena@enoriver.example.org"))
            .await
            .0,
        200
    );
    let shelter = app.sign_in("shelter.cw").await;
    open_first_name_conflict(&app, &shelter).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notifications WHERE email_status = 'pending'"
        )
        .await,
        2
    );
    // Cleared before the outbox ran: nothing is sent and nothing fails against no address.
    assert_eq!(set_own(&app, &entering, Value::Null).await.0, 200);
    assert_eq!(run_due_jobs(&app.state).await.unwrap().emails_sent, 0);
    assert!(received.lock().unwrap().is_empty());
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notifications
             WHERE email_status = 'no_address' AND email_attempts = 0 AND last_error IS NULL"
        )
        .await,
        2
    );
    // The conflict notice stays in the inbox.
    let (_, inbox) = send(&app, &entering, "GET", "/notifications", None).await;
    assert_eq!(inbox["unread"], 1);
}

#[tokio::test]
async fn p3_address_history_is_append_only_in_the_database() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    assert_eq!(
        set_own(&app, &c, json!("maria@bullcity.example.org"))
            .await
            .0,
        200
    );
    for sql in [
        "UPDATE notify_email_history SET old_email = 'x@example.org'",
        "DELETE FROM notify_email_history",
    ] {
        let r = sqlx::query(sql).execute(&app.pool).await;
        assert!(r.is_err(), "{sql} was allowed");
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM notify_email_history").await,
        1
    );
}
