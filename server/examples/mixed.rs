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
mod scenario;

use common::{bulk_clients, start_server};
use scenario::World;
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
    let world = World::new(base, Instant::now() + Duration::from_secs(a.seconds));
    let password = server::db::demo::DEMO_PASSWORD;
    let mut tasks = Vec::new();
    for i in 0..a.users {
        let (username, ..) = server::db::demo::DEMO_USERS[i % server::db::demo::DEMO_USERS.len()];
        tasks.push(tokio::spawn(scenario::user(
            world.clone(),
            username,
            password,
            u64::MAX,
        )));
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
