//! JSON text out, without serde's serializer in the wasm: [`ToJson`] for the
//! primitives and trees, [`ObjectWriter`] for objects. Output is byte for
//! byte what serde_json wrote (same escapes, same number texts, `null` for a
//! non-finite double); `tests/native/json_shapes.rs` holds every shape to it.
//! Fields are written through `&dyn ToJson`: one object writer for every
//! shape instead of one serializer per shape, which is what costs wasm bytes.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// A value that can write itself as JSON text.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// The value as JSON text.
pub fn to_json_text<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::with_capacity(64);
    value.write_json(&mut out);
    out
}

/// A JSON string literal: `"`, `\` and control characters escaped the way
/// serde_json escaped them (short forms where JSON has them, else `\u00XX`).
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(run..i).unwrap_or_default());
        run = i + 1;
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
            out.push(char::from(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0')));
        } else {
            out.push_str(short);
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// An object being written: `{`, then `field` per member, then `end`.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    /// One member; `key` is written as is (the shapes' keys need no escapes).
    pub fn field(&mut self, key: &str, value: &dyn ToJson) -> &mut Self {
        self.key(key);
        value.write_json(self.out);
        self
    }

    /// One member whose value the caller writes into the returned buffer
    /// (nested lists and objects without a `ToJson` type of their own).
    pub fn slot(&mut self, key: &str) -> &mut String {
        self.key(key);
        self.out
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// A struct's members, so an internally tagged enum can write them after its tag.
pub trait JsonFields {
    fn write_fields(&self, o: &mut ObjectWriter<'_>);
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                crate::time::push_int(out, i64::try_from(*self).unwrap_or(i64::MAX));
            }
        }
    )*};
}
integers!(u32, i64, usize);

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        match i64::try_from(*self) {
            Ok(n) => crate::time::push_int(out, n),
            Err(_) => out.push_str(&self.to_string()),
        }
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        match serde_json::Number::from_f64(*self) {
            // A whole double keeps its `.0`, as serde_json wrote it.
            Some(n) => out.push_str(&n.to_string()),
            None => out.push_str("null"),
        }
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for Cow<'_, str> {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl ToJson for Map<String, Value> {
    fn write_json(&self, out: &mut String) {
        out.push('{');
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(out, key);
            out.push(':');
            value.write_json(out);
        }
        out.push('}');
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            Value::Number(n) => out.push_str(&n.to_string()),
            Value::String(s) => write_str(out, s),
            Value::Array(items) => items.write_json(out),
            Value::Object(map) => map.write_json(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings, numbers and trees come out as serde_json wrote them.
    #[test]
    fn same_text_as_serde_json() {
        let text = "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é😀/";
        assert_eq!(to_json_text(text), serde_json::to_string(text).unwrap());
        for f in [0.0, -0.0, 1.0, 1.5, -2.25, 1e21, 1e-7, 123456789.125, f64::MAX, f64::MIN_POSITIVE, f64::NAN, f64::INFINITY] {
            assert_eq!(to_json_text(&f), serde_json::to_string(&f).unwrap(), "{f}");
        }
        for n in [0u64, 7, u64::MAX] {
            assert_eq!(to_json_text(&n), serde_json::to_string(&n).unwrap());
        }
        for n in [i64::MIN, -1, 0, i64::MAX] {
            assert_eq!(to_json_text(&n), serde_json::to_string(&n).unwrap());
        }
        let tree = serde_json::json!({"b": [1, -2, 3.5, null, true, "x\u{0}"], "a": {"é\"": {}}, "c": []});
        assert_eq!(to_json_text(&tree), serde_json::to_string(&tree).unwrap());
        assert_eq!(to_json_text(&Some(vec![Some(1u32), None])), "[1,null]");
    }
}
