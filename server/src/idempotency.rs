//! The `Idempotency-Key` header in and out: `routes::Api` wraps the handler of every creating
//! endpoint (`Endpoint::IDEMPOTENT_CREATE`) in [`guard`]. Without the header a request goes
//! straight to its handler. With it: the caller is authenticated, the key checked (422), the
//! request hashed; then `services::idempotency` replays a stored answer or runs the handler
//! under a claim that its write transaction takes, and stores the answer.

use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::services::idempotency::{self as service, Finish, Keyed, Start};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::handler::Handler;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::api::idempotency::{IdempotencyKey, KEY_HEADER, REPLAYED_HEADER};

/// Runs `handler` on `req`, honouring its `Idempotency-Key` if it has one.
pub async fn guard<H, T>(state: AppState, req: Request, handler: H) -> Response
where
    H: Handler<T, AppState>,
{
    if !req.headers().contains_key(KEY_HEADER) {
        return handler.call(req, state).await;
    }
    keyed(state, req, handler)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn keyed<H, T>(state: AppState, req: Request, handler: H) -> Result<Response, ApiError>
where
    H: Handler<T, AppState>,
{
    let (mut parts, body) = req.into_parts();
    // 401 before anything else, as the handler would answer; keys belong to a user.
    let auth = AuthUser::from_request_parts(&mut parts, &state).await?;
    let key = parts
        .headers
        .get(KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::validation(KEY_HEADER, "must be visible ASCII characters"))?;
    let key = IdempotencyKey::parse(key)?;
    // The whole body, to hash it (uploads included: the outer RequestBodyLimitLayer caps it).
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| ApiError::TooLarge {
            field: "body",
            limit: state.config.max_upload_bytes,
        })?;
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .map(HeaderValue::as_bytes)
        .unwrap_or_default();
    let hash = crate::digest::sha256_hex_of_parts(&[
        method.as_bytes(),
        path.as_bytes(),
        parts.uri.query().unwrap_or_default().as_bytes(),
        content_type,
        &bytes,
    ]);
    let req_of = Keyed {
        method: &method,
        path: &path,
        key: &key,
        hash: &hash,
    };
    let claim = match service::start(&state, &auth, req_of).await? {
        Start::Replay(answer) => return Ok(replay(answer)),
        Start::Run(claim) => claim,
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    let res = claim.scope(handler.call(req, state.clone())).await;
    let (res_parts, res_body) = res.into_parts();
    let res_bytes = axum::body::to_bytes(res_body, usize::MAX)
        .await
        .map_err(|e| ApiError::Internal(format!("reading an answer: {e}")))?;
    let content_type = res_parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let status = res_parts.status.as_u16();
    match service::finish(
        &state,
        &auth,
        req_of,
        &claim,
        status,
        content_type,
        &res_bytes,
    )
    .await?
    {
        Finish::Keep => Ok(Response::from_parts(res_parts, Body::from(res_bytes))),
        Finish::Replay(answer) => Ok(replay(answer)),
    }
}

/// The stored first answer, marked as a replay.
fn replay(answer: crate::db::idempotency::Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut res = (status, answer.body).into_response();
    let headers = res.headers_mut();
    if let Some(ct) = answer
        .content_type
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        headers.insert(header::CONTENT_TYPE, ct);
    }
    if let Ok(name) = header::HeaderName::from_bytes(REPLAYED_HEADER.as_bytes()) {
        headers.insert(name, HeaderValue::from_static("true"));
    }
    res
}
