//! The audit viewer's paging and export (P-4): keyset pages (`before` / `after`) that hold every
//! entry exactly once while the log grows, and `GET /audit.csv`, which holds exactly the filtered
//! entries of the caller's scope and is itself audited.

use crate::support::{spawn_app, TestApp};
use serde_json::Value;
use std::collections::BTreeSet;

async fn page(app: &TestApp, c: &reqwest::Client, query: &str) -> Value {
    let res = c
        .get(app.url(&format!("/audit{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{query}");
    res.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<i64> {
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect()
}

/// The export's rows (header first), parsed as RFC 4180 CSV.
async fn export(app: &TestApp, c: &reqwest::Client, query: &str) -> (u16, Vec<Vec<String>>) {
    let res = c
        .get(app.url(&format!("/audit.csv{query}")))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    if status != 200 {
        return (status, Vec::new());
    }
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.bytes().await.unwrap();
    let rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&body[..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (status, rows)
}

#[tokio::test]
async fn p4_keyset_paging_returns_every_entry_exactly_once_while_new_entries_are_written() {
    let app = spawn_app().await;
    // Arrange: some forty entries, all at the same instant (the test clock stands still), so the
    // id alone orders them within it.
    let cw = app.sign_in("shelter.cw").await;
    for i in 0..30 {
        assert_eq!(app.profile(&cw, 1 + i % 5).await.status(), 200);
    }
    let sys = app.sign_in("coc.admin").await;
    let before: BTreeSet<i64> = ids(&page(&app, &sys, "?limit=500").await)
        .into_iter()
        .collect();
    assert!(before.len() > 20, "{}", before.len());
    // Act: pages of 7 by `before`, with new entries written between the pages.
    let writer = app.sign_in("housing.cw").await;
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut query = "?limit=7".to_owned();
    loop {
        let p = page(&app, &sys, &query).await;
        assert!(ids(&p).len() <= 7);
        seen.extend(ids(&p));
        app.profile(&writer, 2).await;
        app.clock.advance(chrono::Duration::seconds(1));
        pages.push(p.clone());
        match p["older"].as_i64() {
            Some(older) => query = format!("?limit=7&before={older}"),
            None => break,
        }
    }
    // Assert: no entry twice, every entry that was there at the start once, newest first.
    let unique: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "an entry came twice: {seen:?}");
    assert!(unique.is_superset(&before), "an entry was missed");
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first");
    // Going back: `after` the second page's first entry is the first page again.
    let second = &pages[1];
    let newer = second["newer"]
        .as_i64()
        .expect("the second page has newer entries");
    let back = page(&app, &sys, &format!("?limit=7&after={newer}")).await;
    assert_eq!(ids(&back), ids(&pages[0]));
    assert!(
        back["newer"].is_i64(),
        "entries written since are newer still"
    );
    assert_eq!(back["older"].as_i64(), ids(&pages[0]).last().copied());
}

#[tokio::test]
async fn p4_keyset_paging_refuses_an_unknown_cursor_and_a_cursor_with_offset() {
    let app = spawn_app().await;
    let sys = app.sign_in("coc.admin").await;
    for (query, field) in [
        ("?before=999999999", "before"),
        ("?after=x", "after"),
        ("?before=1&after=1", "after"),
        ("?before=1&offset=5", "offset"),
    ] {
        let res = sys
            .get(app.url(&format!("/audit{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{query}");
        assert_eq!(
            res.json::<Value>().await.unwrap()["field"],
            field,
            "{query}"
        );
    }
}

#[tokio::test]
async fn p4_audit_filters_by_action() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    app.profile(&cw, 2).await;
    let sys = app.sign_in("coc.admin").await;
    let p = page(&app, &sys, "?action=read%20client%20profile&limit=500").await;
    let entries = p["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e["action"] == "read client profile"));
}

#[tokio::test]
async fn p4_the_csv_export_holds_exactly_the_filtered_entries_of_the_callers_scope() {
    let app = spawn_app().await;
    // Reads of client 2 by users of three agencies.
    for u in ["shelter.cw", "housing.cw", "outreach.cw"] {
        let c = app.sign_in(u).await;
        assert_eq!(app.profile(&c, 2).await.status(), 200);
    }
    let admin = app.sign_in("shelter.admin").await;
    let own_org = page(&app, &admin, "?limit=1").await["entries"][0]["org_id"].clone();
    let (status, rows) = export(&app, &admin, "").await;
    assert_eq!(status, 200);
    assert_eq!(
        rows[0],
        [
            "id",
            "at",
            "user_id",
            "username",
            "org_id",
            "hmis_number",
            "action",
            "reason"
        ]
    );
    // Every row of the AgencyAdmin's export is its own agency's, and they are the entries the
    // viewer lists (read after the export, which wrote one more: the export itself).
    let listed = page(&app, &admin, "?limit=500").await;
    let listed = listed["entries"].as_array().unwrap();
    assert_eq!(rows.len() - 1, listed.len());
    for (row, e) in rows[1..].iter().zip(listed) {
        assert_eq!(row[0], e["id"].as_i64().unwrap().to_string());
        assert_eq!(row[4], own_org.as_i64().unwrap().to_string());
        assert_eq!(row[3], e["username"].as_str().unwrap_or(""));
        assert_eq!(row[6], e["action"].as_str().unwrap());
        assert_eq!(row[7], e["reason"].as_str().unwrap(), "quoting round-trips");
    }
    assert!(rows[1..]
        .iter()
        .any(|r| r[6] == "export audit log" && r[3] == "shelter.admin"));
    assert!(!rows
        .iter()
        .any(|r| r[3] == "housing.cw" || r[3] == "outreach.cw"));
    // Asked for another agency's entries, the AgencyAdmin is refused; a caseworker always is.
    let org3 = page(&app, &app.sign_in("coc.admin").await, "?limit=500").await["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["username"] == "housing.cw")
        .unwrap()["org_id"]
        .clone();
    let (status, _) = export(&app, &admin, &format!("?organization={org3}")).await;
    assert_eq!(status, 403);
    let (status, _) = export(&app, &app.sign_in("shelter.cw").await, "").await;
    assert_eq!(status, 403);
    // A SystemAdmin's export by client holds every agency's read of it, and only that client's.
    let sys = app.sign_in("coc.admin").await;
    let (_, rows) = export(&app, &sys, "?hmis_number=H0001002").await;
    let users: BTreeSet<&str> = rows[1..]
        .iter()
        .filter(|r| r[6] == "read client profile")
        .map(|r| r[3].as_str())
        .collect();
    assert!(
        users.is_superset(&["shelter.cw", "housing.cw", "outreach.cw"].into()),
        "{users:?}"
    );
    assert!(rows[1..].iter().all(|r| r[5] == "H0001002"));
    let (status, _) = export(&app, &sys, "?from=2026-13-01").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn p4_the_csv_export_streams_more_entries_than_one_chunk_each_once() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    // More entries than one export chunk (1,000): searches audit one entry per returned client.
    let mut n = page(&app, &app.sign_in("coc.admin").await, "?limit=500").await["entries"]
        .as_array()
        .unwrap()
        .len();
    while n <= 1100 {
        app.profile(&cw, 1 + (n as i64 % 10)).await;
        n += 1;
    }
    let sys = app.sign_in("coc.admin").await;
    let (status, rows) = export(&app, &sys, "").await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len());
    assert!(ids.len() > 1100, "{}", ids.len());
}
