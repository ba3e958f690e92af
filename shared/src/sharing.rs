//! SPEC section 3: who may read a record (S-1..S-9).

use crate::decision::{Decision, Reason};
use crate::ids::{ClientId, OrgId};
use crate::model::{Actor, Mou, RecordKind, RecordMeta, Roi, Role, SecuritySetting};
use crate::policy::{PolicyConfig, Tier};
use chrono::NaiveDate;

/// The ROIs of the record's client and the MOUs in force, as the rules need them.
#[derive(Debug, Clone, Copy)]
pub struct SharingContext<'a> {
    pub rois: &'a [Roi],
    pub mous: &'a [Mou],
}

/// May `actor` read `record` on `today`? Default deny.
pub fn can_read(
    actor: &Actor,
    record: &RecordMeta,
    ctx: &SharingContext<'_>,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Decision {
    // S-7: system administrators read everything, tombstones included (P-3).
    if actor.role == Role::SystemAdmin {
        return Decision::allow(Reason::SystemAdministrator);
    }
    if record.deleted {
        return Decision::deny(Reason::Deleted);
    }
    let owner = record.provenance.org;
    let own = actor.org == owner;
    match policy.tier(record.kind) {
        Tier::CommunityEditable => Decision::allow(Reason::SharedWithAll),
        Tier::CommunityReadOnly if own => Decision::allow(Reason::OwnOrganization),
        Tier::CommunityReadOnly => Decision::allow(Reason::ReadOnlyEnteredBy { org: owner }),
        Tier::BySecuritySetting => {
            if own {
                return Decision::allow(Reason::OwnOrganization);
            }
            let mut setting = record.security.unwrap_or(policy.default_security);
            // R-9 / S-5: only attachments may be shared with all; a form (or any other governed
            // kind) stored as `SharedWithAll` is read as `ShareWithRoiMou`, the stricter reading.
            if setting == SecuritySetting::SharedWithAll && record.kind != RecordKind::Attachment {
                setting = SecuritySetting::ShareWithRoiMou;
            }
            match setting {
                SecuritySetting::SharedWithAll => Decision::allow(Reason::SharedWithAll),
                SecuritySetting::RestrictToOrganization => {
                    Decision::deny(Reason::RestrictedTo { org: owner })
                }
                SecuritySetting::ShareWithRoiMou => {
                    if let Some(roi) = ctx.rois.iter().find(|r| {
                        r.client == record.client
                            && r.is_active(today)
                            && r.names(actor.org)
                            && r.names(owner)
                    }) {
                        return Decision::allow(Reason::SharedByRoi {
                            roi: roi.id,
                            until: roi.end,
                        });
                    }
                    if let Some(mou) = ctx
                        .mous
                        .iter()
                        .find(|m| m.is_active(today) && m.names(actor.org) && m.names(owner))
                    {
                        return Decision::allow(Reason::SharedByMou {
                            mou: mou.id,
                            name: mou.name.clone(),
                        });
                    }
                    Decision::deny(Reason::RestrictedTo { org: owner })
                }
            }
        }
    }
}

/// The releases a client's profile may carry to `actor`'s browser, so it can recompute every badge:
/// the client's ROIs that name the actor's organization and the MOUs active `today` that name it.
/// Others could only reveal which agencies serve the client (S-8). SystemAdmins read everything
/// (S-7) and get every ROI and every active MOU.
pub fn releases_for<'a>(
    actor: &Actor,
    rois: &'a [Roi],
    mous: &'a [Mou],
    today: NaiveDate,
) -> (Vec<&'a Roi>, Vec<&'a Mou>) {
    let admin = actor.role == Role::SystemAdmin;
    (
        rois.iter()
            .filter(|r| admin || r.names(actor.org))
            .collect(),
        mous.iter()
            .filter(|m| m.is_active(today) && (admin || m.names(actor.org)))
            .collect(),
    )
}

/// Which agencies' work items a list shows (data conflicts, entry/exit detections, users).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyScope {
    /// Every agency's.
    All,
    /// One agency's.
    Agency(OrgId),
}

/// S-7: SystemAdmins' lists of work items span every agency; everyone else's, their own agency's.
pub fn agency_scope(actor: &Actor) -> AgencyScope {
    match actor.role {
        Role::SystemAdmin => AgencyScope::All,
        Role::AgencyAdmin | Role::Caseworker => AgencyScope::Agency(actor.org),
    }
}

/// S-2 / R-7: which entry/exit detections a list shows. One client's: all of them, whoever is
/// asking, because they are about its enrollments (tier 2, readable by every agency). Otherwise
/// those of the actor's [`agency_scope`].
pub fn entry_exit_scope(actor: &Actor, client: Option<ClientId>) -> AgencyScope {
    match client {
        Some(_) => AgencyScope::All,
        None => agency_scope(actor),
    }
}

impl AgencyScope {
    /// The organization to filter by, or `None` for every agency.
    pub fn org(self) -> Option<OrgId> {
        match self {
            AgencyScope::All => None,
            AgencyScope::Agency(org) => Some(org),
        }
    }
}
