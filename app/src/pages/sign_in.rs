//! Sign in with username and password.

use crate::{api, Page, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SignInPage() -> impl IntoView {
    let Session(session) = expect_context::<Session>();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::sign_in(username.get_untracked(), password.get_untracked()).await {
                Ok(s) => {
                    session.set(Some(s));
                    password.set(String::new());
                    navigate(&Page::Search.path(), Default::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card narrow">
            <h1>"Sign in to Hearth"</h1>
            <form on:submit=submit>
                <label for="username">"Username"</label>
                <input id="username" data-test-id="username" autocomplete="username"
                    autocapitalize="none" required
                    prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                <label for="password">"Password"</label>
                <input id="password" data-test-id="password" type="password"
                    autocomplete="current-password" required
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-test-id="sign-in-error">{e}</p> })}
                <button type="submit" class="primary" data-test-id="sign-in" disabled=busy>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </section>
    }
}
