//! SPEC section 4, data resolution: the single-answer change check, the conflict state
//! machine, the contact-row change plan, entry/exit conflict detection
//! and the head-of-household checklist and case-manager gaps.

mod checklist;
mod conflict;
mod contact;
mod entry_exit;

pub use checklist::{head_of_household_checklist, missing_case_managers, ChecklistItem};
pub use conflict::{
    automatic_step_actor, can_see_conflict, can_see_resolution_queue, can_step,
    carries_out_agreement, check_attempt, check_one_entry_exit_conflict_per_agency,
    conflict_age_days, escalation_check, escalation_note, in_resolution_queue,
    new_entry_exit_conflict, new_field_conflict, next_escalation, parse_agreement,
    parse_conflict_field, parse_conflict_stored, resolves_on_agreement, step, AgreedValue,
    AttemptOutcome, ConflictState, ConflictStep, ConflictSubject, ContactAttempt, ContactMethod,
    DataConflict, Stepped,
};
pub use contact::{
    plan_contact_change, ContactChange, ContactPlan, ContactPlanError, EndDateRow, NewContactRow,
};
pub use entry_exit::{detect_entry_exit_conflicts, EntryExitConflict, EntryExitIssue};

use crate::decision::{Decision, Reason};
use crate::fields::{DocumentationType, Field, FieldClass};
use crate::ids::OrgId;
use crate::model::Actor;
use crate::policy::PolicyConfig;
use serde::{Deserialize, Serialize};

/// The written documentation offered with a single-answer change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Documentation {
    pub document: DocumentationType,
    /// A reference to the attached scan, if any.
    pub scan: Option<String>,
}

/// may `actor` change `field`, whose current value was entered by `entered_by` (`None`: the
/// field is empty), offering `documentation`? Single-answer fields: the entering agency, or anyone
/// filling an empty value, or anyone with written documentation (a scan of a Social Security card
/// is refused, R-9). Contact fields: never in place. Other fields: any agency (S-1).
pub fn check_single_answer_change(
    actor: &Actor,
    field: Field,
    entered_by: Option<OrgId>,
    documentation: Option<&Documentation>,
    policy: &PolicyConfig,
) -> Decision {
    match policy.field_class(field) {
        FieldClass::SeveralAnswers => Decision::deny(Reason::ContactDataIsEndDated),
        FieldClass::Plain => Decision::allow(Reason::CommunityEditable),
        FieldClass::SingleAnswer => {
            let Some(entered_by) = entered_by else {
                return Decision::allow(Reason::EmptyValue);
            };
            if entered_by == actor.org {
                return Decision::allow(Reason::YourAgency);
            }
            match documentation {
                Some(d)
                    if d.document == DocumentationType::SocialSecurityCard && d.scan.is_some() =>
                {
                    Decision::deny(Reason::SocialSecurityCardRefused)
                }
                Some(d) => Decision::allow(Reason::Documented {
                    document: d.document,
                }),
                None => Decision::deny(Reason::NeedsDocumentation { field, entered_by }),
            }
        }
    }
}

/// How a value of a field conflict may be shown outside the conflict's own detail view (lists,
/// the escalation ProfileNote): a Social Security number shows only its last four digits, as the
/// profile does; every other field as it is. The full values stay with the conflict.
pub fn shown_value(field: Field, value: &str) -> String {
    if field != Field::Ssn {
        return value.to_owned();
    }
    crate::fields::masked_ssn(value)
}

/// [`escalation_note`] with the values shown as [`shown_value`] allows: the ProfileNote is read
/// by every agency (tier 2), so it never carries a full SSN.
pub fn escalation_note_shown(
    conflict: &DataConflict,
    org_name: &dyn Fn(OrgId) -> String,
) -> crate::records::NoteDraft {
    let mut shown = conflict.clone();
    if let ConflictSubject::Field {
        field,
        stored,
        stated,
    } = &mut shown.subject
    {
        *stored = shown_value(*field, stored);
        *stated = shown_value(*field, stated);
    }
    escalation_note(&shown, org_name)
}
