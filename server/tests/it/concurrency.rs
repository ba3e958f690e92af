//! Many users writing at once: a transaction that reads before it writes holds when other
//! connections commit in between (SQLite answered `database is locked` to such transactions:
//! issue 11). Every request here must succeed; none may answer 5xx.

use crate::conflicts::{attempt_on, day, open_first_name_conflict};
use crate::support::{call_at, spawn_app};
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::records::NoteInput;

#[tokio::test]
async fn r3_contact_attempts_logged_by_two_caseworkers_while_a_third_writes_notes_all_succeed() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let conflict = open_first_name_conflict(&app, &shelter).await;
    let writers = [
        app.sign_in("shelter.cw").await,
        app.sign_in("shelter.cw2").await,
    ];
    let notes = app.sign_in("housing.cw").await;
    let base = app.url("");
    let mut tasks = Vec::new();
    for i in 0..50 {
        for c in &writers {
            let (c, base) = (c.clone(), base.clone());
            tasks.push(tokio::spawn(async move {
                let body = attempt_on(&day(0), "phone", "no_answer");
                call_at::<ep::LogConflictAttempt>(&base, &c, &[conflict], &NoQuery, &body)
                    .await
                    .status
            }));
        }
        let (c, base) = (notes.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let body = NoteInput {
                text: format!("Called about housing, note {i}"),
            };
            call_at::<ep::CreateNote>(&base, &c, &[2], &NoQuery, &body)
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let failed: Vec<u16> = statuses.iter().copied().filter(|s| *s != 201).collect();
    assert!(
        failed.is_empty(),
        "{} of {} requests failed: {failed:?}",
        failed.len(),
        statuses.len()
    );
}
