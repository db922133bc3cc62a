//! Epoch-millisecond instants as JS sees them, and `toISOString()` output.

use crate::error::{Error, ErrorKind, Result};
use crate::time::digits::push_digits;

/// JS `Date` holds instants within ±8.64e15 ms of the epoch (ECMA-262 TimeClip).
pub const MAX_EPOCH_MS: i64 = 8_640_000_000_000_000;

const MS_PER_DAY: i64 = 86_400_000;

/// Validates a JS number as an instant, the way `new Date(ms)` would clip it:
/// fractions truncate toward zero; NaN, ±Infinity and anything beyond ±8.64e15
/// are errors naming the argument.
pub fn epoch_ms_from_f64(name: &str, value: f64) -> Result<i64> {
    if !value.is_finite() {
        return Err(Error::new(ErrorKind::InvalidInstant, format!("{name} must be a finite epoch-ms number, got {}", js_number(value))));
    }
    let truncated = value.trunc();
    if truncated.abs() > MAX_EPOCH_MS as f64 {
        return Err(Error::new(
            ErrorKind::InvalidInstant,
            format!("{name} {} is outside the JS Date range (±8.64e15 ms)", js_number(value)),
        ));
    }
    // In range, so the cast is exact (|v| < 2^53).
    Ok(truncated as i64)
}

/// Formats a number for messages the way JS prints it: whole numbers as
/// integers, others shortest-round-trip with JS-style exponents (serde_json's
/// ryu; Rust's `{}` would spell 1e300 out in full).
pub(crate) fn js_number(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if value == value.trunc() && value.abs() < 9.0e18 {
        (value as i64).to_string()
    } else {
        serde_json::Number::from_f64(value).map_or_else(|| "NaN".to_string(), |n| n.to_string())
    }
}

/// Byte-identical to JS `new Date(ms).toISOString()`, including the six-digit
/// signed years JS uses outside 0000-9999. `ms` must already be in range.
pub fn to_iso_string(ms: i64) -> String {
    let mut out = String::with_capacity(27); // "+275760-09-13T00:00:00.000Z"
    push_iso_string(&mut out, ms);
    out
}

/// Appends `to_iso_string(ms)` (for texts that hold several).
pub fn push_iso_string(out: &mut String, ms: i64) {
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY).unsigned_abs();
    let (year, month, day) = civil_from_days(days);
    match u64::try_from(year) {
        Ok(y) if y <= 9999 => push_digits(out, y, 4),
        _ => {
            out.push(if year < 0 { '-' } else { '+' });
            push_digits(out, year.unsigned_abs(), 6);
        }
    }
    out.push('-');
    push_digits(out, month.into(), 2);
    out.push('-');
    push_digits(out, day.into(), 2);
    out.push('T');
    push_digits(out, in_day / 3_600_000, 2);
    out.push(':');
    push_digits(out, in_day / 60_000 % 60, 2);
    out.push(':');
    push_digits(out, in_day / 1000 % 60, 2);
    out.push('.');
    push_digits(out, in_day % 1000, 3);
    out.push('Z');
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
/// Howard Hinnant's `civil_from_days`, valid far beyond JS's range.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_matches_js() {
        assert_eq!(to_iso_string(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(to_iso_string(1_769_979_600_000), "2026-02-01T21:00:00.000Z");
        assert_eq!(to_iso_string(-1), "1969-12-31T23:59:59.999Z");
        // new Date(8.64e15).toISOString() / new Date(-8.64e15).toISOString()
        assert_eq!(to_iso_string(MAX_EPOCH_MS), "+275760-09-13T00:00:00.000Z");
        assert_eq!(to_iso_string(-MAX_EPOCH_MS), "-271821-04-20T00:00:00.000Z");
        // new Date(Date.UTC(10000,0,1)).toISOString()
        assert_eq!(to_iso_string(253_402_300_800_000), "+010000-01-01T00:00:00.000Z");
        // year 0 stays four digits in JS
        assert_eq!(to_iso_string(-62_167_219_200_000), "0000-01-01T00:00:00.000Z");
        assert_eq!(to_iso_string(-62_167_219_200_001), "-000001-12-31T23:59:59.999Z");
    }

    #[test]
    fn instants_are_validated() {
        assert_eq!(epoch_ms_from_f64("nowMs", 1.9), Ok(1));
        assert_eq!(epoch_ms_from_f64("nowMs", -1.9), Ok(-1));
        // new Date(-0.5), new Date(-0) and new Date(0.5) are all the epoch itself.
        assert_eq!(epoch_ms_from_f64("nowMs", -0.5), Ok(0));
        assert_eq!(epoch_ms_from_f64("nowMs", -0.0), Ok(0));
        assert_eq!(epoch_ms_from_f64("nowMs", 0.5), Ok(0));
        assert_eq!(epoch_ms_from_f64("nowMs", 8.64e15), Ok(MAX_EPOCH_MS));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 8.64e15 + 1.0, -8.64e15 - 1.0, 1e300] {
            let err = epoch_ms_from_f64("nowMs", bad).unwrap_err();
            assert!(err.message().starts_with("nowMs"), "{err}");
        }
        assert!(epoch_ms_from_f64("nowMs", f64::NAN).unwrap_err().message().contains("NaN"));
        assert_eq!(js_number(1e300), "1e+300");
        assert_eq!(js_number(1.5e-7), "1.5e-7");
        assert_eq!(js_number(-2.5), "-2.5");
        assert_eq!(js_number(8.64e15 + 2.0), "8640000000000002");
    }
}
