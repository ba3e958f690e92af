//! S-4 / S-6 impact preview: what each organization newly reads when an MOU becomes active, or
//! loses when it is terminated, counted by `can_read` itself over the real records (never
//! restated), by reader, owner and record kind, without naming any client (S-9, R-13).
//!
//! Both sides are decided on the same day (the day the change takes effect), so an ROI that
//! ends in between is not mistaken for the MOU's doing: "before" is every MOU as it stands,
//! "after" the same list with this one changed ([`mou_after`]).

use crate::ids::{ClientId, MouId, OrgId, UserId};
use crate::model::{Actor, Mou, RecordKind, RecordMeta, Revocation, Roi, Role, Signature};
use crate::policy::PolicyConfig;
use crate::sharing::{can_read, SharingContext};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The change an impact preview is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MouChange {
    /// The MOU complete (every signature and the document) and so in force within its dates.
    Activate,
    /// The MOU terminated early, effective the preview's date.
    Terminate,
}

impl MouChange {
    pub const ALL: [MouChange; 2] = [MouChange::Activate, MouChange::Terminate];

    /// The text of the query parameter: `activate`, `terminate`.
    pub fn as_str(self) -> &'static str {
        match self {
            MouChange::Activate => "activate",
            MouChange::Terminate => "terminate",
        }
    }

    /// Parses the query parameter; errors name `change`.
    pub fn parse(s: &str) -> Result<MouChange, crate::ParseError> {
        MouChange::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| crate::ParseError::new("change", "must be activate or terminate"))
    }
}

/// `mou` as it would be once `change` is made effective `on`: activated, it has every
/// signature and a document (placeholders: only completeness matters to `can_read`);
/// terminated, it is terminated from `on` by nobody in particular.
pub fn mou_after(mou: &Mou, change: MouChange, on: NaiveDate) -> Mou {
    let mut after = mou.clone();
    match change {
        MouChange::Activate => {
            for p in after.parties.iter_mut().filter(|p| p.signature.is_none()) {
                p.signature = Some(Signature {
                    name: String::new(),
                    title: String::new(),
                    date: on,
                });
            }
            after.document.get_or_insert_with(String::new);
            after.terminated = None;
        }
        MouChange::Terminate => {
            after.terminated = Some(Revocation {
                by: UserId(0),
                on: after.terminated.as_ref().map_or(on, |t| t.on.min(on)),
            });
        }
    }
    after
}

/// One line of the preview: `reader` newly reads (or loses) `records` records of `kind` owned
/// by `owner`, on `clients` distinct clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImpactCount {
    pub reader: OrgId,
    pub owner: OrgId,
    pub kind: RecordKind,
    pub records: u64,
    pub clients: u64,
}

/// The distinct clients on whom `reader` newly reads (or loses) any of `owner`'s records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PairClients {
    pub reader: OrgId,
    pub owner: OrgId,
    pub clients: u64,
}

/// The tally of an impact preview, fed one client at a time (so a caller can stream the
/// records of any number of clients through it and keep only the counts).
#[derive(Debug, Clone)]
pub struct ImpactTally {
    on: NaiveDate,
    readers: Vec<Actor>,
    before: Vec<Mou>,
    after: Vec<Mou>,
    counts: BTreeMap<(OrgId, OrgId, RecordKind), (u64, u64)>,
    /// Distinct clients per (reader, owner), whatever the kind.
    pairs: BTreeMap<(OrgId, OrgId), u64>,
}

impl ImpactTally {
    /// A tally of what changes for users of each of `readers` when `target` (one of `mous`,
    /// every MOU as it stands) undergoes `change` effective `on`. The readers are read as
    /// caseworkers: SystemAdmins read everything in any case (S-7), and agency admins read as
    /// their caseworkers do.
    pub fn new(
        mous: &[Mou],
        target: MouId,
        change: MouChange,
        on: NaiveDate,
        readers: &[OrgId],
    ) -> ImpactTally {
        let after = mous
            .iter()
            .map(|m| {
                if m.id == target {
                    mou_after(m, change, on)
                } else {
                    m.clone()
                }
            })
            .collect();
        ImpactTally {
            on,
            readers: readers
                .iter()
                .map(|&org| Actor {
                    user: UserId(0),
                    org,
                    role: Role::Caseworker,
                })
                .collect(),
            before: mous.to_vec(),
            after,
            counts: BTreeMap::new(),
            pairs: BTreeMap::new(),
        }
    }

    /// Counts one client's records: each record a reader may read after but not before
    /// (activation), or before but not after (termination), by the same `can_read` the server
    /// enforces, with the client's ROIs. `rois` may hold other clients' ROIs: `can_read` keeps
    /// only the record's client's.
    pub fn add_client(
        &mut self,
        client: ClientId,
        rois: &[Roi],
        records: &[RecordMeta],
        policy: &PolicyConfig,
    ) {
        let before = SharingContext {
            rois,
            mous: &self.before,
        };
        let after = SharingContext {
            rois,
            mous: &self.after,
        };
        let mut touched: Vec<(OrgId, OrgId, RecordKind)> = Vec::new();
        for record in records.iter().filter(|r| r.client == client) {
            for actor in &self.readers {
                let was = can_read(actor, record, &before, self.on, policy).allowed;
                let is = can_read(actor, record, &after, self.on, policy).allowed;
                if was != is {
                    let key = (actor.org, record.provenance.org, record.kind);
                    self.counts.entry(key).or_default().0 += 1;
                    if !touched.contains(&key) {
                        touched.push(key);
                    }
                }
            }
        }
        let mut pairs: Vec<(OrgId, OrgId)> = Vec::new();
        for key in touched {
            self.counts.entry(key).or_default().1 += 1;
            if !pairs.contains(&(key.0, key.1)) {
                pairs.push((key.0, key.1));
            }
        }
        for pair in pairs {
            *self.pairs.entry(pair).or_default() += 1;
        }
    }

    /// The counts, by reader, owner and kind (in that order); only lines with a change.
    pub fn counts(&self) -> Vec<ImpactCount> {
        self.counts
            .iter()
            .map(
                |(&(reader, owner, kind), &(records, clients))| ImpactCount {
                    reader,
                    owner,
                    kind,
                    records,
                    clients,
                },
            )
            .collect()
    }
}

impl ImpactTally {
    /// The distinct clients per (reader, owner), in that order; only pairs with a change.
    pub fn pairs(&self) -> Vec<PairClients> {
        self.pairs
            .iter()
            .map(|(&(reader, owner), &clients)| PairClients {
                reader,
                owner,
                clients,
            })
            .collect()
    }
}

/// S-6: the change and effective day of a preview of `mou`, from the query's `change`
/// (required) and `on` (`YYYY-MM-DD`; default: `today`, or for an activation the MOU's start if
/// later, the day it would come into force). Errors name the field.
pub fn parse_preview(
    mou: &Mou,
    change: Option<&str>,
    on: Option<&str>,
    today: NaiveDate,
) -> Result<(MouChange, NaiveDate), crate::ParseError> {
    let change = MouChange::parse(change.unwrap_or_default())?;
    let on = match on.filter(|s| !s.is_empty()) {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| crate::ParseError::new("on", "must be a date (YYYY-MM-DD)"))?,
        None if change == MouChange::Activate => today.max(mou.start),
        None => today,
    };
    crate::dates::check("on", crate::dates::DateKind::Release, on, today)?;
    Ok((change, on))
}
