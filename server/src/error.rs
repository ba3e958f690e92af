//! `ApiError`: the one error type of every handler, mapped to a status code and an `ErrorBody`.
//! Internal details are logged, never returned; no client data goes into a log line.

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::ErrorBody;
use shared::Reason;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Sign in first.")]
    Unauthorized,
    #[error("{0}")]
    LoginFailed(&'static str),
    #[error("not permitted")]
    Forbidden(Reason),
    #[error("not found")]
    NotFound,
    /// No route: distinct from `NotFound` so the OpenAPI route check can tell them apart.
    #[error("no such endpoint")]
    NoSuchEndpoint,
    #[error("{field}: {reason}")]
    Validation { field: String, reason: String },
    /// 409: the request conflicts with what is recorded (a username taken, a document already
    /// attached, an ROI already revoked); `field` names what conflicts.
    #[error("{field}: {reason}")]
    Conflict { field: String, reason: String },
    /// 409: what the request was decided on changed between its read and its write (a
    /// simultaneous change came first); nothing was written. The text says what changed and
    /// asks the caller to reload (see `ApiError::changed_meanwhile`).
    #[error("{0}")]
    ChangedMeanwhile(String),
    /// 413: an upload larger than the route accepts; `field` names the part that is too large.
    #[error("{field} too large: at most {limit} bytes")]
    TooLarge { field: &'static str, limit: usize },
    #[error("request refused: {0}")]
    Refused(&'static str),
    #[error("internal error")]
    Database(#[from] sqlx::Error),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn validation(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl ApiError {
    pub fn conflict(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Conflict {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl ApiError {
    /// 409 `ChangedMeanwhile`: "`what` changed meanwhile: reload and try again".
    pub fn changed_meanwhile(what: impl std::fmt::Display) -> Self {
        Self::ChangedMeanwhile(format!("{what} changed meanwhile: reload and try again"))
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

impl From<shared::ParseError> for ApiError {
    fn from(e: shared::ParseError) -> Self {
        Self::validation(e.field, e.reason)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, field, reason) = match &self {
            ApiError::Unauthorized | ApiError::LoginFailed(_) => {
                (StatusCode::UNAUTHORIZED, None, None)
            }
            ApiError::Forbidden(r) => (StatusCode::FORBIDDEN, None, Some(r.clone())),
            ApiError::NotFound | ApiError::NoSuchEndpoint => (StatusCode::NOT_FOUND, None, None),
            ApiError::Validation { field, .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, Some(field.clone()), None)
            }
            ApiError::Conflict { field, .. } => (StatusCode::CONFLICT, Some(field.clone()), None),
            ApiError::ChangedMeanwhile(_) => (StatusCode::CONFLICT, None, None),
            ApiError::TooLarge { field, .. } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                Some((*field).to_owned()),
                None,
            ),
            ApiError::Refused(_) => (StatusCode::FORBIDDEN, None, None),
            ApiError::Database(e) => {
                tracing::error!(error = %e, "database error");
                (StatusCode::INTERNAL_SERVER_ERROR, None, None)
            }
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, None, None)
            }
        };
        let body = ErrorBody {
            error: self.to_string(),
            field,
            reason,
        };
        (status, crate::routes::Json(body)).into_response()
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
