//! Wire types of the account, program, organization and audit endpoints of `/api/v1/`.

use crate::api::OrgName;
use crate::ids::{HmisNumber, OrgId, ProgramId, UserId};
use crate::model::Role;
use crate::records::ProjectType;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// `GET /organizations` row and the answer of `POST`/`PATCH /organizations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Organization {
    pub id: OrgId,
    pub name: String,
    pub disabled: bool,
}

/// `POST /organizations`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub name: String,
}

/// `PATCH /organizations/{id}`: each field present is changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub name: Option<String>,
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// `GET /programs` row: a HUD project run by one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Program {
    pub id: ProgramId,
    pub org: OrgId,
    pub name: String,
    /// HUD's ProjectType code (HMIS Data Standards 2.02.6).
    pub hud_project_type: i64,
    /// The code as the rules read it.
    pub project_type: ProjectType,
    pub disabled: bool,
}

/// `POST /programs`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewProgram {
    pub org: OrgId,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub name: String,
    pub hud_project_type: i64,
}

/// `PATCH /programs/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramPatch {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub name: Option<String>,
    #[serde(default)]
    pub hud_project_type: Option<i64>,
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// `GET /users` row, `GET /users/{id}`. Never carries the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct User {
    pub id: UserId,
    pub org: OrgName,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// Locked for a while after repeated failed sign-ins.
    pub locked: bool,
    /// Where the user's notifications are emailed (`None`: in-app only). Shown to the user and to
    /// those who manage them, like the rest of this view.
    #[serde(default)]
    pub notify_email: Option<String>,
}

/// `POST /users`. `org` defaults to the creating administrator's own organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[serde(default)]
    pub org: Option<OrgId>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::admin::Username"))]
    pub username: String,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

/// `PATCH /users/{id}`: each field present is changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub display_name: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub disabled: Option<bool>,
    /// The notification email address: absent leaves it, `null` clears it, a string sets it
    /// (parsed by `admin::EmailAddress`, errors name `notify_email`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub notify_email: Option<Option<String>>,
}

/// A field that may be absent (`None`), `null` (`Some(None)`) or a value (`Some(Some(v))`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// `PUT /session/email`: the signed-in user sets (`"email": "name@example.org"`) or clears
/// (`"email": null`) their own notification email address. The key is required, so an empty
/// body clears nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NotifyEmailChange {
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::EMAIL_MAX_CHARS)))]
    pub email: Option<String>,
}

/// `POST /users/{id}/password`: an administrator sets a new password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub password: String,
}

/// `POST /session/password`: the signed-in user changes their own password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// One row of `GET /audit` (P-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditEntryView {
    pub id: i64,
    pub at: NaiveDateTime,
    pub user_id: UserId,
    pub username: Option<String>,
    pub org_id: OrgId,
    pub hmis_number: Option<HmisNumber>,
    pub action: String,
    pub reason: String,
}

/// `GET /audit`: a page of entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntryView>,
    pub limit: i64,
    pub offset: i64,
    /// The `before` of the next older page (the last entry's id), when there are older entries.
    #[serde(default)]
    pub older: Option<i64>,
    /// The `after` of the next newer page (the first entry's id), when there are newer entries.
    #[serde(default)]
    pub newer: Option<i64>,
}
