//! The `Idempotency-Key` header of a creating `POST` (`Endpoint::IDEMPOTENT_CREATE`): a retry
//! with the same key and the same request gets the first answer again, with
//! `Idempotent-Replayed: true`, and stores nothing new. Keys belong to the signed-in user, the
//! method and the path; the server forgets them after `KEY_LIFETIME_HOURS`.

use crate::ids::ParseError;

/// The request header that names one submission of a form.
pub const KEY_HEADER: &str = "Idempotency-Key";

/// The answer header that says the answer is the stored first one, not a new write.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// How long the server keeps a key and its first answer.
pub const KEY_LIFETIME_HOURS: i64 = 24;

/// The statuses a key adds to a creating endpoint: 409 when the first request with the key was
/// stored but its answer is not (yet) available, 422 `Idempotency-Key` when the key is
/// malformed or was used for a different request.
pub const KEY_STATUSES: &[u16] = &[409, 422];

/// The longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// A valid key: 1 to 255 visible ASCII characters (`!` to `~`; no space, no control character).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Parses a header value; the error names the header as its field.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        if value.is_empty() {
            return Err(ParseError::new(KEY_HEADER, "must not be empty"));
        }
        if value.len() > MAX_KEY_LEN {
            return Err(ParseError::new(
                KEY_HEADER,
                format!("must be at most {MAX_KEY_LEN} characters"),
            ));
        }
        if !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ParseError::new(
                KEY_HEADER,
                "must be visible ASCII characters only (no spaces)",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// A fresh key from 16 random bytes (the caller draws them: `shared` does no I/O), as 32
    /// lower-case hex digits.
    pub fn from_random(bytes: [u8; 16]) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(32);
        for b in bytes {
            s.push(char::from(DIGITS[usize::from(b >> 4)]));
            s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
        }
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_one_to_255_visible_ascii_characters() {
        for ok in [
            "a",
            "0f3c9e2a-7d1b-4c5e-9a8f-1b2c3d4e5f60",
            "!~",
            &"x".repeat(255),
        ] {
            assert_eq!(IdempotencyKey::parse(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            " ",
            "a b",
            "tab\there",
            "é",
            "new\nline",
            &"x".repeat(256),
        ] {
            let e = IdempotencyKey::parse(bad).unwrap_err();
            assert_eq!(e.field, KEY_HEADER, "{bad:?}");
        }
    }

    #[test]
    fn a_random_key_is_32_hex_digits_and_valid() {
        let k = IdempotencyKey::from_random([0xab; 16]);
        assert_eq!(k.as_str(), "ab".repeat(16));
        assert_eq!(IdempotencyKey::parse(k.as_str()).unwrap(), k);
    }
}
