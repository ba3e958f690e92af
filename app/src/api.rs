//! The typed API client: `call::<E>` for every endpoint `E` of `shared::api::endpoints`, errors as
//! the server's `ErrorBody`; a few named wrappers for the pages.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

use shared::api::endpoint::{NoBody, NoContent, NoQuery, QueryParams};
use shared::api::endpoints as ep;
use shared::api::idempotency::{IdempotencyKey, KEY_HEADER};
use shared::api::{
    ClientProfile, ClientSummary, Endpoint, ErrorBody, LoginRequest, Method, SessionInfo,
};

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

/// Calls endpoint `E` (its one declaration in `shared::api::endpoints`): `ids` fill the path's
/// parameters in order, `query` is its query string and `body` its JSON body (`&NoBody` for
/// none). A path, a query or a body the server has not declared does not compile.
pub async fn call<E>(ids: &[i64], query: &E::Query, body: &E::Body) -> Result<E::Response, ApiError>
where
    E: Endpoint,
    E::Body: 'static,
    E::Response: DeserializeOwned,
{
    read_as::<E::Response>(send::<E>(ids, query, body, None).await, true).await
}

/// One submission of a form: the `Idempotency-Key` its creating `POST` carries, so that sending
/// it again (a retry after a network error or a lost answer, a second click) gets the first
/// answer instead of storing the record twice. Every form that creates something holds one:
/// made when the form is shown, kept for every retry of that submission, and `renew`ed once the
/// server has answered it (success or refusal alike: the next submission is a new one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormKey(Option<IdempotencyKey>);

impl FormKey {
    /// A fresh key from the browser's `crypto.getRandomValues`. Without it (no supported browser
    /// lacks it) the form is sent without a key, as before: never with a guessable one, which
    /// could replay another submission's answer.
    pub fn new() -> FormKey {
        let mut bytes = [0u8; 16];
        let drawn = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
            .is_some();
        FormKey(drawn.then(|| IdempotencyKey::from_random(bytes)))
    }

    /// Starts a new submission (after the server answered the last one).
    pub fn renew(&mut self) {
        *self = FormKey::new();
    }

    pub fn as_str(&self) -> Option<&str> {
        self.0.as_ref().map(IdempotencyKey::as_str)
    }
}

impl Default for FormKey {
    fn default() -> Self {
        FormKey::new()
    }
}

/// `call` for a submitted form of a creating endpoint (`Endpoint::IDEMPOTENT_CREATE`; any other
/// does not compile): it carries the form's `key`, so a retry with the same key and body is
/// answered with the first answer and stores nothing new. Renew the key once this answers
/// anything but a network failure.
pub async fn submit<E>(
    key: &FormKey,
    ids: &[i64],
    query: &E::Query,
    body: &E::Body,
) -> Result<E::Response, ApiError>
where
    E: Endpoint,
    E::Body: 'static,
    E::Response: DeserializeOwned,
{
    const {
        assert!(
            E::IDEMPOTENT_CREATE,
            "api::submit is for creating endpoints; use api::call"
        )
    };
    read_as::<E::Response>(send::<E>(ids, query, body, key.as_str()).await, true).await
}

async fn send<E>(
    ids: &[i64],
    query: &E::Query,
    body: &E::Body,
    key: Option<&str>,
) -> Result<Result<Response, gloo_net::Error>, ApiError>
where
    E: Endpoint,
    E::Body: 'static,
{
    let url = format!("/api/v1{}", E::path(ids));
    let builder = match E::METHOD {
        Method::Get => Request::get(&url),
        Method::Post => Request::post(&url),
        Method::Put => Request::put(&url),
        Method::Patch => Request::patch(&url),
        Method::Delete => Request::delete(&url),
    };
    let pairs = query.pairs();
    let builder = builder.query(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    let builder = if E::METHOD.is_mutating() {
        builder.header(CSRF_HEADER, "1")
    } else {
        builder
    };
    let builder = match key {
        Some(key) => builder.header(KEY_HEADER, key),
        None => builder,
    };
    if std::any::TypeId::of::<E::Body>() == std::any::TypeId::of::<NoBody>() {
        Ok(builder.send().await)
    } else {
        let req = builder.json(body).map_err(|e| failed(e.to_string()))?;
        Ok(req.send().await)
    }
}

/// `signed_out_on_401`: whether a 401 means "no session" (everywhere but the sign-in call, where
/// it carries the reason the sign-in was refused).
async fn read_as<T: DeserializeOwned>(
    res: Result<Result<Response, gloo_net::Error>, ApiError>,
    signed_out_on_401: bool,
) -> Result<T, ApiError> {
    let res = res?.map_err(|_| failed("Hearth could not be reached. Check your connection."))?;
    match res.status() {
        204 => T::deserialize(serde::de::value::UnitDeserializer::<serde::de::value::Error>::new())
            .map_err(|e| failed(format!("unexpected answer from the server: {e}"))),
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

pub async fn session() -> Result<SessionInfo, ApiError> {
    call::<ep::GetSession>(&[], &NoQuery, &NoBody).await
}

pub async fn sign_in(username: String, password: String) -> Result<SessionInfo, ApiError> {
    let body = LoginRequest { username, password };
    read_as(send::<ep::SignIn>(&[], &NoQuery, &body, None).await, false).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    match call::<ep::SignOut>(&[], &NoQuery, &NoBody).await {
        Ok(NoContent) | Err(ApiError::SignedOut) => Ok(()),
        Err(e) => Err(e),
    }
}

pub async fn search_clients(q: &str) -> Result<Vec<ClientSummary>, ApiError> {
    let query = ep::SearchQuery { q: q.to_owned() };
    call::<ep::SearchClients>(&[], &query, &NoBody).await
}

pub async fn client_profile(id: i64) -> Result<ClientProfile, ApiError> {
    call::<ep::GetClientProfile>(&[id], &NoQuery, &NoBody).await
}

pub async fn checklist(id: i64) -> Result<shared::api::records::Checklist, ApiError> {
    call::<ep::GetChecklist>(&[id], &NoQuery, &NoBody).await
}
