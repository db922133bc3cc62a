//! Field types for decoding payloads straight from JSON text with serde,
//! reading only what the rules use. Unknown fields are skipped without being
//! built, which is most of a payload: parsing into a generic JSON tree and
//! cloning rows cost ~9 µs per event (measured by `npm run bench:events`).
//!
//! Each type accepts *any* JSON value so a surprising type never fails the
//! whole payload: it just does not count (the rules say only strings count).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AdsFields<'a> {
    #[serde(borrow)]
    pub gclid: Text<'a>,
    #[serde(borrow)]
    pub wbraid: Text<'a>,
    #[serde(borrow)]
    pub gbraid: Text<'a>,
    #[serde(borrow)]
    pub utm_medium: Text<'a>,
    #[serde(borrow)]
    pub utm_source: Text<'a>,
    #[serde(borrow)]
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
/// listed again here rather than `#[serde(flatten)]`-ed from `AdsFields`:
/// flatten buffers every field of the row first, which costs both speed on
/// the per-event path and wasm size.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RowFields<'a> {
    #[serde(borrow)]
    pub id: Scalar<'a>,
    #[serde(borrow)]
    pub site_id: Scalar<'a>,
    #[serde(borrow)]
    pub matched_session_id: Text<'a>,
    #[serde(borrow)]
    pub session_id: Text<'a>,
    #[serde(borrow)]
    pub gclid: Text<'a>,
    #[serde(borrow)]
    pub wbraid: Text<'a>,
    #[serde(borrow)]
    pub gbraid: Text<'a>,
    #[serde(borrow)]
    pub utm_medium: Text<'a>,
    #[serde(borrow)]
    pub utm_source: Text<'a>,
    #[serde(borrow)]
    pub attribution_source: Text<'a>,
    #[serde(borrow)]
    pub metadata: MetaSlot<'a>,
    #[serde(borrow)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PayloadFields<'a> {
    #[serde(borrow)]
    pub table: Text<'a>,
    #[serde(borrow, rename = "eventType")]
    pub event_type: Text<'a>,
    #[serde(borrow)]
    pub commit_timestamp: Text<'a>,
    #[serde(borrow)]
    pub new: RowSlot<'a>,
    pub errors: ErrorsSlot,
}

// ---- visitors -------------------------------------------------------------

/// Consumes any value, reporting what kind it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Str,
    Number,
    Other,
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<usize, A::Error> {
    let mut n = 0;
    while seq.next_element::<IgnoredAny>()?.is_some() {
        n += 1;
    }
    Ok(n)
}

struct TextVisitor {
    numbers: bool,
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = (Kind, Option<Cow<'de, str>>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok((Kind::Str, Text::of_str(v).0))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        Ok((Kind::Str, (!t.is_empty()).then(|| Cow::Owned(t.to_string()))))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok((Kind::Number, self.numbers.then(|| Cow::Owned(v.to_string()))))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok((Kind::Number, self.numbers.then(|| Cow::Owned(v.to_string()))))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok((Kind::Number, self.numbers.then(|| Cow::Owned(crate::time::js_number(v)))))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok((Kind::Other, None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((Kind::Null, None))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((Kind::Null, None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map)?;
        Ok((Kind::Other, None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq)?;
        Ok((Kind::Other, None))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (kind, text) = d.deserialize_any(TextVisitor { numbers: false })?;
        Ok(Text(if kind == Kind::Str { text } else { None }))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Scalar(d.deserialize_any(TextVisitor { numbers: true })?.1))
    }
}

/// Deserializes an object into `T`, or records that the value was something else.
struct ObjectVisitor<T>(std::marker::PhantomData<T>);

enum ObjectOr<T> {
    Null,
    Object(T),
    Other,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = ObjectOr<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(ObjectOr::Object)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ObjectOr::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ObjectOr::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq)?;
        Ok(ObjectOr::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other)
    }
}

fn object_or<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<ObjectOr<T>, D::Error> {
    d.deserialize_any(ObjectVisitor(std::marker::PhantomData))
}

impl<'de: 'a, 'a> Deserialize<'de> for MetaSlot<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match object_or::<D, AdsFields<'a>>(d)? {
            ObjectOr::Null => MetaSlot::Null,
            ObjectOr::Object(m) => MetaSlot::Object(m),
            ObjectOr::Other => MetaSlot::NotObject,
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RowSlot<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match object_or::<D, RowFields<'a>>(d)? {
            ObjectOr::Object(r) => RowSlot::Object(Box::new(r)),
            ObjectOr::Null | ObjectOr::Other => RowSlot::NotObject,
        })
    }
}

struct ErrorsVisitor;

impl<'de> Visitor<'de> for ErrorsVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        Ok(skip_seq(seq)? > 0)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        skip_map(map)?;
        Ok(true)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(true)
    }
}

impl<'de> Deserialize<'de> for ErrorsSlot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ErrorsSlot(d.deserialize_any(ErrorsVisitor)?))
    }
}
