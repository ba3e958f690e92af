//! `spawn_app()`: a running server with demo data and a clock that tests move by hand.
//!
//! Tests call the API through the endpoint declarations (`shared::api::endpoints`, imported as
//! `ep`) with the wire types, so a test cannot name a path or send a body the server does not
//! declare:
//!
//! ```ignore
//! let c = app.sign_in("shelter.cw").await;
//! let note = app.send::<ep::CreateNote>(&c, &[1], &NoteInput { text: "Hi.".into() }).await.ok();
//! let e = app.get::<ep::DeleteRecord>(&other, &[note.meta.id.0]).await.refused(403);
//! refused!(answer, 403, Reason::OnlyAuthor { .. });   // the status and the reason
//! let d = details!(item, Note);                        // a RecordItem's details, by kind
//! ```
//!
//! `get` (no query or body), `send` (a JSON body), `call` (a query too), `upload` (raw bytes),
//! `send_as` (`UpdateRecord`, whose body is the patch of the record's kind) and `call_at` (another
//! instance). `ok()` / `ok_with(status)` / `refused(status)` also check the status is one the
//! endpoint declares. Tests that must send what no wire type can carry (malformed or hostile
//! JSON, a missing field, a CSRF header left out), read headers or downloads, or check that no
//! undeclared field leaks, use the raw `reqwest` client or `records::send` on purpose.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use server::clock::ManualClock;
use server::db::{self, demo};
use server::{Application, Config};
use shared::api::endpoint::{FileBody, NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::{Endpoint, ErrorBody, LoginRequest, QueryParams};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub const PASSWORD: &str = demo::DEMO_PASSWORD;

/// A date written as `YYYY-MM-DD`.
pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

pub struct TestApp {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub pool: db::Pool,
    /// The server's state: tests run the background jobs on it (`server::services::jobs::run_due_jobs`).
    pub state: server::AppState,
    /// The database URL, for another server instance on the same data (`another_instance`).
    pub database: String,
    dir: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Removes a test's directory when the test ends, whether it passed or panicked.
pub struct RemoveOnDrop(pub PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn fresh_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hearth-it-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    std::fs::write(
        dir.join("dist/index.html"),
        "<!DOCTYPE html><html><head><script type=\"module\">init()</script></head><body></body></html>",
    )
    .unwrap();
    dir
}

/// A fresh, empty database: SQLite in `dir`, or, when `HEARTH_TEST_DATABASE_URL` names a
/// PostgreSQL server, a new database on it (the test command runs the suite both ways).
pub async fn fresh_database(dir: &std::path::Path) -> String {
    let Ok(admin) = std::env::var("HEARTH_TEST_DATABASE_URL") else {
        return format!("sqlite://{}/hearth.db", dir.display());
    };
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let name = dir.file_name().unwrap().to_string_lossy().replace('-', "_");
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{name}")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// As `spawn_app`, with the test configuration changed by `configure` first.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn(configure, false).await
}

/// As `spawn_app`, with the clock also moved over HTTP (`HEARTH_TEST_CLOCK=1`'s
/// `POST /api/v1/test/clock/advance`).
pub async fn spawn_app_with_test_clock() -> TestApp {
    spawn(|_| {}, true).await
}

async fn spawn(configure: impl FnOnce(&mut Config), test_clock: bool) -> TestApp {
    let dir = fresh_dir();
    let database = fresh_database(&dir).await;
    let pool = db::connect(&database).await.unwrap();
    demo::load(&pool, today(), &dir.join("files"))
        .await
        .unwrap();
    let clock = ManualClock::new(today().and_hms_opt(10, 0, 0).unwrap());
    let mut config = Config::for_tests(database.clone(), dir.join("dist"));
    configure(&mut config);
    let app = if test_clock {
        Application::build_with_test_clock(config, clock.clone()).await
    } else {
        Application::build_with_clock(config, clock.clone()).await
    }
    .unwrap();
    let base = format!("http://{}", app.local_addr());
    let state = app.state();
    tokio::spawn(app.run());
    TestApp {
        base,
        clock,
        pool,
        state,
        database,
        dir,
    }
}

/// An HTTP client with a cookie jar that sends the CSRF header, as the app does.
pub fn client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-hearth-csrf",
        reqwest::header::HeaderValue::from_static("1"),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap()
}

impl TestApp {
    /// The built app this server serves (`index.html` only, unless a test writes more).
    pub fn dist_dir(&self) -> PathBuf {
        self.dir.join("dist")
    }

    /// Where this app stores uploads (`Config::for_tests`).
    pub fn files_dir(&self) -> PathBuf {
        self.dir.join("files")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// Starts a second server instance on the same database and clock, as several instances
    /// share one PostgreSQL; returns its `/api/v1` base URL. Cookies are not bound to ports, so
    /// a client signed in on one instance is signed in on the other.
    pub async fn another_instance(&self) -> String {
        let config = Config::for_tests(self.database.clone(), self.dir.join("dist"));
        let app = Application::build_with_clock(config, self.clock.clone())
            .await
            .unwrap();
        let base = format!("http://{}/api/v1", app.local_addr());
        tokio::spawn(app.run());
        base
    }

    /// How many profile reads by `user` the audit log holds.
    pub async fn audited_profile_reads(&self, user: i64) -> i64 {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'read client profile' AND user_id = $1",
        )
        .bind(user)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        n
    }

    /// A signed-in client for a demo user.
    pub async fn sign_in(&self, username: &str) -> reqwest::Client {
        let c = client();
        let login = LoginRequest {
            username: username.to_owned(),
            password: PASSWORD.to_owned(),
        };
        let session = self.send::<ep::SignIn>(&c, &[], &login).await.ok();
        assert_eq!(session.username, username);
        c
    }

    pub async fn profile(&self, c: &reqwest::Client, client_id: i64) -> reqwest::Response {
        c.get(self.url(&format!("/clients/{client_id}")))
            .send()
            .await
            .unwrap()
    }
}

/// A typed answer: the status and the declared answer type, or the error body.
#[derive(Debug)]
pub struct Answer<T> {
    pub status: u16,
    pub body: Result<T, ErrorBody>,
    /// The statuses the endpoint's declaration says it answers with (and, for a request with an
    /// `Idempotency-Key`, those the key adds: `shared::api::idempotency::KEY_STATUSES`).
    pub declared: &'static [u16],
    /// The answer carries `Idempotent-Replayed: true`: it is a stored first answer.
    pub replayed: bool,
}

impl<T: std::fmt::Debug> Answer<T> {
    /// The answer, asserting a success status the endpoint declares.
    #[track_caller]
    pub fn ok(self) -> T {
        assert!(
            self.declared.contains(&self.status),
            "{} is not a declared status ({:?})",
            self.status,
            self.declared
        );
        match self.body {
            Ok(v) if self.status < 300 => v,
            other => panic!("expected success, got {}: {other:?}", self.status),
        }
    }

    /// The answer, asserting exactly `status` (where an endpoint has two successes: 200, 201).
    #[track_caller]
    pub fn ok_with(self, status: u16) -> T {
        assert_eq!(self.status, status, "{:?}", self.body);
        self.ok()
    }

    /// The error body, asserting `status` (which the endpoint must declare).
    #[track_caller]
    pub fn refused(self, status: u16) -> ErrorBody {
        assert_eq!(self.status, status, "{:?}", self.body);
        assert!(
            self.declared.contains(&status),
            "{status} is not a declared status ({:?})",
            self.declared
        );
        match self.body {
            Err(e) => e,
            Ok(v) => panic!("expected an error body, got {v:?}"),
        }
    }
}

/// The path of `E` with its parameters filled (the one function the app uses too).
pub fn path<E: Endpoint>(ids: &[i64]) -> String {
    E::path(ids)
}

/// What a request carries.
enum Payload<'a, B> {
    None,
    Json(&'a B),
    /// A raw file with its `Content-Type` (none: the client sends none).
    File(Option<&'a str>, Vec<u8>),
}

impl TestApp {
    /// Calls endpoint `E` (its one declaration in `shared::api::endpoints`) as `c`: `ids` fill
    /// the path's parameters in order. The body is sent as JSON unless it is `NoBody`.
    pub async fn call<E>(
        &self,
        c: &reqwest::Client,
        ids: &[i64],
        query: &E::Query,
        body: &E::Body,
    ) -> Answer<E::Response>
    where
        E: Endpoint,
        E::Body: 'static,
        E::Response: DeserializeOwned,
    {
        call_at::<E>(&self.url(""), c, ids, query, body).await
    }

    /// `send` with a body of another wire type than the declared one, for an endpoint whose body
    /// depends on the record it changes: `UpdateRecord` declares `RecordPatch` (any kind's) and
    /// takes the patch of the record's kind (`ServicePatch`, `NoteInput`, `CaseManagerPatch`,
    /// `AttachmentPatch`, `FormPatch`).
    pub async fn send_as<E, B>(
        &self,
        c: &reqwest::Client,
        ids: &[i64],
        body: &B,
    ) -> Answer<E::Response>
    where
        E: Endpoint<Query = NoQuery>,
        B: serde::Serialize,
        E::Response: DeserializeOwned,
    {
        request::<E, B>(&self.url(""), c, ids, &NoQuery, Payload::Json(body)).await
    }

    /// Uploads `bytes` to endpoint `E` (a `FileBody` endpoint) with `content_type` (`None`: no
    /// `Content-Type` header, the server sniffs).
    pub async fn upload<E>(
        &self,
        c: &reqwest::Client,
        ids: &[i64],
        query: &E::Query,
        content_type: Option<&str>,
        bytes: Vec<u8>,
    ) -> Answer<E::Response>
    where
        E: Endpoint<Body = FileBody>,
        E::Response: DeserializeOwned,
    {
        let file = Payload::File(content_type, bytes);
        request::<E, FileBody>(&self.url(""), c, ids, query, file).await
    }
}

impl TestApp {
    /// `call` with an `Idempotency-Key` header (`key`), as a form submission sends it.
    pub async fn call_keyed<E>(
        &self,
        c: &reqwest::Client,
        key: &str,
        ids: &[i64],
        query: &E::Query,
        body: &E::Body,
    ) -> Answer<E::Response>
    where
        E: Endpoint,
        E::Body: 'static,
        E::Response: DeserializeOwned,
    {
        call_keyed_at::<E>(&self.url(""), c, key, ids, query, body).await
    }

    /// `upload` with an `Idempotency-Key` header (`key`).
    pub async fn upload_keyed<E>(
        &self,
        c: &reqwest::Client,
        key: &str,
        ids: &[i64],
        query: &E::Query,
        content_type: Option<&str>,
        bytes: Vec<u8>,
    ) -> Answer<E::Response>
    where
        E: Endpoint<Body = FileBody>,
        E::Response: DeserializeOwned,
    {
        let file = Payload::File(content_type, bytes);
        keyed_request::<E, FileBody>(&self.url(""), c, ids, query, file, Some(key)).await
    }
}

/// `TestApp::call_keyed` on any instance (`base`: its `/api/v1` URL), for spawned tasks.
pub async fn call_keyed_at<E>(
    base: &str,
    c: &reqwest::Client,
    key: &str,
    ids: &[i64],
    query: &E::Query,
    body: &E::Body,
) -> Answer<E::Response>
where
    E: Endpoint,
    E::Body: 'static,
    E::Response: DeserializeOwned,
{
    json_at::<E>(base, c, Some(key), ids, query, body).await
}

/// `TestApp::call` on any instance: `base` is its `/api/v1` URL (`TestApp::url("")`, or
/// `another_instance`). Needs no `TestApp`, so spawned tasks may call it.
pub async fn call_at<E>(
    base: &str,
    c: &reqwest::Client,
    ids: &[i64],
    query: &E::Query,
    body: &E::Body,
) -> Answer<E::Response>
where
    E: Endpoint,
    E::Body: 'static,
    E::Response: DeserializeOwned,
{
    json_at::<E>(base, c, None, ids, query, body).await
}

/// A JSON body (or none, for `NoBody`) to `E` at `base`, with an `Idempotency-Key` if given.
async fn json_at<E>(
    base: &str,
    c: &reqwest::Client,
    key: Option<&str>,
    ids: &[i64],
    query: &E::Query,
    body: &E::Body,
) -> Answer<E::Response>
where
    E: Endpoint,
    E::Body: 'static,
    E::Response: DeserializeOwned,
{
    let payload = if std::any::TypeId::of::<E::Body>() == std::any::TypeId::of::<NoBody>() {
        Payload::None
    } else {
        Payload::Json(body)
    };
    keyed_request::<E, E::Body>(base, c, ids, query, payload, key).await
}

async fn request<E, B>(
    base: &str,
    c: &reqwest::Client,
    ids: &[i64],
    query: &E::Query,
    payload: Payload<'_, B>,
) -> Answer<E::Response>
where
    E: Endpoint,
    B: serde::Serialize,
    E::Response: DeserializeOwned,
{
    keyed_request::<E, B>(base, c, ids, query, payload, None).await
}

/// `request` with an `Idempotency-Key` header when `key` is given.
async fn keyed_request<E, B>(
    base: &str,
    c: &reqwest::Client,
    ids: &[i64],
    query: &E::Query,
    payload: Payload<'_, B>,
    key: Option<&str>,
) -> Answer<E::Response>
where
    E: Endpoint,
    B: serde::Serialize,
    E::Response: DeserializeOwned,
{
    let method = reqwest::Method::from_bytes(E::METHOD.as_str().to_uppercase().as_bytes()).unwrap();
    let mut req = c
        .request(method, format!("{base}{}", path::<E>(ids)))
        .query(&query.pairs());
    if let Some(key) = key {
        req = req.header(shared::api::idempotency::KEY_HEADER, key);
    }
    match payload {
        Payload::None => {}
        Payload::Json(body) => req = req.json(body),
        Payload::File(content_type, bytes) => {
            if let Some(t) = content_type {
                req = req.header("content-type", t);
            }
            req = req.body(bytes);
        }
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let replayed = res
        .headers()
        .get(shared::api::idempotency::REPLAYED_HEADER)
        .is_some_and(|v| v == "true");
    let text = res.text().await.unwrap();
    let body = if status < 300 {
        let parsed = if status == 204 {
            E::Response::deserialize(
                serde::de::value::UnitDeserializer::<serde::de::value::Error>::new(),
            )
            .map_err(|e| e.to_string())
        } else {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        };
        Ok(parsed.unwrap_or_else(|e| {
            panic!(
                "{} {}: answer is not a {}: {e}: {text}",
                E::METHOD.as_str(),
                E::PATH,
                std::any::type_name::<E::Response>()
            )
        }))
    } else {
        Err(serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{} {} answered {status} without an ErrorBody: {e}: {text}",
                E::METHOD.as_str(),
                E::PATH
            )
        }))
    };
    let declared = match key {
        None => E::STATUSES,
        Some(_) => {
            let mut all = E::STATUSES.to_vec();
            all.extend_from_slice(shared::api::idempotency::KEY_STATUSES);
            &*Vec::leak(all)
        }
    };
    Answer {
        status,
        body,
        declared,
        replayed,
    }
}

impl TestApp {
    /// `call` without query or body.
    pub async fn get<E>(&self, c: &reqwest::Client, ids: &[i64]) -> Answer<E::Response>
    where
        E: Endpoint<Query = NoQuery, Body = NoBody>,
        E::Response: DeserializeOwned,
    {
        self.call::<E>(c, ids, &NoQuery, &NoBody).await
    }

    /// `call` with a JSON body and no query.
    pub async fn send<E>(
        &self,
        c: &reqwest::Client,
        ids: &[i64],
        body: &E::Body,
    ) -> Answer<E::Response>
    where
        E: Endpoint<Query = NoQuery>,
        E::Body: 'static,
        E::Response: DeserializeOwned,
    {
        self.call::<E>(c, ids, &NoQuery, body).await
    }
}

/// Asserts that `answer` is refused with `status` for a reason matching `pattern`; gives the
/// error body.
#[macro_export]
macro_rules! refused {
    ($answer:expr, $status:expr, $pattern:pat $(if $guard:expr)?) => {{
        let e = $answer.refused($status);
        assert!(
            matches!(e.reason, Some($pattern) $(if $guard)?),
            "expected {}, got {e:?}",
            stringify!($pattern)
        );
        e
    }};
}

/// The details of `item` (a `RecordItem`), asserting their kind: `details!(item, Enrollment)`.
#[macro_export]
macro_rules! details {
    ($item:expr, $kind:ident) => {
        match &$item.details {
            Some(shared::api::records::RecordDetails::$kind(d)) => d,
            other => panic!(
                concat!("expected ", stringify!($kind), " details, got {:?}"),
                other
            ),
        }
    };
}
