//! P-4 / S-1 client search: how well a client's tier-1 intake matches what a worker typed, and
//! the index keys that find the candidates to rank.
//!
//! A search is name words, optionally with a date of birth (`1984-03-07` or `03/07/1984`) and the
//! last four digits of an SSN (`4321`), in one line ([`Probe::parse`]). The name similarity
//! tolerates typos (optimal string alignment distance), swapped first and last names (each query
//! word is matched to the best remaining name word, in any order), the common forms of first
//! names (a small nickname table: "Jon" and "Johnny" are "John"), accents ("Nunez" is "Nuñez":
//! the Latin-1 and Latin Extended-A letters are folded by a table, no Unicode dependency), and a
//! word typed only in part (a prefix, for search as you type). A matching date of birth or SSN
//! last four lifts a candidate; a different one lowers it. The server and the app rank with the
//! same function ([`rank`]); the server finds the candidates by [`index_keys`] /
//! [`Probe::key_queries`] first, so a search reads a bounded number of rows at any size.

use chrono::NaiveDate;

/// What a worker typed, parsed: the name words (folded), the date of birth and the SSN's last
/// four digits when given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Probe {
    pub words: Vec<String>,
    pub dob: Option<NaiveDate>,
    pub ssn4: Option<String>,
}

/// One client as the ranking sees it: the tier-1 intake fields (S-1).
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub first: &'a str,
    pub middle: Option<&'a str>,
    pub last: &'a str,
    pub dob: Option<NaiveDate>,
    /// The stored SSN (nine digits, or `XXXXX` and the last four); only its last four are used.
    pub ssn: Option<&'a str>,
}

/// One lookup in the search index: a key equal to this text, or starting with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyQuery {
    Exact(String),
    Prefix(String),
}

/// At most this many name words are used (more are ignored, as before).
pub const MAX_WORDS: usize = 4;

/// A candidate below this score is not a match (a name about half similar, or a date of birth
/// and SSN last four that both agree).
pub const MIN_SCORE: i32 = 300;

impl Probe {
    /// Splits a search line into name words, a date of birth and an SSN's last four.
    pub fn parse(q: &str) -> Probe {
        let mut p = Probe::default();
        for raw in q.split(|c: char| c.is_whitespace() || c == ',') {
            if raw.is_empty() {
                continue;
            }
            if let Some(d) = parse_date(raw) {
                p.dob = Some(d);
                continue;
            }
            if raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit()) {
                p.ssn4 = Some(raw.to_owned());
                continue;
            }
            for w in words(raw) {
                if p.words.len() < MAX_WORDS {
                    p.words.push(w);
                }
            }
        }
        p
    }

    /// Whether there is anything to search for.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.dob.is_none() && self.ssn4.is_none()
    }

    /// The index lookups of each name word (a candidate must answer one lookup of every word),
    /// then those of the date of birth and the SSN last four (each finds candidates alone).
    pub fn key_queries(&self) -> (Vec<Vec<KeyQuery>>, Vec<KeyQuery>) {
        let per_word = self
            .words
            .iter()
            .map(|w| {
                let mut qs = vec![KeyQuery::Prefix(format!("n:{w}"))];
                for k in phonetic_keys(w) {
                    let q = KeyQuery::Exact(k);
                    if !qs.contains(&q) {
                        qs.push(q);
                    }
                }
                qs
            })
            .collect();
        let mut alone = Vec::new();
        if let Some(d) = self.dob {
            alone.push(KeyQuery::Exact(format!("b:{d}")));
        }
        if let Some(s) = &self.ssn4 {
            alone.push(KeyQuery::Exact(format!("s:{s}")));
        }
        (per_word, alone)
    }
}

/// The index keys of one client: each folded name word (`n:`), its phonetic key and its
/// nickname's (`p:`), the date of birth (`b:`) and the SSN's last four (`s:`). Sorted, no repeats.
pub fn index_keys(c: &Candidate<'_>) -> Vec<String> {
    let mut keys = Vec::new();
    for w in name_words(c) {
        keys.push(format!("n:{w}"));
        keys.extend(phonetic_keys(&w));
    }
    if let Some(d) = c.dob {
        keys.push(format!("b:{d}"));
    }
    if let Some(s) = c.ssn.and_then(last_four) {
        keys.push(format!("s:{s}"));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// How well `c` matches `p`: 600 for a name that matches fully, plus 250 for the same date of
/// birth (100 for a day and month swapped or one digit off) or minus 100 for another one, plus
/// 300 for the same SSN last four or minus 150 for others. Higher is better.
pub fn score(p: &Probe, c: &Candidate<'_>) -> i32 {
    let mut s = 0;
    if !p.words.is_empty() {
        s += (600.0 * name_similarity(&p.words, &name_words(c))).round() as i32;
    }
    if let (Some(want), Some(have)) = (p.dob, c.dob) {
        s += if want == have {
            250
        } else if near_date(want, have) {
            100
        } else {
            -100
        };
    }
    if let (Some(want), Some(have)) = (&p.ssn4, c.ssn.and_then(last_four)) {
        s += if *want == have { 300 } else { -150 };
    }
    s
}

/// The candidates that match (score at least [`MIN_SCORE`]), best first, as indexes into
/// `candidates`. Equal scores keep the order of `candidates` (the caller's stable order).
pub fn rank(p: &Probe, candidates: &[Candidate<'_>]) -> Vec<(usize, i32)> {
    let mut scored: Vec<(usize, i32)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (i, score(p, c)))
        .filter(|&(_, s)| s >= MIN_SCORE)
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

fn name_words(c: &Candidate<'_>) -> Vec<String> {
    let mut ws = words(c.first);
    if let Some(m) = c.middle {
        ws.extend(words(m));
    }
    ws.extend(words(c.last));
    ws
}

/// The words of a name, folded: lower case, accents removed, letters and digits only
/// ("O'Brien-Nuñez" is `obrien`, `nunez`).
pub fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == '-' || c == ',' || c == '.')
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Lower case, with the Latin-1 and Latin Extended-A letters folded to ASCII and everything but
/// letters and digits dropped.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if let Some(f) = fold_char(ch) {
            out.push_str(f);
        } else if ch.is_alphanumeric() {
            out.push(ch);
        }
    }
    out
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ð' | 'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ß' => "ss",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Common forms of first names and the name they stand for (a small table; any CoC's list
/// would be longer). Both sides folded.
const NICKNAMES: &[(&str, &str)] = &[
    ("abby", "abigail"),
    ("alex", "alexander"),
    ("andy", "andrew"),
    ("barb", "barbara"),
    ("becky", "rebecca"),
    ("ben", "benjamin"),
    ("beth", "elizabeth"),
    ("betty", "elizabeth"),
    ("bill", "william"),
    ("billy", "william"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("catherine", "katherine"),
    ("cathy", "katherine"),
    ("charlie", "charles"),
    ("chris", "christopher"),
    ("chuck", "charles"),
    ("chuy", "jesus"),
    ("cindy", "cynthia"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("dave", "david"),
    ("deb", "deborah"),
    ("debbie", "deborah"),
    ("dick", "richard"),
    ("ed", "edward"),
    ("eddie", "edward"),
    ("greg", "gregory"),
    ("hank", "henry"),
    ("harry", "henry"),
    ("jack", "john"),
    ("jamie", "james"),
    ("jen", "jennifer"),
    ("jenny", "jennifer"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("joe", "joseph"),
    ("joey", "joseph"),
    ("johnny", "john"),
    ("jon", "john"),
    ("kate", "katherine"),
    ("kathryn", "katherine"),
    ("kathy", "katherine"),
    ("katie", "katherine"),
    ("larry", "lawrence"),
    ("liz", "elizabeth"),
    ("lizzie", "elizabeth"),
    ("lupe", "guadalupe"),
    ("maggie", "margaret"),
    ("matt", "matthew"),
    ("meg", "margaret"),
    ("mike", "michael"),
    ("mikey", "michael"),
    ("nick", "nicholas"),
    ("paco", "francisco"),
    ("peggy", "margaret"),
    ("pepe", "jose"),
    ("pete", "peter"),
    ("rich", "richard"),
    ("rick", "richard"),
    ("rob", "robert"),
    ("sally", "sarah"),
    ("sam", "samuel"),
    ("sara", "sarah"),
    ("stephen", "steven"),
    ("steve", "steven"),
    ("sue", "susan"),
    ("ted", "edward"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("tony", "anthony"),
    ("will", "william"),
];

/// The name a common form stands for, if the table has it.
pub fn nickname_of(word: &str) -> Option<&'static str> {
    NICKNAMES
        .binary_search_by(|(n, _)| (*n).cmp(word))
        .ok()
        .map(|i| NICKNAMES[i].1)
}

/// The name a word is compared as: its nickname's full form, else itself.
fn canonical(word: &str) -> &str {
    nickname_of(word).unwrap_or(word)
}

/// The phonetic keys of a folded word (`p:` + Soundex), of the word itself when it has four
/// letters or more (shorter ones are usually a prefix being typed) and of its nickname's full
/// form.
fn phonetic_keys(w: &str) -> Vec<String> {
    let mut keys = Vec::new();
    if w.chars().count() >= 4 {
        if let Some(k) = soundex(w) {
            keys.push(format!("p:{k}"));
        }
    }
    if let Some(full) = nickname_of(w) {
        if let Some(k) = soundex(full) {
            let k = format!("p:{k}");
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// American Soundex of a folded word (letters only; `None` without a leading letter).
pub fn soundex(w: &str) -> Option<String> {
    let code = |c: char| match c {
        'b' | 'f' | 'p' | 'v' => Some('1'),
        'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => Some('2'),
        'd' | 't' => Some('3'),
        'l' => Some('4'),
        'm' | 'n' => Some('5'),
        'r' => Some('6'),
        _ => None,
    };
    let mut letters = w.chars().filter(char::is_ascii_lowercase);
    let first = letters.next()?;
    let mut out = String::from(first.to_ascii_uppercase());
    let mut last = code(first);
    for c in letters {
        let k = code(c);
        if k.is_some() && k != last {
            out.push(k.unwrap_or('0'));
            if out.len() == 4 {
                break;
            }
        }
        // H and W do not separate equal codes; vowels do.
        if c != 'h' && c != 'w' {
            last = k;
        }
    }
    while out.len() < 4 {
        out.push('0');
    }
    Some(out)
}

/// Similarity of two folded words, 0 to 1: equal 1; the same name by the nickname table 0.9; a
/// query word that begins the name word 0.85 (typed in part); else one minus the edit distance
/// over the longer length, with at most one edit per three letters (else 0).
pub fn word_similarity(query: &str, name: &str) -> f64 {
    if query == name {
        return 1.0;
    }
    if canonical(query) == canonical(name) {
        return 0.9;
    }
    if query.len() >= 2 && name.starts_with(query) {
        return 0.85;
    }
    let (a, b): (Vec<char>, Vec<char>) = (query.chars().collect(), name.chars().collect());
    let longest = a.len().max(b.len());
    let d = osa_distance(&a, &b);
    if d * 3 > longest {
        return 0.0;
    }
    let direct = 1.0 - d as f64 / longest as f64;
    // A typo in a nickname's full form ("Jhon" for "John" for "Jon") still counts.
    let (ca, cb): (Vec<char>, Vec<char>) = (
        canonical(query).chars().collect(),
        canonical(name).chars().collect(),
    );
    let cl = ca.len().max(cb.len());
    let dc = osa_distance(&ca, &cb);
    let via = if dc * 3 > cl {
        0.0
    } else {
        0.9 * (1.0 - dc as f64 / cl as f64)
    };
    direct.max(via)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours ("Smtih"), each one edit.
fn osa_distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// The similarity of the query words to a client's name words: each query word takes the best
/// remaining name word (in any order, so swapped first and last names match), and the result is
/// their average; a full name whose words come in the client's order gains a little.
fn name_similarity(query: &[String], name: &[String]) -> f64 {
    if query.is_empty() || name.is_empty() {
        return 0.0;
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, q) in query.iter().enumerate() {
        for (j, n) in name.iter().enumerate() {
            let s = word_similarity(q, n);
            if s > 0.0 {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_q, mut used_n) = (vec![false; query.len()], vec![false; name.len()]);
    let mut total = 0.0;
    let mut order: Vec<(usize, usize)> = Vec::new();
    for (s, i, j) in pairs {
        if !used_q[i] && !used_n[j] {
            used_q[i] = true;
            used_n[j] = true;
            total += s;
            order.push((i, j));
        }
    }
    let mut sim = total / query.len() as f64;
    order.sort();
    if order.len() >= 2 && order.windows(2).all(|w| w[0].1 < w[1].1) {
        sim = (sim + 0.02).min(1.0);
    }
    sim
}

fn last_four(ssn: &str) -> Option<String> {
    let digits: Vec<char> = ssn.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 4).then(|| digits[digits.len() - 4..].iter().collect())
}

/// A date typed as `YYYY-MM-DD` or `MM/DD/YYYY`.
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%m/%d/%Y"))
        .ok()
}

/// Dates one slip apart: day and month swapped, or the same but for one of year, month or day.
fn near_date(a: NaiveDate, b: NaiveDate) -> bool {
    use chrono::Datelike;
    let swapped = a.year() == b.year() && a.month() == b.day() && a.day() == b.month();
    let same = [
        a.year() == b.year(),
        a.month() == b.month(),
        a.day() == b.day(),
    ];
    swapped || same.iter().filter(|s| **s).count() == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p4_the_nickname_table_is_sorted_so_every_form_is_found() {
        assert!(NICKNAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NICKNAMES.iter().all(|(n, _)| nickname_of(n).is_some()));
        assert_eq!(soundex("smith"), soundex("smyth"));
        assert_eq!(soundex("robert").as_deref(), Some("R163"));
        assert_eq!(soundex("ashcraft").as_deref(), Some("A261"));
    }
}
