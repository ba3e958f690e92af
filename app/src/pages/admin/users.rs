//! `/admin/users` and `/admin/users/:id`: the accounts an administrator manages (SPEC section 1,
//! P-5). SystemAdmins see and manage every user, AgencyAdmins their own agency's (the server's
//! list is already scoped). Every control is offered by the same `shared::admin` decision the
//! server makes (`can_manage_user`, `can_update_user`, `can_reset_password`), with its reason
//! when refused; the username and password are checked by the shared parsers before sending.

use super::{actor, Refused};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{
    ConfirmButton, DecisionGate, EnumSelect, ErrorView, Field, FormError, InputKind, Loading,
    RouteHeading,
};
use crate::routes::seg;
use crate::session::use_session;
use crate::Page;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::admin::{self, Username};
use shared::api::accounts::{NewUser, Organization, PasswordReset, User, UserPatch};
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::{Actor, OrgId, Reason, Role};

type Orgs = LocalResource<Result<Vec<Organization>, ApiError>>;
type Users = LocalResource<Result<Vec<User>, ApiError>>;

/// The organizations (every signed-in user may list them), for names and choices.
pub fn organizations() -> Orgs {
    LocalResource::new(|| async {
        api::call::<ep::ListOrganizations>(&[], &NoQuery, &NoBody).await
    })
}

/// A reason in words with the organizations' names.
pub fn describe_with(orgs: Vec<Organization>) -> Callback<Reason, String> {
    Callback::new(move |r: Reason| {
        r.describe(&|id| {
            orgs.iter()
                .find(|o| o.id == id)
                .map(|o| o.name.clone())
                .unwrap_or_else(|| format!("agency #{}", id.0))
        })
    })
}

/// A refusal found in the browser, shown next to `field` as the server would.
pub fn refusal(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::Failed(shared::api::ErrorBody {
        error: message.into(),
        field: Some(field.to_owned()),
        reason: None,
    })
}

fn target_of(u: &User) -> Actor {
    Actor {
        user: u.id,
        org: u.org.id,
        role: u.role,
    }
}

fn status(u: &User) -> &'static str {
    match (u.disabled, u.locked) {
        (true, _) => "Disabled",
        (false, true) => "Locked after failed sign-ins",
        (false, false) => "Active",
    }
}

/// The roles `a` may give a user of `org` (`admin::can_manage_user`).
fn roles_for(a: &Actor, org: OrgId) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| admin::can_manage_user(a, org, *r).allowed)
        .collect()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let Some(a) = actor() else {
        return ().into_any();
    };
    let d = admin::can_list_users(&a);
    if !d.allowed {
        return view! {
            <section class="card"><RouteHeading text="Users" /><Refused decision=d /></section>
        }
        .into_any();
    }
    let users: Users =
        LocalResource::new(|| async { api::call::<ep::ListUsers>(&[], &NoQuery, &NoBody).await });
    let orgs = organizations();
    view! {
        <section class="card">
            <RouteHeading text="Users" />
            <p><a href=Page::Admin.path()>"Administration"</a></p>
            <Transition fallback=|| view! { <Loading what="users" /> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! {
                            <ul class="results" data-test-id="user-list">
                                {list.into_iter().map(|u| view! {
                                    <li>
                                        <a href=Page::AdminUser(u.id.0).path() data-test-id="user-row"
                                            data-username=u.username.clone()>
                                            <span class="result-name">{u.display_name.clone()}</span>
                                            <span class="result-meta">
                                                {format!("{} · {} · {} · {}", u.username, u.org.name, u.role.label(), status(&u))}
                                            </span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <NewUserForm actor=a users=users orgs=orgs />
    }
    .into_any()
}

#[component]
fn NewUserForm(actor: Actor, users: Users, orgs: Orgs) -> impl IntoView {
    let a = actor;
    let session = use_session();
    let policy = session
        .with_me_untracked(|me| me.password_policy)
        .unwrap_or_default();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Some(Role::Caseworker));
    let org = RwSignal::new(a.org);
    let created = RwSignal::new(None::<String>);
    let key = StoredValue::new(FormKey::new());
    let create = Action::new_local(move |body: &NewUser| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::CreateUser>(&k, &[], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            if let Ok(u) = answer {
                created.set(Some(u.username));
                username.set(String::new());
                display_name.set(String::new());
                password.set(String::new());
                users.refetch();
            }
        }
    });
    let local = RwSignal::new(None::<ApiError>);
    let server = last_error(create);
    let error = Signal::derive(move || local.get().or_else(|| server.get()));
    let decision = Signal::derive(move || {
        admin::can_manage_user(&a, org.get(), role.get().unwrap_or(Role::Caseworker))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        let name = match Username::parse(&username.get_untracked()) {
            Ok(n) => n,
            Err(e) => return local.set(Some(e.into())),
        };
        if display_name.get_untracked().trim().is_empty() {
            return local.set(Some(refusal("display_name", "cannot be empty")));
        }
        let pw = password.get_untracked();
        if let Err(e) = policy.check("password", &pw, name.as_str(), &|_| false) {
            return local.set(Some(e.into()));
        }
        local.set(None);
        create.dispatch(NewUser {
            org: Some(org.get_untracked()),
            username: name.as_str().to_owned(),
            display_name: display_name.get_untracked(),
            role: role.get_untracked().unwrap_or(Role::Caseworker),
            password: pw,
        });
    };
    let busy = create.pending();
    let system = a.role == Role::SystemAdmin;
    view! {
        <section class="card" aria-labelledby="new-user-heading">
            <h2 id="new-user-heading">"New user"</h2>
            <form class="record-form" on:submit=submit data-test-id="new-user-form">
                <Show when=move || system>
                    <Transition fallback=|| view! { <Loading what="organizations" /> }>
                        {move || Suspend::new(async move {
                            let list = orgs.await.unwrap_or_default();
                            view! {
                                <div class="field">
                                    <label for="new-user-org">"Agency"</label>
                                    <select id="new-user-org" name="org" data-test-id="field-org"
                                        on:change=move |ev| {
                                            if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                                                org.set(OrgId(id));
                                            }
                                        }>
                                        {list.into_iter().filter(|o| !o.disabled).map(|o| view! {
                                            <option value=o.id.0.to_string() selected=o.id == org.get_untracked()>{o.name}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                            }
                        })}
                    </Transition>
                </Show>
                <Field label="Username" name="username" value=username form="new-user" error=error
                    required=true autocomplete="off" hint="Letters, digits, '.', '_' and '-'." />
                <Field label="Name" name="display_name" value=display_name form="new-user" error=error required=true />
                <EnumSelect label="Role" name="role" options=roles_for(&a, a.org) label_of=Role::label
                    value=role form="new-user" error=error />
                <Field label="First password" name="password" value=password form="new-user" error=error
                    kind=InputKind::Password required=true autocomplete="new-password"
                    hint=format!("At least {} characters; give it to the user, who can change it on their account page.", policy.min_length) />
                <FormError error=error fields=&["username", "display_name", "role", "password"] />
                <Show when=move || created.get().is_some()>
                    <p class="saved" role="status" data-test-id="user-created">
                        {move || format!("Account {} created.", created.get().unwrap_or_default())}
                    </p>
                </Show>
                <DecisionGate decision=decision describe=describe_with(Vec::new()) test_id="create-user">
                    <div class="actions">
                        <button type="submit" class="primary" data-test-id="create-user" disabled=busy>
                            {move || if busy.get() { "Creating…" } else { "Create user" }}
                        </button>
                    </div>
                </DecisionGate>
            </form>
        </section>
    }
}

/// `/admin/users/:id`.
#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get(seg::ID))
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let user = LocalResource::new(move || {
        let id = id.get();
        async move { api::call::<ep::GetUser>(&[id], &NoQuery, &NoBody).await }
    });
    let orgs = organizations();
    // Above the account's view, which is drawn again when the change reloads it.
    let notice = RwSignal::new(None::<&'static str>);
    view! {
        <section class="card">
            <RouteHeading text="User" title="User account" />
            <p><a href=Page::AdminUsers.path()>"All users"</a></p>
            <Show when=move || notice.get().is_some()>
                <p class="saved" role="status" data-test-id="user-notice">{move || notice.get()}</p>
            </Show>
            <Transition fallback=|| view! { <Loading what="the account" /> }>
                {move || Suspend::new(async move {
                    let names = orgs.await.unwrap_or_default();
                    match user.await {
                        Ok(u) => view! { <UserDetail user=u orgs=names reload=user notice=notice /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e describe=describe_with(names) /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn UserDetail(
    user: User,
    orgs: Vec<Organization>,
    reload: LocalResource<Result<User, ApiError>>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let Some(a) = actor() else {
        return ().into_any();
    };
    let target = target_of(&user);
    let id = user.id.0;
    let describe = describe_with(orgs);
    let display_name = RwSignal::new(user.display_name.clone());
    let role = RwSignal::new(Some(user.role));
    let password = RwSignal::new(String::new());
    let update = Action::new_local(move |patch: &(UserPatch, &'static str)| {
        let (patch, done) = patch.clone();
        async move {
            api::call::<ep::UpdateUser>(&[id], &NoQuery, &patch)
                .await
                .map(|_| done)
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(done)) = update.value().get() {
            notice.set(Some(done));
            reload.refetch();
        }
    });
    let reset = Action::new_local(move |body: &PasswordReset| {
        let body = body.clone();
        async move { api::call::<ep::ResetPassword>(&[id], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = reset.value().get() {
            password.set(String::new());
            notice.set(Some(
                "Password reset: their open sessions have ended. Give them the new password.",
            ));
        }
    });
    let update_error = last_error(update);
    let local = RwSignal::new(None::<ApiError>);
    let reset_server = last_error(reset);
    let reset_error = Signal::derive(move || local.get().or_else(|| reset_server.get()));
    let save_decision =
        Signal::derive(move || admin::can_update_user(&a, &target, role.get(), None));
    let disable = !user.disabled;
    let toggle_decision = admin::can_update_user(&a, &target, None, Some(disable));
    let reset_decision = admin::can_reset_password(&a, &target);
    let policy = use_session()
        .with_me_untracked(|me| me.password_policy)
        .unwrap_or_default();
    let username = user.username.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        update.dispatch((
            UserPatch {
                display_name: Some(display_name.get_untracked()),
                role: role.get_untracked(),
                ..UserPatch::default()
            },
            "Saved.",
        ));
    };
    let username2 = username.clone();
    let do_reset = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        let pw = password.get_untracked();
        if let Err(e) = policy.check("password", &pw, &username2, &|_| false) {
            return local.set(Some(e.into()));
        }
        local.set(None);
        reset.dispatch(PasswordReset { password: pw });
    };
    let toggle = Callback::new(move |()| {
        notice.set(None);
        let done = if disable {
            "Account disabled: their open sessions have ended and they cannot sign in."
        } else {
            "Account enabled: they can sign in again."
        };
        update.dispatch((
            UserPatch {
                disabled: Some(disable),
                ..UserPatch::default()
            },
            done,
        ));
    });
    let busy = update.pending();
    let resetting = reset.pending();
    view! {
        <dl class="facts" data-test-id="user-facts">
            <dt>"Name"</dt><dd>{user.display_name.clone()}</dd>
            <dt>"Username"</dt><dd data-test-id="user-username">{username.clone()}</dd>
            <dt>"Agency"</dt><dd>{user.org.name.clone()}</dd>
            <dt>"Role"</dt><dd>{user.role.label()}</dd>
            <dt>"Status"</dt><dd data-test-id="user-status">{status(&user)}</dd>
        </dl>
        <form class="record-form" on:submit=save data-test-id="user-form">
            <h2>"Name and role"</h2>
            <Field label="Name" name="display_name" value=display_name form="user" error=update_error required=true />
            <EnumSelect label="Role" name="role" options=Role::ALL.to_vec() label_of=Role::label
                value=role form="user" error=update_error />
            <FormError error=update_error fields=&["display_name", "role"] describe=describe />
            <DecisionGate decision=save_decision describe=describe test_id="save-user">
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="save-user" disabled=busy>"Save"</button>
                </div>
            </DecisionGate>
        </form>
        <div class="record-form">
            <h2>{if disable { "Disable the account" } else { "Enable the account" }}</h2>
            <p class="hint">{if disable {
                "A disabled user cannot sign in, and every session they have open ends at once."
            } else {
                "The user can sign in again with their password."
            }}</p>
            <DecisionGate decision=toggle_decision describe=describe test_id="toggle-user">
                {if disable {
                    view! {
                        <ConfirmButton label="Disable account" danger=true test_id="disable-user"
                            question=format!("Disable {}? Their open sessions end now.", username)
                            confirm="Disable" on_confirm=toggle disabled=busy />
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" data-test-id="enable-user" disabled=busy
                            on:click=move |_| toggle.run(())>"Enable account"</button>
                    }.into_any()
                }}
            </DecisionGate>
        </div>
        <form class="record-form" on:submit=do_reset data-test-id="reset-form">
            <h2>"Reset the password"</h2>
            <DecisionGate decision=reset_decision describe=describe test_id="reset-password">
                <Field label="New password" name="password" value=password form="reset" error=reset_error
                    kind=InputKind::Password required=true autocomplete="new-password"
                    hint=format!("At least {} characters. Their open sessions end.", policy.min_length) />
                <FormError error=reset_error fields=&["password"] describe=describe />
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="reset-password" disabled=resetting>"Reset password"</button>
                </div>
            </DecisionGate>
        </form>
    }
    .into_any()
}
