//! The router: `/api/v1/*` resources, then the built app with a fallback to `index.html`.

mod accounts;
mod audit;
mod clients;
mod conflicts;
mod entry_exit;
mod intake;
mod intake_changes;
mod notifications;
mod records;
mod releases;
mod session;

use crate::example;
use crate::openapi::Op;

use crate::state::AppState;
use crate::web;
use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;
use axum::routing::get;
use axum::Router;

/// The whole application; `main` and the tests both use it.
pub fn router(state: AppState) -> Router {
    let csp =
        axum::http::HeaderValue::from_str(&web::content_security_policy(&state.config.dist_dir))
            .unwrap_or_else(|_| axum::http::HeaderValue::from_static("default-src 'self'"));
    let body_ceiling = state.config.max_upload_bytes.max(16 * 1024 * 1024) + 1024 * 1024;
    let api = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route(
            "/openapi.json",
            get(|| async { Json(crate::openapi::document()) }),
        )
        .merge(session::router())
        .merge(clients::router())
        .merge(intake::router())
        .merge(releases::router())
        .merge(accounts::router())
        .merge(audit::router())
        .merge(conflicts::router())
        .merge(entry_exit::router())
        .merge(intake_changes::router())
        .merge(notifications::router())
        .merge(records::router())
        .fallback(|| async { crate::error::ApiError::NoSuchEndpoint });
    Router::new()
        .nest("/api/v1", api)
        .merge(web::static_app(&state.config.dist_dir))
        .layer(axum::middleware::from_fn(web::csrf_guard))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(csp),
            web::security_headers,
        ))
        // 1 MiB for every body read by an extractor; upload routes raise it (DefaultBodyLimit)
        // or read their body with their own limit, below this hard ceiling on any request body.
        .layer(axum::extract::DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_ceiling))
        .with_state(state)
}

/// The documented operations of every route module (see `openapi.rs`).
pub const OPERATIONS: &[&[Op]] = &[
    OWN,
    session::OPERATIONS,
    clients::OPERATIONS,
    intake::OPERATIONS,
    releases::OPERATIONS,
    accounts::OPERATIONS,
    audit::OPERATIONS,
    records::OPERATIONS,
    conflicts::OPERATIONS,
    intake_changes::OPERATIONS,
    entry_exit::OPERATIONS,
    notifications::OPERATIONS,
];

/// Error answers with bodies beyond `ErrorBody`, per route module (see `openapi::ErrorDoc`).
pub const ERROR_BODIES: &[&[crate::openapi::ErrorDoc]] = &[intake::ERROR_BODIES];

const OWN: &[Op] = &[
    Op {
        method: "get",
        path: "/health",
        summary: "Liveness: answers `ok` (text) when the server is up",
        who: "anyone",
        request: None,
        response: None,
        statuses: &[200],
    },
    Op {
        method: "get",
        path: "/openapi.json",
        summary: "This document",
        who: "anyone",
        request: None,
        response: Some(example!(
            serde_json::Value,
            serde_json::json!({ "openapi": "3.1.0" })
        )),
        statuses: &[200],
    },
];

/// A client that exists and whose intake `actor` may read (S-1; a tombstone only for
/// SystemAdmins, P-3); anything else is 404 (S-9).
pub async fn readable_client(
    state: &AppState,
    actor: &shared::Actor,
    id: shared::ClientId,
) -> Result<crate::db::ClientRow, crate::error::ApiError> {
    let client = crate::db::client_by_id(&state.pool, id)
        .await?
        .ok_or(crate::error::ApiError::NotFound)?;
    let ctx = shared::SharingContext {
        rois: &[],
        mous: &[],
    };
    let today = state.clock.today();
    if shared::can_read(actor, &client.meta, &ctx, today, &state.policy).allowed {
        Ok(client)
    } else {
        Err(crate::error::ApiError::NotFound)
    }
}

/// As `readable_client`, and not tombstoned: for the routes that change something about it.
pub async fn live_client(
    state: &AppState,
    actor: &shared::Actor,
    id: shared::ClientId,
) -> Result<crate::db::ClientRow, crate::error::ApiError> {
    let client = readable_client(state, actor, id).await?;
    if client.meta.deleted {
        return Err(crate::error::ApiError::NotFound);
    }
    Ok(client)
}

/// The `{id}` of a path: a number, or the resource is simply not found (404 in our error format,
/// like an id that does not exist), never axum's plain-text 400.
pub struct PathId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(PathId(id)),
            Err(_) => Err(crate::error::ApiError::NotFound),
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
            Err(e) => crate::error::ApiError::Internal(format!("serializing a response: {e}"))
                .into_response(),
        }
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = crate::error::ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            // Larger than the body limit (`DefaultBodyLimit`, 1 MiB unless a route raises it).
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(crate::error::ApiError::TooLarge {
                    field: "body",
                    limit: JSON_BODY_LIMIT,
                })
            }
            Err(rejection) => Err(crate::error::ApiError::validation(
                crate::error::body_field(&rejection),
                rejection.body_text(),
            )),
        }
    }
}
