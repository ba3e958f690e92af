//! The password policy as the server applies it (P-5): the shared pure check, fed with the bundled
//! list of common passwords (`common_passwords.txt`, source in docs/decisions.md).

use crate::error::ApiError;
use crate::state::AppState;
use std::collections::HashSet;
use std::sync::OnceLock;

const LIST: &str = include_str!("common_passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        LIST.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether a password is on the bundled list, ignoring case.
pub fn is_common(password: &str) -> bool {
    common().contains(password.to_lowercase().as_str())
}

/// Checks a new password against the configured policy; a refusal is a 422 naming `field`.
pub fn check(
    state: &AppState,
    field: &str,
    password: &str,
    username: &str,
) -> Result<(), ApiError> {
    state
        .config
        .password_policy
        .check(field, password, username, &is_common)
        .map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p5_the_bundled_list_holds_ten_thousand_common_passwords_and_ignores_case() {
        assert!(common().len() >= 10_000, "{}", common().len());
        assert!(is_common("PASSWORD") && is_common("123456") && is_common("Password1234"));
        assert!(!is_common("hearth-demo-2026"));
        assert!(!common().iter().any(|p| p.starts_with('#')));
    }
}
