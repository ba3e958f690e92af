//! P-5 "all input validated with clear errors", against the real server: free text with NUL,
//! control, text-direction or zero-width characters and implausible dates are 422 naming the
//! field with nothing stored; what people really write is accepted; an oversized body is 413 in
//! our error format on every route; the CSRF guard compares scheme, host and port.

use crate::records::{attachment, contact, count, new_enrollment, new_service, note, PDF};
use crate::support::{date, spawn_app, TestApp};
use serde_json::Value;
use shared::api::accounts::{NewOrganization, NewUser};
use shared::api::endpoint::NoBody;
use shared::api::endpoints::{self as ep, SearchQuery};
use shared::api::intake::NewClientRequest;
use shared::api::records::{DemographicsInput, NewForm};
use shared::api::releases::{NewMouRequest, NewRoiRequest};
use shared::api::LoginRequest;
use shared::intake::DataQuality;
use shared::records::{ContactKind, DocumentType, FormType};
use shared::{OrgId, Role};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const RECORDS: &str = "SELECT COUNT(*) FROM records";

/// The field a refusal names, asserting 422.
#[track_caller]
fn field_of<T: std::fmt::Debug>(a: crate::support::Answer<T>) -> String {
    a.refused(422).field.unwrap_or_default()
}

fn client_named(first: &str, last: &str) -> NewClientRequest {
    NewClientRequest {
        first_name: first.into(),
        middle_name: None,
        last_name: last.into(),
        date_of_birth: Some("1980-04-30".into()),
        dob_data_quality: DataQuality::Full,
        ssn: None,
        ssn_data_quality: DataQuality::DataNotCollected,
        gender: None,
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        marital_status: None,
        confirm_new: true,
    }
}

#[tokio::test]
async fn p5_a_note_with_nul_or_control_characters_is_422_naming_text_and_tabs_and_newlines_are_kept(
) {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, RECORDS).await;
    for bad in ["Called\0 twice", "Escape \u{1b}[2J", "bell \u{7}"] {
        let f = field_of(app.send::<ep::CreateNote>(&c, &[1], &note(bad)).await);
        assert_eq!(f, "text", "{bad:?}");
    }
    assert_eq!(count(&app, RECORDS).await, before, "nothing stored");
    let text = "Called the shelter.\n\tNo answer; left a message.\nWill try again 😀";
    let item = app
        .send::<ep::CreateNote>(&c, &[1], &note(text))
        .await
        .ok_with(201);
    assert_eq!(crate::details!(item, Note).text, text);
}

#[tokio::test]
async fn r11_a_service_description_or_note_with_control_characters_is_422_naming_it() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, RECORDS).await;
    let mut s = new_service();
    s.description = "Shelter\0night".into();
    let f = field_of(app.send::<ep::CreateService>(&c, &[1], &s).await);
    assert_eq!(f, "description");
    let mut s = new_service();
    s.case_management_note = Some("Talked\u{8} about housing".into());
    let f = field_of(app.send::<ep::CreateService>(&c, &[1], &s).await);
    assert_eq!(f, "case_management_note");
    assert_eq!(count(&app, RECORDS).await, before, "nothing stored");
    let mut s = new_service();
    s.description = "Shelter night\nand a meal".into();
    app.send::<ep::CreateService>(&c, &[1], &s)
        .await
        .ok_with(201);
}

#[tokio::test]
async fn s5_a_form_answer_with_nul_is_422_naming_answers_and_a_multi_line_answer_is_kept() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let form = |answer: &str| NewForm {
        form_type: FormType::Housing,
        answers: [("situation".to_owned(), answer.to_owned())].into(),
        security: None,
    };
    let f = field_of(
        app.send::<ep::CreateForm>(&c, &[1], &form("Doubled\0up"))
            .await,
    );
    assert_eq!(f, "answers");
    let item = app
        .send::<ep::CreateForm>(&c, &[1], &form("Doubled up\nwith family"))
        .await
        .ok_with(201);
    assert_eq!(
        crate::details!(item, Form).answers["situation"],
        "Doubled up\nwith family"
    );
}

#[tokio::test]
async fn r9_a_file_name_with_quotes_line_breaks_or_path_separators_is_422_naming_file_name() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, RECORDS).await;
    for bad in [
        "scan\".pdf",
        "it's.pdf",
        "../../etc/passwd",
        "a\\b.pdf",
        "a\r\nX-Evil: 1.pdf",
        "cv\u{202E}fdp.exe",
        "nul\0.pdf",
    ] {
        let query = attachment(DocumentType::PhotoId, bad);
        let a = app
            .upload::<ep::UploadAttachment>(&c, &[1], &query, Some("application/pdf"), PDF.into())
            .await;
        assert_eq!(field_of(a), "file_name", "{bad:?}");
    }
    assert_eq!(count(&app, RECORDS).await, before, "nothing stored");
    let query = attachment(DocumentType::PhotoId, "Ñúñez photo ID (1).pdf");
    let item = app
        .upload::<ep::UploadAttachment>(&c, &[1], &query, Some("application/pdf"), PDF.into())
        .await
        .ok_with(201);
    assert_eq!(
        crate::details!(item, Attachment).file_name,
        "Ñúñez photo ID (1).pdf"
    );
}

#[tokio::test]
async fn p5_a_name_with_a_text_direction_or_zero_width_character_is_422_and_real_names_are_accepted(
) {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let f = field_of(
        app.send::<ep::CreateClient>(&c, &[], &client_named("Ann\u{202E}", "Lee"))
            .await,
    );
    assert_eq!(f, "first_name");
    let f = field_of(
        app.send::<ep::CreateClient>(&c, &[], &client_named("Ann", "Le\u{200B}e"))
            .await,
    );
    assert_eq!(f, "last_name");
    let f = field_of(
        app.send::<ep::CreateClient>(&c, &[], &client_named("Ann\tMarie", "Lee"))
            .await,
    );
    assert_eq!(f, "first_name");
    let (after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, before, "nothing stored");
    for (first, last) in [("José", "Ñúñez"), ("Siobhán", "O'Brien"), ("Thị", "Nguyễn")] {
        let created = app
            .send::<ep::CreateClient>(&c, &[], &client_named(first, last))
            .await
            .ok_with(201);
        let p = app
            .get::<ep::GetClientProfile>(&c, &[created.id.0])
            .await
            .ok();
        assert_eq!(
            (p.intake.first_name.as_str(), p.intake.last_name.as_str()),
            (first, last)
        );
    }
}

#[tokio::test]
async fn p5_every_other_free_text_refuses_control_characters_naming_its_field() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let mut e = new_enrollment();
    e.case_name = "Rivera\nhousehold".into();
    assert_eq!(
        field_of(app.send::<ep::CreateEnrollment>(&c, &[1], &e).await),
        "case_name"
    );
    let demographics = DemographicsInput {
        additional_race_ethnicity: Some("White\0".into()),
        ..Default::default()
    };
    assert_eq!(
        field_of(
            app.send::<ep::PutDemographics>(&c, &[1], &demographics)
                .await
        ),
        "additional_race_ethnicity"
    );
    let address = contact(ContactKind::Address, "1 Main St\u{1b}", "2026-11-22");
    assert_eq!(
        field_of(app.send::<ep::CreateContact>(&c, &[1], &address).await),
        "value"
    );
    let search = SearchQuery { q: "An\0a".into() };
    assert_eq!(
        field_of(
            app.call::<ep::SearchClients>(&c, &[], &search, &NoBody)
                .await
        ),
        "q"
    );
    let login = LoginRequest {
        username: "shelter.cw\0".into(),
        password: "x".into(),
    };
    assert_eq!(
        field_of(
            app.send::<ep::SignIn>(&crate::support::client(), &[], &login)
                .await
        ),
        "username"
    );
    let admin = app.sign_in("coc.admin").await;
    let org = NewOrganization {
        name: "Durham \u{202E}Food Bank".into(),
    };
    assert_eq!(
        field_of(app.send::<ep::CreateOrganization>(&admin, &[], &org).await),
        "name"
    );
    let mou = NewMouRequest {
        name: "Durham\0 Housing Partners".into(),
        organizations: vec![OrgId(2), OrgId(3)],
        start: date("2026-11-22"),
        end: date("2027-11-22"),
    };
    assert_eq!(
        field_of(app.send::<ep::CreateMou>(&admin, &[], &mou).await),
        "name"
    );
    let user = NewUser {
        org: Some(OrgId(2)),
        username: "new.cw".into(),
        display_name: "Eve\u{202E}lyn".into(),
        role: Role::Caseworker,
        password: "a long and unusual passphrase".into(),
    };
    assert_eq!(
        field_of(app.send::<ep::CreateUser>(&admin, &[], &user).await),
        "display_name"
    );
    let user = NewUser {
        display_name: "Evelyn".into(),
        password: "a long and\0 unusual passphrase".into(),
        ..user
    };
    assert_eq!(
        field_of(app.send::<ep::CreateUser>(&admin, &[], &user).await),
        "password"
    );
    // Accepted: the same kinds of field with ordinary text.
    let demographics = DemographicsInput {
        additional_race_ethnicity: Some("Black, African American, or African".into()),
        ..Default::default()
    };
    app.send::<ep::PutDemographics>(&c, &[1], &demographics)
        .await
        .ok();
    let org = NewOrganization {
        name: "Café Ñ Community Kitchen".into(),
    };
    app.send::<ep::CreateOrganization>(&admin, &[], &org)
        .await
        .ok_with(201);
}

#[tokio::test]
async fn p5_implausible_dates_are_422_naming_the_field_and_plausible_ones_are_accepted() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, RECORDS).await;
    for bad in ["9999-01-01", "1800-01-01", "2026-11-23"] {
        let mut e = new_enrollment();
        e.entry_date = date(bad);
        assert_eq!(
            field_of(app.send::<ep::CreateEnrollment>(&c, &[1], &e).await),
            "entry_date",
            "{bad}"
        );
    }
    let mut s = new_service();
    s.date = date("2030-01-01");
    assert_eq!(
        field_of(app.send::<ep::CreateService>(&c, &[1], &s).await),
        "date"
    );
    assert_eq!(count(&app, RECORDS).await, before, "nothing stored");
    let roi = NewRoiRequest {
        organizations: vec![OrgId(2), OrgId(3)],
        start: None,
        end: Some(date("9999-12-31")),
        attested: true,
    };
    assert_eq!(
        field_of(app.send::<ep::CreateRoi>(&c, &[4], &roi).await),
        "end"
    );
    let mut born = client_named("Ada", "Future");
    born.date_of_birth = Some("2026-11-23".into());
    assert_eq!(
        field_of(app.send::<ep::CreateClient>(&c, &[], &born).await),
        "date_of_birth"
    );
    born.date_of_birth = Some("1899-12-31".into());
    assert_eq!(
        field_of(app.send::<ep::CreateClient>(&c, &[], &born).await),
        "date_of_birth"
    );
    // A service scheduled next month is a plan, not a typo.
    let mut s = new_service();
    s.date = date("2026-12-15");
    app.send::<ep::CreateService>(&c, &[1], &s)
        .await
        .ok_with(201);
}

/// Sends `head` (a request line and headers, without the blank line) on a fresh connection,
/// then `body` chunks from a separate task, and reads the answer: status and JSON body.
async fn raw(app: &TestApp, head: &str, body: Option<(usize, usize)>) -> (u16, String, Value) {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!("{head}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    write.write_all(head.as_bytes()).await.unwrap();
    // A chunked body of `count` chunks of `size` bytes; the server may answer before the end.
    if let Some((count, size)) = body {
        tokio::spawn(async move {
            let chunk = format!("{size:x}\r\n{}\r\n", "x".repeat(size));
            for _ in 0..count {
                if write.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
            }
            let _ = write.write_all(b"0\r\n\r\n").await;
        });
    }
    let mut answer = Vec::new();
    let _ = read.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (headers, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let body = serde_json::from_str(body).unwrap_or(Value::Null);
    (status, headers.to_ascii_lowercase(), body)
}

#[tokio::test]
async fn p5_a_body_declared_over_the_limit_is_413_in_our_json_on_every_route() {
    let app = spawn_app().await;
    let (audit_before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Before, tower-http's limit answered these with plain text `length limit exceeded`.
    for head in [
        "POST /api/v1/clients/1/notes HTTP/1.1\r\nContent-Type: application/json",
        "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json",
        "DELETE /api/v1/session HTTP/1.1",
        "POST /api/v1/clients/1/attachments?document_type=PhotoId&file_name=a.pdf HTTP/1.1\r\n\
         Content-Type: application/pdf",
        "PUT /api/v1/clients/1/photo HTTP/1.1\r\nContent-Type: image/png",
        "POST /api/v1/no-such-thing HTTP/1.1",
    ] {
        let head = format!("{head}\r\nContent-Length: 1000000000");
        let (status, headers, body) = raw(&app, &head, None).await;
        assert_eq!(status, 413, "{head}");
        assert!(
            headers.contains("content-type: application/json"),
            "{head}: {headers}"
        );
        assert_eq!(body["field"], "body", "{head}: {body}");
        assert!(
            body["error"].as_str().unwrap_or("").contains("too large"),
            "{head}: {body}"
        );
    }
    let (audit_after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        audit_before, audit_after,
        "no request got as far as a write"
    );
}

/// The session cookie of a fresh sign-in, for raw requests.
async fn session_cookie(app: &TestApp, username: &str) -> String {
    let login = LoginRequest {
        username: username.into(),
        password: shared_password(),
    };
    let res = reqwest::Client::new()
        .post(app.url("/session"))
        .header("x-hearth-csrf", "1")
        .json(&login)
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

fn shared_password() -> String {
    crate::support::PASSWORD.to_owned()
}

#[tokio::test]
async fn r9_an_oversized_upload_sent_without_a_length_is_413_in_our_json_with_nothing_stored() {
    let app = spawn_app().await;
    let cookie = session_cookie(&app, "shelter.cw").await;
    let before = count(&app, RECORDS).await;
    let head = format!(
        "POST /api/v1/clients/1/attachments?document_type=PhotoId&file_name=big.pdf HTTP/1.1\r\n\
         Content-Type: application/pdf\r\nTransfer-Encoding: chunked\r\nCookie: {cookie}\r\n\
         x-hearth-csrf: 1"
    );
    // 20 MiB, past both the upload limit and the ceiling on any body.
    let (status, headers, body) = raw(&app, &head, Some((320, 64 * 1024))).await;
    assert_eq!(status, 413, "{headers} {body}");
    assert!(
        headers.contains("content-type: application/json"),
        "{headers}"
    );
    assert_eq!(body["field"], "file", "{body}");
    assert_eq!(count(&app, RECORDS).await, before, "nothing stored");
}

#[tokio::test]
async fn p5_a_state_changing_request_from_the_same_host_on_another_port_or_scheme_is_refused() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, RECORDS).await;
    let addr = app.base.trim_start_matches("http://");
    let (host, port) = addr.rsplit_once(':').unwrap();
    let other_port = port.parse::<u16>().unwrap().wrapping_add(1);
    for origin in [
        format!("http://{host}:{other_port}"),
        format!("https://{addr}"),
        format!("https://{host}"),
        format!("http://{host}"),
        "null".to_owned(),
    ] {
        let res = c
            .post(app.url("/clients/1/notes"))
            .header("origin", &origin)
            .json(&note("From elsewhere"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403, "{origin}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["field"], "x-hearth-csrf", "{origin}");
    }
    assert_eq!(count(&app, RECORDS).await, before, "nothing stored");
    // The same scheme, host and port (and the header) pass.
    let res = c
        .post(app.url("/clients/1/notes"))
        .header("origin", &app.base)
        .json(&note("From here"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    // The header is still required, whatever the origin.
    let res = reqwest::Client::new()
        .post(app.url("/session"))
        .header("origin", &app.base)
        .json(&LoginRequest {
            username: "shelter.cw".into(),
            password: shared_password(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
}
