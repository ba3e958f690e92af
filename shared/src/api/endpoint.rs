//! What an endpoint of `/api/v1` is: its method, path, wire types, documentation and the statuses
//! it answers with, declared once (`super::endpoints`) and read by the server's router, its
//! OpenAPI document and the app's typed client alike.
//!
//! A declaration names types only; it carries no behaviour. The server routes an endpoint with
//! `Api::at::<E>(handler)`, which also documents it, so nothing can be routed undocumented; the
//! app calls `api::call::<E>(…)`, so it cannot name a path or send a body the server has not
//! declared.

use serde::{Deserialize, Serialize};

/// An HTTP method of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// Lower-case, as OpenAPI writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Patch => "patch",
            Method::Delete => "delete",
        }
    }

    /// Whether a request changes state (and so needs the CSRF header).
    pub const fn is_mutating(self) -> bool {
        !matches!(self, Method::Get)
    }
}

/// One operation of the API.
pub trait Endpoint {
    const METHOD: Method;
    /// The path under `/api/v1`, with `{name}` for each (numeric) path parameter.
    const PATH: &'static str;
    /// One sentence: what it does.
    const SUMMARY: &'static str;
    /// Who may call it (the shared decisions say exactly; this is for readers).
    const WHO: &'static str;
    /// Every status it answers with.
    const STATUSES: &'static [u16];
    /// Callable without a session (the server reads no session cookie for it).
    const PUBLIC: bool = false;
    /// The query string (`NoQuery` for none).
    type Query: QueryParams;
    /// The request body: a JSON wire type, `NoBody`, or `FileBody` (raw bytes).
    type Body: Serialize;
    /// The answer: a JSON wire type, `NoContent` (204), `FileDownload` (raw bytes) or `Text`.
    type Response;
    /// Whether it is a creating `POST` (it answers 201), and so takes an `Idempotency-Key`
    /// header: a repeat with the same key and body gets the first answer and stores nothing new
    /// (`super::idempotency`). Derived from `METHOD` and `STATUSES`, never declared by hand, so a
    /// creating endpoint cannot be routed without it.
    const IDEMPOTENT_CREATE: bool = is_idempotent_create(Self::METHOD, Self::STATUSES);

    /// `IDEMPOTENT_CREATE`, for the OpenAPI document: whether to list the `Idempotency-Key`
    /// header parameter (and the statuses it adds, `idempotency::KEY_STATUSES`).
    fn accepts_idempotency_key() -> bool {
        Self::IDEMPOTENT_CREATE
    }

    /// The path with its parameters filled in, in order (`{id}` → `ids[0]`, …). A parameter
    /// without a value stays as it is written, which the server answers with 404.
    fn path(ids: &[i64]) -> String {
        let mut out = String::with_capacity(Self::PATH.len() + 8);
        let mut ids = ids.iter();
        for (i, seg) in Self::PATH.split('/').enumerate() {
            if i > 0 {
                out.push('/');
            }
            let id = if seg.starts_with('{') {
                ids.next()
            } else {
                None
            };
            match id {
                Some(id) => out.push_str(&id.to_string()),
                None => out.push_str(seg),
            }
        }
        out
    }
}

/// Whether an endpoint of `method` answering `statuses` creates something: a `POST` that answers
/// 201. Other `POST`s (sign-in, conflict steps, revocations, signatures, password changes) change
/// state that a repeat finds already changed and answers 409 or the same state again, so they
/// need no key (see `docs/decisions.md`, "Retries are safe").
pub const fn is_idempotent_create(method: Method, statuses: &[u16]) -> bool {
    if !matches!(method, Method::Post) {
        return false;
    }
    let mut i = 0;
    while i < statuses.len() {
        if statuses[i] == 201 {
            return true;
        }
        i += 1;
    }
    false
}

/// The names of a path's parameters, in order (`/clients/{id}` → `["id"]`).
pub fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
}

/// A query string: its parameter names (for the document) and its pairs (for the client).
pub trait QueryParams {
    /// Every parameter it may carry, with what it means.
    const PARAMS: &'static [(&'static str, &'static str)];
    /// The pairs to send (absent optional values are left out).
    fn pairs(&self) -> Vec<(&'static str, String)>;
}

/// No query string.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoQuery;

impl QueryParams for NoQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// No request body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NoBody;

/// A raw file as the request body, with its own `Content-Type` (uploads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FileBody;

/// An empty answer (204). It deserializes from unit, so a client reads it like any answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct NoContent;

/// A file as the answer, with its stored `Content-Type` (downloads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileDownload;

/// A plain-text answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Text;

/// JSON Schemas of the markers (`schema` feature): what travels in their place, for the
/// server's OpenAPI document, which does not describe a body of `NoBody` or `NoContent`.
#[cfg(feature = "schema")]
mod schema {
    use super::*;
    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use std::borrow::Cow;

    macro_rules! marker_schema {
        ($($ty:ty: $schema:expr;)*) => {$(
            impl JsonSchema for $ty {
                fn inline_schema() -> bool {
                    true
                }
                fn schema_name() -> Cow<'static, str> {
                    stringify!($ty).into()
                }
                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    $schema
                }
            }
        )*};
    }

    marker_schema! {
        NoQuery: json_schema!({ "type": "object", "properties": {} });
        NoBody: Schema::from(false);
        NoContent: Schema::from(false);
        FileBody: json_schema!({ "type": "string", "format": "binary" });
        FileDownload: json_schema!({ "type": "string", "format": "binary" });
        Text: json_schema!({ "type": "string" });
    }
}

/// The statuses of a read of a client's records or of one record.
pub const READ: &[u16] = &[200, 401, 404];
/// The statuses of a creation from a JSON body.
pub const CREATE: &[u16] = &[201, 401, 403, 404, 422];
/// The statuses of a creation that also writes or relies on existing records: 409 when they
/// changed meanwhile (nothing written).
pub const CREATE_ON: &[u16] = &[201, 401, 403, 404, 409, 422];
/// The statuses of a change to one record from a JSON body; 409 when the record changed since
/// the request read it (nothing written).
pub const CHANGE: &[u16] = &[200, 401, 403, 404, 409, 422];
/// The statuses of a step of a data-resolution conflict.
pub const STEP: &[u16] = &[200, 401, 403, 404, 422];

/// Declares endpoints: a unit struct each, implementing `Endpoint`.
macro_rules! endpoints {
    ($(
        $(#[$doc:meta])*
        $name:ident: $method:ident $path:literal {
            summary: $summary:expr,
            who: $who:expr,
            statuses: $statuses:expr,
            $(public: $public:expr,)?
            query: $query:ty,
            body: $body:ty,
            response: $response:ty $(,)?
        }
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;

            impl $crate::api::endpoint::Endpoint for $name {
                const METHOD: $crate::api::endpoint::Method = $crate::api::endpoint::Method::$method;
                const PATH: &'static str = $path;
                const SUMMARY: &'static str = $summary;
                const WHO: &'static str = $who;
                const STATUSES: &'static [u16] = $statuses;
                $(const PUBLIC: bool = $public;)?
                type Query = $query;
                type Body = $body;
                type Response = $response;
            }
        )*
    };
}

pub(crate) use endpoints;
