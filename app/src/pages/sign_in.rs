//! Sign in with username and password, then go back to the page that asked (`?next=`).

use crate::components::RouteHeading;
use crate::routes::{safe_next, seg};
use crate::session::{use_session, SessionStatus};
use crate::{api, Page};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = move || {
        query
            .with_untracked(|q| q.get(seg::NEXT))
            .and_then(|n| safe_next(&n))
            .unwrap_or_else(|| Page::Home.path())
    };
    // Already signed in (e.g. opened /sign-in again): go on.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if session.status() == SessionStatus::SignedIn {
                navigate(
                    &next(),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let action = Action::new_local(move |(u, p): &(String, String)| {
        let (u, p) = (u.clone(), p.clone());
        async move { api::sign_in(u, p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(info)) = action.value().get() {
            password.set(String::new());
            session.signed_in(info);
        }
    });
    let error = move || action.value().get().and_then(Result::err);
    let busy = action.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch((username.get_untracked(), password.get_untracked()));
    };
    view! {
        <section class="card narrow">
            <RouteHeading text="Sign in to Hearth" title="Sign in" />
            <form on:submit=submit>
                <div class="field">
                    <label for="username">"Username"</label>
                    <input id="username" name="username" data-test-id="username" autocomplete="username"
                        autocapitalize="none" required
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" data-test-id="password" type="password"
                        autocomplete="current-password" required
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                {move || error().map(|e| view! { <p class="error" role="alert" data-test-id="sign-in-error">{e.message()}</p> })}
                <button type="submit" class="primary" data-test-id="sign-in" disabled=busy>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </section>
    }
}
