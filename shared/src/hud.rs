//! HUD's HMIS Data Standards (FY2026) code lists: each element's response categories as a closed
//! enum with its HUD integer code (what HUD CSV carries), its stable text (what Hearth stores,
//! sends in JSON and writes into the audit log) and the label users read. One list per element,
//! here and nowhere else: the server validates with it, the importer and the export translate
//! with it, and the app builds its choices from it.

use crate::ids::ParseError;

/// `ALL`, `code`, `as_str`, `label`, `from_code` and `FromStr` (both errors name `$field` and
/// every allowed value) from one table of variants with their HUD code, stored text and label.
/// The enum itself (with its serde names, which must equal the stored texts) is declared beside
/// the call, so its derives and docs stay visible.
macro_rules! hud_codes {
    (
        $ty:ident, $field:literal,
        { $first:ident = $first_c:literal, $first_s:literal, $first_l:literal
          $(; $v:ident = $c:literal, $s:literal, $l:literal)* $(;)? }
    ) => {
        impl $ty {
            /// Every value, in HUD's order.
            pub const ALL: [$ty; 1 $(+ { let _ = $c; 1 })*] = [$ty::$first $(, $ty::$v)*];

            /// HUD's integer code (HUD CSV).
            pub const fn code(self) -> i64 {
                match self {
                    $ty::$first => $first_c,
                    $($ty::$v => $c,)*
                }
            }

            /// The stable text Hearth stores and sends (its serde name).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $ty::$first => $first_s,
                    $($ty::$v => $s,)*
                }
            }

            /// HUD's wording of the response, for people.
            pub const fn label(self) -> &'static str {
                match self {
                    $ty::$first => $first_l,
                    $($ty::$v => $l,)*
                }
            }

            /// The value of a HUD integer code; an unknown code is an error naming the field and
            /// every allowed code.
            pub fn from_code(code: i64) -> Result<Self, ParseError> {
                match code {
                    $first_c => Ok($ty::$first),
                    $($c => Ok($ty::$v),)*
                    _ => Err(ParseError::new(
                        $field,
                        concat!(
                            "must be one of HUD's codes ",
                            $first_c, " (", $first_l, ")"
                            $(, ", ", $c, " (", $l, ")")*
                        ),
                    )),
                }
            }

            /// A value as a request writes it: its stored text, trimmed, in any case.
            pub fn parse(s: &str) -> Result<Self, ParseError> {
                s.trim().to_ascii_lowercase().parse()
            }
        }

        impl std::str::FromStr for $ty {
            type Err = ParseError;

            /// The value stored as `s` (exactly as `as_str` writes it).
            fn from_str(s: &str) -> Result<Self, ParseError> {
                match s {
                    $first_s => Ok($ty::$first),
                    $($s => Ok($ty::$v),)*
                    _ => Err(ParseError::new(
                        $field,
                        concat!("must be one of ", $first_s $(, ", ", $s)*),
                    )),
                }
            }
        }
    };
}

/// Declares a HUD code list: the enum (snake_case serde names, which are its stored texts) and,
/// through [`hud_codes!`], its table. One table per element, so a code is written once.
macro_rules! hud_list {
    (
        $(#[$doc:meta])* $ty:ident, $field:literal,
        { $($v:ident = $c:literal, $s:literal, $l:literal);+ $(;)? }
    ) => {
        $(#[$doc])*
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $ty {
            $($v,)+
        }

        hud_codes!($ty, $field, { $($v = $c, $s, $l);+ });

        /// A JSON string holding a stored text; anything else (a number, an unknown text) is a
        /// data error listing the allowed texts, so the server's answer names the field.
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Texts;
                impl serde::de::Visitor<'_> for Texts {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("one of" $(, " ", $s)+))
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$ty, E> {
                        s.parse::<$ty>().map_err(|e| E::custom(e.reason))
                    }
                }
                d.deserialize_str(Texts)
            }
        }
    };
}

hud_list!(
    /// 3.15 Relationship to head of household. `SelfHeadOfHousehold` marks the head; every
    /// household has exactly one at a time (`shared::household` decides).
    RelationshipToHoH, "relationship", {
    SelfHeadOfHousehold = 1, "self_head_of_household", "Self (head of household)";
    Child = 2, "child", "Head of household's child";
    SpouseOrPartner = 3, "spouse_or_partner", "Head of household's spouse or partner";
    OtherRelative = 4, "other_relative", "Head of household's other relation member";
    UnrelatedHouseholdMember = 5, "unrelated_household_member", "Other: non-relation member";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

hud_list!(
    /// 3.01.5 Name data quality.
    NameDataQuality, "name_data_quality", {
    Full = 1, "full", "Full name reported";
    Partial = 2, "partial", "Partial, street name, or code name reported";
    ClientDoesntKnow = 8, "client_doesnt_know", "Client doesn't know";
    ClientPrefersNotToAnswer = 9, "client_prefers_not_to_answer", "Client prefers not to answer";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

hud_list!(
    /// 3.02.2 SSN and 3.03.2 date-of-birth data quality (one list: the same codes). Its stored
    /// texts predate this module (migration 0003): HUD's 9 "Client prefers not to answer" is
    /// stored as `client_refused`.
    DataQuality, "data_quality", {
    Full = 1, "full", "Full reported";
    Partial = 2, "partial", "Approximate or partial reported";
    ClientDoesntKnow = 8, "client_doesnt_know", "Client doesn't know";
    ClientRefused = 9, "client_refused", "Client prefers not to answer";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

impl DataQuality {
    /// Whether a value comes with this quality (full or partial) or must be left empty.
    pub fn has_value(self) -> bool {
        matches!(self, DataQuality::Full | DataQuality::Partial)
    }
}

hud_list!(
    /// Sex (FY2026, element 4.21 in HUD's API description; HMIS CSV column `Sex`). Gender is no
    /// HUD element any more: Hearth keeps it as an optional local free-text answer.
    Sex, "sex", {
    Female = 0, "female", "Female";
    Male = 1, "male", "Male";
    ClientDoesntKnow = 8, "client_doesnt_know", "Client doesn't know";
    ClientPrefersNotToAnswer = 9, "client_prefers_not_to_answer", "Client prefers not to answer";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

hud_list!(
    /// HUD's "No / Yes / reasons for missing data" list (1.8): 3.07 veteran status and 3.08
    /// disabling condition answer with it.
    NoYesReasons, "answer", {
    No = 0, "no", "No";
    Yes = 1, "yes", "Yes";
    ClientDoesntKnow = 8, "client_doesnt_know", "Client doesn't know";
    ClientPrefersNotToAnswer = 9, "client_prefers_not_to_answer", "Client prefers not to answer";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

impl NoYesReasons {
    /// The same value, with an error naming `field` instead of `answer` (3.07 and 3.08 share the
    /// list but not the field).
    pub fn parse_as(field: &str, s: &str) -> Result<Self, ParseError> {
        Self::parse(s).map_err(|e| ParseError::new(field, e.reason))
    }
}

hud_list!(
    /// 3.04 Race and ethnicity: one multi-select (HMIS CSV: a 0/1 column per race, `RaceNone`
    /// for the data-quality codes). A client's answer is a [`RaceEthnicitySet`].
    RaceEthnicity, "race_ethnicity", {
    AmIndAkNative = 1, "am_ind_ak_native", "American Indian, Alaska Native, or Indigenous";
    Asian = 2, "asian", "Asian or Asian American";
    BlackAfAmerican = 3, "black_af_american", "Black, African American, or African";
    NativeHiPacific = 4, "native_hi_pacific", "Native Hawaiian or Pacific Islander";
    White = 5, "white", "White";
    HispanicLatinaeo = 6, "hispanic_latinaeo", "Hispanic/Latina/e/o";
    MidEastNAfrican = 7, "mid_east_n_african", "Middle Eastern or North African";
    ClientDoesntKnow = 8, "client_doesnt_know", "Client doesn't know";
    ClientPrefersNotToAnswer = 9, "client_prefers_not_to_answer", "Client prefers not to answer";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

impl RaceEthnicity {
    /// A data-quality code (8, 9, 99): chosen alone, never beside a race.
    pub fn is_data_quality(self) -> bool {
        self.code() >= 8
    }

    /// The HMIS CSV column of a race (`None` for the data-quality codes, which go in `RaceNone`).
    pub fn csv_column(self) -> Option<&'static str> {
        Some(match self {
            RaceEthnicity::AmIndAkNative => "AmIndAKNative",
            RaceEthnicity::Asian => "Asian",
            RaceEthnicity::BlackAfAmerican => "BlackAfAmerican",
            RaceEthnicity::NativeHiPacific => "NativeHIPacific",
            RaceEthnicity::White => "White",
            RaceEthnicity::HispanicLatinaeo => "HispanicLatinao",
            RaceEthnicity::MidEastNAfrican => "MidEastNAfrican",
            _ => return None,
        })
    }
}

/// 3.04 as answered: one or more races, or one data-quality code alone; kept in HUD's order,
/// each once. Stored as its texts joined by commas (`asian,white`); sent as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Vec<RaceEthnicity>", into = "Vec<RaceEthnicity>")]
pub struct RaceEthnicitySet(Vec<RaceEthnicity>);

#[cfg(feature = "schema")]
impl schemars::JsonSchema for RaceEthnicitySet {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RaceEthnicitySet".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let item = g.subschema_for::<RaceEthnicity>();
        schemars::json_schema!({
            "type": "array",
            "items": item,
            "minItems": 1,
            "uniqueItems": true,
            "description": "One or more races, or one of client_doesnt_know, \
                client_prefers_not_to_answer, data_not_collected alone.",
        })
    }
}

impl RaceEthnicitySet {
    /// The set of `values`: not empty; a data-quality code (8, 9, 99) only alone. Errors name
    /// `race_ethnicity`.
    pub fn parse(values: impl IntoIterator<Item = RaceEthnicity>) -> Result<Self, ParseError> {
        let mut v: Vec<RaceEthnicity> = values.into_iter().collect();
        v.sort();
        v.dedup();
        let field = RaceEthnicitySet::FIELD;
        match v.as_slice() {
            [] => Err(ParseError::new(
                field,
                "choose at least one, or one of client_doesnt_know, \
                 client_prefers_not_to_answer, data_not_collected",
            )),
            [_] => Ok(Self(v)),
            more if more.iter().any(|r| r.is_data_quality()) => Err(ParseError::new(
                field,
                "client_doesnt_know, client_prefers_not_to_answer and data_not_collected are \
                 chosen alone, never with a race",
            )),
            _ => Ok(Self(v)),
        }
    }

    pub const FIELD: &'static str = "race_ethnicity";

    /// One value alone (a race, or a data-quality code).
    pub fn one(r: RaceEthnicity) -> Self {
        Self(vec![r])
    }

    /// The set as stored: `as_str` texts joined by commas, in HUD's order.
    pub fn stored(&self) -> String {
        self.0
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The set stored as `s` (any order; [`RaceEthnicitySet::stored`] writes HUD's).
    pub fn from_stored(s: &str) -> Result<Self, ParseError> {
        let values = s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<RaceEthnicity>()
                    .map_err(|e| ParseError::new(Self::FIELD, e.reason))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::parse(values)
    }

    pub fn values(&self) -> &[RaceEthnicity] {
        &self.0
    }

    pub fn contains(&self, r: RaceEthnicity) -> bool {
        self.0.contains(&r)
    }

    /// HMIS CSV's `RaceNone`: the data-quality code when that is the answer.
    pub fn race_none(&self) -> Option<RaceEthnicity> {
        self.0.iter().copied().find(|r| r.is_data_quality())
    }
}

impl TryFrom<Vec<RaceEthnicity>> for RaceEthnicitySet {
    type Error = String;

    /// serde's way in: the reason names the rule (the path names the field).
    fn try_from(v: Vec<RaceEthnicity>) -> Result<Self, String> {
        Self::parse(v).map_err(|e| e.reason)
    }
}

impl From<RaceEthnicitySet> for Vec<RaceEthnicity> {
    fn from(s: RaceEthnicitySet) -> Self {
        s.0
    }
}

hud_list!(
    /// 3.917.1 Prior living situation (at project start).
    PriorLivingSituation, "prior_living_situation", {
    PlaceNotMeantForHabitation = 116, "place_not_meant_for_habitation", "Place not meant for habitation";
    EmergencyShelter = 101, "emergency_shelter", "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, Host Home shelter";
    SafeHaven = 118, "safe_haven", "Safe Haven";
    FosterCare = 215, "foster_care", "Foster care home or foster care group home";
    Hospital = 206, "hospital", "Hospital or other residential non-psychiatric medical facility";
    Jail = 207, "jail", "Jail, prison, or juvenile detention facility";
    LongTermCare = 225, "long_term_care", "Long-term care facility or nursing home";
    PsychiatricFacility = 204, "psychiatric_facility", "Psychiatric hospital or other psychiatric facility";
    SubstanceAbuseTreatment = 205, "substance_abuse_treatment", "Substance abuse treatment facility or detox center";
    TransitionalHousing = 302, "transitional_housing", "Transitional housing for homeless persons (including homeless youth)";
    HalfwayHouse = 329, "halfway_house", "Residential project or halfway house with no homeless criteria";
    HotelOrMotel = 314, "hotel_or_motel", "Hotel or motel paid for without emergency shelter voucher";
    HostHome = 332, "host_home", "Host Home (non-crisis)";
    FamilyRoom = 335, "family_room", "Staying or living in a family member's room, apartment, or house";
    FriendRoom = 336, "friend_room", "Staying or living in a friend's room, apartment, or house";
    RentalNoSubsidy = 410, "rental_no_subsidy", "Rental by client, no ongoing housing subsidy";
    RentalWithSubsidy = 435, "rental_with_subsidy", "Rental by client, with ongoing housing subsidy";
    OwnedWithSubsidy = 421, "owned_with_subsidy", "Owned by client, with ongoing housing subsidy";
    OwnedNoSubsidy = 411, "owned_no_subsidy", "Owned by client, no ongoing housing subsidy";
    ClientDoesntKnow = 8, "client_doesnt_know", "Client doesn't know";
    ClientPrefersNotToAnswer = 9, "client_prefers_not_to_answer", "Client prefers not to answer";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

hud_list!(
    /// 3.12.1 Destination (at project exit). Shares most categories (and their stored texts) with
    /// [`PriorLivingSituation`], but not all: HUD's two response lists differ.
    Destination, "destination", {
    PlaceNotMeantForHabitation = 116, "place_not_meant_for_habitation", "Place not meant for habitation";
    EmergencyShelter = 101, "emergency_shelter", "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, Host Home shelter";
    SafeHaven = 118, "safe_haven", "Safe Haven";
    FosterCare = 215, "foster_care", "Foster care home or foster care group home";
    Hospital = 206, "hospital", "Hospital or other residential non-psychiatric medical facility";
    Jail = 207, "jail", "Jail, prison, or juvenile detention facility";
    LongTermCare = 225, "long_term_care", "Long-term care facility or nursing home";
    PsychiatricFacility = 204, "psychiatric_facility", "Psychiatric hospital or other psychiatric facility";
    SubstanceAbuseTreatment = 205, "substance_abuse_treatment", "Substance abuse treatment facility or detox center";
    TransitionalHousing = 302, "transitional_housing", "Transitional housing for homeless persons (including homeless youth)";
    HalfwayHouse = 329, "halfway_house", "Residential project or halfway house with no homeless criteria";
    HotelOrMotel = 314, "hotel_or_motel", "Hotel or motel paid for without emergency shelter voucher";
    HostHome = 332, "host_home", "Host Home (non-crisis)";
    FamilyTemporary = 312, "family_temporary", "Staying or living with family, temporary tenure";
    FriendsTemporary = 313, "friends_temporary", "Staying or living with friends, temporary tenure";
    HopwaTransitional = 327, "hopwa_transitional", "Moved from one HOPWA funded project to HOPWA TH";
    FamilyPermanent = 422, "family_permanent", "Staying or living with family, permanent tenure";
    FriendsPermanent = 423, "friends_permanent", "Staying or living with friends, permanent tenure";
    HopwaPermanent = 426, "hopwa_permanent", "Moved from one HOPWA funded project to HOPWA PH";
    RentalNoSubsidy = 410, "rental_no_subsidy", "Rental by client, no ongoing housing subsidy";
    RentalWithSubsidy = 435, "rental_with_subsidy", "Rental by client, with ongoing housing subsidy";
    OwnedWithSubsidy = 421, "owned_with_subsidy", "Owned by client, with ongoing housing subsidy";
    OwnedNoSubsidy = 411, "owned_no_subsidy", "Owned by client, no ongoing housing subsidy";
    NoExitInterview = 30, "no_exit_interview", "No exit interview completed";
    Other = 17, "other", "Other";
    Deceased = 24, "deceased", "Deceased";
    WorkerUnableToDetermine = 37, "worker_unable_to_determine", "Worker unable to determine";
    ClientDoesntKnow = 8, "client_doesnt_know", "Client doesn't know";
    ClientPrefersNotToAnswer = 9, "client_prefers_not_to_answer", "Client prefers not to answer";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

hud_list!(
    /// 2.02.6 Project type: the one list of HUD project types (programs store its code).
    ProjectType, "hud_project_type", {
    EmergencyShelterEntryExit = 0, "emergency_shelter_entry_exit", "Emergency Shelter - Entry Exit";
    EmergencyShelterNightByNight = 1, "emergency_shelter_night_by_night", "Emergency Shelter - Night-by-Night";
    TransitionalHousing = 2, "transitional_housing", "Transitional Housing";
    PermanentSupportiveHousing = 3, "permanent_supportive_housing", "PH - Permanent Supportive Housing";
    StreetOutreach = 4, "street_outreach", "Street Outreach";
    ServicesOnly = 6, "services_only", "Services Only";
    Other = 7, "other", "Other";
    SafeHaven = 8, "safe_haven", "Safe Haven";
    PhHousingOnly = 9, "ph_housing_only", "PH - Housing Only";
    PhHousingWithServices = 10, "ph_housing_with_services", "PH - Housing with Services (no disability required for entry)";
    DayShelter = 11, "day_shelter", "Day Shelter";
    HomelessnessPrevention = 12, "homelessness_prevention", "Homelessness Prevention";
    RapidRehousing = 13, "rapid_rehousing", "PH - Rapid Re-Housing";
    CoordinatedEntry = 14, "coordinated_entry", "Coordinated Entry";
});

impl ProjectType {
    /// The client sleeps there from entry to exit (R-7).
    pub fn is_residential(self) -> bool {
        matches!(
            self,
            ProjectType::EmergencyShelterEntryExit
                | ProjectType::EmergencyShelterNightByNight
                | ProjectType::TransitionalHousing
                | ProjectType::SafeHaven
        )
    }

    /// Permanent housing: the client is housed from the move-in date to exit (R-7, 3.20).
    pub fn is_permanent_housing(self) -> bool {
        matches!(
            self,
            ProjectType::RapidRehousing
                | ProjectType::PermanentSupportiveHousing
                | ProjectType::PhHousingOnly
                | ProjectType::PhHousingWithServices
        )
    }
}

/// 3.16 Enrollment CoC: HUD's code of the Continuum of Care, two letters (the state), a dash and
/// three digits (`NC-507`). Built only by [`CocCode::parse`]; sent and stored as that text.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct CocCode(String);

#[cfg(feature = "schema")]
impl schemars::JsonSchema for CocCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CocCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // `parse` also trims; the document promises only the plain form.
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Za-z]{2}-[0-9]{3}$",
            "examples": ["NC-507"],
        })
    }
}

impl CocCode {
    /// `XX-NNN`, trimmed, the letters in any case (stored upper case). Errors name
    /// `enrollment_coc`.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        let ok = b.len() == 6
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2] == b'-'
            && b[3..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(Self(t))
        } else {
            Err(ParseError::new(
                "enrollment_coc",
                "must be a CoC code: two letters, a dash and three digits (e.g. NC-507)",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CocCode {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).map_err(|e| e.reason)
    }
}

impl From<CocCode> for String {
    fn from(c: CocCode) -> String {
        c.0
    }
}

/// 3.12 / 3.11: a destination is recorded at exit, so only with an exit date. Errors name
/// `destination`.
pub fn check_destination(
    exit: Option<chrono::NaiveDate>,
    destination: Option<Destination>,
) -> Result<(), ParseError> {
    if destination.is_some() && exit.is_none() {
        return Err(ParseError::new(
            "destination",
            "is recorded at exit: give the exit date with it",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of a list: its code, its stored text and its serde name give it back, and
    /// no two values share a code or a text.
    macro_rules! round_trips {
        ($($ty:ident),+ $(,)?) => {$(
            let mut codes = std::collections::BTreeSet::new();
            let mut texts = std::collections::BTreeSet::new();
            for r in $ty::ALL {
                assert_eq!($ty::from_code(r.code()), Ok(r), "{}", stringify!($ty));
                assert_eq!(r.as_str().parse::<$ty>(), Ok(r));
                assert_eq!($ty::parse(&format!(" {} ", r.as_str().to_uppercase())), Ok(r));
                let json = serde_json::to_string(&r).unwrap();
                assert_eq!(json, format!("\"{}\"", r.as_str()));
                assert_eq!(serde_json::from_str::<$ty>(&json).unwrap(), r);
                assert!(!r.label().is_empty());
                assert!(codes.insert(r.code()), "{} code {} twice", stringify!($ty), r.code());
                assert!(texts.insert(r.as_str()));
            }
        )+};
    }

    #[test]
    fn every_code_list_value_round_trips_through_its_code_its_text_and_serde() {
        round_trips!(
            RelationshipToHoH,
            NameDataQuality,
            DataQuality,
            Sex,
            NoYesReasons,
            RaceEthnicity,
            PriorLivingSituation,
            Destination,
            ProjectType,
        );
    }

    #[test]
    fn the_data_quality_codes_are_hud_s_8_9_and_99_in_every_list_that_has_them() {
        assert_eq!(NameDataQuality::ClientDoesntKnow.code(), 8);
        assert_eq!(DataQuality::ClientRefused.code(), 9);
        assert_eq!(DataQuality::ClientRefused.as_str(), "client_refused");
        for (dk, pna, dnc) in [
            (
                Sex::ClientDoesntKnow.code(),
                Sex::ClientPrefersNotToAnswer.code(),
                Sex::DataNotCollected.code(),
            ),
            (
                NoYesReasons::ClientDoesntKnow.code(),
                NoYesReasons::ClientPrefersNotToAnswer.code(),
                NoYesReasons::DataNotCollected.code(),
            ),
            (
                Destination::ClientDoesntKnow.code(),
                Destination::ClientPrefersNotToAnswer.code(),
                Destination::DataNotCollected.code(),
            ),
            (
                PriorLivingSituation::ClientDoesntKnow.code(),
                PriorLivingSituation::ClientPrefersNotToAnswer.code(),
                PriorLivingSituation::DataNotCollected.code(),
            ),
            (
                RaceEthnicity::ClientDoesntKnow.code(),
                RaceEthnicity::ClientPrefersNotToAnswer.code(),
                RaceEthnicity::DataNotCollected.code(),
            ),
        ] {
            assert_eq!((dk, pna, dnc), (8, 9, 99));
        }
    }

    #[test]
    fn prior_living_situation_and_destination_are_hud_s_two_different_lists() {
        // 335/336 (a family member's or friend's room) are asked at entry only; 312/313,
        // 422/423 (tenure) and 24 (deceased) at exit only.
        assert!(PriorLivingSituation::from_code(335).is_ok());
        assert!(Destination::from_code(335).is_err());
        assert!(PriorLivingSituation::from_code(24).is_err());
        assert!(Destination::from_code(24).is_ok());
        // Where a category is in both lists it is stored under the same text.
        for p in PriorLivingSituation::ALL {
            if let Ok(d) = Destination::from_code(p.code()) {
                assert_eq!(d.as_str(), p.as_str());
            }
        }
    }

    #[test]
    fn an_unknown_code_of_every_new_list_names_its_field_and_the_allowed_codes() {
        for (e, field, allowed) in [
            (Sex::from_code(2).unwrap_err(), "sex", "0 (Female)"),
            (Sex::parse("woman").unwrap_err(), "sex", "female, male"),
            (
                NameDataQuality::from_code(3).unwrap_err(),
                "name_data_quality",
                "2 (Partial",
            ),
            (
                DataQuality::parse("refused").unwrap_err(),
                "data_quality",
                "client_refused",
            ),
            (
                Destination::from_code(419).unwrap_err(),
                "destination",
                "435 (Rental by client, with",
            ),
            (
                PriorLivingSituation::from_code(312).unwrap_err(),
                "prior_living_situation",
                "335 (",
            ),
            (
                ProjectType::from_code(5).unwrap_err(),
                "hud_project_type",
                "13 (PH - Rapid Re-Housing)",
            ),
            (
                RaceEthnicity::parse("latino").unwrap_err(),
                "race_ethnicity",
                "hispanic_latinaeo",
            ),
            (
                NoYesReasons::parse_as("veteran_status", "maybe").unwrap_err(),
                "veteran_status",
                "no, yes",
            ),
        ] {
            assert_eq!(e.field, field);
            assert!(e.reason.contains(allowed), "{field}: {}", e.reason);
        }
    }

    #[test]
    fn a_race_set_is_one_or_more_races_or_one_data_quality_code_alone() {
        use RaceEthnicity::*;
        let s = RaceEthnicitySet::parse([White, Asian, White]).unwrap();
        assert_eq!(s.values(), &[Asian, White]);
        assert_eq!(s.stored(), "asian,white");
        assert_eq!(RaceEthnicitySet::from_stored("white,asian"), Ok(s.clone()));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"["asian","white"]"#);
        assert_eq!(
            RaceEthnicitySet::parse([DataNotCollected])
                .unwrap()
                .race_none(),
            Some(DataNotCollected)
        );
        assert_eq!(s.race_none(), None);
        let e = RaceEthnicitySet::parse([]).unwrap_err();
        assert_eq!(e.field, "race_ethnicity");
        let e = RaceEthnicitySet::parse([White, ClientPrefersNotToAnswer]).unwrap_err();
        assert!(e.reason.contains("alone"), "{}", e.reason);
        assert!(RaceEthnicitySet::parse([DataNotCollected, ClientDoesntKnow]).is_err());
        assert!(
            serde_json::from_str::<RaceEthnicitySet>(r#"["white","data_not_collected"]"#).is_err()
        );
        assert!(serde_json::from_str::<RaceEthnicitySet>("[]").is_err());
        assert!(RaceEthnicitySet::from_stored("white,purple")
            .unwrap_err()
            .reason
            .contains("asian"));
        assert_eq!(HispanicLatinaeo.csv_column(), Some("HispanicLatinao"));
    }

    #[test]
    fn a_coc_code_is_two_letters_a_dash_and_three_digits() {
        assert_eq!(CocCode::parse(" nc-507 ").unwrap().as_str(), "NC-507");
        for bad in ["NC507", "N-507", "NC-50", "NC-5077", "12-507", "NC_507", ""] {
            let e = CocCode::parse(bad).unwrap_err();
            assert_eq!(e.field, "enrollment_coc");
            assert!(e.reason.contains("NC-507"));
        }
        assert_eq!(
            serde_json::to_string(&CocCode::parse("XX-501").unwrap()).unwrap(),
            "\"XX-501\""
        );
        assert!(serde_json::from_str::<CocCode>("\"XX501\"").is_err());
    }

    #[test]
    fn a_destination_needs_an_exit_date() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 2);
        assert!(check_destination(d, Some(Destination::RentalNoSubsidy)).is_ok());
        assert!(check_destination(None, None).is_ok());
        assert_eq!(
            check_destination(None, Some(Destination::Deceased))
                .unwrap_err()
                .field,
            "destination"
        );
    }

    #[test]
    fn project_types_are_hud_s_codes_and_the_rules_read_them() {
        assert_eq!(
            ProjectType::from_code(0),
            Ok(ProjectType::EmergencyShelterEntryExit)
        );
        assert!(ProjectType::EmergencyShelterNightByNight.is_residential());
        assert!(ProjectType::PhHousingWithServices.is_permanent_housing());
        assert!(!ProjectType::ServicesOnly.is_residential());
        assert_eq!(ProjectType::ALL.len(), 14);
    }

    #[test]
    fn an_unknown_code_names_the_field_and_every_allowed_code() {
        let e = RelationshipToHoH::from_code(6).unwrap_err();
        assert_eq!(e.field, "relationship");
        assert!(
            e.reason.contains("1 (Self (head of household))"),
            "{}",
            e.reason
        );
        assert!(e.reason.contains("99 (Data not collected)"), "{}", e.reason);
        let e = RelationshipToHoH::parse("cousin").unwrap_err();
        assert!(e.reason.contains("spouse_or_partner"), "{}", e.reason);
    }
}
