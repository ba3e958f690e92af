//! R-9 head-of-household document checklist and R-10 case-manager gaps.

use crate::ids::{ClientId, OrgId, ProgramId};
use crate::records::{AttachmentMeta, CaseManagerAssignment, DocumentType, EnrollmentDates};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One line of the R-9 checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChecklistItem {
    pub document: DocumentType,
    pub on_file: bool,
    pub reminder: Option<String>,
}

/// the recommended documents for a head of household and whether each is attached (not
/// tombstoned). Pass the attachments the viewer may see. Not a head of household: no checklist.
pub fn head_of_household_checklist<'a>(
    is_head_of_household: bool,
    attachments: impl IntoIterator<Item = &'a AttachmentMeta> + Clone,
) -> Vec<ChecklistItem> {
    if !is_head_of_household {
        return Vec::new();
    }
    DocumentType::RECOMMENDED
        .iter()
        .map(|doc| ChecklistItem {
            document: *doc,
            on_file: attachments
                .clone()
                .into_iter()
                .any(|a| a.document_type == *doc && !a.meta.deleted),
            reminder: match doc {
                DocumentType::DisabilityVerification => {
                    Some("Leave out any information about specific diagnoses".to_owned())
                }
                _ => None,
            },
        })
        .collect()
}

/// the (agency, program) pairs where the head of household `hoh` has an open enrollment on
/// `today` but no current, non-deleted case-manager assignment.
pub fn missing_case_managers(
    hoh: ClientId,
    enrollments: &[EnrollmentDates],
    assignments: &[CaseManagerAssignment],
    today: NaiveDate,
) -> Vec<(OrgId, ProgramId)> {
    let mut out: Vec<(OrgId, ProgramId)> = enrollments
        .iter()
        .filter(|e| e.entry <= today && e.exit.is_none_or(|x| today <= x))
        .filter(|e| {
            !assignments.iter().any(|a| {
                a.head_of_household == hoh
                    && a.program == e.program
                    && a.meta.provenance.org == e.org
                    && !a.meta.deleted
                    && a.is_current(today)
            })
        })
        .map(|e| (e.org, e.program))
        .collect();
    out.sort();
    out.dedup();
    out
}
