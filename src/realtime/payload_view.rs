//! A payload as the JS side read it: "decode in TS, decide in Rust".
//!
//! The hooks receive payloads as objects. Turning each into JSON text only
//! for the core to parse it again cost most of the per-event time, so the TS
//! edge (`js/payload-slots.ts`) walks the object once and reports, for each
//! field the rules read (the slot tables below, which it imports from
//! `js/generated/core-facts.ts`), what it found there: nothing, `null`, a
//! string, a number (as the text `JSON.stringify` writes), a boolean, an
//! array (with its length) or an object. Every rule stays here: the same
//! [`PayloadFields`] the text decoder builds are built from the slots, and
//! [`decode_fields`] decides both paths. The edge only takes this path for
//! plain objects it can prove are within the size and depth limits; every
//! other payload crosses as text and is checked by `payload_limits`.

use crate::realtime::counters::DropReason;
use crate::realtime::json_fields::{AdsFields, ErrorsSlot, MetaSlot, PayloadFields, RowFields, RowSlot, Scalar, Text};
use crate::realtime::payload::{decode_fields, ChangePayload, MAX_PAYLOAD_BYTES};

/// The payload's own fields the rules read, in slot order.
pub const PAYLOAD_FIELDS: [&str; 5] = ["table", "eventType", "commit_timestamp", "errors", "new"];
/// The row's (`new`'s) fields the rules read, in slot order after the payload's.
pub const ROW_FIELDS: [&str; 12] =
    ["id", "site_id", "matched_session_id", "session_id", "gclid", "wbraid", "gbraid", "utm_medium", "utm_source", "attribution_source", "metadata", "meta"];
/// The ads fields read inside `metadata`, then inside `meta` (the last two slot groups).
pub const META_FIELDS: [&str; 6] = ["gclid", "wbraid", "gbraid", "utm_medium", "utm_source", "attribution_source"];
/// Slots in all: payload, row, `metadata`, `meta`.
pub const SLOT_COUNT: usize = PAYLOAD_FIELDS.len() + ROW_FIELDS.len() + 2 * META_FIELDS.len();

/// What a slot held, as the edge tags it (the TS side imports this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotTag {
    Absent,
    Null,
    String,
    Number,
    Boolean,
    Array,
    Object,
}

impl SlotTag {
    /// Every tag, in the order of its number on the wire.
    pub const ALL: [Self; 7] = [SlotTag::Absent, SlotTag::Null, SlotTag::String, SlotTag::Number, SlotTag::Boolean, SlotTag::Array, SlotTag::Object];

    pub fn as_str(self) -> &'static str {
        match self {
            SlotTag::Absent => "absent",
            SlotTag::Null => "null",
            SlotTag::String => "string",
            SlotTag::Number => "number",
            SlotTag::Boolean => "boolean",
            SlotTag::Array => "array",
            SlotTag::Object => "object",
        }
    }

    fn from_wire(n: f64) -> Option<Self> {
        // A saturating cast, then the exact check: 2.5, -0.0 → 0, NaN never match a tag's number.
        let at = n as usize;
        Self::ALL.get(at).copied().filter(|t| *t as u8 as f64 == n)
    }
}

/// One slot: a string or a number's text borrows from the edge's buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seen<'a> {
    Absent,
    Null,
    Str(&'a str),
    /// A finite number, as the text `JSON.stringify` writes for it.
    Number(&'a str),
    Boolean(bool),
    Array(usize),
    Object,
}

/// Reads the slots the edge wrote: `slots` holds `SLOT_COUNT` pairs
/// `(tag, value)`; strings and numbers' texts are `text`, one after the
/// other in slot order, each `value` UTF-16 units long (the edge's lengths).
/// Anything inconsistent (a hostile caller of the raw export) is `Malformed`.
pub fn read_slots<'a>(slots: &[f64], text: &'a str) -> Result<[Seen<'a>; SLOT_COUNT], DropReason> {
    let mut rest = text;
    // One scan for the whole text (the usual payload): then every cut is a byte count.
    let ascii = text.is_ascii();
    let mut out = [Seen::Absent; SLOT_COUNT];
    if slots.len() < 2 * SLOT_COUNT {
        return Err(DropReason::Malformed);
    }
    for (pair, seen) in slots.chunks_exact(2).zip(out.iter_mut()) {
        let (tag, value) = match pair {
            [tag, value] => (SlotTag::from_wire(*tag).ok_or(DropReason::Malformed)?, *value),
            _ => return Err(DropReason::Malformed),
        };
        *seen = match tag {
            SlotTag::Absent => Seen::Absent,
            SlotTag::Null => Seen::Null,
            SlotTag::Boolean => Seen::Boolean(value != 0.0),
            SlotTag::Array => Seen::Array(if value.is_finite() && value > 0.0 { value as usize } else { 0 }),
            SlotTag::Object => Seen::Object,
            SlotTag::String | SlotTag::Number => {
                let cut = if ascii { split_ascii(rest, value) } else { split_utf16(rest, value) };
                let (head, tail) = cut.ok_or(DropReason::Malformed)?;
                rest = tail;
                if tag == SlotTag::String {
                    Seen::Str(head)
                } else {
                    Seen::Number(head)
                }
            }
        };
    }
    if !rest.is_empty() {
        return Err(DropReason::Malformed);
    }
    Ok(out)
}

/// The shortest JSON text a payload with these fields can be (compact, every
/// array element `0`, no other field): any payload they came from is at least
/// this long, so over `MAX_PAYLOAD_BYTES` here is `oversized` on the text path too.
fn min_json_bytes(seen: &[Seen<'_>]) -> usize {
    let row_base = PAYLOAD_FIELDS.len();
    let meta_base = row_base + ROW_FIELDS.len();
    let object = |names: &[&str], base: usize, nested: &dyn Fn(usize) -> Option<usize>| -> usize {
        let mut fields = 0usize;
        let mut bytes = 2usize; // {}
        for (i, name) in names.iter().enumerate() {
            let Some(s) = seen.get(base + i) else { continue };
            let value = match s {
                Seen::Absent => continue,
                Seen::Object => nested(base + i).unwrap_or(2),
                other => value_json_bytes(other),
            };
            fields += 1;
            bytes = bytes.saturating_add(name.len() + 3).saturating_add(value); // "name":
        }
        bytes.saturating_add(fields.saturating_sub(1)) // commas
    };
    let meta = |at: usize| match ROW_FIELDS.get(at.wrapping_sub(row_base)).copied() {
        Some("metadata") => Some(object(&META_FIELDS, meta_base, &|_| None)),
        Some("meta") => Some(object(&META_FIELDS, meta_base + META_FIELDS.len(), &|_| None)),
        _ => None,
    };
    object(&PAYLOAD_FIELDS, 0, &|at| (PAYLOAD_FIELDS.get(at) == Some(&"new")).then(|| object(&ROW_FIELDS, row_base, &meta)))
}

/// Every slot's field named with its quotes, colon and comma (`"name":…,`),
/// and the braces of the payload, its row, the row's `metadata` and `meta`.
const NAMES_AND_BRACES_BYTES: usize = {
    let groups: [&[&str]; 4] = [&PAYLOAD_FIELDS, &ROW_FIELDS, &META_FIELDS, &META_FIELDS];
    let mut bytes = 2 * groups.len();
    let mut g: &[&[&str]] = &groups;
    while let [names, rest @ ..] = g {
        let mut names: &[&str] = names;
        while let [name, more @ ..] = names {
            bytes += name.len() + 4;
            names = more;
        }
        g = rest;
    }
    bytes
};

/// At least `min_json_bytes`, without walking a string's characters: every
/// field named with its quotes, colon and comma, every object's braces, a
/// string as if each byte were escaped (`\u00XX`, the longest). Within the
/// limit (a payload of a few hundred bytes), the exact count is too.
fn json_bytes_bound(seen: &[Seen<'_>]) -> usize {
    seen.iter().fold(NAMES_AND_BRACES_BYTES, |n, s| {
        n.saturating_add(match s {
            Seen::Str(s) => s.len().saturating_mul(6).saturating_add(2),
            other => value_json_bytes(other),
        })
    })
}

/// The shortest JSON of one value other than an object.
fn value_json_bytes(seen: &Seen<'_>) -> usize {
    match seen {
        Seen::Absent => 0,
        Seen::Null | Seen::Boolean(true) => 4,
        Seen::Boolean(false) => 5,
        Seen::Number(n) => n.len(),
        Seen::Array(0) | Seen::Object => 2,
        Seen::Array(n) => n.saturating_mul(2).saturating_add(1), // [0,0,…]
        Seen::Str(s) => s.chars().fold(2usize, |n, c| {
            n.saturating_add(match c {
                '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
                c if u32::from(c) < 0x20 => 6,
                c => c.len_utf8(),
            })
        }),
    }
}

/// A slot's length as a count of units; `None` when it is not one.
fn unit_count(units: f64) -> Option<usize> {
    (units.is_finite() && units >= 0.0 && units.fract() == 0.0).then_some(units as usize)
}

/// [`split_utf16`] for a text known to be ASCII, where a unit is a byte.
fn split_ascii(text: &str, units: f64) -> Option<(&str, &str)> {
    // Checked splits: `split_at`'s panic path alone links core's str-slicing error report.
    text.split_at_checked(unit_count(units)?)
}

/// `text` split after `units` UTF-16 code units (ASCII: after as many bytes);
/// `None` when it is shorter or the cut would fall inside a character.
pub fn split_utf16(text: &str, units: f64) -> Option<(&str, &str)> {
    let units = unit_count(units)?;
    let bytes = text.as_bytes();
    if bytes.iter().take(units).all(u8::is_ascii) {
        // Checked splits: `split_at`'s panic path alone links core's str-slicing error report.
        return text.split_at_checked(units);
    }
    let mut seen = 0usize;
    for (at, c) in text.char_indices() {
        if seen == units {
            return text.split_at_checked(at);
        }
        seen += c.len_utf16();
        if seen > units {
            return None;
        }
    }
    (seen == units).then_some((text, ""))
}

/// The change the slots describe, decided by the same rules as JSON text.
pub fn decode_slots<'a>(seen: &[Seen<'a>]) -> Result<ChangePayload<'a>, DropReason> {
    // The edge only sends what fits, but a raw caller can describe more than
    // any payload within the limit holds: the text path would refuse it.
    if json_bytes_bound(seen) > MAX_PAYLOAD_BYTES && min_json_bytes(seen) > MAX_PAYLOAD_BYTES {
        return Err(DropReason::Oversized);
    }
    decode_fields(payload_fields(seen)?)
}

/// Where `name` is in `names`, found when the crate is compiled: a name not
/// in its table fails the build.
const fn position(names: &[&str], name: &str) -> usize {
    let (mut rest, mut at) = (names, 0);
    while let [first, more @ ..] = rest {
        if same_bytes(first.as_bytes(), name.as_bytes()) {
            return at;
        }
        rest = more;
        at += 1;
    }
    // Here `at` is `names.len()`: in a const item this stops the build.
    assert!(at < names.len(), "a slot name not in its table");
    at
}

const fn same_bytes(mut a: &[u8], mut b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    while let ([x, ra @ ..], [y, rb @ ..]) = (a, b) {
        if *x != *y {
            return false;
        }
        a = ra;
        b = rb;
    }
    true
}

const ROW_BASE: usize = PAYLOAD_FIELDS.len();
const TABLE: usize = position(&PAYLOAD_FIELDS, "table");
const EVENT_TYPE: usize = position(&PAYLOAD_FIELDS, "eventType");
const COMMIT_TIMESTAMP: usize = position(&PAYLOAD_FIELDS, "commit_timestamp");
const ERRORS: usize = position(&PAYLOAD_FIELDS, "errors");
const NEW: usize = position(&PAYLOAD_FIELDS, "new");
const ROW_ID: usize = ROW_BASE + position(&ROW_FIELDS, "id");
const ROW_SITE_ID: usize = ROW_BASE + position(&ROW_FIELDS, "site_id");
const ROW_MATCHED_SESSION_ID: usize = ROW_BASE + position(&ROW_FIELDS, "matched_session_id");
const ROW_SESSION_ID: usize = ROW_BASE + position(&ROW_FIELDS, "session_id");
/// The row's own ads fields, in `META_FIELDS`' order from here (checked below).
const ROW_ADS: usize = ROW_BASE + position(&ROW_FIELDS, "gclid");
const ROW_METADATA: usize = ROW_BASE + position(&ROW_FIELDS, "metadata");
const ROW_META: usize = ROW_BASE + position(&ROW_FIELDS, "meta");
const METADATA_ADS: usize = ROW_BASE + ROW_FIELDS.len();
const META_ADS: usize = METADATA_ADS + META_FIELDS.len();
const _: () = {
    let (mut names, mut at): (&[&str], usize) = (&META_FIELDS, ROW_ADS);
    while let [name, rest @ ..] = names {
        assert!(ROW_BASE + position(&ROW_FIELDS, name) == at, "the row's ads fields must follow META_FIELDS' order");
        names = rest;
        at += 1;
    }
};

fn payload_fields<'a>(seen: &[Seen<'a>]) -> Result<PayloadFields<'a>, DropReason> {
    let slot = |i: usize| seen.get(i).copied().ok_or(DropReason::Malformed);
    let ads_at = |base: usize| -> Result<AdsFields<'a>, DropReason> {
        let t = |i: usize| slot(base + i).map(text);
        Ok(AdsFields { gclid: t(0)?, wbraid: t(1)?, gbraid: t(2)?, utm_medium: t(3)?, utm_source: t(4)?, attribution_source: t(5)? })
    };
    let meta_slot = |at: usize, base: usize| -> Result<MetaSlot<'a>, DropReason> {
        Ok(match slot(at)? {
            Seen::Absent => MetaSlot::Absent,
            Seen::Null => MetaSlot::Null,
            Seen::Object => MetaSlot::Object(ads_at(base)?),
            _ => MetaSlot::NotObject,
        })
    };
    let new = match slot(NEW)? {
        Seen::Absent => RowSlot::Absent,
        Seen::Object => {
            let own = ads_at(ROW_ADS)?;
            RowSlot::Object(Box::new(RowFields {
                id: scalar(slot(ROW_ID)?),
                site_id: scalar(slot(ROW_SITE_ID)?),
                matched_session_id: text(slot(ROW_MATCHED_SESSION_ID)?),
                session_id: text(slot(ROW_SESSION_ID)?),
                gclid: own.gclid,
                wbraid: own.wbraid,
                gbraid: own.gbraid,
                utm_medium: own.utm_medium,
                utm_source: own.utm_source,
                attribution_source: own.attribution_source,
                metadata: meta_slot(ROW_METADATA, METADATA_ADS)?,
                meta: meta_slot(ROW_META, META_ADS)?,
            }))
        }
        _ => RowSlot::NotObject,
    };
    Ok(PayloadFields {
        table: text(slot(TABLE)?),
        event_type: text(slot(EVENT_TYPE)?),
        commit_timestamp: text(slot(COMMIT_TIMESTAMP)?),
        new,
        errors: errors(slot(ERRORS)?),
    })
}

/// A text field: only strings count (see [`Text`]).
fn text(seen: Seen<'_>) -> Text<'_> {
    match seen {
        Seen::Str(s) => Text::of_str(s),
        _ => Text(None),
    }
}

/// An id-like field: a string, or a number as serde reads its JSON text (see [`Scalar`]).
fn scalar(seen: Seen<'_>) -> Scalar<'_> {
    match seen {
        Seen::Str(s) => Scalar(Text::of_str(s).0),
        Seen::Number(n) => Scalar::of_number(n),
        _ => Scalar(None),
    }
}

/// `errors`, as [`ErrorsSlot`] reads it from JSON.
fn errors(seen: Seen<'_>) -> ErrorsSlot {
    ErrorsSlot(match seen {
        Seen::Absent | Seen::Null => false,
        Seen::Array(len) => len > 0,
        Seen::Boolean(b) => b,
        Seen::Str(_) | Seen::Number(_) | Seen::Object => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::payload::decode_payload_text;
    use serde_json::{json, Value};

    /// What the TS edge writes for a plain object, done here on a JSON value (the test's edge).
    fn edge(payload: &Value) -> (Vec<f64>, String) {
        let mut slots = vec![0.0; SLOT_COUNT * 2];
        let mut text = String::new();
        let mut put = |i: usize, v: Option<&Value>| {
            let (tag, value) = match v {
                None => (SlotTag::Absent, 0.0),
                Some(Value::Null) => (SlotTag::Null, 0.0),
                Some(Value::String(s)) => {
                    text.push_str(s);
                    (SlotTag::String, s.encode_utf16().count() as f64)
                }
                Some(Value::Number(n)) => {
                    let t = n.to_string();
                    text.push_str(&t);
                    (SlotTag::Number, t.len() as f64)
                }
                Some(Value::Bool(b)) => (SlotTag::Boolean, f64::from(u8::from(*b))),
                Some(Value::Array(a)) => (SlotTag::Array, a.len() as f64),
                Some(Value::Object(_)) => (SlotTag::Object, 0.0),
            };
            slots[2 * i] = tag as u8 as f64;
            slots[2 * i + 1] = value;
        };
        let row = payload.get("new").filter(|r| r.is_object());
        for (i, f) in PAYLOAD_FIELDS.iter().enumerate() {
            put(i, payload.get(*f));
        }
        let base = PAYLOAD_FIELDS.len();
        for (i, f) in ROW_FIELDS.iter().enumerate() {
            put(base + i, row.and_then(|r| r.get(*f)));
        }
        for (group, name) in ["metadata", "meta"].iter().enumerate() {
            let meta = row.and_then(|r| r.get(*name)).filter(|m| m.is_object());
            for (i, f) in META_FIELDS.iter().enumerate() {
                put(base + ROW_FIELDS.len() + group * META_FIELDS.len() + i, meta.and_then(|m| m.get(*f)));
            }
        }
        (slots, text)
    }

    fn both_paths(payload: Value) {
        let (slots, text) = edge(&payload);
        let via_slots = read_slots(&slots, &text).and_then(|seen| decode_slots(&seen).map(|c| format!("{c:?}")));
        let via_text = decode_payload_text(&payload.to_string()).map(|c| format!("{c:?}"));
        assert_eq!(via_slots, via_text, "{payload}");
    }

    #[test]
    fn slots_decide_like_json_text() {
        let base = json!({"table": "calls", "eventType": "INSERT", "commit_timestamp": " t ", "new": {"id": "c1", "site_id": "s1"}, "errors": null});
        both_paths(base.clone());
        let variants: Vec<(&str, Value)> = vec![
            ("/table", json!("users")), ("/table", json!(5)), ("/eventType", json!("UPDATE")), ("/eventType", json!("DELETE")),
            ("/commit_timestamp", json!(null)), ("/commit_timestamp", json!("x".repeat(65))), ("/errors", json!([])), ("/errors", json!(["e"])),
            ("/errors", json!(false)), ("/errors", json!(true)), ("/errors", json!({})), ("/errors", json!("")), ("/errors", json!(0)),
            ("/new", json!(null)), ("/new", json!([1])), ("/new/id", json!(42)), ("/new/id", json!(-0.5)), ("/new/id", json!(1e21)),
            ("/new/id", json!(18446744073709550000u64)), ("/new/id", json!("  ")), ("/new/id", json!(true)), ("/new/site_id", json!(7)),
            ("/new/session_id", json!(" s1 ")), ("/new/matched_session_id", json!(12)), ("/new/gclid", json!(" g ")),
            ("/new/metadata", json!({"utm_medium": " CPC "})), ("/new/metadata", json!(null)), ("/new/metadata", json!("x")),
            ("/new/meta", json!({"gclid": "g"})), ("/new/metadata", json!({"utm_medium": "  "})), ("/new/id", json!("é\u{1F600}ü")),
        ];
        for (path, value) in variants {
            let mut p = base.clone();
            if let Some(slot) = p.pointer_mut(path) {
                *slot = value;
            } else if let Some((parent, key)) = path.rsplit_once('/') {
                if let Some(Value::Object(m)) = p.pointer_mut(if parent.is_empty() { "" } else { parent }) {
                    m.insert(key.to_string(), value);
                }
            }
            both_paths(p);
        }
        let mut no_meta = base.clone();
        no_meta["new"]["meta"] = json!({"utm_source": "x"});
        no_meta["new"]["metadata"] = json!(null);
        both_paths(no_meta);
        let mut gone = base;
        if let Some(m) = gone.as_object_mut() {
            m.remove("new");
        }
        both_paths(gone);
    }

    /// Found by the `slots` fuzz target: the raw export takes up to 256
    /// bytes more text than the limit, and a count of any size, so slots
    /// could describe fields whose JSON no payload within 64 KiB can hold;
    /// they were decided (accepted) where JSON text is `oversized`.
    #[test]
    fn slots_over_the_limit_are_oversized_like_json_text() {
        let base = json!({"table": "calls", "eventType": "INSERT", "commit_timestamp": "t", "new": {"id": "c1", "site_id": "s1"}});
        let fits = base.to_string().len();
        for (fill, unit) in [("x", 1), ("\"", 2), ("\u{1}", 6), ("é", 2)] {
            for extra in [0, 1] {
                let mut p = base.clone();
                // Exactly at the limit, then one byte over: `gclid` adds `,"gclid":""` (11 bytes) and its text.
                let room = MAX_PAYLOAD_BYTES - fits - 11;
                p["new"]["gclid"] = json!(fill.repeat(room / unit) + &"x".repeat(room % unit + extra));
                assert_eq!(p.to_string().len(), MAX_PAYLOAD_BYTES + extra);
                both_paths(p);
            }
        }
        let (mut slots, text) = edge(&base);
        let errors_at = PAYLOAD_FIELDS.iter().position(|f| *f == "errors").unwrap_or(0);
        slots[2 * errors_at] = SlotTag::Array as u8 as f64;
        slots[2 * errors_at + 1] = 1e300;
        let seen = read_slots(&slots, &text).map_err(|_| "consistent slots");
        assert_eq!(seen.map(|s| decode_slots(&s).err()), Ok(Some(DropReason::Oversized)), "no JSON array of 1e300 elements fits");
    }

    /// The quick bound may skip the exact count only where the exact count is lower.
    #[test]
    fn the_size_bound_is_never_below_the_exact_count() {
        let meta = json!({"gclid": "\u{1}\"", "wbraid": "é", "gbraid": null, "utm_medium": 5, "utm_source": [1, 2], "attribution_source": {}});
        let payloads = [
            json!({}),
            json!({"table": "calls", "eventType": "INSERT", "commit_timestamp": "t", "errors": [1, 2, 3], "new": {"id": 12.5, "site_id": "s"}}),
            json!({"table": "\n\t\u{1f}", "new": {"id": "x", "session_id": "\\", "gclid": "😀", "metadata": meta, "meta": meta, "site_id": true}}),
            json!({"new": {"metadata": "not an object", "meta": null}, "errors": false}),
        ];
        for p in payloads {
            let (slots, text) = edge(&p);
            let seen = read_slots(&slots, &text).unwrap();
            assert!(json_bytes_bound(&seen) >= min_json_bytes(&seen), "{p}");
            assert!(min_json_bytes(&seen) <= p.to_string().len(), "{p}");
        }
    }

    #[test]
    fn inconsistent_slots_are_malformed() {
        let (mut slots, text) = edge(&json!({"table": "calls", "eventType": "INSERT", "commit_timestamp": "t", "new": {"id": "c1"}}));
        assert!(read_slots(&slots, &text).is_ok());
        assert_eq!(read_slots(&slots, &format!("{text}x")).err(), Some(DropReason::Malformed), "text left over");
        assert_eq!(read_slots(&slots, "ca").err(), Some(DropReason::Malformed), "text too short");
        assert_eq!(read_slots(&slots[..10], &text).err(), Some(DropReason::Malformed), "too few slots");
        slots[0] = 99.0;
        assert_eq!(read_slots(&slots, &text).err(), Some(DropReason::Malformed), "unknown tag");
        slots[0] = SlotTag::String as u8 as f64;
        slots[1] = f64::NAN;
        assert_eq!(read_slots(&slots, &text).err(), Some(DropReason::Malformed), "length not a count");
        assert_eq!(split_utf16("é\u{1F600}x", 3.0), Some(("é\u{1F600}", "x")));
        assert_eq!(split_utf16("\u{1F600}", 1.0), None, "never inside a surrogate pair");
    }
}
