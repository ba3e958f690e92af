//! One module per route (see `routes::Page`); the client file's sections are under `client`.

pub mod account;
pub mod admin;
pub mod client;
pub mod home;
pub mod inbox;
pub mod new_client;
pub mod search;
pub mod sign_in;

use crate::components::RouteHeading;
use crate::routes::Bundle;
use crate::Page;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Any address the routes do not know. An address of the other bundle (`routes::Bundle`) is
/// loaded from the server, which sends that bundle.
#[component]
pub fn NotFound() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if Bundle::of(&path) != Bundle::current() {
        // The router shows this before it writes the new address into the history, so the page
        // is loaded by its address (not by reloading the one still shown).
        let search = location.search.get_untracked();
        let search = search.trim_start_matches('?');
        let hash = location.hash.get_untracked();
        let url = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        let _ = window().location().assign(&format!("{url}{hash}"));
        return view! { <crate::components::Loading what="Hearth" /> }.into_any();
    }
    view! {
        <section class="card">
            <RouteHeading text="Page not found" />
            <p class="empty">"This page does not exist."</p>
            <a href=Page::Home.path()>"Go to your home page"</a>
        </section>
    }
    .into_any()
}
