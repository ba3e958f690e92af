//! The top bar: the product name, who is signed in (name, agency, role) and sign-out.

use crate::session::use_session;
use crate::{api, Page};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = api::sign_out().await;
            session.signed_out();
            navigate(&Page::SignIn(None).path(), Default::default());
        });
    };
    view! {
        <header class="topbar">
            <a class="brand" href=Page::Home.path()>"Hearth"</a>
            {move || session.with_me(|s| view! {
                <div class="who" data-test-id="who">
                    <span class="who-name">{s.display_name.clone()}</span>
                    <span class="who-org">{format!("{} · {}", s.org.name, s.role.label())}</span>
                </div>
            })}
            <Show when=move || session.with_me(|_| ()).is_some()>
                <button type="button" class="link" data-test-id="sign-out" on:click=sign_out.clone()>"Sign out"</button>
            </Show>
        </header>
    }
}
