//! `hearth-server`: `serve` (default), `demo` (load demo data into an empty database and print
//! the demo logins), `create-admin` (the first system administrator), `import-hud PATH
//! [--dry-run]` (a folder or a zip of HUD CSV files, `services::hud_import`) or `export-hud
//! OUT_DIR --user USERNAME --from DATE --to DATE [--project ID]... [--hash]`
//! (`services::hud_export`). Configuration comes from the environment (see `config.rs`).

use server::db::{self, demo};
use server::{Application, Config};

/// mimalloc instead of glibc's allocator: the profile read's many small short-lived allocations
/// cost about an eighth of its CPU time under glibc (see docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::from_env();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve(config).await,
        Some("demo") => load_demo(config).await,
        Some("create-admin") => create_admin(config, &args[1..]).await,
        Some("import-hud") => import_hud(config, &args[1..]).await,
        Some("export-hud") => export_hud(config, &args[1..]).await,
        Some(other) => Err(format!(
            "unknown command {other:?}: use serve, demo, create-admin, import-hud or export-hud"
        )
        .into()),
    };
    if let Err(e) = result {
        eprintln!("hearth-server: {e}");
        std::process::exit(1);
    }
}

async fn serve(config: Config) -> server::anyhow_lite::Result<()> {
    if !config.dist_dir.join("index.html").exists() {
        tracing::warn!(dist = %config.dist_dir.display(), "no built app found: only the API is served");
    }
    let app = Application::build(config).await?;
    tracing::info!("Hearth is listening on http://{}", app.local_addr());
    app.run().await?;
    Ok(())
}

async fn load_demo(config: Config) -> server::anyhow_lite::Result<()> {
    let pool = db::connect(&config.database).await?;
    if demo::is_empty(&pool).await? {
        demo::load(&pool, chrono::Utc::now().date_naive(), &config.files_dir).await?;
        println!("Loaded demo data into {}.", config.database);
    } else {
        println!(
            "{} already holds data: demo data not loaded again.",
            config.database
        );
    }
    println!(
        "\nDemo logins (password for every account: {}):",
        demo::DEMO_PASSWORD
    );
    let orgs = db::org_names(&pool).await?;
    for (username, name, role, _) in demo::DEMO_USERS {
        if let Some(user) = db::user_by_username(&pool, username).await? {
            let org = orgs
                .iter()
                .find(|o| o.id == user.org)
                .map(|o| o.name.as_str())
                .unwrap_or("");
            println!("  {username:<16} {name:<18} {role:<12} {org}");
        }
    }
    Ok(())
}

async fn create_admin(config: Config, args: &[String]) -> server::anyhow_lite::Result<()> {
    use server::services::bootstrap::{self, CreateAdmin};
    let args = CreateAdmin::from_args(args)?;
    let password = match std::env::var("HEARTH_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprintln!(
                "Password for {} (one line on standard input):",
                args.username
            );
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let pool = db::connect(&config.database).await?;
    let done = bootstrap::create_admin(
        &pool,
        &config,
        &args,
        &password,
        chrono::Utc::now().naive_utc(),
    )
    .await?;
    println!("{done}");
    Ok(())
}

/// `import-hud PATH [--dry-run]`: the report on standard output, progress on standard error
/// (one line rewritten in place on a terminal, plain lines otherwise). Exits 1 on a fatal error;
/// row errors are in the report (exit 0: the other rows are imported).
async fn import_hud(config: Config, args: &[String]) -> server::anyhow_lite::Result<()> {
    use server::services::hud_import::{self, ImportRun, Progress};
    use std::io::{IsTerminal, Write};
    let dry_run = args.iter().any(|a| a == "--dry-run");
    let paths: Vec<&String> = args.iter().filter(|a| *a != "--dry-run").collect();
    let [path] = paths.as_slice() else {
        return Err(
            "usage: hearth-server import-hud PATH [--dry-run] (PATH: a folder or a .zip of HUD CSV files)"
                .into(),
        );
    };
    let pool = db::connect(&config.database).await?;
    let terminal = std::io::stderr().is_terminal();
    // The rate is the file's own: its rows over the time since the previous file's last line.
    let (mut current, mut start, mut last) = (String::new(), 0.0, 0.0);
    let mut progress = |p: &Progress| {
        let secs = p.elapsed.as_secs_f64();
        if p.file != current {
            current = p.file.clone();
            start = last;
        }
        last = secs;
        let rate = if secs > start {
            p.done as f64 / (secs - start)
        } else {
            0.0
        };
        let line = format!(
            "{}: {}/{} rows, {:.1} s elapsed, {:.0} rows/s",
            p.file, p.done, p.total, secs, rate
        );
        let mut err = std::io::stderr();
        if terminal {
            let _ = write!(err, "\r\x1b[K{line}");
            if p.done == p.total {
                let _ = writeln!(err);
            }
        } else if p.done == p.total {
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    };
    let run = ImportRun {
        pool: &pool,
        policy: &config.policy,
        input: hud_import::Input::Path(std::path::Path::new(path.as_str())),
        dry_run,
        now: chrono::Utc::now().naive_utc(),
    };
    let report = hud_import::import(&run, &mut progress).await?;
    print!("{report}");
    Ok(())
}

/// `export-hud OUT_DIR --user USERNAME --from DATE --to DATE [--project ID]... [--hash]`: HUD's
/// files in OUT_DIR, holding what USERNAME may read (P-6); a summary on standard output.
async fn export_hud(config: Config, args: &[String]) -> server::anyhow_lite::Result<()> {
    use server::services::hud_export::{self, ExportArgs};
    let args = ExportArgs::from_args(args)?;
    let pool = db::connect(&config.database).await?;
    let actor = hud_export::actor_named(&pool, &args.username).await?;
    let now = chrono::Utc::now().naive_utc();
    let export = hud_export::export(&pool, &config.policy, &actor, &args.request, now)
        .await
        .map_err(|e| e.to_string())?;
    export.write_to(&args.out_dir)?;
    println!(
        "Export {} in {}: {} clients, {} enrollments ({} services without a HUD RecordType not exported).",
        export.export_id,
        args.out_dir.display(),
        export.clients,
        export.enrollments,
        export.services_without_hud_type
    );
    Ok(())
}
