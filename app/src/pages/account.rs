//! `/account`: the signed-in user's own account: who they are, changing their password (the
//! shared password rules shown and checked before the request; the server also refuses common
//! passwords and ends the user's other sessions, P-5) and the address their notifications are
//! emailed to (R-13: the emails name clients by HMIS number only).

use crate::api::{self, last_error, ApiError};
use crate::components::{Field, FormError, InputKind, RouteHeading};
use crate::session::use_session;
use leptos::prelude::*;
use shared::api::accounts::{NotifyEmailChange, PasswordChange};
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::ErrorBody;
use shared::password::PasswordPolicy;

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_session();
    let me = session.me();
    view! {
        <section class="card">
            <RouteHeading text="Your account" />
            {me.map(|me| view! {
                <dl class="facts" data-test-id="account-facts">
                    <dt>"Name"</dt><dd>{me.display_name.clone()}</dd>
                    <dt>"Username"</dt><dd data-test-id="account-username">{me.username.clone()}</dd>
                    <dt>"Agency"</dt><dd>{me.org.name.clone()}</dd>
                    <dt>"Role"</dt><dd>{me.role.label()}</dd>
                    <dt>"Automatic sign-out"</dt>
                    <dd>{format!("after {} minutes without activity", me.idle_timeout_minutes)}</dd>
                </dl>
            })}
        </section>
        <ChangePassword />
        <NotifyEmail />
    }
}

/// The rules of the password policy, as a caseworker reads them.
pub fn password_rules(p: &PasswordPolicy) -> Vec<String> {
    let mut rules = vec![
        format!(
            "At least {} characters (at most {}); a few words make a good one.",
            p.min_length, p.max_length
        ),
        "Not your username, and not one of the most common passwords.".to_owned(),
    ];
    if p.require_classes {
        rules.push("An upper-case letter, a lower-case letter and a digit.".to_owned());
    }
    rules
}

fn refusal(field: &str, message: String) -> ApiError {
    ApiError::Failed(ErrorBody {
        error: message,
        field: Some(field.to_owned()),
        reason: None,
    })
}

#[component]
fn ChangePassword() -> impl IntoView {
    let session = use_session();
    let policy = session
        .with_me_untracked(|me| me.password_policy)
        .unwrap_or_default();
    let username = session
        .with_me_untracked(|me| me.username.clone())
        .unwrap_or_default();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let change = Action::new_local(move |body: &PasswordChange| {
        let body = body.clone();
        async move { api::call::<ep::ChangeOwnPassword>(&[], &NoQuery, &body).await }
    });
    // A refusal found in the browser, before anything is sent (the same shared rules).
    let local = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if change.value().with(|v| matches!(v, Some(Ok(_)))) {
            current.set(String::new());
            new.set(String::new());
            again.set(String::new());
            done.set(true);
        }
    });
    let server = last_error(change);
    let error = Signal::derive(move || local.get().or_else(|| server.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let pw = new.get_untracked();
        if let Err(e) = policy.check("new_password", &pw, &username, &|_| false) {
            local.set(Some(refusal(&e.field, e.reason.clone())));
            return;
        }
        if pw != again.get_untracked() {
            local.set(Some(refusal(
                "new_password_again",
                "does not match the new password".to_owned(),
            )));
            return;
        }
        local.set(None);
        change.dispatch(PasswordChange {
            current_password: current.get_untracked(),
            new_password: pw,
        });
    };
    let busy = change.pending();
    let rules = password_rules(&policy);
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change your password"</h2>
            <ul class="rules" id="password-rules" data-test-id="password-rules">
                {rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
            </ul>
            <form class="record-form" on:submit=submit data-test-id="password-form">
                <Field label="Current password" name="current_password" value=current form="password"
                    error=error kind=InputKind::Password required=true autocomplete="current-password"
                    test_id="current-password" />
                <Field label="New password" name="new_password" value=new form="password"
                    error=error kind=InputKind::Password required=true autocomplete="new-password"
                    hint="See the rules above." test_id="new-password" />
                <Field label="New password again" name="new_password_again" value=again form="password"
                    error=error kind=InputKind::Password required=true autocomplete="new-password"
                    test_id="new-password-again" />
                <FormError error=error fields=&["current_password", "new_password", "new_password_again"] />
                <Show when=move || done.get()>
                    <p class="saved" role="status" data-test-id="password-changed">
                        "Your password was changed. Hearth signed you out everywhere else."
                    </p>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="change-password" disabled=busy>
                        {move || if busy.get() { "Changing…" } else { "Change password" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn NotifyEmail() -> impl IntoView {
    let session = use_session();
    let stored = Memo::new(move |_| session.with_me(|me| me.notify_email.clone()).flatten());
    let email = RwSignal::new(stored.get_untracked().unwrap_or_default());
    let saved = RwSignal::new(false);
    let set = Action::new_local(move |email: &Option<String>| {
        let body = NotifyEmailChange {
            email: email.clone(),
        };
        async move { api::call::<ep::SetOwnNotifyEmail>(&[], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(user)) = set.value().get() {
            email.set(user.notify_email.clone().unwrap_or_default());
            session.update_me(|me| me.notify_email = user.notify_email.clone());
            saved.set(true);
        }
    });
    let error = last_error(set);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let v = email.get_untracked().trim().to_owned();
        set.dispatch((!v.is_empty()).then_some(v));
    };
    let busy = set.pending();
    view! {
        <section class="card" aria-labelledby="email-heading">
            <h2 id="email-heading">"Notification email"</h2>
            <p class="hint" data-test-id="email-now">
                {move || match stored.get() {
                    Some(e) => format!("Notifications are emailed to {e}. Emails name clients by HMIS number only."),
                    None => "Notifications are shown here in Hearth only. Add an address to get them by email too (clients are named by HMIS number only).".to_owned(),
                }}
            </p>
            <form class="record-form" on:submit=submit data-test-id="email-form">
                <Field label="Email address" name="email" value=email form="notify" error=error
                    kind=InputKind::Email autocomplete="email" test_id="notify-email" />
                <FormError error=error fields=&["email"] />
                <Show when=move || saved.get()>
                    <p class="saved" role="status" data-test-id="email-saved">"Saved."</p>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="save-email" disabled=busy>
                        {move || if busy.get() { "Saving…" } else { "Save address" }}
                    </button>
                    <Show when=move || stored.get().is_some()>
                        <button type="button" class="button" data-test-id="clear-email" disabled=busy
                            on:click=move |_| { saved.set(false); set.dispatch(None); }>
                            "Stop emailing me"
                        </button>
                    </Show>
                </div>
            </form>
        </section>
    }
}
