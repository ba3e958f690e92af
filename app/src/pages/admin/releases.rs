//! `/admin/releases`: the releases of information across the user's agency (S-3, P-2): every
//! ROI naming the agency (every agency's for SystemAdmins), with its status as
//! `shared::roi_status` says it (active, "ends in 12 days" within the policy's reminder window,
//! expired, revoked, not started) and its dates, filterable by status and sortable, each linking
//! to the client file's releases (the consent history). Who may open it is
//! `shared::can_list_agency_rois`; which ROIs, the server's `roi_in_agency_list`.

use crate::api::{self, ApiError};
use crate::components::{ErrorView, Loading, RouteHeading};
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use shared::api::accounts::Organization;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, AgencyRoiQuery};
use shared::api::releases::{AgencyRoi, AgencyRois};
use shared::{OrgId, RoiStatus};

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    SoonestEnd,
    LatestEnd,
    Hmis,
}

impl Order {
    const ALL: [(Order, &'static str, &'static str); 3] = [
        (Order::SoonestEnd, "soonest", "Soonest end first"),
        (Order::LatestEnd, "latest", "Latest end first"),
        (Order::Hmis, "hmis", "HMIS number"),
    ];

    fn sort(self, rows: &mut [AgencyRoi]) {
        match self {
            Order::SoonestEnd => rows.sort_by_key(|r| (r.end, r.id)),
            Order::LatestEnd => rows.sort_by_key(|r| std::cmp::Reverse((r.end, r.id))),
            Order::Hmis => rows.sort_by(|a, b| {
                (a.hmis_number.as_str(), a.id).cmp(&(b.hmis_number.as_str(), b.id))
            }),
        }
    }
}

fn filter_label(key: &str) -> &'static str {
    match key {
        "active" => "Active",
        "ending_soon" => "Ending soon",
        "expired" => "Expired",
        "revoked" => "Revoked",
        _ => "Not started",
    }
}

fn badge(status: RoiStatus) -> &'static str {
    match status {
        RoiStatus::Active => "badge badge-open",
        RoiStatus::EndingSoon { .. } => "badge badge-admin",
        RoiStatus::NotStarted => "badge badge-community",
        RoiStatus::Expired => "badge badge-community",
        RoiStatus::Revoked => "badge badge-restricted",
    }
}

#[component]
pub fn AgencyReleasesPage() -> impl IntoView {
    let session = use_session();
    let rois: LocalResource<Result<AgencyRois, ApiError>> = LocalResource::new(|| async {
        api::call::<ep::ListAgencyRois>(&[], &AgencyRoiQuery::default(), &NoBody).await
    });
    let orgs: LocalResource<Vec<Organization>> = LocalResource::new(|| async {
        api::call::<ep::ListOrganizations>(&[], &NoQuery, &NoBody)
            .await
            .unwrap_or_default()
    });
    let status = RwSignal::new(String::new());
    let order = RwSignal::new(Order::SoonestEnd);
    let window = session
        .with_me_untracked(|me| me.policy.roi_reminder_days)
        .unwrap_or(30);
    let scope = session
        .with_me_untracked(|me| {
            if shared::agency_scope(&me.actor) == shared::AgencyScope::All {
                "every agency".to_owned()
            } else {
                me.org.name.clone()
            }
        })
        .unwrap_or_default();
    view! {
        <section class="card">
            <RouteHeading text="Releases of information" />
            <p class="section-intro">
                {format!("Every release of information naming {scope}, in force or not. \"Ending soon\" means within {window} days; the people who set them and their agency's administrators are reminded once.")}
            </p>
            <div class="roi-filters">
                <div class="field">
                    <label for="roi-status">"Status"</label>
                    <select id="roi-status" data-test-id="roi-status-filter"
                        on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">"All"</option>
                        {RoiStatus::FILTERS.iter().map(|k| view! {
                            <option value=*k>{filter_label(k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="roi-order">"Order"</label>
                    <select id="roi-order" data-test-id="roi-order"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some((o, _, _)) = Order::ALL.iter().find(|(_, k, _)| *k == v) {
                                order.set(*o);
                            }
                        }>
                        {Order::ALL.iter().map(|(_, k, label)| view! {
                            <option value=*k>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <Transition fallback=|| view! { <Loading what="releases" /> }>
                {move || Suspend::new(async move {
                    let orgs = orgs.await;
                    match rois.await {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(list) => {
                            let name = move |o: OrgId| {
                                orgs.iter().find(|x| x.id == o).map(|x| x.name.clone())
                                    .unwrap_or_else(|| format!("agency #{}", o.0))
                            };
                            let all = list.rois;
                            view! {
                                {move || {
                                    let wanted = status.get();
                                    let mut rows: Vec<AgencyRoi> = all.iter()
                                        .filter(|r| wanted.is_empty() || r.status.key() == wanted)
                                        .cloned()
                                        .collect();
                                    order.get().sort(&mut rows);
                                    if rows.is_empty() {
                                        return view! { <p class="empty" data-test-id="agency-rois-empty">"No release of information matches."</p> }.into_any();
                                    }
                                    let n = rows.len();
                                    let name = name.clone();
                                    view! {
                                        <p class="inbox-summary" data-test-id="agency-rois-count">
                                            {if n == 1 { "1 release".to_owned() } else { format!("{n} releases") }}
                                        </p>
                                        <ul class="work-list" data-test-id="agency-rois">
                                            {rows.into_iter().map(|r| row(r, &name)).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

fn row(r: AgencyRoi, name: &dyn Fn(OrgId) -> String) -> impl IntoView {
    let orgs = r
        .orgs
        .iter()
        .map(|o| name(*o))
        .collect::<Vec<_>>()
        .join(", ");
    let dates = match r.revoked_on {
        Some(on) => format!("{} to {} · revoked {on}", r.start, r.end),
        None => format!("{} to {}", r.start, r.end),
    };
    view! {
        <li class="work-item" data-test-id="agency-roi" data-roi-id=r.id.0.to_string()
            data-status=r.status.key()>
            <a href=Page::Client(r.client.0, Section::Releases).path()>
                <span class="result-name">{format!("{} {}", r.first_name, r.last_name)}</span>
                <span class="result-meta">{format!("{} · ROI #{} · {dates}", r.hmis_number, r.id.0)}</span>
            </a>
            <p class="due">
                <span class=badge(r.status) data-test-id="agency-roi-status">{r.status.label()}</span>
                " "
                <span class="roi-orgs">{orgs}</span>
            </p>
        </li>
    }
}
