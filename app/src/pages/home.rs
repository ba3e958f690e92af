//! The caseworker's own page after sign-in: the search box (and, from the home helper, recently
//! opened clients, open conflicts, releases ending soon and notifications).

use super::search::SearchForm;
use crate::components::RouteHeading;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let name = session
        .with_me_untracked(|me| me.display_name.clone())
        .unwrap_or_default();
    view! {
        <section class="card">
            <RouteHeading text="Find a client" title=format!("Home · {name}") />
            <SearchForm />
        </section>
    }
}
