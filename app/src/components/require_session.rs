//! Shows its children only with a session; otherwise loads it, or sends the user to sign in.

use crate::{api, Page, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let Session(session) = expect_context::<Session>();
    let navigate = use_navigate();
    if session.get_untracked().is_none() {
        spawn_local(async move {
            match api::session().await {
                Ok(s) => session.set(Some(s)),
                Err(_) => navigate(&Page::SignIn.path(), Default::default()),
            }
        });
    }
    view! {
        <Show
            when=move || session.with(Option::is_some)
            fallback=|| view! { <p class="loading">"Loading…"</p> }
        >
            {children()}
        </Show>
    }
}
