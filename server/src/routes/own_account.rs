//! `/api/v1/session/password` and `/api/v1/session/email`: the signed-in user's own password and
//! notification address. The use cases are `services::accounts`.

use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::Api;
use crate::services::accounts;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::accounts::{NotifyEmailChange, PasswordChange, User};
use shared::api::endpoints as ep;
use shared::api::OrgName;
use shared::{OrgId, Role, UserId};

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
    response: User = User {
                id: UserId(3),
                org: OrgName {
                    id: OrgId(2),
                    name: "Bull City Shelter".into(),
                },
                username: "shelter.cw".into(),
                display_name: "Maria Lopez".into(),
                role: Role::Caseworker,
                disabled: false,
                locked: false,
                notify_email: Some("shelter.cw@bullcity.example.org".into()),
            };
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ChangeOwnPassword, _>(change_own_password)
        .at::<ep::SetOwnNotifyEmail, _>(set_own_notify_email)
}

async fn change_own_password(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    accounts::change_own_password(&state, &auth, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_own_notify_email(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<NotifyEmailChange>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(
        accounts::set_own_notify_email(&state, &auth, &req).await?,
    ))
}
