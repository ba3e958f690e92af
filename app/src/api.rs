//! The typed API client: `call::<E>` for every endpoint `E` of `shared::api::endpoints`, errors as
//! the server's `ErrorBody`; a few named wrappers for the pages.

use gloo_net::http::Request;
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
    /// 409 of `POST /clients`: possible duplicates (HMIS numbers) to check before confirming.
    PossibleDuplicates(shared::api::intake::PossibleDuplicates),
}

impl ApiError {
    pub fn message(&self) -> String {
        match self {
            ApiError::SignedOut => "Your session has ended. Please sign in again.".to_owned(),
            ApiError::NotFound => "Not found, or not shared with your agency.".to_owned(),
            ApiError::Failed(body) => plain_words(&body.error, body.field.as_deref()),
            ApiError::PossibleDuplicates(d) => plain_words(&d.error, None),
        }
    }
}

/// The server's message in a caseworker's words: without the "field: " prefix the server puts
/// before a validation error (the field is shown next to its input), starting with a capital.
pub fn plain_words(error: &str, field: Option<&str>) -> String {
    let text = field
        .and_then(|f| error.strip_prefix(f))
        .and_then(|rest| rest.strip_prefix(": ").or_else(|| rest.strip_prefix(' ')))
        .unwrap_or(error);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A refusal's reason in words, without organization names (where no client file names them).
pub fn describe_plain(reason: &shared::Reason) -> String {
    reason.describe(&|org| format!("agency #{}", org.0))
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
    let payload = json_payload::<E>(body)?;
    decode(fetch(E::METHOD, E::path(ids), query.pairs(), payload, None, true).await?)
}

/// The JSON of a request body (none for `NoBody`). The only generic step of sending, besides
/// `decode`: the rest (`fetch`) is one function for every endpoint, which keeps the WASM small.
fn json_payload<E>(body: &E::Body) -> Result<Payload, ApiError>
where
    E: Endpoint,
    E::Body: 'static,
{
    if std::any::TypeId::of::<E::Body>() == std::any::TypeId::of::<NoBody>() {
        Ok(Payload::None)
    } else {
        serde_json::to_string(body)
            .map(Payload::Json)
            .map_err(|e| failed(e.to_string()))
    }
}

/// What a request carries.
enum Payload {
    None,
    Json(String),
    /// A file, sent as the raw body with its own content type (uploads).
    File(web_sys::File),
}

/// A successful answer: nothing (204), or its body's text.
enum Answer {
    NoContent,
    Text(String),
}

fn decode<T: DeserializeOwned>(answer: Answer) -> Result<T, ApiError> {
    match answer {
        Answer::NoContent => {
            T::deserialize(serde::de::value::UnitDeserializer::<serde::de::value::Error>::new())
                .map_err(|e| failed(format!("unexpected answer from the server: {e}")))
        }
        Answer::Text(text) => serde_json::from_str(&text)
            .map_err(|e| failed(format!("unexpected answer from the server: {e}"))),
    }
}

/// Sends one request and reads its answer; not generic (one copy for every endpoint).
/// `signed_out_on_401`: whether a 401 means "no session" (everywhere but the sign-in call, where
/// it carries the reason the sign-in was refused).
async fn fetch(
    method: Method,
    path: String,
    pairs: Vec<(&'static str, String)>,
    payload: Payload,
    key: Option<String>,
    signed_out_on_401: bool,
) -> Result<Answer, ApiError> {
    let url = format!("/api/v1{path}");
    let builder = match method {
        Method::Get => Request::get(&url),
        Method::Post => Request::post(&url),
        Method::Put => Request::put(&url),
        Method::Patch => Request::patch(&url),
        Method::Delete => Request::delete(&url),
    };
    let builder = builder.query(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    let builder = if method.is_mutating() {
        builder.header(CSRF_HEADER, "1")
    } else {
        builder
    };
    let builder = match &key {
        Some(key) => builder.header(KEY_HEADER, key),
        None => builder,
    };
    let request = match payload {
        Payload::None => builder.build(),
        Payload::Json(json) => builder
            .header("content-type", "application/json")
            .body(json),
        Payload::File(file) => {
            let kind = file.type_();
            builder.header("content-type", &kind).body(file)
        }
    }
    .map_err(|e| failed(e.to_string()))?;
    let res = request
        .send()
        .await
        .map_err(|_| failed("Hearth could not be reached. Check your connection."))?;
    let status = res.status();
    match status {
        204 => Ok(Answer::NoContent),
        200..=299 => res
            .text()
            .await
            .map(Answer::Text)
            .map_err(|_| failed("Hearth could not be reached. Check your connection.")),
        401 if signed_out_on_401 => Err(ApiError::SignedOut),
        404 => Err(ApiError::NotFound),
        _ => {
            let text = res.text().await.unwrap_or_default();
            if status == 409 {
                if let Ok(d) =
                    serde_json::from_str::<shared::api::intake::PossibleDuplicates>(&text)
                {
                    return Err(ApiError::PossibleDuplicates(d));
                }
            }
            Err(ApiError::Failed(
                serde_json::from_str::<ErrorBody>(&text).unwrap_or(ErrorBody {
                    error: format!("The server answered {status}. Try again in a moment."),
                    field: None,
                    reason: None,
                }),
            ))
        }
    }
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
    let payload = json_payload::<E>(body)?;
    let key = key.as_str().map(str::to_owned);
    decode(fetch(E::METHOD, E::path(ids), query.pairs(), payload, key, true).await?)
}

/// Uploads `file` as the raw body of endpoint `E` (a `FileBody` endpoint), with the file's
/// content type; `key` as for `submit` when `E` creates.
pub async fn upload<E>(
    key: Option<&FormKey>,
    ids: &[i64],
    query: &E::Query,
    file: web_sys::File,
) -> Result<E::Response, ApiError>
where
    E: Endpoint<Body = shared::api::endpoint::FileBody>,
    E::Response: DeserializeOwned,
{
    let key = key.and_then(FormKey::as_str).map(str::to_owned);
    decode(
        fetch(
            E::METHOD,
            E::path(ids),
            query.pairs(),
            Payload::File(file),
            key,
            true,
        )
        .await?,
    )
}

pub async fn session() -> Result<SessionInfo, ApiError> {
    call::<ep::GetSession>(&[], &NoQuery, &NoBody).await
}

pub async fn sign_in(username: String, password: String) -> Result<SessionInfo, ApiError> {
    let body = LoginRequest { username, password };
    let payload = json_payload::<ep::SignIn>(&body)?;
    decode(
        fetch(
            ep::SignIn::METHOD,
            ep::SignIn::path(&[]),
            Vec::new(),
            payload,
            None,
            false,
        )
        .await?,
    )
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

/// The error of an action's last answer, for its form's `Field`s and `FormError`.
pub fn last_error<I, T>(
    action: leptos::prelude::Action<I, Result<T, ApiError>>,
) -> leptos::prelude::Signal<Option<ApiError>>
where
    I: 'static,
    T: 'static,
{
    use leptos::prelude::*;
    Signal::derive(move || {
        action
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
    })
}

/// A shared parser's refusal as the server would answer it (422 naming the field), so a form
/// shows it next to its field before anything is sent.
impl From<shared::ParseError> for ApiError {
    fn from(e: shared::ParseError) -> Self {
        ApiError::Failed(ErrorBody {
            error: format!("{}: {}", e.field, e.reason),
            field: Some(e.field),
            reason: None,
        })
    }
}

/// The address of a download endpoint `E` (a `FileDownload` answer) with its query, for a plain
/// `<a href download>`: the browser fetches it with the session cookie, as it does a page.
pub fn download_url<E>(ids: &[i64], query: &E::Query) -> String
where
    E: Endpoint<Response = shared::api::endpoint::FileDownload>,
{
    let pairs: Vec<String> = query
        .pairs()
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::routes::encode(&v)))
        .collect();
    match pairs.is_empty() {
        true => format!("/api/v1{}", E::path(ids)),
        false => format!("/api/v1{}?{}", E::path(ids), pairs.join("&")),
    }
}
