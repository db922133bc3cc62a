//! A pull reader over JSON text (RFC 8259, strict: no trailing commas, no
//! leading zeros, no comments, nothing after the value but whitespace).
//!
//! Callers walk the text themselves: `kind` says what comes next, then one
//! `read_*` or `skip_value` consumes it. Strings without escapes are slices of
//! the input (no allocation), so decoders that read a few fields of a large
//! payload copy nothing else. Nesting is capped at [`MAX_NESTING`], the cap
//! serde_json had, so a hostile deeply nested text is an error, not a stack
//! overflow.

use std::borrow::Cow;

/// Arrays and objects nested deeper than this are an error.
pub const MAX_NESTING: u32 = 127;

/// What the next value is, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// Why the text is not JSON, and where (a byte offset; the message turns it
/// into a line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    pub what: &'static str,
    pub at: usize,
}

impl JsonError {
    /// `"<what> at line L column C"`, columns counted in bytes from 1.
    pub fn message(&self, text: &str) -> String {
        let before = text.get(..self.at).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        let mut out = String::with_capacity(self.what.len() + 32);
        out.push_str(self.what);
        out.push_str(" at line ");
        out.push_str(&line.to_string());
        out.push_str(" column ");
        out.push_str(&column.to_string());
        out
    }
}

pub type JsonResult<T> = Result<T, JsonError>;

/// The cursor: the text, the byte offset, and how deep we are.
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader { text, pos: 0, depth: 0 }
    }

    /// An error at the current position, for what a caller found wrong.
    pub fn error_here(&self, what: &'static str) -> JsonError {
        JsonError { what, at: self.pos }
    }

    fn fail<T>(&self, what: &'static str) -> JsonResult<T> {
        Err(self.error_here(what))
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.byte() {
            self.pos += 1;
        }
    }

    /// The next non-whitespace byte, not consumed; an error at the end.
    fn peek(&mut self) -> JsonResult<u8> {
        self.skip_whitespace();
        match self.byte() {
            Some(b) => Ok(b),
            None => self.fail("EOF while parsing a value"),
        }
    }

    fn expect(&mut self, want: u8, what: &'static str) -> JsonResult<()> {
        if self.peek()? == want {
            self.pos += 1;
            Ok(())
        } else {
            self.fail(what)
        }
    }

    /// What the next value is; consumes nothing but whitespace.
    pub fn kind(&mut self) -> JsonResult<Kind> {
        Ok(match self.peek()? {
            b'n' => Kind::Null,
            b't' | b'f' => Kind::Bool,
            b'-' | b'0'..=b'9' => Kind::Number,
            b'"' => Kind::String,
            b'[' => Kind::Array,
            b'{' => Kind::Object,
            _ => return self.fail("expected value"),
        })
    }

    /// After the value: only whitespace may follow.
    pub fn finish(mut self) -> JsonResult<()> {
        self.skip_whitespace();
        match self.byte() {
            None => Ok(()),
            Some(_) => self.fail("trailing characters"),
        }
    }

    fn literal(&mut self, word: &'static str) -> JsonResult<()> {
        let end = self.pos + word.len();
        if self.text.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            self.fail("expected ident")
        }
    }

    pub fn read_null(&mut self) -> JsonResult<()> {
        self.peek()?;
        self.literal("null")
    }

    pub fn read_bool(&mut self) -> JsonResult<bool> {
        if self.peek()? == b't' {
            self.literal("true").map(|()| true)
        } else {
            self.literal("false").map(|()| false)
        }
    }

    /// A number's text, checked against the JSON grammar (not converted: the
    /// caller decides between an integer and a double).
    pub fn read_number(&mut self) -> JsonResult<&'a str> {
        self.peek()?;
        let start = self.pos;
        if self.byte() == Some(b'-') {
            self.pos += 1;
        }
        match self.byte() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.byte() {
                    return self.fail("invalid number");
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return self.fail("invalid number"),
        }
        if self.byte() == Some(b'.') {
            self.pos += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.byte() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.byte() {
                self.pos += 1;
            }
            self.required_digits()?;
        }
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.byte() {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self) -> JsonResult<()> {
        match self.byte() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => self.fail("invalid number"),
        }
    }

    /// A string's value: a slice of the input when it has no escapes.
    pub fn read_string(&mut self) -> JsonResult<Cow<'a, str>> {
        self.expect(b'"', "expected `\"`")?;
        let start = self.pos;
        loop {
            match self.byte() {
                None => return self.fail("EOF while parsing a string"),
                Some(b'"') => {
                    let s = self.text.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => return self.fail("control character (\\u0000-\\u001F) found while parsing a string"),
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or_default());
        loop {
            let run = self.pos;
            while let Some(b) = self.byte() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run..self.pos).unwrap_or_default());
            match self.byte() {
                None => return self.fail("EOF while parsing a string"),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return self.fail("control character (\\u0000-\\u001F) found while parsing a string"),
            }
        }
    }

    /// One escape after its backslash.
    fn escape(&mut self) -> JsonResult<char> {
        let b = match self.byte() {
            Some(b) => b,
            None => return self.fail("EOF while parsing a string"),
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return self.fail("invalid escape"),
        })
    }

    fn hex4(&mut self) -> JsonResult<u32> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = match self.byte() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                None => return self.fail("EOF while parsing a string"),
                Some(_) => return self.fail("invalid escape"),
            };
            n = n * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(n)
    }

    /// `\uXXXX`, with a surrogate pair as one character; a lone surrogate is an error.
    fn unicode_escape(&mut self) -> JsonResult<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.text.as_bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return self.fail("lone leading surrogate in hex escape");
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return self.fail("lone leading surrogate in hex escape");
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            _ => first,
        };
        match char::from_u32(code) {
            Some(c) => Ok(c),
            None => self.fail("invalid unicode code point"),
        }
    }

    fn enter(&mut self, open: u8) -> JsonResult<()> {
        self.expect(open, "expected value")?;
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.fail("recursion limit exceeded");
        }
        Ok(())
    }

    /// Consumes `{`; then call [`Reader::next_key`] until it answers `None`.
    pub fn begin_object(&mut self) -> JsonResult<()> {
        self.enter(b'{')
    }

    /// The next key of the object (its value is next), or `None` after `}`.
    /// `first` is true for the first call after `begin_object`.
    pub fn next_key(&mut self, first: bool) -> JsonResult<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'}' => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(None);
            }
            b',' if !first => self.pos += 1,
            _ if first => {}
            _ => return self.fail("expected `,` or `}`"),
        }
        if self.peek()? != b'"' {
            return self.fail("key must be a string");
        }
        let key = self.read_string()?;
        self.expect(b':', "expected `:`")?;
        Ok(Some(key))
    }

    /// Consumes `[`; then call [`Reader::next_element`] until it answers false.
    pub fn begin_array(&mut self) -> JsonResult<()> {
        self.enter(b'[')
    }

    /// Whether another element follows (it is next), false after `]`.
    pub fn next_element(&mut self, first: bool) -> JsonResult<bool> {
        match self.peek()? {
            b']' => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            b',' if !first => {
                self.pos += 1;
                Ok(true)
            }
            _ if first => Ok(true),
            _ => self.fail("expected `,` or `]`"),
        }
    }

    /// Consumes one value of any kind, checking it, building nothing.
    pub fn skip_value(&mut self) -> JsonResult<()> {
        match self.kind()? {
            Kind::Null => self.read_null(),
            Kind::Bool => self.read_bool().map(drop),
            Kind::Number => self.read_number().map(drop),
            Kind::String => self.read_string().map(drop),
            Kind::Array => self.skip_array().map(drop),
            Kind::Object => self.skip_object().map(drop),
        }
    }

    /// Consumes an array, answering how many elements it had.
    pub fn skip_array(&mut self) -> JsonResult<usize> {
        self.begin_array()?;
        let mut n = 0;
        while self.next_element(n == 0)? {
            self.skip_value()?;
            n += 1;
        }
        Ok(n)
    }

    /// Consumes an object, answering how many members it had.
    pub fn skip_object(&mut self) -> JsonResult<usize> {
        self.begin_object()?;
        let mut n = 0;
        while self.next_key(n == 0)?.is_some() {
            self.skip_value()?;
            n += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skips(text: &str) -> JsonResult<()> {
        let mut r = Reader::new(text);
        r.skip_value()?;
        r.finish()
    }

    #[test]
    fn accepts_what_json_allows() {
        for ok in ["0", "-0", "1.5e-3", "-12E+2", " true ", "null", r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#, "[]", "{}", r#"{"a":[1,{"b":null}],"c":"d"}"#] {
            assert_eq!(skips(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_what_json_does_not() {
        for bad in ["", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "[1,]", "{\"a\":1,}", "{a:1}", "[1 2]", "\"\u{1}\"", r#""\x""#, r#""\ud800""#, r#""\ud800\u0041""#, "1 2", "\"abc", "[", "{\"a\"", "NaN", "Infinity"] {
            assert!(skips(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let mut r = Reader::new(r#""plain""#);
        assert!(matches!(r.read_string(), Ok(Cow::Borrowed("plain"))));
        let mut r = Reader::new(r#""a\nb\u00e9""#);
        assert_eq!(r.read_string().map(Cow::into_owned), Ok("a\nb\u{e9}".to_string()));
    }

    #[test]
    fn nesting_is_capped() {
        let ok = format!("{}{}", "[".repeat(MAX_NESTING as usize), "]".repeat(MAX_NESTING as usize));
        assert_eq!(skips(&ok), Ok(()));
        let deep = format!("{}{}", "[".repeat(MAX_NESTING as usize + 1), "]".repeat(MAX_NESTING as usize + 1));
        assert_eq!(skips(&deep).map_err(|e| e.what), Err("recursion limit exceeded"));
    }

    #[test]
    fn errors_name_line_and_column() {
        let text = "{\n  \"a\": x}";
        let err = skips(text).unwrap_err();
        assert_eq!(err.message(text), "expected value at line 2 column 8");
    }
}
