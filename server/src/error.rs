//! `ApiError`: the one error type of every handler, mapped to a status code and an `ErrorBody`.
//! Internal details are logged, never returned; no client data goes into a log line.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::ErrorBody;
use shared::decision::{Lookup, Refusal};
use shared::{Decision, Reason};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Sign in first.")]
    Unauthorized,
    #[error("{0}")]
    LoginFailed(&'static str),
    /// 403: a rule refused; the text is the reason's explanation (`Reason::describe`, decided in
    /// shared), so an API client reads what the app shows (e.g. R-9's alternative to a Social
    /// Security card). Organizations are named by id here; `reason` carries the data.
    #[error("{}", forbidden_text(.0))]
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

/// The explanation of a refusal, as `Reason::describe` gives it.
fn forbidden_text(reason: &Reason) -> String {
    reason.describe(&|org| format!("organization #{}", org.0))
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
    /// What went wrong, for a log line: the underlying cause of an internal error (the answer
    /// says only "internal error"), else the answer's text. Never client data: database errors
    /// name constraints and codes, not values.
    pub fn cause(&self) -> String {
        match self {
            ApiError::Database(e) => format!("database: {e}"),
            ApiError::Internal(e) => e.clone(),
            other => other.to_string(),
        }
    }

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

/// The one place a shared [`Decision`] becomes an answer: allowed, it is returned (to be audited
/// and explained); refused, it is 403 `Forbidden` with its reason.
pub fn allow(d: Decision) -> Result<Decision, ApiError> {
    if d.allowed {
        Ok(d)
    } else {
        Err(ApiError::Forbidden(d.reason))
    }
}

/// A refused read of something the actor asked for by id (S-9): 404, exactly as if it did not
/// exist, so the refusal does not reveal that it exists.
pub fn visible(d: Decision) -> Result<Decision, ApiError> {
    if d.allowed {
        Ok(d)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A shared [`Lookup`]: allowed, its decision; refused, 404 when the rule hides the refusal
/// ([`Refusal::Hidden`]) and 403 with the reason when it explains it.
pub fn allow_lookup(l: Lookup) -> Result<Decision, ApiError> {
    match l.refusal {
        Refusal::Hidden => visible(l.decision),
        Refusal::Explained => allow(l.decision),
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
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        (
            status,
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            )],
            json,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_errors_cause_reaches_the_log_but_not_the_answer() {
        let e = ApiError::Database(sqlx::Error::Protocol("database is locked".into()));
        assert_eq!(e.to_string(), "internal error");
        assert!(e.cause().contains("database is locked"), "{}", e.cause());
        let e = ApiError::Internal("files directory: permission denied".into());
        assert_eq!(e.cause(), "files directory: permission denied");
    }
}
