//! S-9 redaction: given an actor, a date, the client's ROIs, the MOUs in force and the client's
//! full record set, exactly what the actor may see, each record with its reason, and what a list
//! may say about the rest: by default nothing; with the policy's notice on, the names of the
//! agencies that restrict them (never their kind or number).

use crate::decision::Reason;
use crate::ids::OrgId;
use crate::model::Actor;
use crate::policy::PolicyConfig;
use crate::records::HasMeta;
use crate::sharing::{can_read, SharingContext};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The visible records, in input order, each with the reason it is visible; and the owning
/// organization of each live record withheld (in input order, repeated per record). `withheld`
/// is for `withheld_notice` only: it never leaves the server as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted<T> {
    pub visible: Vec<(T, Reason)>,
    pub withheld: Vec<OrgId>,
}

impl<T> Redacted<T> {
    /// S-9: what the list may say about the withheld records under `policy`.
    pub fn notice(&self, policy: &PolicyConfig) -> Option<Vec<OrgId>> {
        withheld_notice(policy, self.withheld.iter().copied())
    }
}

/// Keeps exactly the records `actor` may read on `today` (S-1..S-8), each with its reason (S-9).
pub fn redact<T: HasMeta>(
    actor: &Actor,
    today: NaiveDate,
    ctx: &SharingContext<'_>,
    policy: &PolicyConfig,
    records: impl IntoIterator<Item = T>,
) -> Redacted<T> {
    let records = records.into_iter();
    let mut visible = Vec::with_capacity(records.size_hint().0);
    let mut withheld = Vec::new();
    for record in records {
        let decision = can_read(actor, record.meta(), ctx, today, policy);
        if decision.allowed {
            visible.push((record, decision.reason));
        } else if !record.meta().deleted {
            // Tombstones (P-3) are not "restricted records": they are never mentioned.
            withheld.push(record.meta().provenance.org);
        }
    }
    Redacted { visible, withheld }
}

/// S-9: what a list, count or profile may say about the records withheld from its reader, given
/// the owning organization of each. `None` (say nothing) by default, and when nothing is
/// withheld; with the policy's `notice_of_restricted_records` on, the restricting agencies, each
/// once, in id order: never how many records, nor of what kind.
pub fn withheld_notice(
    policy: &PolicyConfig,
    owners: impl IntoIterator<Item = OrgId>,
) -> Option<Vec<OrgId>> {
    if !policy.notice_of_restricted_records {
        return None;
    }
    let mut orgs: Vec<OrgId> = owners.into_iter().collect();
    orgs.sort();
    orgs.dedup();
    (!orgs.is_empty()).then_some(orgs)
}
