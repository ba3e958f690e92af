//! `/api/v1/organizations`, `/programs`, `/users`, `/session/password` and `/session/email`:
//! account administration. Every refusal comes from `shared::admin`; every write is audited (no
//! client data involved, and no email address either).

use crate::db::accounts::{self as q, NewUserRow};
use crate::db::notify_email::{self, Outcome};
use crate::db::{self, AuditEntry, UserRow};
use crate::error::{allow, allow_lookup, ApiError};
use crate::extract::Json;
use crate::extract::PathId;
use crate::routes::Api;
use crate::services::auth::{self, AuthUser};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shared::admin::{self, parse_name, EmailAddress, Username};
use shared::api::accounts::{
    NewOrganization, NewProgram, NewUser, NotifyEmailChange, Organization, OrganizationPatch,
    PasswordChange, PasswordReset, Program, ProgramPatch, User, UserPatch,
};
use shared::api::endpoints as ep;
use shared::api::OrgName;
use shared::notify::{AccountMessage, AccountNotice};
use shared::records::ProjectType;
use shared::{Actor, Decision, OrgId, ProgramId, Role, UserId};

fn org_example(id: i64, name: &str) -> Organization {
    Organization {
        id: OrgId(id),
        name: name.into(),
        disabled: false,
    }
}

fn orgs_example() -> Vec<Organization> {
    // Ordered by name.
    vec![
        org_example(2, "Bull City Shelter"),
        org_example(1, "Durham CoC Lead Agency"),
        org_example(3, "Eno River Housing"),
        org_example(4, "Triangle Outreach Services"),
    ]
}

fn program_example(id: i64, org: i64, name: &str, code: i64, t: ProjectType) -> Program {
    Program {
        id: ProgramId(id),
        org: OrgId(org),
        name: name.into(),
        hud_project_type: code,
        project_type: t,
        disabled: false,
    }
}

fn programs_example() -> Vec<Program> {
    vec![
        program_example(
            1,
            2,
            "Bull City Emergency Shelter",
            1,
            ProjectType::EmergencyShelter,
        ),
        program_example(
            3,
            3,
            "Eno Rapid Re-Housing",
            13,
            ProjectType::RapidRehousing,
        ),
    ]
}

fn user_example(id: i64, username: &str, display_name: &str, role: Role) -> User {
    User {
        id: UserId(id),
        org: OrgName {
            id: OrgId(2),
            name: "Bull City Shelter".into(),
        },
        username: username.into(),
        display_name: display_name.into(),
        role,
        disabled: false,
        locked: false,
        notify_email: Some(format!("{username}@bullcity.example.org")),
    }
}

crate::documented!(ep::ListOrganizations {
    response: Vec<Organization> = orgs_example();
});

crate::documented!(ep::CreateOrganization {
    request: NewOrganization = NewOrganization {
                name: "Triangle Family Services".into(),
            };
    response: Organization = org_example(5, "Triangle Family Services");
});

crate::documented!(ep::UpdateOrganization {
    request: OrganizationPatch = OrganizationPatch {
                name: Some("Eno River Housing Partners".into()),
                disabled: None,
            };
    response: Organization = org_example(3, "Eno River Housing Partners");
});

crate::documented!(ep::ListPrograms {
    response: Vec<Program> = programs_example();
});

crate::documented!(ep::CreateProgram {
    request: NewProgram = NewProgram {
                org: OrgId(2),
                name: "Bull City Day Center".into(),
                hud_project_type: 11,
            };
    response: Program = program_example(8, 2, "Bull City Day Center", 11, ProjectType::DayShelter);
});

crate::documented!(ep::UpdateProgram {
    request: ProgramPatch = ProgramPatch {
                name: None,
                hud_project_type: None,
                disabled: Some(true),
            };
    response: Program = Program {
                disabled: true,
                ..program_example(
                    2,
                    2,
                    "Bull City Transitional Housing",
                    2,
                    ProjectType::TransitionalHousing
                )
            };
});

crate::documented!(ep::ListUsers {
    response: Vec<User> = vec![
                user_example(2, "shelter.admin", "Marcus Greene", Role::AgencyAdmin),
                user_example(3, "shelter.cw", "Maria Lopez", Role::Caseworker),
            ];
});

crate::documented!(ep::CreateUser {
    request: NewUser = NewUser {
                org: Some(OrgId(2)),
                username: "shelter.cw3".into(),
                display_name: "Ana Torres".into(),
                role: Role::Caseworker,
                password: "river-lantern-4827".into(),
            };
    response: User = user_example(11, "shelter.cw3", "Ana Torres", Role::Caseworker);
});

crate::documented!(ep::GetUser {
    response: User = user_example(3, "shelter.cw", "Maria Lopez", Role::Caseworker);
});

crate::documented!(ep::UpdateUser {
    request: UserPatch = UserPatch {
                display_name: Some("Thomas Becker".into()),
                role: Some(Role::AgencyAdmin),
                disabled: None,
                notify_email: Some(Some("thomas.becker@bullcity.example.org".into())),
            };
    response: User = user_example(4, "shelter.cw2", "Thomas Becker", Role::AgencyAdmin);
});

crate::documented!(ep::ResetPassword {
    request: PasswordReset = PasswordReset {
                password: "maple-orchard-5190".into(),
            };
});

crate::documented!(ep::ChangeOwnPassword {
    request: PasswordChange = PasswordChange {
                current_password: "hearth-demo-2026".into(),
                new_password: "quiet-harbor-7315".into(),
            };
});

crate::documented!(ep::SetOwnNotifyEmail {
    request: NotifyEmailChange = NotifyEmailChange {
                email: Some("maria.lopez@bullcity.example.org".into()),
            };
    response: User = user_example(3, "shelter.cw", "Maria Lopez", Role::Caseworker);
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListOrganizations, _>(list_orgs)
        .at::<ep::CreateOrganization, _>(create_org)
        .at::<ep::UpdateOrganization, _>(update_org)
        .at::<ep::ListPrograms, _>(list_programs)
        .at::<ep::CreateProgram, _>(create_program)
        .at::<ep::UpdateProgram, _>(update_program)
        .at::<ep::ListUsers, _>(list_users)
        .at::<ep::CreateUser, _>(create_user)
        .at::<ep::GetUser, _>(get_user)
        .at::<ep::UpdateUser, _>(update_user)
        .at::<ep::ResetPassword, _>(reset_password)
        .at::<ep::ChangeOwnPassword, _>(change_own_password)
        .at::<ep::SetOwnNotifyEmail, _>(set_own_notify_email)
}

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
        locked: u.locked_until.is_some_and(|t| t > state.clock.now()),
        notify_email,
    })
}

// ---- organizations ----

async fn list_orgs(
    State(state): State<AppState>,
    _auth: AuthUser,
) -> Result<Json<Vec<Organization>>, ApiError> {
    Ok(Json(q::organizations(&state.pool).await?))
}

async fn create_org(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<NewOrganization>,
) -> Result<(StatusCode, Json<Organization>), ApiError> {
    let d = allow(admin::can_manage_org(&auth.actor))?;
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
            &auth.actor,
            format!("create organization {id}"),
            reason_text(&d),
        ))
        .await?;
    let org = q::organization(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(org)))
}

fn org_conflict(e: sqlx::Error) -> ApiError {
    if q::is_unique_violation(&e) {
        ApiError::conflict("name", "an organization with this name exists")
    } else {
        e.into()
    }
}

async fn update_org(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<OrganizationPatch>,
) -> Result<Json<Organization>, ApiError> {
    let d = allow(admin::can_manage_org(&auth.actor))?;
    let id = OrgId(id);
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
                &auth.actor,
                &action,
                reason_text(&d),
            ))
            .await?;
    }
    Ok(Json(org))
}

// ---- programs ----

#[derive(Debug, Deserialize)]
struct ProgramQuery {
    org: Option<String>,
}

async fn list_programs(
    State(state): State<AppState>,
    _auth: AuthUser,
    query: Result<Query<ProgramQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Program>>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let org = query
        .org
        .map(|o| {
            o.parse::<i64>()
                .map(OrgId)
                .map_err(|_| ApiError::validation("org", "must be an organization id"))
        })
        .transpose()?;
    Ok(Json(q::programs(&state.pool, org).await?))
}

/// An organization that exists and is not disabled, for new users and programs.
async fn active_org(state: &AppState, org: OrgId) -> Result<Organization, ApiError> {
    match q::organization(&state.pool, org).await? {
        None => Err(ApiError::validation("org", "no such organization")),
        Some(o) if o.disabled => Err(ApiError::validation("org", "the organization is disabled")),
        Some(o) => Ok(o),
    }
}

async fn create_program(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<NewProgram>,
) -> Result<(StatusCode, Json<Program>), ApiError> {
    let d = allow(admin::can_manage_program(&auth.actor, req.org))?;
    let name = parse_name("name", &req.name)?;
    admin::parse_hud_project_type(req.hud_project_type)?;
    active_org(&state, req.org).await?;
    let id = q::insert_program(&state.pool, req.org, &name, req.hud_project_type).await?;
    let action = format!("create program {id} of organization {}", req.org);
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            &action,
            reason_text(&d),
        ))
        .await?;
    let p = q::program(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(p)))
}

async fn update_program(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<ProgramPatch>,
) -> Result<Json<Program>, ApiError> {
    let id = ProgramId(id);
    // Decide before looking: the answer must not depend on whether the id exists.
    allow(admin::can_manage_program(&auth.actor, auth.actor.org))?;
    let mut p = q::program(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let d = allow(admin::can_manage_program(&auth.actor, p.org))?;
    let mut changes = Vec::new();
    if let Some(name) = &req.name {
        let name = parse_name("name", name)?;
        if name != p.name {
            changes.push("renamed".to_owned());
            p.name = name;
        }
    }
    if let Some(code) = req.hud_project_type {
        let t = admin::parse_hud_project_type(code)?;
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
                &auth.actor,
                &action,
                reason_text(&d),
            ))
            .await?;
    }
    Ok(Json(p))
}

// ---- users ----

async fn list_users(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<Vec<User>>, ApiError> {
    allow(admin::can_list_users(&auth.actor))?;
    let scope = shared::agency_scope(&auth.actor).org();
    let mut users = Vec::new();
    for id in q::user_ids(&state.pool, scope).await? {
        if let Some(u) = db::user_by_id(&state.pool, id).await? {
            if admin::can_view_user(&auth.actor, &actor_of(&u)).allowed {
                users.push(view(&state, &u).await?);
            }
        }
    }
    Ok(Json(users))
}

/// Loads a user the actor may see (`admin::look_up_user`: another organization's user is 404 to
/// those who may not see it, a same-organization user they may not see is 403 with the reason).
async fn visible_user(state: &AppState, auth: &AuthUser, id: i64) -> Result<UserRow, ApiError> {
    let id = UserId(id);
    let u = db::user_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    allow_lookup(admin::look_up_user(&auth.actor, &actor_of(&u)))?;
    Ok(u)
}

async fn get_user(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<User>, ApiError> {
    let u = visible_user(&state, &auth, id).await?;
    Ok(Json(view(&state, &u).await?))
}

async fn create_user(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let org = req.org.unwrap_or(auth.actor.org);
    let d = allow(admin::can_manage_user(&auth.actor, org, req.role))?;
    let username = Username::parse(&req.username)?;
    let display_name = parse_name("display_name", &req.display_name)?;
    crate::password::check(
        &state.config.password_policy,
        "password",
        &req.password,
        username.as_str(),
    )?;
    active_org(&state, org).await?;
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
            &auth.actor,
            &action,
            reason_text(&d),
        ))
        .await?;
    let u = db::user_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view(&state, &u).await?)))
}

async fn update_user(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<UserPatch>,
) -> Result<Json<User>, ApiError> {
    let u = visible_user(&state, &auth, id).await?;
    let d = allow(admin::can_update_user(
        &auth.actor,
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
        if let Some(words) =
            write_notify_email(&state, &auth.actor, u.id, new_email.as_ref()).await?
        {
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
                &auth.actor,
                &action,
                reason_text(&d),
            ))
            .await?;
    }
    let u = db::user_by_id(&state.pool, u.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(view(&state, &u).await?))
}

async fn reset_password(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    let u = visible_user(&state, &auth, id).await?;
    let d = if u.id == auth.actor.user {
        // Resetting one's own password skips the current password: use /session/password.
        return Err(ApiError::validation(
            "password",
            "change your own password with your current password (POST /session/password)",
        ));
    } else {
        allow(admin::can_manage_user(&auth.actor, u.org, u.role))?
    };
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
            &auth.actor,
            &action,
            reason_text(&d),
        ))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn change_own_password(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    // The same lockout as sign-in: a stolen session cannot be used to guess the password.
    match auth::check_password(&state, &auth.user, &req.current_password).await? {
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
    Ok(StatusCode::NO_CONTENT)
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
    let mut tx = state.pool.begin().await?;
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

async fn set_own_notify_email(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<NotifyEmailChange>,
) -> Result<Json<User>, ApiError> {
    let d = allow(admin::can_set_notify_email(&auth.actor, &auth.actor))?;
    let new = parse_notify_email("email", req.email.as_deref())?;
    if let Some(words) = write_notify_email(&state, &auth.actor, auth.user.id, new.as_ref()).await?
    {
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
    Ok(Json(view(&state, &auth.user).await?))
}
