//! The typed API client: one function per endpoint, errors as the server's `ErrorBody`.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use shared::api::{ClientProfile, ClientSummary, ErrorBody, LoginRequest, SessionInfo};

/// The header every state-changing request carries (the server's CSRF guard requires it).
const CSRF_HEADER: &str = "x-hearth-csrf";

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No session, or it expired: sign in again.
    SignedOut,
    /// 404: does not exist, or not visible to you (the server does not say which).
    NotFound,
    /// Any other refusal or failure, with the server's message.
    Failed(ErrorBody),
}

impl ApiError {
    pub fn message(&self) -> String {
        match self {
            ApiError::SignedOut => "Your session has ended. Please sign in again.".to_owned(),
            ApiError::NotFound => "Not found, or not shared with your agency.".to_owned(),
            ApiError::Failed(body) => body.error.clone(),
        }
    }
}

fn failed(message: impl Into<String>) -> ApiError {
    ApiError::Failed(ErrorBody {
        error: message.into(),
        field: None,
        reason: None,
    })
}

async fn read<T: DeserializeOwned>(res: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    read_as(res, true).await
}

/// `signed_out_on_401`: whether a 401 means "no session" (everywhere but the sign-in call, where
/// it carries the reason the sign-in was refused).
async fn read_as<T: DeserializeOwned>(
    res: Result<Response, gloo_net::Error>,
    signed_out_on_401: bool,
) -> Result<T, ApiError> {
    let res = res.map_err(|_| failed("Hearth could not be reached. Check your connection."))?;
    match res.status() {
        200..=299 => res
            .json::<T>()
            .await
            .map_err(|e| failed(format!("unexpected answer from the server: {e}"))),
        401 if signed_out_on_401 => Err(ApiError::SignedOut),
        404 => Err(ApiError::NotFound),
        status => Err(ApiError::Failed(res.json::<ErrorBody>().await.unwrap_or(
            ErrorBody {
                error: format!("the server answered {status}"),
                field: None,
                reason: None,
            },
        ))),
    }
}

fn mutating(builder: RequestBuilder) -> RequestBuilder {
    builder.header(CSRF_HEADER, "1")
}

pub async fn session() -> Result<SessionInfo, ApiError> {
    read(Request::get("/api/v1/session").send().await).await
}

pub async fn sign_in(username: String, password: String) -> Result<SessionInfo, ApiError> {
    let body = LoginRequest { username, password };
    let req = mutating(Request::post("/api/v1/session"))
        .json(&body)
        .map_err(|e| failed(e.to_string()))?;
    read_as(req.send().await, false).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    let res = mutating(Request::delete("/api/v1/session")).send().await;
    match res {
        Ok(r) if r.ok() || r.status() == 401 => Ok(()),
        Ok(r) => Err(failed(format!("the server answered {}", r.status()))),
        Err(_) => Err(failed("Hearth could not be reached.")),
    }
}

pub async fn search_clients(q: &str) -> Result<Vec<ClientSummary>, ApiError> {
    let req = Request::get("/api/v1/clients").query([("q", q)]);
    read(req.send().await).await
}

pub async fn client_profile(id: i64) -> Result<ClientProfile, ApiError> {
    read(Request::get(&format!("/api/v1/clients/{id}")).send().await).await
}

pub async fn checklist(id: i64) -> Result<shared::api::records::Checklist, ApiError> {
    read(
        Request::get(&format!("/api/v1/clients/{id}/checklist"))
            .send()
            .await,
    )
    .await
}
