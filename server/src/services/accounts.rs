//! Account administration (section 1, P-4, P-5): organizations, programs, users, and a user's own
//! password and notification address. One function per use case: the decision of
//! `shared::admin` (refused: 403 with its reason; another agency's user: 404), the parsing of the
//! request's values, the write and the audit entry (the decision's `describe` sentence as its
//! reason; ids, usernames and roles only, never a password or an email address).

use crate::db::accounts::{self as q, NewUserRow};
use crate::db::notify_email::{self, Outcome};
use crate::db::{self, AuditEntry, UserRow};
use crate::error::{allow, allow_lookup, ApiError};
use crate::services::auth::{self, AuthUser};
use crate::state::AppState;
use shared::admin::{self, parse_name, EmailAddress, Username};
use shared::api::accounts::{
    NewOrganization, NewProgram, NewUser, NotifyEmailChange, Organization, OrganizationPatch,
    PasswordChange, PasswordReset, Program, ProgramPatch, User, UserPatch,
};
use shared::api::OrgName;
use shared::notify::{AccountMessage, AccountNotice};
use shared::{Actor, Decision, OrgId, ProgramId, UserId};

fn reason_text(d: &Decision) -> String {
    d.reason.describe(&|o| format!("organization #{o}"))
}

fn actor_of(u: &UserRow) -> Actor {
    Actor {
        user: u.id,
        org: u.org,
        role: u.role,
    }
}

/// A user's account as the API shows it, with their notification address (shown to whoever may
/// see the account: `admin::can_view_user`, checked by every caller).
async fn view(state: &AppState, u: &UserRow) -> Result<User, ApiError> {
    let notify_email = notify_email::address(&state.pool, u.id).await?;
    Ok(User {
        id: u.id,
        org: OrgName {
            id: u.org,
            name: u.org_name.clone(),
        },
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role,
        disabled: u.disabled,
        locked: shared::policy::is_locked(u.locked_until, state.clock.now()),
        notify_email,
    })
}

// ---- organizations ----

fn org_conflict(e: sqlx::Error) -> ApiError {
    if q::is_unique_violation(&e) {
        ApiError::conflict("name", "an organization with this name exists")
    } else {
        e.into()
    }
}

/// A SystemAdmin creates an organization with a name no other has.
pub async fn create_organization(
    state: &AppState,
    actor: &Actor,
    req: &NewOrganization,
) -> Result<Organization, ApiError> {
    let d = allow(admin::can_manage_org(actor))?;
    let name = parse_name("name", &req.name)?;
    if q::organization_named(&state.pool, &name).await?.is_some() {
        return Err(ApiError::conflict(
            "name",
            "an organization with this name exists",
        ));
    }
    let id = q::insert_organization(&state.pool, &name, state.clock.now())
        .await
        .map_err(org_conflict)?;
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            format!("create organization {id}"),
            reason_text(&d),
        ))
        .await?;
    q::organization(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A SystemAdmin renames, disables or enables an organization; nothing changed, nothing written
/// or audited.
pub async fn update_organization(
    state: &AppState,
    actor: &Actor,
    id: OrgId,
    req: &OrganizationPatch,
) -> Result<Organization, ApiError> {
    let d = allow(admin::can_manage_org(actor))?;
    let mut org = q::organization(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut changes = Vec::new();
    if let Some(name) = &req.name {
        let name = parse_name("name", name)?;
        if name != org.name {
            if q::organization_named(&state.pool, &name)
                .await?
                .is_some_and(|o| o.id != id)
            {
                return Err(ApiError::conflict(
                    "name",
                    "an organization with this name exists",
                ));
            }
            changes.push("renamed".to_owned());
            org.name = name;
        }
    }
    if let Some(disabled) = req.disabled {
        if disabled != org.disabled {
            changes.push(if disabled { "disabled" } else { "enabled" }.to_owned());
            org.disabled = disabled;
        }
    }
    if !changes.is_empty() {
        q::update_organization(&state.pool, &org)
            .await
            .map_err(org_conflict)?;
        let action = format!("update organization {id}: {}", changes.join(", "));
        state
            .audit(AuditEntry::new(
                state.clock.now(),
                actor,
                &action,
                reason_text(&d),
            ))
            .await?;
    }
    Ok(org)
}

// ---- programs ----

/// An organization that exists and is not disabled, for new users and programs.
async fn active_org(state: &AppState, org: OrgId) -> Result<Organization, ApiError> {
    match q::organization(&state.pool, org).await? {
        None => Err(ApiError::validation("org", "no such organization")),
        Some(o) if o.disabled => Err(ApiError::validation("org", "the organization is disabled")),
        Some(o) => Ok(o),
    }
}

/// Creates a program of an active organization with a known HUD project type.
pub async fn create_program(
    state: &AppState,
    actor: &Actor,
    req: &NewProgram,
) -> Result<Program, ApiError> {
    let d = allow(admin::can_manage_program(actor, req.org))?;
    let name = parse_name("name", &req.name)?;
    shared::hud::ProjectType::from_code(req.hud_project_type)?;
    active_org(state, req.org).await?;
    let id = q::insert_program(&state.pool, req.org, &name, req.hud_project_type).await?;
    let action = format!("create program {id} of organization {}", req.org);
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            &action,
            reason_text(&d),
        ))
        .await?;
    q::program(&state.pool, id).await?.ok_or(ApiError::NotFound)
}

/// Renames a program, changes its HUD project type, disables or enables it; nothing changed,
/// nothing written or audited.
pub async fn update_program(
    state: &AppState,
    actor: &Actor,
    id: ProgramId,
    req: &ProgramPatch,
) -> Result<Program, ApiError> {
    // Decide before looking: the answer must not depend on whether the id exists.
    allow(admin::can_manage_program(actor, actor.org))?;
    let mut p = q::program(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let d = allow(admin::can_manage_program(actor, p.org))?;
    let mut changes = Vec::new();
    if let Some(name) = &req.name {
        let name = parse_name("name", name)?;
        if name != p.name {
            changes.push("renamed".to_owned());
            p.name = name;
        }
    }
    if let Some(code) = req.hud_project_type {
        let t = shared::hud::ProjectType::from_code(code)?;
        if code != p.hud_project_type {
            changes.push(format!("HUD project type {} -> {code}", p.hud_project_type));
            p.hud_project_type = code;
            p.project_type = t;
        }
    }
    if let Some(disabled) = req.disabled {
        if disabled != p.disabled {
            changes.push(if disabled { "disabled" } else { "enabled" }.to_owned());
            p.disabled = disabled;
        }
    }
    if !changes.is_empty() {
        q::update_program(&state.pool, &p).await?;
        let action = format!("update program {id}: {}", changes.join(", "));
        state
            .audit(AuditEntry::new(
                state.clock.now(),
                actor,
                &action,
                reason_text(&d),
            ))
            .await?;
    }
    Ok(p)
}

// ---- users ----

/// The users `actor` may list (SystemAdmins: all; AgencyAdmins: their agency's) and see.
pub async fn list_users(state: &AppState, actor: &Actor) -> Result<Vec<User>, ApiError> {
    allow(admin::can_list_users(actor))?;
    let scope = shared::agency_scope(actor).org();
    let mut users = Vec::new();
    for id in q::user_ids(&state.pool, scope).await? {
        if let Some(u) = db::user_by_id(&state.pool, id).await? {
            if admin::can_view_user(actor, &actor_of(&u)).allowed {
                users.push(view(state, &u).await?);
            }
        }
    }
    Ok(users)
}

/// Loads a user the actor may see (`admin::look_up_user`: another organization's user is 404 to
/// those who may not see it, a same-organization user they may not see is 403 with the reason).
async fn visible_user(state: &AppState, actor: &Actor, id: UserId) -> Result<UserRow, ApiError> {
    let u = db::user_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    allow_lookup(admin::look_up_user(actor, &actor_of(&u)))?;
    Ok(u)
}

/// A user's account, to the user and those who manage them.
pub async fn user(state: &AppState, actor: &Actor, id: UserId) -> Result<User, ApiError> {
    let u = visible_user(state, actor, id).await?;
    view(state, &u).await
}

/// Creates a user in an active organization (the actor's unless named), with a username no one
/// has and a password the policy accepts.
pub async fn create_user(state: &AppState, actor: &Actor, req: &NewUser) -> Result<User, ApiError> {
    let org = req.org.unwrap_or(actor.org);
    let d = allow(admin::can_manage_user(actor, org, req.role))?;
    let username = Username::parse(&req.username)?;
    let display_name = parse_name("display_name", &req.display_name)?;
    crate::password::check(
        &state.config.password_policy,
        "password",
        &req.password,
        username.as_str(),
    )?;
    active_org(state, org).await?;
    if q::username_taken(&state.pool, username.as_str()).await? {
        return Err(ApiError::conflict("username", "this username is taken"));
    }
    let hash = crate::password::hash_password(&req.password)?;
    let id = q::insert_user(
        &state.pool,
        NewUserRow {
            org,
            username: username.as_str(),
            display_name: &display_name,
            role: req.role,
            password_hash: &hash,
            now: state.clock.now(),
        },
    )
    .await
    .map_err(|e| {
        if q::is_unique_violation(&e) {
            ApiError::conflict("username", "this username is taken")
        } else {
            e.into()
        }
    })?;
    let action = format!(
        "create user {id} ({}) in organization {org} as {}",
        username.as_str(),
        req.role.as_str()
    );
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            &action,
            reason_text(&d),
        ))
        .await?;
    let u = db::user_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    view(state, &u).await
}

/// Changes a user's display name, role, disabled flag and notification address, as far as the
/// actor manages the user as they are and would be. Every field is parsed before anything is
/// written; disabling ends the user's sessions (P-5); one audit entry lists the changes.
pub async fn update_user(
    state: &AppState,
    actor: &Actor,
    id: UserId,
    req: &UserPatch,
) -> Result<User, ApiError> {
    let u = visible_user(state, actor, id).await?;
    let d = allow(admin::can_update_user(
        actor,
        &actor_of(&u),
        req.role,
        req.disabled,
    ))?;
    let mut display_name = u.display_name.clone();
    let mut changes = Vec::new();
    if let Some(name) = &req.display_name {
        let name = parse_name("display_name", name)?;
        if name != display_name {
            changes.push("display name changed".to_owned());
            display_name = name;
        }
    }
    // Every field is parsed before anything is written: a bad address stores nothing.
    let new_email = req
        .notify_email
        .as_ref()
        .map(|e| parse_notify_email("notify_email", e.as_deref()))
        .transpose()?;
    let role = req.role.unwrap_or(u.role);
    if role != u.role {
        changes.push(format!("role {} -> {}", u.role.as_str(), role.as_str()));
    }
    let disabled = req.disabled.unwrap_or(u.disabled);
    if disabled != u.disabled {
        changes.push(if disabled { "disabled" } else { "enabled" }.to_owned());
    }
    if !changes.is_empty() {
        q::update_user(&state.pool, u.id, &display_name, role, disabled).await?;
        if disabled {
            // P-5: a disabled user's sessions end now, not at their next timeout.
            auth::end_sessions(&state.pool, u.id, None).await?;
        }
    }
    // After the other fields, so a user disabled by the same request gets no notice.
    if let Some(new_email) = &new_email {
        if let Some(words) = write_notify_email(state, actor, u.id, new_email.as_ref()).await? {
            changes.push(words.to_owned());
        }
    }
    if !changes.is_empty() {
        let action = format!(
            "update user {} ({}): {}",
            u.id,
            u.username,
            changes.join(", ")
        );
        state
            .audit(AuditEntry::new(
                state.clock.now(),
                actor,
                &action,
                reason_text(&d),
            ))
            .await?;
    }
    let u = db::user_by_id(&state.pool, u.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    view(state, &u).await
}

/// Sets another user's password (never one's own: that takes the current password); the user's
/// sessions end.
pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    id: UserId,
    req: &PasswordReset,
) -> Result<(), ApiError> {
    let u = visible_user(state, actor, id).await?;
    // Resetting one's own password would skip the current password: /session/password.
    let d = allow(admin::can_reset_password(actor, &actor_of(&u)))?;
    crate::password::check(
        &state.config.password_policy,
        "password",
        &req.password,
        &u.username,
    )?;
    let hash = crate::password::hash_password(&req.password)?;
    q::set_password(&state.pool, u.id, &hash).await?;
    auth::end_sessions(&state.pool, u.id, None).await?;
    let action = format!("reset password of user {} ({})", u.id, u.username);
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            &action,
            reason_text(&d),
        ))
        .await?;
    Ok(())
}

// ---- one's own account ----

/// The signed-in user changes their password, giving the current one (under the sign-in
/// lockout); their other sessions end, this one goes on.
pub async fn change_own_password(
    state: &AppState,
    auth: &AuthUser,
    req: &PasswordChange,
) -> Result<(), ApiError> {
    // The same lockout as sign-in: a stolen session cannot be used to guess the password.
    match auth::check_password(state, &auth.user, &req.current_password).await? {
        auth::PasswordCheck::Right => {}
        auth::PasswordCheck::Wrong => {
            return Err(ApiError::validation(
                "current_password",
                "is not your current password",
            ))
        }
        auth::PasswordCheck::Locked => {
            return Err(ApiError::validation(
                "current_password",
                "too many wrong passwords: try again later",
            ))
        }
    }
    crate::password::check(
        &state.config.password_policy,
        "new_password",
        &req.new_password,
        &auth.user.username,
    )?;
    let hash = crate::password::hash_password(&req.new_password)?;
    q::set_password(&state.pool, auth.user.id, &hash).await?;
    // P-5: other sessions (perhaps an attacker's) end; this one goes on.
    auth::end_sessions(&state.pool, auth.user.id, Some(&auth.token)).await?;
    let d = Decision::allow(shared::Reason::YourOwnAccount);
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            "change own password",
            reason_text(&d),
        ))
        .await?;
    Ok(())
}

/// The signed-in user sets or clears their own notification address; returns their account.
pub async fn set_own_notify_email(
    state: &AppState,
    auth: &AuthUser,
    req: &NotifyEmailChange,
) -> Result<User, ApiError> {
    let d = allow(admin::can_set_notify_email(&auth.actor, &auth.actor))?;
    let new = parse_notify_email("email", req.email.as_deref())?;
    if let Some(words) = write_notify_email(state, &auth.actor, auth.user.id, new.as_ref()).await? {
        let action = format!(
            "update user {} ({}): {words}",
            auth.user.id, auth.user.username
        );
        state
            .audit(AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                &action,
                reason_text(&d),
            ))
            .await?;
    }
    view(state, &auth.user).await
}

// ---- notification email ----

/// An address as `shared::admin::EmailAddress` parses it, and one the mailer can send to (the
/// shared rules accept a subset of what lettre accepts; this keeps it so). `None` clears.
fn parse_notify_email(field: &str, email: Option<&str>) -> Result<Option<EmailAddress>, ApiError> {
    let Some(email) = email else {
        return Ok(None);
    };
    let e = EmailAddress::parse(field, email)?;
    if e.as_str().parse::<lettre::Address>().is_err() {
        return Err(ApiError::validation(
            field,
            "is not an address the mail server can send to",
        ));
    }
    Ok(Some(e))
}

/// Sets or clears `user`'s notification address for `by` in one transaction: the old value goes
/// to `notify_email_history` (P-3); a new address gets the change notice through the outbox
/// (so its arrival confirms the address); clearing holds the emails still waiting. Returns the
/// audit words ("notification email set" / "cleared"; never the address), or `None` when the
/// address was already that.
async fn write_notify_email(
    state: &AppState,
    by: &Actor,
    user: UserId,
    new: Option<&EmailAddress>,
) -> Result<Option<&'static str>, ApiError> {
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let outcome = notify_email::set(&mut tx, user, new.map(EmailAddress::as_str), by, now).await?;
    let words = match (outcome, new) {
        (Outcome::Unchanged, _) => None,
        (Outcome::Changed { .. }, Some(_)) => {
            let notice = AccountNotice {
                user,
                message: AccountMessage::NotificationEmailChanged {
                    by: by.user,
                    by_org: by.org,
                },
            };
            crate::services::notify::enqueue_account(&mut tx, &notice, now).await?;
            Some("notification email set")
        }
        (Outcome::Changed { .. }, None) => {
            crate::db::notifications::hold_pending_emails(&mut tx, user).await?;
            Some("notification email cleared")
        }
    };
    tx.commit().await?;
    Ok(words)
}
