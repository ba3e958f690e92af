//! The router: `/api/v1/*` resources, then the built app with a fallback to `index.html`.

mod clients;
mod conflicts;
mod entry_exit;
mod intake;
mod notifications;
mod records;
mod session;

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
    let api = Router::new()
        .route("/health", get(|| async { "ok" }))
        .merge(session::router())
        .merge(clients::router())
        .merge(conflicts::router())
        .merge(entry_exit::router())
        .merge(intake::router())
        .merge(notifications::router())
        .merge(records::router())
        .fallback(|| async { crate::error::ApiError::NotFound });
    Router::new()
        .nest("/api/v1", api)
        .merge(web::static_app(&state.config.dist_dir))
        .layer(axum::middleware::from_fn(web::csrf_guard))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(csp),
            web::security_headers,
        ))
        // 1 MiB for every body extractor; upload routes read their body with their own limit.
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .with_state(state)
}

/// A JSON body extractor whose rejections use our error format and name the field.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = crate::error::ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(rejection) => Err(crate::error::ApiError::validation(
                "body",
                rejection.body_text(),
            )),
        }
    }
}
