//! Hearth's browser client (Leptos, client-side rendered). It calls the JSON API through `api`,
//! and uses the `shared` rules to decide and explain, instantly, what each badge and control says;
//! the server re-checks everything.

pub mod api;
pub mod components;
pub mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use shared::api::SessionInfo;

/// The signed-in user, shared by every page. `None` until the session is known to exist.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Option<SessionInfo>>);

/// Every route of the app.
pub enum Page {
    Search,
    SignIn,
    Client(i64),
}

impl Page {
    pub fn path(&self) -> String {
        match self {
            Page::Search => "/".to_owned(),
            Page::SignIn => "/sign-in".to_owned(),
            Page::Client(id) => format!("/clients/{id}"),
        }
    }
}

pub fn start() {
    // index.html's static shell (painted before the WASM ran) gives way to the app.
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session(RwSignal::new(None));
    provide_context(session);
    view! {
        <Router>
            <components::Header />
            <main class="page">
                <Routes fallback=|| view! { <p class="empty">"This page does not exist."</p> }>
                    <Route path=path!("/") view=pages::search::SearchPage />
                    <Route path=path!("/sign-in") view=pages::sign_in::SignInPage />
                    <Route path=path!("/clients/:id") view=pages::client::ClientPage />
                </Routes>
            </main>
        </Router>
    }
}
