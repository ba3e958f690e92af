//! The request bodies of `/api/v1` checked for hygiene as of `today`: each date against the
//! plausible range of its kind ([`crate::dates`]) and each free text no domain type parses by
//! the kind of text it is ([`crate::text`]). One function per body; the server calls it before
//! anything else, so a refused request changes nothing. Errors name the field as the body
//! spells it. A patch checks only what it changes (a stored value is never refused afresh).

use crate::api::records::*;
use crate::api::releases::{NewMouRequest, NewRoiRequest};
use crate::dates::{check, check_opt, DateKind};
use crate::ids::ParseError;
use crate::text::{self, optional, single_line, SHORT_TEXT_MAX_CHARS};
use chrono::NaiveDate;

/// An enrollment's case name: one line of at most [`SHORT_TEXT_MAX_CHARS`], trimmed.
pub fn case_name(s: &str) -> Result<String, ParseError> {
    Ok(single_line("case_name", s, SHORT_TEXT_MAX_CHARS)?.to_owned())
}

/// `POST /clients/{id}/enrollments`: entry, exit and move-in happened (not in the future).
pub fn new_enrollment(b: &NewEnrollment, today: NaiveDate) -> Result<String, ParseError> {
    check("entry_date", DateKind::Recorded, b.entry_date, today)?;
    check_opt("exit_date", DateKind::Recorded, b.exit_date, today)?;
    check_opt("move_in_date", DateKind::Recorded, b.move_in_date, today)?;
    crate::hud::check_destination(b.exit_date, b.destination)?;
    case_name(&b.case_name)
}

/// `PATCH /records/{id}` of an enrollment.
pub fn enrollment_patch(p: &EnrollmentPatch, today: NaiveDate) -> Result<(), ParseError> {
    check_opt("entry_date", DateKind::Recorded, p.entry_date, today)?;
    check_opt("move_in_date", DateKind::Recorded, p.move_in_date, today)?;
    p.case_name.as_deref().map(case_name).transpose()?;
    Ok(())
}

/// `POST /clients/{id}/services`: a service may be scheduled (a referral, an appointment).
/// Its texts are checked by `records::Service::parse`.
pub fn new_service(b: &NewService, today: NaiveDate) -> Result<(), ParseError> {
    check("date", DateKind::Scheduled, b.date, today)?;
    Ok(())
}

/// `PATCH /records/{id}` of a service.
pub fn service_patch(p: &ServicePatch, today: NaiveDate) -> Result<(), ParseError> {
    check_opt("date", DateKind::Scheduled, p.date, today)?;
    Ok(())
}

/// `POST /clients/{id}/contacts`: a new row may start later (a move next week). Its value is
/// checked by `records::parse_contact_value`.
pub fn new_contact(b: &NewContact, today: NaiveDate) -> Result<(), ParseError> {
    check("start_date", DateKind::Scheduled, b.start_date, today)?;
    Ok(())
}

/// `POST /clients/{id}/case-managers`: an assignment may start or end later.
pub fn new_case_manager(b: &NewCaseManager, today: NaiveDate) -> Result<(), ParseError> {
    check("start_date", DateKind::Scheduled, b.start_date, today)?;
    check_opt("end_date", DateKind::Scheduled, b.end_date, today)?;
    Ok(())
}

/// `PATCH /records/{id}` of a case-manager assignment.
pub fn case_manager_patch(p: &CaseManagerPatch, today: NaiveDate) -> Result<(), ParseError> {
    check_opt("start_date", DateKind::Scheduled, p.start_date, today)?;
    Ok(())
}

/// `POST /records/{id}/end`: an end date (a contact row's, an assignment's, an enrollment's
/// exit) may be set ahead.
pub fn end_date(b: &EndDateInput, today: NaiveDate) -> Result<(), ParseError> {
    check("end_date", DateKind::Scheduled, b.end_date, today)?;
    crate::hud::check_destination(Some(b.end_date), b.destination)?;
    Ok(())
}

/// `PUT /clients/{id}/demographics`: race and ethnicity a HUD set (3.04, parsed by serde with
/// `hud::RaceEthnicitySet`), its additional detail one line of at most
/// [`text::ADDITIONAL_RACE_ETHNICITY_MAX_CHARS`], each other answer one line of at most
/// [`SHORT_TEXT_MAX_CHARS`]; trimmed, empty is none.
pub fn demographics(b: &DemographicsInput) -> Result<DemographicsDetails, ParseError> {
    let line = |field: &str, v: &Option<String>, max| -> Result<Option<String>, ParseError> {
        Ok(optional(field, v.as_deref(), |f, s| single_line(f, s, max))?.map(str::to_owned))
    };
    let answer = |field: &str, v: &Option<String>| line(field, v, SHORT_TEXT_MAX_CHARS);
    Ok(DemographicsDetails {
        race_ethnicity: b.race_ethnicity.clone(),
        additional_race_ethnicity: line(
            "additional_race_ethnicity",
            &b.additional_race_ethnicity,
            text::ADDITIONAL_RACE_ETHNICITY_MAX_CHARS,
        )?,
        legacy_race: None,
        legacy_ethnicity: None,
        religious_preference: answer("religious_preference", &b.religious_preference)?,
        citizenship_status: answer("citizenship_status", &b.citizenship_status)?,
    })
}

/// `POST /clients/{id}/rois`: the release's dates.
pub fn new_roi(b: &NewRoiRequest, today: NaiveDate) -> Result<(), ParseError> {
    check_opt("start", DateKind::Release, b.start, today)?;
    check_opt("end", DateKind::Release, b.end, today)?;
    Ok(())
}

/// `POST /mous`: the agreement's dates (its name is checked by `actions::validate_mou`; a
/// signature's and a termination's dates by `actions::parse_mou_signature` and
/// `actions::parse_mou_termination`).
pub fn new_mou(b: &NewMouRequest, today: NaiveDate) -> Result<(), ParseError> {
    check("start", DateKind::Release, b.start, today)?;
    check("end", DateKind::Release, b.end, today)?;
    Ok(())
}

/// `GET /clients?q=`: one line of [`text::SEARCH_MIN_CHARS`] to [`text::SEARCH_MAX_CHARS`]
/// characters, trimmed.
pub fn search(q: &str) -> Result<&str, ParseError> {
    if q.trim().chars().count() < text::SEARCH_MIN_CHARS {
        return Err(ParseError::new(
            "q",
            format!("type at least {} characters", text::SEARCH_MIN_CHARS),
        ));
    }
    Ok(single_line("q", q, text::SEARCH_MAX_CHARS)?)
}

/// `POST /session`: the username one line of at most [`text::LOGIN_USERNAME_MAX_CHARS`]
/// (returned trimmed), the password not empty (it is compared, never stored as text).
pub fn sign_in(b: &crate::api::LoginRequest) -> Result<&str, ParseError> {
    let username = single_line("username", &b.username, text::LOGIN_USERNAME_MAX_CHARS)?;
    if b.password.is_empty() {
        return Err(ParseError::new("password", "cannot be empty"));
    }
    Ok(username)
}

/// A yes/no query parameter (`?dry_run=`, `?hash=`): absent, empty or `false` is no, `true` is
/// yes; anything else is an error naming `field`.
pub fn flag(field: &str, value: Option<&str>) -> Result<bool, ParseError> {
    match value {
        None | Some("" | "false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ParseError::new(field, "must be true or false")),
    }
}

#[cfg(test)]
mod flag_tests {
    #[test]
    fn p3_a_flag_is_true_or_false_and_anything_else_names_the_field() {
        assert_eq!(super::flag("hash", None), Ok(false));
        assert_eq!(super::flag("hash", Some("")), Ok(false));
        assert_eq!(super::flag("hash", Some("false")), Ok(false));
        assert_eq!(super::flag("hash", Some("true")), Ok(true));
        let e = super::flag("dry_run", Some("null")).unwrap_err();
        assert_eq!(e.field, "dry_run");
    }
}
