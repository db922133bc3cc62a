//! The payload limits, applied in one place for every path a payload can
//! take (one text, a batch of texts, a value serialized by a test): at most
//! `MAX_PAYLOAD_BYTES` of JSON text, nested at most `MAX_PAYLOAD_DEPTH`
//! levels. Both are checked on the text before it is parsed, by one linear
//! scan, so a hostile payload costs its length and nothing more.

use crate::realtime::counters::DropReason;

/// Largest payload accepted, as JSON text (checked at the boundary too).
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;
/// Deepest nesting accepted inside a payload. Rows are flat; metadata adds a level or two.
pub const MAX_PAYLOAD_DEPTH: usize = 16;

/// `Ok` when `text` is within both limits; else the limit it broke.
pub fn check_payload_text(text: &str) -> Result<(), DropReason> {
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(DropReason::Oversized);
    }
    let mut depth = 0usize;
    let mut scan = Scanner::default();
    for &b in text.as_bytes() {
        match scan.step(b) {
            Token::Open => {
                depth += 1;
                if depth > MAX_PAYLOAD_DEPTH {
                    return Err(DropReason::TooDeep);
                }
            }
            Token::Close => depth = depth.saturating_sub(1),
            Token::Comma | Token::Other => {}
        }
    }
    Ok(())
}

/// The elements of a top-level JSON array, as slices of `text` (not
/// validated: each goes through `check_payload_text` and the parser on its
/// own). `None` when `text` is not an array.
pub fn split_array(text: &str) -> Option<Vec<&str>> {
    let trimmed = text.trim();
    let inner = trimmed.strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let mut scan = Scanner::default();
    for (i, &b) in inner.as_bytes().iter().enumerate() {
        match scan.step(b) {
            Token::Open => depth += 1,
            Token::Close => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                out.push(inner.get(start..i)?);
                start = i + 1;
            }
            Token::Comma | Token::Other => {}
        }
    }
    let last = inner.get(start..)?;
    if !last.trim().is_empty() || !out.is_empty() {
        out.push(last);
    }
    Some(out)
}

enum Token {
    Open,
    Close,
    Comma,
    Other,
}

/// Structural bytes outside JSON strings.
#[derive(Default)]
struct Scanner {
    in_string: bool,
    escaped: bool,
}

impl Scanner {
    fn step(&mut self, b: u8) -> Token {
        if self.in_string {
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_string = false,
                _ => {}
            }
            return Token::Other;
        }
        match b {
            b'"' => {
                self.in_string = true;
                Token::Other
            }
            b'{' | b'[' => Token::Open,
            b'}' | b']' => Token::Close,
            b',' => Token::Comma,
            _ => Token::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_structure_not_brackets_inside_strings() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(check_payload_text(&nested(MAX_PAYLOAD_DEPTH)), Ok(()));
        assert_eq!(check_payload_text(&nested(MAX_PAYLOAD_DEPTH + 1)), Err(DropReason::TooDeep));
        assert_eq!(check_payload_text(&nested(5_000)), Err(DropReason::TooDeep));
        assert_eq!(check_payload_text(&format!("{{\"a\":\"{}\\\"\"}}", "[".repeat(100))), Ok(()));
        assert_eq!(check_payload_text(&" ".repeat(MAX_PAYLOAD_BYTES + 1)), Err(DropReason::Oversized));
    }

    #[test]
    fn arrays_split_at_top_level_commas_only() {
        assert_eq!(split_array(r#"[{"a":[1,2]}, "x,y" ,3]"#), Some(vec![r#"{"a":[1,2]}"#, r#" "x,y" "#, "3"]));
        assert_eq!(split_array("[]"), Some(vec![]));
        assert_eq!(split_array("{}"), None);
    }
}
