//! Client search by name or HMIS number.

use crate::components::RequireSession;
use crate::{api, Page};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::ClientSummary;

#[component]
pub fn SearchPage() -> impl IntoView {
    view! { <RequireSession><Search /></RequireSession> }
}

#[component]
fn Search() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<ClientSummary>>);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        error.set(None);
        spawn_local(async move {
            match api::search_clients(q.trim()).await {
                Ok(found) => results.set(Some(found)),
                Err(e) => {
                    results.set(None);
                    error.set(Some(e.message()));
                }
            }
        });
    };
    view! {
        <section class="card">
            <h1>"Find a client"</h1>
            <form class="search" role="search" on:submit=submit>
                <label class="visually-hidden" for="q">"Name or HMIS number"</label>
                <input id="q" type="search" data-test-id="search-input" autocomplete="off"
                    placeholder="Name or HMIS number (e.g. Rivera, H0001001)"
                    prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
                <button type="submit" class="primary" data-test-id="search-submit">"Search"</button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || results.get().map(|found| if found.is_empty() {
                view! { <p class="empty" data-test-id="no-results">"No client matches."</p> }.into_any()
            } else {
                view! {
                    <ul class="results" data-test-id="search-results">
                        {found.into_iter().map(|c| view! {
                            <li>
                                <a href=Page::Client(c.id.0).path() data-test-id="search-result">
                                    <span class="result-name">{format!("{}, {}", c.last_name, c.first_name)}</span>
                                    <span class="result-meta">
                                        {c.hmis_number.to_string()}
                                        {c.date_of_birth.map(|d| format!(" · born {d}"))}
                                    </span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
