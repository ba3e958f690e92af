//! Mixed load benchmark (not part of the tests): many users of four agencies reading, searching
//! and writing at once, across every write endpoint, against the real server on SQLite or
//! PostgreSQL. Reports, per operation, how many were answered, p50 / p99 latency, and how many
//! were refused by the rules (4xx: expected for some, e.g. a second conflict on the same field)
//! or failed (5xx: must be 0). Only loopback addresses are used; the run is bounded in time.
//!
//! `scripts/bench-mixed` builds and runs it: `cargo build --release -p server --bin
//! hearth-server --example mixed && target/release/examples/mixed [--users N] [--seconds S]
//! [--clients N] [--database postgres://…]` (a PostgreSQL database must be empty; SQLite is a
//! fresh file by default).
//!
//! Each virtual user is a session of one of the ten demo users (every user has `--users / 10`
//! sessions). A caseworker's round: search, take in a new client, read the profile, enroll,
//! give a service, add a contact, a case manager, a note, a form, an attachment, demographics,
//! a photo, edit, end, re-secure and delete records, change the intake, open a data conflict on
//! another agency's client and log attempts on it (agree, escalate, resolve where it can), ask
//! for an entry/exit conflict, record an ROI (with its document, then revoke it), read and mark
//! notifications, set its notification email. An agency administrator's round adds accounts
//! (create, update, reset a password; the new user signs in, changes its password and signs
//! out), programs and MOUs (create, sign, document, terminate); the SystemAdmin's adds
//! organizations.

mod common;

use common::{bulk_clients, start_server, LAST};
use serde_json::{json, Value};
use shared::api::endpoint::Endpoint;
use shared::api::endpoints as ep;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Args {
    users: usize,
    seconds: u64,
    clients: usize,
    database: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        users: 20,
        seconds: 60,
        clients: 2_000,
        database: None,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).map(String::as_str).unwrap_or("");
        match pair[0].as_str() {
            "--users" => a.users = value.parse().expect("--users N"),
            "--seconds" => a.seconds = value.parse().expect("--seconds S"),
            "--clients" => a.clients = value.parse().expect("--clients N"),
            "--database" => a.database = Some(value.to_owned()),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// Latencies and statuses of one operation.
#[derive(Default)]
struct Op {
    ok: Vec<Duration>,
    refused: BTreeMap<u16, usize>,
    failed: BTreeMap<u16, usize>,
    /// The first answer of each refused or failed status, to read what the rules said.
    first: BTreeMap<u16, String>,
    transport: usize,
}

type Book = Arc<Mutex<BTreeMap<&'static str, Op>>>;

/// What every virtual user shares: clients taken in, by agency (for cross-agency conflicts).
struct World {
    base: String,
    book: Book,
    clients: Mutex<Vec<(i64, i64)>>,
    deadline: Instant,
    seq: std::sync::atomic::AtomicU64,
}

impl World {
    fn next(&self) -> u64 {
        self.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }
}

/// One session: the HTTP client (its cookie), who it is.
struct Session {
    http: reqwest::Client,
    cookie: String,
    user: i64,
    org: i64,
    role: String,
}

enum Body {
    None,
    Json(Value),
    File(&'static str, Vec<u8>),
}

/// Calls `E` at `ids` with `query` and `body`; records the outcome under `E::SUMMARY`'s
/// operation name `name`; returns the answer's JSON on success.
async fn call<E: Endpoint>(
    w: &World,
    s: &Session,
    name: &'static str,
    ids: &[i64],
    query: &str,
    body: Body,
) -> Option<Value> {
    let mut url = format!("{}/api/v1{}", w.base, E::path(ids));
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    let mut req = s
        .http
        .request(
            reqwest::Method::from_bytes(E::METHOD.as_str().to_uppercase().as_bytes()).unwrap(),
            url,
        )
        .header("cookie", &s.cookie)
        .header("x-hearth-csrf", "1");
    req = match body {
        Body::None => req,
        Body::Json(v) => req.json(&v),
        Body::File(t, bytes) => req.header("content-type", t).body(bytes),
    };
    let start = Instant::now();
    let res = req.send().await;
    let (status, text) = match res {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.text().await.unwrap_or_default())
        }
        Err(_) => {
            w.book.lock().unwrap().entry(name).or_default().transport += 1;
            return None;
        }
    };
    let elapsed = start.elapsed();
    let mut book = w.book.lock().unwrap();
    let op = book.entry(name).or_default();
    if status < 400 {
        op.ok.push(elapsed);
        return Some(serde_json::from_str(&text).unwrap_or(Value::Null));
    }
    let counts = if status >= 500 {
        &mut op.failed
    } else {
        &mut op.refused
    };
    *counts.entry(status).or_default() += 1;
    op.first
        .entry(status)
        .or_insert_with(|| text.chars().take(160).collect());
    None
}

/// The id of a created thing: `id`, or `meta.id` of a record view.
fn id_of(v: &Value) -> Option<i64> {
    v["id"].as_i64().or_else(|| v["meta"]["id"].as_i64())
}

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&[0, 0, 0, 13]);
    v.extend_from_slice(b"IHDR");
    v.extend_from_slice(&[
        0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
    ]);
    v
}

/// The programs of each demo organization (ids in demo order, see `db::demo`).
fn program_of(org: i64) -> i64 {
    match org {
        2 => 1,
        3 => 3,
        _ => 5,
    }
}

async fn caseworker_round(w: &World, s: &Session, today: &str) {
    let n = w.next();
    let q = format!("q={}", &LAST[(n as usize) % LAST.len()][..3]);
    call::<ep::SearchClients>(w, s, "search clients", &[], &q, Body::None).await;
    let intake = json!({
        "first_name": "Load", "last_name": format!("Tester{n}"),
        "date_of_birth": format!("19{:02}-0{}-1{}", 50 + n % 40, 1 + n % 9, n % 10),
        "dob_data_quality": "full", "gender": "Woman", "ssn": null, "ssn_data_quality": "client_refused",
        "confirm_new": true,
    });
    let Some(new) =
        call::<ep::CreateClient>(w, s, "intake: new client", &[], "", Body::Json(intake)).await
    else {
        return;
    };
    let Some(client) = new["id"].as_i64() else {
        return;
    };
    w.clients.lock().unwrap().push((s.org, client));
    call::<ep::GetClientProfile>(w, s, "read profile", &[client], "", Body::None).await;
    let enrollment = call::<ep::CreateEnrollment>(
        w,
        s,
        "create enrollment",
        &[client],
        "",
        Body::Json(json!({
            "program_id": program_of(s.org), "case_name": "Load household", "entry_date": today,
            "exit_date": null, "move_in_date": null, "head_of_household": true,
        })),
    )
    .await
    .as_ref()
    .and_then(id_of);
    call::<ep::CreateService>(
        w,
        s,
        "create service",
        &[client],
        "",
        Body::Json(json!({
            "service_kind": "Transaction", "description": "Bus pass", "date": today,
            "enrollment_id": enrollment, "case_management_minutes": null,
            "case_management_note": null, "note_security": null,
        })),
    )
    .await;
    let contact = call::<ep::CreateContact>(
        w,
        s,
        "create contact",
        &[client],
        "",
        Body::Json(json!({
            "contact_kind": "Phone", "value": format!("(919) 555-{:04}", n % 10_000),
            "start_date": today, "client_directed": true, "notify_owners": false,
            "decline_note": false, "replaces": [],
        })),
    )
    .await
    .as_ref()
    .and_then(id_of);
    call::<ep::CreateCaseManager>(
        w,
        s,
        "create case manager",
        &[client],
        "",
        Body::Json(json!({
            "case_manager_id": s.user, "program_id": program_of(s.org), "start_date": today,
            "end_date": null,
        })),
    )
    .await;
    let note = call::<ep::CreateNote>(
        w,
        s,
        "create note",
        &[client],
        "",
        Body::Json(json!({
            "text": format!("Met at the day center, round {n}."),
        })),
    )
    .await
    .as_ref()
    .and_then(id_of);
    let form = call::<ep::CreateForm>(
        w,
        s,
        "create form",
        &[client],
        "",
        Body::Json(json!({
            "form_type": "Housing", "answers": { "preferred_area": "Central Durham" },
            "security": null,
        })),
    )
    .await
    .as_ref()
    .and_then(id_of);
    let file = format!("document_type=PhotoId&file_name=id-{n}.pdf");
    call::<ep::UploadAttachment>(
        w,
        s,
        "upload attachment",
        &[client],
        &file,
        Body::File("application/pdf", PDF.to_vec()),
    )
    .await;
    call::<ep::PutDemographics>(w, s, "put demographics", &[client], "", Body::Json(json!({
        "race": "White", "ethnicity": "Hispanic/Latina/e/o", "citizenship_status": "U.S. citizen",
        "religious_preference": null,
    }))).await;
    call::<ep::PutPhoto>(
        w,
        s,
        "put photo",
        &[client],
        "",
        Body::File("image/png", png()),
    )
    .await;
    if let Some(e) = enrollment {
        call::<ep::UpdateRecord>(
            w,
            s,
            "update record",
            &[e],
            "",
            Body::Json(json!({
                "case_name": format!("Load household {n}"), "entry_date": null,
                "head_of_household": null, "move_in_date": null,
            })),
        )
        .await;
    }
    if let Some(f) = form {
        call::<ep::SetRecordSecurity>(
            w,
            s,
            "set record security",
            &[f],
            "",
            Body::Json(json!({
                "security": "RestrictToOrganization",
            })),
        )
        .await;
    }
    if let Some(c) = contact {
        call::<ep::EndRecord>(
            w,
            s,
            "end record",
            &[c],
            "",
            Body::Json(json!({
                "end_date": today, "client_directed": true,
            })),
        )
        .await;
    }
    if let Some(note) = note {
        call::<ep::DeleteRecord>(w, s, "delete record", &[note], "", Body::None).await;
    }
    call::<ep::ChangeIntake>(
        w,
        s,
        "change intake",
        &[client],
        "",
        Body::Json(json!({
            "field": "gender", "value": "Man", "documentation": null,
        })),
    )
    .await;
    let partners = [s.org, if s.org == 2 { 3 } else { 2 }];
    if let Some(roi) = call::<ep::CreateRoi>(
        w,
        s,
        "create ROI",
        &[client],
        "",
        Body::Json(json!({
            "organizations": partners,
            "start": null, "end": null, "attested": true,
        })),
    )
    .await
    .as_ref()
    .and_then(id_of)
    {
        call::<ep::UploadRoiDocument>(
            w,
            s,
            "upload ROI document",
            &[roi],
            "",
            Body::File("application/pdf", PDF.to_vec()),
        )
        .await;
        call::<ep::RevokeRoi>(w, s, "revoke ROI", &[roi], "", Body::None).await;
    }
    conflict_round(w, s, today, n).await;
    if let Some(list) =
        call::<ep::ListNotifications>(w, s, "list notifications", &[], "", Body::None).await
    {
        if let Some(id) = list["notifications"][0]["id"].as_i64() {
            call::<ep::MarkNotificationRead>(w, s, "mark notification read", &[id], "", Body::None)
                .await;
        }
    }
    call::<ep::SetOwnNotifyEmail>(
        w,
        s,
        "set own notify email",
        &[],
        "",
        Body::Json(json!({
            "email": format!("user{}.{}@agency.example.org", s.user, n % 3),
        })),
    )
    .await;
}

/// A data conflict on a client another agency took in, and an entry/exit conflict
/// where the detection found one.
async fn conflict_round(w: &World, s: &Session, today: &str, n: u64) {
    let other = {
        let clients = w.clients.lock().unwrap();
        clients
            .iter()
            .rev()
            .find(|(org, _)| *org != s.org)
            .map(|(_, c)| *c)
    };
    if let Some(client) = other {
        let opened = call::<ep::OpenConflict>(
            w,
            s,
            "open conflict",
            &[client],
            "",
            Body::Json(json!({
                "field": "date_of_birth", "stated_value": "1970-01-01",
            })),
        )
        .await;
        if let Some(conflict) = opened.as_ref().and_then(id_of) {
            for outcome in ["no_answer", "left_message"] {
                call::<ep::LogConflictAttempt>(
                    w,
                    s,
                    "log conflict attempt",
                    &[conflict],
                    "",
                    Body::Json(json!({
                        "when": today, "how": "phone", "outcome": outcome,
                    })),
                )
                .await;
            }
            let step = match n % 3 {
                0 => {
                    call::<ep::EscalateConflict>(
                        w,
                        s,
                        "escalate conflict",
                        &[conflict],
                        "",
                        Body::None,
                    )
                    .await
                }
                1 => {
                    call::<ep::AgreeConflict>(
                        w,
                        s,
                        "agree conflict",
                        &[conflict],
                        "",
                        Body::Json(json!({
                            "agreed_value": "stated", "updater": s.user,
                        })),
                    )
                    .await
                }
                _ => {
                    call::<ep::ResolveConflict>(
                        w,
                        s,
                        "resolve conflict",
                        &[conflict],
                        "",
                        Body::None,
                    )
                    .await
                }
            };
            let _ = step;
        }
    }
    if let Some(list) =
        call::<ep::ListEntryExitConflicts>(w, s, "list entry/exit conflicts", &[], "", Body::None)
            .await
    {
        let candidate = list.as_array().and_then(|a| a.first()).and_then(id_of);
        if let Some(c) = candidate {
            call::<ep::OpenEntryExitConflict>(
                w,
                s,
                "open entry/exit conflict",
                &[c],
                "",
                Body::Json(json!({
                    "enrollment": c,
                })),
            )
            .await;
        }
    }
}

async fn admin_round(w: &World, s: &Session, today: &str, pw: &str) {
    let n = w.next();
    let username = format!("load.user{n}");
    let user = call::<ep::CreateUser>(
        w,
        s,
        "create user",
        &[],
        "",
        Body::Json(json!({
            "username": username, "display_name": format!("Load User {n}"), "role": "Caseworker",
            "org": s.org, "password": format!("{pw}-first"),
        })),
    )
    .await
    .as_ref()
    .and_then(id_of);
    if let Some(u) = user {
        call::<ep::UpdateUser>(
            w,
            s,
            "update user",
            &[u],
            "",
            Body::Json(json!({
                "display_name": format!("Load User {n} (renamed)"), "role": null, "disabled": null,
                "notify_email": null,
            })),
        )
        .await;
        call::<ep::ResetPassword>(
            w,
            s,
            "reset password",
            &[u],
            "",
            Body::Json(json!({
                "password": pw,
            })),
        )
        .await;
        let fresh = Session {
            http: reqwest::Client::new(),
            cookie: String::new(),
            user: u,
            org: s.org,
            role: "Caseworker".into(),
        };
        if let Some(fresh) = sign_in(w, fresh, &username, pw).await {
            call::<ep::ChangeOwnPassword>(
                w,
                &fresh,
                "change own password",
                &[],
                "",
                Body::Json(json!({
                    "current_password": pw, "new_password": format!("{pw}-changed"),
                })),
            )
            .await;
            call::<ep::SignOut>(w, &fresh, "sign out", &[], "", Body::None).await;
        }
    }
    if s.role == "SystemAdmin" {
        let next_year = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d")
            .map(|d| (d + chrono::Duration::days(365)).to_string())
            .unwrap_or_default();
        let mou = call::<ep::CreateMou>(
            w,
            s,
            "create MOU",
            &[],
            "",
            Body::Json(json!({
                "name": format!("Load partnership {n}"), "organizations": [2, 3],
                "start": today, "end": next_year,
            })),
        )
        .await
        .as_ref()
        .and_then(id_of);
        if let Some(m) = mou {
            call::<ep::SignMou>(
                w,
                s,
                "sign MOU",
                &[m],
                "",
                Body::Json(json!({
                    "org": 2, "name": "Load Director", "title": "Executive Director", "date": today,
                })),
            )
            .await;
            call::<ep::UploadMouDocument>(
                w,
                s,
                "upload MOU document",
                &[m],
                "",
                Body::File("application/pdf", PDF.to_vec()),
            )
            .await;
            call::<ep::TerminateMou>(
                w,
                s,
                "terminate MOU",
                &[m],
                "",
                Body::Json(json!({
                    "date": today,
                })),
            )
            .await;
        }
        let program = call::<ep::CreateProgram>(w, s, "create program", &[], "", Body::Json(json!({
            "name": format!("Load program {n}"), "hud_project_type": 6, "org": 2 + (n % 3) as i64,
        }))).await.as_ref().and_then(id_of);
        if let Some(p) = program {
            call::<ep::UpdateProgram>(
                w,
                s,
                "update program",
                &[p],
                "",
                Body::Json(json!({
                    "name": format!("Load program {n} (renamed)"), "hud_project_type": null,
                    "disabled": null,
                })),
            )
            .await;
        }
        let org = call::<ep::CreateOrganization>(
            w,
            s,
            "create organization",
            &[],
            "",
            Body::Json(json!({
                "name": format!("Load agency {n}"),
            })),
        )
        .await
        .as_ref()
        .and_then(id_of);
        if let Some(o) = org {
            call::<ep::UpdateOrganization>(
                w,
                s,
                "update organization",
                &[o],
                "",
                Body::Json(json!({
                    "name": format!("Load agency {n} (renamed)"), "disabled": null,
                })),
            )
            .await;
        }
    }
}

async fn sign_in(w: &World, mut s: Session, username: &str, password: &str) -> Option<Session> {
    let start = Instant::now();
    let res = s
        .http
        .post(format!("{}/api/v1{}", w.base, ep::SignIn::path(&[])))
        .header("x-hearth-csrf", "1")
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .ok()?;
    let status = res.status().as_u16();
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let info: Value = res.json().await.unwrap_or(Value::Null);
    {
        let mut book = w.book.lock().unwrap();
        let op = book.entry("sign in").or_default();
        if status == 200 {
            op.ok.push(start.elapsed());
        } else {
            *op.refused.entry(status).or_default() += 1;
        }
    }
    s.cookie = cookie?;
    s.user = info["user_id"].as_i64()?;
    s.org = info["actor"]["org"].as_i64()?;
    s.role = info["role"].as_str()?.to_owned();
    Some(s)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = std::env::temp_dir().join(format!("hearth-mixed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let database = a
        .database
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/hearth.db", dir.display()));
    let pool = server::db::connect(&database).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    server::db::demo::load(&pool, today, &dir.join("files"))
        .await
        .unwrap();
    bulk_clients(&pool, a.clients).await;
    pool.close().await;
    let backend = if database.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    eprintln!(
        "{backend}: demo data + {} synthetic clients; {} sessions for {} s",
        a.clients, a.users, a.seconds
    );
    let (server, base) = start_server(&database, &dir, "warn");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http
            .get(format!("{base}/api/v1/health"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let world = Arc::new(World {
        base,
        book: Arc::default(),
        clients: Mutex::new(Vec::new()),
        deadline: Instant::now() + Duration::from_secs(a.seconds),
        seq: Default::default(),
    });
    let today = today.to_string();
    let password = server::db::demo::DEMO_PASSWORD;
    let mut tasks = Vec::new();
    for i in 0..a.users {
        let (username, ..) = server::db::demo::DEMO_USERS[i % server::db::demo::DEMO_USERS.len()];
        let (w, today) = (world.clone(), today.clone());
        tasks.push(tokio::spawn(async move {
            let blank = Session {
                http: reqwest::Client::new(),
                cookie: String::new(),
                user: 0,
                org: 0,
                role: String::new(),
            };
            let s = sign_in(&w, blank, username, password)
                .await
                .unwrap_or_else(|| panic!("{username} could not sign in"));
            let mut rounds = 0u64;
            while Instant::now() < w.deadline {
                if s.role == "Caseworker" || (s.role == "AgencyAdmin" && rounds % 2 == 1) {
                    caseworker_round(&w, &s, &today).await;
                } else {
                    admin_round(&w, &s, &today, "mixed-load-2026-passphrase").await;
                }
                rounds += 1;
            }
        }));
    }
    let start = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    drop(server);
    let book = world.book.lock().unwrap();
    println!(
        "{:<28} {:>7} {:>9} {:>9} {:>8} {:>6}  refused by status",
        "operation", "ok", "p50 ms", "p99 ms", "refused", "5xx"
    );
    let (mut total, mut total_5xx, mut total_refused) = (0usize, 0usize, 0usize);
    let mut notes = Vec::new();
    for (name, op) in book.iter() {
        let mut lat = op.ok.clone();
        lat.sort();
        let refused: usize = op.refused.values().sum();
        let failed: usize = op.failed.values().sum::<usize>() + op.transport;
        total += lat.len() + refused + failed;
        total_5xx += failed;
        total_refused += refused;
        let by: Vec<String> = op.refused.iter().map(|(c, n)| format!("{c}×{n}")).collect();
        println!(
            "{:<28} {:>7} {:>9.2} {:>9.2} {:>8} {:>6}  {}",
            name,
            lat.len(),
            pct(&lat, 0.5),
            pct(&lat, 0.99),
            refused,
            failed,
            by.join(" ")
        );
        for (code, text) in &op.first {
            notes.push(format!("  {name} {code}: {text}"));
        }
    }
    println!(
        "\n{backend}: {total} requests in {elapsed:.1} s ({:.0}/s) from {} sessions; {total_refused} refused by the rules (4xx), {total_5xx} failed (5xx or no answer)",
        total as f64 / elapsed,
        a.users
    );
    if std::env::var_os("MIXED_VERBOSE").is_some() {
        println!("first answer of each refused or failed status:");
        for n in notes {
            println!("{n}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if total_5xx > 0 {
        std::process::exit(1);
    }
}
