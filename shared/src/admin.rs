//! Account administration (SPEC section 1, P-4, P-5): who may manage organizations, programs and
//! users, who may read which audit entries, and the parsed values of the account screens.

use crate::decision::{Decision, Lookup, Reason, Refusal};
use crate::ids::{OrgId, ParseError};
use crate::model::{Actor, Role};
use crate::text::{EMAIL_MAX_CHARS, USERNAME_MAX_CHARS, USERNAME_MIN_CHARS};
use serde::{Deserialize, Serialize};

/// Only a SystemAdmin creates, renames or disables organizations.
pub fn can_manage_org(actor: &Actor) -> Decision {
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::ManagesAsSystemAdmin),
        Role::AgencyAdmin | Role::Caseworker => {
            Decision::deny(Reason::OnlySystemAdminsManageOrganizations)
        }
    }
}

/// Only a SystemAdmin creates, changes or disables programs, of any organization.
pub fn can_manage_program(actor: &Actor, _org: OrgId) -> Decision {
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::ManagesAsSystemAdmin),
        Role::AgencyAdmin | Role::Caseworker => {
            Decision::deny(Reason::OnlySystemAdminsManagePrograms)
        }
    }
}

/// Issue #16: only a SystemAdmin imports a HUD CSV export (upload, dry run, import): it
/// writes records of every agency under the sharing policy's ownership.
pub fn can_import_hud(actor: &Actor) -> Decision {
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::ManagesAsSystemAdmin),
        Role::AgencyAdmin | Role::Caseworker => Decision::deny(Reason::OnlySystemAdminsImportHud),
    }
}

/// Whether `actor` may see and manage (create, rename, disable, reset the password of) a user of
/// `target_org` holding `target_role`. For a role change, ask for both the current and the new
/// role (see [`can_update_user`]).
///
/// SystemAdmins manage every user of every organization; AgencyAdmins manage the Caseworkers and
/// AgencyAdmins of their own agency; caseworkers manage nobody.
pub fn can_manage_user(actor: &Actor, target_org: OrgId, target_role: Role) -> Decision {
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::ManagesAsSystemAdmin),
        Role::Caseworker => Decision::deny(Reason::OnlyAdministratorsManageUsers),
        Role::AgencyAdmin if target_org != actor.org => {
            Decision::deny(Reason::AgencyAdminsManageOwnAgencyOnly { org: actor.org })
        }
        Role::AgencyAdmin if target_role == Role::SystemAdmin => {
            Decision::deny(Reason::OnlySystemAdminsManageSystemAdmins)
        }
        Role::AgencyAdmin => Decision::allow(Reason::ManagesOwnAgency { org: actor.org }),
    }
}

/// Whether `actor` may see a user's account (the user list, one user): the same people who may
/// manage it, and everyone may see their own.
pub fn can_view_user(actor: &Actor, target: &Actor) -> Decision {
    if actor.user == target.user {
        return Decision::allow(Reason::YourOwnAccount);
    }
    can_manage_user(actor, target.org, target.role)
}

/// Who may list user accounts (`GET /users`): administrators, each seeing the users
/// [`can_view_user`] allows (SystemAdmins every user, AgencyAdmins their own agency's). A
/// caseworker manages nobody: refused with the reason rather than shown a list of one.
pub fn can_list_users(actor: &Actor) -> Decision {
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::ManagesAsSystemAdmin),
        Role::AgencyAdmin => Decision::allow(Reason::ManagesOwnAgency { org: actor.org }),
        Role::Caseworker => Decision::deny(Reason::OnlyAdministratorsManageUsers),
    }
}

/// A look-up of one user's account by id (`GET` and `PATCH /users/{id}`): [`can_view_user`],
/// and how a refusal is answered. Another agency's user is hidden from those who may not see it
/// (they must not learn that the id exists); a user of the actor's own agency is refused with the
/// reason.
pub fn look_up_user(actor: &Actor, target: &Actor) -> Lookup {
    let decision = can_view_user(actor, target);
    let refusal = if !decision.allowed && target.org != actor.org {
        Refusal::Hidden
    } else {
        Refusal::Explained
    };
    Lookup { decision, refusal }
}

/// A change to an existing user (`PATCH /users/{id}`): `actor` must manage the user as they are
/// and as they would be, and nobody disables or changes the role of their own account (which
/// could leave the system without an administrator).
pub fn can_update_user(
    actor: &Actor,
    target: &Actor,
    new_role: Option<Role>,
    disable: Option<bool>,
) -> Decision {
    let now = can_manage_user(actor, target.org, target.role);
    if !now.allowed {
        return now;
    }
    if let Some(role) = new_role {
        let then = can_manage_user(actor, target.org, role);
        if !then.allowed {
            return then;
        }
    }
    let role_changes = new_role.is_some_and(|r| r != target.role);
    if actor.user == target.user && (role_changes || disable == Some(true)) {
        return Decision::deny(Reason::NotOnYourOwnAccount);
    }
    now
}

/// Who may set, change or clear a user's notification email address: the user themself (any
/// role, `PUT /session/email`), and otherwise exactly those who may update the account
/// ([`can_update_user`] with no role or disabled change, `PATCH /users/{id}`).
pub fn can_set_notify_email(actor: &Actor, target: &Actor) -> Decision {
    if actor.user == target.user {
        return Decision::allow(Reason::YourOwnAccount);
    }
    can_update_user(actor, target, None, None)
}

/// Resetting a user's password (`POST /users/{id}/password`): those who manage the user
/// ([`can_manage_user`]), never on one's own account, whose password is changed with the current
/// one (`POST /session/password`).
pub fn can_reset_password(actor: &Actor, target: &Actor) -> Decision {
    if actor.user == target.user {
        return Decision::deny(Reason::OwnPasswordNeedsCurrent);
    }
    can_manage_user(actor, target.org, target.role)
}

/// Whether `actor` has administrators' screens at all (the app's "Admin" link and `/admin`):
/// those who manage users ([`can_list_users`]: SystemAdmins and AgencyAdmins). Each area there
/// asks its own decision ([`can_manage_org`], [`can_manage_program`], [`audit_scope`]).
pub fn can_administer(actor: &Actor) -> Decision {
    can_list_users(actor)
}

/// Which audit entries (P-4) an actor may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditScope {
    /// Every entry (SystemAdmins).
    All,
    /// Entries made by users of this organization (its AgencyAdmins).
    Organization(OrgId),
    /// None (caseworkers).
    Nothing,
}

/// P-4: the audit log is queryable by SystemAdmins, and by AgencyAdmins for their own agency's
/// users. The decision explains the scope.
pub fn audit_scope(actor: &Actor) -> (AuditScope, Decision) {
    match actor.role {
        Role::SystemAdmin => (AuditScope::All, Decision::allow(Reason::ReadsWholeAuditLog)),
        Role::AgencyAdmin => (
            AuditScope::Organization(actor.org),
            Decision::allow(Reason::ReadsOwnAgencyAudit { org: actor.org }),
        ),
        Role::Caseworker => (
            AuditScope::Nothing,
            Decision::deny(Reason::OnlyAdministratorsReadAudit),
        ),
    }
}

/// P-4: whether `actor` may read an audit entry made by a user of `entry_org`.
pub fn can_read_audit_entry(actor: &Actor, entry_org: OrgId) -> Decision {
    match audit_scope(actor) {
        (AuditScope::All, d) => d,
        (AuditScope::Organization(org), d) if org == entry_org => d,
        (AuditScope::Organization(org), _) => {
            Decision::deny(Reason::AgencyAdminsManageOwnAgencyOnly { org })
        }
        (AuditScope::Nothing, d) => d,
    }
}

/// A sign-in name: 3 to 64 characters, lower-case letters, digits, `.`, `_`, `-` (stored
/// lower-case, so usernames are unique regardless of case; P-5 unique user ids).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

/// As a request carries it: letters (either case: stored lower-case), digits, `.`, `_`, `-`,
/// [`USERNAME_MIN_CHARS`] to [`USERNAME_MAX_CHARS`] of them.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Username {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Username".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let pattern = format!("^[A-Za-z0-9._-]{{{USERNAME_MIN_CHARS},{USERNAME_MAX_CHARS}}}$");
        schemars::json_schema!({ "type": "string", "pattern": pattern })
    }
}

impl Username {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim().to_lowercase();
        let n = s.chars().count();
        if !(USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&n) {
            return Err(ParseError::new(
                "username",
                format!("must be {USERNAME_MIN_CHARS} to {USERNAME_MAX_CHARS} characters long"),
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err(ParseError::new(
                "username",
                "may contain only letters, digits, '.', '_' and '-'",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, ParseError> {
        Self::parse(&s)
    }
}

impl From<Username> for String {
    fn from(u: Username) -> String {
        u.0
    }
}

/// An address notifications are emailed to (`users.notify_email`). Parsed, not validated: trimmed,
/// at most 254 characters, exactly one `@`, no spaces or control characters; before the `@` a
/// dot-atom of at most 64 bytes (letters, digits and the symbols ! # $ % & ' * + - / = ? ^ _ `
/// { | } ~, dots only between them); after it a domain of at least two dot-separated labels of letters, digits and inner
/// hyphens (at most 63 bytes each). The domain is stored lower-case; the part before the `@` is
/// kept as typed (mail servers may treat its case as significant). Every address it accepts is one
/// an RFC 5322 mailer accepts too (no quoted local parts, no IP-literal domains).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses `s`; an error names `field` (`email`, `notify_email`).
    pub fn parse(field: &str, s: &str) -> Result<Self, ParseError> {
        let err = |reason: &str| Err(ParseError::new(field, reason));
        let s = s.trim();
        if s.is_empty() {
            return err("cannot be empty");
        }
        if s.chars().count() > EMAIL_MAX_CHARS {
            return Err(ParseError::new(
                field,
                format!("must be at most {EMAIL_MAX_CHARS} characters long"),
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return err("must not contain spaces or control characters");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return err("must contain exactly one @, like name@example.org");
        };
        if domain.contains('@') {
            return err("must contain exactly one @");
        }
        if local.is_empty() {
            return err("needs a name before the @");
        }
        if local.len() > 64 {
            return err("the part before the @ must be at most 64 characters long");
        }
        let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
        if !local
            .split('.')
            .all(|a| !a.is_empty() && a.chars().all(atext))
        {
            return err(
                "the part before the @ may contain letters, digits and !#$%&'*+-/=?^_`{|}~, \
                 with dots only between them",
            );
        }
        if !domain.contains('.') {
            return err("needs a domain with a dot after the @, like example.org");
        }
        let label_ok = |l: &str| {
            l.len() <= 63
                && l.starts_with(char::is_alphanumeric)
                && l.ends_with(char::is_alphanumeric)
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if !domain.split('.').all(label_ok) {
            return err(
                "the domain after the @ may contain letters, digits and hyphens, with dots \
                 between its parts",
            );
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, ParseError> {
        Self::parse("email", &s)
    }
}

impl From<EmailAddress> for String {
    fn from(e: EmailAddress) -> String {
        e.0
    }
}

/// A person's, organization's or program's name: trimmed, 1 to
/// [`crate::text::SHORT_TEXT_MAX_CHARS`] characters, a name as [`crate::text::person_name`]
/// accepts it (no control, text-direction or zero-width characters). `field` names the input in
/// the error.
pub fn parse_name(field: &str, s: &str) -> Result<String, ParseError> {
    Ok(crate::text::person_name(field, s, crate::text::SHORT_TEXT_MAX_CHARS)?.to_owned())
}

/// P-6 / S-8: may `actor` export, as HUD CSV, the enrollments of a project of `project_org`?
/// Every role may, for every project: an export is a read, enrollments are tier 2 (S-2, readable
/// by every agency), and each record in it is there only by its own read decision (`can_read`,
/// S-1..S-7). The reason says on which footing the project is read: as a SystemAdmin (S-7), as
/// the owning agency, or as tier-2 data another agency entered.
pub fn can_export_hud(actor: &Actor, project_org: OrgId) -> Decision {
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::SystemAdministrator),
        _ if actor.org == project_org => Decision::allow(Reason::OwnOrganization),
        _ => Decision::allow(Reason::ReadOnlyEnteredBy { org: project_org }),
    }
}
