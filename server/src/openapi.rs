//! The OpenAPI 3.1 document of `/api/v1/`, generated from the one declaration per endpoint
//! (`shared::api::endpoints`): the schemas are those of the real wire types (`schemars`, JSON
//! Schema 2020-12, from shared's `schema` feature: serde's attributes and the newtypes' own
//! patterns), and the examples each route module gives (`documented!`) are the operations'
//! `example`s. The document lists exactly what `crate::routes::Api` routed: an endpoint cannot
//! be routed without being documented.

use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;
use serde_json::{json, Map, Value};
use shared::api::endpoint::{
    path_params, Endpoint, FileBody, FileDownload, NoBody, NoContent, Text,
};
use shared::api::endpoints::OpenApi;
use shared::api::ErrorBody;
use std::any::TypeId;

/// Adds the schema of a type to a generator and answers how to refer to it.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema_ref<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

fn schema_inline<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    T::json_schema(generator)
}

/// An example value of a wire type, with the name it is given and its type's schema.
pub struct Example {
    pub name: String,
    pub value: Value,
    pub schema: SchemaFn,
}

impl Example {
    /// `name` is the type as the example names it (an alias names one kind of answer).
    pub fn new<T: Serialize + JsonSchema>(name: &str, value: &T) -> Example {
        Example {
            name: name.replace("::", ".").replace(['<', '>', ' ', ','], "_"),
            value: serde_json::to_value(value).unwrap_or(Value::Null),
            schema: schema_ref::<T>,
        }
    }
}

/// What the OpenAPI document needs of an endpoint beyond its declaration: examples of its body
/// and answer (typed: an example of another type does not compile), and error answers whose
/// body is more than `ErrorBody`. Implemented with `documented!`. Its wire types have schemas.
pub trait Documented:
    Endpoint<Query: JsonSchema, Body: JsonSchema + 'static, Response: JsonSchema + 'static> + 'static
{
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
/// the examples of one endpoint. `Type` may be an alias of the declared type (the example is
/// then named after the alias); any other type is a compile error.
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
    /// The endpoint's name in `shared::api::endpoints` (the `operationId`).
    pub name: &'static str,
    /// Lower-case HTTP method.
    pub method: &'static str,
    /// Path under `/api/v1`, with `{name}` parameters.
    pub path: &'static str,
    pub summary: &'static str,
    pub who: &'static str,
    pub statuses: &'static [u16],
    /// Callable without a session.
    pub public: bool,
    /// Changes state: needs the CSRF header.
    pub mutating: bool,
    /// A creating `POST`: takes an optional `Idempotency-Key` (`Endpoint::IDEMPOTENT_CREATE`).
    pub idempotent_create: bool,
    pub query: &'static [(&'static str, &'static str)],
    pub body: Payload,
    pub response: Payload,
    pub query_schema: SchemaFn,
    pub body_schema: SchemaFn,
    pub response_schema: SchemaFn,
    pub request_example: Option<Example>,
    pub response_example: Option<Example>,
    pub errors: Vec<(u16, Example)>,
}

impl OpDoc {
    pub fn of<E: Documented>() -> OpDoc {
        let name = std::any::type_name::<E>();
        OpDoc {
            name: name.rsplit("::").next().unwrap_or(name),
            method: E::METHOD.as_str(),
            path: E::PATH,
            summary: E::SUMMARY,
            who: E::WHO,
            statuses: E::STATUSES,
            public: E::PUBLIC,
            mutating: E::METHOD.is_mutating(),
            idempotent_create: E::accepts_idempotency_key(),
            query: <E::Query as shared::api::QueryParams>::PARAMS,
            body: Payload::of::<E::Body>(),
            response: Payload::of::<E::Response>(),
            query_schema: schema_inline::<E::Query>,
            body_schema: schema_ref::<E::Body>,
            response_schema: schema_ref::<E::Response>,
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

/// The content types a file body or answer may have.
fn file_content() -> Value {
    let binary = json!({ "schema": { "type": "string", "format": "binary" } });
    json!({
        "application/pdf": binary,
        "application/zip": binary,
        "image/jpeg": binary,
        "image/png": binary,
        "text/csv": binary,
    })
}

/// A JSON media type: the schema, and the example if there is one.
fn json_content(schema: Schema, example: Option<&Example>) -> Value {
    let mut media = json!({ "schema": schema });
    if let Some(e) = example {
        media["example"] = e.value.clone();
    }
    json!({ "application/json": media })
}

/// The content of a successful answer.
fn answer_content(op: &OpDoc, generator: &mut SchemaGenerator) -> Option<Value> {
    match op.response {
        Payload::None => None,
        Payload::Json => Some(json_content(
            (op.response_schema)(generator),
            op.response_example.as_ref(),
        )),
        Payload::File => Some(file_content()),
        Payload::Text => Some(json!({ "text/plain": { "schema": { "type": "string" } } })),
        Payload::OpenApi => Some(json_content((op.response_schema)(generator), None)),
    }
}

/// A query parameter's schema: an absent parameter is how a query says `None`, so the `null`
/// of an `Option` is not a value it can take.
fn without_null(mut schema: Value) -> Value {
    if let Some(types) = schema.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            schema["type"] = types[0].clone();
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let rest: Vec<Value> = any
            .iter()
            .filter(|s| s.get("type").is_none_or(|t| t != "null"))
            .cloned()
            .collect();
        if let [only] = rest.as_slice() {
            return only.clone();
        }
    }
    schema
}

/// The parameters of an operation: its path ids, its query (from the query type's schema) and,
/// on a state-changing request, the CSRF header.
fn parameters(op: &OpDoc, generator: &mut SchemaGenerator) -> Vec<Value> {
    let mut out: Vec<Value> = path_params(op.path)
        .map(|name| {
            json!({ "name": name, "in": "path", "required": true,
                    "schema": { "type": "integer", "format": "int64",
                                "minimum": shared::ids::MIN_ID } })
        })
        .collect();
    let query = serde_json::to_value((op.query_schema)(generator)).unwrap_or_default();
    let required: Vec<&str> = query["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (name, description) in op.query {
        let schema = without_null(query["properties"][*name].clone());
        out.push(
            json!({ "name": name, "in": "query", "required": required.contains(name),
                         "description": description, "schema": schema }),
        );
    }
    if op.idempotent_create {
        use shared::api::idempotency::{KEY_HEADER, MAX_KEY_LEN, REPLAYED_HEADER};
        out.push(json!({
            "name": KEY_HEADER, "in": "header", "required": false,
            "description": format!("Makes a retry safe: a repeat with the same key and body, by the \
                same user, within {} hours, answers the first answer again (with \
                `{REPLAYED_HEADER}: true`) and stores nothing new; the same key with another \
                request is 422, a key whose first request is still being answered (or whose \
                answer was lost) 409. One key per submitted form.",
                shared::api::idempotency::KEY_LIFETIME_HOURS),
            "schema": { "type": "string", "minLength": 1, "maxLength": MAX_KEY_LEN,
                        "pattern": "^[!-~]+$" },
        }));
    }
    if op.mutating {
        out.push(json!({
            "name": crate::web::CSRF_HEADER, "in": "header", "required": true,
            "description": "CSRF guard: every state-changing request carries it (else 403)",
            "schema": { "type": "string", "enum": ["1"] },
        }));
    }
    out
}

/// A generator of the document's schemas: JSON Schema 2020-12 (OpenAPI 3.1's dialect), every
/// named schema under `components/schemas`, for what the server reads (`Deserialize`: an
/// `Option` may be absent, `default`s apply) or writes (`Serialize`: every field serde writes is
/// required, `null` included).
fn generator(contract: Contract) -> SchemaGenerator {
    let mut settings = SchemaSettings::draft2020_12();
    settings.contract = contract;
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    settings.into_generator()
}

/// The generators of what the server reads and of what it writes.
struct Generators {
    reads: SchemaGenerator,
    writes: SchemaGenerator,
}

/// One operation of the document.
fn operation(op: &OpDoc, generators: &mut Generators) -> Value {
    let Generators { reads, writes } = generators;
    let mut responses = Map::new();
    // Every JSON body is read under the same limit (`extract::JSON_BODY_LIMIT`): 413 beyond it.
    let too_large = (op.body == Payload::Json && !op.statuses.contains(&413)).then_some(413);
    // A creating POST's key adds its own answers (`idempotency::KEY_STATUSES`).
    let keyed = shared::api::idempotency::KEY_STATUSES
        .iter()
        .copied()
        .filter(|c| op.idempotent_create && !op.statuses.contains(c));
    let mut codes: Vec<u16> = op
        .statuses
        .iter()
        .copied()
        .chain(too_large)
        .chain(keyed)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    for code in codes {
        let mut r = json!({ "description": status_text(code) });
        let content = if code < 300 {
            answer_content(op, writes)
        } else {
            Some(match op.errors.iter().find(|(c, _)| *c == code) {
                Some((_, special)) => json_content((special.schema)(writes), Some(special)),
                None => json_content(schema_ref::<ErrorBody>(writes), None),
            })
        };
        if let Some(content) = content {
            r["content"] = content;
        }
        responses.insert(code.to_string(), r);
    }
    let mut operation = json!({
        "operationId": op.name,
        "summary": op.summary,
        "description": format!("Who may call it: {}.", op.who),
        "parameters": parameters(op, reads),
        "responses": responses,
    });
    if op.public {
        operation["security"] = json!([]);
    }
    let request_content = match op.body {
        Payload::Json => Some(json_content(
            (op.body_schema)(reads),
            op.request_example.as_ref(),
        )),
        Payload::File => Some(file_content()),
        _ => None,
    };
    if let Some(content) = request_content {
        operation["requestBody"] = json!({ "required": true, "content": content });
    }
    operation
}

/// The whole document, of the operations `Api` routed.
pub fn document(ops: &[OpDoc]) -> Value {
    build(ops).0
}

/// The wire types the server both reads and writes whose two schemas differ (they would need
/// two names; a test keeps this empty).
pub fn shape_conflicts(ops: &[OpDoc]) -> Vec<String> {
    build(ops).1
}

fn build(ops: &[OpDoc]) -> (Value, Vec<String>) {
    let mut generators = Generators {
        reads: generator(Contract::Deserialize),
        writes: generator(Contract::Serialize),
    };
    let mut paths = Map::new();
    for op in ops {
        let item = paths
            .entry(format!("/api/v1{}", op.path))
            .or_insert_with(|| json!({}));
        item[op.method] = operation(op, &mut generators);
    }
    let mut schemas = generators.writes.take_definitions(true);
    let mut conflicts = Vec::new();
    for (name, read) in generators.reads.take_definitions(true) {
        match schemas.get(&name) {
            Some(written) if *written != read => conflicts.push(name),
            Some(_) => {}
            None => {
                schemas.insert(name, read);
            }
        }
    }
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Hearth HMIS API",
            "version": "1",
            "description": "Every read and write is decided by Hearth's shared sharing and \
                data-resolution rules. Sessions are cookies (`hearth_session`); state-changing \
                requests need the header `x-hearth-csrf: 1`.",
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "hearth_session" },
            },
        },
        "security": [ { "session": [] } ],
    });
    (doc, conflicts)
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
