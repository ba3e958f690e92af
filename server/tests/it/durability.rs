//! P-3: restarting the server loses nothing that was acknowledged. The real binary is killed with
//! SIGKILL while writes are in flight; after a restart every acknowledged write is still there.
//!
//! The requests here are raw on purpose: they must survive the server dying under them (a failed
//! send ends a writer, where the typed calls would panic). Their paths and bodies still come from
//! the endpoint declarations and wire types.

use crate::support::{fresh_database, fresh_dir, path, RemoveOnDrop, PASSWORD};
use shared::api::endpoints as ep;
use shared::api::LoginRequest;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

// The real server process and a free port, as the benchmarks have them.
#[path = "../../examples/common/mod.rs"]
#[allow(dead_code)]
pub(crate) mod common;
use common::{free_port, Server};

fn command(database: &str, dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearth-server"));
    c.env("DATABASE_URL", database)
        .env("HEARTH_DATA_DIR", dir)
        .env("HEARTH_FILES_DIR", dir.join("files"))
        .env("HEARTH_DIST", dir.join("dist"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null());
    c
}

async fn start(database: &str, dir: &std::path::Path) -> (Server, String) {
    let port = free_port();
    // Wrapped at once, so the process is killed and waited for on every path.
    let server = Server(
        command(database, dir)
            .arg("serve")
            .env("HEARTH_LISTEN", format!("127.0.0.1:{port}"))
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}/api/v1");
    for _ in 0..200 {
        if reqwest::get(format!("{base}{}", path::<ep::Health>(&[])))
            .await
            .is_ok()
        {
            return (server, base);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not start");
}

/// One write: a sign-in creates a session row and an audit row, and answers only after both commit.
async fn sign_in(http: &reqwest::Client, base: &str) -> Option<String> {
    let res = http
        .post(format!("{base}{}", path::<ep::SignIn>(&[])))
        .header("x-hearth-csrf", "1")
        .json(&LoginRequest {
            username: "housing.cw".into(),
            password: PASSWORD.into(),
        })
        .send()
        .await
        .ok()?;
    if res.status() != 200 {
        return None;
    }
    let cookie = res.headers().get("set-cookie")?.to_str().ok()?;
    Some(cookie.split(';').next()?.to_owned())
}

#[tokio::test]
async fn p3_sigkill_during_writes_loses_no_acknowledged_write() {
    let dir = fresh_dir();
    let _cleanup = RemoveOnDrop(dir.clone());
    let database = fresh_database(&dir).await;
    let status = command(&database, &dir).arg("demo").status().unwrap();
    assert!(status.success());

    let (mut server, base) = start(&database, &dir).await;
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let http = reqwest::Client::new();
    let mut writers = Vec::new();
    for _ in 0..6 {
        let (http, base, acknowledged) = (http.clone(), base.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            // Bounded: stops at the first failure (the kill) or after 500 writes.
            for _ in 0..500 {
                match sign_in(&http, &base).await {
                    Some(cookie) => acknowledged.lock().unwrap().push(cookie),
                    None => break,
                }
            }
        }));
    }
    // Kill while the writers are busy.
    while acknowledged.lock().unwrap().len() < 60 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 60);

    let (_server, base) = start(&database, &dir).await;
    let mut lost = 0;
    for cookie in &acknowledged {
        let res = http
            .get(format!("{base}{}", path::<ep::GetSession>(&[])))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        if res.status() != 200 {
            lost += 1;
        }
    }
    eprintln!(
        "kill -9: {} acknowledged writes, {lost} lost after the restart",
        acknowledged.len()
    );
    assert_eq!(lost, 0, "acknowledged sessions were lost in the kill");
}

/// P-4 with the group commit: a profile read is answered only after its audit entry is stored,
/// so after a SIGKILL every acknowledged read has its entry.
#[tokio::test]
async fn p4_sigkill_during_reads_loses_no_audit_entry_of_an_answered_read() {
    let dir = fresh_dir();
    let _cleanup = RemoveOnDrop(dir.clone());
    let database = fresh_database(&dir).await;
    let status = command(&database, &dir).arg("demo").status().unwrap();
    assert!(status.success());

    let (mut server, base) = start(&database, &dir).await;
    let http = reqwest::Client::new();
    let cookie = sign_in(&http, &base).await.expect("signed in");
    let answered = Arc::new(Mutex::new(0usize));
    let mut readers = Vec::new();
    for r in 0..8 {
        let (http, base, cookie, answered) =
            (http.clone(), base.clone(), cookie.clone(), answered.clone());
        readers.push(tokio::spawn(async move {
            // Bounded: stops at the first failure (the kill) or after 2,000 reads.
            for i in 0..2000 {
                let res = http
                    .get(format!(
                        "{base}{}",
                        path::<ep::GetClientProfile>(&[1 + (r * 7 + i) % 30])
                    ))
                    .header("cookie", &cookie)
                    .send()
                    .await;
                let Ok(res) = res else { break };
                if res.status() != 200 || res.bytes().await.is_err() {
                    break;
                }
                *answered.lock().unwrap() += 1;
            }
        }));
    }
    while *answered.lock().unwrap() < 300 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    for r in readers {
        r.await.unwrap();
    }
    let answered = *answered.lock().unwrap();
    assert!(answered >= 300);

    let pool = server::db::connect(&database).await.unwrap();
    let (stored,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.user_id
         WHERE a.action = 'read client profile' AND u.username = 'housing.cw'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    eprintln!("kill -9: {answered} reads answered, {stored} of their audit entries stored");
    assert!(
        stored as usize >= answered,
        "{answered} reads answered, {stored} audit entries stored"
    );
}

/// P-3 across a power cut: on SQLite every connection syncs each commit to disk before it is
/// acknowledged (`synchronous = FULL`, 2; NORMAL, 1, may lose the last commits of a WAL database
/// when the machine stops). PostgreSQL syncs its log at commit by default.
#[tokio::test]
async fn p3_every_sqlite_connection_syncs_each_commit_before_acknowledging_it() {
    let app = crate::support::spawn_app().await;
    if server::db::backend(&app.pool) != Some(server::db::Backend::Sqlite) {
        return;
    }
    let mut conns = Vec::new();
    for _ in 0..3 {
        let mut c = app.pool.acquire().await.unwrap();
        let (level,): (i64,) = sqlx::query_as("PRAGMA synchronous")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(level, 2, "synchronous is not FULL");
        conns.push(c);
    }
}
