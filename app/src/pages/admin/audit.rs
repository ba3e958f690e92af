//! `/admin/audit?…`: the audit viewer (P-4). SystemAdmins read every entry, AgencyAdmins their
//! own agency's users' (`shared::admin::audit_scope`, which the server applies). The filters are
//! a GET form, so the query is in the URL (back, reload and links work); pages are keyset pages
//! ("Older entries" / "Newer" follow the page's cursors); the export link downloads the same
//! filtered entries as CSV (`GET /audit.csv`). Each entry shows its decision's reason.

use super::users::{describe_with, organizations};
use super::{actor, Refused};
use crate::api;
use crate::components::{ErrorView, Loading, RouteHeading};
use crate::Page;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use shared::admin::{self, AuditScope};
use shared::api::accounts::AuditEntryView;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, AuditQuery};

/// The entries one page shows.
const PAGE: &str = "50";

#[component]
pub fn AuditPage() -> impl IntoView {
    let Some(a) = actor() else {
        return ().into_any();
    };
    let (scope, d) = admin::audit_scope(&a);
    if !d.allowed {
        return view! {
            <section class="card"><RouteHeading text="Audit log" /><Refused decision=d /></section>
        }
        .into_any();
    }
    let url = use_query_map();
    let query = Memo::new(move |_| {
        url.with(|m| {
            let get = |k: &str| m.get(k).filter(|v| !v.trim().is_empty());
            AuditQuery {
                user: get("user"),
                organization: get("organization"),
                hmis_number: get("hmis_number"),
                from: get("from"),
                to: get("to"),
                action: get("action"),
                before: get("before"),
                after: get("after"),
                ..AuditQuery::default()
            }
        })
    });
    let page = LocalResource::new(move || {
        let mut q = query.get();
        q.limit = Some(PAGE.to_owned());
        async move { api::call::<ep::ListAudit>(&[], &q, &NoBody).await }
    });
    let users = LocalResource::new(|| async {
        api::call::<ep::ListUsers>(&[], &NoQuery, &NoBody)
            .await
            .unwrap_or_default()
    });
    let orgs = organizations();
    let filters = move || {
        let q = query.get();
        let (user, organization) = (q.user.clone(), q.organization.clone());
        view! {
            <Form method="GET" action=Page::AdminAudit(AuditQuery::default()).path()
                attr:class="record-form audit-filters" attr:data-test-id="audit-filters">
                <div class="filter-grid">
                    <div class="field">
                        <label for="audit-user">"User"</label>
                        <select id="audit-user" name="user" data-test-id="filter-user">
                            <option value="">"Any user"</option>
                            <Transition fallback=|| ()>
                                {move || { let user = user.clone(); Suspend::new(async move {
                                    users.await.into_iter().map(|u| {
                                        let v = u.id.0.to_string();
                                        let sel = user.as_deref() == Some(v.as_str());
                                        view! { <option value=v selected=sel>{format!("{} ({})", u.display_name, u.username)}</option> }
                                    }).collect_view()
                                })}}
                            </Transition>
                        </select>
                    </div>
                    {(scope == AuditScope::All).then(|| view! {
                        <div class="field">
                            <label for="audit-org">"Organization"</label>
                            <select id="audit-org" name="organization" data-test-id="filter-organization">
                                <option value="">"Any organization"</option>
                                <Transition fallback=|| ()>
                                    {move || { let organization = organization.clone(); Suspend::new(async move {
                                        orgs.await.unwrap_or_default().into_iter().map(|o| {
                                            let v = o.id.0.to_string();
                                            let sel = organization.as_deref() == Some(v.as_str());
                                            view! { <option value=v selected=sel>{o.name}</option> }
                                        }).collect_view()
                                    })}}
                                </Transition>
                            </select>
                        </div>
                    })}
                    <div class="field">
                        <label for="audit-hmis">"Client HMIS number"</label>
                        <input id="audit-hmis" name="hmis_number" data-test-id="filter-hmis" autocomplete="off"
                            placeholder="H0001001" value=q.hmis_number.clone().unwrap_or_default() />
                    </div>
                    <div class="field">
                        <label for="audit-action">"Action"</label>
                        <input id="audit-action" name="action" data-test-id="filter-action" autocomplete="off"
                            placeholder="read client profile" value=q.action.clone().unwrap_or_default() />
                    </div>
                    <div class="field">
                        <label for="audit-from">"From"</label>
                        <input id="audit-from" name="from" type="date" data-test-id="filter-from"
                            value=q.from.clone().unwrap_or_default() />
                    </div>
                    <div class="field">
                        <label for="audit-to">"To"</label>
                        <input id="audit-to" name="to" type="date" data-test-id="filter-to"
                            value=q.to.clone().unwrap_or_default() />
                    </div>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="audit-apply">"Show entries"</button>
                    <a class="button" href=Page::AdminAudit(AuditQuery::default()).path()>"Clear filters"</a>
                </div>
            </Form>
        }
    };
    view! {
        <section class="card">
            <RouteHeading text="Audit log" />
            <p><a href=Page::Admin.path()>"Administration"</a></p>
            <p class="hint">{crate::api::describe_plain(&d.reason)}</p>
            {filters}
        </section>
        <section class="card" aria-labelledby="audit-entries-heading">
            <h2 id="audit-entries-heading">"Entries, newest first"</h2>
            <Transition fallback=|| view! { <Loading what="entries" /> }>
                {move || Suspend::new(async move {
                    let names = orgs.await.unwrap_or_default();
                    let q = query.get_untracked();
                    match page.await {
                        Err(e) => view! { <ErrorView error=e describe=describe_with(names) /> }.into_any(),
                        Ok(p) => {
                            let org_name = move |id: shared::OrgId| names.iter().find(|o| o.id == id)
                                .map(|o| o.name.clone()).unwrap_or_else(|| format!("agency #{}", id.0));
                            let paging = |before: Option<i64>, after: Option<i64>| Page::AdminAudit(AuditQuery {
                                before: before.map(|b| b.to_string()),
                                after: after.map(|a| a.to_string()),
                                ..q.clone()
                            }).path();
                            let export = api::download_url::<ep::ExportAudit>(&[], &AuditQuery {
                                before: None, after: None, ..q.clone()
                            });
                            let newer = p.newer.map(|n| paging(None, Some(n)));
                            let older = p.older.map(|o| paging(Some(o), None));
                            let empty = p.entries.is_empty();
                            view! {
                                <Show when=move || empty>
                                    <p class="empty" role="status" data-test-id="audit-empty">"No entry matches."</p>
                                </Show>
                                <ol class="audit-entries" data-test-id="audit-entries">
                                    {p.entries.into_iter().map(|e| entry_view(e, &org_name)).collect_view()}
                                </ol>
                                <nav class="actions pager" aria-label="Audit pages">
                                    {newer.map(|h| view! { <a class="button" href=h data-test-id="audit-newer">"Newer"</a> })}
                                    {older.map(|h| view! { <a class="button" href=h data-test-id="audit-older">"Older entries"</a> })}
                                    <a class="button" href=export download="hearth-audit.csv" data-test-id="audit-export">"Export these entries (CSV)"</a>
                                </nav>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

fn entry_view(e: AuditEntryView, org_name: &dyn Fn(shared::OrgId) -> String) -> impl IntoView {
    let who = format!(
        "{} · {}",
        e.username
            .clone()
            .unwrap_or_else(|| format!("user #{}", e.user_id.0)),
        org_name(e.org_id)
    );
    let client = e.hmis_number.as_ref().map(|h| h.to_string());
    let data_hmis = client.clone().unwrap_or_default();
    let filter_client = client.clone().map(|h| {
        Page::AdminAudit(AuditQuery {
            hmis_number: Some(h),
            ..AuditQuery::default()
        })
        .path()
    });
    view! {
        <li class="audit-entry" data-test-id="audit-entry" data-id=e.id.to_string()
            data-username=e.username.clone().unwrap_or_default() data-hmis=data_hmis>
            <div class="audit-head">
                <time datetime=e.at.to_string()>{e.at.format("%Y-%m-%d %H:%M:%S").to_string()}</time>
                <span class="audit-who">{who}</span>
            </div>
            <p class="audit-action">
                <span data-test-id="audit-action">{e.action}</span>
                {client.zip(filter_client).map(|(h, href)| view! {
                    " · client " <a href=href data-test-id="audit-client">{h}</a>
                })}
            </p>
            <p class="audit-reason"><span class="muted">"Reason: "</span><span data-test-id="audit-reason">{e.reason}</span></p>
        </li>
    }
}
