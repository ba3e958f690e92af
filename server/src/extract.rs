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

/// The field a JSON body's data error is about (`missing field `x``, `x: invalid type ...`,
/// `unknown field `x``), or `body` when the body as a whole is at fault (not JSON, wrong shape).
fn body_field(rejection: &JsonRejection) -> String {
    let JsonRejection::JsonDataError(e) = rejection else {
        return "body".to_owned();
    };
    let text = e.body_text();
    let detail = text.split_once(": ").map(|(_, d)| d).unwrap_or("");
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
