//! The caseworker's own page after sign-in: the search box, the clients they opened recently
//! (kept in this browser, per user), their unread notifications, the open conflicts they
//! raised or that address their agency with what is due next (R-3, R-8: from each conflict's
//! shared escalation decision, never a threshold of our own), the entry/exit overlaps detected
//! in their agency's enrollments with no conflict opened yet, and their agency's releases
//! ending within the policy's reminder window (S-3, P-2).

pub mod recent;

use super::search::SearchForm;
use crate::api::{self, ApiError};
use crate::components::{org_namer, ErrorView, Loading, RouteHeading};
use crate::session::use_session;
use crate::{Page, Section};
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, ConflictListQuery, EntryExitListQuery, RoiListQuery};
use shared::api::releases::EndingRois;
use shared::api::resolution::{ConflictView, EntryExitView};
use shared::api::{OrgName, SessionInfo};
use shared::resolution::{ConflictState, ConflictSubject};
use shared::{OrgId, Reason};

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
        <div class="home-grid">
            <recent::RecentClients />
            <super::inbox::UnreadNotifications />
            <OpenConflicts />
            <EndingReleases />
        </div>
    }
}

/// The organizations' names, for the conflicts' parties.
fn org_names() -> LocalResource<Vec<OrgName>> {
    LocalResource::new(|| async {
        api::call::<ep::ListOrganizations>(&[], &NoQuery, &NoBody)
            .await
            .map(|orgs| {
                orgs.into_iter()
                    .map(|o| OrgName {
                        id: o.id,
                        name: o.name,
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// What a conflict is about, in a few words.
pub fn conflict_subject(c: &ConflictView) -> String {
    match &c.subject {
        ConflictSubject::Field { field, .. } => capitalized(&format!("{} conflict", field.label())),
        ConflictSubject::EntryExit { issue, .. } => format!("Entry/exit: {}", issue.label()),
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What is due next on `c` for the signed-in user, and by when if a date is known. It reads the
/// conflict's state and the server's shared escalation decision for the user (`can_step` of
/// the next escalation), so every number in it is the policy's.
pub fn due_next(
    c: &ConflictView,
    me: &SessionInfo,
    name: &dyn Fn(OrgId) -> String,
) -> (String, Option<NaiveDate>) {
    let reporter = me.actor.org == c.reporter_org;
    let entry_exit = matches!(c.subject, ConflictSubject::EntryExit { .. });
    match &c.state {
        ConflictState::Open if reporter => match (&c.escalation.allowed, &c.escalation.reason) {
            (true, _) => (
                "Ready to escalate: the contact attempts are complete".to_owned(),
                None,
            ),
            (
                false,
                Reason::EscalationTooEarly {
                    attempts,
                    attempts_needed,
                    next_attempt_on_or_after,
                    ..
                },
            ) => {
                let more = attempts_needed.saturating_sub(*attempts);
                let plural = if more == 1 { "" } else { "s" };
                let text = match (more, next_attempt_on_or_after) {
                    (0, Some(d)) => format!("Log a contact attempt on or after {d}, then escalate"),
                    (n, Some(d)) => {
                        format!("Log {n} more contact attempt{plural}, one on or after {d}")
                    }
                    (n, None) => format!("Log {n} more contact attempt{plural}"),
                };
                (text, *next_attempt_on_or_after)
            }
            (false, reason) => (reason.describe(name), None),
        },
        ConflictState::Open => (
            format!(
                "{} is trying to reach your agency: agree on the right value with them",
                name(c.reporter_org)
            ),
            None,
        ),
        ConflictState::Agreed { on, updater, .. } if *updater == me.actor.org => (
            format!("Agreed on {on}: your agency updates the value"),
            None,
        ),
        ConflictState::Agreed { on, updater, .. } => (
            format!("Agreed on {on}: {} updates the value", name(*updater)),
            None,
        ),
        ConflictState::Escalated { .. } if entry_exit && reporter => {
            match (&c.escalation.allowed, &c.escalation.reason) {
                (true, _) => ("Ready to go to the data center".to_owned(), None),
                (false, Reason::DataCenterTooEarly { on_or_after, .. }) => (
                    format!("The data center may be asked on or after {on_or_after}"),
                    Some(*on_or_after),
                ),
                (false, reason) => (reason.describe(name), None),
            }
        }
        ConflictState::Escalated { on } if reporter => (
            format!(
                "Escalated on {on}: waiting for {} to correct it",
                name(c.addressed_org)
            ),
            None,
        ),
        ConflictState::Escalated { on } => (
            format!("Escalated on {on}: your agency reviews and corrects the data"),
            None,
        ),
        ConflictState::DataCenter { on, .. } => (format!("With the data center since {on}"), None),
        ConflictState::Resolved { on } => (format!("Resolved on {on}"), None),
    }
}

/// Whether the home page lists `c` for the user: unresolved, and raised by them or addressed to
/// their agency.
fn on_my_list(c: &ConflictView, me: &SessionInfo) -> bool {
    !matches!(c.state, ConflictState::Resolved { .. })
        && (c.reporter_user == me.user_id || c.addressed_org == me.actor.org)
}

#[component]
fn OpenConflicts() -> impl IntoView {
    let session = use_session();
    let conflicts = LocalResource::new(|| async {
        api::call::<ep::ListConflicts>(&[], &ConflictListQuery::default(), &NoBody).await
    });
    let detected = LocalResource::new(|| async {
        api::call::<ep::ListEntryExitConflicts>(&[], &EntryExitListQuery::default(), &NoBody).await
    });
    let names = org_names();
    view! {
        <section class="card home-card" aria-labelledby="conflicts-heading" data-test-id="open-conflicts">
            <h2 id="conflicts-heading">"Open conflicts"</h2>
            <Transition fallback=|| view! { <Loading what="conflicts" /> }>
                {move || Suspend::new(async move {
                    let names = names.await;
                    let me = session.me();
                    match (conflicts.await, me) {
                        (Err(e), _) => view! { <ErrorView error=e /> }.into_any(),
                        (Ok(_), None) => ().into_any(),
                        (Ok(list), Some(me)) => {
                            let name = org_namer(names);
                            let mut rows: Vec<(ConflictView, String, Option<NaiveDate>)> = list
                                .into_iter()
                                .filter(|c| on_my_list(c, &me))
                                .map(|c| {
                                    let (text, by) = due_next(&c, &me, &name);
                                    (c, text, by)
                                })
                                .collect();
                            // Dated steps first, soonest first; then the rest, newest first.
                            rows.sort_by_key(|(c, _, by)| (by.is_none(), *by, std::cmp::Reverse(c.opened_on)));
                            conflict_rows(rows, &me, &name).into_any()
                        }
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match detected.await {
                        Ok(list) => detected_rows(list).into_any(),
                        Err(ApiError::SignedOut) => view! { <ErrorView error=ApiError::SignedOut /> }.into_any(),
                        Err(_) => ().into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn conflict_rows(
    rows: Vec<(ConflictView, String, Option<NaiveDate>)>,
    me: &SessionInfo,
    name: &dyn Fn(OrgId) -> String,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty" data-test-id="conflicts-empty">"No open conflicts for you or your agency."</p> }
            .into_any();
    }
    let items = rows
        .into_iter()
        .map(|(c, text, by)| {
            let parties = if c.reporter_org == me.actor.org {
                format!("Raised by your agency with {}", name(c.addressed_org))
            } else {
                format!("Raised by {}", name(c.reporter_org))
            };
            let state = c.state.clone();
            view! {
                <li class="work-item" data-test-id="conflict-item" data-conflict-id=c.id.0.to_string()>
                    <a href=Page::Client(c.client.0, Section::Conflicts).path()>
                        <span class="result-name">{conflict_subject(&c)}</span>
                        <span class="result-meta">{format!("{} · {parties} · opened {}", c.hmis_number, c.opened_on)}</span>
                    </a>
                    <p class="due" class:due-dated=by.is_some() data-test-id="due-next">
                        <span class="state-tag">{state_label(&state)}</span>
                        " "{text}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="work-list">{items}</ul> }.into_any()
}

fn state_label(state: &ConflictState) -> &'static str {
    match state {
        ConflictState::Open => "Open",
        ConflictState::Agreed { .. } => "Agreed",
        ConflictState::Escalated { .. } => "Escalated",
        ConflictState::DataCenter { .. } => "Data center",
        ConflictState::Resolved { .. } => "Resolved",
    }
}

/// Detected entry/exit overlaps about which no conflict is open yet.
fn detected_rows(list: Vec<EntryExitView>) -> impl IntoView {
    let fresh: Vec<EntryExitView> = list.into_iter().filter(|d| d.conflict.is_none()).collect();
    (!fresh.is_empty()).then(|| {
        view! {
            <h3 class="home-subhead">"Entry/exit overlaps found, no conflict opened"</h3>
            <ul class="work-list">
                {fresh.into_iter().map(|d| view! {
                    <li class="work-item" data-test-id="detected-item">
                        <a href=Page::Client(d.client.0, Section::Conflicts).path()>
                            <span class="result-name">{d.issue.label()}</span>
                            <span class="result-meta">{format!("{} · since {}", d.hmis_number, d.from)}</span>
                        </a>
                        <p class="due">{d.description}</p>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn EndingReleases() -> impl IntoView {
    let rois = LocalResource::new(|| async {
        api::call::<ep::ListEndingRois>(&[], &RoiListQuery::default(), &NoBody).await
    });
    let window = move || {
        rois.get()
            .and_then(|r| r.ok())
            .map(|r| r.within_days)
            .or_else(|| use_session().with_me_untracked(|me| me.policy.roi_reminder_days))
    };
    view! {
        <section class="card home-card" aria-labelledby="releases-heading" data-test-id="ending-releases">
            <h2 id="releases-heading">
                {move || match window() {
                    Some(d) => format!("Releases ending within {d} days"),
                    None => "Releases ending soon".to_owned(),
                }}
            </h2>
            <Transition fallback=|| view! { <Loading what="releases" /> }>
                {move || Suspend::new(async move {
                    match rois.await {
                        Ok(list) => ending_rows(list).into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn ending_rows(list: EndingRois) -> impl IntoView {
    if list.rois.is_empty() {
        return view! { <p class="empty" data-test-id="releases-empty">"No release of your agency's clients ends soon."</p> }
            .into_any();
    }
    view! {
        <ul class="work-list">
            {list.rois.into_iter().map(|r| {
                let when = match r.days_left {
                    0 => "ends today".to_owned(),
                    1 => "ends tomorrow".to_owned(),
                    n => format!("ends in {n} days"),
                };
                view! {
                    <li class="work-item" data-test-id="ending-release" data-roi-id=r.id.0.to_string()>
                        <a href=Page::Client(r.client.0, Section::Releases).path()>
                            <span class="result-name">{format!("{} {}", r.first_name, r.last_name)}</span>
                            <span class="result-meta">{format!("{} · ROI #{} · last day {}", r.hmis_number, r.id.0, r.end)}</span>
                        </a>
                        <p class="due due-dated"><span class="state-tag">{when}</span></p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
