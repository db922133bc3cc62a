//! Field types for decoding payloads straight from JSON text with serde,
//! reading only what the rules use. Unknown fields are skipped without being
//! built, which is most of a payload: parsing into a generic JSON tree and
//! cloning rows cost ~9 µs per event (measured by `npm run bench:events`).
//!
//! Each type accepts *any* JSON value so a surprising type never fails the
//! whole payload: it just does not count (the rules say only strings count).

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A string field: trimmed, empty = absent; any other JSON type = absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub Option<String>);

/// An id-like field: a string or a number, as text; anything else = absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scalar(pub Option<String>);

/// `metadata` / `meta`: absent, `null`, not an object, or an object's ads fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MetaSlot {
    #[default]
    Absent,
    Null,
    NotObject,
    Object(AdsFields),
}

/// `errors`: whether the payload reported any (non-null, non-empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorsSlot(pub bool);

/// The fields the ads decision reads, from one object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AdsFields {
    pub gclid: Text,
    pub wbraid: Text,
    pub gbraid: Text,
    pub utm_medium: Text,
    pub utm_source: Text,
    pub attribution_source: Text,
}

impl AdsFields {
    /// Field by field, the metadata object's value first, then the row's.
    pub fn resolve(metadata: &AdsFields, row: &AdsFields) -> AdsFields {
        let pick = |m: &Text, r: &Text| Text(m.0.clone().or_else(|| r.0.clone()));
        AdsFields {
            gclid: pick(&metadata.gclid, &row.gclid),
            wbraid: pick(&metadata.wbraid, &row.wbraid),
            gbraid: pick(&metadata.gbraid, &row.gbraid),
            utm_medium: pick(&metadata.utm_medium, &row.utm_medium),
            utm_source: pick(&metadata.utm_source, &row.utm_source),
            attribution_source: pick(&metadata.attribution_source, &row.attribution_source),
        }
    }
}

/// A row (`new`) as far as the pipeline reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RowFields {
    pub id: Scalar,
    pub site_id: Scalar,
    pub status: Text,
    pub matched_session_id: Text,
    pub session_id: Text,
    pub gclid: Text,
    pub wbraid: Text,
    pub gbraid: Text,
    pub utm_medium: Text,
    pub utm_source: Text,
    pub attribution_source: Text,
    pub metadata: MetaSlot,
    pub meta: MetaSlot,
}

impl RowFields {
    /// The ads fields after the metadata rule: `metadata` when present and
    /// not null, else `meta`, else none; then the row.
    pub fn ads_fields(&self) -> AdsFields {
        let own = AdsFields {
            gclid: self.gclid.clone(),
            wbraid: self.wbraid.clone(),
            gbraid: self.gbraid.clone(),
            utm_medium: self.utm_medium.clone(),
            utm_source: self.utm_source.clone(),
            attribution_source: self.attribution_source.clone(),
        };
        let metadata = match (&self.metadata, &self.meta) {
            (MetaSlot::Object(m), _) => m.clone(),
            (MetaSlot::NotObject, _) => AdsFields::default(),
            (MetaSlot::Absent | MetaSlot::Null, MetaSlot::Object(m)) => m.clone(),
            _ => AdsFields::default(),
        };
        AdsFields::resolve(&metadata, &own)
    }
}

/// `new`: an object's fields, or not an object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RowSlot {
    #[default]
    Absent,
    NotObject,
    Object(Box<RowFields>),
}

/// A postgres_changes payload as far as the pipeline reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PayloadFields {
    pub table: Text,
    #[serde(rename = "eventType")]
    pub event_type: Text,
    pub commit_timestamp: Text,
    pub new: RowSlot,
    pub errors: ErrorsSlot,
}

/// One element of a payload batch: an object's fields, or not an object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayloadSlot(pub Option<PayloadFields>);

impl<'de> Deserialize<'de> for PayloadSlot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(PayloadSlot(match object_or::<D, PayloadFields>(d)? {
            ObjectOr::Object(p) => Some(p),
            ObjectOr::Null | ObjectOr::Other => None,
        }))
    }
}

/// `classifyAds` input: a payload (its `new` row is used) or a row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PayloadOrRow {
    pub new: RowSlot,
    #[serde(flatten)]
    pub row: RowFields,
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
    type Value = (Kind, Option<String>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        Ok((Kind::Str, (!t.is_empty()).then(|| t.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok((Kind::Number, self.numbers.then(|| v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok((Kind::Number, self.numbers.then(|| v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok((Kind::Number, self.numbers.then(|| crate::time::js_number(v))))
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

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (kind, text) = d.deserialize_any(TextVisitor { numbers: false })?;
        Ok(Text(if kind == Kind::Str { text } else { None }))
    }
}

impl<'de> Deserialize<'de> for Scalar {
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

impl<'de> Deserialize<'de> for MetaSlot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match object_or::<D, AdsFields>(d)? {
            ObjectOr::Null => MetaSlot::Null,
            ObjectOr::Object(m) => MetaSlot::Object(m),
            ObjectOr::Other => MetaSlot::NotObject,
        })
    }
}

impl<'de> Deserialize<'de> for RowSlot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match object_or::<D, RowFields>(d)? {
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
