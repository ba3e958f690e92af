//! A record's `title` and `detail` as the profile lists them, from its details (never a
//! service's note): stored with the record and rewritten with every change.

use crate::db::records as store;
use crate::error::ApiError;
use shared::api::records::*;
use shared::records::ServiceKind;
use sqlx::AnyConnection;

/// The profile's `title` and `detail` for a record's details (never a service's note).
pub(super) async fn summary(
    conn: &mut AnyConnection,
    d: &RecordDetails,
    created: chrono::NaiveDate,
) -> Result<(String, String), ApiError> {
    Ok(match d {
        RecordDetails::Enrollment(e) => enrollment(e),
        RecordDetails::Service(s) => service(s),
        RecordDetails::Contact(c) => contact(c),
        RecordDetails::Demographics(d) => demographics(d),
        RecordDetails::CaseManager(c) => case_manager(conn, c).await?,
        RecordDetails::Note(n) => ("Profile note".to_owned(), n.text.clone()),
        RecordDetails::Form(f) => (
            f.form_type.label().to_owned(),
            format!("Completed {created}"),
        ),
        RecordDetails::Attachment(a) => (
            format!("{} ({})", a.document_type.label(), a.file_name),
            format!("{}, {} bytes", a.content_type, a.size_bytes),
        ),
        RecordDetails::Photo(p) => (
            "Photo".to_owned(),
            format!("{}, {} bytes", p.content_type, p.size_bytes),
        ),
    })
}

fn enrollment(e: &EnrollmentDetails) -> (String, String) {
    let mut detail = format!("Entry {}", e.entry_date);
    match e.exit_date {
        Some(x) => detail.push_str(&format!(" · exit {x}")),
        None => detail.push_str(" · active"),
    }
    if let Some(m) = e.move_in_date {
        detail.push_str(&format!(" · moved in {m}"));
    }
    if let Some(d) = e.destination {
        detail.push_str(&format!(" · to {}", d.label().to_lowercase()));
    }
    (format!("{} · {}", e.program_name, e.case_name), detail)
}

fn service(s: &ServiceDetails) -> (String, String) {
    let kind = match s.service_kind {
        ServiceKind::Need => "Need",
        ServiceKind::Transaction => "Service",
        ServiceKind::Referral => "Referral",
    };
    let mut detail = format!("Provided {}", s.date);
    if let Some(m) = s.case_management_minutes {
        detail.push_str(&format!(" · {m} min case management"));
    }
    (format!("{kind}: {}", s.description), detail)
}

fn contact(c: &ContactDetails) -> (String, String) {
    let mut detail = format!("{} · since {}", c.value, c.start_date);
    if let Some(e) = c.end_date {
        detail.push_str(&format!(" · until {e}"));
    }
    (capitalized(c.contact_kind.label()), detail)
}

fn demographics(d: &DemographicsDetails) -> (String, String) {
    let recorded: Vec<&str> = [
        (d.race_ethnicity.is_some(), "race and ethnicity"),
        (d.religious_preference.is_some(), "religious preference"),
        (d.citizenship_status.is_some(), "citizenship status"),
    ]
    .iter()
    .filter(|(set, _)| *set)
    .map(|(_, n)| *n)
    .collect();
    let detail = if recorded.is_empty() {
        "Nothing recorded".to_owned()
    } else {
        capitalized(&format!("{} recorded", recorded.join(", ")))
    };
    ("Demographics".to_owned(), detail)
}

async fn case_manager(
    conn: &mut AnyConnection,
    c: &CaseManagerDetails,
) -> Result<(String, String), ApiError> {
    let user = store::user_name(conn, c.case_manager_id).await?;
    let program = store::program(conn, c.program_id).await?;
    let mut detail = format!(
        "{} · {} · assigned {}",
        user.unwrap_or_else(|| "Unknown user".to_owned()),
        program.map(|p| p.name).unwrap_or_default(),
        c.start_date
    );
    if let Some(e) = c.end_date {
        detail.push_str(&format!(" · ended {e}"));
    }
    Ok(("Case manager".to_owned(), detail))
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
