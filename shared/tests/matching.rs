//! P-4 client search ranking (`shared::matching`): the order of realistic cases, the same answers
//! natively and in WASM (`wasm-bindgen-test`, as `vectors.rs`).

use chrono::NaiveDate;
use shared::matching::{fold, index_keys, rank, Candidate, KeyQuery, Probe};

#[cfg(all(target_arch = "wasm32", not(feature = "wasm-node")))]
mod browser {
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
}

fn d(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

/// `(first, last, dob, ssn)` of each candidate.
type Row = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// The names of the matching candidates, best first.
fn order(q: &str, rows: &[Row]) -> Vec<String> {
    let cands: Vec<Candidate> = rows
        .iter()
        .map(|(f, l, dob, ssn)| Candidate {
            first: f,
            middle: None,
            last: l,
            dob: dob.and_then(d),
            ssn: *ssn,
        })
        .collect();
    rank(&Probe::parse(q), &cands)
        .into_iter()
        .map(|(i, _)| format!("{} {}", rows[i].0, rows[i].1))
        .collect()
}

/// One case: the query, the candidates (in the index's order), the expected order of matches.
fn check(q: &str, rows: &[Row], expected: &[&str]) {
    assert_eq!(order(q, rows), expected, "query {q:?}");
}

const PEOPLE: &[Row] = &[
    ("Johanna", "Smithers", None, None),
    ("James", "Smart", None, None),
    ("John", "Smith", None, None),
    ("Jon", "Snow", None, None),
    ("Mary", "Smith", None, None),
];

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p4_a_misspelt_first_and_last_name_ranks_the_right_person_first() {
    let got = order("Jon Smyth", PEOPLE);
    assert_eq!(got[0], "John Smith", "{got:?}");
    // Only one word of "Mary Smith" is close: not a match.
    check("Jhon Smtih", PEOPLE, &["John Smith"]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p4_swapped_first_and_last_names_still_rank_the_person_first() {
    let got = order("Smith John", PEOPLE);
    assert_eq!(got[0], "John Smith", "{got:?}");
    let got = order("Smyth, Jon", PEOPLE);
    assert_eq!(got[0], "John Smith", "{got:?}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p4_a_common_form_of_a_first_name_finds_the_full_name() {
    let rows: &[Row] = &[
        ("Wilma", "Jones", None, None),
        ("William", "Jones", None, None),
        ("Robert", "Jones", None, None),
    ];
    // The others match by the last name only, equally, in the index's order.
    check(
        "Bill Jones",
        rows,
        &["William Jones", "Wilma Jones", "Robert Jones"],
    );
    check(
        "Bob Jones",
        rows,
        &["Robert Jones", "Wilma Jones", "William Jones"],
    );
    let rows: &[Row] = &[
        ("Elizabeth", "Moore", None, None),
        ("Katherine", "Moore", None, None),
        ("Michael", "Moore", None, None),
    ];
    assert_eq!(order("Liz Moore", rows)[0], "Elizabeth Moore");
    assert_eq!(order("Kate Moore", rows)[0], "Katherine Moore");
    assert_eq!(order("Mike Moore", rows)[0], "Michael Moore");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p4_a_name_typed_without_its_accents_finds_the_accented_name() {
    let rows: &[Row] = &[
        ("Ana", "Núñez", None, None),
        ("José", "Nuñez", None, None),
        ("Ana", "Nunn", None, None),
    ];
    check("Nunez", rows, &["Ana Núñez", "José Nuñez"]);
    check("jose nunez", rows, &["José Nuñez", "Ana Núñez"]);
    assert_eq!(fold("Ñúñez-Çaldér"), "nunezcalder");
    assert_eq!(fold("Øystein Łukasz Œuvre"), "oysteinlukaszoeuvre");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p4_a_matching_date_of_birth_lifts_a_candidate() {
    let rows: &[Row] = &[
        ("John", "Smith", Some("1970-01-01"), None),
        ("John", "Smith", Some("1984-03-07"), None),
        ("Jon", "Smith", None, None),
    ];
    let got: Vec<usize> = rank(
        &Probe::parse("John Smith 1984-03-07"),
        &rows
            .iter()
            .map(|(f, l, dob, _)| Candidate {
                first: f,
                middle: None,
                last: l,
                dob: dob.and_then(d),
                ssn: None,
            })
            .collect::<Vec<_>>(),
    )
    .into_iter()
    .map(|(i, _)| i)
    .collect();
    assert_eq!(
        got,
        [1, 2, 0],
        "the same date first, unknown next, another last"
    );
    // Typed the American way, and with day and month swapped (a near miss beats another date).
    let p = Probe::parse("smith 03/07/1984");
    assert_eq!(p.dob, d("1984-03-07"));
    let swapped: &[Row] = &[
        ("John", "Smith", Some("1984-11-20"), None),
        ("John", "Smith", Some("1984-07-03"), None),
    ];
    let got = rank(
        &Probe::parse("John Smith 1984-03-07"),
        &swapped
            .iter()
            .map(|(f, l, dob, _)| Candidate {
                first: f,
                middle: None,
                last: l,
                dob: dob.and_then(d),
                ssn: None,
            })
            .collect::<Vec<_>>(),
    );
    assert_eq!(got[0].0, 1);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p4_an_exact_ssn_last_four_and_date_of_birth_beat_a_fuzzy_name() {
    let rows: &[Row] = &[
        ("Maria", "Lopes", Some("1990-05-05"), Some("XXXXX9999")),
        ("Maria", "Garcia", Some("1985-02-03"), Some("123454321")),
        ("Mario", "Lopez", None, None),
    ];
    check(
        "Maria Lopez 1985-02-03 4321",
        rows,
        &["Maria Garcia", "Mario Lopez", "Maria Lopes"],
    );
    let p = Probe::parse("Maria Lopez 1985-02-03 4321");
    assert_eq!(p.ssn4.as_deref(), Some("4321"));
    assert_eq!(p.words, ["maria", "lopez"]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p4_a_name_typed_in_part_finds_the_names_that_begin_with_it_and_not_others() {
    check(
        "smi",
        PEOPLE,
        &["Johanna Smithers", "John Smith", "Mary Smith"],
    );
    check("Zelda", PEOPLE, &[]);
    check("jo sm", PEOPLE, &["Johanna Smithers", "John Smith"]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn p4_the_index_keys_of_a_client_answer_the_lookups_of_a_misspelt_search() {
    // The server finds candidates by these keys: a search must find its person's keys.
    let keys = index_keys(&Candidate {
        first: "John",
        middle: None,
        last: "Núñez",
        dob: d("1984-03-07"),
        ssn: Some("123456789"),
    });
    let answers = |q: &KeyQuery| {
        keys.iter().any(|k| match q {
            KeyQuery::Exact(e) => k == e,
            KeyQuery::Prefix(p) => k.starts_with(p.as_str()),
        })
    };
    for q in ["Jon Nunez", "Nunes Jhon", "nu", "johnny núñez"] {
        let (per_word, _) = Probe::parse(q).key_queries();
        assert!(
            per_word.iter().all(|qs| qs.iter().any(answers)),
            "{q:?} finds the keys {keys:?}"
        );
    }
    let (_, alone) = Probe::parse("1984-03-07 6789").key_queries();
    assert!(alone.iter().all(answers), "{alone:?}");
    let (per_word, _) = Probe::parse("Zelda").key_queries();
    assert!(!per_word.iter().all(|qs| qs.iter().any(answers)));
}
