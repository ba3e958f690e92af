//! The OpenAPI 3.1 document of `/api/v1/`, generated from the code: each route module lists its
//! operations (`OPERATIONS`) beside its router, with examples built from the real wire types, and
//! the schemas are derived from those examples. Tests check that every routed method and path is
//! documented and that every documented one is routed.

use serde_json::{json, Map, Value};

/// One documented operation.
pub struct Op {
    /// Lower-case HTTP method.
    pub method: &'static str,
    /// Path under `/api/v1`, with `{name}` parameters.
    pub path: &'static str,
    pub summary: &'static str,
    /// Who may call it (the shared decisions say exactly; this is for readers).
    pub who: &'static str,
    pub request: Option<Example>,
    pub response: Option<Example>,
    /// The status codes it answers with.
    pub statuses: &'static [u16],
}

/// An error answer whose body is more than `ErrorBody` (e.g. the 409 of `POST /clients`).
pub struct ErrorDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub status: u16,
    pub body: Example,
}

/// An example value of a wire type, built from the type itself.
pub struct Example {
    pub name: &'static str,
    pub value: fn() -> Value,
}

/// `example!(Type, expr)`: an `Example` named after `Type`, serialised from `expr: Type`.
#[macro_export]
macro_rules! example {
    ($ty:ty, $value:expr) => {
        $crate::openapi::Example {
            name: stringify!($ty),
            value: || serde_json::to_value::<$ty>($value).unwrap_or(serde_json::Value::Null),
        }
    };
}

/// Every documented operation of the API.
pub fn operations() -> Vec<&'static Op> {
    crate::routes::OPERATIONS
        .iter()
        .flat_map(|ops| ops.iter())
        .collect()
}

fn status_text(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No content",
        401 => "Not signed in, or the session ended",
        403 => "Refused: the body's `reason` says why (or a missing CSRF header)",
        404 => "Not found, or not visible to the caller (indistinguishable)",
        409 => "Conflict with stored data",
        413 => "Body too large",
        422 => "Invalid input: the body's `field` names it",
        _ => "See the error body",
    }
}

/// A JSON Schema inferred from an example value.
fn schema_of(value: &Value) -> Value {
    match value {
        Value::Null => json!({}),
        Value::Bool(_) => json!({ "type": "boolean" }),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({ "type": "integer" }),
        Value::Number(_) => json!({ "type": "number" }),
        Value::String(s) => {
            let b = s.as_bytes();
            let date = s.len() == 10 && b[4] == b'-' && b[7] == b'-';
            let date_time = s.len() >= 19 && b[4] == b'-' && b[10] == b'T';
            match (date, date_time) {
                (true, _) => json!({ "type": "string", "format": "date" }),
                (_, true) => json!({ "type": "string", "format": "date-time" }),
                _ => json!({ "type": "string" }),
            }
        }
        Value::Array(items) => json!({
            "type": "array",
            "items": items.first().map(schema_of).unwrap_or(json!({})),
        }),
        Value::Object(fields) => {
            let properties: Map<String, Value> = fields
                .iter()
                .map(|(k, v)| (k.clone(), schema_of(v)))
                .collect();
            let required: Vec<&String> = fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k)
                .collect();
            json!({ "type": "object", "properties": properties, "required": required })
        }
    }
}

fn reference(example: &Example, schemas: &mut Map<String, Value>) -> Value {
    let name = example
        .name
        .replace("::", ".")
        .replace(['<', '>', ' '], "_");
    let value = (example.value)();
    schemas.entry(name.clone()).or_insert_with(|| {
        let mut s = schema_of(&value);
        if let Value::Object(o) = &mut s {
            o.insert("example".into(), value);
        }
        s
    });
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The whole document.
pub fn document() -> Value {
    let mut schemas = Map::new();
    let error = Example {
        name: "ErrorBody",
        value: || {
            serde_json::to_value(shared::api::ErrorBody {
                error: "q: type at least two characters".into(),
                field: Some("q".into()),
                reason: None,
            })
            .unwrap_or(Value::Null)
        },
    };
    let error_ref = reference(&error, &mut schemas);
    let mut paths = Map::new();
    for op in operations() {
        let mut responses = Map::new();
        // Every JSON body is read under the same limit (`routes::JSON_BODY_LIMIT`): 413 beyond it.
        let too_large = (op.request.is_some() && !op.statuses.contains(&413)).then_some(413);
        for code in op.statuses.iter().copied().chain(too_large) {
            let mut r = json!({ "description": status_text(code) });
            let special = crate::routes::ERROR_BODIES
                .iter()
                .flat_map(|docs| docs.iter())
                .find(|d| d.method == op.method && d.path == op.path && d.status == code);
            let body = if code < 300 {
                op.response.as_ref().map(|e| reference(e, &mut schemas))
            } else if let Some(doc) = special {
                Some(reference(&doc.body, &mut schemas))
            } else {
                Some(error_ref.clone())
            };
            if let Some(body) = body {
                r["content"] = json!({ "application/json": { "schema": body } });
            }
            responses.insert(code.to_string(), r);
        }
        let parameters: Vec<Value> = op
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| {
                json!({ "name": name, "in": "path", "required": true,
                        "schema": { "type": "integer" } })
            })
            .collect();
        let mut operation = json!({
            "summary": op.summary,
            "description": format!("Who may call it: {}.", op.who),
            "parameters": parameters,
            "responses": responses,
        });
        if let Some(req) = &op.request {
            operation["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": reference(req, &mut schemas) } },
            });
        }
        let item = paths
            .entry(format!("/api/v1{}", op.path))
            .or_insert_with(|| json!({}));
        item[op.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Hearth HMIS API",
            "version": "1",
            "description": "Every read and write is decided by Hearth's shared sharing and \
                data-resolution rules. Sessions are cookies (`hearth_session`); state-changing \
                requests need the header `x-hearth-csrf: 1`.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "hearth_session" },
            },
        },
        "security": [ { "session": [] } ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_inferred_from_examples() {
        let s = schema_of(&json!({ "a": 1, "b": "2026-11-22", "c": null, "d": [true] }));
        assert_eq!(s["properties"]["a"]["type"], "integer");
        assert_eq!(s["properties"]["b"]["format"], "date");
        assert_eq!(s["properties"]["d"]["items"]["type"], "boolean");
        assert_eq!(s["required"], json!(["a", "b", "d"]));
    }
}
