//! Decimal text to the nearest `f64`, correctly rounded, with Rust's grammar
//! (`f64::from_str`: optional sign, `inf`/`infinity`/`nan` in any case,
//! `1.`, `.5`, exponents). Core's own parser carries a 10 KB table of powers
//! of five, incompressible, a fifth of what the page's wasm gzips to; this
//! one answers the common case (up to 2^53 times at most 10^22) with one exact
//! division or product, as core does, and the rest with a small big-integer
//! quotient. Tests hold it to `f64::from_str` on hard and random inputs.

/// Digits kept: more than the 767 significant digits a double's rounding can
/// depend on; the rest only says "a little more" (a trailing nonzero digit).
const MAX_DIGITS: usize = 800;

/// Exact powers of ten as doubles (10^22 is the last one `f64` holds exactly).
const POW10: [f64; 23] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/// `text` as `f64::from_str` reads it; `None` where that is an error.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let magnitude = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        parse_decimal(body.as_bytes())?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `digits[.digits][e[+-]digits]`, unsigned.
fn parse_decimal(s: &[u8]) -> Option<f64> {
    let mut digits: Vec<u8> = Vec::new();
    let mut exp10: i64 = 0;
    let mut truncated = false;
    let mut seen_digit = false;
    let mut i = 0;
    let mut in_fraction = false;
    while let Some(&b) = s.get(i) {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                if in_fraction {
                    exp10 -= 1;
                }
                if digits.is_empty() && b == b'0' {
                    // Leading zeros are not significant.
                } else if digits.len() < MAX_DIGITS {
                    digits.push(b - b'0');
                } else {
                    truncated |= b != b'0';
                    exp10 += 1;
                }
            }
            b'.' if !in_fraction => in_fraction = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(b'e' | b'E') = s.get(i) {
        i += 1;
        let negative = match s.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while let Some(&b @ b'0'..=b'9') = s.get(i) {
            e = (e * 10 + i64::from(b - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += if negative { -e } else { e };
    }
    if i != s.len() {
        return None;
    }
    if truncated {
        // Past the kept digits: "a little more" as one nonzero digit.
        digits.push(1);
        exp10 -= 1;
    }
    // Trailing zeros of the kept digits only scale.
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    let magnitude = exp10 + digits.len() as i64; // the value is below 10^magnitude, at least 10^(magnitude-1)
    if magnitude > 310 {
        return Some(f64::INFINITY);
    }
    if magnitude < -330 {
        return Some(0.0);
    }
    if digits.len() <= 15 {
        let m = digits.iter().fold(0u64, |m, d| m * 10 + u64::from(*d));
        // Both exact, so the one rounding is the operation's (Clinger's fast path).
        let m = m as f64;
        if let Ok(e) = usize::try_from(exp10) {
            if let Some(p) = POW10.get(e) {
                return Some(m * p);
            }
        } else if let Some(p) = usize::try_from(-exp10).ok().and_then(|e| POW10.get(e)) {
            return Some(m / p);
        }
    }
    Some(slow_path(&digits, exp10))
}

/// `digits × 10^exp10` rounded to nearest, ties to even, by an exact quotient.
fn slow_path(digits: &[u8], exp10: i64) -> f64 {
    let mut num = Big::from_digits(digits);
    let mut den = Big::one();
    if exp10 >= 0 {
        num.mul_pow10(exp10.unsigned_abs());
    } else {
        den.mul_pow10(exp10.unsigned_abs());
    }
    // Scale so the quotient has 56 or 57 bits: more than the 53 kept, for the
    // rounding bit, with the remainder as the sticky bit.
    let shift = 56 + den.bits() as i64 - num.bits() as i64;
    if shift >= 0 {
        num.shl(shift.unsigned_abs());
    } else {
        den.shl(shift.unsigned_abs());
    }
    let mut q: u64 = 0;
    for bit in (0..58).rev() {
        let mut d = den.clone();
        d.shl(bit);
        if num.cmp(&d) != std::cmp::Ordering::Less {
            num.sub(&d);
            q |= 1 << bit;
        }
    }
    round(q, !num.is_zero(), shift)
}

/// `q × 2^-shift` (plus a little when `sticky`) to the nearest double.
fn round(q: u64, sticky: bool, shift: i64) -> f64 {
    let bits = i64::from(64 - q.leading_zeros());
    let top = bits - 1 - shift; // the exponent of q's highest bit
    if top > 1023 {
        return f64::INFINITY;
    }
    // Bits the result can hold: 53, fewer below the normal range.
    let precision = (top + 1075).min(53);
    if precision < 0 {
        return 0.0;
    }
    let drop = (bits - precision) as u32; // 1..=57: q has more bits than any precision
    let mut m = q.checked_shr(drop).unwrap_or(0);
    let half = (q >> (drop - 1)) & 1 == 1;
    let rest = sticky || q & ((1u64 << (drop - 1)) - 1) != 0;
    if half && (rest || m & 1 == 1) {
        m += 1;
    }
    let exp2 = top - precision + 1;
    scale(m as f64, exp2)
}

/// `x × 2^e`, exact when the result is representable: the first factor keeps
/// `x` normal, the second is a power of two a double holds.
fn scale(x: f64, e: i64) -> f64 {
    let pow2 = |e: i64| f64::from_bits(((e + 1023) as u64) << 52);
    if e < -1022 {
        x * pow2(-1022) * pow2(e + 1022)
    } else if e > 1023 {
        x * pow2(1023) * pow2((e - 1023).min(1023))
    } else {
        x * pow2(e)
    }
}

/// A non-negative big integer, 32-bit limbs, least significant first.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn one() -> Big {
        Big(vec![1])
    }

    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(Vec::with_capacity(digits.len() / 9 + 1));
        for chunk in digits.chunks(9) {
            let mut scale = 1u32;
            let mut add = 0u32;
            for d in chunk {
                scale *= 10;
                add = add * 10 + u32::from(*d);
            }
            b.mul_add(scale, add);
        }
        b
    }

    fn mul_add(&mut self, m: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut e: u64) {
        while e >= 9 {
            self.mul_add(1_000_000_000, 0);
            e -= 9;
        }
        let rest = (0..e).fold(1u32, |p, _| p * 10);
        self.mul_add(rest, 0);
    }

    fn bits(&self) -> u64 {
        match self.0.iter().rposition(|l| *l != 0) {
            Some(i) => i as u64 * 32 + u64::from(32 - self.0.get(i).map_or(0, |l| l.leading_zeros())),
            None => 0,
        }
    }

    fn shl(&mut self, n: u64) {
        let limbs = (n / 32) as usize;
        let bits = (n % 32) as u32;
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        let len = self.0.len().max(other.0.len());
        for i in (0..len).rev() {
            let (a, b) = (self.0.get(i).copied().unwrap_or(0), other.0.get(i).copied().unwrap_or(0));
            if a != b {
                return a.cmp(&b);
            }
        }
        std::cmp::Ordering::Equal
    }

    /// `self -= other`; `other` is not larger.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(v < 0);
            *limb = (v + (borrow << 32)) as u32;
        }
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|l| *l == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_core(text: &str) {
        let want = text.parse::<f64>().ok();
        let got = parse_f64(text);
        assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{text}: {got:?} vs {want:?}");
    }

    #[test]
    fn grammar_and_specials_as_from_str() {
        for text in [
            "", "+", "-", ".", "e5", "1e", "1e+", "1.", ".5", "+.5e-3", "01", "1_0", " 1", "1 ", "inf", "-INF", "Infinity", "+infinity", "nan", "-NaN",
            "infx", "1.2.3", "1e5.5", "0", "-0", "0e999999999999", "1e999999999999", "1e-999999999999", "00000.0000", "12", "1.5", "2.50",
        ] {
            let want = text.parse::<f64>().ok();
            let got = parse_f64(text);
            assert_eq!(got.map(|f| (f.is_nan(), if f.is_nan() { 0 } else { f.to_bits() })), want.map(|f| (f.is_nan(), if f.is_nan() { 0 } else { f.to_bits() })), "{text:?}");
        }
    }

    #[test]
    fn hard_roundings_as_from_str() {
        for text in [
            "9007199254740993", "9007199254740995", "123456789012345678901", "2.2250738585072011e-308", "2.2250738585072012e-308", "1.7976931348623157e308",
            "1.7976931348623158e308", "1.7976931348623159e308", "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "7.4109846876186982e-324", "1e-400", "1e23", "8.98846567431158e307", "0.1", "0.3", "1e22", "1e-22", "3.0517578125e-5", "4.35679e-310",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999",
        ] {
            same_as_core(text);
        }
        let long = format!("0.{}1e-300", "0".repeat(900));
        same_as_core(&long);
        same_as_core(&format!("{}e-900", "9".repeat(850)));
        same_as_core(&format!("1{}1e-850", "0".repeat(849)));
    }

    /// Random digits, lengths and exponents (seeded): every one as core reads it.
    #[test]
    fn random_as_from_str() {
        // The crate's own seeded generator (backoff's jitter): reproducible inputs.
        let mut rng = crate::backoff::SplitMix64::new(0x9e37_79b9_7f4a_7c15u64);
        let mut next = move || rng.next_u64();
        for _ in 0..40_000 {
            let len = 1 + (next() % 40) as usize;
            let digits: String = (0..len).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let point = (next() % (len as u64 + 1)) as usize;
            let exp = (next() % 700) as i64 - 350;
            let text = format!("{}.{}e{exp}", digits.get(..point).unwrap_or(""), digits.get(point..).unwrap_or(""));
            same_as_core(&text);
            // Any double's shortest text reads back as that double.
            let x = f64::from_bits(next() % 0x7fef_ffff_ffff_ffff);
            same_as_core(&format!("{x:e}"));
            // Its exact midpoint with the next double up, and just either side of it.
            let up = f64::from_bits(x.to_bits() + 1);
            let mid = format!("{:.800e}", (x / 2.0) + (up / 2.0));
            same_as_core(&mid);
        }
    }
}
