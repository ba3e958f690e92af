//! entry/exit conflicts, combinations of enrollment dates that cannot all be true. A client
//! sleeps in one place a night: residential stays (shelter, transitional housing, safe haven:
//! entry to exit) and housed periods (permanent housing: move-in to exit) must not overlap.
//! Concurrent enrollments alone (shelter and rapid re-housing before move-in, outreach, services)
//! are not conflicts.

use crate::ids::{OrgId, RecordId};
use crate::records::EnrollmentDates;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What cannot be true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum EntryExitIssue {
    /// One enrollment: exit date before entry date.
    ExitBeforeEntry,
    /// One enrollment: move-in date before entry or after exit.
    MoveInOutsideStay,
    /// One enrollment: a move-in date on a project that is not permanent housing.
    MoveInWithoutHousing,
    /// Housed (move-in) while a residential stay elsewhere continues, e.g. moved into housing 7/1,
    /// shelter exit 7/8. `first` is the housing enrollment.
    HousedDuringResidentialStay,
    /// Two residential stays on the same nights.
    OverlappingResidentialStays,
    /// Housed in two permanent-housing projects at once.
    OverlappingHousedPeriods,
    /// Two overlapping enrollments in the same program.
    DuplicateEnrollment,
}

impl EntryExitIssue {
    pub fn label(self) -> &'static str {
        match self {
            EntryExitIssue::ExitBeforeEntry => "exit date before entry date",
            EntryExitIssue::MoveInOutsideStay => "housing move-in date outside the stay",
            EntryExitIssue::MoveInWithoutHousing => {
                "housing move-in date on a project that is not permanent housing"
            }
            EntryExitIssue::HousedDuringResidentialStay => {
                "housing move-in date before the exit from a shelter or residential stay"
            }
            EntryExitIssue::OverlappingResidentialStays => {
                "two shelter or residential stays overlap"
            }
            EntryExitIssue::OverlappingHousedPeriods => "housed in two projects at once",
            EntryExitIssue::DuplicateEnrollment => {
                "two overlapping enrollments in the same program"
            }
        }
    }
}

/// One detected conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryExitConflict {
    pub issue: EntryExitIssue,
    pub first: RecordId,
    pub first_org: OrgId,
    pub second: Option<RecordId>,
    pub second_org: Option<OrgId>,
    /// The first day that cannot be true.
    pub from: NaiveDate,
}

/// Half-open night interval [start, end); `None` end: still open.
type Nights = (NaiveDate, Option<NaiveDate>);

fn overlap(a: Nights, b: Nights) -> Option<NaiveDate> {
    let end = |x: Option<NaiveDate>| x.unwrap_or(NaiveDate::MAX);
    let start = a.0.max(b.0);
    (start < end(a.1) && start < end(b.1)).then_some(start)
}

fn single_issue(e: &EnrollmentDates) -> Option<EntryExitIssue> {
    if e.exit.is_some_and(|x| x < e.entry) {
        return Some(EntryExitIssue::ExitBeforeEntry);
    }
    let m = e.move_in?;
    if !e.project_type.is_permanent_housing() {
        return Some(EntryExitIssue::MoveInWithoutHousing);
    }
    if m < e.entry || e.exit.is_some_and(|x| m > x) {
        return Some(EntryExitIssue::MoveInOutsideStay);
    }
    None
}

fn residential(e: &EnrollmentDates) -> Option<Nights> {
    e.project_type.is_residential().then_some((e.entry, e.exit))
}

fn housed(e: &EnrollmentDates) -> Option<Nights> {
    if !e.project_type.is_permanent_housing() {
        return None;
    }
    e.move_in.map(|m| (m, e.exit))
}

/// every combination of dates among one client's enrollments that cannot all be true.
pub fn detect_entry_exit_conflicts(enrollments: &[EnrollmentDates]) -> Vec<EntryExitConflict> {
    let mut out = Vec::new();
    let mut valid = Vec::with_capacity(enrollments.len());
    for e in enrollments {
        match single_issue(e) {
            Some(issue) => out.push(EntryExitConflict {
                issue,
                first: e.record,
                first_org: e.org,
                second: None,
                second_org: None,
                from: e.exit.unwrap_or(e.entry).min(e.entry),
            }),
            None => valid.push(e),
        }
    }
    for (i, a) in valid.iter().enumerate() {
        for b in valid.iter().skip(i + 1) {
            let pair = |issue, first: &EnrollmentDates, second: &EnrollmentDates, from| {
                EntryExitConflict {
                    issue,
                    first: first.record,
                    first_org: first.org,
                    second: Some(second.record),
                    second_org: Some(second.org),
                    from,
                }
            };
            if a.program == b.program && a.org == b.org {
                if let Some(from) = overlap((a.entry, a.exit), (b.entry, b.exit)) {
                    out.push(pair(EntryExitIssue::DuplicateEnrollment, a, b, from));
                }
                continue;
            }
            if let (Some(x), Some(y)) = (residential(a), residential(b)) {
                if let Some(from) = overlap(x, y) {
                    out.push(pair(
                        EntryExitIssue::OverlappingResidentialStays,
                        a,
                        b,
                        from,
                    ));
                }
            }
            if let (Some(x), Some(y)) = (housed(a), housed(b)) {
                if let Some(from) = overlap(x, y) {
                    out.push(pair(EntryExitIssue::OverlappingHousedPeriods, a, b, from));
                }
            }
            for (h, r) in [(a, b), (b, a)] {
                if let (Some(x), Some(y)) = (housed(h), residential(r)) {
                    if let Some(from) = overlap(x, y) {
                        out.push(pair(
                            EntryExitIssue::HousedDuringResidentialStay,
                            h,
                            r,
                            from,
                        ));
                    }
                }
            }
        }
    }
    out
}
