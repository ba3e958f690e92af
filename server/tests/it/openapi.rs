//! The OpenAPI document is generated from the one declaration per endpoint and cannot drift from
//! the router: `Api` routes and documents each endpoint together.

use crate::support::spawn_app;
use server::openapi::Payload;
use std::collections::BTreeSet;

/// Every operation `Api` routed is in the served document with exactly its declared statuses
/// (and 413 where it reads a JSON body), once; the document has no operation that is not routed.
/// Both come from the one declaration per endpoint (`shared::api::endpoints`), not from a scan of
/// the source.
#[test]
fn every_routed_operation_is_documented_with_its_statuses_and_nothing_else_is() {
    let ops = server::routes::operations();
    let doc = server::routes::openapi_document();
    assert!(ops.len() >= 72, "{} operations routed", ops.len());
    let mut seen = BTreeSet::new();
    for op in &ops {
        assert!(
            seen.insert((op.method, op.path)),
            "{} {} is routed once",
            op.method,
            op.path
        );
        let documented = &doc["paths"][format!("/api/v1{}", op.path)][op.method];
        assert!(
            documented.is_object(),
            "{} {} is documented",
            op.method,
            op.path
        );
        assert!(!op.summary.is_empty() && !op.who.is_empty());
        let mut statuses: BTreeSet<u16> = documented["responses"]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.parse().unwrap())
            .collect();
        if op.body == Payload::Json {
            assert!(statuses.remove(&413) || op.statuses.contains(&413));
        }
        let declared: BTreeSet<u16> = op.statuses.iter().copied().collect();
        assert_eq!(statuses, declared, "{} {}", op.method, op.path);
    }
    let in_document: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(
        in_document,
        ops.len(),
        "the document has only routed operations"
    );
}

/// A JSON body or answer is described by a schema of its wire type, with an example.
#[test]
fn every_json_body_and_answer_has_a_schema_with_an_example() {
    let doc = server::routes::openapi_document();
    for op in server::routes::operations() {
        let operation = &doc["paths"][format!("/api/v1{}", op.path)][op.method];
        let success = op.statuses.iter().find(|s| **s < 300).unwrap();
        let schema = &operation["responses"][success.to_string()]["content"]["application/json"]
            ["schema"]["$ref"];
        if op.response == Payload::Json {
            let name = schema.as_str().unwrap().rsplit('/').next().unwrap();
            assert!(
                doc["components"]["schemas"][name]["example"] != serde_json::Value::Null,
                "{} {}: {name}",
                op.method,
                op.path
            );
        }
        if op.body == Payload::Json {
            assert!(
                operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                    .is_string(),
                "{} {}",
                op.method,
                op.path
            );
        }
    }
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
    assert!(doc["components"]["schemas"]["ClientProfile"]["properties"]["withheld_by"].is_object());

    let c = app.sign_in("coc.admin").await;
    // Sign-in (its example signs in another user, replacing the cookie) and sign-out last, so
    // every other operation is called as coc.admin.
    let mut ops = server::routes::operations();
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
        if let Some(example) = &op.request_example {
            req = req.json(&example.value);
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
    for op in server::routes::operations() {
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
    let doc = server::routes::openapi_document();
    let (audit_before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // A valid JSON string just over 1 MiB.
    let big = format!("\"{}\"", "x".repeat(1024 * 1024));
    let mut checked = 0;
    for op in server::routes::operations() {
        if op.body != Payload::Json {
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
    let doc = server::routes::openapi_document();
    let schema = &doc["paths"]["/api/v1/clients"]["post"]["responses"]["409"]["content"]
        ["application/json"]["schema"]["$ref"];
    let name = schema.as_str().unwrap().rsplit('/').next().unwrap();
    let properties = &doc["components"]["schemas"][name]["properties"];
    assert!(properties.get("possible_duplicates").is_some(), "{name}");
    assert!(properties.get("field").is_some(), "{name}");
}
