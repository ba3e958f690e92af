//! `/admin/programs`: each agency's programs (HUD projects), managed by SystemAdmins only
//! (`shared::admin::can_manage_program`): create one with its HUD project type, chosen from the
//! one shared list (`shared::hud::ProjectType`), disable and enable.

use super::users::{describe_with, organizations, refusal};
use super::{actor, Refused};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{EnumSelect, ErrorView, Field, FormError, Loading, RouteHeading};
use crate::Page;
use leptos::prelude::*;
use shared::admin;
use shared::api::accounts::{NewProgram, Organization, Program, ProgramPatch};
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, ProgramQuery};
use shared::hud::ProjectType;
use shared::{Actor, OrgId};

type Programs = LocalResource<Result<Vec<Program>, ApiError>>;

#[component]
pub fn ProgramsPage() -> impl IntoView {
    let Some(a) = actor() else {
        return ().into_any();
    };
    let d = admin::can_manage_program(&a, a.org);
    if !d.allowed {
        return view! {
            <section class="card"><RouteHeading text="Programs" /><Refused decision=d /></section>
        }
        .into_any();
    }
    let programs: Programs = LocalResource::new(|| async {
        api::call::<ep::ListPrograms>(&[], &ProgramQuery::default(), &NoBody).await
    });
    let orgs = organizations();
    view! {
        <section class="card">
            <RouteHeading text="Programs" />
            <p><a href=Page::Admin.path()>"Administration"</a></p>
            <Transition fallback=|| view! { <Loading what="programs" /> }>
                {move || Suspend::new(async move {
                    let names = orgs.await.unwrap_or_default();
                    match programs.await {
                        Ok(list) => view! {
                            <ul class="admin-rows" data-test-id="program-list">
                                {list.into_iter().map(|p| {
                                    let org = names.iter().find(|o| o.id == p.org).map(|o| o.name.clone()).unwrap_or_default();
                                    view! { <ProgramRow program=p org=org actor=a programs=programs /> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Transition fallback=|| view! { <Loading what="organizations" /> }>
            {move || Suspend::new(async move {
                let list = orgs.await.unwrap_or_default();
                view! { <NewProgramForm orgs=list programs=programs /> }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn ProgramRow(program: Program, org: String, actor: Actor, programs: Programs) -> impl IntoView {
    let id = program.id.0;
    let disabled = program.disabled;
    let update = Action::new_local(move |patch: &ProgramPatch| {
        let patch = patch.clone();
        async move { api::call::<ep::UpdateProgram>(&[id], &NoQuery, &patch).await }
    });
    Effect::new(move |_| {
        if update.value().with(|v| matches!(v, Some(Ok(_)))) {
            programs.refetch();
        }
    });
    let error = last_error(update);
    let allowed = admin::can_manage_program(&actor, program.org).allowed;
    view! {
        <li class="admin-row" data-test-id="program-row">
            <span class="result-name">{program.name.clone()}{disabled.then_some(" (disabled)")}</span>
            <span class="result-meta">{format!("{org} · {}", program.project_type.label())}</span>
            <FormError error=error />
            <Show when=move || allowed>
                <div class="actions">
                    <button type="button" class="button small" disabled=update.pending()
                        on:click=move |_| {
                            update.dispatch(ProgramPatch { disabled: Some(!disabled), ..ProgramPatch::default() });
                        }>
                        {if disabled { "Enable" } else { "Disable" }}
                    </button>
                </div>
            </Show>
        </li>
    }
}

#[component]
fn NewProgramForm(orgs: Vec<Organization>, programs: Programs) -> impl IntoView {
    let active: Vec<Organization> = orgs.into_iter().filter(|o| !o.disabled).collect();
    let org = RwSignal::new(active.first().map(|o| o.id).unwrap_or(OrgId(0)));
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(None::<ProjectType>);
    let key = StoredValue::new(FormKey::new());
    let local = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(move |body: &NewProgram| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::CreateProgram>(&k, &[], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                name.set(String::new());
                kind.set(None);
                programs.refetch();
            }
        }
    });
    let server = last_error(create);
    let error = Signal::derive(move || local.get().or_else(|| server.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if name.get_untracked().trim().is_empty() {
            return local.set(Some(refusal("name", "cannot be empty")));
        }
        let Some(k) = kind.get_untracked() else {
            return local.set(Some(refusal("hud_project_type", "choose a project type")));
        };
        local.set(None);
        create.dispatch(NewProgram {
            org: org.get_untracked(),
            name: name.get_untracked(),
            hud_project_type: k.code(),
        });
    };
    let busy = create.pending();
    view! {
        <section class="card" aria-labelledby="new-program-heading">
            <h2 id="new-program-heading">"New program"</h2>
            <form class="record-form" on:submit=submit data-test-id="new-program-form">
                <div class="field">
                    <label for="new-program-org">"Agency"</label>
                    <select id="new-program-org" name="org" data-test-id="field-org"
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                                org.set(OrgId(id));
                            }
                        }>
                        {active.into_iter().map(|o| view! {
                            <option value=o.id.0.to_string()>{o.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label="Name" name="name" value=name form="new-program" error=error required=true />
                <EnumSelect label="HUD project type" name="hud_project_type" options=ProjectType::ALL.to_vec()
                    label_of=ProjectType::label value=kind form="new-program" error=error placeholder=true required=true />
                <FormError error=error fields=&["name", "hud_project_type", "org"] describe=describe_with(Vec::new()) />
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="create-program" disabled=busy>"Create program"</button>
                </div>
            </form>
        </section>
    }
}
