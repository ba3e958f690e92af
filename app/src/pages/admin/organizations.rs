//! `/admin/organizations`: the participating agencies (SPEC section 1), managed by SystemAdmins
//! only (`shared::admin::can_manage_org`, the server's own decision): create, rename, disable
//! and enable. A name another organization has is refused by the server next to the field.

use super::users::{describe_with, organizations, refusal};
use super::{actor, Refused};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{ErrorView, Field, FormError, Loading, RouteHeading};
use crate::Page;
use leptos::prelude::*;
use shared::admin;
use shared::api::accounts::{NewOrganization, Organization, OrganizationPatch};
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;

type Orgs = LocalResource<Result<Vec<Organization>, ApiError>>;

#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let Some(a) = actor() else {
        return ().into_any();
    };
    let d = admin::can_manage_org(&a);
    if !d.allowed {
        return view! {
            <section class="card"><RouteHeading text="Organizations" /><Refused decision=d /></section>
        }
        .into_any();
    }
    let orgs = organizations();
    view! {
        <section class="card">
            <RouteHeading text="Organizations" />
            <p><a href=Page::Admin.path()>"Administration"</a></p>
            <Transition fallback=|| view! { <Loading what="organizations" /> }>
                {move || Suspend::new(async move {
                    match orgs.await {
                        Ok(list) => view! {
                            <ul class="admin-rows" data-test-id="org-list">
                                {list.into_iter().map(|o| view! { <OrgRow org=o orgs=orgs /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <NewOrg orgs=orgs />
    }
    .into_any()
}

#[component]
fn OrgRow(org: Organization, orgs: Orgs) -> impl IntoView {
    let id = org.id.0;
    let name = RwSignal::new(org.name.clone());
    let update = Action::new_local(move |patch: &OrganizationPatch| {
        let patch = patch.clone();
        async move { api::call::<ep::UpdateOrganization>(&[id], &NoQuery, &patch).await }
    });
    Effect::new(move |_| {
        if update.value().with(|v| matches!(v, Some(Ok(_)))) {
            orgs.refetch();
        }
    });
    let error = last_error(update);
    let busy = update.pending();
    let disabled = org.disabled;
    let form = format!("org-{id}");
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(OrganizationPatch {
            name: Some(name.get_untracked()),
            disabled: None,
        });
    };
    view! {
        <li class="admin-row" data-test-id="org-row" data-org-id=id.to_string()>
            <form class="record-form" on:submit=rename>
                <Field label=format!("Name of agency #{id}{}", if disabled { " (disabled)" } else { "" })
                    name="name" value=name form=form error=error required=true />
                <FormError error=error fields=&["name"] describe=describe_with(Vec::new()) />
                <div class="actions">
                    <button type="submit" class="button" disabled=busy>"Rename"</button>
                    <button type="button" class="button" disabled=busy data-test-id="toggle-org"
                        on:click=move |_| {
                            update.dispatch(OrganizationPatch { name: None, disabled: Some(!disabled) });
                        }>
                        {if disabled { "Enable" } else { "Disable" }}
                    </button>
                </div>
            </form>
        </li>
    }
}

#[component]
fn NewOrg(orgs: Orgs) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let key = StoredValue::new(FormKey::new());
    let local = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(move |body: &NewOrganization| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::CreateOrganization>(&k, &[], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                name.set(String::new());
                orgs.refetch();
            }
        }
    });
    let server = last_error(create);
    let error = Signal::derive(move || local.get().or_else(|| server.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        if n.trim().is_empty() {
            return local.set(Some(refusal("name", "cannot be empty")));
        }
        local.set(None);
        create.dispatch(NewOrganization { name: n });
    };
    let busy = create.pending();
    view! {
        <section class="card" aria-labelledby="new-org-heading">
            <h2 id="new-org-heading">"New organization"</h2>
            <form class="record-form" on:submit=submit data-test-id="new-org-form">
                <Field label="Name" name="name" value=name form="new-org" error=error required=true />
                <FormError error=error fields=&["name"] />
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="create-org" disabled=busy>"Create organization"</button>
                </div>
            </form>
        </section>
    }
}
