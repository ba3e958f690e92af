//! The extractors every handler shares, which need nothing of ours but the error type: `Json`
//! (bodies in our error format, naming the faulty field; answers written into one buffer) and
//! `PathId`. The session extractor, `AuthUser`, is the session service's (`services::auth`).

use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;

/// The `{id}` of a path: a number, or the resource is simply not found (404 in our error format,
/// like an id that does not exist), never axum's plain-text 400.
pub struct PathId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(PathId(id)),
            Err(_) => Err(ApiError::NotFound),
        }
    }
}

/// The largest body an extractor reads (JSON bodies); upload routes set their own limit.
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// JSON in and out, for every route. As an extractor its rejections use our error format and name
/// the field; as a response it is serialized into one growing buffer (`axum::Json` writes through
/// `BytesMut`, which costs more per small write, and serializing is most of a profile read's own
/// work).
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        let mut body = Vec::with_capacity(1024);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => (
                [(
                    axum::http::header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(e) => ApiError::Internal(format!("serializing a response: {e}")).into_response(),
        }
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            // Larger than the body limit (`DefaultBodyLimit`, 1 MiB unless a route raises it).
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::TooLarge {
                    field: "body",
                    limit: JSON_BODY_LIMIT,
                })
            }
            Err(rejection) => Err(ApiError::validation(
                body_field(&rejection),
                rejection.body_text(),
            )),
        }
    }
}

/// The field a rejected JSON body is about, or `body` when the body as a whole is at fault (not
/// JSON, too large, wrong content type): see [`faulty_field`].
pub fn body_field(rejection: &JsonRejection) -> String {
    let JsonRejection::JsonDataError(e) = rejection else {
        return "body".to_owned();
    };
    let text = e.body_text();
    faulty_field(text.split_once(": ").map(|(_, d)| d).unwrap_or(""))
}

/// Parses a JSON value into `T` as the `Json` extractor does (through `serde_path_to_error`):
/// a data error is a 422 naming its [`faulty_field`].
pub fn parse_body<T: serde::de::DeserializeOwned>(body: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(body).map_err(|e| {
        let text = e.to_string();
        ApiError::validation(faulty_field(&text), text)
    })
}

/// The one way to find the field a serde data error is about, from its text as
/// `serde_path_to_error` writes it (`path: error`, no path at the top level): `x` for
/// `missing field `x`` or `unknown field `x``, `role` for `role: unknown variant ...`,
/// `a.b` for `a: missing field `b``; `body` when the input as a whole is at fault (the wrong
/// shape, e.g. an array where an object belongs).
pub fn faulty_field(detail: &str) -> String {
    let quoted = |d: &str, prefix: &str| {
        d.strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    if let Some(f) = quoted(detail, "missing field `").or_else(|| quoted(detail, "unknown field `"))
    {
        return f;
    }
    // serde_path_to_error puts the path first: `role: unknown variant ...`.
    match detail.split_once(": ") {
        // A path starting with `[` means the body was an array where an object belongs.
        Some((path, inner))
            if !path.is_empty() && !path.contains(' ') && !path.starts_with('[') =>
        {
            quoted(inner, "missing field `")
                .map(|f| format!("{path}.{f}"))
                .unwrap_or_else(|| path.to_owned())
        }
        _ => "body".to_owned(),
    }
}

/// A request's query string as `T`. One that does not parse (a value of the wrong kind, a
/// repeated parameter) is a 422 naming `query` with serde's reason, never axum's plain-text 400.
pub struct Query<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Query<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|e| ApiError::validation("query", e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_faulty_field_of_a_serde_error_is_found_one_way() {
        for (detail, field) in [
            ("missing field `text` at line 1 column 2", "text"),
            ("unknown field `colour`, expected one of `text`", "colour"),
            ("role: unknown variant `Boss`, expected one of ...", "role"),
            ("details: missing field `kind`", "details.kind"),
            (
                "details.kind: invalid type: integer `1`, expected a string",
                "details.kind",
            ),
            ("[0]: invalid type: map, expected a string", "body"),
            ("invalid type: sequence, expected struct NewNote", "body"),
            ("", "body"),
        ] {
            assert_eq!(faulty_field(detail), field, "{detail}");
        }
    }

    #[test]
    fn a_json_value_is_parsed_as_the_json_extractor_would_name_its_field() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Body {
            text: String,
            minutes: Option<u32>,
        }
        let field = |v: serde_json::Value| match parse_body::<Body>(v) {
            Err(ApiError::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(serde_json::json!({})), "text");
        assert_eq!(field(serde_json::json!({ "text": 1 })), "text");
        assert_eq!(
            field(serde_json::json!({ "text": "a", "minutes": "x" })),
            "minutes"
        );
        assert_eq!(
            field(serde_json::json!({ "text": "a", "extra": 1 })),
            "extra"
        );
        assert_eq!(field(serde_json::json!([1])), "body");
        assert!(parse_body::<Body>(serde_json::json!({ "text": "a" })).is_ok());
    }
}
