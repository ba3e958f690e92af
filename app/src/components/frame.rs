//! The frame every route shares: the skip link, the protected parent route (the one session
//! check), and the route heading that names the page in the title and takes the focus.

use crate::session::{use_session, SessionState, SessionStatus};
use crate::Page;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;
use leptos_router::NavigateOptions;

/// Whether a route heading has been shown yet (see `RouteHeading`).
static NAVIGATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// "Skip to main content": the first focusable element of every page.
#[component]
pub fn SkipLink() -> impl IntoView {
    let skip = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            if let Ok(main) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(main) {
                let _ = main.focus();
            }
        }
    };
    view! { <a class="skip-link" href="#main" on:click=skip>"Skip to main content"</a> }
}

/// The parent route of every page that needs a session: it waits for the session, sends a
/// signed-out user to sign-in (returning here afterwards), and shows a failure to reach the
/// server as an error with a retry (never as "signed out").
#[component]
pub fn Protected() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let status = Memo::new(move |_| session.status());
    move || match status.get() {
        SessionStatus::Loading => view! { <super::Loading what="Hearth" /> }.into_any(),
        SessionStatus::SignedIn => view! { <Outlet /> }.into_any(),
        SessionStatus::SignedOut => {
            // The router's `search` has no leading `?`: put it back, so `next` keeps the query.
            let search = location.search.get_untracked();
            let here = match search.trim_start_matches('?') {
                "" => location.pathname.get_untracked(),
                q => format!("{}?{q}", location.pathname.get_untracked()),
            };
            let next = (here != "/").then_some(here);
            view! {
                <Redirect path=Page::SignIn(next).path()
                    options=NavigateOptions { replace: true, ..Default::default() } />
            }
            .into_any()
        }
        SessionStatus::Failed => {
            let error = session.state.with_untracked(|s| match s {
                SessionState::Failed(e) => Some(e.clone()),
                _ => None,
            });
            view! {
                <section class="card">
                    <h1>"Hearth could not start"</h1>
                    {error.map(|e| view! { <super::ErrorView error=e /> })}
                    <button type="button" class="primary" on:click=move |_| session.load()>
                        "Try again"
                    </button>
                </section>
            }
            .into_any()
        }
    }
}

/// The heading of a route: sets the document title to `title` (then "· Hearth") and moves the
/// focus to the heading when the route is shown, so a screen reader announces the new page.
/// `level` 1 for pages, 2 for the sections of a client's file.
#[component]
pub fn RouteHeading(
    #[prop(into)] text: String,
    /// The document title; `text` when absent.
    #[prop(optional, into)]
    title: Option<String>,
    #[prop(default = 1)] level: u8,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let title = title.unwrap_or_else(|| text.clone());
    document().set_title(&format!("{title} · Hearth"));
    // The page as first loaded keeps the focus at its start (the skip link is the first Tab);
    // every later route change moves it to the new heading.
    let first = !NAVIGATED.swap(true, std::sync::atomic::Ordering::Relaxed);
    let focus = move |el: &web_sys::HtmlElement| {
        if !first {
            let _ = el.focus();
        }
    };
    if level == 1 {
        let node = NodeRef::<html::H1>::new();
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                focus(&el);
            }
        });
        view! { <h1 node_ref=node tabindex="-1" class="route-heading" data-test-id=test_id>{text}</h1> }
            .into_any()
    } else {
        let node = NodeRef::<html::H2>::new();
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                focus(&el);
            }
        });
        view! { <h2 node_ref=node tabindex="-1" class="route-heading" data-test-id=test_id>{text}</h2> }
            .into_any()
    }
}
