//! Passwords: argon2id hashes, and the password policy as the server applies it (P-5): the shared pure check, fed with the bundled
//! list of common passwords (`common_passwords.txt`, source in docs/decisions.md).

use crate::error::ApiError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use shared::password::PasswordPolicy;
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
    policy: &PasswordPolicy,
    field: &str,
    password: &str,
    username: &str,
) -> Result<(), ApiError> {
    policy
        .check(field, password, username, &is_common)
        .map_err(ApiError::from)
}

/// Hashes a password with argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Whether `password` matches an argon2 `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p5_passwords_are_hashed_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
    }

    #[test]
    fn p5_the_bundled_list_holds_ten_thousand_common_passwords_and_ignores_case() {
        assert!(common().len() >= 10_000, "{}", common().len());
        assert!(is_common("PASSWORD") && is_common("123456") && is_common("Password1234"));
        assert!(!is_common("hearth-demo-2026"));
        assert!(!common().iter().any(|p| p.starts_with('#')));
    }
}
