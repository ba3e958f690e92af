//! S-4 / S-6 impact preview (`shared::impact`): what an MOU's activation newly releases and its
//! termination withdraws, counted by `can_read` itself, per reader, owner and record kind.

use crate::common::{d, form, mou, record, roi, today};
use shared::impact::{mou_after, ImpactCount, ImpactTally, MouChange};
use shared::*;

fn on(client: i64, mut r: RecordMeta) -> RecordMeta {
    r.client = ClientId(client);
    r
}

fn tally(
    mous: &[Mou],
    target: i64,
    change: MouChange,
    rois: &[Roi],
    records: &[RecordMeta],
) -> Vec<ImpactCount> {
    full(mous, target, change, rois, records).counts()
}

fn full(
    mous: &[Mou],
    target: i64,
    change: MouChange,
    rois: &[Roi],
    records: &[RecordMeta],
) -> ImpactTally {
    let mut t = ImpactTally::new(
        mous,
        MouId(target),
        change,
        today(),
        &[OrgId(1), OrgId(2), OrgId(3), OrgId(4)],
    );
    let mut clients: Vec<ClientId> = records.iter().map(|r| r.client).collect();
    clients.sort();
    clients.dedup();
    for c in clients {
        t.add_client(c, rois, records, &PolicyConfig::default());
    }
    t
}

/// An MOU between 2 and 3 still missing one signature and the document.
fn draft() -> Mou {
    let mut m = mou(5, "Draft", &[2, 3], "2026-11-01", "2027-11-01");
    m.parties[1].signature = None;
    m.document = None;
    m
}

fn count(reader: i64, owner: i64, kind: RecordKind, records: u64, clients: u64) -> ImpactCount {
    ImpactCount {
        reader: OrgId(reader),
        owner: OrgId(owner),
        kind,
        records,
        clients,
    }
}

fn shared_attachment(org: i64) -> RecordMeta {
    record(
        RecordKind::Attachment,
        org,
        10 * org,
        Some(SecuritySetting::ShareWithRoiMou),
    )
}

#[test]
fn s4_activation_counts_the_roi_mou_records_each_party_newly_reads_by_owner_and_kind() {
    let roi_mou = SecuritySetting::ShareWithRoiMou;
    let records = [
        on(1, form(2, roi_mou)),
        on(1, form(2, roi_mou)),
        on(2, form(2, roi_mou)),
        on(2, shared_attachment(2)),
        on(3, form(3, roi_mou)),
        // Never released by an MOU: restricted, community tiers, a tombstone, a third agency's.
        on(1, form(2, SecuritySetting::RestrictToOrganization)),
        on(1, record(RecordKind::Enrollment, 2, 20, None)),
        on(1, record(RecordKind::Intake, 2, 20, None)),
        on(
            2,
            RecordMeta {
                deleted: true,
                ..form(2, roi_mou)
            },
        ),
        on(3, form(4, roi_mou)),
    ];
    let got = tally(&[draft()], 5, MouChange::Activate, &[], &records);
    assert_eq!(
        got,
        [
            count(2, 3, RecordKind::Form, 1, 1),
            count(3, 2, RecordKind::Attachment, 1, 1),
            count(3, 2, RecordKind::Form, 3, 2),
        ]
    );
    // Client 2's form and attachment are one client, however many kinds.
    let pairs = full(&[draft()], 5, MouChange::Activate, &[], &records).pairs();
    let pairs: Vec<_> = pairs
        .iter()
        .map(|p| (p.reader.0, p.owner.0, p.clients))
        .collect();
    assert_eq!(pairs, [(2, 3, 1), (3, 2, 2)]);
}

#[test]
fn s4_records_already_released_by_an_roi_or_another_mou_are_not_counted_as_new() {
    let roi_mou = SecuritySetting::ShareWithRoiMou;
    let mut r = roi(1, &[2, 3], "2026-01-01", "2027-01-01");
    r.client = ClientId(1);
    let other = mou(6, "Older", &[3, 4], "2026-01-01", "2027-01-01");
    let records = [on(1, form(2, roi_mou)), on(2, form(4, roi_mou))];
    // Client 1's form is already read by 3 under the ROI; 4's form by 3 under MOU 6.
    let got = tally(
        &[draft()],
        5,
        MouChange::Activate,
        std::slice::from_ref(&r),
        &records,
    );
    assert!(got.is_empty(), "{got:?}");
    let got = tally(&[draft(), other], 5, MouChange::Activate, &[], &records);
    assert_eq!(got, [count(3, 2, RecordKind::Form, 1, 1)]);
}

#[test]
fn s6_termination_withdraws_exactly_what_activation_released() {
    let roi_mou = SecuritySetting::ShareWithRoiMou;
    let records = [
        on(1, form(2, roi_mou)),
        on(2, form(3, roi_mou)),
        on(2, shared_attachment(3)),
    ];
    let gained = tally(&[draft()], 5, MouChange::Activate, &[], &records);
    let active = mou_after(&draft(), MouChange::Activate, today());
    assert!(active.is_active(today()));
    let lost = tally(
        std::slice::from_ref(&active),
        5,
        MouChange::Terminate,
        &[],
        &records,
    );
    assert_eq!(gained, lost);
    assert_eq!(gained.len(), 3);
    // Nothing more to gain once active; nothing to lose while a draft.
    assert!(tally(&[active], 5, MouChange::Activate, &[], &records).is_empty());
    assert!(tally(&[draft()], 5, MouChange::Terminate, &[], &records).is_empty());
}

#[test]
fn s6_an_activation_outside_the_mous_dates_releases_nothing() {
    let records = [on(1, form(2, SecuritySetting::ShareWithRoiMou))];
    let mut later = draft();
    later.start = d("2027-01-01");
    later.end = d("2027-12-31");
    assert!(tally(&[later], 5, MouChange::Activate, &[], &records).is_empty());
}

#[test]
fn s6_the_preview_is_asked_for_only_by_system_administrators() {
    use crate::common::{admin, cw, sysadmin};
    assert!(shared::actions::can_preview_mou_impact(&sysadmin()).allowed);
    for a in [cw(1, 2), admin(2, 2)] {
        let d = shared::actions::can_preview_mou_impact(&a);
        assert_eq!((d.allowed, d.reason), (false, Reason::OnlySystemAdmin));
    }
}

#[test]
fn s6_the_change_parameter_is_parsed_naming_its_field() {
    assert_eq!(MouChange::parse("activate"), Ok(MouChange::Activate));
    assert_eq!(MouChange::parse("terminate"), Ok(MouChange::Terminate));
    assert_eq!(MouChange::parse("Activate").unwrap_err().field, "change");
}
