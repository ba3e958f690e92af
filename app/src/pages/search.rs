//! Client search by name or HMIS number, before any intake: a GET form whose submitted query is
//! in the URL (`/search?q=`), so back, reload and shared links work; while the worker types,
//! possible matches appear under the box (debounced, and numbered so that a slow older answer
//! never replaces a newer one). "New client" is offered only after a search, with its terms.

use crate::api::{self, ApiError};
use crate::components::{ErrorView, Loading, RouteHeading};
use crate::routes::seg;
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::ClientSummary;
use shared::text::{SEARCH_MAX_CHARS, SEARCH_MIN_CHARS};
use std::time::Duration;

/// How long the typing must pause before the hints are asked for.
const HINT_DELAY: Duration = Duration::from_millis(250);

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

/// The clients with the date of birth typed (if any) first, keeping the server's order
/// otherwise; each with whether its date of birth is the one typed.
fn with_dob_first(found: Vec<ClientSummary>, dob: &str) -> Vec<(ClientSummary, bool)> {
    let dob = chrono::NaiveDate::parse_from_str(dob.trim(), "%Y-%m-%d").ok();
    let (mut same, other): (Vec<_>, Vec<_>) = found
        .into_iter()
        .map(|c| {
            let s = dob.is_some() && c.date_of_birth == dob;
            (c, s)
        })
        .partition(|(_, s)| *s);
    same.extend(other);
    same
}

/// One client found: a link to the file, with the HMIS number and date of birth.
fn client_link(c: ClientSummary, same_dob: bool, test_id: &'static str) -> impl IntoView {
    view! {
        <li>
            <a href=Page::Client(c.id.0, Section::Overview).path() data-test-id=test_id>
                <span class="result-name">{format!("{}, {}", c.last_name, c.first_name)}</span>
                <span class="result-meta">
                    {c.hmis_number.to_string()}
                    {c.date_of_birth.map(|d| format!(" · born {d}"))}
                    {same_dob.then_some(view! { <span class="tag" data-test-id="same-dob">" · same date of birth"</span> })}
                </span>
            </a>
        </li>
    }
}

/// The search box: on the home page and above the results. `initial` is the submitted query
/// (none on the home page); `dob`, where given, adds the optional date of birth that puts the
/// clients born that day first (in the hints and in the results).
#[component]
pub fn SearchForm(
    #[prop(optional, into)] initial: String,
    #[prop(optional)] dob: Option<RwSignal<String>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let session = use_session();
    let typed = RwSignal::new(initial.clone());
    let submitted = initial.trim().to_owned();
    // Every keystroke numbers a new request; an answer is shown only if it is newer than the
    // one shown (`shown`), so a slow answer to an older query never replaces a newer one.
    let issued = StoredValue::new(0u64);
    let shown = StoredValue::new(0u64);
    let hints = RwSignal::new(None::<Result<Vec<ClientSummary>, ApiError>>);
    let waiting = RwSignal::new(false);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        issued.update_value(|n| *n += 1);
        let seq = issued.get_value();
        if query_problem(&text).is_some() {
            hints.set(None);
            waiting.set(false);
            shown.set_value(seq);
            return;
        }
        waiting.set(true);
        set_timeout(
            move || {
                // `try_`: the form may be gone by now (the search was submitted, or the page
                // left), and then its hints with it.
                if issued.try_get_value() != Some(seq) {
                    return; // typed on since (that keystroke asks instead), or gone
                }
                leptos::task::spawn_local(async move {
                    let answer = api::search_clients(text.trim()).await;
                    if shown.try_get_value().is_none_or(|s| seq <= s) {
                        return; // a newer answer is already shown, or the form is gone
                    }
                    shown.set_value(seq);
                    if answer == Err(ApiError::SignedOut) {
                        session.signed_out();
                        return;
                    }
                    waiting.try_set(issued.try_get_value() != Some(seq));
                    hints.try_set(Some(answer));
                });
            },
            HINT_DELAY,
        );
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        // The same address the GET form would load, without the submit button's empty pair.
        ev.prevent_default();
        navigate(
            &Page::Search(typed.get_untracked().trim().to_owned()).path(),
            Default::default(),
        );
    };
    let show_hints = Memo::new(move |_| {
        let t = typed.get();
        t.trim() != submitted && query_problem(&t).is_none()
    });
    view! {
        <form method="get" action=Page::search_action() class="search" role="search" on:submit=submit>
            <label class="visually-hidden" for="q">"Name or HMIS number"</label>
            <input id="q" name=seg::Q type="search" data-test-id="search-input" autocomplete="off"
                aria-describedby="search-hints-status"
                placeholder="Name or HMIS number (e.g. Rivera, H0001001)" value=initial
                on:input=on_input />
            <button type="submit" class="primary" data-test-id="search-submit">"Search"</button>
            {dob.map(|dob| view! {
                <div class="field search-dob">
                    <label for="search-dob">"Date of birth (optional)"</label>
                    <input id="search-dob" type="date" data-test-id="search-dob"
                        prop:value=move || dob.get() on:input=move |ev| dob.set(event_target_value(&ev)) />
                </div>
            })}
        </form>
        <div class="search-hints" data-test-id="search-hints">
            <p id="search-hints-status" class="visually-hidden" role="status">
                {move || match (show_hints.get(), hints.get()) {
                    (true, Some(Ok(found))) => format!("{} possible matches", found.len()),
                    _ => String::new(),
                }}
            </p>
            {move || {
                if !show_hints.get() {
                    return ().into_any();
                }
                let dob_text = dob.map(|d| d.get()).unwrap_or_default();
                match hints.get() {
                    None if waiting.get() => view! { <p class="hint" data-test-id="hints-waiting">"Looking…"</p> }.into_any(),
                    None => ().into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e /> }.into_any(),
                    Some(Ok(found)) if found.is_empty() => view! {
                        <p class="hint" data-test-id="no-hints">"No match yet. Search to add a new client."</p>
                    }.into_any(),
                    Some(Ok(found)) => view! {
                        <p class="hint">"Possible matches: is it one of them?"</p>
                        <ul class="results hints" data-test-id="hint-list">
                            {with_dob_first(found, &dob_text).into_iter().take(8)
                                .map(|(c, same)| client_link(c, same, "search-hint")).collect_view()}
                        </ul>
                    }.into_any(),
                }
            }}
        </div>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get(seg::Q)).unwrap_or_default());
    let dob = RwSignal::new(String::new());
    let results = LocalResource::new(move || {
        let q = q.get();
        async move {
            match query_problem(&q) {
                Some(problem) => Err(Err(problem)),
                None => api::search_clients(q.trim()).await.map_err(Ok),
            }
        }
    });
    view! {
        <section class="card">
            <RouteHeading text="Find a client" title="Search results" />
            {move || view! { <SearchForm initial=q.get() dob=dob /> }}
            <Transition fallback=|| view! { <Loading what="results" /> }>
                {move || Suspend::new(async move {
                    let dob_text = dob.get();
                    match results.await {
                        // A 401 is the session's end: the error view sends to sign-in and back.
                        Err(Ok(e)) => view! { <ErrorView error=e /> }.into_any(),
                        Err(Err(problem)) => view! {
                            <div class="error" role="alert" data-test-id="search-error"><p>{problem}</p></div>
                        }.into_any(),
                        Ok(found) => {
                            let n = found.len();
                            let list = (n > 0).then(|| view! {
                                <p class="visually-hidden" role="status">{format!("{n} clients found")}</p>
                                <ul class="results" data-test-id="search-results">
                                    {with_dob_first(found, &dob_text).into_iter()
                                        .map(|(c, same)| client_link(c, same, "search-result")).collect_view()}
                                </ul>
                            });
                            let none = (n == 0).then(|| view! {
                                <p class="empty" role="status" data-test-id="no-results">"No client matches."</p>
                            });
                            let new_client = Page::NewClient { name: q.get_untracked().trim().to_owned(), dob: dob_text.clone() };
                            view! {
                                {none}
                                {list}
                                <div class="new-client" data-test-id="new-client-offer">
                                    <p class="hint">"Checked the list and the person is not on it?"</p>
                                    <a class="button primary" href=new_client.path() data-test-id="new-client">"New client"</a>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
