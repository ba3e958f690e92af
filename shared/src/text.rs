//! Input hygiene for free text (P-5: "all input validated with clear errors"): the one check of
//! each kind of text a request can carry, and the longest each field may be.
//!
//! Four kinds, one function each; every free-text field of `/api/v1` goes through one of them
//! (the server never restates a check):
//! - [`single_line`]: a value on one line (a case name, a program name, a signature's title):
//!   no control characters at all, no line or paragraph separators.
//! - [`multi_line`]: a note, a description, a form answer: tab and newline (`\n`, or `\r\n`)
//!   allowed, no other control character.
//! - [`person_name`]: as `single_line`, and no text-direction overrides or isolates
//!   (U+202A–U+202E, U+2066–U+2069) nor zero-width characters (U+200B–U+200D, U+2060, U+FEFF),
//!   which make one name look like another on screen and in search. Accents, apostrophes,
//!   hyphens and any script are names ("José Ñúñez", "O'Brien", "Nguyễn").
//! - [`file_name`]: as `person_name`, and no quotes, path separators, or the names `.` and `..`
//!   (the name goes into a `Content-Disposition` header and is shown beside the file).
//!
//! Each returns the value trimmed of surrounding whitespace, or a [`TextError`] naming the field
//! and the fault, which the server answers with 422 (via [`ParseError`]).

use crate::ids::ParseError;

// --- The longest each field may be, in characters (one place: the OpenAPI document and the app
// read these too). ---

/// A legal name part (first, middle, last) and a user's display name.
pub const PERSON_NAME_MAX_CHARS: usize = 100;
/// The gender answer of a new client's intake (the intake change accepts
/// [`crate::intake::CHANGED_GENDER_MAX_CHARS`]).
pub const INTAKE_GENDER_MAX_CHARS: usize = 50;
/// A short single-line label: an enrollment's case name, a demographics answer, an
/// organization's or program's name, an MOU signature's name and title.
pub const SHORT_TEXT_MAX_CHARS: usize = 200;
/// 3.04.2 additional race and ethnicity detail (HUD's limit).
pub const ADDITIONAL_RACE_ETHNICITY_MAX_CHARS: usize = 100;
/// A contact row's value (address, phone, email, emergency contact).
pub const CONTACT_VALUE_MAX_CHARS: usize = 500;
/// A profile note, a service's description and its case-management note.
pub const NOTE_MAX_CHARS: usize = 10_000;
/// A form: at most this many answers…
pub const FORM_MAX_ANSWERS: usize = 500;
/// …each keyed by a single-line name of at most this many characters…
pub const FORM_KEY_MAX_CHARS: usize = 200;
/// …with a (multi-line) answer of at most this many characters.
pub const FORM_ANSWER_MAX_CHARS: usize = 20_000;
/// An attachment's file name.
pub const FILE_NAME_MAX_CHARS: usize = 255;
/// A search (`GET /clients?q=`): at least this many characters…
pub const SEARCH_MIN_CHARS: usize = 2;
/// …and at most this many.
pub const SEARCH_MAX_CHARS: usize = 100;
/// A username as typed at sign-in (a new username is `admin::Username`, below).
pub const LOGIN_USERNAME_MAX_CHARS: usize = 100;
/// A username (`admin::Username`): at least this many characters…
pub const USERNAME_MIN_CHARS: usize = 3;
/// …and at most this many (lower-case ASCII letters, digits, `.`, `_`, `-`).
pub const USERNAME_MAX_CHARS: usize = 64;
/// A notification email address (`admin::EmailAddress`, RFC 5321's path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

/// What is wrong with a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextFault {
    #[error("cannot be empty")]
    Empty,
    #[error("at most {max} characters")]
    TooLong { max: usize },
    /// A control character (NUL, escape, a line break in a single-line field, ...).
    #[error("contains a control character ({})", code(*.0))]
    Control(char),
    /// A line or paragraph separator (U+2028, U+2029) in a single-line field.
    #[error("must be on one line ({} is a line break)", code(*.0))]
    LineBreak(char),
    /// A text-direction override or isolate, or a zero-width character.
    #[error("contains an invisible or text-direction character ({})", code(*.0))]
    Invisible(char),
    /// A character a file name may not have: a quote or a path separator.
    #[error("a file name cannot contain {0:?} (no quotes or path separators)")]
    FileNameChar(char),
    /// `.` or `..`.
    #[error("must be a file name, not . or ..")]
    DotName,
}

fn code(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A refused text: the field it was in and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {fault}")]
pub struct TextError {
    pub field: String,
    pub fault: TextFault,
}

impl From<TextError> for ParseError {
    fn from(e: TextError) -> Self {
        ParseError::new(e.field, e.fault.to_string())
    }
}

/// Text-direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) and zero-width
/// characters (U+200B–U+200D, U+2060, U+FEFF): invisible, and able to make one name look like
/// another.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    SingleLine,
    MultiLine,
    Name,
    File,
}

fn check<'a>(kind: Kind, field: &str, s: &'a str, max: usize) -> Result<&'a str, TextError> {
    let fail = |fault| TextError {
        field: field.to_owned(),
        fault,
    };
    let t = s.trim();
    if t.is_empty() {
        return Err(fail(TextFault::Empty));
    }
    let mut chars = t.chars().peekable();
    let mut count = 0usize;
    while let Some(c) = chars.next() {
        count += 1;
        let multi = kind == Kind::MultiLine;
        match c {
            '\t' | '\n' if multi => {}
            '\r' if multi && chars.peek() == Some(&'\n') => {}
            c if c.is_control() => return Err(fail(TextFault::Control(c))),
            '\u{2028}' | '\u{2029}' if !multi => return Err(fail(TextFault::LineBreak(c))),
            c if matches!(kind, Kind::Name | Kind::File) && is_invisible(c) => {
                return Err(fail(TextFault::Invisible(c)))
            }
            '"' | '\'' | '/' | '\\' if kind == Kind::File => {
                return Err(fail(TextFault::FileNameChar(c)))
            }
            _ => {}
        }
    }
    if count > max {
        return Err(fail(TextFault::TooLong { max }));
    }
    if kind == Kind::File && (t == "." || t == "..") {
        return Err(fail(TextFault::DotName));
    }
    Ok(t)
}

/// A value on one line, at most `max` characters: no control characters (not even tab), no line
/// or paragraph separator. Returns it trimmed; the error names `field`.
pub fn single_line<'a>(field: &str, s: &'a str, max: usize) -> Result<&'a str, TextError> {
    check(Kind::SingleLine, field, s, max)
}

/// A text of several lines, at most `max` characters: tab and newline (`\n` or `\r\n`) allowed,
/// no other control character. Returns it trimmed; the error names `field`.
pub fn multi_line<'a>(field: &str, s: &'a str, max: usize) -> Result<&'a str, TextError> {
    check(Kind::MultiLine, field, s, max)
}

/// A person's name (or a name part), at most `max` characters: as [`single_line`], and no
/// text-direction or zero-width character ([`is_invisible`]). Returns it trimmed; the error
/// names `field`.
pub fn person_name<'a>(field: &str, s: &'a str, max: usize) -> Result<&'a str, TextError> {
    check(Kind::Name, field, s, max)
}

/// A file name of at most [`FILE_NAME_MAX_CHARS`]: as [`person_name`], and no quotes (`"`, `'`),
/// no path separators (`/`, `\`), not `.` or `..`. Returns it trimmed; the error names `field`.
pub fn file_name<'a>(field: &str, s: &'a str) -> Result<&'a str, TextError> {
    check(Kind::File, field, s, FILE_NAME_MAX_CHARS)
}

/// An optional text: `None`, empty or only whitespace is `None`; anything else is checked by
/// `kind` (one of the functions above, e.g. `|f, s| single_line(f, s, 200)`).
pub fn optional<'a>(
    field: &str,
    s: Option<&'a str>,
    kind: impl Fn(&str, &'a str) -> Result<&'a str, TextError>,
) -> Result<Option<&'a str>, TextError> {
    match s {
        Some(v) if !v.trim().is_empty() => kind(field, v).map(Some),
        _ => Ok(None),
    }
}
