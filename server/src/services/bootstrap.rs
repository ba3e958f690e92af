//! `hearth-server create-admin`: creates the first SystemAdmin (and its organization if missing)
//! on a fresh installation. Refuses once any SystemAdmin exists: later ones are made in the app.

use crate::db::accounts::{self as q, NewUserRow};
use crate::db::{self, AuditEntry, Pool};
use crate::Config;
use shared::admin::{parse_name, Username};
use shared::Role;

/// The arguments of `create-admin`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CreateAdmin {
    pub username: String,
    pub display_name: String,
    pub organization: String,
}

const USAGE: &str = "usage: hearth-server create-admin --username USER --name \"Display Name\" \
     --organization \"Organization name\"  (password from HEARTH_ADMIN_PASSWORD, else stdin)";

impl CreateAdmin {
    /// Parses `--username U --name N --organization O` (also `--flag=value`).
    pub fn from_args(args: &[String]) -> Result<Self, String> {
        let mut out = Self::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) => (f, Some(v.to_owned())),
                None => (arg.as_str(), None),
            };
            let slot = match flag {
                "--username" => &mut out.username,
                "--name" => &mut out.display_name,
                "--organization" => &mut out.organization,
                other => return Err(format!("unknown option {other:?}\n{USAGE}")),
            };
            *slot = match inline {
                Some(v) => v,
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?,
            };
        }
        for (value, flag) in [
            (&out.username, "--username"),
            (&out.display_name, "--name"),
            (&out.organization, "--organization"),
        ] {
            if value.trim().is_empty() {
                return Err(format!("{flag} is required\n{USAGE}"));
            }
        }
        Ok(out)
    }
}

/// Creates the first SystemAdmin; returns a sentence saying what was done.
pub async fn create_admin(
    pool: &Pool,
    config: &Config,
    args: &CreateAdmin,
    password: &str,
    now: chrono::NaiveDateTime,
) -> Result<String, String> {
    let username = Username::parse(&args.username).map_err(|e| e.to_string())?;
    let display_name = parse_name("name", &args.display_name).map_err(|e| e.to_string())?;
    let org_name = parse_name("organization", &args.organization).map_err(|e| e.to_string())?;
    config
        .password_policy
        .check(
            "password",
            password,
            username.as_str(),
            &crate::password::is_common,
        )
        .map_err(|e| e.to_string())?;
    let db_err = |e: sqlx::Error| format!("database error: {e}");
    if q::system_admin_exists(pool).await.map_err(db_err)? {
        return Err(
            "a system administrator already exists: create further accounts in the \
                    app (Users), signed in as a system administrator"
                .to_owned(),
        );
    }
    if q::username_taken(pool, username.as_str())
        .await
        .map_err(db_err)?
    {
        return Err(format!("username: {} is taken", username.as_str()));
    }
    let (org, created) = match q::organization_named(pool, &org_name)
        .await
        .map_err(db_err)?
    {
        Some(o) if o.disabled => return Err(format!("organization {:?} is disabled", o.name)),
        Some(o) => (o.id, false),
        None => (
            q::insert_organization(pool, &org_name, now)
                .await
                .map_err(db_err)?,
            true,
        ),
    };
    let hash = crate::password::hash_password(password).map_err(|e| e.to_string())?;
    let id = q::insert_user(
        pool,
        NewUserRow {
            org,
            username: username.as_str(),
            display_name: &display_name,
            role: Role::SystemAdmin,
            password_hash: &hash,
            now,
        },
    )
    .await
    .map_err(db_err)?;
    db::audit(
        pool,
        AuditEntry::new(
            now,
            &shared::Actor {
                user: id,
                org,
                role: Role::SystemAdmin,
            },
            format!(
                "create first system administrator {id} ({}) from the command line{}",
                username.as_str(),
                if created {
                    ", with its organization"
                } else {
                    ""
                }
            ),
            "no system administrator existed",
        ),
    )
    .await
    .map_err(db_err)?;
    Ok(format!(
        "Created system administrator {} in {}{}.",
        username.as_str(),
        org_name,
        if created { " (new organization)" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn create_admin_arguments_parse_in_both_spellings_and_name_what_is_missing() {
        let a = CreateAdmin::from_args(&args(&[
            "--username",
            "root.admin",
            "--name=Dana W",
            "--organization",
            "CoC Lead",
        ]))
        .unwrap();
        assert_eq!(a.display_name, "Dana W");
        let e = CreateAdmin::from_args(&args(&["--username", "x"])).unwrap_err();
        assert!(e.starts_with("--name is required"), "{e}");
        assert!(CreateAdmin::from_args(&args(&["--bogus", "1"])).is_err());
    }
}
