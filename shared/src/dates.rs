//! Plausible dates (P-5: "all input validated with clear errors"): the range each kind of date a
//! request carries must fall in, as of `today`. The numbers are here and only here.
//!
//! | kind | fields | earliest | latest |
//! |---|---|---|---|
//! | [`DateKind::Birth`] | date of birth | [`EARLIEST_BIRTH_YEAR`]-01-01, and not more than [`MAX_AGE_YEARS`] ago | today |
//! | [`DateKind::Recorded`] | enrollment entry, exit and move-in; contact attempts; MOU signatures | [`EARLIEST_PROGRAM_YEAR`]-01-01 | today |
//! | [`DateKind::Scheduled`] | service dates, case-manager start and end, contact start, end-dating a row | [`EARLIEST_PROGRAM_YEAR`]-01-01 | today + [`SCHEDULED_DAYS_AHEAD`] |
//! | [`DateKind::Release`] | ROI and MOU start and end, an MOU's termination | [`EARLIEST_PROGRAM_YEAR`]-01-01 | today + [`RELEASE_DAYS_AHEAD`] |
//!
//! Facts (a birth, an entry, an exit, a contact attempt, a signature) cannot be in the future;
//! plans (a scheduled service or referral, a case manager starting next month, a new address from
//! next week, an end date) may be up to a year ahead; agreements (ROIs, MOUs) run for years.

use crate::ids::ParseError;
use chrono::{Datelike, NaiveDate};

/// No date of birth before 1 January of this year (with [`MAX_AGE_YEARS`], whichever is later).
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;
/// No date of birth more than this many years before today (the oldest people living are
/// younger).
pub const MAX_AGE_YEARS: u32 = 120;
/// No program date (enrollments, services, contacts, releases) before 1 January of this year.
/// HUD's HMIS Data and Technical Standards date from 2004; 1990 leaves room for records migrated
/// from the systems that came before, and still catches a mistyped century (`1026`, `1926`).
pub const EARLIEST_PROGRAM_YEAR: i32 = 1990;
/// How far ahead a planned date (a scheduled service, a case manager's start, an end date) may
/// be: a year and a day.
pub const SCHEDULED_DAYS_AHEAD: u32 = 366;
/// How far ahead an ROI or MOU date may be: ten years (an MOU is renewed long before).
pub const RELEASE_DAYS_AHEAD: u32 = 3653;

/// What a date is, which decides its plausible range (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// A date of birth.
    Birth,
    /// Something that happened: not in the future.
    Recorded,
    /// Something planned: up to [`SCHEDULED_DAYS_AHEAD`] ahead.
    Scheduled,
    /// A release's or agreement's dates: up to [`RELEASE_DAYS_AHEAD`] ahead.
    Release,
}

fn jan1(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

impl DateKind {
    /// The earliest and latest date of this kind accepted on `today`, both inclusive.
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let ahead = |days: u32| {
            today
                .checked_add_days(chrono::Days::new(u64::from(days)))
                .unwrap_or(NaiveDate::MAX)
        };
        match self {
            DateKind::Birth => {
                let oldest = today
                    .with_year(today.year() - MAX_AGE_YEARS as i32)
                    .or_else(|| NaiveDate::from_ymd_opt(today.year() - MAX_AGE_YEARS as i32, 3, 1))
                    .unwrap_or(NaiveDate::MIN);
                (oldest.max(jan1(EARLIEST_BIRTH_YEAR)), today)
            }
            DateKind::Recorded => (jan1(EARLIEST_PROGRAM_YEAR), today),
            DateKind::Scheduled => (jan1(EARLIEST_PROGRAM_YEAR), ahead(SCHEDULED_DAYS_AHEAD)),
            DateKind::Release => (jan1(EARLIEST_PROGRAM_YEAR), ahead(RELEASE_DAYS_AHEAD)),
        }
    }
}

/// `date` if it is plausible for its kind on `today`, else an error naming `field` and the range.
pub fn check(
    field: &str,
    kind: DateKind,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, ParseError> {
    let (earliest, latest) = kind.range(today);
    if date < earliest {
        let reason = match kind {
            DateKind::Birth => format!(
                "cannot be before {earliest} (more than {MAX_AGE_YEARS} years ago or before \
                 {EARLIEST_BIRTH_YEAR})"
            ),
            _ => format!("cannot be before {earliest}"),
        };
        return Err(ParseError::new(field, reason));
    }
    if date > latest {
        let reason = if latest == today {
            "cannot be in the future".to_owned()
        } else {
            format!("cannot be after {latest}")
        };
        return Err(ParseError::new(field, reason));
    }
    Ok(date)
}

/// As [`check`], for an optional date.
pub fn check_opt(
    field: &str,
    kind: DateKind,
    date: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, ParseError> {
    date.map(|d| check(field, kind, d, today)).transpose()
}
