//! `/clients/:id`: the parent route of a client's file. It loads the profile once, provides it
//! to its sections by context (`ClientFile`), shows the client's name and the section tabs, and
//! each section is a nested route with its own URL (see `routes::Section`).

pub mod attachments;
pub mod case_managers;
pub mod conflicts;
pub mod contacts;
pub mod demographics;
pub mod enrollments;
pub mod forms;
pub mod household;
pub mod intake;
pub mod notes;
pub mod overview;
pub mod releases;
pub mod same_person;
pub mod services;

use crate::api::{self, ApiError};
use crate::components::{org_namer, ErrorView, Loading, RouteHeading, VisibilityBadge};
use crate::routes::seg;
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_params_map;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::records::RecordList;
use shared::api::{ClientProfile, Endpoint, OrgName, SessionInfo};
use shared::{can_read, Decision, Reason, RecordMeta, SharingContext};

/// The client file of the current route, for its sections.
#[derive(Clone, Copy)]
pub struct ClientFile {
    /// The client's id (from the URL).
    pub id: Memo<i64>,
    /// The profile: intake, every readable record, ROIs, MOUs and organization names.
    pub profile: LocalResource<Result<ClientProfile, ApiError>>,
}

impl ClientFile {
    /// Reads the loaded profile (tracked); `None` while loading or after an error.
    pub fn with<R>(&self, f: impl FnOnce(&ClientProfile) -> R) -> Option<R> {
        self.profile.with(|p| match p {
            Some(Ok(p)) => Some(f(p)),
            _ => None,
        })
    }

    /// Like `with`, untracked.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&ClientProfile) -> R) -> Option<R> {
        self.profile.with_untracked(|p| match p {
            Some(Ok(p)) => Some(f(p)),
            _ => None,
        })
    }

    /// Loads the profile again (after a change to the intake or to records it lists).
    pub fn reload(&self) {
        self.profile.refetch();
    }

    pub fn orgs(&self) -> Vec<OrgName> {
        self.with(|p| p.org_names.clone()).unwrap_or_default()
    }

    /// Renders a decision's reason with this file's organization names.
    pub fn describe(&self) -> Callback<Reason, String> {
        let orgs = self
            .with_untracked(|p| p.org_names.clone())
            .unwrap_or_default();
        Callback::new(move |r: Reason| r.describe(&org_namer(orgs.clone())))
    }

    /// The name of an organization of this file.
    pub fn org_name(&self, org: shared::OrgId) -> String {
        org_namer(self.orgs())(org)
    }

    /// The client's name as the heading shows it.
    pub fn name(&self) -> String {
        self.with(|p| full_name(&p.intake)).unwrap_or_default()
    }

    /// A shared decision about this client, from the signed-in user, today's date and policy and
    /// this file's ROIs and MOUs: the same inputs the server decides from. Tracked.
    pub fn decide(
        &self,
        f: impl FnOnce(&SessionInfo, &SharingContext<'_>) -> Decision,
    ) -> Decision {
        let session = use_session();
        self.with(|p| {
            let ctx = SharingContext {
                rois: &p.rois,
                mous: &p.mous,
            };
            session.with_me(|me| f(me, &ctx))
        })
        .flatten()
        .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    }

    /// The read decision of one record (its badge).
    pub fn can_read(&self, meta: &RecordMeta) -> Decision {
        self.decide(|me, ctx| can_read(&me.actor, meta, ctx, me.today, &me.policy))
    }
}

/// The `ClientFile` of the enclosing client route.
pub fn use_client() -> ClientFile {
    expect_context::<ClientFile>()
}

/// A list of records of this client from a `GET /clients/{id}/...` endpoint, reloaded when the
/// client changes (and by `refetch()` after a write).
pub fn record_list<E>(file: ClientFile) -> LocalResource<Result<RecordList, ApiError>>
where
    E: Endpoint<Query = NoQuery, Body = NoBody, Response = RecordList>,
{
    LocalResource::new(move || {
        let id = file.id.get();
        async move { api::call::<E>(&[id], &NoQuery, &NoBody).await }
    })
}

pub fn full_name(intake: &shared::api::IntakeView) -> String {
    format!(
        "{} {}{}",
        intake.first_name,
        intake
            .middle_name
            .as_deref()
            .map(|m| format!("{m} "))
            .unwrap_or_default(),
        intake.last_name
    )
}

#[component]
pub fn ClientPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get(seg::ID)
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0)
        })
    });
    let profile = LocalResource::new(move || {
        let id = id.get();
        async move {
            if id <= 0 {
                Err(ApiError::NotFound)
            } else {
                api::client_profile(id).await
            }
        }
    });
    let file = ClientFile { id, profile };
    provide_context(file);
    let loaded = Memo::new(move |_| profile.with(|p| matches!(p, Some(Ok(_)))));
    view! {
        <Transition fallback=|| view! { <Loading what="the client" /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => view! { <ClientHead profile=p /> }.into_any(),
                    Err(e) => view! {
                        <section class="card" data-test-id="profile-error">
                            <RouteHeading text="Client not available" />
                            <ErrorView error=e />
                            <a href=Page::Home.path()>"Back to your home page"</a>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
        <Show when=move || loaded.get()>
            <SectionTabs id=id.get_untracked() />
            <Outlet />
        </Show>
    }
}

/// The client's name, HMIS number and the intake's visibility badge.
#[component]
fn ClientHead(profile: ClientProfile) -> impl IntoView {
    super::home::recent::remember(&profile);
    let file = use_client();
    let decision = file.can_read(&profile.intake.meta);
    view! {
        <section class="card client" data-test-id="client-profile">
            <div class="client-head">
                <div>
                    <h1 data-test-id="client-name">{full_name(&profile.intake)}</h1>
                    <p class="hmis" data-test-id="hmis-number">{profile.hmis_number.to_string()}</p>
                    {super::new_client::is_placeholder(&profile.intake).then_some(view! {
                        <p class="badge placeholder-badge" data-test-id="placeholder-badge">"Placeholder name"</p>
                    })}
                </div>
                <VisibilityBadge decision=decision orgs=profile.org_names.clone() />
            </div>
        </section>
    }
}

/// The tabs of the file's sections: links (each section has its URL), the current one marked
/// with `aria-current="page"`.
#[component]
fn SectionTabs(id: i64) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Client file sections" data-test-id="section-tabs">
            <ul>
                {Section::ALL.into_iter().map(|s| view! {
                    <li>
                        <A href=Page::Client(id, s).path() exact=true attr:data-test-id=format!("tab-{}", if s == Section::Overview { "overview" } else { s.slug() })>
                            {s.tab()}
                        </A>
                    </li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// The frame of one section: its heading (the document title names the section and the client,
/// and the focus moves to it) and its content.
#[component]
pub fn SectionFrame(section: Section, children: Children) -> impl IntoView {
    let file = use_client();
    let title = format!("{} · {}", section.title(), file.name());
    let slug = if section == Section::Overview {
        "overview"
    } else {
        section.slug()
    };
    view! {
        <section class="card section" data-test-id=format!("section-{slug}")>
            <RouteHeading text=section.title() title=title level=2 />
            {children()}
        </section>
    }
}

/// Shows a record list resource: loading, the server's error, or `render` of the loaded list
/// (kept on screen while it reloads).
#[component]
pub fn ListView<F, V>(
    list: LocalResource<Result<RecordList, ApiError>>,
    render: F,
    #[prop(optional)] what: &'static str,
) -> impl IntoView
where
    F: Fn(RecordList) -> V + Send + Sync + Copy + 'static,
    V: IntoView + 'static,
{
    // The Transition below is compiled once for every list: only this small closure is generic.
    let render: RenderList = std::sync::Arc::new(move |l| render(l).into_any());
    list_view(list, render, what)
}

type RenderList = std::sync::Arc<dyn Fn(RecordList) -> AnyView + Send + Sync>;

fn list_view(
    list: LocalResource<Result<RecordList, ApiError>>,
    render: RenderList,
    what: &'static str,
) -> AnyView {
    let file = use_client();
    view! {
        <Transition fallback=move || view! { <Loading what=what /> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match list.await {
                        Ok(l) => render(l),
                        Err(e) => view! { <ErrorView error=e describe=file.describe() /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
    .into_any()
}

/// The records of a list as plain cards, each with its badge (the browser's read decision), and
/// the S-9 notice when the policy turns it on; `empty` when there are none.
#[component]
pub fn RecordCards(list: RecordList, #[prop(into)] empty: String) -> impl IntoView {
    let file = use_client();
    let orgs = file.orgs();
    let withheld = list.withheld_by.clone().filter(|o| !o.is_empty());
    let cards = if list.records.is_empty() {
        view! { <p class="empty" data-test-id="empty">{empty}</p> }.into_any()
    } else {
        view! {
            <ul class="records">
                {list.records.into_iter().map(|r| {
                    let decision = file.can_read(&r.meta);
                    view! {
                        <crate::components::RecordCard meta=r.meta entered_by=r.entered_by
                            title=r.title detail=r.detail decision=decision server_reason=r.reason
                            orgs=orgs.clone() />
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {cards}
        <WithheldNote orgs=withheld />
    }
}

/// S-9: nothing about withheld records unless the CoC's policy turns the notice on.
#[component]
pub fn WithheldNote(orgs: Option<Vec<OrgName>>) -> impl IntoView {
    orgs.map(|orgs| {
        view! {
            <p class="hidden-note" data-test-id="hidden-note">
                {format!("Records restricted to {} exist.",
                    orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", "))}
            </p>
        }
    })
}
