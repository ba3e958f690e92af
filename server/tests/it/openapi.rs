//! The OpenAPI document is generated from the one declaration per endpoint and cannot drift from
//! the router: `Api` routes and documents each endpoint together.

use crate::support::{client, spawn_app};
use serde_json::Value;
use server::openapi::Payload;
use std::collections::BTreeSet;

/// The schema a `$ref` names (`#/components/schemas/X`), or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.strip_prefix("#/components/schemas/").unwrap();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Whether a property's schema admits `null` (`type: [.., "null"]`, or an `anyOf` with it).
fn admits_null(schema: &Value) -> bool {
    let t = &schema["type"];
    t == "null"
        || t.as_array()
            .is_some_and(|ts| ts.iter().any(|t| t == "null"))
        || schema["anyOf"]
            .as_array()
            .is_some_and(|any| any.iter().any(admits_null))
}

fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let schema = &doc["components"]["schemas"][name];
    assert!(schema.is_object(), "components/schemas/{name}");
    schema
}

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref") {
                out.push(r);
            }
            o.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The schemas are the wire types': a field the server writes as `null` is declared nullable,
/// and stays required (serde writes it); a field it leaves out is not required.
#[test]
fn a_field_the_server_writes_as_null_is_declared_nullable() {
    let doc = server::routes::openapi_document();
    for (ty, field) in [
        ("IntakeView", "middle_name"),
        ("RecordMeta", "security"),
        ("Roi", "document"),
        ("ServiceDetails", "enrollment_id"),
        ("ClientSummary", "date_of_birth"),
        ("NotificationView", "read_at"),
    ] {
        let schema = component(doc, ty);
        assert!(
            admits_null(&schema["properties"][field]),
            "{ty}.{field}: {}",
            schema["properties"][field]
        );
        assert!(
            schema["required"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == field),
            "{ty}.{field} is always written"
        );
    }
}

/// `ErrorBody` leaves out `field` and `reason` when it has none (`skip_serializing_if`): they
/// are not required, and only `error` is.
#[test]
fn the_error_body_requires_only_error() {
    let doc = server::routes::openapi_document();
    let schema = component(doc, "ErrorBody");
    assert_eq!(schema["required"], serde_json::json!(["error"]));
    assert!(schema["properties"]["field"].is_object());
    assert!(schema["properties"]["reason"].is_object());
}

/// The rest of serde's attributes: `deny_unknown_fields` is `additionalProperties: false`, a
/// tagged enum requires its tag, an incomplete MOU says what is missing, timestamps without an
/// offset are not `date-time`, and HMIS numbers have their pattern.
#[test]
fn the_schemas_say_what_serde_does() {
    let doc = server::routes::openapi_document();
    for ty in ["NewUser", "LoginRequest", "NewClientRequest", "NoteInput"] {
        assert_eq!(
            component(doc, ty)["additionalProperties"],
            false,
            "{ty} refuses unknown fields"
        );
    }
    // `MouView` flattens its `MouStatus`: each status is a branch, `incomplete` with both lists.
    let mou = serde_json::to_string(component(doc, "MouView")).unwrap();
    assert!(
        mou.contains(r#""required":["status","missing_signatures","missing_document"]"#),
        "{mou}"
    );
    let audit = component(doc, "AuditEntryView");
    assert_eq!(audit["properties"]["at"]["format"], "partial-date-time");
    let hmis = component(doc, "HmisNumber");
    assert_eq!(hmis["pattern"], "^H[0-9]{7}$");
    let role = component(doc, "Role");
    let values: Vec<&Value> = role["oneOf"]
        .as_array()
        .map(|v| v.iter().map(|v| &v["const"]).collect())
        .or_else(|| role["enum"].as_array().map(|v| v.iter().collect()))
        .unwrap();
    assert_eq!(values, ["Caseworker", "AgencyAdmin", "SystemAdmin"]);
    // HUD's lists: their stored texts; the race set an array of them; a CoC code its pattern.
    let sex = serde_json::to_string(component(doc, "Sex")).unwrap();
    for t in shared::hud::Sex::ALL {
        assert!(sex.contains(&format!("\"{}\"", t.as_str())), "{sex}");
    }
    let races = component(doc, "RaceEthnicitySet");
    assert_eq!(
        (&races["type"], &races["minItems"]),
        (&"array".into(), &1.into())
    );
    assert_eq!(component(doc, "CocCode")["type"], "string");
    // An intake change names its field in either case, documented variants or not.
    let field = &component(doc, "IntakeChangeRequest")["properties"]["field"]["enum"];
    for name in [
        "date_of_birth",
        "DateOfBirth",
        "sex",
        "Sex",
        "veteran_status",
    ] {
        assert!(
            field.as_array().unwrap().contains(&name.into()),
            "{name}: {field}"
        );
    }
}

/// Every `$ref` of the document names a schema in `components/schemas`, and every named schema
/// is used.
#[test]
fn every_ref_resolves() {
    let doc = server::routes::openapi_document();
    let mut found = Vec::new();
    refs(doc, &mut found);
    assert!(found.len() > 100, "{} refs", found.len());
    for r in &found {
        let reference = serde_json::json!({ "$ref": r });
        let target = resolve(doc, &reference);
        assert!(target.is_object() || target.is_boolean(), "{r} resolves");
    }
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        let r = format!("#/components/schemas/{name}");
        assert!(found.contains(&r.as_str()), "{name} is used");
    }
}

/// The document is OpenAPI 3.1 in the shape its readers need: each operation has a unique
/// `operationId` (the endpoint's name), path ids are integers from 1, and every state-changing
/// request declares the CSRF header as required with its one value.
#[test]
fn the_document_is_well_formed_openapi_3_1() {
    let doc = server::routes::openapi_document();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_owned()), "{id} is unique");
            assert!(!op["responses"].as_object().unwrap().is_empty());
            let params = op["parameters"].as_array().unwrap();
            for p in params {
                assert!(
                    p["name"].is_string() && p["schema"].is_object(),
                    "{id}: {p}"
                );
                if p["in"] == "path" {
                    assert_eq!(p["schema"]["type"], "integer", "{id}");
                    assert_eq!(p["schema"]["minimum"], 1, "{id}");
                    assert!(path.contains(&format!("{{{}}}", p["name"].as_str().unwrap())));
                }
            }
            let csrf = params.iter().find(|p| p["name"] == "x-hearth-csrf");
            if method == "get" {
                assert!(csrf.is_none(), "{id}");
            } else {
                let csrf = csrf.unwrap_or_else(|| panic!("{id} declares the CSRF header"));
                assert_eq!(csrf["in"], "header");
                assert_eq!(csrf["required"], true);
                assert_eq!(csrf["schema"]["enum"], serde_json::json!(["1"]));
                assert!(op["responses"].get("403").is_some(), "{id}: 403 without it");
            }
        }
    }
}

/// Query parameters have their types: integers for ids and pages, dates, enums of the values
/// the server accepts.
#[test]
fn query_parameters_are_typed() {
    let doc = server::routes::openapi_document();
    let param = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} ?{name}"))
            .clone()
    };
    assert_eq!(param("/api/v1/audit", "limit")["schema"]["type"], "integer");
    assert_eq!(
        param("/api/v1/audit", "limit")["schema"]["maximum"],
        shared::api::endpoints::AUDIT_MAX_LIMIT
    );
    assert_eq!(param("/api/v1/audit", "from")["schema"]["format"], "date");
    assert_eq!(
        param("/api/v1/programs", "org")["schema"]["type"],
        "integer"
    );
    assert_eq!(
        param("/api/v1/conflicts", "state")["schema"]["enum"],
        serde_json::json!(shared::resolution::ConflictState::NAMES)
    );
    let q = param("/api/v1/clients", "q");
    assert_eq!(q["schema"]["minLength"], shared::text::SEARCH_MIN_CHARS);
}

/// `security: []` is true: the operations that declare it answer without a session, and every
/// other one answers 401 without one (before it reads its body or its ids).
#[tokio::test]
async fn an_operation_needs_a_session_exactly_when_the_document_says_so() {
    let app = spawn_app().await;
    let doc = server::routes::openapi_document();
    let mut public = Vec::new();
    for op in server::routes::operations() {
        let documented = &doc["paths"][format!("/api/v1{}", op.path)][op.method];
        let declared_public = documented["security"] == serde_json::json!([]);
        assert_eq!(declared_public, op.public, "{} {}", op.method, op.path);
        let path = op.path.replace("{id}", "1");
        let method = reqwest::Method::from_bytes(op.method.to_uppercase().as_bytes()).unwrap();
        // A fresh client each time: the sign-in example would otherwise keep its cookie.
        let mut req = client().request(method, app.url(&path));
        if let Some(example) = &op.request_example {
            req = req.json(&example.value);
        }
        let status = req.send().await.unwrap().status().as_u16();
        if op.public {
            assert!(status < 300, "{} {} answered {status}", op.method, op.path);
            public.push(op.name);
        } else {
            assert_eq!(status, 401, "{} {} without a session", op.method, op.path);
        }
    }
    public.sort();
    assert_eq!(public, ["Health", "OpenApiDocument", "SignIn"]);
}

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
        let mut declared: BTreeSet<u16> = op.statuses.iter().copied().collect();
        if op.idempotent_create {
            declared.extend(shared::api::idempotency::KEY_STATUSES);
        }
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

/// A JSON body or answer is described by the schema of its wire type (in `components/schemas`),
/// and carries the route module's example where it gives one.
#[test]
fn every_json_body_and_answer_has_a_schema_of_its_type_and_its_example() {
    let doc = server::routes::openapi_document();
    for op in server::routes::operations() {
        let operation = &doc["paths"][format!("/api/v1{}", op.path)][op.method];
        let success = op.statuses.iter().find(|s| **s < 300).unwrap();
        let media = &operation["responses"][success.to_string()]["content"]["application/json"];
        if op.response == Payload::Json {
            assert!(media["schema"].is_object(), "{} {}", op.method, op.path);
            if let Some(example) = &op.response_example {
                assert_eq!(media["example"], example.value, "{} {}", op.method, op.path);
            }
        }
        if op.body == Payload::Json {
            let media = &operation["requestBody"]["content"]["application/json"];
            assert!(media["schema"].is_object(), "{} {}", op.method, op.path);
            if let Some(example) = &op.request_example {
                assert_eq!(media["example"], example.value, "{} {}", op.method, op.path);
            }
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

/// One schema per name: no wire type the server both reads and writes has two shapes.
#[test]
fn a_type_read_and_written_has_one_schema() {
    let ops = server::routes::operations();
    assert_eq!(server::openapi::shape_conflicts(&ops), Vec::<String>::new());
}

/// The statuses every operation can answer by its shape are documented: 401 without a session
/// (unless public), 403 without the CSRF header (state-changing), 404 for a path id that does
/// not exist, 422 and 413 for a JSON body that is not the declared one or too large.
#[test]
fn the_statuses_an_operation_answers_by_its_shape_are_documented() {
    let doc = server::routes::openapi_document();
    for op in server::routes::operations() {
        let responses = &doc["paths"][format!("/api/v1{}", op.path)][op.method]["responses"];
        let has = |code: &str| responses.get(code).is_some();
        let what = format!("{} {}", op.method, op.path);
        assert_eq!(has("401"), !op.public || op.name == "SignIn", "{what}: 401");
        if op.mutating {
            assert!(has("403"), "{what}: 403");
        }
        if op.path.contains('{') {
            assert!(has("404"), "{what}: 404");
        }
        if op.body == Payload::Json {
            assert!(has("422") && has("413"), "{what}: 422 and 413");
        }
    }
}

/// Exactly the creating POSTs (`Endpoint::IDEMPOTENT_CREATE`) declare the optional
/// `Idempotency-Key` header and the 409 and 422 it may add.
#[test]
fn creating_posts_declare_the_idempotency_key_and_nothing_else_does() {
    use shared::api::idempotency::{KEY_HEADER, KEY_STATUSES};
    let doc = server::routes::openapi_document();
    let mut keyed = 0;
    for op in server::routes::operations() {
        let o = &doc["paths"][format!("/api/v1{}", op.path)][op.method];
        let header = o["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == KEY_HEADER && p["in"] == "header");
        assert_eq!(
            header.is_some(),
            op.idempotent_create,
            "{} {}",
            op.method,
            op.path
        );
        if let Some(h) = header {
            keyed += 1;
            assert_eq!(h["required"], false);
            for code in KEY_STATUSES {
                assert!(
                    o["responses"].get(code.to_string()).is_some(),
                    "{}: {code}",
                    op.path
                );
            }
        }
    }
    assert_eq!(keyed, 22, "the creating POSTs");
}

/// Free-text request fields declare the longest text the server accepts, from the same
/// constants `shared::text` checks with (the schema is no looser than the server).
#[test]
fn free_text_fields_declare_the_server_s_own_length_limits() {
    use shared::text::*;
    let doc = server::routes::openapi_document();
    for (schema, field, max) in [
        ("NoteInput", "text", NOTE_MAX_CHARS),
        ("NewService", "description", NOTE_MAX_CHARS),
        ("NewContact", "value", CONTACT_VALUE_MAX_CHARS),
        ("NewEnrollment", "case_name", SHORT_TEXT_MAX_CHARS),
        ("NewOrganization", "name", SHORT_TEXT_MAX_CHARS),
        ("AttachmentPatch", "file_name", FILE_NAME_MAX_CHARS),
        ("LoginRequest", "username", LOGIN_USERNAME_MAX_CHARS),
        ("NewMouRequest", "name", shared::actions::MOU_NAME_MAX_CHARS),
    ] {
        let declared = &component(doc, schema)["properties"][field]["maxLength"];
        assert_eq!(declared, max, "{schema}.{field}");
    }
}
