//! The router: `/api/v1/*` resources, then the built app with a fallback to `index.html`.

mod audit;
mod clients;
mod conflicts;
mod documents;
mod entry_exit;
mod households;
mod hud_export;
mod hud_import;
mod intake;
mod intake_changes;
mod links;
mod mous;
mod notifications;
mod organizations;
mod own_account;
mod programs;
mod records;
mod rois;
mod session;
mod test_clock;
mod users;

use crate::extract::{Json, JSON_BODY_LIMIT};
use crate::openapi::{Documented, OpDoc};
use crate::state::AppState;
use crate::web;
use axum::extract::State;
use axum::handler::Handler;
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use shared::api::endpoints as ep;
use shared::api::Method;

/// The whole application; `main` and the tests both use it.
pub fn router(state: AppState) -> Router {
    router_with(state, None)
}

/// As `router`, with `POST /api/v1/test/clock/advance` moving `test_clock` when there is one
/// (`HEARTH_TEST_CLOCK=1`). It is not an `Api` endpoint: not in the OpenAPI document nor the
/// app's client, and absent (404) otherwise.
pub fn router_with(
    state: AppState,
    test_clock: Option<std::sync::Arc<crate::clock::ManualClock>>,
) -> Router {
    let csp =
        axum::http::HeaderValue::from_str(&web::content_security_policy(&state.config.dist_dir))
            .unwrap_or_else(|_| axum::http::HeaderValue::from_static("default-src 'self'"));
    let body_ceiling = state.config.max_upload_bytes.max(16 * 1024 * 1024) + 1024 * 1024;
    let (api, _) = api().into_parts();
    let api = match test_clock {
        Some(clock) => api.merge(test_clock::router(clock)),
        None => api,
    };
    let api = api.fallback(|| async { crate::error::ApiError::NoSuchEndpoint });
    Router::new()
        .nest("/api/v1", api)
        .merge(web::static_app(&state.config.dist_dir))
        .layer(axum::middleware::from_fn_with_state(
            web::Scheme::of(&state.config),
            web::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(csp),
            web::security_headers,
        ))
        // 1 MiB for every body read by an extractor; upload routes raise it (DefaultBodyLimit)
        // or read their body with their own limit, below this hard ceiling on any request body.
        .layer(axum::extract::DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_ceiling))
        // Every 413, this ceiling's included, in our error format.
        .layer(axum::middleware::from_fn_with_state(
            body_ceiling,
            web::body_limit,
        ))
        .with_state(state)
}

/// Every endpoint of `/api/v1`, routed and documented (one `Api::at` each).
pub fn api() -> Api {
    Api::new()
        .at::<ep::Health, _>(|| async { "ok" })
        .at::<ep::OpenApiDocument, _>(|| async { Json(openapi_document()) })
        .merge(session::router())
        .merge(clients::router())
        .merge(intake::router())
        .merge(rois::router())
        .merge(documents::router())
        .merge(mous::router())
        .merge(organizations::router())
        .merge(programs::router())
        .merge(users::router())
        .merge(own_account::router())
        .merge(audit::router())
        .merge(conflicts::router())
        .merge(entry_exit::router())
        .merge(households::router())
        .merge(intake_changes::router())
        .merge(notifications::router())
        .merge(records::router())
        .merge(hud_export::router())
        .merge(links::router())
        .merge(hud_import::router())
}

/// Every routed operation, as the OpenAPI document describes it.
pub fn operations() -> Vec<OpDoc> {
    api().into_parts().1
}

/// The OpenAPI document of everything `api()` routes, built once.
pub fn openapi_document() -> &'static serde_json::Value {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| crate::openapi::document(&operations()))
}

crate::documented!(ep::Health {});

crate::documented!(ep::OpenApiDocument {});

/// The router of `/api/v1` and the documentation of what it routes, grown together: the only way
/// to route an endpoint is `at::<E>`, which documents `E` from its one declaration
/// (`shared::api::endpoints`) and its examples (`documented!`).
pub struct Api {
    router: Router<AppState>,
    ops: Vec<OpDoc>,
}

impl Default for Api {
    fn default() -> Self {
        Self::new()
    }
}

impl Api {
    pub fn new() -> Api {
        Api {
            router: Router::new(),
            ops: Vec::new(),
        }
    }

    /// Routes `E` to `handler` and documents it. Routing one method and path twice panics
    /// (axum), so a duplicate cannot slip through.
    pub fn at<E, T>(self, handler: impl Handler<T, AppState>) -> Api
    where
        E: Documented,
        T: 'static,
    {
        self.add::<E>(route::<E, T>(handler))
    }

    /// As `at`, with its own body limit (uploads read under `DefaultBodyLimit`).
    pub fn at_limited<E, T>(self, handler: impl Handler<T, AppState>, limit: usize) -> Api
    where
        E: Documented,
        T: 'static,
    {
        let route = route::<E, T>(handler).layer(axum::extract::DefaultBodyLimit::max(limit));
        self.add::<E>(route)
    }

    fn add<E: Documented>(mut self, route: MethodRouter<AppState>) -> Api {
        self.router = self.router.route(E::PATH, route);
        self.ops.push(OpDoc::of::<E>());
        self
    }

    pub fn merge(mut self, other: Api) -> Api {
        self.router = self.router.merge(other.router);
        self.ops.extend(other.ops);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<OpDoc>) {
        (self.router, self.ops)
    }
}

/// The route of `E` to `handler`. A creating endpoint's handler runs behind the
/// `Idempotency-Key` guard (`crate::idempotency`), decided by its declaration
/// (`Endpoint::IDEMPOTENT_CREATE`), so no creating endpoint is routed without it.
fn route<E, T>(handler: impl Handler<T, AppState>) -> MethodRouter<AppState>
where
    E: Documented,
    T: 'static,
{
    if E::IDEMPOTENT_CREATE {
        let guarded = move |State(state): State<AppState>, req: axum::extract::Request| {
            crate::idempotency::guard(state, req, handler)
        };
        axum::routing::on(filter(E::METHOD), guarded)
    } else {
        axum::routing::on(filter(E::METHOD), handler)
    }
}

fn filter(method: Method) -> MethodFilter {
    match method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
        Method::Put => MethodFilter::PUT,
        Method::Patch => MethodFilter::PATCH,
        Method::Delete => MethodFilter::DELETE,
    }
}
