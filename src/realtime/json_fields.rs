//! Field types for decoding payloads straight from JSON text with our pull
//! reader (`crate::json`), reading only what the rules use. Unknown fields are
//! skipped without being built, which is most of a payload: parsing into a
//! generic JSON tree and cloning rows cost ~9 µs per event (measured by
//! `npm run bench:events`).
//!
//! Each field accepts *any* JSON value so a surprising type never fails the
//! whole payload: it just does not count (the rules say only strings count).
//! What does fail it: text that is not JSON, a top level that is not an
//! object, or a field the decoder reads given twice (which value would count
//! is ambiguous).

use std::borrow::Cow;

use crate::json::{JsonResult, Kind, Number, Reader};

/// A string field: trimmed, empty = absent; any other JSON type = absent.
/// Borrowed from the input text when it has no escapes (no allocation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text<'a>(pub Option<Cow<'a, str>>);

impl<'a> Text<'a> {
    /// A JSON string's value as a field: trimmed, empty = absent (no copy).
    pub fn of_str(s: &'a str) -> Self {
        let t = s.trim();
        Text((!t.is_empty()).then_some(Cow::Borrowed(t)))
    }
}

/// An id-like field: a string or a number, as text; anything else = absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scalar<'a>(pub Option<Cow<'a, str>>);

/// `metadata` / `meta`: absent, `null`, not an object, or an object's ads fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MetaSlot<'a> {
    #[default]
    Absent,
    Null,
    NotObject,
    Object(AdsFields<'a>),
}

/// `errors`: whether the payload reported any (non-null, non-empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorsSlot(pub bool);

/// The fields the ads decision reads, from one object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdsFields<'a> {
    pub gclid: Text<'a>,
    pub wbraid: Text<'a>,
    pub gbraid: Text<'a>,
    pub utm_medium: Text<'a>,
    pub utm_source: Text<'a>,
    pub attribution_source: Text<'a>,
}

impl<'a> AdsFields<'a> {
    /// Field by field, the metadata object's value first, then the row's.
    pub fn resolve(metadata: AdsFields<'a>, row: AdsFields<'a>) -> AdsFields<'a> {
        let pick = |m: Text<'a>, r: Text<'a>| Text(m.0.or(r.0));
        AdsFields {
            gclid: pick(metadata.gclid, row.gclid),
            wbraid: pick(metadata.wbraid, row.wbraid),
            gbraid: pick(metadata.gbraid, row.gbraid),
            utm_medium: pick(metadata.utm_medium, row.utm_medium),
            utm_source: pick(metadata.utm_source, row.utm_source),
            attribution_source: pick(metadata.attribution_source, row.attribution_source),
        }
    }
}

/// A row (`new`) as far as the pipeline reads it. The six ads fields are
/// listed again here rather than nested in an `AdsFields`: the row's own
/// values and the metadata object's are resolved field by field later.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowFields<'a> {
    pub id: Scalar<'a>,
    pub site_id: Scalar<'a>,
    pub matched_session_id: Text<'a>,
    pub session_id: Text<'a>,
    pub gclid: Text<'a>,
    pub wbraid: Text<'a>,
    pub gbraid: Text<'a>,
    pub utm_medium: Text<'a>,
    pub utm_source: Text<'a>,
    pub attribution_source: Text<'a>,
    pub metadata: MetaSlot<'a>,
    pub meta: MetaSlot<'a>,
}

impl<'a> RowFields<'a> {
    /// Splits off the ads fields after the metadata rule (`metadata` when
    /// present and not null, else `meta`, else none; then the row).
    pub fn take_ads_fields(&mut self) -> AdsFields<'a> {
        let own = AdsFields {
            gclid: std::mem::take(&mut self.gclid),
            wbraid: std::mem::take(&mut self.wbraid),
            gbraid: std::mem::take(&mut self.gbraid),
            utm_medium: std::mem::take(&mut self.utm_medium),
            utm_source: std::mem::take(&mut self.utm_source),
            attribution_source: std::mem::take(&mut self.attribution_source),
        };
        let metadata = match (std::mem::take(&mut self.metadata), std::mem::take(&mut self.meta)) {
            (MetaSlot::Object(m), _) => m,
            (MetaSlot::NotObject, _) => AdsFields::default(),
            (MetaSlot::Absent | MetaSlot::Null, MetaSlot::Object(m)) => m,
            _ => AdsFields::default(),
        };
        AdsFields::resolve(metadata, own)
    }
}

/// `new`: an object's fields, or not an object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RowSlot<'a> {
    #[default]
    Absent,
    NotObject,
    Object(Box<RowFields<'a>>),
}

/// A postgres_changes payload as far as the pipeline reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayloadFields<'a> {
    pub table: Text<'a>,
    /// `eventType` in the JSON.
    pub event_type: Text<'a>,
    pub commit_timestamp: Text<'a>,
    pub new: RowSlot<'a>,
    pub errors: ErrorsSlot,
}

// ---- decoding -------------------------------------------------------------

impl<'a> Text<'a> {
    /// A string value as a field (trimmed, empty = absent); an escaped
    /// string is decoded into its own copy.
    fn of_json(s: Cow<'a, str>) -> Self {
        match s {
            Cow::Borrowed(b) => Text::of_str(b),
            Cow::Owned(o) => {
                let t = o.trim();
                Text((!t.is_empty()).then(|| Cow::Owned(t.to_string())))
            }
        }
    }

    fn read(r: &mut Reader<'a>) -> JsonResult<Self> {
        if r.kind()? == Kind::String {
            r.read_string().map(Text::of_json)
        } else {
            r.skip_value().map(|()| Text(None))
        }
    }
}

impl<'a> Scalar<'a> {
    /// A number's text as an id: integers as written, other numbers as JS
    /// would print them (`1.50` is `1.5`, `1e2` is `100`). Text that is not
    /// one JSON number (`NaN`, `+5`, from the slot edge) is absent.
    pub fn of_number(text: &'a str) -> Self {
        let mut r = Reader::new(text);
        match r.read_number() {
            Ok(number) if r.finish().is_ok() => Scalar::of_checked_number(number),
            _ => Scalar(None),
        }
    }

    fn of_checked_number(text: &'a str) -> Self {
        Scalar(match Number::of_text(text) {
            Some(Number::Unsigned(_) | Number::Negative(_)) => Some(Cow::Borrowed(text)),
            Some(Number::Double(f)) => Some(Cow::Owned(crate::time::js_number(f))),
            None => None,
        })
    }

    fn read(r: &mut Reader<'a>) -> JsonResult<Self> {
        match r.kind()? {
            Kind::String => r.read_string().map(|s| Scalar(Text::of_json(s).0)),
            // A number out of f64's range fails the payload, as it did under serde_json.
            Kind::Number => {
                let text = r.read_number()?;
                if Number::of_text(text).is_none() {
                    return Err(r.error_here("number out of range"));
                }
                Ok(Scalar::of_checked_number(text))
            }
            _ => r.skip_value().map(|()| Scalar(None)),
        }
    }
}

impl<'a> MetaSlot<'a> {
    fn read(r: &mut Reader<'a>) -> JsonResult<Self> {
        match r.kind()? {
            Kind::Object => read_ads_fields(r).map(MetaSlot::Object),
            Kind::Null => r.read_null().map(|()| MetaSlot::Null),
            _ => r.skip_value().map(|()| MetaSlot::NotObject),
        }
    }
}

impl<'a> RowSlot<'a> {
    fn read(r: &mut Reader<'a>) -> JsonResult<Self> {
        if r.kind()? == Kind::Object {
            read_row_object(r).map(|row| RowSlot::Object(Box::new(row)))
        } else {
            r.skip_value().map(|()| RowSlot::NotObject)
        }
    }
}

impl ErrorsSlot {
    /// Reported means anything but `null`, `false`, or an empty array.
    fn read(r: &mut Reader<'_>) -> JsonResult<Self> {
        Ok(ErrorsSlot(match r.kind()? {
            Kind::Null => r.read_null().map(|()| false)?,
            Kind::Bool => r.read_bool()?,
            Kind::Array => r.skip_array()? > 0,
            _ => r.skip_value().map(|()| true)?,
        }))
    }
}

/// Walks an object's members, handing each key the decoder knows (by its
/// index in `known`) to `field`, skipping the rest; a known key given twice
/// is an error.
fn read_object<'a>(r: &mut Reader<'a>, known: &[&str], mut field: impl FnMut(&mut Reader<'a>, usize) -> JsonResult<()>) -> JsonResult<()> {
    r.begin_object()?;
    let mut seen = 0u32;
    let mut first = true;
    while let Some(key) = r.next_key(first)? {
        first = false;
        match known.iter().position(|k| *k == key) {
            Some(i) => {
                let bit = 1u32 << i;
                if seen & bit != 0 {
                    return Err(r.error_here("duplicate field"));
                }
                seen |= bit;
                field(r, i)?;
            }
            None => r.skip_value()?,
        }
    }
    Ok(())
}

/// The whole text as one object read by `read` (nothing may follow it).
fn whole<'a, T>(text: &'a str, read: impl FnOnce(&mut Reader<'a>) -> JsonResult<T>) -> JsonResult<T> {
    let mut r = Reader::new(text);
    if r.kind()? != Kind::Object {
        return Err(r.error_here("expected an object"));
    }
    let value = read(&mut r)?;
    r.finish()?;
    Ok(value)
}

const ADS_KEYS: [&str; 6] = ["gclid", "wbraid", "gbraid", "utm_medium", "utm_source", "attribution_source"];

fn read_ads_fields<'a>(r: &mut Reader<'a>) -> JsonResult<AdsFields<'a>> {
    let mut f = AdsFields::default();
    read_object(r, &ADS_KEYS, |r, i| {
        let slot = match i {
            0 => &mut f.gclid,
            1 => &mut f.wbraid,
            2 => &mut f.gbraid,
            3 => &mut f.utm_medium,
            4 => &mut f.utm_source,
            _ => &mut f.attribution_source,
        };
        *slot = Text::read(r)?;
        Ok(())
    })?;
    Ok(f)
}

const ROW_KEYS: [&str; 12] = [
    "id", "site_id", "matched_session_id", "session_id", "gclid", "wbraid", "gbraid", "utm_medium", "utm_source", "attribution_source", "metadata", "meta",
];

fn read_row_object<'a>(r: &mut Reader<'a>) -> JsonResult<RowFields<'a>> {
    let mut f = RowFields::default();
    read_object(r, &ROW_KEYS, |r, i| {
        match i {
            0 => f.id = Scalar::read(r)?,
            1 => f.site_id = Scalar::read(r)?,
            2 => f.matched_session_id = Text::read(r)?,
            3 => f.session_id = Text::read(r)?,
            4 => f.gclid = Text::read(r)?,
            5 => f.wbraid = Text::read(r)?,
            6 => f.gbraid = Text::read(r)?,
            7 => f.utm_medium = Text::read(r)?,
            8 => f.utm_source = Text::read(r)?,
            9 => f.attribution_source = Text::read(r)?,
            10 => f.metadata = MetaSlot::read(r)?,
            _ => f.meta = MetaSlot::read(r)?,
        }
        Ok(())
    })?;
    Ok(f)
}

const PAYLOAD_KEYS: [&str; 5] = ["table", "eventType", "commit_timestamp", "new", "errors"];

fn read_payload_object<'a>(r: &mut Reader<'a>) -> JsonResult<PayloadFields<'a>> {
    let mut f = PayloadFields::default();
    read_object(r, &PAYLOAD_KEYS, |r, i| {
        match i {
            0 => f.table = Text::read(r)?,
            1 => f.event_type = Text::read(r)?,
            2 => f.commit_timestamp = Text::read(r)?,
            3 => f.new = RowSlot::read(r)?,
            _ => f.errors = ErrorsSlot::read(r)?,
        }
        Ok(())
    })?;
    Ok(f)
}

impl<'a> PayloadFields<'a> {
    /// A payload's fields from its JSON text (an object).
    pub fn from_json(text: &'a str) -> JsonResult<Self> {
        whole(text, read_payload_object)
    }
}

impl<'a> RowFields<'a> {
    /// A row's fields from its JSON text (an object).
    pub fn from_json(text: &'a str) -> JsonResult<Self> {
        whole(text, read_row_object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_the_rules_use() {
        let text = r#"{"table":" calls ","eventType":"INSERT","x":[1,{"y":2}],"commit_timestamp":"t","new":{"id":12,"site_id":"s","metadata":{"gclid":"g\n"},"gclid":"own","note":"n"},"errors":null}"#;
        let p = PayloadFields::from_json(text).unwrap();
        assert_eq!(p.table.0.as_deref(), Some("calls"));
        assert!(matches!(p.table.0, Some(Cow::Borrowed(_))), "unescaped strings are not copied");
        assert_eq!(p.event_type.0.as_deref(), Some("INSERT"));
        assert!(!p.errors.0);
        let RowSlot::Object(mut row) = p.new else { panic!("row") };
        assert_eq!(row.id.0.as_deref(), Some("12"));
        assert_eq!(row.take_ads_fields().gclid.0.as_deref(), Some("g"), "metadata's value first, trimmed after unescaping");
    }

    #[test]
    fn any_type_is_accepted_where_a_field_is_read() {
        let text = r#"{"table":5,"eventType":["INSERT"],"new":[],"errors":[]}"#;
        let p = PayloadFields::from_json(text).unwrap();
        assert_eq!((p.table.0, p.event_type.0, p.new, p.errors), (None, None, RowSlot::NotObject, ErrorsSlot(false)));
        for (errors, reported) in [("null", false), ("false", false), ("[]", false), ("true", true), ("[1]", true), ("{}", true), ("\"x\"", true), ("0", true)] {
            let text = format!(r#"{{"errors":{errors}}}"#);
            let p = PayloadFields::from_json(&text).unwrap();
            assert_eq!(p.errors.0, reported, "{errors}");
        }
    }

    #[test]
    fn numbers_as_ids_read_like_js_prints_them() {
        for (id, want) in [("12", "12"), ("-3", "-3"), ("1.50", "1.5"), ("1e2", "100"), ("-0", "0")] {
            let text = format!(r#"{{"id":{id}}}"#);
            let row = RowFields::from_json(&text).unwrap();
            assert_eq!(row.id.0.as_deref(), Some(want), "{id}");
        }
    }

    #[test]
    fn slot_numbers_must_be_json_numbers() {
        let big = crate::time::js_number(1e21);
        for (text, want) in [("12", Some("12")), (" 7 ", Some("7")), ("1e+21", Some(big.as_str())), ("NaN", None), ("Infinity", None), ("+5", None), ("1.", None), ("", None), ("1e400", None)] {
            assert_eq!(Scalar::of_number(text).0.as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn ambiguous_or_broken_text_fails_the_payload() {
        for bad in [r#"{"table":"calls","table":"events"}"#, r#"{"new":{"id":1,"id":2}}"#, r#"{"new":{"metadata":{"gclid":"a","gclid":"b"}}}"#, "[]", "null", "{} x", r#"{"table":"calls""#] {
            assert!(PayloadFields::from_json(bad).is_err(), "{bad}");
        }
        assert!(PayloadFields::from_json(r#"{"other":1,"other":2}"#).is_ok(), "fields nobody reads may repeat");
    }
}
