//! One module per route (see `routes::Page`); the client file's sections are under `client`.

pub mod account;
pub mod admin;
pub mod client;
pub mod home;
pub mod inbox;
pub mod search;
pub mod sign_in;

use crate::components::RouteHeading;
use crate::Page;
use leptos::prelude::*;

/// Any address the routes do not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <RouteHeading text="Page not found" />
            <p class="empty">"This page does not exist."</p>
            <a href=Page::Home.path()>"Go to your home page"</a>
        </section>
    }
}
