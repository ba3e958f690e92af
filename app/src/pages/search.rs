//! Client search by name or HMIS number: a `<Form method="GET">` whose query is in the URL
//! (`/search?q=`), so back, reload and shared links work, and a slow answer never overwrites a
//! newer one (the resource follows the URL).

use crate::components::{Loading, RouteHeading};
use crate::routes::seg;
use crate::{api, Page, Section};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use shared::text::{SEARCH_MAX_CHARS, SEARCH_MIN_CHARS};

/// Why a query is not sent, in words; `None` when it may be.
pub fn query_problem(q: &str) -> Option<String> {
    let n = q.trim().chars().count();
    if n < SEARCH_MIN_CHARS {
        Some("Type at least two characters of a name, or an HMIS number.".to_owned())
    } else if n > SEARCH_MAX_CHARS {
        Some(format!("Type at most {SEARCH_MAX_CHARS} characters."))
    } else {
        None
    }
}

/// The search box: on the home page and above the results.
#[component]
pub fn SearchForm(#[prop(optional, into)] initial: String) -> impl IntoView {
    view! {
        <Form method="GET" action=Page::search_action() attr:class="search" attr:role="search">
            <label class="visually-hidden" for="q">"Name or HMIS number"</label>
            <input id="q" name=seg::Q type="search" data-test-id="search-input" autocomplete="off"
                placeholder="Name or HMIS number (e.g. Rivera, H0001001)" value=initial />
            <button type="submit" class="primary" data-test-id="search-submit">"Search"</button>
        </Form>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get(seg::Q)).unwrap_or_default());
    let results = LocalResource::new(move || {
        let q = q.get();
        async move {
            match query_problem(&q) {
                Some(problem) => Err(problem),
                None => api::search_clients(q.trim()).await.map_err(|e| e.message()),
            }
        }
    });
    view! {
        <section class="card">
            <RouteHeading text="Find a client" title="Search results" />
            {move || view! { <SearchForm initial=q.get() /> }}
            <Transition fallback=|| view! { <Loading what="results" /> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Err(problem) => view! {
                            <div class="error" role="alert" data-test-id="search-error"><p>{problem}</p></div>
                        }.into_any(),
                        Ok(found) if found.is_empty() => view! {
                            <p class="empty" role="status" data-test-id="no-results">"No client matches."</p>
                        }.into_any(),
                        Ok(found) => view! {
                            <p class="visually-hidden" role="status">{format!("{} clients found", found.len())}</p>
                            <ul class="results" data-test-id="search-results">
                                {found.into_iter().map(|c| view! {
                                    <li>
                                        <a href=Page::Client(c.id.0, Section::Overview).path() data-test-id="search-result">
                                            <span class="result-name">{format!("{}, {}", c.last_name, c.first_name)}</span>
                                            <span class="result-meta">
                                                {c.hmis_number.to_string()}
                                                {c.date_of_birth.map(|d| format!(" · born {d}"))}
                                            </span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
