//! Audit viewer page cost (P-4), not part of the tests: fills a fresh SQLite database's audit log
//! with N entries (default 1,000,000; nine users of four organizations, one in ten naming a
//! client, five actions) and times one page of `db::audit_log::entries` (101 rows: a page of 100
//! and the one that says there is another) near the newest end and at the oldest end, by keyset
//! (`before`) and, for comparison, by `offset`, unfiltered and with each filter. Each figure is
//! the median of 5 runs.
//!
//! `cargo run -p server --example audit_paging [N]` (a debug build: the figures are an upper
//! bound; `--release` is faster).

use chrono::NaiveDate;
use server::db::audit_log::{self, AuditFilter, Cursor, Side};
use server::db::{self, Pool};
use shared::{HmisNumber, OrgId, UserId};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let n: i64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("hearth-audit-paging-{}", std::process::id()));
    let url = format!("sqlite://{}/hearth.db", dir.display());
    let pool = db::connect(&url).await.expect("database");
    let started = Instant::now();
    fill(&pool, n).await;
    println!(
        "filled {n} audit entries in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let newest: i64 = sqlx::query_scalar("SELECT MAX(id) FROM audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    let oldest_page = newest - n + 200;
    let cursor = |id: i64| {
        let pool = pool.clone();
        async move {
            let at = audit_log::at_of(&pool, id).await.unwrap().unwrap();
            Some(Cursor {
                at,
                id,
                side: Side::Older,
            })
        }
    };
    let base = AuditFilter {
        limit: 101,
        ..AuditFilter::default()
    };
    let deep_offset = n - 200;
    let cases: Vec<(&str, AuditFilter)> = vec![
        ("first page, no filter", base.clone()),
        (
            "keyset, oldest end, no filter",
            AuditFilter {
                cursor: cursor(oldest_page).await,
                ..base.clone()
            },
        ),
        (
            "offset, oldest end, no filter",
            AuditFilter {
                offset: deep_offset,
                ..base.clone()
            },
        ),
        (
            "keyset, oldest end, organization",
            AuditFilter {
                org: Some(OrgId(2)),
                cursor: cursor(oldest_page + 5000).await,
                ..base.clone()
            },
        ),
        (
            "offset, oldest end, organization",
            AuditFilter {
                org: Some(OrgId(2)),
                offset: n / 4 - 300,
                ..base.clone()
            },
        ),
        (
            "keyset, oldest end, user",
            AuditFilter {
                user: Some(UserId(3)),
                cursor: cursor(oldest_page + 5000).await,
                ..base.clone()
            },
        ),
        (
            "keyset, oldest end, action",
            AuditFilter {
                action: Some("read client profile".into()),
                cursor: cursor(oldest_page + 5000).await,
                ..base.clone()
            },
        ),
        (
            "first page, client (HMIS number)",
            AuditFilter {
                hmis_number: HmisNumber::parse("H0001003").ok(),
                ..base.clone()
            },
        ),
        (
            "keyset, oldest end, client (HMIS number)",
            AuditFilter {
                hmis_number: HmisNumber::parse("H0001003").ok(),
                cursor: cursor(oldest_page + 5000).await,
                ..base.clone()
            },
        ),
        (
            "first page, organization + action + dates",
            AuditFilter {
                org: Some(OrgId(3)),
                action: Some("search clients".into()),
                from: NaiveDate::from_ymd_opt(2026, 1, 2).and_then(|d| d.and_hms_opt(0, 0, 0)),
                before: NaiveDate::from_ymd_opt(2026, 1, 9).and_then(|d| d.and_hms_opt(0, 0, 0)),
                ..base.clone()
            },
        ),
    ];
    for (name, filter) in cases {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..5 {
            let t = Instant::now();
            rows = audit_log::entries(&pool, &filter).await.unwrap().len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("{name:<45} {rows:>4} rows  median {:>9.2} ms", times[2]);
    }
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// N entries, one a second from 2026-01-01, in one statement (a recursive count).
async fn fill(pool: &Pool, n: i64) {
    sqlx::query(
        "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < $1)
         INSERT INTO audit_log (at, user_id, org_id, hmis_number, action, reason)
         SELECT strftime('%Y-%m-%d %H:%M:%S', '2026-01-01 00:00:00', '+' || i || ' seconds')
                    || '.000000',
                1 + i % 9, 1 + (i % 9) % 4,
                CASE WHEN i % 10 = 0 THEN printf('H%07d', 1001 + (i / 10) % 20) END,
                CASE i % 5 WHEN 0 THEN 'read client profile' WHEN 1 THEN 'search clients'
                    WHEN 2 THEN 'sign in' WHEN 3 THEN 'read client records' ELSE 'update record' END,
                'YourAgency'
         FROM k",
    )
    .bind(n)
    .execute(pool)
    .await
    .expect("fill");
}
