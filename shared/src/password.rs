//! The password policy (P-5, OWASP ASVS L2 2.1): a minimum length (12 by default), at most 128
//! characters, no composition rules unless configured, not a common password, not the username.
//! Pure: the caller supplies the common-password lookup, so the server and the app give the same
//! message for the same input.

use crate::ids::ParseError;
use serde::{Deserialize, Serialize};

/// The configurable part of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct PasswordPolicy {
    /// Minimum length in characters (Unicode scalar values); default 12.
    pub min_length: usize,
    /// Maximum length in characters; default 128 (ASVS allows at least 64).
    pub max_length: usize,
    /// Require an upper-case letter, a lower-case letter and a digit (off by default: ASVS 2.1.9
    /// advises against composition rules).
    pub require_classes: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 12,
            max_length: 128,
            require_classes: false,
        }
    }
}

impl PasswordPolicy {
    /// Checks a new password. `field` names the input in the error (`password`,
    /// `new_password`); `is_common` answers whether a (lower-cased) password is on the list of
    /// common passwords. Comparisons with the list and the username ignore case.
    pub fn check(
        &self,
        field: &str,
        password: &str,
        username: &str,
        is_common: &dyn Fn(&str) -> bool,
    ) -> Result<(), ParseError> {
        if let Some(c) = password.chars().find(|c| c.is_control()) {
            return Err(ParseError::new(
                field,
                crate::text::TextFault::Control(c).to_string(),
            ));
        }
        let n = password.chars().count();
        if n < self.min_length {
            return Err(ParseError::new(
                field,
                format!("must be at least {} characters long", self.min_length),
            ));
        }
        if n > self.max_length {
            return Err(ParseError::new(
                field,
                format!("must be at most {} characters long", self.max_length),
            ));
        }
        if self.require_classes
            && !(password.chars().any(char::is_uppercase)
                && password.chars().any(char::is_lowercase)
                && password.chars().any(|c| c.is_ascii_digit()))
        {
            return Err(ParseError::new(
                field,
                "must contain an upper-case letter, a lower-case letter and a digit",
            ));
        }
        let lower = password.to_lowercase();
        if lower == username.trim().to_lowercase() {
            return Err(ParseError::new(field, "must not be the username"));
        }
        if is_common(&lower) {
            return Err(ParseError::new(
                field,
                "is one of the most common passwords: choose another",
            ));
        }
        Ok(())
    }
}
