//! Strict `YYYY-MM-DD` date keys. The original split on `-` and used
//! `Number()`, so `2026-02-30` became March 2 and `2026-2-3` passed; here a key
//! is exactly ten ASCII bytes naming a real calendar day.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, ErrorKind, Result};
use crate::text::truncate;
use crate::time::digits::{push_digits, push_int};

/// Parses a strict `YYYY-MM-DD` key (years 0000-9999).
pub fn parse_date_key(key: &str) -> Result<NaiveDate> {
    let bad = |why: &str| {
        Error::new(ErrorKind::InvalidDateKey, format!("invalid date key '{}': {why}", truncate(key, 40)))
    };
    if key.is_empty() {
        return Err(Error::new(ErrorKind::InvalidDateKey, "invalid date key '': expected 'YYYY-MM-DD'"));
    }
    let bytes = key.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if !shape_ok {
        return Err(bad("expected 'YYYY-MM-DD' (zero-padded, nothing before or after)"));
    }
    let num = |range: std::ops::Range<usize>| -> u32 {
        bytes.get(range).unwrap_or_default().iter().fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    if !(1..=12).contains(&month) {
        return Err(bad("month must be 01-12"));
    }
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| bad("no such day in that month"))
}

/// Formats a date as its key. Callers keep years within 0000-9999.
pub fn format_date_key(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_date_key(&mut out, date);
    out
}

/// Appends a date's key (`format_date_key` without the allocation).
pub fn push_date_key(out: &mut String, date: NaiveDate) {
    match u64::try_from(date.year()) {
        Ok(year) if year <= 9999 => push_digits(out, year, 4),
        // Not a key (callers exclude these), but never a wrong date either.
        _ => push_int(out, date.year().into()),
    }
    out.push('-');
    push_digits(out, date.month().into(), 2);
    out.push('-');
    push_digits(out, date.day().into(), 2);
}

/// True when the date can be written as a four-digit-year key.
pub fn is_keyable(date: NaiveDate) -> bool {
    (0..=9999).contains(&date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_days() {
        let d = parse_date_key("2024-02-29").unwrap();
        assert_eq!(format_date_key(d), "2024-02-29");
        assert_eq!(format_date_key(parse_date_key("0000-01-01").unwrap()), "0000-01-01");
        assert_eq!(format_date_key(parse_date_key("9999-12-31").unwrap()), "9999-12-31");
    }

    #[test]
    fn rejects_what_number_split_accepted() {
        for key in ["2026-02-30", "2026-2-3", "20260203", "2026-02-03T00:00", "", "2025-02-29", "2026-13-01", "2026-00-10", "2026-01-00", " 2026-01-01", "2026-01-01 ", "+2026-01-1", "２０２６-01-01"] {
            let err = parse_date_key(key).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidDateKey, "{key}");
            assert!(err.message().contains(&format!("'{key}'")), "{key}: {err}");
        }
    }
}
