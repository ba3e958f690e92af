//! The mixed scenario: what a day of many users of four agencies sends, across every write
//! endpoint (the module comment of `examples/mixed.rs` lists a round). Shared by the mixed load
//! benchmark (`examples/mixed.rs`, time-bound) and the concurrency test
//! (`tests/it/concurrency.rs`, a few rounds), so both exercise the same requests.

use serde_json::{json, Value};
use shared::api::endpoint::Endpoint;
use shared::api::endpoints as ep;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LAST: &[&str] = &["Riv", "Joh", "Ngu", "Was", "Aba", "Bar", "Cas", "Dun"];

/// Latencies and statuses of one operation.
#[derive(Default)]
pub struct Op {
    pub ok: Vec<Duration>,
    pub refused: BTreeMap<u16, usize>,
    pub failed: BTreeMap<u16, usize>,
    /// The first answer of each refused or failed status, to read what the rules said.
    pub first: BTreeMap<u16, String>,
    pub transport: usize,
}

pub type Book = Arc<Mutex<BTreeMap<&'static str, Op>>>;

/// What every virtual user shares: clients taken in, by agency (for cross-agency conflicts).
pub struct World {
    base: String,
    pub book: Book,
    /// Every endpoint called, as (method, path template).
    pub exercised: Mutex<std::collections::BTreeSet<(&'static str, &'static str)>>,
    clients: Mutex<Vec<(i64, i64)>>,
    deadline: Instant,
    seq: std::sync::atomic::AtomicU64,
}

impl World {
    /// The world of a server at `base` (`http://host:port`), until `deadline`.
    pub fn new(base: String, deadline: Instant) -> Arc<World> {
        Arc::new(World {
            base,
            book: Arc::default(),
            exercised: Mutex::default(),
            clients: Mutex::default(),
            deadline,
            seq: Default::default(),
        })
    }

    fn next(&self) -> u64 {
        self.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }
}

/// One session: the HTTP client (its cookie), who it is.
pub struct Session {
    http: reqwest::Client,
    cookie: String,
    user: i64,
    org: i64,
    role: String,
    /// The server's today (its clock), from the session.
    today: String,
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
    w.exercised
        .lock()
        .unwrap()
        .insert((E::METHOD.as_str(), E::PATH));
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
    // As the app does for a submitted form: every creating POST carries its own key.
    if E::IDEMPOTENT_CREATE {
        let key = format!("mixed-{}", w.next());
        req = req.header(shared::api::idempotency::KEY_HEADER, key);
    }
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

/// The id of a created thing: `id`, `meta.id` of a record view or `row.meta.id` of a contact.
fn id_of(v: &Value) -> Option<i64> {
    v["id"]
        .as_i64()
        .or_else(|| v["meta"]["id"].as_i64())
        .or_else(|| v["row"]["meta"]["id"].as_i64())
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

pub async fn caseworker_round(w: &World, s: &Session, today: &str) {
    let n = w.next();
    let q = format!("q={}", LAST[(n as usize) % LAST.len()]);
    call::<ep::SearchClients>(w, s, "search clients", &[], &q, Body::None).await;
    let intake = json!({
        "first_name": "Load", "last_name": format!("Tester{n}"),
        "date_of_birth": format!("19{:02}-0{}-1{}", 50 + n % 40, 1 + n % 9, n % 10),
        "dob_data_quality": "full", "gender": "Woman", "ssn": null, "ssn_data_quality": "client_refused",
        "marital_status": "never_married", "confirm_new": true,
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
        "race_ethnicity": ["white", "hispanic_latinaeo"], "additional_race_ethnicity": "Puerto Rican", "citizenship_status": "U.S. citizen",
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
        Body::Json(if w.next().is_multiple_of(2) {
            json!({"field": "gender", "value": "Man", "documentation": null})
        } else {
            json!({"field": "marital_status", "value": "married", "documentation": null})
        }),
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
    household_round(w, s, today, client).await;
    link_round(w, s, client).await;
    if let Some(list) =
        call::<ep::ListNotifications>(w, s, "list notifications", &[], "", Body::None).await
    {
        if let Some(id) = list["items"][0]["id"].as_i64() {
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

/// A household around the new client (seed 1b, S-1): created with it as head, renamed, another
/// agency's client joins as a child (refused when that client is in a household already), the
/// head changes to them and back is refused, the child leaves, the address is set.
async fn household_round(w: &World, s: &Session, today: &str, client: i64) {
    let body = json!({
        "family_name": "Load", "start_date": today,
        "members": [{ "client_id": client, "relationship": "self_head_of_household" }],
    });
    let Some(h) = call::<ep::CreateHousehold>(w, s, "create household", &[], "", Body::Json(body))
        .await
        .as_ref()
        .and_then(id_of)
    else {
        return;
    };
    let rename = json!({ "family_name": "Load family" });
    call::<ep::RenameHousehold>(w, s, "rename household", &[h], "", Body::Json(rename)).await;
    call::<ep::ListClientHouseholds>(w, s, "client households", &[client], "", Body::None).await;
    let other = {
        let clients = w.clients.lock().unwrap();
        clients
            .iter()
            .rev()
            .find(|(org, c)| *org != s.org && *c != client)
            .map(|(_, c)| *c)
    };
    if let Some(other) = other {
        let join = json!({ "client_id": other, "relationship": "child", "start_date": today });
        let added = call::<ep::AddHouseholdMember>(
            w,
            s,
            "add household member",
            &[h],
            "",
            Body::Json(join),
        )
        .await;
        // A head change needs a day before it with the old head: today's rows start today, so
        // this is refused (422); it still exercises the endpoint under load.
        let head = json!({ "client_id": other, "start_date": today, "relationships": [] });
        call::<ep::ChangeHeadOfHousehold>(w, s, "change head", &[h], "", Body::Json(head)).await;
        let row = added.as_ref().and_then(|v| {
            v["members"]
                .as_array()?
                .iter()
                .find(|m| m["client_id"].as_i64() == Some(other))?["id"]
                .as_i64()
        });
        if let Some(row) = row {
            let end = json!({ "end_date": today });
            call::<ep::EndHouseholdMembership>(w, s, "end membership", &[row], "", Body::Json(end))
                .await;
        }
    }
    let address = json!({
        "value": "1 Load Ln, Durham NC 27701", "start_date": today, "client_directed": true,
    });
    call::<ep::CreateHouseholdAddress>(w, s, "household address", &[h], "", Body::Json(address))
        .await;
    call::<ep::GetHousehold>(w, s, "read household", &[h], "", Body::None).await;
}

/// A data conflict on a client another agency took in, and an entry/exit conflict
/// where the detection found one.
async fn conflict_round(w: &World, s: &Session, today: &str, n: u64) {
    let other = {
        let clients = w.clients.lock().unwrap();
        clients
            .iter()
            .rev()
            // Housing (RRH) picks a shelter's client: moving in during a shelter stay is an
            // entry/exit conflict to detect.
            .find(|(org, _)| *org != s.org && (s.org != 3 || *org == 2))
            .map(|(_, c)| *c)
    };
    if let Some(client) = other {
        if s.org == 3 {
            call::<ep::CreateEnrollment>(
                w,
                s,
                "create enrollment",
                &[client],
                "",
                Body::Json(json!({
                    "program_id": program_of(s.org), "case_name": "Load household",
                    "entry_date": today, "exit_date": null, "move_in_date": today,
                    "head_of_household": true,
                })),
            )
            .await;
        }
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
        // A detection not yet taken up, about another agency's enrollment.
        let open = list.as_array().into_iter().flatten().find_map(|d| {
            let mine = |side: &str| d[format!("{side}_org")].as_i64() == Some(s.org);
            let enrollment = match (mine("first"), mine("second")) {
                (true, false) => d["second"].as_i64(),
                (false, _) => d["first"].as_i64(),
                _ => None,
            };
            d["conflict"]
                .is_null()
                .then_some((d["id"].as_i64()?, enrollment?))
        });
        if let Some((detection, enrollment)) = open {
            call::<ep::OpenEntryExitConflict>(
                w,
                s,
                "open entry/exit conflict",
                &[detection],
                "",
                Body::Json(json!({
                    "enrollment": enrollment,
                })),
            )
            .await;
        }
    }
}

/// Issue 15: links `client` with another agency's latest client as the same person, reads the
/// links and tries to undo the link (a caseworker is refused; an AgencyAdmin of the linking
/// agency may). Two users may link the same record at once: one gets 409.
async fn link_round(w: &World, s: &Session, client: i64) {
    let other = w
        .clients
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|(_, c)| *c != client)
        .map(|(_, c)| *c);
    let Some(other) = other else {
        return;
    };
    let link = call::<ep::LinkClients>(
        w,
        s,
        "link clients",
        &[client],
        "",
        Body::Json(json!({ "other": other })),
    )
    .await;
    call::<ep::ListClientLinks>(w, s, "list client links", &[client], "", Body::None).await;
    if let Some(id) = link.as_ref().and_then(id_of) {
        call::<ep::UnlinkClients>(w, s, "unlink clients", &[id], "", Body::None).await;
    }
}

pub async fn admin_round(w: &World, s: &Session, today: &str, pw: &str) {
    let pair: Vec<i64> = w
        .clients
        .lock()
        .unwrap()
        .iter()
        .rev()
        .take(2)
        .map(|(_, c)| *c)
        .collect();
    if let [a, b] = pair[..] {
        let link = call::<ep::LinkClients>(
            w,
            s,
            "link clients",
            &[a],
            "",
            Body::Json(json!({ "other": b })),
        )
        .await;
        if let Some(id) = link.as_ref().and_then(id_of) {
            call::<ep::UnlinkClients>(w, s, "unlink clients", &[id], "", Body::None).await;
        }
    }
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
        if let Some(fresh) = sign_in(w, &username, pw).await {
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
    // A HUD CSV import's dry run of a zip holding only Export.csv (issue #16): SystemAdmins
    // start it (409 while one runs); the others are refused (403).
    call::<ep::StartHudImport>(
        w,
        s,
        "start HUD import",
        &[],
        "dry_run=true",
        Body::File("application/zip", hud_zip()),
    )
    .await;
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

pub async fn sign_in(w: &World, username: &str, password: &str) -> Option<Session> {
    w.exercised
        .lock()
        .unwrap()
        .insert((ep::SignIn::METHOD.as_str(), ep::SignIn::PATH));
    let http = reqwest::Client::new();
    let start = Instant::now();
    let res = http
        .post(format!("{}/api/v1{}", w.base, ep::SignIn::path(&[])))
        .header("x-hearth-csrf", "1")
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await;
    let res = match res {
        Ok(res) => res,
        Err(_) => {
            w.book
                .lock()
                .unwrap()
                .entry("sign in")
                .or_default()
                .transport += 1;
            return None;
        }
    };
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
        match status {
            200 => op.ok.push(start.elapsed()),
            s if s >= 500 => *op.failed.entry(s).or_default() += 1,
            s => *op.refused.entry(s).or_default() += 1,
        }
    }
    Some(Session {
        http,
        cookie: cookie?,
        user: info["user_id"].as_i64()?,
        org: info["actor"]["org"].as_i64()?,
        role: info["role"].as_str()?.to_owned(),
        today: info["today"].as_str()?.to_owned(),
    })
}

/// One virtual user: a session of `username`, doing its role's rounds until the world's deadline
/// or `rounds` rounds, whichever comes first.
pub async fn user(w: Arc<World>, username: &'static str, password: &'static str, rounds: u64) {
    let s = sign_in(&w, username, password)
        .await
        .unwrap_or_else(|| panic!("{username} could not sign in"));
    let mut done = 0u64;
    while Instant::now() < w.deadline && done < rounds {
        if s.role == "Caseworker" || (s.role == "AgencyAdmin" && done % 2 == 1) {
            caseworker_round(&w, &s, &s.today).await;
        } else {
            admin_round(&w, &s, &s.today, "mixed-load-2026-passphrase").await;
        }
        done += 1;
    }
}

/// A zip of one HUD CSV file, Export.csv (the smallest export an import reads).
fn hud_zip() -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    out.start_file("Export.csv", options).unwrap();
    out.write_all(b"ExportID,SourceID,SourceName,CSVVersion\nE1,XX-501,Load,2026 v1.0\n")
        .unwrap();
    out.finish().unwrap().into_inner()
}
