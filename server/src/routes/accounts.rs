//! `/api/v1/organizations`, `/programs`, `/users`, `/session/password` and `/session/email`:
//! account administration. Every refusal comes from `shared::admin`; every write is audited (no
//! client data involved, and no email address either).

use crate::auth::{self, AuthUser};
use crate::db::accounts::{self as q, NewUserRow};
use crate::db::notify_email::{self, Outcome};
use crate::db::{self, AuditEntry, UserRow};
use crate::error::{allow, allow_lookup, ApiError};
use crate::example;
use crate::openapi::Op;
use crate::routes::Json;
use crate::routes::PathId;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use serde::Deserialize;
use shared::admin::{self, parse_name, EmailAddress, Username};
use shared::api::accounts::{
    NewOrganization, NewProgram, NewUser, NotifyEmailChange, Organization, OrganizationPatch,
    PasswordChange, PasswordReset, Program, ProgramPatch, User, UserPatch,
};
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

pub const OPERATIONS: &[Op] = &[
    Op {
        method: "get",
        path: "/organizations",
        summary: "Every organization (agency), disabled ones included",
        who: "any signed-in user",
        request: None,
        response: Some(example!(Vec<Organization>, orgs_example())),
        statuses: &[200, 401],
    },
    Op {
        method: "post",
        path: "/organizations",
        summary: "Create an organization; names are unique regardless of case (409)",
        who: "SystemAdmins (`admin::can_manage_org`)",
        request: Some(example!(
            NewOrganization,
            NewOrganization {
                name: "Triangle Family Services".into(),
            }
        )),
        response: Some(example!(
            Organization,
            org_example(5, "Triangle Family Services")
        )),
        statuses: &[201, 401, 403, 409, 422],
    },
    Op {
        method: "patch",
        path: "/organizations/{id}",
        summary: "Rename, disable or enable an organization (each field present is changed)",
        who: "SystemAdmins (`admin::can_manage_org`)",
        request: Some(example!(
            OrganizationPatch,
            OrganizationPatch {
                name: Some("Eno River Housing Partners".into()),
                disabled: None,
            }
        )),
        response: Some(example!(
            Organization,
            org_example(3, "Eno River Housing Partners")
        )),
        statuses: &[200, 401, 403, 404, 409, 422],
    },
    Op {
        method: "get",
        path: "/programs",
        summary: "Every program (HUD project), or one organization's with `?org=ID`",
        who: "any signed-in user",
        request: None,
        response: Some(example!(Vec<Program>, programs_example())),
        statuses: &[200, 401, 422],
    },
    Op {
        method: "post",
        path: "/programs",
        summary: "Create a program of an active organization, with its HUD project type code \
            (HMIS Data Standards 2.02.6)",
        who: "SystemAdmins (`admin::can_manage_program`)",
        request: Some(example!(
            NewProgram,
            NewProgram {
                org: OrgId(2),
                name: "Bull City Day Center".into(),
                hud_project_type: 11,
            }
        )),
        response: Some(example!(
            Program,
            program_example(8, 2, "Bull City Day Center", 11, ProjectType::DayShelter)
        )),
        statuses: &[201, 401, 403, 422],
    },
    Op {
        method: "patch",
        path: "/programs/{id}",
        summary: "Rename a program, change its HUD project type, disable or enable it",
        who: "SystemAdmins (`admin::can_manage_program`)",
        request: Some(example!(
            ProgramPatch,
            ProgramPatch {
                name: None,
                hud_project_type: None,
                disabled: Some(true),
            }
        )),
        response: Some(example!(
            Program,
            Program {
                disabled: true,
                ..program_example(
                    2,
                    2,
                    "Bull City Transitional Housing",
                    2,
                    ProjectType::TransitionalHousing
                )
            }
        )),
        statuses: &[200, 401, 403, 404, 422],
    },
    Op {
        method: "get",
        path: "/users",
        summary: "The users the caller manages (never a password hash)",
        who: "SystemAdmins (every user) and AgencyAdmins (their own agency's); caseworkers are \
            refused (`admin::can_manage_user`, `admin::can_view_user`)",
        request: None,
        response: Some(example!(
            Vec<User>,
            vec![
                user_example(2, "shelter.admin", "Marcus Greene", Role::AgencyAdmin),
                user_example(3, "shelter.cw", "Maria Lopez", Role::Caseworker),
            ]
        )),
        statuses: &[200, 401, 403],
    },
    Op {
        method: "post",
        path: "/users",
        summary: "Create a user (`org` defaults to the caller's) with a password under the \
            password policy; usernames are unique regardless of case (P-5, 409)",
        who: "SystemAdmins, and AgencyAdmins for Caseworkers and AgencyAdmins of their own agency \
            (`admin::can_manage_user`)",
        request: Some(example!(
            NewUser,
            NewUser {
                org: Some(OrgId(2)),
                username: "shelter.cw3".into(),
                display_name: "Ana Torres".into(),
                role: Role::Caseworker,
                password: "river-lantern-4827".into(),
            }
        )),
        response: Some(example!(
            User,
            user_example(11, "shelter.cw3", "Ana Torres", Role::Caseworker)
        )),
        statuses: &[201, 401, 403, 409, 422],
    },
    Op {
        method: "get",
        path: "/users/{id}",
        summary: "One user's account",
        who: "the user themself and those who manage them (`admin::can_view_user`); another \
            agency's user is 404 to those who may not manage them",
        request: None,
        response: Some(example!(
            User,
            user_example(3, "shelter.cw", "Maria Lopez", Role::Caseworker)
        )),
        statuses: &[200, 401, 403, 404],
    },
    Op {
        method: "patch",
        path: "/users/{id}",
        summary: "Change a user's display name, role, disabled flag or notification email \
            address (`notify_email`: a string sets it, `null` clears it; 422 `notify_email` if \
            it is not an address); disabling ends their sessions at once (P-5). A new address \
            gets the notice \"Your Hearth notification address was changed\"; the old one is \
            kept in `notify_email_history`, never in the audit log",
        who: "those who manage the user both as they are and as they would be; nobody changes \
            the role of, or disables, their own account (`admin::can_update_user`)",
        request: Some(example!(
            UserPatch,
            UserPatch {
                display_name: Some("Thomas Becker".into()),
                role: Some(Role::AgencyAdmin),
                disabled: None,
                notify_email: Some(Some("thomas.becker@bullcity.example.org".into())),
            }
        )),
        response: Some(example!(
            User,
            user_example(4, "shelter.cw2", "Thomas Becker", Role::AgencyAdmin)
        )),
        statuses: &[200, 401, 403, 404, 422],
    },
    Op {
        method: "post",
        path: "/users/{id}/password",
        summary: "Set another user's password under the password policy; their sessions end \
            (P-5). One's own account is 422: use `POST /session/password`",
        who: "those who manage the user (`admin::can_manage_user`)",
        request: Some(example!(
            PasswordReset,
            PasswordReset {
                password: "maple-orchard-5190".into(),
            }
        )),
        response: None,
        statuses: &[204, 401, 403, 404, 422],
    },
    Op {
        method: "post",
        path: "/session/password",
        summary: "Change one's own password: the current one (under the sign-in lockout) and a \
            new one under the password policy; the caller's other sessions end (P-5)",
        who: "any signed-in user, for their own account",
        request: Some(example!(
            PasswordChange,
            PasswordChange {
                current_password: "hearth-demo-2026".into(),
                new_password: "quiet-harbor-7315".into(),
            }
        )),
        response: None,
        statuses: &[204, 401, 403, 422],
    },
    Op {
        method: "put",
        path: "/session/email",
        summary: "Set (`\"email\": \"name@example.org\"`) or clear (`\"email\": null`) one's own \
            notification email address; 422 `email` if it is not an address, nothing stored. A \
            new address gets the notice \"Your Hearth notification address was changed\" (no \
            client data, R-13); clearing it holds the emails still waiting. Answers the caller's \
            own account",
        who: "any signed-in user, for their own account (`admin::can_set_notify_email`)",
        request: Some(example!(
            NotifyEmailChange,
            NotifyEmailChange {
                email: Some("maria.lopez@bullcity.example.org".into()),
            }
        )),
        response: Some(example!(
            User,
            user_example(3, "shelter.cw", "Maria Lopez", Role::Caseworker)
        )),
        statuses: &[200, 401, 403, 422],
    },
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organizations", get(list_orgs).post(create_org))
        .route("/organizations/{id}", axum::routing::patch(update_org))
        .route("/programs", get(list_programs).post(create_program))
        .route("/programs/{id}", axum::routing::patch(update_program))
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", get(get_user).patch(update_user))
        .route("/users/{id}/password", post(reset_password))
        .route("/session/password", post(change_own_password))
        .route("/session/email", put(set_own_notify_email))
}

fn reason_text(d: &Decision) -> String {
    d.reason.describe(&|o| format!("organization #{o}"))
}

/// Audits an account-management write by `by`. Actions name ids, usernames and roles only.
async fn audit(state: &AppState, by: &Actor, action: &str, d: &Decision) -> Result<(), ApiError> {
    state
        .audit(AuditEntry {
            at: state.clock.now(),
            user: by.user,
            org: by.org,
            hmis_number: None,
            action,
            reason: &reason_text(d),
        })
        .await?;
    Ok(())
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
    audit(
        &state,
        &auth.actor,
        &format!("create organization {id}"),
        &d,
    )
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
        audit(&state, &auth.actor, &action, &d).await?;
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
    audit(&state, &auth.actor, &action, &d).await?;
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
        audit(&state, &auth.actor, &action, &d).await?;
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
    crate::password::check(&state, "password", &req.password, username.as_str())?;
    active_org(&state, org).await?;
    if q::username_taken(&state.pool, username.as_str()).await? {
        return Err(ApiError::conflict("username", "this username is taken"));
    }
    let hash = auth::hash_password(&req.password)?;
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
        "create user {id} ({}) in organization {org} as {:?}",
        username.as_str(),
        req.role
    );
    audit(&state, &auth.actor, &action, &d).await?;
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
        changes.push(format!("role {:?} -> {role:?}", u.role));
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
        audit(&state, &auth.actor, &action, &d).await?;
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
    crate::password::check(&state, "password", &req.password, &u.username)?;
    let hash = auth::hash_password(&req.password)?;
    q::set_password(&state.pool, u.id, &hash).await?;
    auth::end_sessions(&state.pool, u.id, None).await?;
    let action = format!("reset password of user {} ({})", u.id, u.username);
    audit(&state, &auth.actor, &action, &d).await?;
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
        &state,
        "new_password",
        &req.new_password,
        &auth.user.username,
    )?;
    let hash = auth::hash_password(&req.new_password)?;
    q::set_password(&state.pool, auth.user.id, &hash).await?;
    // P-5: other sessions (perhaps an attacker's) end; this one goes on.
    auth::end_sessions(&state.pool, auth.user.id, Some(&auth.token)).await?;
    let d = Decision::allow(shared::Reason::YourOwnAccount);
    audit(&state, &auth.actor, "change own password", &d).await?;
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
            crate::notify::enqueue_account(&mut tx, &notice, now).await?;
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
        audit(&state, &auth.actor, &action, &d).await?;
    }
    Ok(Json(view(&state, &auth.user).await?))
}
