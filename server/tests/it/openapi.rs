//! The OpenAPI document is generated from the code and cannot drift from the router: every routed
//! method and path is documented, and every documented one is routed.

use crate::support::spawn_app;
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// (method, path) of every `.route("PATH", get(..).post(..))` in the route modules' source.
fn routed() -> BTreeSet<(String, String)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut files = vec![format!("{root}/routes.rs")];
    // Every file under `routes/`, submodule folders (`routes/records/`) included.
    let mut dirs = vec![std::path::PathBuf::from(format!("{root}/routes"))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path.display().to_string());
            }
        }
    }
    let mut out = BTreeSet::new();
    for file in files {
        let src = std::fs::read_to_string(&file).unwrap();
        let mut rest = src.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let Some(q1) = rest.find('"') else { break };
            let Some(q2) = rest[q1 + 1..].find('"') else {
                break;
            };
            let path = rest[q1 + 1..q1 + 1 + q2].to_owned();
            // Scan the call's arguments at depth 1 for method-router calls.
            let (mut depth, mut i) = (1, q1 + q2 + 2);
            let bytes = rest.as_bytes();
            while i < bytes.len() && depth > 0 {
                match bytes[i] {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ if depth == 1 => {
                        for m in METHODS {
                            let tail = &rest[i..];
                            let boundary = i == 0
                                || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_';
                            if boundary && tail.starts_with(m) && tail[m.len()..].starts_with('(') {
                                out.insert((m.to_owned(), path.clone()));
                            }
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
    }
    out
}

#[test]
fn every_routed_endpoint_is_documented_and_every_documented_one_is_routed() {
    let documented: BTreeSet<(String, String)> = server::openapi::operations()
        .iter()
        .map(|op| (op.method.to_owned(), op.path.to_owned()))
        .collect();
    let routed = routed();
    assert!(
        routed.len() >= 6,
        "the source scan found the routes: {routed:?}"
    );
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty(),
        "routed but not in OPERATIONS: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "documented but not routed: {unrouted:?}"
    );
}

#[tokio::test]
async fn the_document_is_served_and_every_operation_answers() {
    let app = spawn_app().await;
    let doc: serde_json::Value = reqwest::get(app.url("/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/clients/{id}"]["get"]["responses"]["200"].is_object());
    assert!(
        doc["components"]["schemas"]["ClientProfile"]["properties"]["hidden_count"].is_object()
    );

    let c = app.sign_in("coc.admin").await;
    // Sign-in (its example signs in another user, replacing the cookie) and sign-out last, so
    // every other operation is called as coc.admin.
    let mut ops = server::openapi::operations();
    ops.sort_by_key(|op| match (op.method, op.path) {
        ("post", "/session") => 1,
        ("delete", "/session") => 2,
        _ => 0,
    });
    for op in ops {
        let path = op
            .path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "1" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let method = reqwest::Method::from_bytes(op.method.to_uppercase().as_bytes()).unwrap();
        let mut req = c.request(method, app.url(&path));
        if let Some(example) = &op.request {
            req = req.json(&(example.value)());
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        assert_ne!(status, 405, "{} {} is routed", op.method, op.path);
        assert!(
            !body.contains("no such endpoint"),
            "{} {} is routed",
            op.method,
            op.path
        );
        assert!(
            op.statuses.contains(&status),
            "{} {} answered {status}, which its documentation does not list",
            op.method,
            op.path
        );
    }
}

/// No operation documents 400: an `{id}` that is not a number is 404 in the error format, like an
/// id that does not exist.
#[tokio::test]
async fn a_path_id_that_is_not_a_number_is_a_documented_404() {
    let app = spawn_app().await;
    let c = app.sign_in("coc.admin").await;
    for op in server::openapi::operations() {
        if !op.path.contains('{') || op.method != "get" {
            continue;
        }
        let path = op.path.replace("{id}", "abc");
        let res = c.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 404, "GET {path}");
        assert!(op.statuses.contains(&404), "GET {} documents 404", op.path);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"], "not found", "GET {path}");
    }
}

/// Bad input loses nothing: a JSON body over the limit is 413 naming the body, on every operation
/// that reads one, and the operation documents it.
#[tokio::test]
async fn p3_a_json_body_over_the_limit_is_a_documented_413_naming_the_body() {
    let app = spawn_app().await;
    let c = app.sign_in("coc.admin").await;
    let doc = server::openapi::document();
    let (audit_before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // A valid JSON string just over 1 MiB.
    let big = format!("\"{}\"", "x".repeat(1024 * 1024));
    let mut checked = 0;
    for op in server::openapi::operations() {
        if op.request.is_none() {
            continue;
        }
        let path = op.path.replace("{id}", "1");
        let method = reqwest::Method::from_bytes(op.method.to_uppercase().as_bytes()).unwrap();
        let res = c
            .request(method, app.url(&path))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 413, "{} {}", op.method, op.path);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["field"], "body", "{} {}", op.method, op.path);
        assert!(
            doc["paths"][format!("/api/v1{}", op.path)][op.method]["responses"]
                .get("413")
                .is_some(),
            "{} {} documents 413",
            op.method,
            op.path
        );
        checked += 1;
    }
    assert!(checked > 20, "{checked} operations read a JSON body");
    let (audit_after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        audit_before, audit_after,
        "no request got as far as a write"
    );
}

/// S-1's duplicate check answers more than an error: the document says so.
#[test]
fn s1_the_duplicate_answer_of_intake_is_documented_with_its_hmis_numbers() {
    let doc = server::openapi::document();
    let schema = &doc["paths"]["/api/v1/clients"]["post"]["responses"]["409"]["content"]
        ["application/json"]["schema"]["$ref"];
    let name = schema.as_str().unwrap().rsplit('/').next().unwrap();
    let properties = &doc["components"]["schemas"][name]["properties"];
    assert!(properties.get("possible_duplicates").is_some(), "{name}");
    assert!(properties.get("field").is_some(), "{name}");
}
