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

/// 3.15 Relationship to head of household. `SelfHeadOfHousehold` marks the head; every household
/// has exactly one at a time (`shared::household` decides).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipToHoH {
    SelfHeadOfHousehold,
    Child,
    SpouseOrPartner,
    OtherRelative,
    UnrelatedHouseholdMember,
    DataNotCollected,
}

hud_codes!(RelationshipToHoH, "relationship", {
    SelfHeadOfHousehold = 1, "self_head_of_household", "Self (head of household)";
    Child = 2, "child", "Head of household's child";
    SpouseOrPartner = 3, "spouse_or_partner", "Head of household's spouse or partner";
    OtherRelative = 4, "other_relative", "Head of household's other relation member";
    UnrelatedHouseholdMember = 5, "unrelated_household_member", "Other: non-relation member";
    DataNotCollected = 99, "data_not_collected", "Data not collected";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_list_value_round_trips_through_its_code_its_text_and_serde() {
        for r in RelationshipToHoH::ALL {
            assert_eq!(RelationshipToHoH::from_code(r.code()), Ok(r));
            assert_eq!(r.as_str().parse::<RelationshipToHoH>(), Ok(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
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
