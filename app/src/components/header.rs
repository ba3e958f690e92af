//! The top bar: the product name, the inbox with its unread count, who is signed in (name,
//! agency, role: a link to their account) and sign-out; and the idle warning (P-5), a dialog a
//! few minutes before the server ends an unattended session, with "stay signed in".

use crate::session::{now_ms, stay_signed_in, use_session, watch_idle, SessionStatus};
use crate::{api, Page};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    watch_idle(session);
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::sign_out().await;
            session.ended(None, false);
        });
    };
    let signed_in = Memo::new(move |_| session.status() == SessionStatus::SignedIn);
    // The unread count: asked again on every navigation (a user's action, never a timer) and set
    // by the pages that mark notifications read.
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        location.search.track();
        if signed_in.get() {
            refresh_unread();
        }
    });
    let unread = move || session.unread.get().unwrap_or(0);
    let inbox_label = move || match unread() {
        0 => "Inbox, no unread notifications".to_owned(),
        1 => "Inbox, 1 unread notification".to_owned(),
        n => format!("Inbox, {n} unread notifications"),
    };
    view! {
        <header class="topbar">
            <a class="brand" href=Page::Home.path()>"Hearth"</a>
            <Show when=move || signed_in.get()>
                <nav class="topnav" aria-label="Your pages">
                    <a class="topnav-link" href=Page::Inbox.path() data-test-id="inbox-link"
                        aria-label=inbox_label>
                        <span aria-hidden="true">"Inbox"</span>
                        <Show when=move || { unread() > 0 }>
                            <span class="unread-count" aria-hidden="true" data-test-id="unread-count">{unread}</span>
                        </Show>
                    </a>
                    {move || session.with_me(|me| shared::admin::can_import_hud(&me.actor).allowed).unwrap_or(false).then(|| view! {
                        <a class="topnav-link" href=Page::HudImport.path() data-test-id="hud-import-link">"HUD import"</a>
                    })}
                </nav>
            </Show>
            {move || session.with_me(|s| view! {
                <a class="who" href=Page::Account.path() data-test-id="who" title="Your account">
                    <span class="who-name">{s.display_name.clone()}</span>
                    <span class="who-org">{format!("{} · {}", s.org.name, s.role.label())}</span>
                </a>
            })}
            <Show when=move || signed_in.get()>
                <button type="button" class="link" data-test-id="sign-out" on:click=sign_out>"Sign out"</button>
            </Show>
        </header>
        <IdleDialog />
        <Show when=move || session.ended_by_timeout.get()>
            <p class="timed-out" role="status" data-test-id="timed-out">
                "Your session ended: Hearth signs you out after a while without use. Sign in to go on where you were."
            </p>
        </Show>
    }
}

/// Asks the server for the unread count (a 401 means the session ended).
pub fn refresh_unread() {
    let session = use_session();
    spawn_local(async move {
        match api::call::<ep::ListNotifications>(&[], &NoQuery, &NoBody).await {
            Ok(list) => session.unread.set(Some(list.unread)),
            // The session ended by itself (idle or absolute timeout, or in another tab).
            Err(api::ApiError::SignedOut) => session.timed_out(),
            Err(_) => {}
        }
    });
}

/// The idle warning: a modal dialog (focus moves to "stay signed in"), with the time left.
#[component]
fn IdleDialog() -> impl IntoView {
    let session = use_session();
    let dialog = NodeRef::<html::Dialog>::new();
    let now = RwSignal::new(now_ms());
    // The countdown moves once a second while the warning shows.
    let ticker = StoredValue::new(None::<leptos::leptos_dom::helpers::IntervalHandle>);
    Effect::new(move |_| {
        let warning = session.idle.get();
        let Some(d) = dialog.get() else { return };
        if let Some(h) = ticker.get_value() {
            h.clear();
            ticker.set_value(None);
        }
        if warning.is_some() {
            now.set(now_ms());
            ticker.set_value(
                set_interval_with_handle(
                    move || now.set(now_ms()),
                    std::time::Duration::from_secs(1),
                )
                .ok(),
            );
            if !d.open() {
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    let left = move || {
        session.idle.get().map(|w| {
            let secs = ((w.ends_at_ms - now.get()) / 1000.0).max(0.0) as i64;
            format!("{}:{:02}", secs / 60, secs % 60)
        })
    };
    let can_extend = move || session.idle.get().is_some_and(|w| w.can_extend);
    view! {
        <dialog node_ref=dialog class="confirm idle-dialog" data-test-id="idle-warning"
            aria-labelledby="idle-title" aria-describedby="idle-text"
            on:cancel=move |ev: leptos::ev::Event| { ev.prevent_default(); stay_signed_in(session); }>
            <h2 id="idle-title">"Are you still there?"</h2>
            <p id="idle-text">
                {move || if can_extend() {
                    "For the clients' privacy, Hearth signs you out when it is not used for a while."
                } else {
                    "Your session reaches its longest allowed length and will end; save your work and sign in again."
                }}
            </p>
            <p class="idle-left">"Time left: " <span class="idle-countdown" data-test-id="idle-countdown">{left}</span></p>
            <div class="actions">
                <Show when=can_extend fallback=move || view! {
                    <button type="button" class="button" on:click=move |_| session.idle.set(None)>"Close"</button>
                }>
                    <button type="button" class="primary" data-test-id="stay-signed-in"
                        on:click=move |_| stay_signed_in(session)>"Stay signed in"</button>
                </Show>
            </div>
        </dialog>
    }
}
