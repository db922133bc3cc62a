//! Bounds for text the crate keeps. Anything that arrives from the network
//! or the host (error messages, ids, field values) is stored only up to a
//! small byte cap, so no input can grow memory through a string it leaves
//! behind: 64 stats keys answered with 32 MiB error messages once grew the
//! wasm memory to 4 GiB and trapped the instance.

use std::borrow::Cow;

/// Bytes kept of an error message or log line.
pub const MAX_MESSAGE_BYTES: usize = 256;
/// Bytes kept of an identifier (row id, session id, error code).
pub const MAX_ID_BYTES: usize = 128;
/// Marks text that was cut.
pub const TRUNCATION_MARK: &str = "…";

/// `text` cut to at most `max_bytes` bytes on a char boundary; when cut, the
/// result ends with `…` (which counts towards `max_bytes`). Capping twice
/// gives the same text as capping once.
pub fn cap(text: &str, max_bytes: usize) -> Cow<'_, str> {
    if text.len() <= max_bytes {
        return Cow::Borrowed(text);
    }
    let mut end = max_bytes.saturating_sub(TRUNCATION_MARK.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end + TRUNCATION_MARK.len());
    out.push_str(text.get(..end).unwrap_or(""));
    out.push_str(TRUNCATION_MARK);
    Cow::Owned(out)
}

/// An owned message, capped at `MAX_MESSAGE_BYTES`.
pub fn message(text: &str) -> String {
    cap(text, MAX_MESSAGE_BYTES).into_owned()
}

/// The first `max` chars of `s` (for quoting a bad input inside a message).
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((idx, _)) => s.get(..idx).unwrap_or(s),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_as_is() {
        assert!(matches!(cap("abc", 3), Cow::Borrowed("abc")));
    }

    #[test]
    fn long_text_is_cut_on_a_char_boundary_and_marked() {
        let s = "ğ".repeat(100); // 2 bytes each
        let c = cap(&s, 11);
        assert!(c.len() <= 11, "{}", c.len());
        assert!(c.ends_with(TRUNCATION_MARK));
        assert_eq!(c.trim_end_matches(TRUNCATION_MARK), "ğ".repeat(4));
        assert_eq!(cap(&c, 11), c, "capping is idempotent");
    }

    #[test]
    fn a_cap_smaller_than_the_mark_still_bounds() {
        assert!(cap("abcdef", 2).len() <= TRUNCATION_MARK.len());
    }
}
