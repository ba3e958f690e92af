//! The administrators' screens (SPEC section 1, P-4): `/admin` lists the areas the signed-in user
//! may use, each offered by its shared decision; one module per area. They are the
//! administrators' bundle (`routes::Bundle::Admin`, mounted by `AdminApp`).

pub mod audit;
pub mod hud_import;
pub mod mous;
pub mod organizations;
pub mod programs;
pub mod queues;
pub mod releases;
pub mod users;

use crate::components::RouteHeading;
use crate::session::use_session;
use crate::Page;
use leptos::prelude::*;
use shared::admin;
use shared::api::endpoints::AuditQuery;
use shared::Actor;

/// The signed-in actor (inside the protected route it is always there).
pub fn actor() -> Option<Actor> {
    use_session().with_me_untracked(|me| me.actor)
}

/// A refusal of a whole admin page, in the decision's words.
#[component]
pub fn Refused(decision: shared::Decision) -> impl IntoView {
    let why = crate::api::describe_plain(&decision.reason);
    view! {
        <p class="gate-reason" role="alert" data-test-id="page-refused" data-reason=decision.reason.code()>{why}</p>
    }
}

/// `/admin`: the areas this administrator may use, with what each is for.
#[component]
pub fn AdminHome() -> impl IntoView {
    let Some(a) = actor() else {
        return ().into_any();
    };
    let entry = admin::can_administer(&a);
    if !entry.allowed {
        return view! {
            <section class="card">
                <RouteHeading text="Administration" />
                <Refused decision=entry />
            </section>
        }
        .into_any();
    }
    let areas = [
        (
            admin::can_list_users(&a).allowed,
            Page::AdminUsers,
            "Users",
            "Create accounts, change roles, disable accounts and reset passwords.",
        ),
        (
            admin::can_manage_org(&a).allowed,
            Page::AdminOrganizations,
            "Organizations",
            "The participating agencies and their heads, who sign MOUs.",
        ),
        (
            admin::can_manage_program(&a, a.org).allowed,
            Page::AdminPrograms,
            "Programs",
            "Each agency's programs and their HUD project types.",
        ),
        (
            admin::audit_scope(&a).1.allowed,
            Page::AdminAudit(AuditQuery::default()),
            "Audit log",
            "Who read or changed what, when, and why it was allowed.",
        ),
        (
            shared::can_create_mou(&a).allowed,
            Page::Mous,
            "MOUs",
            "Data-sharing agreements between agencies: signatures, documents, impact preview.",
        ),
        (
            shared::can_list_agency_rois(&a).allowed,
            Page::AdminReleases,
            "Releases",
            "Releases of information across the agency, and those ending soon.",
        ),
        (
            shared::resolution::can_see_resolution_queue(&a).allowed,
            Page::AdminQueues,
            "Queues",
            "Data conflicts and entry/exit conflicts waiting for your agency or the data center.",
        ),
        (
            admin::can_import_hud(&a).allowed,
            Page::HudImport,
            "HUD import",
            "Bring in another HMIS's HUD CSV export: upload, dry run, report.",
        ),
    ];
    view! {
        <section class="card">
            <RouteHeading text="Administration" />
            <ul class="results admin-areas" data-test-id="admin-areas">
                {areas.into_iter().filter(|(ok, ..)| *ok).map(|(_, page, title, what)| view! {
                    <li>
                        <a href=page.path() data-test-id="admin-area">
                            <span class="result-name">{title}</span>
                            <span class="result-meta">{what}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
