//! `ApiError`: the one error type of every handler, mapped to a status code and an `ErrorBody`.
//! Internal details are logged, never returned; no client data goes into a log line.

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
    #[error("{field}: {reason}")]
    Validation { field: String, reason: String },
    #[error("file too large: at most {limit} bytes")]
    TooLarge { limit: usize },
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
            ApiError::NotFound => (StatusCode::NOT_FOUND, None, None),
            ApiError::Validation { field, .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, Some(field.clone()), None)
            }
            ApiError::TooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, Some("file".to_owned()), None)
            }
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
        (status, axum::Json(body)).into_response()
    }
}
