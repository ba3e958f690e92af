//! `/api/v1/users`: list, create, read, change, and reset another user's password
//! (`shared::admin`: SystemAdmins, and AgencyAdmins for their agency; another agency's user is
//! 404). The use cases are `services::accounts`.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::accounts;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::accounts::{NewUser, PasswordReset, User, UserPatch};
use shared::api::endpoints as ep;
use shared::api::OrgName;
use shared::{OrgId, Role, UserId};

/// A user of Bull City Shelter, as the examples show them.
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

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListUsers, _>(list_users)
        .at::<ep::CreateUser, _>(create_user)
        .at::<ep::GetUser, _>(get_user)
        .at::<ep::UpdateUser, _>(update_user)
        .at::<ep::ResetPassword, _>(reset_password)
}

async fn list_users(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(accounts::list_users(&state, &auth.actor).await?))
}

async fn get_user(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<User>, ApiError> {
    Ok(Json(accounts::user(&state, &auth.actor, UserId(id)).await?))
}

async fn create_user(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let u = accounts::create_user(&state, &auth.actor, &req).await?;
    Ok((StatusCode::CREATED, Json(u)))
}

async fn update_user(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<UserPatch>,
) -> Result<Json<User>, ApiError> {
    let u = accounts::update_user(&state, &auth.actor, UserId(id), &req).await?;
    Ok(Json(u))
}

async fn reset_password(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    accounts::reset_password(&state, &auth.actor, UserId(id), &req).await?;
    Ok(StatusCode::NO_CONTENT)
}
