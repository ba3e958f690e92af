//! The OpenAPI 3.1 document of `/api/v1/`, generated from the one declaration per endpoint
//! (`shared::api::endpoints`) and the examples each route module gives for it (`documented!`),
//! built from the real wire types; schemas are derived from the examples. The document lists
//! exactly what `crate::routes::Api` routed: an endpoint cannot be routed
//! without being documented.

use serde::Serialize;
use serde_json::{json, Map, Value};
use shared::api::endpoint::{
    path_params, Endpoint, FileBody, FileDownload, NoBody, NoContent, QueryParams, Text,
};
use shared::api::endpoints::OpenApi;
use std::any::TypeId;

/// An example value of a wire type, with the name of its schema.
pub struct Example {
    pub name: String,
    pub value: Value,
}

impl Example {
    /// `name` is the type as the example names it (an alias gives a kind its own schema).
    pub fn new<T: Serialize>(name: &str, value: &T) -> Example {
        Example {
            name: name.replace("::", ".").replace(['<', '>', ' ', ','], "_"),
            value: serde_json::to_value(value).unwrap_or(Value::Null),
        }
    }
}

/// What the OpenAPI document needs of an endpoint beyond its declaration: examples of its body
/// and answer (typed: an example of another type does not compile), and error answers whose
/// body is more than `ErrorBody`. Implemented with `documented!`.
pub trait Documented: Endpoint + 'static {
    fn request() -> Option<Example> {
        None
    }
    fn response() -> Option<Example> {
        None
    }
    fn errors() -> Vec<(u16, Example)> {
        Vec::new()
    }
}

/// `documented!(Endpoint { request: Type = expr; response: Type = expr; error 409: Type = expr; })`:
/// the examples of one endpoint. `Type` may be an alias of the declared type (its schema is then
/// named after the alias); any other type is a compile error.
#[macro_export]
macro_rules! documented {
    ($ep:ty {
        $(request: $rty:ty = $req:expr;)?
        $(response: $sty:ty = $resp:expr;)?
        $(error $code:literal: $ety:ty = $err:expr;)*
    }) => {
        impl $crate::openapi::Documented for $ep {
            $(fn request() -> Option<$crate::openapi::Example> {
                let value: $rty = $req;
                let value: <$ep as shared::api::Endpoint>::Body = value;
                Some($crate::openapi::Example::new(stringify!($rty), &value))
            })?
            $(fn response() -> Option<$crate::openapi::Example> {
                let value: $sty = $resp;
                let value: <$ep as shared::api::Endpoint>::Response = value;
                Some($crate::openapi::Example::new(stringify!($sty), &value))
            })?
            fn errors() -> Vec<(u16, $crate::openapi::Example)> {
                vec![$(($code, {
                    let value: $ety = $err;
                    $crate::openapi::Example::new(stringify!($ety), &value)
                })),*]
            }
        }
    };
}

/// How a body or an answer travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    None,
    Json,
    /// Raw bytes with their own content type (uploads and downloads).
    File,
    Text,
    /// The OpenAPI document (JSON, but not a wire type of ours).
    OpenApi,
}

impl Payload {
    fn of<T: 'static>() -> Payload {
        let t = TypeId::of::<T>();
        if t == TypeId::of::<NoBody>() || t == TypeId::of::<NoContent>() {
            Payload::None
        } else if t == TypeId::of::<FileBody>() || t == TypeId::of::<FileDownload>() {
            Payload::File
        } else if t == TypeId::of::<Text>() {
            Payload::Text
        } else if t == TypeId::of::<OpenApi>() {
            Payload::OpenApi
        } else {
            Payload::Json
        }
    }
}

/// One routed operation as the document describes it.
pub struct OpDoc {
    /// Lower-case HTTP method.
    pub method: &'static str,
    /// Path under `/api/v1`, with `{name}` parameters.
    pub path: &'static str,
    pub summary: &'static str,
    pub who: &'static str,
    pub statuses: &'static [u16],
    pub query: &'static [(&'static str, &'static str)],
    pub body: Payload,
    pub response: Payload,
    pub request_example: Option<Example>,
    pub response_example: Option<Example>,
    pub errors: Vec<(u16, Example)>,
}

impl OpDoc {
    pub fn of<E: Documented>() -> OpDoc
    where
        E::Body: 'static,
        E::Response: 'static,
    {
        OpDoc {
            method: E::METHOD.as_str(),
            path: E::PATH,
            summary: E::SUMMARY,
            who: E::WHO,
            statuses: E::STATUSES,
            query: <E::Query as QueryParams>::PARAMS,
            body: Payload::of::<E::Body>(),
            response: Payload::of::<E::Response>(),
            request_example: E::request(),
            response_example: E::response(),
            errors: E::errors(),
        }
    }
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
    schemas.entry(example.name.clone()).or_insert_with(|| {
        let mut s = schema_of(&example.value);
        if let Value::Object(o) = &mut s {
            o.insert("example".into(), example.value.clone());
        }
        s
    });
    json!({ "$ref": format!("#/components/schemas/{}", example.name) })
}

/// The content types a file body or answer may have.
fn file_content() -> Value {
    let binary = json!({ "schema": { "type": "string", "format": "binary" } });
    json!({
        "application/pdf": binary,
        "image/jpeg": binary,
        "image/png": binary,
    })
}

/// The content of a successful answer.
fn answer_content(op: &OpDoc, schemas: &mut Map<String, Value>) -> Option<Value> {
    match op.response {
        Payload::None => None,
        Payload::Json => op
            .response_example
            .as_ref()
            .map(|e| json!({ "application/json": { "schema": reference(e, schemas) } })),
        Payload::File => Some(file_content()),
        Payload::Text => Some(json!({ "text/plain": { "schema": { "type": "string" } } })),
        Payload::OpenApi => Some(json!({ "application/json": { "schema": {
            "type": "object",
            "example": { "openapi": "3.1.0" },
        } } })),
    }
}

/// The whole document, of the operations `Api` routed.
pub fn document(ops: &[OpDoc]) -> Value {
    let mut schemas = Map::new();
    let error = Example::new(
        "ErrorBody",
        &shared::api::ErrorBody {
            error: "q: type at least two characters".into(),
            field: Some("q".into()),
            reason: None,
        },
    );
    let error_ref = reference(&error, &mut schemas);
    let mut paths = Map::new();
    for op in ops {
        let mut responses = Map::new();
        // Every JSON body is read under the same limit (`extract::JSON_BODY_LIMIT`): 413 beyond it.
        let too_large = (op.body == Payload::Json && !op.statuses.contains(&413)).then_some(413);
        for code in op.statuses.iter().copied().chain(too_large) {
            let mut r = json!({ "description": status_text(code) });
            let content = if code < 300 {
                answer_content(op, &mut schemas)
            } else {
                let body = match op.errors.iter().find(|(c, _)| *c == code) {
                    Some((_, special)) => reference(special, &mut schemas),
                    None => error_ref.clone(),
                };
                Some(json!({ "application/json": { "schema": body } }))
            };
            if let Some(content) = content {
                r["content"] = content;
            }
            responses.insert(code.to_string(), r);
        }
        let mut parameters: Vec<Value> = path_params(op.path)
            .map(|name| {
                json!({ "name": name, "in": "path", "required": true,
                        "schema": { "type": "integer" } })
            })
            .collect();
        parameters.extend(op.query.iter().map(|(name, description)| {
            json!({ "name": name, "in": "query", "required": false,
                    "description": description, "schema": { "type": "string" } })
        }));
        let mut operation = json!({
            "summary": op.summary,
            "description": format!("Who may call it: {}.", op.who),
            "parameters": parameters,
            "responses": responses,
        });
        let request_content = match (op.body, &op.request_example) {
            (Payload::Json, Some(req)) => {
                Some(json!({ "application/json": { "schema": reference(req, &mut schemas) } }))
            }
            (Payload::File, _) => Some(file_content()),
            _ => None,
        };
        if let Some(content) = request_content {
            operation["requestBody"] = json!({ "required": true, "content": content });
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

/// Values the examples of several route modules share.
pub mod examples {
    /// A date of the demo's calendar (today is 2026-11-22).
    pub fn ex_date(day: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default()
    }

    pub fn ex_hmis(n: u32) -> shared::HmisNumber {
        shared::HmisNumber::from_sequence(n).unwrap_or_else(|_| unreachable!())
    }
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
