//! Notifications: the in-app inbox, email delivery over SMTP to a real listener on
//! loopback (a tiny SMTP server written here), retries with back-off on the controllable clock,
//! and every notification of every escalation path naming clients by HMIS number only.

use crate::conflicts::stated;
use crate::conflicts::{
    advance, assert_notifications_name_no_client, attempt, day, escalate, notifications,
    open_first_name_conflict,
};
use crate::records::count;
use crate::support::{date, spawn_app, spawn_app_with, TestApp};
use server::services::jobs::run_due_jobs;
use shared::api::endpoint::NoBody;
use shared::api::endpoints::{self as ep, EntryExitListQuery};
use shared::api::records::NewEnrollment;
use shared::api::resolution::{NotificationList, OpenEntryExitRequest};
use shared::fields::Field;
use shared::ids::ProgramId;
use shared::notify::Message;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server on loopback: greets 220, accepts EHLO/HELO, MAIL, RCPT, DATA up to
/// "\r\n.\r\n", RSET, NOOP and QUIT, and keeps each message's (recipients, data).
pub async fn smtp_server() -> (u16, Arc<Mutex<Vec<(Vec<String>, String)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read);
                let _ = write.write_all(b"220 localhost test SMTP\r\n").await;
                let mut rcpt = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    let cmd = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250 localhost\r\n"
                    } else if cmd.starts_with("MAIL FROM") || cmd.starts_with("RSET") {
                        rcpt.clear();
                        b"250 OK\r\n"
                    } else if cmd.starts_with("RCPT TO") {
                        rcpt.push(line.trim_end()[8..].trim().to_owned());
                        b"250 OK\r\n"
                    } else if cmd == "DATA" {
                        let _ = write
                            .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                            .await;
                        let mut data = String::new();
                        while !data.ends_with("\r\n.\r\n") {
                            let mut l = String::new();
                            if lines.read_line(&mut l).await.unwrap_or(0) == 0 {
                                break;
                            }
                            data.push_str(&l);
                        }
                        store
                            .lock()
                            .unwrap()
                            .push((std::mem::take(&mut rcpt), data));
                        b"250 OK queued\r\n"
                    } else if cmd == "QUIT" {
                        let _ = write.write_all(b"221 Bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (port, received)
}

/// Gives every demo user an address `username@example.org`.
async fn give_everyone_an_address(app: &TestApp) {
    sqlx::query("UPDATE users SET notify_email = username || '@example.org'")
        .execute(&app.pool)
        .await
        .unwrap();
}

/// Undoes quoted-printable soft line breaks so the text can be searched.
pub fn unfold(mail: &str) -> String {
    mail.replace("=\r\n", "").replace("=3D", "=")
}

async fn inbox(app: &TestApp, c: &reqwest::Client) -> NotificationList {
    app.get::<ep::ListNotifications>(c, &[]).await.ok()
}

#[tokio::test]
async fn r13_the_inbox_lists_the_callers_notifications_newest_first_with_the_unread_count() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    open_first_name_conflict(&app, &shelter).await;
    // A second conflict on the date of birth, also entered by housing.cw2 (user 7).
    app.send::<ep::OpenConflict>(&shelter, &[2], &stated("date_of_birth", "1970-01-01"))
        .await
        .ok_with(201);
    let entering = app.sign_in("housing.cw2").await;
    let v = inbox(&app, &entering).await;
    assert_eq!(v.unread, 2);
    let items = &v.items;
    assert_eq!(items.len(), 2);
    assert!(items[0].id > items[1].id, "newest first");
    assert!(
        matches!(
            items[0].message,
            Message::DataConflictOpened {
                field: Field::DateOfBirth,
                ..
            }
        ),
        "{:?}",
        items[0].message
    );
    assert_eq!(items[0].client.to_string(), "H0001002");
    let first = items[1].id;
    // Someone else's notification is not found, and stays unread.
    app.get::<ep::MarkNotificationRead>(&shelter, &[first])
        .await
        .refused(404);
    assert_eq!(inbox(&app, &shelter).await.items, []);
    app.get::<ep::MarkNotificationRead>(&entering, &[first])
        .await
        .ok_with(204);
    let v = inbox(&app, &entering).await;
    assert_eq!(v.unread, 1);
    assert!(v.items[1].read_at.is_some());
    // Without SMTP, the email stays in the outbox: nothing sent, nothing lost.
    give_everyone_an_address(&app).await;
    assert_eq!(run_due_jobs(&app.state).await.unwrap().emails_sent, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notifications WHERE email_status = 'sent'"
        )
        .await,
        0
    );
    assert_notifications_name_no_client(&app, &["Jordyn"], &[]).await;
}

#[tokio::test]
async fn r13_notifications_are_emailed_over_smtp_and_marked_sent() {
    let (port, received) = smtp_server().await;
    let app = spawn_app_with(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail.from = "Hearth <hearth@example.org>".into();
    })
    .await;
    give_everyone_an_address(&app).await;
    let shelter = app.sign_in("shelter.cw").await;
    open_first_name_conflict(&app, &shelter).await;
    let report = run_due_jobs(&app.state).await.unwrap();
    assert_eq!(report.emails_sent, 1, "{report:?}");
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    let (rcpt, data) = &mails[0];
    assert_eq!(rcpt, &vec!["<housing.cw2@example.org>".to_owned()]);
    let text = unfold(data);
    assert!(
        text.contains("Subject: Data conflict #1 for client H0001002"),
        "{text}"
    );
    assert!(
        text.contains("legal first name your agency entered for client H0001002"),
        "{text}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM notifications WHERE email_status = 'sent' AND sent_at IS NOT NULL").await, 1);
    // Sent once only.
    assert_eq!(run_due_jobs(&app.state).await.unwrap().emails_sent, 0);
    assert_eq!(received.lock().unwrap().len(), 1);
    assert_notifications_name_no_client(&app, &["Jordyn"], &[text]).await;
}

#[tokio::test]
async fn r13_a_failed_email_is_retried_with_back_off_and_given_up_after_eight_attempts() {
    // A port where nobody listens.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = spawn_app_with(|c| c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    give_everyone_an_address(&app).await;
    let shelter = app.sign_in("shelter.cw").await;
    open_first_name_conflict(&app, &shelter).await;
    let state = || async {
        let (status, attempts, error): (String, i64, Option<String>) =
            sqlx::query_as("SELECT email_status, email_attempts, last_error FROM notifications")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        (status, attempts, error.is_some())
    };
    assert_eq!(run_due_jobs(&app.state).await.unwrap().emails_sent, 0);
    assert_eq!(state().await, ("pending".into(), 1, true));
    // Not due again before the back-off (1 minute, then 2, 4, ...).
    run_due_jobs(&app.state).await.unwrap();
    assert_eq!(state().await.1, 1);
    app.clock.advance(chrono::Duration::seconds(59));
    run_due_jobs(&app.state).await.unwrap();
    assert_eq!(state().await.1, 1, "59 s: not yet");
    app.clock.advance(chrono::Duration::seconds(1));
    run_due_jobs(&app.state).await.unwrap();
    assert_eq!(state().await.1, 2, "60 s: retried");
    for _ in 0..10 {
        app.clock.advance(chrono::Duration::hours(6));
        run_due_jobs(&app.state).await.unwrap();
    }
    assert_eq!(state().await, ("failed".into(), 8, true));
}

#[tokio::test]
async fn r13_every_escalation_path_emails_exactly_the_spec_recipients_by_hmis_number_only() {
    let (port, received) = smtp_server().await;
    let app = spawn_app_with(|c| c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    give_everyone_an_address(&app).await;
    // a data conflict on client 2's legal first name, escalated after 3 attempts / 14 days.
    let shelter = app.sign_in("shelter.cw").await;
    let data = open_first_name_conflict(&app, &shelter).await;
    // the shelter stay of client 1 still open when Eno River housed the client.
    let enrollment = |program: i64, entry: &str, move_in: Option<&str>| NewEnrollment {
        program_id: ProgramId(program),
        case_name: "Rivera".into(),
        entry_date: date(entry),
        exit_date: None,
        prior_living_situation: None,
        disabling_condition: None,
        enrollment_coc: None,
        destination: None,
        move_in_date: move_in.map(date),
        head_of_household: false,
    };
    let stay = app
        .send::<ep::CreateEnrollment>(&shelter, &[1], &enrollment(1, "2026-06-01", None))
        .await
        .ok()
        .meta
        .id
        .0;
    let housing = app.sign_in("housing.cw").await;
    let housed = enrollment(3, "2026-06-15", Some("2026-07-01"));
    app.send::<ep::CreateEnrollment>(&housing, &[1], &housed)
        .await
        .ok();
    let found = app
        .call::<ep::ListEntryExitConflicts>(&housing, &[], &EntryExitListQuery::default(), &NoBody)
        .await
        .ok();
    let detection = found[0].id;
    let open = OpenEntryExitRequest { enrollment: stay };
    let entry_exit = app
        .send::<ep::OpenEntryExitConflict>(&housing, &[detection], &open)
        .await
        .ok_with(201)
        .id
        .0;
    for d in [0, 7, 14] {
        if d > 0 {
            advance(&app, 7);
        }
        attempt(&app, "shelter.cw", data, &day(d), "no_answer")
            .await
            .ok_with(201);
        attempt(&app, "housing.cw", entry_exit, &day(d), "no_answer")
            .await
            .ok_with(201);
    }
    escalate(&app, "shelter.cw", data).await.ok_with(200);
    escalate(&app, "housing.cw", entry_exit).await.ok_with(200);
    advance(&app, 30);
    let report = run_due_jobs(&app.state).await.unwrap();
    assert_eq!(report.data_center.len(), 1);
    // Who received what (user ids: 1 coc.admin, 2 shelter.admin, 5 housing.admin, 7 housing.cw2).
    let got: Vec<(i64, String)> = notifications(&app)
        .await
        .into_iter()
        .map(|(u, t, _, _)| (u, t))
        .collect();
    let want: Vec<(i64, String)> = [
        (7, "data_conflict_opened"),
        (2, "entry_exit_conflict_opened"),
        (5, "data_conflict_escalated"),
        (2, "entry_exit_review_requested"),
        (1, "entry_exit_data_center"),
    ]
    .iter()
    .map(|(u, t)| (*u, (*t).to_owned()))
    .collect();
    assert_eq!(got, want);
    // Exactly one ProfileNote per escalation to the agency admins, none for the data center.
    let notes: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT client_id, title, author_id FROM records
         WHERE kind = 'ProfileNote' AND title IN ('Data conflict', 'Entry/exit conflict')
         ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        notes,
        vec![
            (2, "Data conflict".to_owned(), 3),
            (1, "Entry/exit conflict".to_owned(), 6)
        ]
    );
    assert_eq!(report.emails_sent, 5, "{report:?}");
    let mails: Vec<String> = received
        .lock()
        .unwrap()
        .iter()
        .map(|(_, d)| unfold(d))
        .collect();
    assert_eq!(mails.len(), 5);
    for m in &mails {
        assert!(m.contains("H000100"), "names the HMIS number: {m}");
    }
    assert_notifications_name_no_client(&app, &["Jordyn"], &mails).await;
}
