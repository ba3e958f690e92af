//! Demo data: four organizations (one the CoC lead), their users, programs of several HUD project
//! types, and three dozen clients with enrollments, services, notes, forms at every security
//! setting, ROIs (active, expired, revoked), MOUs (one active, one missing a signature) and
//! three households (seed 1b).

use crate::anyhow_lite::Result;
use crate::db::{date, households, records, ts, Pool};
use crate::password::hash_password;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use shared::api::records::{
    CaseManagerDetails, ContactDetails, DemographicsDetails, EnrollmentDetails, FormDetails,
    RecordDetails, ServiceDetails,
};
use shared::household::{NewMember, RelationshipToHoH};
use shared::hud::{
    CocCode, DataQuality, Destination, NameDataQuality, NoYesReasons, PriorLivingSituation,
    RaceEthnicity, RaceEthnicitySet, Sex,
};
use shared::intake::MaritalStatus;
use shared::records::{ContactKind, DocumentType, FormType, ServiceKind};
use shared::{HmisNumber, RecordKind, SecuritySetting};
use std::path::Path;

/// The password of every demo account (12+ characters, not on any common-password list).
pub const DEMO_PASSWORD: &str = "hearth-demo-2026";

/// (username, display name, role, organization index)
pub const DEMO_USERS: &[(&str, &str, &str, usize)] = &[
    ("coc.admin", "Dana Whitfield", "SystemAdmin", 0),
    ("shelter.admin", "Marcus Greene", "AgencyAdmin", 1),
    ("shelter.cw", "Maria Lopez", "Caseworker", 1),
    ("shelter.cw2", "Tom Becker", "Caseworker", 1),
    ("housing.admin", "Priya Natarajan", "AgencyAdmin", 2),
    ("housing.cw", "James Okafor", "Caseworker", 2),
    ("housing.cw2", "Lena Fischer", "Caseworker", 2),
    ("outreach.admin", "Sam Whitaker", "AgencyAdmin", 3),
    ("outreach.cw", "Rosa Delgado", "Caseworker", 3),
    ("outreach.cw2", "Kevin Tran", "Caseworker", 3),
];

const ORGS: &[&str] = &[
    "Durham CoC Lead Agency",
    "Bull City Shelter",
    "Eno River Housing",
    "Triangle Outreach Services",
];

/// (organization index, name, HUD project type)
const PROGRAMS: &[(usize, &str, i64, &str)] = &[
    (1, "Bull City Emergency Shelter", 1, "ES"),
    (1, "Bull City Transitional Housing", 2, "TH"),
    (2, "Eno Rapid Re-Housing", 13, "RRH"),
    (2, "Eno Permanent Supportive Housing", 3, "PSH"),
    (3, "Triangle Street Outreach", 4, "SO"),
    (3, "Triangle Coordinated Entry", 14, "CE"),
    (3, "Triangle Services Only", 6, "SSO"),
];

const FIRST: &[&str] = &[
    "Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Rowan",
    "Devon", "Skyler",
];
const LAST: &[&str] = &[
    "Rivera",
    "Johnson",
    "Nguyen",
    "Washington",
    "Patel",
    "Brooks",
    "Okonkwo",
    "Haddad",
    "Kim",
    "Sullivan",
    "Mendez",
    "Baptiste",
];
/// Sex (FY2026) beside the local gender answer: the two are different elements.
const SEXES: &[Sex] = &[
    Sex::Female,
    Sex::Male,
    Sex::ClientPrefersNotToAnswer,
    Sex::Female,
    Sex::Male,
    Sex::DataNotCollected,
];
const GENDERS: &[&str] = &["Woman", "Man", "Non-binary", "Woman", "Man", "Transgender"];
const VETERAN: &[NoYesReasons] = &[
    NoYesReasons::No,
    NoYesReasons::No,
    NoYesReasons::Yes,
    NoYesReasons::No,
    NoYesReasons::ClientDoesntKnow,
];
/// The demo CoC (Durham City & County, 3.16).
const DEMO_COC: &str = "NC-507";
const PRIOR: &[PriorLivingSituation] = &[
    PriorLivingSituation::PlaceNotMeantForHabitation,
    PriorLivingSituation::EmergencyShelter,
    PriorLivingSituation::FriendRoom,
    PriorLivingSituation::FamilyRoom,
    PriorLivingSituation::Hospital,
    PriorLivingSituation::RentalNoSubsidy,
    PriorLivingSituation::DataNotCollected,
];
const DISABLING: &[NoYesReasons] = &[NoYesReasons::No, NoYesReasons::Yes, NoYesReasons::No];
const DESTINATIONS: &[Destination] = &[
    Destination::RentalWithSubsidy,
    Destination::FriendsTemporary,
    Destination::RentalNoSubsidy,
    Destination::FamilyPermanent,
    Destination::NoExitInterview,
];

/// 3.04 of demo client `i`: one race, two, or Hispanic/Latina/e/o with one, now and then a
/// data-quality answer.
fn demo_race(i: usize) -> RaceEthnicitySet {
    use RaceEthnicity::*;
    let sets: [&[RaceEthnicity]; 6] = [
        &[BlackAfAmerican],
        &[White, HispanicLatinaeo],
        &[Asian],
        &[BlackAfAmerican, White],
        &[HispanicLatinaeo],
        &[ClientPrefersNotToAnswer],
    ];
    RaceEthnicitySet::parse(sets[i % sets.len()].iter().copied())
        .unwrap_or_else(|_| RaceEthnicitySet::one(DataNotCollected))
}
/// Every other client has a marital status recorded (`shared::intake::MaritalStatus`).
const MARITAL: &[Option<MaritalStatus>] = &[
    Some(MaritalStatus::NeverMarried),
    None,
    Some(MaritalStatus::Divorced),
    None,
    Some(MaritalStatus::Married),
    None,
    Some(MaritalStatus::Separated),
    None,
    Some(MaritalStatus::Widowed),
    None,
    Some(MaritalStatus::ClientPrefersNotToAnswer),
    None,
];

/// (title, form type, security setting): forms at every setting, with the SPEC's defaults.
const FORMS: &[(&str, FormType, SecuritySetting)] = &[
    (
        "Case note",
        FormType::CaseNotes,
        SecuritySetting::RestrictToOrganization,
    ),
    (
        "Health assessment",
        FormType::Health,
        SecuritySetting::RestrictToOrganization,
    ),
    (
        "Domestic violence assessment",
        FormType::DomesticViolence,
        SecuritySetting::RestrictToOrganization,
    ),
    (
        "Income assessment",
        FormType::Income,
        SecuritySetting::ShareWithRoiMou,
    ),
    (
        "Housing assessment",
        FormType::Housing,
        SecuritySetting::ShareWithRoiMou,
    ),
    (
        "Employment assessment",
        FormType::Employment,
        SecuritySetting::ShareWithRoiMou,
    ),
];

pub const DEMO_CLIENTS: usize = 36;

/// A demo household's members: (client index, relationship to the head, days ago they left).
type DemoMembers = &'static [(usize, RelationshipToHoH, Option<i64>)];
/// A demo household's address rows: (value, days ago it started, entering organization index).
type DemoAddresses = &'static [(&'static str, i64, usize)];

/// Households (seed 1b), all from 210 days ago (before any of their members' enrollments):
/// (family name, entering organization index, members, address rows as (value, days ago it
/// started, entering organization index)). The Nguyens are a couple whose relative left 60 days
/// ago and whose address changed 30 days ago (the old row end-dated, entered by another agency:
/// ); the Okonkwos a parent with two children; the Riveras a couple with a child. Demo
/// client 1 (index 1, the R-9 checklist's example) is a household of one.
const HOUSEHOLDS: &[(&str, usize, DemoMembers, DemoAddresses)] = &[
    (
        "Rivera",
        1,
        &[
            (0, RelationshipToHoH::SelfHeadOfHousehold, None),
            (26, RelationshipToHoH::SpouseOrPartner, None),
            (19, RelationshipToHoH::Child, None),
        ],
        &[("907 Holloway St, Durham NC 27701", 210, 1)],
    ),
    (
        "Okonkwo",
        3,
        &[
            (13, RelationshipToHoH::SelfHeadOfHousehold, None),
            (6, RelationshipToHoH::Child, None),
            (5, RelationshipToHoH::Child, None),
        ],
        &[],
    ),
    (
        "Nguyen",
        2,
        &[
            (10, RelationshipToHoH::SelfHeadOfHousehold, None),
            (17, RelationshipToHoH::SpouseOrPartner, None),
            (24, RelationshipToHoH::OtherRelative, Some(60)),
        ],
        &[
            ("1104 Alston Ave, Durham NC 27701", 210, 1),
            ("18 Hoover Rd, Apt 4, Durham NC 27703", 30, 2),
        ],
    ),
];

/// Whether demo client `i` was head of their household when their enrollments began (every
/// enrollment starts after the households do): the enrollment's derived flag, and whether the
/// client has a case manager (R-10: heads of household only).
fn demo_head(i: usize) -> bool {
    !HOUSEHOLDS
        .iter()
        .flat_map(|(_, _, members, _)| members.iter())
        .any(|(c, r, _)| *c == i && *r != RelationshipToHoH::SelfHeadOfHousehold)
}

/// True when the database has no organization yet.
pub async fn is_empty(pool: &Pool) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organizations")
        .fetch_one(pool)
        .await?;
    Ok(n == 0)
}

/// What a demo record carries besides its registry row.
enum Detail {
    None,
    Api(RecordDetails),
    File(DocumentType, &'static str),
}

/// One demo record: kind, owning organization (index into `ORGS`), setting, title, detail.
struct Rec {
    kind: RecordKind,
    org: usize,
    security: Option<SecuritySetting>,
    title: String,
    detail: String,
    details: Detail,
}

impl Rec {
    fn new(
        kind: RecordKind,
        org: usize,
        security: Option<SecuritySetting>,
        title: &str,
        detail: String,
        details: Detail,
    ) -> Self {
        Self {
            kind,
            org,
            security,
            title: title.to_owned(),
            detail,
            details,
        }
    }
}

/// Loads the demo data into an empty database, dated around `today`; attachment files go to
/// `files_dir`.
pub async fn load(pool: &Pool, today: NaiveDate, files_dir: &Path) -> Result<()> {
    let now: NaiveDateTime = today.and_hms_opt(9, 0, 0).unwrap_or_default();
    let mut tx = super::begin_write(pool).await?;
    let mut org_ids = Vec::new();
    for name in ORGS {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(*name)
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        org_ids.push(id);
    }
    let hash = hash_password(DEMO_PASSWORD)?;
    let mut user_ids = Vec::new();
    for (username, display, role, org) in DEMO_USERS {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (org_id, username, display_name, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org_ids[*org])
        .bind(*username)
        .bind(*display)
        .bind(*role)
        .bind(&hash)
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        user_ids.push((id, *org, *display));
    }
    let mut program_ids = Vec::new();
    for (org, name, hud_type, _) in PROGRAMS {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO programs (org_id, name, hud_project_type) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(org_ids[*org])
        .bind(*name)
        .bind(*hud_type)
        .fetch_one(&mut *tx)
        .await?;
        program_ids.push(id);
    }
    // A caseworker of agency `org` (1..=3), alternating between the two.
    let caseworker = |org: usize, i: usize| {
        let cws: Vec<_> = user_ids
            .iter()
            .filter(|(_, o, d)| *o == org && !d.is_empty())
            .skip(1)
            .collect();
        *cws[i % cws.len()]
    };

    let mut client_ids = Vec::with_capacity(DEMO_CLIENTS);
    for i in 0..DEMO_CLIENTS {
        let owner = 1 + i % 3;
        let (author, _, _) = caseworker(owner, i);
        let created = now - Duration::days(200 - i as i64 * 5);
        let dob = NaiveDate::from_ymd_opt(
            1960 + (i * 7 % 45) as i32,
            1 + (i % 12) as u32,
            1 + (i * 3 % 28) as u32,
        );
        let hmis = HmisNumber::from_sequence(1001 + i as u32)?;
        let (client,): (i64,) = sqlx::query_as(
            "INSERT INTO clients (hmis_number, first_name, middle_name, last_name, date_of_birth,
                                  ssn, gender, marital_status, org_id, author_id, created_at,
                                  name_data_quality, dob_data_quality, ssn_data_quality, sex,
                                  veteran_status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             RETURNING id",
        )
        .bind(hmis.as_str().to_owned())
        .bind(FIRST[i % FIRST.len()])
        .bind((i % 4 == 0).then_some("Lee"))
        .bind(LAST[(i * 5 + i / 12) % LAST.len()])
        .bind(dob.map(date))
        // 9xx numbers are never issued as SSNs: safe synthetic values.
        .bind(
            (i % 5 != 4)
                .then(|| format!("9{:02}-{:02}-{:04}", i % 100, (i * 7) % 100, 1000 + i * 37)),
        )
        .bind(GENDERS[i % GENDERS.len()])
        .bind(MARITAL[i % MARITAL.len()].map(MaritalStatus::as_str))
        .bind(org_ids[owner])
        .bind(author)
        .bind(ts(created))
        .bind(NameDataQuality::Full.as_str())
        .bind(DataQuality::Full.as_str())
        .bind(
            if i % 5 != 4 {
                DataQuality::Full
            } else {
                DataQuality::ClientRefused
            }
            .as_str(),
        )
        .bind(SEXES[i % SEXES.len()].as_str())
        .bind(VETERAN[i % VETERAN.len()].as_str())
        .fetch_one(&mut *tx)
        .await?;
        crate::db::refresh_search_keys(&mut tx, shared::ClientId(client)).await?;
        client_ids.push(client);

        let mut rec = Vec::<Rec>::new();
        let cw = caseworker(owner, i);
        // Tier 1: contact and demographics.
        let phone = format!("(919) 555-{:04}", 100 + i);
        rec.push(Rec::new(
            RecordKind::FamilyContact,
            owner,
            None,
            "Phone",
            format!("{phone} · since {}", created.date()),
            Detail::Api(RecordDetails::Contact(ContactDetails {
                contact_kind: ContactKind::Phone,
                value: phone.clone(),
                start_date: created.date(),
                end_date: None,
                entered_by: shared::OrgId(org_ids[owner]),
            })),
        ));
        rec.push(Rec::new(
            RecordKind::Demographics,
            owner,
            None,
            "Demographics",
            "Race and ethnicity, citizenship recorded".into(),
            Detail::Api(RecordDetails::Demographics(DemographicsDetails {
                race_ethnicity: Some(demo_race(i)),
                additional_race_ethnicity: None,
                religious_preference: None,
                citizenship_status: Some("U.S. citizen".into()),
                legacy_race: None,
                legacy_ethnicity: None,
            })),
        ));
        // Tier 2: an enrollment at the owner's first program, a second one elsewhere for some.
        let entry = created.date() + Duration::days(2);
        let prog = PROGRAMS.iter().position(|p| p.0 == owner).unwrap_or(0);
        let exit = (i % 2 == 0).then(|| entry + Duration::days(40));
        let enrollment = |prog: usize, entry, exit, move_in| {
            Detail::Api(RecordDetails::Enrollment(EnrollmentDetails {
                program_id: shared::ProgramId(program_ids[prog]),
                program_name: PROGRAMS[prog].1.into(),
                case_name: format!("Household {}", 1001 + i),
                entry_date: entry,
                exit_date: exit,
                move_in_date: move_in,
                head_of_household: demo_head(i),
                prior_living_situation: Some(PRIOR[(i + prog) % PRIOR.len()]),
                disabling_condition: Some(DISABLING[i % DISABLING.len()]),
                enrollment_coc: CocCode::parse(DEMO_COC).ok(),
                destination: exit.map(|_| DESTINATIONS[i % DESTINATIONS.len()]),
            }))
        };
        rec.push(Rec::new(
            RecordKind::Enrollment,
            owner,
            None,
            &format!("{} ({})", PROGRAMS[prog].1, PROGRAMS[prog].3),
            match exit {
                Some(x) => format!("Entry {entry} · exit {x}"),
                None => format!("Entry {entry} · active"),
            },
            enrollment(prog, entry, exit, None),
        ));
        if i % 3 == 1 {
            let other = 1 + (owner % 3);
            let p2 = PROGRAMS.iter().position(|p| p.0 == other).unwrap_or(0);
            let entry2 = entry + Duration::days(20);
            rec.push(Rec::new(
                RecordKind::Enrollment,
                other,
                None,
                &format!("{} ({})", PROGRAMS[p2].1, PROGRAMS[p2].3),
                format!("Entry {entry2} · active"),
                enrollment(p2, entry2, None, None),
            ));
        }
        if let (30, Some(shelter_exit)) = (i, exit) {
            // R-7's example: moved into housing a week before another agency's shelter exit.
            let rrh = 2;
            let move_in = shelter_exit - Duration::days(7);
            rec.push(Rec::new(
                RecordKind::Enrollment,
                PROGRAMS[rrh].0,
                None,
                &format!("{} ({})", PROGRAMS[rrh].1, PROGRAMS[rrh].3),
                format!(
                    "Entry {} · moved in {move_in} · active",
                    move_in - Duration::days(10)
                ),
                enrollment(rrh, move_in - Duration::days(10), None, Some(move_in)),
            ));
        }
        let (kind, description, minutes) = [
            (ServiceKind::Transaction, "Shelter night", None),
            (
                ServiceKind::Transaction,
                "Case management (30 min)",
                Some(30),
            ),
            (ServiceKind::Referral, "Referral to rapid re-housing", None),
        ][i % 3];
        rec.push(Rec::new(
            RecordKind::Service,
            owner,
            None,
            description,
            format!("Provided {}", entry + Duration::days(3)),
            Detail::Api(RecordDetails::Service(ServiceDetails {
                service_kind: kind,
                date: entry + Duration::days(3),
                description: description.into(),
                enrollment_id: None,
                case_management_minutes: minutes,
                case_management_note: minutes
                    .map(|_| "Housing plan reviewed; next steps agreed.".into()),
                note_security: SecuritySetting::RestrictToOrganization,
                note_hidden: false,
            })),
        ));
        // case managers are identified for heads of household only.
        if demo_head(i) {
            rec.push(Rec::new(
                RecordKind::CaseManager,
                owner,
                None,
                "Case manager",
                format!("{} · assigned {}", cw.2, entry),
                Detail::Api(RecordDetails::CaseManager(CaseManagerDetails {
                    head_of_household: shared::ClientId(client),
                    agency: shared::OrgId(org_ids[owner]),
                    program_id: shared::ProgramId(program_ids[prog]),
                    case_manager_id: shared::UserId(cw.0),
                    start_date: entry,
                    end_date: None,
                })),
            ));
        }
        if i % 2 == 0 {
            rec.push(Rec::new(
                RecordKind::ProfileNote,
                owner,
                None,
                "Profile note",
                format!(
                    "SSN card on file at {}: contact the agency for a copy.",
                    ORGS[owner]
                ),
                Detail::None,
            ));
        }
        // Forms at every security setting, and one attachment shared with all.
        for (k, (title, form_type, setting)) in FORMS.iter().enumerate() {
            if (i + k) % 2 == 0 {
                let done = entry + Duration::days(k as i64);
                rec.push(Rec::new(
                    RecordKind::Form,
                    owner,
                    Some(*setting),
                    title,
                    format!("Completed {done}"),
                    Detail::Api(RecordDetails::Form(FormDetails {
                        form_type: *form_type,
                        answers: [("completed".to_owned(), done.to_string())].into(),
                        security: *setting,
                    })),
                ));
            }
        }
        rec.push(Rec::new(
            RecordKind::Attachment,
            owner,
            Some(SecuritySetting::SharedWithAll),
            "Birth certificate (scan)",
            "Recommended document (R-9)".into(),
            Detail::File(DocumentType::BirthCertificate, "birth-certificate.pdf"),
        ));
        for (n, r) in rec.into_iter().enumerate() {
            let (author, _, _) = caseworker(r.org, i + n);
            let id = records::insert_record(
                &mut tx,
                records::NewRow {
                    client: shared::ClientId(client),
                    kind: r.kind,
                    org: shared::OrgId(org_ids[r.org]),
                    author: shared::UserId(author),
                    at: created + Duration::minutes(n as i64),
                    security: r.security,
                    title: &r.title,
                    detail: &r.detail,
                },
            )
            .await?;
            match r.details {
                Detail::None => {}
                Detail::Api(details) => {
                    records::write_details(&mut tx, id, &details, false).await?
                }
                Detail::File(document_type, file_name) => {
                    let (key, sha) = crate::files::store_file(files_dir, DEMO_PDF).await?;
                    let file = records::StoredFile {
                        content_type: "application/pdf",
                        size: DEMO_PDF.len(),
                        sha256: &sha,
                        storage_key: &key,
                    };
                    records::insert_attachment(&mut tx, id, document_type, file_name, None, &file)
                        .await?;
                }
            }
        }
        // ROIs: active (every third client), expired, revoked.
        if i % 3 == 0 {
            let other = 1 + (owner % 3);
            let (start, end, revoked) = match i % 9 {
                0 => (
                    today - Duration::days(30),
                    today + Duration::days(335),
                    false,
                ),
                3 => (
                    today - Duration::days(400),
                    today - Duration::days(35),
                    false,
                ),
                _ => (
                    today - Duration::days(60),
                    today + Duration::days(305),
                    true,
                ),
            };
            sqlx::query(
                "INSERT INTO rois (client_id, orgs, start_date, end_date, attested_by,
                                   attested_org, attested_on, revoked_by, revoked_on)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(client)
            .bind(format!("[{},{}]", org_ids[owner], org_ids[other]))
            .bind(date(start))
            .bind(date(end))
            .bind(author)
            .bind(org_ids[owner])
            .bind(date(start))
            .bind(revoked.then_some(author))
            .bind(revoked.then(|| date(today - Duration::days(5))))
            .execute(&mut *tx)
            .await?;
        }
    }

    // Households (seed 1b), entered by a caseworker of their agency, with their history (P-3).
    for (name, org, members, addresses) in HOUSEHOLDS {
        let (user, _, _) = caseworker(*org, 0);
        let actor = shared::Actor {
            user: shared::UserId(user),
            org: shared::OrgId(org_ids[*org]),
            role: shared::Role::Caseworker,
        };
        let start = today - Duration::days(210);
        let at = start.and_hms_opt(10, 0, 0).unwrap_or_default();
        let id = households::insert_household(&mut tx, name, &actor, at).await?;
        let created = households::Subject::Household(id);
        households::history(&mut tx, id, created, at, &actor, "create", "null").await?;
        for (c, relationship, left) in members.iter() {
            let m = NewMember {
                client: shared::ClientId(client_ids[*c]),
                relationship: *relationship,
                start,
                end: left.map(|d| today - Duration::days(d)),
            };
            let row = households::insert_member(&mut tx, id, &m, &actor, at).await?;
            let subject = households::Subject::Member(row);
            households::history(&mut tx, id, subject, at, &actor, "create", "null").await?;
        }
        let mut previous: Option<(shared::ids::HouseholdAddressId, &str, NaiveDate)> = None;
        for (value, ago, by) in addresses.iter() {
            let (user, _, _) = caseworker(*by, 1);
            let by = shared::Actor {
                user: shared::UserId(user),
                org: shared::OrgId(org_ids[*by]),
                role: shared::Role::Caseworker,
            };
            let from = today - Duration::days(*ago);
            let at = from.and_hms_opt(11, 0, 0).unwrap_or_default();
            if let Some((old, old_value, old_start)) = previous {
                let seen = serde_json::json!({
                    "id": old.0, "value": old_value, "start": date(old_start), "end": null,
                });
                let subject = households::Subject::Address(old);
                let seen = seen.to_string();
                households::history(&mut tx, id, subject, at, &by, "end", &seen).await?;
                households::end_address(&mut tx, old, from - Duration::days(1)).await?;
            }
            let row = households::insert_address(&mut tx, id, value, from, &by, at).await?;
            let subject = households::Subject::Address(row);
            households::history(&mut tx, id, subject, at, &by, "create", "null").await?;
            previous = Some((row, value, from));
        }
    }

    // MOUs: one complete and active, one missing a signature (never active).
    let signed = today - Duration::days(90);
    let mut complete_mous = Vec::new();
    for (name, parties, complete) in [
        ("Durham Housing Partners", [2usize, 3], true),
        ("Shelter and Outreach Pilot", [1usize, 3], false),
    ] {
        let (mou,): (i64,) = sqlx::query_as(
            "INSERT INTO mous (name, start_date, end_date) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(date(signed))
        .bind(date(signed + Duration::days(730)))
        .fetch_one(&mut *tx)
        .await?;
        if complete {
            complete_mous.push(mou);
        }
        for (n, org) in parties.iter().enumerate() {
            let signs = complete || n == 0;
            sqlx::query(
                "INSERT INTO mou_parties (mou_id, org_id, signer_name, signer_title, signed_on)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(mou)
            .bind(org_ids[*org])
            .bind(signs.then_some(["", "Pat Morgan", "Chris Alvarez", "Jo Kim"][*org]))
            .bind(signs.then_some("Executive Director"))
            .bind(signs.then(|| date(signed)))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    // The complete MOU's signed document, stored as any upload is (S-6: active only with it).
    let (admin, admin_org, _) = user_ids[0];
    for mou in complete_mous {
        crate::db::releases::attach_document(
            pool,
            crate::db::releases::DocumentOwner::Mou(shared::MouId(mou)),
            shared::documents::DocumentFormat::Pdf,
            DEMO_MOU_PDF,
            shared::UserId(admin),
            shared::OrgId(org_ids[admin_org]),
            now,
        )
        .await?;
    }
    Ok(())
}

/// A one-page PDF standing in for a scanned document.
const DEMO_PDF: &[u8] = DEMO_MOU_PDF;

/// A one-page PDF standing in for the scanned, signed MOU.
const DEMO_MOU_PDF: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R
  /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 74 >> stream
BT /F1 18 Tf 72 720 Td (Durham Housing Partners MOU - signed copy - demo) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
";
