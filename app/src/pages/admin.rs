//! The administrators' screens (the `/admin` bundle, `routes::Bundle::Admin`): their home lists
//! the areas the signed-in user may use, each gated by its shared decision.

pub mod mous;
pub mod queues;
pub mod releases;

use crate::components::RouteHeading;
use crate::session::use_session;
use leptos::prelude::*;

/// `/admin`: the areas this user may use.
#[component]
pub fn AdminHome() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="card">
            <RouteHeading text="Administration" />
            {move || session.with_me(|me| view! {
                <p>{format!("{} · {}", me.org.name, me.role.label())}</p>
            })}
        </section>
    }
}
