//! `spawn_app()`: a running server with demo data and a clock that tests move by hand.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use server::clock::ManualClock;
use server::db::{self, demo};
use server::{Application, Config};
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::{Endpoint, ErrorBody, LoginRequest, QueryParams};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub const PASSWORD: &str = demo::DEMO_PASSWORD;

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
    let dir = fresh_dir();
    let database = fresh_database(&dir).await;
    let pool = db::connect(&database).await.unwrap();
    demo::load(&pool, today(), &dir.join("files"))
        .await
        .unwrap();
    let clock = ManualClock::new(today().and_hms_opt(10, 0, 0).unwrap());
    let mut config = Config::for_tests(database.clone(), dir.join("dist"));
    configure(&mut config);
    let app = Application::build_with_clock(config, clock.clone())
        .await
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
}

impl<T: std::fmt::Debug> Answer<T> {
    /// The answer, asserting a success status.
    #[track_caller]
    pub fn ok(self) -> T {
        match self.body {
            Ok(v) if self.status < 300 => v,
            other => panic!("expected success, got {}: {other:?}", self.status),
        }
    }

    /// The error body, asserting `status`.
    #[track_caller]
    pub fn refused(self, status: u16) -> ErrorBody {
        assert_eq!(self.status, status, "{:?}", self.body);
        match self.body {
            Err(e) => e,
            Ok(v) => panic!("expected an error body, got {v:?}"),
        }
    }
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
        let method =
            reqwest::Method::from_bytes(E::METHOD.as_str().to_uppercase().as_bytes()).unwrap();
        let mut req = c
            .request(method, self.url(&E::path(ids)))
            .query(&query.pairs());
        if std::any::TypeId::of::<E::Body>() != std::any::TypeId::of::<NoBody>() {
            req = req.json(body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let body = if status < 300 {
            let parsed = if status == 204 {
                E::Response::deserialize(serde::de::value::UnitDeserializer::<
                    serde::de::value::Error,
                >::new())
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
        Answer { status, body }
    }

    /// `call` without query or body (any method: `GET`, or e.g. `DELETE /session`).
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
