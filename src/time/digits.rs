//! Decimal digits appended straight to a `String`. The ISO and key
//! formatters run for every day range and every RPC parameter; in wasm,
//! `format!` (core::fmt's dynamic dispatch and padding logic, two
//! allocations per ISO string) cost more than the calendar arithmetic itself.

/// Appends `value` as exactly `width` digits, zero-padded (`value < 10^width`).
pub(crate) fn push_digits(out: &mut String, value: u64, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u64.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Appends a whole number as JS prints it: `-` for negatives, no padding.
pub(crate) fn push_int(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    let magnitude = value.unsigned_abs();
    let mut width = 1;
    while width < 20 && magnitude >= 10u64.pow(width) {
        width += 1;
    }
    push_digits(out, magnitude, width);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: i64) -> String {
        let mut s = String::new();
        push_int(&mut s, v);
        s
    }

    #[test]
    fn digits_match_format() {
        for v in [0i64, 1, -1, 9, 10, 99, 100, 1_769_979_600_000, -8_640_000_000_000_000, i64::MAX, i64::MIN] {
            assert_eq!(int(v), v.to_string());
        }
        let mut s = String::new();
        push_digits(&mut s, 7, 4);
        push_digits(&mut s, 275_760, 6);
        assert_eq!(s, "0007275760");
    }
}
