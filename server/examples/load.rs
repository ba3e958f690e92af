//! Load benchmark (not part of the tests): profile reads and client searches at rising request
//! rates over a SQLite database of 10,000+ clients, next to a bare axum JSON endpoint measured in
//! the same run. Reports p50 / p99 latency, achieved and maximum throughput, and the server's
//! resident memory. Only loopback addresses are used; every phase is bounded in time.
//!
//! `scripts/bench-load` builds and runs it: `cargo build --release -p server --bin hearth-server
//! --example load && target/release/examples/load [--clients N] [--seconds S] [--rates 100,500]
//! [--workers N] [--slices N] [--slice-seconds S] [--targets profile,search,bare]`.
//!
//! Maximum throughput is measured in short slices that take the targets in turn (`--slices` of
//! `--slice-seconds` each per target), and each target's throughput is its total over all of its
//! slices. On these 2-core VMs the whole machine switches between a slow and a fast state every
//! few seconds (the same phase measured 63,000/s and 135,000/s in consecutive 10-second rounds);
//! long phases taken one after the other then compare one target's slow state with another's
//! fast one, and short interleaved slices give every target the same mix of both.

mod common;

use axum::routing::get;
use common::{bulk_clients, free_port, Server, LAST};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Args {
    clients: usize,
    seconds: u64,
    rates: Vec<u64>,
    workers: usize,
    targets: Vec<Target>,
    slices: usize,
    slice_seconds: f64,
}

fn args() -> Args {
    let mut a = Args {
        clients: 10_000,
        seconds: 10,
        rates: vec![100, 250, 500, 1000],
        workers: 32,
        targets: vec![Target::Profile, Target::Search, Target::Bare],
        slices: 20,
        slice_seconds: 1.0,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).map(String::as_str).unwrap_or("");
        match pair[0].as_str() {
            "--clients" => a.clients = value.parse().expect("--clients N"),
            "--seconds" => a.seconds = value.parse().expect("--seconds S"),
            "--workers" => a.workers = value.parse().expect("--workers N"),
            "--slices" => a.slices = value.parse().expect("--slices N"),
            "--slice-seconds" => a.slice_seconds = value.parse().expect("--slice-seconds S"),
            "--rates" => {
                a.rates = value
                    .split(',')
                    .map(|r| r.parse().expect("--rates 100,500"))
                    .collect()
            }
            "--targets" => {
                a.targets = value
                    .split(',')
                    .map(|t| match t {
                        "profile" => Target::Profile,
                        "search" => Target::Search,
                        "bare" => Target::Bare,
                        _ => panic!("--targets profile,search,bare"),
                    })
                    .collect()
            }
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time (user + system, all threads) the process has used, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let field = |n: usize| {
        rest.split_whitespace()
            .nth(n - 3)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Clock ticks; 100 per second on Linux.
    (field(14) + field(15)) / 100.0
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Profile,
    Search,
    Bare,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Profile => "profile read",
            Target::Search => "client search",
            Target::Bare => "bare axum JSON",
        }
    }
}

struct Ctx {
    http: reqwest::Client,
    base: String,
    bare: String,
    cookie: String,
    max_client: i64,
}

fn url(ctx: &Ctx, target: Target, i: u64) -> String {
    match target {
        // Spread reads over the whole client table.
        Target::Profile => format!(
            "{}/api/v1/clients/{}",
            ctx.base,
            1 + (i.wrapping_mul(7919) % ctx.max_client as u64)
        ),
        Target::Search => format!(
            "{}/api/v1/clients?q={}",
            ctx.base,
            &LAST[(i as usize) % LAST.len()][..3]
        ),
        Target::Bare => format!("{}/json", ctx.bare),
    }
}

async fn one(ctx: &Ctx, target: Target, i: u64) -> Result<Duration, String> {
    let start = Instant::now();
    let res = ctx
        .http
        .get(url(ctx, target, i))
        .header("cookie", &ctx.cookie)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = res.status();
    let _ = res.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("status {status}"));
    }
    Ok(start.elapsed())
}

struct Stats {
    p50: f64,
    p99: f64,
    throughput: f64,
    errors: usize,
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn stats(mut lat: Vec<Duration>, errors: usize, elapsed: Duration) -> Stats {
    lat.sort();
    let pct = |p: f64| {
        if lat.is_empty() {
            return f64::NAN;
        }
        let idx = ((lat.len() as f64 - 1.0) * p).round() as usize;
        lat[idx].as_secs_f64() * 1000.0
    };
    Stats {
        p50: pct(0.50),
        p99: pct(0.99),
        throughput: lat.len() as f64 / elapsed.as_secs_f64(),
        errors,
    }
}

/// Open loop: one request every 1/rate seconds, whatever the latency, for `seconds`.
async fn fixed_rate(ctx: Arc<Ctx>, target: Target, rate: u64, seconds: u64) -> Stats {
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let start = Instant::now();
    let mut tasks = Vec::new();
    let mut i = 0;
    while start.elapsed() < Duration::from_secs(seconds) {
        tick.tick().await;
        let ctx = ctx.clone();
        i += 1;
        tasks.push(tokio::spawn(async move { one(&ctx, target, i).await }));
    }
    let mut lat = Vec::with_capacity(tasks.len());
    let mut errors = 0;
    for t in tasks {
        match t.await {
            Ok(Ok(d)) => lat.push(d),
            _ => errors += 1,
        }
    }
    stats(lat, errors, start.elapsed())
}

/// Closed loop: `workers` concurrent clients as fast as the server answers, for `length`.
/// Returns every latency and the count of errors.
async fn max_rate(
    ctx: Arc<Ctx>,
    target: Target,
    workers: usize,
    length: Duration,
) -> (Vec<Duration>, usize) {
    let start = Instant::now();
    let deadline = start + length;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let ctx = ctx.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            let mut i = w as u64 * 1_000_003;
            while Instant::now() < deadline {
                i += 1;
                match one(&ctx, target, i).await {
                    Ok(d) => lat.push(d),
                    Err(_) => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        lat.extend(l);
        errors += e;
    }
    (lat, errors)
}

/// The bare endpoint's server: a default multi-threaded tokio runtime, as the Hearth server's.
#[tokio::main]
async fn bare_server(port: u16) {
    let app = axum::Router::new().route(
        "/json",
        get(|| async { axum::Json(serde_json::json!({ "message": "Hello, World!" })) }),
    );
    let l = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    axum::serve(l, app).await.unwrap();
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--bare-server") {
        let port = argv
            .get(2)
            .and_then(|p| p.parse().ok())
            .expect("--bare-server PORT");
        return bare_server(port);
    }
    run();
}

#[tokio::main]
async fn run() {
    let a = args();
    let dir = std::env::temp_dir().join(format!("hearth-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let database = format!("sqlite://{}/hearth.db", dir.display());
    let pool = server::db::connect(&database).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    server::db::demo::load(&pool, today, &dir.join("files"))
        .await
        .unwrap();
    let t = Instant::now();
    bulk_clients(&pool, a.clients).await;
    let (max_client,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM clients")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    eprintln!(
        "database: {max_client} clients, {} more records, built in {:.1} s",
        a.clients * 6,
        t.elapsed().as_secs_f64()
    );

    let (server, base) = common::start_server(&database, &dir, "warn");
    let exe = std::env::current_exe().unwrap();

    // The bare endpoint: this same program in its own process (`--bare-server PORT`), so that
    // it is measured exactly as the Hearth server is, across loopback from this process.
    let bare_port = free_port();
    let bare_process = Server(
        Command::new(&exe)
            .arg("--bare-server")
            .arg(bare_port.to_string())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", exe.display())),
    );

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    for url in [
        format!("{base}/api/v1/health"),
        format!("http://127.0.0.1:{bare_port}/json"),
    ] {
        for _ in 0..100 {
            if http.get(&url).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let res = http
        .post(format!("{base}/api/v1/session"))
        .header("x-hearth-csrf", "1")
        .json(&serde_json::json!({ "username": "shelter.cw", "password": server::db::demo::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let ctx = Arc::new(Ctx {
        http,
        base,
        bare: format!("http://127.0.0.1:{bare_port}"),
        cookie,
        max_client,
    });

    let pid = server.0.id();
    let bare_pid = bare_process.0.id();
    // The process that answers a target: the Hearth server, or the bare endpoint's own.
    let pid_of = |target: Target| {
        if target == Target::Bare {
            bare_pid
        } else {
            pid
        }
    };
    println!(
        "{:<16} {:>10} {:>10} {:>10} {:>12} {:>7} {:>12}",
        "target", "rate/s", "p50 ms", "p99 ms", "achieved/s", "errors", "server CPU"
    );
    // Server CPU per request: the answering process's CPU time over the phase divided by the
    // requests answered (the load generator's own share is not counted).
    let cpu_per_request = |cpu: f64, s: &Stats, elapsed: f64| {
        format!("{:.1} µs/req", 1e6 * cpu / (s.throughput * elapsed))
    };
    let row = |name: &str, rate: String, s: &Stats, cpu: String| {
        println!(
            "{:<16} {:>10} {:>10.2} {:>10.2} {:>12.0} {:>7} {:>12}",
            name, rate, s.p50, s.p99, s.throughput, s.errors, cpu
        );
    };
    for &target in &a.targets {
        // Warm up caches and connections.
        let _ = max_rate(ctx.clone(), target, 4, Duration::from_secs(1)).await;
        for &rate in &a.rates {
            let (cpu0, t0) = (cpu_seconds(pid_of(target)), Instant::now());
            let s = fixed_rate(ctx.clone(), target, rate, a.seconds).await;
            let cpu = cpu_per_request(
                cpu_seconds(pid_of(target)) - cpu0,
                &s,
                t0.elapsed().as_secs_f64(),
            );
            row(target.name(), rate.to_string(), &s, cpu);
        }
    }
    // Maximum throughput, closed loop, in short slices that take the targets in turn (see the
    // module comment); each target's figures are over all of its slices.
    let slice = Duration::from_secs_f64(a.slice_seconds);
    let n = a.targets.len();
    let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); n];
    let (mut errors, mut seconds, mut cpu) = (vec![0; n], vec![0.0; n], vec![0.0; n]);
    let mut per_slice: Vec<Vec<f64>> = vec![Vec::new(); n];
    for _ in 0..a.slices {
        for (t, &target) in a.targets.iter().enumerate() {
            let (cpu0, t0) = (cpu_seconds(pid_of(target)), Instant::now());
            let (lat, e) = max_rate(ctx.clone(), target, a.workers, slice).await;
            let elapsed = t0.elapsed().as_secs_f64();
            cpu[t] += cpu_seconds(pid_of(target)) - cpu0;
            seconds[t] += elapsed;
            errors[t] += e;
            per_slice[t].push(lat.len() as f64 / elapsed);
            latencies[t].extend(lat);
        }
    }
    let mut maxima = vec![0.0; n];
    for (t, &target) in a.targets.iter().enumerate() {
        let s = stats(
            std::mem::take(&mut latencies[t]),
            errors[t],
            Duration::from_secs_f64(seconds[t]),
        );
        let cpu = cpu_per_request(cpu[t], &s, seconds[t]);
        let rate = format!("max({})×{}", a.workers, a.slices);
        row(target.name(), rate, &s, cpu);
        maxima[t] = s.throughput;
    }
    let (rss, peak) = rss_kib(pid);
    let bare = a.targets.iter().position(|&t| t == Target::Bare);
    println!();
    for (t, target) in a.targets.iter().enumerate() {
        let mut line = format!(
            "{:<16} max throughput {:>8.0}/s over {} slices of {} s",
            target.name(),
            maxima[t],
            a.slices,
            a.slice_seconds
        );
        if let Some(b) = bare.filter(|&b| b != t) {
            // Each slice against the bare endpoint's slice of the same turn.
            let mut pairs: Vec<f64> = per_slice[t]
                .iter()
                .zip(&per_slice[b])
                .map(|(x, y)| 100.0 * x / y)
                .collect();
            pairs.sort_by(f64::total_cmp);
            line += &format!(
                "; of the bare endpoint: {:.1}% (slice by slice: lowest {:.1}%, median {:.1}%, highest {:.1}%)",
                100.0 * maxima[t] / maxima[b],
                pairs.first().copied().unwrap_or(f64::NAN),
                median(&pairs),
                pairs.last().copied().unwrap_or(f64::NAN),
            );
        }
        println!("{line}");
    }
    println!(
        "server resident memory: {:.1} MiB now, {:.1} MiB peak",
        rss as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    drop(server);
    drop(bare_process);
    let _ = std::fs::remove_dir_all(&dir);
}
