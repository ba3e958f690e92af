//! The audit log's API (P-4): who reads which entries, filters and paging, account writes being
//! audited, and no way through the API to change or delete an entry.

use crate::support::{spawn_app, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn audit(app: &TestApp, c: &reqwest::Client, query: &str) -> reqwest::Response {
    c.get(app.url(&format!("/audit{query}")))
        .send()
        .await
        .unwrap()
}

async fn entries(app: &TestApp, c: &reqwest::Client, query: &str) -> Vec<Value> {
    let res = audit(app, c, query).await;
    assert_eq!(res.status(), 200, "{query}");
    let page: Value = res.json().await.unwrap();
    page["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn p4_system_admins_read_every_entry_agency_admins_their_agencys_caseworkers_none() {
    let app = spawn_app().await;
    // Sign-ins at four agencies leave entries by users of each.
    for u in ["shelter.cw", "housing.cw", "outreach.cw"] {
        app.sign_in(u).await;
    }
    let sys = app.sign_in("coc.admin").await;
    let all = entries(&app, &sys, "?limit=500").await;
    let orgs: std::collections::BTreeSet<i64> =
        all.iter().map(|e| e["org_id"].as_i64().unwrap()).collect();
    assert!(orgs.is_superset(&[1, 2, 3, 4].into()), "{orgs:?}");
    let admin = app.sign_in("shelter.admin").await;
    let own = entries(&app, &admin, "?limit=500").await;
    assert!(!own.is_empty());
    assert!(own.iter().all(|e| e["org_id"] == 2), "{own:?}");
    let res = audit(&app, &admin, "?organization=3").await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.json::<Value>().await.unwrap()["reason"]["code"],
        "agency_admins_manage_own_agency_only"
    );
    let cw = app.sign_in("shelter.cw").await;
    let res = audit(&app, &cw, "").await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.json::<Value>().await.unwrap()["reason"]["code"],
        "only_administrators_read_audit"
    );
}

#[tokio::test]
async fn p4_audit_filters_by_user_organization_client_and_dates_newest_first_with_paging() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    // Two profile reads of demo client 2 (H0001002), a day apart.
    assert_eq!(app.profile(&cw, 2).await.status(), 200);
    app.clock.advance(chrono::Duration::days(1));
    let cw = app.sign_in("shelter.cw").await;
    assert_eq!(app.profile(&cw, 2).await.status(), 200);
    let sys = app.sign_in("coc.admin").await;
    let by_client = entries(&app, &sys, "?hmis_number=H0001002").await;
    assert!(by_client.len() >= 2, "{by_client:?}");
    assert!(by_client.iter().all(|e| e["hmis_number"] == "H0001002"));
    let times: Vec<&str> = by_client
        .iter()
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let cw_id = by_client[0]["user_id"].as_i64().unwrap();
    let by_user = entries(&app, &sys, &format!("?user={cw_id}&limit=500")).await;
    assert!(by_user
        .iter()
        .all(|e| e["user_id"] == cw_id && e["username"] == "shelter.cw"));
    let today = entries(
        &app,
        &sys,
        "?hmis_number=H0001002&from=2026-11-23&to=2026-11-23",
    )
    .await;
    let yesterday = entries(&app, &sys, "?hmis_number=H0001002&to=2026-11-22").await;
    assert_eq!(today.len() + yesterday.len(), by_client.len());
    assert!(!today.is_empty() && !yesterday.is_empty());
    let by_org = entries(&app, &sys, "?organization=3&limit=500").await;
    assert!(by_org.iter().all(|e| e["org_id"] == 3));
    // Paging: one entry per page, consecutive pages do not repeat.
    let p1 = entries(&app, &sys, "?limit=1&offset=0").await;
    let p2 = entries(&app, &sys, "?limit=1&offset=1").await;
    assert_eq!((p1.len(), p2.len()), (1, 1));
    assert_ne!(p1[0]["id"], p2[0]["id"]);
    for (query, field) in [
        ("?limit=501", "limit"),
        ("?limit=0", "limit"),
        ("?offset=-1", "offset"),
        ("?from=yesterday", "from"),
        ("?from=2026-11-23&to=2026-11-22", "to"),
        ("?user=me", "user"),
        ("?hmis_number=12345", "hmis_number"),
    ] {
        let res = audit(&app, &sys, query).await;
        assert_eq!(res.status(), 422, "{query}");
        assert_eq!(
            res.json::<Value>().await.unwrap()["field"],
            field,
            "{query}"
        );
    }
}

#[tokio::test]
async fn p4_account_management_writes_are_audited_without_passwords_or_client_data() {
    let app = spawn_app().await;
    let sys = app.sign_in("coc.admin").await;
    let res = sys
        .post(app.url("/users"))
        .json(
            &json!({"username": "audit.me", "display_name": "Audit Me", "role": "Caseworker",
                      "password": "secret passphrase 1", "org": 2}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    sys.patch(app.url(&format!("/users/{id}")))
        .json(&json!({"role": "AgencyAdmin", "disabled": true}))
        .send()
        .await
        .unwrap();
    sys.post(app.url(&format!("/users/{id}/password")))
        .json(&json!({"password": "secret passphrase 2"}))
        .send()
        .await
        .unwrap();
    sys.post(app.url("/organizations"))
        .json(&json!({"name": "Audited Org"}))
        .send()
        .await
        .unwrap();
    let log = entries(&app, &sys, "?limit=4").await;
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions[0].starts_with("create organization"), "{actions:?}");
    assert!(
        actions[1].starts_with(&format!("reset password of user {id}")),
        "{actions:?}"
    );
    assert_eq!(
        actions[2],
        format!("update user {id} (audit.me): role Caseworker -> AgencyAdmin, disabled")
    );
    assert!(actions[3].starts_with(&format!("create user {id} (audit.me) in organization 2")));
    for e in &log {
        let text = e.to_string();
        assert!(!text.contains("secret passphrase"), "{text}");
        assert_eq!(e["user_id"], 1);
        assert!(e["hmis_number"].is_null());
    }
}

#[tokio::test]
async fn p4_the_api_has_no_way_to_change_or_delete_audit_entries() {
    let app = spawn_app().await;
    let sys = app.sign_in("coc.admin").await;
    let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for (method, path) in [
        (Method::DELETE, "/audit"),
        (Method::PATCH, "/audit"),
        (Method::PUT, "/audit"),
        (Method::POST, "/audit"),
        (Method::DELETE, "/audit/1"),
        (Method::PATCH, "/audit/1"),
        (Method::PUT, "/audit/1"),
    ] {
        let res = sys
            .request(method.clone(), app.url(path))
            .json(&json!({"action": "nothing happened"}))
            .send()
            .await
            .unwrap();
        assert!(
            [404, 405].contains(&res.status().as_u16()),
            "{method} {path}: {}",
            res.status()
        );
    }
    let (after, changed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), SUM(CASE WHEN action = 'nothing happened' THEN 1 ELSE 0 END) FROM audit_log",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((after, changed), (before, 0));
}

/// "Who read this client's file?": every entry about the client, by every user on every day,
/// newest first, found through the per-client register (migration 0011), which is append-only.
#[tokio::test]
async fn p4_the_audit_query_by_client_finds_every_users_entries_on_every_day() {
    let app = spawn_app().await;
    for _day in 0..3 {
        for user in ["shelter.cw", "housing.cw"] {
            let c = app.sign_in(user).await;
            assert_eq!(app.profile(&c, 2).await.status(), 200);
            // Another client's read the same day is not the client's.
            assert_eq!(app.profile(&c, 3).await.status(), 200);
        }
        app.clock.advance(chrono::Duration::days(1));
    }
    let sys = app.sign_in("coc.admin").await;
    let found = entries(&app, &sys, "?hmis_number=H0001002&limit=500").await;
    let reads: Vec<&Value> = found
        .iter()
        .filter(|e| e["action"] == "read client profile")
        .collect();
    assert_eq!(reads.len(), 6, "{found:?}");
    assert!(found.iter().all(|e| e["hmis_number"] == "H0001002"));
    let ats: Vec<&str> = found.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = ats.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ats, sorted, "newest first");
    let users: std::collections::BTreeSet<&str> = reads
        .iter()
        .map(|e| e["username"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["housing.cw", "shelter.cw"].into());
    // One user, one day: the filters combine.
    let one = entries(
        &app,
        &sys,
        "?hmis_number=H0001002&user=6&from=2026-11-23&to=2026-11-23",
    )
    .await;
    assert_eq!(one.len(), 1, "{one:?}");

    for sql in [
        "UPDATE audit_client_days SET user_id = 1",
        "DELETE FROM audit_client_days",
    ] {
        assert!(
            sqlx::query(sql).execute(&app.pool).await.is_err(),
            "{sql} is refused"
        );
    }
}

/// The audit writer and the reader of the cache numbers share one kept database connection
/// (`server::batch::Kept`). When PostgreSQL ends it (a restart, an administrator's
/// `pg_terminate_backend`), reads still answer, and each answered read has its audit entry. On
/// SQLite, whose connections live in the server's process and cannot be ended from outside, the
/// reads and their entries are checked without that step.
#[tokio::test]
async fn p4_reads_go_on_when_the_database_ends_the_kept_connection() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let count = || app.audited_profile_reads(3);
    assert_eq!(app.profile(&c, 1).await.status(), 200);
    let before = count().await;
    if app.database.starts_with("postgres") {
        let ended: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()) t",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert!(ended >= 1, "the server's connections were ended");
    }
    for _ in 0..3 {
        assert_eq!(app.profile(&c, 1).await.status(), 200);
    }
    assert_eq!(count().await, before + 3);
}

#[tokio::test]
async fn p4_search_audits_each_returned_client() {
    use shared::api::endpoint::NoBody;
    use shared::api::endpoints::{self as ep, SearchQuery};
    let app = spawn_app().await;
    let cw = app.sign_in("outreach.cw").await;
    let before: (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let query = SearchQuery { q: "alex".into() };
    let found = app
        .call::<ep::SearchClients>(&cw, &[], &query, &NoBody)
        .await
        .ok();
    assert!(found.len() >= 2, "the demo has several Alexes: {found:?}");
    let rows: Vec<(Option<String>, String, String)> = sqlx::query_as(
        "SELECT hmis_number, action, reason FROM audit_log WHERE id > $1 ORDER BY id",
    )
    .bind(before.0)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    // One entry per returned client, naming its HMIS number, and nothing else.
    let mut audited: Vec<String> = rows
        .iter()
        .map(|(h, action, _)| {
            assert_eq!(action, "search clients");
            h.clone().expect("each search entry names a client")
        })
        .collect();
    audited.sort();
    let mut returned: Vec<String> = found.iter().map(|c| c.hmis_number.to_string()).collect();
    returned.sort();
    assert_eq!(audited, returned);
    // The search terms are never written into the log, in any row.
    let (with_terms,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log
         WHERE lower(action) LIKE '%alex%' OR lower(reason) LIKE '%alex%'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(with_terms, 0);
    // The log's query by client finds the search.
    let sys = app.sign_in("coc.admin").await;
    let by_client = entries(&app, &sys, &format!("?hmis_number={}", returned[0])).await;
    assert!(
        by_client
            .iter()
            .any(|e| e["action"] == "search clients" && e["username"] == "outreach.cw"),
        "{by_client:?}"
    );
    // A search that returns nothing is still audited, without a client.
    let none = SearchQuery { q: "zzzz".into() };
    let empty = app
        .call::<ep::SearchClients>(&cw, &[], &none, &NoBody)
        .await
        .ok();
    assert!(empty.is_empty());
    let (action, hmis): (String, Option<String>) =
        sqlx::query_as("SELECT action, hmis_number FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((action.as_str(), hmis), ("search clients", None));
}
