//! Issue 15, duplicates linked, not merged: the "Same person" panel of a client's overview. It
//! shows the record linked to this one (its tier-1 summary, with a link to its file), lets any
//! user link this record to another found by HMIS number or name (confirmed in a dialog), and
//! lets a SystemAdmin or an AgencyAdmin of the linking agency undo the link, gated by the shared
//! decisions (`shared::links::can_link`, `can_unlink`) with their reasons shown.

use super::use_client;
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{ConfirmButton, DecisionGate, ErrorView, FormError, Loading};
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::links::{ClientLinkView, ClientLinks, NewLinkRequest};
use shared::api::ClientSummary;
use shared::links::{can_link, can_unlink, LinkSide};
use shared::{ClientId, Decision, Reason};

type Links = LocalResource<Result<ClientLinks, ApiError>>;

#[component]
pub fn SamePersonPanel() -> impl IntoView {
    let file = use_client();
    let links: Links = LocalResource::new(move || {
        let id = file.id.get();
        async move { api::call::<ep::ListClientLinks>(&[id], &NoQuery, &NoBody).await }
    });
    view! {
        <section class="card same-person" aria-labelledby="same-person-title" data-test-id="same-person">
            <h2 id="same-person-title">"Same person"</h2>
            <Transition fallback=|| view! { <Loading what="linked records" /> }>
                {move || Suspend::new(async move {
                    match links.await {
                        Ok(l) => {
                            let live = l.links.iter().find(|v| v.link.is_live()).cloned();
                            let ended: Vec<ClientLinkView> =
                                l.links.into_iter().filter(|v| !v.link.is_live()).collect();
                            view! {
                                {match live {
                                    Some(v) => view! { <LiveLink view=v links=links /> }.into_any(),
                                    None => view! { <LinkForm links=links /> }.into_any(),
                                }}
                                <EndedLinks ended=ended />
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e describe=file.describe() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn summary_line(c: &ClientSummary) -> String {
    let dob = c
        .date_of_birth
        .map(|d| format!(", born {d}"))
        .unwrap_or_default();
    format!("{} {}{dob}", c.first_name, c.last_name)
}

#[component]
fn LiveLink(view: ClientLinkView, links: Links) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let link = view.link.clone();
    let id = link.id.0;
    let decision = Signal::derive(move || {
        session
            .with_me(|me| can_unlink(&me.actor, &link))
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let unlink = Action::new_local(move |_: &()| async move {
        api::call::<ep::UnlinkClients>(&[id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if unlink.value().with(|v| matches!(v, Some(Ok(_)))) {
            links.refetch();
        }
    });
    let error = last_error(unlink);
    let other = view.other.clone();
    let href = Page::Client(other.id.0, Section::Overview).path();
    let describe = file.describe();
    view! {
        <p data-test-id="same-person-live">
            "This record and "
            <a href=href data-test-id="same-person-other">{other.hmis_number.to_string()}</a>
            " are the same person. Both records are kept; each is shared by its own rules."
        </p>
        <dl class="facts">
            <dt>"Other record"</dt>
            <dd data-test-id="same-person-summary">{summary_line(&other)}</dd>
            <dt>"Linked by"</dt>
            <dd>{format!("{} on {}", view.org_name, view.link.linked_at.date())}</dd>
        </dl>
        <div class="gated">
            <DecisionGate decision=decision describe=describe test_id="unlink">
                <ConfirmButton label="Undo link"
                    question="Undo this link? Both records stay exactly as they are; they are no longer shown as one person."
                    confirm="Undo link" on_confirm=Callback::new(move |_| { unlink.dispatch(()); })
                    disabled=unlink.pending() test_id="unlink-open" danger=true />
            </DecisionGate>
        </div>
        <FormError error=error describe=describe />
    }
}

#[component]
fn EndedLinks(ended: Vec<ClientLinkView>) -> impl IntoView {
    (!ended.is_empty()).then(|| {
        view! {
            <details class="same-person-history">
                <summary>"Earlier links"</summary>
                <ul>
                    {ended
                        .into_iter()
                        .map(|v| {
                            let until = v.link.ended_at.map(|t| t.date().to_string()).unwrap_or_default();
                            view! {
                                <li data-test-id="same-person-ended">
                                    {format!(
                                        "{} linked by {} on {}, undone on {until}",
                                        v.other.hmis_number,
                                        v.org_name,
                                        v.link.linked_at.date()
                                    )}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        }
    })
}

#[component]
fn LinkForm(links: Links) -> impl IntoView {
    let file = use_client();
    let (q, set_q) = signal(String::new());
    let find = Action::new_local(move |q: &String| {
        let q = q.clone();
        async move { api::search_clients(&q).await }
    });
    let found_error = last_error(find);
    let describe = file.describe();
    view! {
        <p>"Is this person also recorded under another HMIS number? Find the other record to link them. Nothing is merged: a link can be undone."</p>
        <form class="same-person-find" on:submit=move |ev| {
            ev.prevent_default();
            find.dispatch(q.get_untracked());
        }>
            <label for="same-person-q">"HMIS number or name"</label>
            <div class="inline-field">
                <input id="same-person-q" type="search" data-test-id="same-person-q" minlength="2"
                    prop:value=q on:input=move |ev| set_q.set(event_target_value(&ev)) />
                <button type="submit" class="button" data-test-id="same-person-find"
                    disabled=move || find.pending().get()>"Find"</button>
            </div>
        </form>
        <FormError error=found_error describe=describe />
        {move || {
            let me = file.id.get();
            find.value().get().and_then(Result::ok).map(|rows| {
                let rows: Vec<ClientSummary> = rows.into_iter().filter(|c| c.id.0 != me).collect();
                if rows.is_empty() {
                    return view! { <p class="empty" data-test-id="same-person-none">"No other record found."</p> }.into_any();
                }
                view! {
                    <ul class="same-person-results">
                        {rows.into_iter().map(|c| view! { <Candidate other=c links=links /> }).collect_view()}
                    </ul>
                }
                .into_any()
            })
        }}
    }
}

#[component]
fn Candidate(other: ClientSummary, links: Links) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let this = file.id.get_untracked();
    let other_id = other.id.0;
    let other_linked = !other.same_person.is_empty();
    let decision = Signal::derive(move || {
        let a = LinkSide {
            client: ClientId(this),
            deleted: false,
            linked: false,
        };
        let b = LinkSide {
            client: ClientId(other_id),
            deleted: false,
            linked: other_linked,
        };
        session
            .with_me(|me| can_link(&me.actor, &a, &b))
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let key = StoredValue::new(FormKey::new());
    let link = Action::new_local(move |_: &()| {
        let key = key.get_value();
        async move {
            let body = NewLinkRequest {
                other: ClientId(other_id),
            };
            api::submit::<ep::LinkClients>(&key, &[this], &NoQuery, &body).await
        }
    });
    Effect::new(move |_| {
        if link.value().with(|v| matches!(v, Some(Ok(_)))) {
            links.refetch();
        }
    });
    let error = last_error(link);
    let describe = file.describe();
    let hmis = other.hmis_number.to_string();
    let question = format!(
        "Mark this record and {hmis} ({}) as the same person? Both records are kept as they are; \
         the agencies that entered them are told.",
        summary_line(&other)
    );
    view! {
        <li data-test-id="same-person-candidate" data-hmis=hmis.clone()>
            <span>{format!("{hmis}: {}", summary_line(&other))}</span>
            <div class="gated">
                <DecisionGate decision=decision describe=describe test_id="link">
                    <ConfirmButton label="Same person" question=question.clone() confirm="Link records"
                        on_confirm=Callback::new(move |_| { link.dispatch(()); })
                        disabled=link.pending() test_id="link-open" />
                </DecisionGate>
            </div>
            <FormError error=error describe=describe />
        </li>
    }
}
