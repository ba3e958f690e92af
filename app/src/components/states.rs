//! The read states every screen shares: loading, and the one error view.

use crate::api::ApiError;
use crate::session::use_session;
use crate::Page;
use leptos::prelude::*;

/// "Loading …" as a polite status message.
#[component]
pub fn Loading(#[prop(optional)] what: &'static str) -> impl IntoView {
    let text = if what.is_empty() {
        "Loading…".to_owned()
    } else {
        format!("Loading {what}…")
    };
    view! { <p class="loading" role="status" data-test-id="loading">{text}</p> }
}

/// A failed read or write, in words. A 401 means the session ended: the session is marked signed
/// out, so the protected route sends the user to sign in and back here afterwards. `describe`
/// renders a refusal's reason with the organizations' names (e.g. the client file's).
#[component]
pub fn ErrorView(
    error: ApiError,
    #[prop(optional, into)] describe: Option<Callback<shared::Reason, String>>,
) -> impl IntoView {
    if error == ApiError::SignedOut {
        use_session().signed_out();
    }
    let text = match (&error, describe) {
        (ApiError::Failed(body), Some(describe)) => match &body.reason {
            Some(reason) => describe.run(reason.clone()),
            None => error.message(),
        },
        _ => error.message(),
    };
    let sign_in = (error == ApiError::SignedOut).then(|| {
        view! { <a href=Page::SignIn(None).path()>"Sign in again"</a> }
    });
    view! {
        <div class="error" role="alert" data-test-id="error">
            <p>{text}</p>
            {sign_in}
        </div>
    }
}
