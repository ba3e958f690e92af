//! Dates and times as text, written without `core::fmt`. The text is exactly chrono's own; only
//! the writing is cheaper. Every profile and list carries a creation time per record, and chrono
//! writes each one through `core::fmt` piece by piece, which was a measurable share of a profile
//! read (`docs/decisions.md`, "Profile hot path, third pass"). Years outside 0–9999 and leap seconds take
//! chrono's own path.

use chrono::{Datelike, NaiveDateTime, Timelike};

/// Room for the longest fast-path text: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn` (29 bytes).
const CAP: usize = 32;

/// A date and time written out; `as_str` gives the text.
pub struct Written {
    buf: [u8; CAP],
    len: usize,
    slow: Option<String>,
}

impl Written {
    pub fn as_str(&self) -> &str {
        match &self.slow {
            Some(s) => s,
            // Only ASCII digits and separators are ever written to `buf`.
            None => std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default(),
        }
    }
}

/// How the fraction of a second is written.
#[derive(Clone, Copy)]
enum Fraction {
    /// As chrono's ISO 8601 form (`Debug`, and so its serde form): none when zero, else 3, 6 or 9
    /// digits, the fewest that keep every nonzero digit.
    Shortest,
    /// Always six digits (microseconds, truncated), as `%.6f`.
    Micros,
}

fn write(t: &NaiveDateTime, separator: u8, fraction: Fraction) -> Option<Written> {
    let year = t.year();
    let nano = t.nanosecond();
    if !(0..=9999).contains(&year) || nano >= 1_000_000_000 {
        return None;
    }
    let mut w = Written {
        buf: [0; CAP],
        len: 0,
        slow: None,
    };
    let mut put = |digits: u32, mut value: u32| {
        for i in (0..digits as usize).rev() {
            w.buf[w.len + i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
        w.len += digits as usize;
    };
    put(4, year as u32);
    put(1, 0);
    put(2, t.month());
    put(1, 0);
    put(2, t.day());
    put(1, 0);
    put(2, t.hour());
    put(1, 0);
    put(2, t.minute());
    put(1, 0);
    put(2, t.second());
    let digits = match fraction {
        Fraction::Micros => 6,
        Fraction::Shortest if nano == 0 => 0,
        Fraction::Shortest if nano.is_multiple_of(1_000_000) => 3,
        Fraction::Shortest if nano.is_multiple_of(1_000) => 6,
        Fraction::Shortest => 9,
    };
    if digits > 0 {
        put(1, 0);
        put(digits, nano / 10u32.pow(9 - digits));
    }
    // The separators, over the placeholders written above.
    for (at, byte) in [
        (4, b'-'),
        (7, b'-'),
        (10, separator),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ] {
        if at < w.len {
            w.buf[at] = byte;
        }
    }
    Some(w)
}

/// `2026-11-22T07:17:50.123`: chrono's ISO 8601 text, the one its serde form uses.
pub fn iso(t: &NaiveDateTime) -> Written {
    write(t, b'T', Fraction::Shortest).unwrap_or_else(|| Written {
        buf: [0; CAP],
        len: 0,
        slow: Some(format!("{t:?}")),
    })
}

/// `2026-11-22 07:17:50.123000`: `format("%Y-%m-%d %H:%M:%S%.6f")`.
pub fn with_micros(t: &NaiveDateTime) -> Written {
    write(t, b' ', Fraction::Micros).unwrap_or_else(|| Written {
        buf: [0; CAP],
        len: 0,
        slow: Some(t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()),
    })
}

/// For `#[serde(serialize_with = "crate::timefmt::serialize")]`: the same text as chrono's
/// `Serialize` (and so read back by its `Deserialize`).
pub fn serialize<S: serde::Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(iso(t).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nano: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_nano_opt(h, mi, s, nano)
            .unwrap()
    }

    #[test]
    fn the_text_is_chronos_for_every_kind_of_fraction_and_the_edges() {
        let nanos = [
            0,
            1,
            999,
            1_000,
            120_000,
            123_456,
            1_000_000,
            500_000_000,
            123_456_789,
            999_999_999,
            1_500_000_000, // a leap second
        ];
        for (y, mo, d) in [
            (0, 1, 1),
            (9, 2, 3),
            (1999, 12, 31),
            (2026, 11, 22),
            (9999, 12, 31),
        ] {
            for nano in nanos {
                let t = at(y, mo, d, 23, 59, 59, nano);
                assert_eq!(iso(&t).as_str(), format!("{t:?}"));
                assert_eq!(
                    with_micros(&t).as_str(),
                    t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
                );
            }
        }
        // A sweep over four centuries, every field and fraction length.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = at(
                1900 + (x % 400) as i32,
                1 + (x >> 9) as u32 % 12,
                1 + (x >> 13) as u32 % 28,
                (x >> 18) as u32 % 24,
                (x >> 23) as u32 % 60,
                (x >> 29) as u32 % 60,
                [0, 1_000_000, 1_000, 1][(x >> 35) as usize % 4] * ((x >> 37) as u32 % 1_000),
            );
            assert_eq!(iso(&t).as_str(), format!("{t:?}"));
            assert_eq!(
                with_micros(&t).as_str(),
                t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
            );
        }
        for y in [-1, -44, 10_000, 262_000] {
            let t = at(y, 6, 7, 1, 2, 3, 4_000);
            assert_eq!(iso(&t).as_str(), format!("{t:?}"));
            assert_eq!(
                with_micros(&t).as_str(),
                t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
            );
        }
    }

    #[test]
    fn the_serde_form_is_chronos_and_reads_back() {
        let t = at(2026, 1, 2, 3, 4, 5, 6_000_000);
        #[derive(serde::Serialize)]
        struct Ours(#[serde(serialize_with = "serialize")] NaiveDateTime);
        let ours = serde_json::to_string(&Ours(t)).unwrap();
        assert_eq!(ours, serde_json::to_string(&t).unwrap());
        assert_eq!(serde_json::from_str::<NaiveDateTime>(&ours).unwrap(), t);
    }
}
