//! Notification email addresses: a user sets, changes and clears their own (`PUT /session/email`);
//! those who manage a user set it through `PATCH /users/{id}` (`admin::can_update_user`); the
//! address is parsed by `shared::admin::EmailAddress` (P-5: input validated with clear errors);
//! it is shown only with the account (section 1 read rules); each change is audited without the
//! address (P-4), keeps the old value (P-3), and a new address gets a notice naming no client
//! that the outbox really emails.

use crate::conflicts::{assert_notifications_name_no_client, open_first_name_conflict};
use crate::notifications::{smtp_server, unfold};
use crate::records::{count, send};
use crate::refused;
use crate::support::{spawn_app, spawn_app_with, Answer, TestApp};
use serde_json::{json, Value};
use server::services::jobs::run_due_jobs;
use shared::api::accounts::{NotifyEmailChange, User, UserPatch};
use shared::api::endpoints as ep;
use shared::{Reason, UserId};

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

/// `PUT /session/email` as `c`: `None` clears the address.
async fn set_own(app: &TestApp, c: &reqwest::Client, email: Option<&str>) -> Answer<User> {
    let body = NotifyEmailChange {
        email: email.map(str::to_owned),
    };
    app.send::<ep::SetOwnNotifyEmail>(c, &[], &body).await
}

/// `PATCH /users/{user}` of the address alone: `None` clears it.
async fn patch_email(
    app: &TestApp,
    c: &reqwest::Client,
    user: i64,
    email: Option<&str>,
) -> Answer<User> {
    let body = UserPatch {
        notify_email: Some(email.map(str::to_owned)),
        ..Default::default()
    };
    app.send::<ep::UpdateUser>(c, &[user], &body).await
}

/// The address `GET /session` shows `c`.
async fn session_email(app: &TestApp, c: &reqwest::Client) -> Option<String> {
    app.get::<ep::GetSession>(c, &[]).await.ok().notify_email
}

#[tokio::test]
async fn p5_a_user_sets_changes_and_clears_their_own_notification_email() {
    let app = spawn_app().await;
    let me = user_id(&app, "shelter.cw").await;
    let c = app.sign_in("shelter.cw").await;
    assert_eq!(session_email(&app, &c).await, None, "no address at first");

    // Set: trimmed, the domain lower-cased, the name before the @ kept as typed.
    let v = set_own(&app, &c, Some(" Maria.Lopez@BullCity.Example.ORG "))
        .await
        .ok_with(200);
    assert_eq!(v.id, UserId(me));
    assert_eq!(
        v.notify_email.as_deref(),
        Some("Maria.Lopez@bullcity.example.org")
    );
    assert_eq!(
        stored(&app, "shelter.cw").await.as_deref(),
        Some("Maria.Lopez@bullcity.example.org")
    );
    // Shown where the user's details are: the session and their own account.
    assert_eq!(
        session_email(&app, &c).await.as_deref(),
        Some("Maria.Lopez@bullcity.example.org")
    );
    let own = app.get::<ep::GetUser>(&c, &[me]).await.ok_with(200);
    assert_eq!(
        own.notify_email.as_deref(),
        Some("Maria.Lopez@bullcity.example.org")
    );

    // Change.
    let v = set_own(&app, &c, Some("maria@lopez.example.net"))
        .await
        .ok_with(200);
    assert_eq!(v.notify_email.as_deref(), Some("maria@lopez.example.net"));
    // The same address again changes nothing: no history, no audit, no notice.
    set_own(&app, &c, Some("maria@LOPEZ.example.net"))
        .await
        .ok_with(200);
    assert_eq!(history(&app, me).await.len(), 2);

    // Clear with null.
    let v = set_own(&app, &c, None).await.ok_with(200);
    assert_eq!(v.notify_email, None);
    assert_eq!(stored(&app, "shelter.cw").await, None);
    assert_eq!(session_email(&app, &c).await, None);

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
    let maria = Some("maria.lopez@bullcity.example.org");
    let v = patch_email(&app, &c, cw, maria).await.ok_with(200);
    assert_eq!(v.notify_email.as_deref(), maria);
    // The user list and the user's own views show it.
    let list = app.get::<ep::ListUsers>(&c, &[]).await.ok_with(200);
    let row = list.iter().find(|u| u.id == UserId(cw)).unwrap();
    assert_eq!(row.notify_email.as_deref(), maria);
    let me = app.sign_in("shelter.cw").await;
    assert_eq!(session_email(&app, &me).await.as_deref(), maria);
    // Combined with another field, both change, in one audit row.
    let both = UserPatch {
        display_name: Some("Maria L. Lopez".into()),
        notify_email: Some(None),
        ..Default::default()
    };
    let v = app
        .send::<ep::UpdateUser>(&c, &[cw], &both)
        .await
        .ok_with(200);
    assert_eq!(v.notify_email, None);
    assert_eq!(v.display_name, "Maria L. Lopez");
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
    patch_email(&app, &sys, housing_cw, Some("jamal@enoriver.example.org"))
        .await
        .ok_with(200);
    assert_eq!(
        stored(&app, "housing.cw").await.as_deref(),
        Some("jamal@enoriver.example.org")
    );
    // A user disabled by the same request gets the address but no change notice.
    let housing_cw2 = user_id(&app, "housing.cw2").await;
    let disable = UserPatch {
        disabled: Some(true),
        notify_email: Some(Some("lena@enoriver.example.org".into())),
        ..Default::default()
    };
    let v = app
        .send::<ep::UpdateUser>(&sys, &[housing_cw2], &disable)
        .await
        .ok_with(200);
    assert_eq!(v.notify_email.as_deref(), Some("lena@enoriver.example.org"));
    let to: Vec<i64> = notices(&app).await.into_iter().map(|n| n.0).collect();
    assert_eq!(to, vec![cw, housing_cw], "no notice for the disabled user");
}

#[tokio::test]
async fn section1_an_agency_admin_of_another_agency_gets_404_and_changes_nothing() {
    let app = spawn_app().await;
    let cw = user_id(&app, "shelter.cw").await;
    let own = app.sign_in("shelter.cw").await;
    set_own(&app, &own, Some("maria@bullcity.example.org"))
        .await
        .ok_with(200);
    let other = app.sign_in("housing.admin").await;
    // Read raw: no field of the answer, declared or not, may carry the address.
    for email in [json!("someone@else.example.org"), Value::Null] {
        let (status, v) = send(
            &app,
            &other,
            "PATCH",
            &format!("/users/{cw}"),
            Some(json!({ "notify_email": email })),
        )
        .await;
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
    refused!(
        patch_email(&app, &c, colleague, Some("x@bullcity.example.org")).await,
        403,
        Reason::OnlyAdministratorsManageUsers
    );
    // Another agency's user: 404, as for any user the caller may not see.
    patch_email(&app, &c, elsewhere, Some("x@enoriver.example.org"))
        .await
        .refused(404);
    // The self-service route has no way to name another user (a field no wire type has: raw).
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
    set_own(&app, &own, Some(good)).await.ok_with(200);
    let too_long = format!("{}@example.org", "m".repeat(250));
    let invalid = [
        "",
        "   ",
        "maria",
        "maria@@bullcity.example.org",
        "maria@lopez@bullcity.example.org",
        "@bullcity.example.org",
        "maria@localhost",
        "maria@bullcity..example.org",
        "maria lopez@bullcity.example.org",
        "maria@bullcity.example.org\r\nBcc: x@evil.example",
        "maria\u{0}@bullcity.example.org",
        "<maria@bullcity.example.org>",
        too_long.as_str(),
    ];
    for email in invalid {
        let e = set_own(&app, &own, Some(email)).await.refused(422);
        assert_eq!(e.field.as_deref(), Some("email"), "own {email:?}: {e:?}");
        let renamed = UserPatch {
            display_name: Some("Renamed".into()),
            notify_email: Some(Some(email.into())),
            ..Default::default()
        };
        let e = app
            .send::<ep::UpdateUser>(&admin, &[cw], &renamed)
            .await
            .refused(422);
        assert_eq!(
            e.field.as_deref(),
            Some("notify_email"),
            "admin {email:?}: {e:?}"
        );
    }
    // Values no wire type can carry: raw on purpose.
    for email in [json!(42), json!(["maria@bullcity.example.org"])] {
        let (status, v) = send(
            &app,
            &own,
            "PUT",
            "/session/email",
            Some(json!({ "email": email })),
        )
        .await;
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
        set_own(&app, &c, Some(email)).await.ok_with(200);
    }
    let c = app.sign_in("shelter.cw").await;
    // Another agency's user: 404; a colleague: 403; the list: 403. No address in any answer
    // (read raw: no field, declared or not, may carry one).
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
    let list = app.get::<ep::ListUsers>(&admin, &[]).await.ok_with(200);
    assert!(
        list.iter()
            .any(|u| u.notify_email.as_deref() == Some("thomas@bullcity.example.org")),
        "{list:?}"
    );
    // The whole answer, raw: no field, declared or not, carries another agency's address.
    let (_, raw) = send(&app, &admin, "GET", "/users", None).await;
    let text = raw.to_string();
    assert!(!text.contains("enoriver"), "{text}");
    app.get::<ep::GetUser>(&admin, &[elsewhere])
        .await
        .refused(404);
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
    patch_email(&app, &admin, cw, Some("Maria@BullCity.Example.org"))
        .await
        .ok_with(200);
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
    let inbox = app
        .get::<ep::ListNotifications>(&me, &[])
        .await
        .ok_with(200);
    assert_eq!((inbox.unread, inbox.items.len()), (0, 0));
    // The user changes it themself: the notice goes to the new address.
    set_own(&app, &me, Some("maria@lopez.example.net"))
        .await
        .ok_with(200);
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
    set_own(&app, &entering, Some("lena@enoriver.example.org"))
        .await
        .ok_with(200);
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
    set_own(&app, &entering, None).await.ok_with(200);
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
    let inbox = app.get::<ep::ListNotifications>(&entering, &[]).await.ok();
    assert_eq!(inbox.unread, 1);
}

#[tokio::test]
async fn p3_address_history_is_append_only_in_the_database() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    set_own(&app, &c, Some("maria@bullcity.example.org"))
        .await
        .ok_with(200);
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
