//! A JSON number's text as the value it stands for: an integer when it is
//! written as one and fits (u64, or a nonzero i64), else a double, the same
//! split serde_json made, so every number keeps the type it had before.

/// A checked JSON number (its text came from [`super::Reader::read_number`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Unsigned(u64),
    Negative(i64),
    Double(f64),
}

impl Number {
    /// `None` for a double outside f64's range (`1e400`): JSON cannot carry infinity.
    pub fn of_text(text: &str) -> Option<Number> {
        let integral = !text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'));
        if integral {
            if let Some(digits) = text.strip_prefix('-') {
                // -0 stays a double (-0.0), as in JS.
                if let Ok(n) = digits.parse::<u64>() {
                    if n != 0 {
                        if let Some(neg) = 0i64.checked_sub_unsigned(n) {
                            return Some(Number::Negative(neg));
                        }
                    }
                }
            } else if let Ok(n) = text.parse::<u64>() {
                return Some(Number::Unsigned(n));
            }
        }
        super::decimal::parse_f64(text).filter(|f| f.is_finite()).map(Number::Double)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_stay_integers_and_the_rest_are_doubles() {
        assert_eq!(Number::of_text("0"), Some(Number::Unsigned(0)));
        assert_eq!(Number::of_text("18446744073709551615"), Some(Number::Unsigned(u64::MAX)));
        assert_eq!(Number::of_text("18446744073709551616"), Some(Number::Double(18446744073709551616.0)));
        assert_eq!(Number::of_text("-9223372036854775808"), Some(Number::Negative(i64::MIN)));
        assert_eq!(Number::of_text("-9223372036854775809"), Some(Number::Double(-9223372036854775809.0)));
        assert!(matches!(Number::of_text("-0"), Some(Number::Double(z)) if z == 0.0 && z.is_sign_negative()));
        assert_eq!(Number::of_text("1.5e3"), Some(Number::Double(1500.0)));
        assert_eq!(Number::of_text("1e400"), None);
        assert_eq!(Number::of_text("1e-400"), Some(Number::Double(0.0)));
    }
}
