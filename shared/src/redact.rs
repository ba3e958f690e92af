//! S-9 redaction: given an actor, a date, the client's ROIs, the MOUs in force and the client's
//! full record set, exactly what the actor may see, each record with its reason, and how many are
//! hidden (the user may be told that restricted records exist, never what they are).

use crate::decision::Reason;
use crate::model::Actor;
use crate::policy::PolicyConfig;
use crate::records::HasMeta;
use crate::sharing::{can_read, SharingContext};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The visible records, in input order, each with the reason it is visible; and the hidden count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted<T> {
    pub visible: Vec<(T, Reason)>,
    pub hidden_count: usize,
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
    let mut hidden_count = 0;
    for record in records {
        let decision = can_read(actor, record.meta(), ctx, today, policy);
        if decision.allowed {
            visible.push((record, decision.reason));
        } else if !record.meta().deleted {
            // Tombstones (P-3) are not "restricted records": they are not counted.
            hidden_count += 1;
        }
    }
    Redacted {
        visible,
        hidden_count,
    }
}
