//! `spawn_app()`: a running server with demo data and a clock that tests move by hand.

use chrono::NaiveDate;
use server::clock::ManualClock;
use server::{db, demo, Application, Config};
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
    /// The server's state: tests run the background jobs on it (`server::jobs::run_due_jobs`).
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
        let res = c
            .post(self.url("/session"))
            .json(&serde_json::json!({ "username": username, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "sign in as {username}");
        c
    }

    pub async fn profile(&self, c: &reqwest::Client, client_id: i64) -> reqwest::Response {
        c.get(self.url(&format!("/clients/{client_id}")))
            .send()
            .await
            .unwrap()
    }
}
