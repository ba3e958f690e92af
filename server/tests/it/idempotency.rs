//! Retries are safe (issue 11): a creating `POST` with an `Idempotency-Key` that is sent again
//! with the same key and body gets the first answer (`Idempotent-Replayed: true`) and stores
//! nothing new; another body is 422, another user's key is their own, simultaneous repeats store
//! once, and a key whose answer was lost after its write committed is 409 with nothing stored.

use crate::conflicts::{attempt_on, stated};
use crate::records::{attachment, contact, count, new_enrollment, new_service, note, PDF};
use crate::support::{call_keyed_at, spawn_app, today, TestApp};
use shared::api::accounts::{NewOrganization, NewProgram, NewUser};
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::idempotency::KEY_HEADER;
use shared::api::intake::NewClientRequest;
use shared::api::records::{NewCaseManager, NewContact, NewForm};
use shared::api::releases::{NewMouRequest, NewRoiRequest};
use shared::api::Endpoint;
use shared::intake::DataQuality;
use shared::records::{ContactKind, DocumentType, FormType};
use shared::{OrgId, ProgramId, Role, UserId};

const KEY: &str = "form-7f3c2a9e-0001";

async fn notes_of(app: &TestApp, c: &reqwest::Client, client: i64) -> usize {
    app.get::<ep::ListNotes>(c, &[client])
        .await
        .ok()
        .records
        .len()
}

async fn services_of(app: &TestApp, c: &reqwest::Client, client: i64) -> usize {
    app.get::<ep::ListServices>(c, &[client])
        .await
        .ok()
        .records
        .len()
}

async fn replays_audited(app: &TestApp) -> Vec<Option<String>> {
    sqlx::query_as::<_, (Option<String>,)>(
        "SELECT hmis_number FROM audit_log WHERE action LIKE 'replayed the answer of %'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(h,)| h)
    .collect()
}

#[tokio::test]
async fn a_note_sent_again_with_its_key_gets_the_first_answer_and_is_stored_once() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = notes_of(&app, &c, 1).await;
    let body = note("Met at the day center");

    let first = app
        .call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &body)
        .await;
    assert!(!first.replayed);
    let first = first.ok_with(201);
    let again = app
        .call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &body)
        .await;
    assert!(again.replayed, "the repeat says it is the stored answer");
    assert_eq!(again.ok_with(201), first, "the same status and body");

    assert_eq!(notes_of(&app, &c, 1).await, before + 1, "stored once");
    // P-4: the replay returned data, so it is audited, against the first request's client.
    assert_eq!(replays_audited(&app).await, [Some("H0001001".to_owned())]);
}

#[tokio::test]
async fn a_service_sent_again_with_its_key_is_stored_once() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = services_of(&app, &c, 1).await;
    let mut answers = Vec::new();
    for _ in 0..3 {
        let a = app
            .call_keyed::<ep::CreateService>(&c, KEY, &[1], &NoQuery, &new_service())
            .await;
        answers.push((a.replayed, a.ok_with(201)));
    }
    assert_eq!(
        answers.iter().map(|a| a.0).collect::<Vec<_>>(),
        [false, true, true]
    );
    assert!(answers.iter().all(|a| a.1 == answers[0].1));
    assert_eq!(services_of(&app, &c, 1).await, before + 1);
}

#[tokio::test]
async fn r3_a_conflict_and_its_contact_attempt_sent_again_are_stored_once() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let body = stated("legal_first_name", "Jordyn");
    let open = app
        .call_keyed::<ep::OpenConflict>(&c, "open-1", &[2], &NoQuery, &body)
        .await
        .ok_with(201);
    let again = app
        .call_keyed::<ep::OpenConflict>(&c, "open-1", &[2], &NoQuery, &body)
        .await;
    assert!(again.replayed);
    assert_eq!(again.ok_with(201).id, open.id);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM conflicts").await, 1);

    let attempt = attempt_on(&today().to_string(), "phone", "no_answer");
    for _ in 0..2 {
        app.call_keyed::<ep::LogConflictAttempt>(&c, "try-1", &[open.id.0], &NoQuery, &attempt)
            .await
            .ok_with(201);
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM conflict_attempts").await,
        1
    );
}

fn new_client(first: &str) -> NewClientRequest {
    NewClientRequest {
        first_name: first.into(),
        middle_name: None,
        last_name: "Okafor".into(),
        date_of_birth: None,
        dob_data_quality: DataQuality::DataNotCollected,
        ssn: None,
        ssn_data_quality: DataQuality::DataNotCollected,
        gender: None,
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        marital_status: None,
        confirm_new: false,
    }
}

#[tokio::test]
async fn s1_an_intake_sent_again_with_its_key_creates_one_client_with_one_hmis_number() {
    let app = spawn_app().await;
    let c = app.sign_in("housing.cw").await;
    let clients = "SELECT COUNT(*) FROM clients";
    let before = count(&app, clients).await;
    let body = new_client("Ada");
    let first = app
        .call_keyed::<ep::CreateClient>(&c, KEY, &[], &NoQuery, &body)
        .await
        .ok_with(201);
    let again = app
        .call_keyed::<ep::CreateClient>(&c, KEY, &[], &NoQuery, &body)
        .await;
    assert!(again.replayed);
    assert_eq!(again.ok_with(201).hmis_number, first.hmis_number);
    assert_eq!(count(&app, clients).await, before + 1);
    // The client's search keys were written with it (one transaction).
    let query = ep::SearchQuery {
        q: "ada okafor".into(),
    };
    let found = app.call::<ep::SearchClients>(&c, &[], &query, &shared::api::endpoint::NoBody);
    assert_eq!(found.await.ok().len(), 1);
}

#[tokio::test]
async fn r9_an_upload_sent_again_with_its_key_stores_one_attachment_and_one_file() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let attachments = "SELECT COUNT(*) FROM attachments";
    let before = count(&app, attachments).await;
    let files = |app: &TestApp| std::fs::read_dir(app.files_dir()).map_or(0, |d| d.count());
    let files_before = files(&app);
    let query = attachment(DocumentType::BirthCertificate, "bc.pdf");
    let mut answers = Vec::new();
    for _ in 0..2 {
        let pdf = PDF.to_vec();
        let a = app
            .upload_keyed::<ep::UploadAttachment>(
                &c,
                KEY,
                &[1],
                &query,
                Some("application/pdf"),
                pdf,
            )
            .await;
        answers.push((a.replayed, a.ok_with(201)));
    }
    assert!(!answers[0].0 && answers[1].0);
    assert_eq!(answers[0].1, answers[1].1);
    assert_eq!(count(&app, attachments).await, before + 1);
    assert_eq!(files(&app), files_before + 1, "one file on disk");

    // Another file under the same key is another request.
    let other = app
        .upload_keyed::<ep::UploadAttachment>(&c, KEY, &[1], &query, Some("application/pdf"), {
            let mut p = PDF.to_vec();
            p.extend_from_slice(b"%another\n");
            p
        })
        .await
        .refused(422);
    assert_eq!(other.field.as_deref(), Some(KEY_HEADER));
    assert_eq!(count(&app, attachments).await, before + 1);
}

fn new_user(username: &str) -> NewUser {
    NewUser {
        org: None,
        username: username.into(),
        display_name: "New Person".into(),
        role: Role::Caseworker,
        password: "a long passphrase for hearth".into(),
    }
}

#[tokio::test]
async fn an_administrators_new_user_sent_again_is_created_once_not_refused_as_taken() {
    let app = spawn_app().await;
    let admin = app.sign_in("shelter.admin").await;
    let users = "SELECT COUNT(*) FROM users";
    let before = count(&app, users).await;
    let body = new_user("new.caseworker");
    let first = app
        .call_keyed::<ep::CreateUser>(&admin, KEY, &[], &NoQuery, &body)
        .await
        .ok_with(201);
    let again = app
        .call_keyed::<ep::CreateUser>(&admin, KEY, &[], &NoQuery, &body)
        .await;
    assert!(again.replayed, "not a 409 `username taken`");
    assert_eq!(again.ok_with(201).id, first.id);
    assert_eq!(count(&app, users).await, before + 1);
    // Without a key a repeat is what it always was: the username is taken.
    let plain = app.send::<ep::CreateUser>(&admin, &[], &body).await;
    assert_eq!(plain.status, 409);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_a_422_naming_the_key_and_stores_nothing() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    app.call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &note("first"))
        .await
        .ok_with(201);
    let before = notes_of(&app, &c, 1).await;
    let e = app
        .call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &note("second"))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some(KEY_HEADER));
    assert!(
        e.error.contains("was used for a different request"),
        "{e:?}"
    );
    assert_eq!(notes_of(&app, &c, 1).await, before);
}

#[tokio::test]
async fn a_key_belongs_to_its_user_and_its_path() {
    let app = spawn_app().await;
    let one = app.sign_in("shelter.cw").await;
    let two = app.sign_in("shelter.cw2").await;
    let before = notes_of(&app, &one, 1).await;
    let body = note("same words");
    for c in [&one, &two] {
        let a = app
            .call_keyed::<ep::CreateNote>(c, KEY, &[1], &NoQuery, &body)
            .await;
        assert!(!a.replayed, "another user's key is their own");
        a.ok_with(201);
    }
    // The same key on another client's path is another request too.
    let a = app
        .call_keyed::<ep::CreateNote>(&one, KEY, &[3], &NoQuery, &body)
        .await;
    assert!(!a.replayed);
    a.ok_with(201);
    assert_eq!(notes_of(&app, &one, 1).await, before + 2);
}

#[tokio::test]
async fn a_malformed_key_is_a_422_naming_the_key_and_a_refused_request_leaves_its_key_free() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = notes_of(&app, &c, 1).await;
    for bad in ["", "has space", "tab\there", &"x".repeat(256)] {
        let e = app
            .call_keyed::<ep::CreateNote>(&c, bad, &[1], &NoQuery, &note("x"))
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some(KEY_HEADER), "{bad:?}");
    }
    // A request refused before it wrote anything stores no key: corrected, it goes through.
    let empty = app
        .call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &note(""))
        .await;
    assert_eq!(empty.status, 422);
    let fixed = app
        .call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &note("now with words"))
        .await;
    assert!(!fixed.replayed);
    fixed.ok_with(201);
    assert_eq!(notes_of(&app, &c, 1).await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_simultaneous_requests_with_one_key_store_one_note() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = notes_of(&app, &c, 1).await;
    let base = app.url("");
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (base, c, barrier) = (base.clone(), c.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let body = note("one visit, many clicks");
                let a = call_keyed_at::<ep::CreateNote>(&base, &c, KEY, &[1], &NoQuery, &body);
                let a = a.await;
                (a.status, a.replayed, a.body.err().and_then(|e| e.field))
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let fresh = answers.iter().filter(|a| a.0 == 201 && !a.1).count();
    assert_eq!(fresh, 1, "exactly one stored: {answers:?}");
    for a in &answers {
        assert!(
            a.0 == 201 || (a.0 == 409 && a.2.as_deref() == Some(KEY_HEADER)),
            "a replay or 409 in progress: {answers:?}"
        );
    }
    assert_eq!(notes_of(&app, &c, 1).await, before + 1);
    // Once the first answer is stored, a late repeat is its replay.
    let late = app
        .call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &note("one visit, many clicks"))
        .await;
    assert!(late.replayed);
    late.ok_with(201);
}

#[tokio::test]
async fn a_key_whose_answer_was_lost_after_its_write_is_a_409_and_nothing_is_stored_again() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let body = note("written, then the server died");
    app.call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &body)
        .await
        .ok_with(201);
    let stored = notes_of(&app, &c, 1).await;
    // What a crash between the commit (note and claim together) and the storing of the answer
    // leaves: the claim without its answer.
    let cw = UserId(3);
    let lost = server::db::idempotency::lose_answer(&app.pool, cw, KEY);
    assert_eq!(lost.await.unwrap(), 1);

    let retry = app
        .call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &body)
        .await
        .refused(409);
    assert_eq!(retry.field.as_deref(), Some(KEY_HEADER));
    assert!(retry.error.contains("was stored"), "{retry:?}");
    assert_eq!(notes_of(&app, &c, 1).await, stored, "not stored again");
}

#[tokio::test]
async fn keys_expire_after_a_day_and_the_hourly_jobs_forget_them() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let body = note("a day apart");
    app.call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &body)
        .await
        .ok_with(201);
    app.clock.advance(chrono::Duration::hours(25));
    let c = app.sign_in("shelter.cw").await;
    let before = notes_of(&app, &c, 1).await;
    let a = app
        .call_keyed::<ep::CreateNote>(&c, KEY, &[1], &NoQuery, &body)
        .await;
    assert!(!a.replayed, "an expired key is a new request");
    a.ok_with(201);
    assert_eq!(notes_of(&app, &c, 1).await, before + 1);
    app.clock.advance(chrono::Duration::hours(25));
    let report = server::services::jobs::run_due_jobs(&app.state)
        .await
        .unwrap();
    assert_eq!(report.keys_expired, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM idempotency_keys").await,
        0
    );
}

/// Every creating endpoint of the table is routed behind the key (a malformed key is refused
/// before anything else is looked at), and no other `POST` is.
#[tokio::test]
async fn every_creating_endpoint_is_routed_with_the_key_and_no_other() {
    let app = spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mut creating = Vec::new();
    for op in server::routes::operations() {
        if op.method != "post" || op.path == "/session" {
            continue;
        }
        let path = op.path.replace("{id}", "1");
        let res = admin
            .post(app.url(&path))
            .header(KEY_HEADER, "not a key")
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        let refused_key = status == 422 && body["field"] == KEY_HEADER;
        let creates = op.statuses.contains(&201);
        assert_eq!(refused_key, creates, "POST {}: {status} {body}", op.path);
        if creates {
            creating.push(op.path);
        }
    }
    assert_eq!(creating.len(), 22, "{creating:?}");
}

/// Sends `body` to `E` twice under `key`: the second answer must be the first, replayed.
async fn twice<E>(app: &TestApp, c: &reqwest::Client, key: &str, ids: &[i64], body: &E::Body)
where
    E: Endpoint<Query = NoQuery>,
    E::Body: 'static,
    E::Response: serde::de::DeserializeOwned + std::fmt::Debug,
{
    let first = app.call_keyed::<E>(c, key, ids, &NoQuery, body).await;
    assert!(!first.replayed, "{}", E::PATH);
    let first = format!("{:?}", first.ok_with(201));
    let again = app.call_keyed::<E>(c, key, ids, &NoQuery, body).await;
    assert!(again.replayed, "{}", E::PATH);
    assert_eq!(format!("{:?}", again.ok_with(201)), first, "{}", E::PATH);
}

#[tokio::test]
async fn every_other_kind_of_creation_sent_again_is_stored_once() {
    let app = spawn_app().await;
    let tables = [
        "records",
        "rois",
        "documents",
        "mous",
        "organizations",
        "programs",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&app, &format!("SELECT COUNT(*) FROM {t}")).await);
    }
    let cw = app.sign_in("shelter.cw").await;
    twice::<ep::CreateEnrollment>(&app, &cw, "enrol", &[1], &new_enrollment()).await;
    let manager = NewCaseManager {
        program_id: ProgramId(1),
        case_manager_id: UserId(3),
        start_date: today(),
        end_date: None,
    };
    twice::<ep::CreateCaseManager>(&app, &cw, "manager", &[1], &manager).await;
    let form = NewForm {
        form_type: FormType::Health,
        answers: [("q1".to_owned(), "a1".to_owned())].into(),
        security: None,
    };
    twice::<ep::CreateForm>(&app, &cw, "form", &[1], &form).await;
    let phone = NewContact {
        decline_note: true,
        ..contact(ContactKind::Phone, "(919) 555-0101", "2026-10-01")
    };
    twice::<ep::CreateContact>(&app, &cw, "contact", &[1], &phone).await;
    let roi = NewRoiRequest {
        organizations: vec![OrgId(2), OrgId(3)],
        start: None,
        end: None,
        attested: true,
    };
    let made = app
        .call_keyed::<ep::CreateRoi>(&cw, "roi", &[4], &NoQuery, &roi)
        .await
        .ok_with(201);
    let again = app
        .call_keyed::<ep::CreateRoi>(&cw, "roi", &[4], &NoQuery, &roi)
        .await;
    assert!(again.replayed);
    assert_eq!(again.ok_with(201).roi.id, made.roi.id);
    let pdf = Some("application/pdf");
    for replay in [false, true] {
        let a = app
            .upload_keyed::<ep::UploadRoiDocument>(
                &cw,
                "scan",
                &[made.roi.id.0],
                &NoQuery,
                pdf,
                PDF.to_vec(),
            )
            .await;
        assert_eq!(a.replayed, replay, "not 409 `already attached`");
        a.ok_with(201);
    }
    let sys = app.sign_in("coc.admin").await;
    let mou = NewMouRequest {
        name: "Shelter and Housing Compact".into(),
        organizations: vec![OrgId(2), OrgId(3)],
        start: today(),
        end: today() + chrono::Duration::days(365),
    };
    twice::<ep::CreateMou>(&app, &sys, "mou", &[], &mou).await;
    let org = NewOrganization {
        name: "Durham Food Bank".into(),
    };
    twice::<ep::CreateOrganization>(&app, &sys, "org", &[], &org).await;
    let program = NewProgram {
        org: OrgId(2),
        name: "Food Pantry".into(),
        hud_project_type: 6,
    };
    twice::<ep::CreateProgram>(&app, &sys, "program", &[], &program).await;

    // Enrollment, case manager, form, contact: one record each; one of everything else.
    let added = [4, 1, 1, 1, 1, 1];
    for ((t, b), n) in tables.iter().zip(before).zip(added) {
        let now = count(&app, &format!("SELECT COUNT(*) FROM {t}")).await;
        assert_eq!(now, b + n, "{t}");
    }
}
