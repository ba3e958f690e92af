//! `/inbox`: the user's in-app notifications (R-13: each names its client by HMIS number only),
//! newest first, unread ones marked and each markable as read; each links to its conflict's
//! client file when the conflict is one of the user's agency's, else to a search for the HMIS
//! number; an ROI reminder links to its client file's releases. The home page shows the unread ones (`UnreadNotifications`).

use crate::api::{self, ApiError};
use crate::components::{ErrorView, FormError, Loading, RouteHeading};
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, ConflictListQuery};
use shared::api::resolution::{NotificationList, NotificationView};
use shared::notify::{ConflictId, Message};

type Notices = LocalResource<Result<NotificationList, ApiError>>;
type ConflictClients = LocalResource<Vec<(ConflictId, i64)>>;

/// The notifications, and the unread count set in the header when they load.
fn notifications() -> Notices {
    let session = use_session();
    LocalResource::new(move || async move {
        let list = api::call::<ep::ListNotifications>(&[], &NoQuery, &NoBody).await;
        if let Ok(l) = &list {
            session.unread.set(Some(l.unread));
        }
        list
    })
}

/// Which client each of the user's agency's conflicts is about (for the notifications' links).
fn conflict_clients() -> ConflictClients {
    LocalResource::new(|| async {
        api::call::<ep::ListConflicts>(&[], &ConflictListQuery::default(), &NoBody)
            .await
            .map(|l| l.into_iter().map(|c| (c.id, c.client.0)).collect())
            .unwrap_or_default()
    })
}

fn conflict_of(m: &Message) -> Option<ConflictId> {
    match m {
        Message::DataConflictOpened { conflict, .. }
        | Message::DataConflictEscalated { conflict, .. }
        | Message::EntryExitConflictOpened { conflict, .. }
        | Message::EntryExitReviewRequested { conflict, .. }
        | Message::EntryExitDataCenter { conflict, .. } => Some(*conflict),
        Message::ContactDataCorrected { .. }
        | Message::RoiEndingSoon { .. }
        | Message::RecordsLinked { .. }
        | Message::RecordsUnlinked { .. } => None,
    }
}

/// Where a notification leads, and the link's words.
fn link_of(n: &NotificationView, clients: &[(ConflictId, i64)]) -> (String, String) {
    let by_conflict = conflict_of(&n.message).and_then(|id| {
        clients
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, client)| *client)
    });
    match (by_conflict, &n.message) {
        (_, Message::RoiEndingSoon { client, .. }) => (
            Page::Client(client.0, Section::Releases).path(),
            format!("Open the releases of {}", n.client),
        ),
        (Some(client), _) => (
            Page::Client(client, Section::Conflicts).path(),
            format!("Open the conflicts of {}", n.client),
        ),
        (None, Message::ContactDataCorrected { .. }) => (
            Page::Search(n.client.to_string()).path(),
            format!("Find client {}", n.client),
        ),
        (None, _) => (
            Page::Search(n.client.to_string()).path(),
            format!("Find client {}", n.client),
        ),
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let list = notifications();
    let clients = conflict_clients();
    view! {
        <section class="card">
            <RouteHeading text="Notifications" title="Inbox" />
            <Transition fallback=|| view! { <Loading what="notifications" /> }>
                {move || Suspend::new(async move {
                    let clients = clients.await;
                    match list.await {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(l) if l.items.is_empty() => view! {
                            <p class="empty" data-test-id="inbox-empty">"No notifications yet."</p>
                        }.into_any(),
                        Ok(l) => view! {
                            <p class="inbox-summary" data-test-id="inbox-summary">{summary(l.unread, l.items.len())}</p>
                            <ul class="notices">
                                {l.items.into_iter().map(|n| view! {
                                    <Notice notice=n clients=clients.clone() reload=list />
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn summary(unread: i64, total: usize) -> String {
    match unread {
        0 => format!("All {total} read."),
        1 => format!("1 unread of {total}."),
        n => format!("{n} unread of {total}."),
    }
}

/// The unread notifications on the home page (at most five), with a link to the inbox.
#[component]
pub fn UnreadNotifications() -> impl IntoView {
    let list = notifications();
    let clients = conflict_clients();
    view! {
        <section class="card home-card" aria-labelledby="unread-heading" data-test-id="home-notifications">
            <div class="home-card-head">
                <h2 id="unread-heading">"Unread notifications"</h2>
                <a class="home-more" href=Page::Inbox.path() data-test-id="home-inbox-link">"All notifications"</a>
            </div>
            <Transition fallback=|| view! { <Loading what="notifications" /> }>
                {move || Suspend::new(async move {
                    let clients = clients.await;
                    match list.await {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(l) => {
                            let unread: Vec<NotificationView> =
                                l.items.into_iter().filter(|n| n.read_at.is_none()).take(5).collect();
                            if unread.is_empty() {
                                view! { <p class="empty" data-test-id="unread-empty">"Nothing new."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="notices">
                                        {unread.into_iter().map(|n| view! {
                                            <Notice notice=n clients=clients.clone() reload=list />
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Notice(
    notice: NotificationView,
    clients: Vec<(ConflictId, i64)>,
    reload: Notices,
) -> impl IntoView {
    let id = notice.id;
    let mark = Action::new_local(move |_: &()| async move {
        api::call::<ep::MarkNotificationRead>(&[id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if mark.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.refetch();
        }
    });
    let error = api::last_error(mark);
    let busy = mark.pending();
    let unread = notice.read_at.is_none();
    let (href, link_text) = link_of(&notice, &clients);
    let when = notice.created_at.format("%Y-%m-%d %H:%M").to_string();
    view! {
        <li class="notice" class:notice-unread=unread data-test-id="notification"
            data-read=(!unread).to_string() data-notification-id=id.to_string()>
            <div class="notice-head">
                {unread.then(|| view! { <span class="unread-tag">"New"</span> })}
                <span class="notice-subject">{notice.subject}</span>
            </div>
            <p class="notice-body">{notice.body}</p>
            <div class="notice-foot">
                <span class="notice-when">{when}</span>
                <a href=href data-test-id="notification-link">{link_text}</a>
                {unread.then(|| view! {
                    <button type="button" class="button small" data-test-id="mark-read" disabled=busy
                        on:click=move |_| { mark.dispatch(()); }>
                        {move || if busy.get() { "Marking…" } else { "Mark read" }}
                    </button>
                })}
            </div>
            <FormError error=error />
        </li>
    }
}
