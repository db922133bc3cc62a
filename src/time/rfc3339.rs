//! RFC 3339 instants (`2026-02-01T21:00:00.000Z`, `...+03:00`) to epoch ms,
//! accepting exactly what `chrono::DateTime::parse_from_rfc3339` accepts (a
//! test holds the two together): `T`, `t` or a space between date and time,
//! a leap second `:60`, any number of fraction digits (past nine ignored),
//! `Z`/`z` or `±HH:MM` (also U+2212 `−`) below 24 hours. chrono's parser and
//! its scanners were ~1.5 KB gzip of the page's wasm for this one call.

use super::civil::{days_from_civil, month_len};

/// Epoch milliseconds of the instant, or `None` where chrono's parser fails.
pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| i64::from(c - b'0'));
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    if b.len() < 19 {
        return None;
    }
    let year = two(0)? * 100 + two(2)?;
    let month = two(5)?;
    let day = two(8)?;
    let fixed_ok = b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') && matches!(b.get(10), Some(b'T' | b't' | b' ')) && b.get(13) == Some(&b':') && b.get(16) == Some(&b':');
    if !fixed_ok || !(1..=12).contains(&month) || day < 1 || day > i64::from(month_len(year, month as u32)) {
        return None;
    }
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    // A leap second reads as the last second plus one second of fraction.
    let (second, mut nanos) = if second == 60 { (59, 1_000_000_000) } else { (second, 0) };
    let mut rest = text.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let kept = fraction.get(..digits.min(9))?;
        let value: i64 = kept.bytes().fold(0, |v, c| v * 10 + i64::from(c - b'0'));
        nanos += value * 10i64.pow(9 - kept.len() as u32);
        rest = fraction.get(digits..)?;
    }
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    let offset_secs = offset(rest)?;
    let local_secs = days_from_civil(year, month as u32, day as u32) * 86_400 + hour * 3_600 + minute * 60 + second;
    Some((local_secs - offset_secs) * 1_000 + nanos / 1_000_000)
}

/// `Z`, `z`, or a sign and `HH:MM` ending the text; seconds east of UTC.
fn offset(text: &str) -> Option<i64> {
    if text == "Z" || text == "z" {
        return Some(0);
    }
    let (negative, hm) = if let Some(r) = text.strip_prefix('+') {
        (false, r)
    } else if let Some(r) = text.strip_prefix('-').or_else(|| text.strip_prefix('\u{2212}')) {
        (true, r)
    } else {
        return None;
    };
    let b = hm.as_bytes();
    let d = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| i64::from(c - b'0'));
    if b.len() != 5 || b.get(2) != Some(&b':') || !matches!(b.get(3), Some(b'0'..=b'5')) {
        return None;
    }
    let secs = (d(0)? * 10 + d(1)?) * 3_600 + (d(3)? * 10 + d(4)?) * 60;
    (secs < 86_400).then_some(if negative { -secs } else { secs })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn chrono_ms(text: &str) -> Option<i64> {
        chrono::DateTime::parse_from_rfc3339(text).ok().map(|d| d.timestamp_millis())
    }

    #[test]
    fn same_as_chrono_on_cases() {
        for text in [
            "2026-02-01T21:00:00.000Z", "2026-02-01t21:00:00z", "2026-02-01 21:00:00+00:00", "2026-02-02T00:00:00+03:00", "2026-02-01T21:00:00-03:30",
            "2026-02-01T21:00:00\u{2212}03:30", "2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5Z", "2016-12-31T23:58:60Z", "2026-02-01T21:00:00.1234567891234Z",
            "2026-02-01T21:00:00.Z", "2026-02-01T21:00:00", "2026-02-01T21:00:00+00", "2026-02-01T21:00:00+0000", "2026-02-01T21:00:00+24:00",
            "2026-02-01T21:00:00+23:59", "2026-02-01T21:00:00+99:00", "2026-02-01T21:00:00+00:60", "2026-02-01T21:00:00+00:5x", "2026-02-29T00:00:00Z",
            "2024-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
            "2026-02-01T24:00:00Z", "2026-02-01T23:60:00Z", "2026-02-01T21:00:61Z", "2026-02-01X21:00:00Z", "+2026-02-01T21:00:00Z", "2026-02-01T21:00:00Zx",
            "2026-02-01T21:00:00.5+01:00", "2026-02-01T21:00:00.5 +01:00", "", "2026-02-01", "２０２6-02-01T21:00:00Z", "2026-02-01T21:00:00.9999999999Z",
        ] {
            assert_eq!(parse_rfc3339_ms(text), chrono_ms(text), "{text:?}");
        }
    }

    /// Seeded mutations of valid instants (a byte replaced, cut or added): every one as chrono reads it.
    #[test]
    fn same_as_chrono_on_mutations() {
        // The crate's own seeded generator (backoff's jitter): reproducible inputs.
        let mut rng = crate::backoff::SplitMix64::new(0xdead_beef_cafe_f00du64);
        let mut next = move || rng.next_u64();
        let alphabet = b"0123456789-:T tzZ+.5169";
        for _ in 0..60_000 {
            let base = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{}",
                next() % 10_000,
                next() % 14,
                next() % 33,
                next() % 26,
                next() % 62,
                next() % 62,
                [".", ".123", ".123456789012", ""][(next() % 4) as usize],
                ["Z", "+03:00", "-12:45", "+23:59", "-24:00", "+05", ""][(next() % 7) as usize]
            );
            let mut bytes = base.into_bytes();
            match next() % 4 {
                0 => {}
                1 => {
                    let i = (next() as usize) % bytes.len();
                    bytes[i] = alphabet[(next() as usize) % alphabet.len()];
                }
                2 => bytes.truncate((next() as usize) % bytes.len()),
                _ => bytes.insert((next() as usize) % bytes.len(), alphabet[(next() as usize) % alphabet.len()]),
            }
            let text = String::from_utf8(bytes).unwrap();
            assert_eq!(parse_rfc3339_ms(&text), chrono_ms(&text), "{text:?}");
        }
    }
}
