//! The decision-vector format (P-1) and its evaluator, shared by the `vectors` test binary (native
//! and WASM) and the generator in `tests/it/vectors_gen.rs`.

#![allow(dead_code)]

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::actions::{self, NewRecord, Upload};
use shared::model::{Mou, Roi};
use shared::records::{AttachmentMeta, ContactRow, EnrollmentDates};
use shared::resolution::{self, ConflictStep, ContactChange, DataConflict, Documentation};
use shared::*;

/// The committed file: the cases and the digest of their expected answers.
#[derive(Debug, Serialize, Deserialize)]
pub struct VectorFile {
    /// FNV-1a 64 of the expected answers, in order, as compact JSON.
    pub digest: String,
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Case {
    /// The SPEC rule the case exercises.
    pub rule: String,
    pub input: Input,
    pub expected: Value,
}

/// One call of a shared function, with all its inputs. The policy is the SPEC default.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Input {
    Read {
        actor: Actor,
        record: RecordMeta,
        rois: Vec<Roi>,
        mous: Vec<Mou>,
        today: NaiveDate,
    },
    Edit {
        actor: Actor,
        record: RecordMeta,
        rois: Vec<Roi>,
        mous: Vec<Mou>,
        today: NaiveDate,
    },
    Delete {
        actor: Actor,
        record: RecordMeta,
        rois: Vec<Roi>,
        mous: Vec<Mou>,
        today: NaiveDate,
    },
    EndDate {
        actor: Actor,
        record: RecordMeta,
        client_directed: bool,
        today: NaiveDate,
    },
    SetSecurity {
        actor: Actor,
        record: RecordMeta,
        to: SecuritySetting,
        default: SecuritySetting,
        today: NaiveDate,
    },
    Create {
        actor: Actor,
        new: NewRecord,
    },
    Upload {
        actor: Actor,
        upload: Upload,
    },
    SetRoi {
        actor: Actor,
        orgs: Vec<OrgId>,
    },
    RevokeRoi {
        actor: Actor,
        roi: Roi,
        today: NaiveDate,
    },
    CreateMou {
        actor: Actor,
    },
    ChangeMou {
        actor: Actor,
        mou: Mou,
        today: NaiveDate,
    },
    SingleAnswer {
        actor: Actor,
        field: Field,
        entered_by: Option<OrgId>,
        documentation: Option<Documentation>,
    },
    ConflictStep {
        actor: Actor,
        conflict: DataConflict,
        step: ConflictStep,
        today: NaiveDate,
    },
    EntryExit {
        enrollments: Vec<EnrollmentDates>,
    },
    ContactPlan {
        actor: Actor,
        change: ContactChange,
        rows: Vec<ContactRow>,
    },
    Checklist {
        head_of_household: bool,
        attachments: Vec<AttachmentMeta>,
    },
    Redact {
        actor: Actor,
        records: Vec<RecordMeta>,
        rois: Vec<Roi>,
        mous: Vec<Mou>,
        today: NaiveDate,
    },
    /// S-9: what a list may say of withheld records, with the policy's notice on or off.
    WithheldNotice {
        notice: bool,
        owners: Vec<OrgId>,
    },
    CarriesOutAgreement {
        actor: Actor,
        conflict: DataConflict,
        field: Field,
        new_value: Option<String>,
    },
    OneEntryExitConflictPerAgency {
        actor: Actor,
        enrollment: RecordId,
        open: Vec<DataConflict>,
    },
    ConflictField {
        field: Field,
    },
    SignMou {
        mou: Mou,
        org: OrgId,
        signature: shared::model::Signature,
        today: NaiveDate,
    },
    TerminateMou {
        date: Option<NaiveDate>,
        today: NaiveDate,
    },
    ContactRowDates {
        row: ContactRow,
    },
    ContactKindField {
        kind: shared::records::ContactKind,
    },
    Lockout {
        failures: u32,
    },
    AutomaticStepActor {
        conflict: DataConflict,
        reporter_role: Option<Role>,
    },
    MaskedSsn {
        ssn: String,
    },
    CheckAttempt {
        actor: Actor,
        conflict: DataConflict,
        attempt: resolution::ContactAttempt,
        today: NaiveDate,
    },
    Agreement {
        conflict: DataConflict,
        value: resolution::AgreedValue,
        updater: OrgId,
    },
    NextEscalation {
        conflict: DataConflict,
    },
    CaseManagerAgency {
        case_manager_org: Option<OrgId>,
        agency: OrgId,
    },
    IntakeChange {
        field: Field,
        value: Option<String>,
        today: NaiveDate,
    },
    EntryExitScope {
        actor: Actor,
        client: Option<ClientId>,
    },
    ServiceNoteDefault,
    SessionTimedOut {
        created_at: chrono::NaiveDateTime,
        last_seen_at: chrono::NaiveDateTime,
        now: chrono::NaiveDateTime,
        idle_minutes: i64,
        absolute_minutes: i64,
    },
    ListUsers {
        actor: Actor,
    },
    LookUpUser {
        actor: Actor,
        target: Actor,
    },
}

fn v<T: Serialize>(x: T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// Evaluates one case with the crate under test.
pub fn evaluate(input: &Input) -> Value {
    let p = PolicyConfig::default();
    match input {
        Input::Read {
            actor,
            record,
            rois,
            mous,
            today,
        } => v(can_read(
            actor,
            record,
            &SharingContext { rois, mous },
            *today,
            &p,
        )),
        Input::Edit {
            actor,
            record,
            rois,
            mous,
            today,
        } => v(can_edit(
            actor,
            record,
            &SharingContext { rois, mous },
            *today,
            &p,
        )),
        Input::Delete {
            actor,
            record,
            rois,
            mous,
            today,
        } => v(can_delete(
            actor,
            record,
            &SharingContext { rois, mous },
            *today,
            &p,
        )),
        Input::EndDate {
            actor,
            record,
            client_directed,
            today,
        } => v(can_end_date(
            actor,
            record,
            *client_directed,
            &SharingContext {
                rois: &[],
                mous: &[],
            },
            *today,
            &p,
        )),
        Input::SetSecurity {
            actor,
            record,
            to,
            default,
            today,
        } => v(can_set_security(
            actor,
            record,
            *to,
            *default,
            &SharingContext {
                rois: &[],
                mous: &[],
            },
            *today,
            &p,
        )),
        Input::Create { actor, new } => v(can_create(actor, new)),
        Input::Upload { actor, upload } => v(can_upload(actor, upload, &p)),
        Input::SetRoi { actor, orgs } => v(can_set_roi(actor, orgs)),
        Input::RevokeRoi { actor, roi, today } => v(can_revoke_roi(actor, roi, *today)),
        Input::CreateMou { actor } => v(actions::can_create_mou(actor)),
        Input::ChangeMou { actor, mou, today } => v(actions::can_change_mou(actor, mou, *today)),
        Input::SingleAnswer {
            actor,
            field,
            entered_by,
            documentation,
        } => v(resolution::check_single_answer_change(
            actor,
            *field,
            *entered_by,
            documentation.as_ref(),
            &p,
        )),
        Input::ConflictStep {
            actor,
            conflict,
            step,
            today,
        } => match resolution::step(conflict, actor, step.clone(), *today, &p) {
            Ok(s) => serde_json::json!({ "allowed": true, "stepped": v(s) }),
            Err(d) => v(d),
        },
        Input::EntryExit { enrollments } => v(resolution::detect_entry_exit_conflicts(enrollments)),
        Input::ContactPlan {
            actor,
            change,
            rows,
        } => v(resolution::plan_contact_change(actor, change, rows)),
        Input::Checklist {
            head_of_household,
            attachments,
        } => v(resolution::head_of_household_checklist(
            *head_of_household,
            attachments.iter(),
        )),
        Input::Redact {
            actor,
            records,
            rois,
            mous,
            today,
        } => {
            let out = redact(
                actor,
                *today,
                &SharingContext { rois, mous },
                &p,
                records.iter(),
            );
            let visible: Vec<_> = out
                .visible
                .iter()
                .map(|(r, reason)| (r.id, reason.clone()))
                .collect();
            serde_json::json!({ "visible": v(visible), "withheld": v(&out.withheld) })
        }
        Input::WithheldNotice { notice, owners } => {
            let policy = PolicyConfig {
                notice_of_restricted_records: *notice,
                ..p.clone()
            };
            v(withheld_notice(&policy, owners.iter().copied()))
        }
        Input::CarriesOutAgreement {
            actor,
            conflict,
            field,
            new_value,
        } => v(resolution::carries_out_agreement(
            conflict,
            actor,
            *field,
            new_value.as_deref(),
        )),
        Input::OneEntryExitConflictPerAgency {
            actor,
            enrollment,
            open,
        } => v(resolution::check_one_entry_exit_conflict_per_agency(
            actor,
            *enrollment,
            open,
        )),
        Input::ConflictField { field } => v(resolution::parse_conflict_field(*field, &p)),
        Input::SignMou {
            mou,
            org,
            signature,
            today,
        } => v(actions::parse_mou_signature(
            mou,
            *org,
            signature.clone(),
            *today,
        )),
        Input::TerminateMou { date, today } => v(actions::parse_mou_termination(*date, *today)),
        Input::ContactRowDates { row } => v(row.clone().parse()),
        Input::ContactKindField { kind } => {
            let field = kind.field();
            serde_json::json!({ "field": v(field), "class": v(p.field_class(field)) })
        }
        Input::Lockout { failures } => v(p.lockout_seconds(*failures)),
        Input::AutomaticStepActor {
            conflict,
            reporter_role,
        } => v(resolution::automatic_step_actor(conflict, *reporter_role)),
        Input::MaskedSsn { ssn } => serde_json::json!({
            "last4": v(shared::fields::ssn_last4(ssn)),
            "masked": shared::fields::masked_ssn(ssn),
        }),
        Input::CheckAttempt {
            actor,
            conflict,
            attempt,
            today,
        } => v(resolution::check_attempt(
            conflict, actor, attempt, *today, &p,
        )),
        Input::Agreement {
            conflict,
            value,
            updater,
        } => match resolution::parse_agreement(conflict, *value, *updater) {
            Ok(step) => serde_json::json!({
                "step": v(&step),
                "resolves_at_once": resolution::resolves_on_agreement(&step),
            }),
            Err(e) => v(Err::<(), _>(e)),
        },
        Input::NextEscalation { conflict } => v(resolution::next_escalation(conflict)),
        Input::CaseManagerAgency {
            case_manager_org,
            agency,
        } => v(shared::records::check_case_manager_agency(
            *case_manager_org,
            *agency,
        )),
        Input::IntakeChange {
            field,
            value,
            today,
        } => v(shared::intake::parse_intake_change(
            *field,
            value.as_deref(),
            *today,
        )),
        Input::EntryExitScope { actor, client } => {
            v(shared::sharing::entry_exit_scope(actor, *client).org())
        }
        Input::ServiceNoteDefault => v(p.default_security_for_service_note()),
        Input::SessionTimedOut {
            created_at,
            last_seen_at,
            now,
            idle_minutes,
            absolute_minutes,
        } => v(shared::policy::session_timed_out(
            *created_at,
            *last_seen_at,
            *now,
            chrono::Duration::minutes(*idle_minutes),
            chrono::Duration::minutes(*absolute_minutes),
        )),
        Input::ListUsers { actor } => v(shared::admin::can_list_users(actor)),
        Input::LookUpUser { actor, target } => v(shared::admin::look_up_user(actor, target)),
    }
}

/// Compact JSON with object keys sorted at every level, so the digest does not depend on
/// serde_json's map order (the `preserve_order` feature may be on in one build and not another).
pub fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// FNV-1a 64 over the canonical JSON of each answer, in order.
pub fn digest<'a>(answers: impl IntoIterator<Item = &'a Value>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for a in answers {
        let mut text = String::new();
        canonical(a, &mut text);
        for b in text.bytes().chain(std::iter::once(b'\n')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}
