//! the plan for a contact change: the row to add, the rows to end-date, the correction
//! note and the agencies the user may notify. Contact rows are never overwritten in place.

use crate::decision::Reason;
use crate::ids::{ClientId, OrgId, ParseError, RecordId};
use crate::model::Actor;
use crate::records::{parse_contact_value, ContactKind, ContactRow, NoteDraft};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A contact change as requested by a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChange {
    pub client: ClientId,
    pub contact_kind: ContactKind,
    pub value: String,
    pub start: NaiveDate,
    /// The current rows this one replaces (the UI pre-selects the current rows of the kind).
    pub replaces: Vec<RecordId>,
    /// the user attests the change is made at the client's direction.
    pub client_directed: bool,
    /// the correction note is created unless explicitly declined.
    pub decline_note: bool,
}

/// The row to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewContactRow {
    pub client: ClientId,
    pub contact_kind: ContactKind,
    pub value: String,
    pub start: NaiveDate,
}

/// A row to end-date, and its new (inclusive) end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndDateRow {
    pub row: RecordId,
    pub end: NaiveDate,
}

/// What the server does for a contact change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPlan {
    pub add: NewContactRow,
    pub end_date: Vec<EndDateRow>,
    /// Replaced rows that could not be end-dated (they start on or after the new row's start).
    pub left_current: Vec<RecordId>,
    /// Replaced rows that had already ended before the new row starts, left alone: the UI offers
    /// only current rows, so another change replaced them since the user loaded them (stale).
    pub already_ended: Vec<RecordId>,
    pub correction_note: Option<NoteDraft>,
    /// other agencies whose rows were replaced; the user may notify their AgencyAdmins.
    pub may_notify: Vec<OrgId>,
}

/// Why a contact change cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactPlanError {
    /// A rule refuses it (R-4: not at the client's direction).
    Refused(Reason),
    /// The input is invalid; names the field.
    Invalid(ParseError),
}

/// plans `change` against the client's `rows`.
pub fn plan_contact_change(
    actor: &Actor,
    change: &ContactChange,
    rows: &[ContactRow],
) -> Result<ContactPlan, ContactPlanError> {
    if !change.client_directed {
        return Err(ContactPlanError::Refused(Reason::NeedsClientDirection));
    }
    let kind = change.contact_kind;
    let value = parse_contact_value(kind, &change.value).map_err(ContactPlanError::Invalid)?;
    let same_kind = |r: &&ContactRow| {
        r.meta.client == change.client && r.contact_kind == kind && !r.meta.deleted
    };
    if rows
        .iter()
        .filter(same_kind)
        .any(|r| r.is_current(change.start) && r.value.eq_ignore_ascii_case(&value))
    {
        return Err(ContactPlanError::Invalid(ParseError::new(
            "value",
            format!("is already the current {}", kind.label()),
        )));
    }
    let mut end_date = Vec::new();
    let mut left_current = Vec::new();
    let mut already_ended = Vec::new();
    let mut may_notify: Vec<OrgId> = Vec::new();
    for id in &change.replaces {
        let Some(row) = rows.iter().filter(same_kind).find(|r| r.meta.id == *id) else {
            return Err(ContactPlanError::Invalid(ParseError::new(
                "replaces",
                format!("row #{id} is not a {} row of this client", kind.label()),
            )));
        };
        if row.end.is_some_and(|e| e < change.start) {
            already_ended.push(*id);
            continue;
        }
        match change.start.pred_opt() {
            Some(end) if row.start <= end => end_date.push(EndDateRow { row: *id, end }),
            _ => left_current.push(*id),
        }
        if row.meta.provenance.org != actor.org && !may_notify.contains(&row.meta.provenance.org) {
            may_notify.push(row.meta.provenance.org);
        }
    }
    // a change that replaces no row (the first of its kind, or a further one beside the
    // current) corrects nothing: its note says the row was added.
    let replaced = !end_date.is_empty() || !left_current.is_empty();
    let correction_note = (!change.decline_note).then(|| NoteDraft {
        client: change.client,
        text: format!(
            "Contact information {} at the client's direction: new {} from {}{}.",
            if replaced { "corrected" } else { "added" },
            kind.label(),
            change.start,
            match end_date.len() {
                0 => String::new(),
                1 => format!("; the previous {} was end-dated", kind.label()),
                n => format!("; {n} previous rows were end-dated"),
            }
        ),
    });
    Ok(ContactPlan {
        add: NewContactRow {
            client: change.client,
            contact_kind: kind,
            value,
            start: change.start,
        },
        end_date,
        left_current,
        already_ended,
        correction_note,
        may_notify,
    })
}
