//! R-13: notifications identify the client by HMIS number only.

use crate::common::*;
use shared::notify::*;
use shared::records::ContactKind;
use shared::*;

#[test]
fn r13_rendered_messages_carry_the_hmis_number_and_no_client_data() {
    let h = HmisNumber::parse("H0001234").unwrap();
    let messages = [
        Message::DataConflictOpened {
            conflict: ConflictId(1),
            field: Field::Ssn,
            by: OrgId(2),
        },
        Message::DataConflictEscalated {
            conflict: ConflictId(1),
            field: Field::LegalLastName,
            by: OrgId(2),
            note: Some(RecordId(4)),
        },
        Message::EntryExitConflictOpened {
            conflict: ConflictId(1),
            enrollment: RecordId(3),
            by: OrgId(2),
        },
        Message::EntryExitReviewRequested {
            conflict: ConflictId(1),
            enrollment: RecordId(3),
            by: OrgId(2),
        },
        Message::EntryExitDataCenter {
            conflict: ConflictId(1),
            enrollment: RecordId(3),
            owner: OrgId(1),
            review_requested_on: d("2026-10-01"),
        },
        Message::ContactDataCorrected {
            kind: ContactKind::Phone,
            by: OrgId(2),
            note: None,
        },
    ];
    for m in messages {
        let n = Notification::new(Recipient::AgencyAdmins { org: OrgId(1) }, h.clone(), m);
        let (subject, body) = n.render(&org_name);
        assert!(body.contains("H0001234"), "{body}");
        let json = serde_json::to_value(&n).unwrap();
        // The only string-valued client field is the HMIS number: no name, DOB or SSN fields.
        for key in [
            "name",
            "first_name",
            "last_name",
            "date_of_birth",
            "dob",
            "ssn",
            "text",
            "body",
        ] {
            assert!(
                json.get(key).is_none() && json["message"].get(key).is_none(),
                "{key}"
            );
        }
        assert!(!subject.is_empty());
    }
}

#[test]
fn r13_notification_client_field_only_accepts_an_hmis_number() {
    let bad: Result<Notification, _> = serde_json::from_str(
        r#"{"recipient":{"to":"data_center"},"client":"Jane Doe","message":{"template":"data_conflict_opened","conflict":1,"field":"Ssn","by":2}}"#,
    );
    assert!(bad.is_err());
}

#[test]
fn r13_the_notification_address_notice_names_no_client_and_not_the_address() {
    let by_admin = AccountNotice {
        user: UserId(3),
        message: AccountMessage::NotificationEmailChanged {
            by: UserId(2),
            by_org: OrgId(2),
        },
    };
    let (subject, body) = by_admin.render(&org_name);
    assert_eq!(subject, "Your Hearth notification address was changed");
    assert!(body.contains("An administrator of"), "{body}");
    assert!(body.contains("(user #2)"), "{body}");
    let by_self = AccountNotice {
        user: UserId(3),
        message: AccountMessage::NotificationEmailChanged {
            by: UserId(3),
            by_org: OrgId(2),
        },
    };
    let (_, body_self) = by_self.render(&org_name);
    assert!(body_self.starts_with("You set this address"), "{body_self}");
    // No client field at all, and no address: only ids and the template.
    let json = serde_json::to_value(&by_admin).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "user": 3,
            "message": { "template": "notification_email_changed", "by": 2, "by_org": 2 }
        })
    );
    for text in [&subject, &body, &body_self] {
        assert!(!text.contains('@'), "{text}");
        assert!(!text.contains("H000"), "{text}");
    }
}
