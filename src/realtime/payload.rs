//! Supabase `postgres_changes` payloads, typed:
//! `{schema, table, commit_timestamp, eventType, new, old, errors}`.
//! Only what the dashboard subscribes to decodes; everything else is a
//! counted [`DropReason`], never a panic.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use crate::realtime::counters::DropReason;
use crate::realtime::json_fields::{AdsFields, PayloadFields, PayloadSlot, RowSlot};

/// Largest payload accepted, as JSON text (checked at the boundary too).
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;
/// Deepest nesting accepted inside a payload. Rows are flat; metadata adds a level or two.
pub const MAX_PAYLOAD_DEPTH: usize = 16;

/// The tables the dashboard channel listens to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Calls,
    Sessions,
    Events,
}

impl Table {
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Calls => "calls",
            Table::Sessions => "sessions",
            Table::Events => "events",
        }
    }
}

/// `eventType` of a change. The channel subscribes to INSERT (all three
/// tables) and UPDATE (calls only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Insert,
    Update,
}

/// A decoded change: only the fields the pipeline reads. The row itself
/// stays with the caller (the TS driver keeps it and attaches it to the
/// callbacks by `seq`), so it never crosses the boundary twice.
/// Strings borrow from the input where they can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePayload<'a> {
    pub table: Table,
    pub event_type: EventType,
    pub commit_timestamp: Cow<'a, str>,
    /// The row's `id` as text (numbers are written in decimal).
    pub id: Cow<'a, str>,
    pub site_id: Option<Cow<'a, str>>,
    pub status: Option<Cow<'a, str>>,
    pub matched_session_id: Option<Cow<'a, str>>,
    pub session_id: Option<Cow<'a, str>>,
    /// The ads fields after the metadata rule.
    pub ads: AdsFields<'a>,
}

impl ChangePayload<'_> {
    /// The dedup key of the original: `table:id:commit_timestamp`.
    pub fn dedup_key(&self) -> String {
        let mut key = String::with_capacity(self.id.len() + self.commit_timestamp.len() + 10);
        key.push_str(self.table.as_str());
        key.push(':');
        key.push_str(&self.id);
        key.push(':');
        key.push_str(&self.commit_timestamp);
        key
    }
}

/// Nesting depth of a JSON value (a scalar is 0). Iterative, so a hostile
/// value cannot exhaust the stack here.
pub fn depth(value: &Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    max
}

/// Decodes one payload from JSON text (the fast path: unknown fields are
/// skipped, not built). Nesting is bounded by serde_json's 128 levels.
pub fn decode_payload_text(text: &str) -> Result<ChangePayload<'_>, DropReason> {
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(DropReason::Oversized);
    }
    let fields: PayloadFields = serde_json::from_str(text).map_err(|_| DropReason::Malformed)?;
    from_fields(fields)
}

/// Decodes one payload already parsed as a JSON value.
pub fn decode_payload(raw: &Value) -> Result<ChangePayload<'_>, DropReason> {
    if !raw.is_object() {
        return Err(DropReason::Malformed);
    }
    if depth(raw) > MAX_PAYLOAD_DEPTH {
        return Err(DropReason::TooDeep);
    }
    from_fields(PayloadFields::deserialize(raw).map_err(|_| DropReason::Malformed)?)
}

/// A JSON array of payloads in one parse. A non-object element is malformed;
/// `Err` when the text is not a JSON array of objects at all.
pub fn decode_batch_text(text: &str) -> Result<Vec<Result<ChangePayload<'_>, DropReason>>, DropReason> {
    let slots: Vec<PayloadSlot> = serde_json::from_str(text).map_err(|_| DropReason::Malformed)?;
    Ok(slots.into_iter().map(|slot| slot.0.ok_or(DropReason::Malformed).and_then(from_fields)).collect())
}

fn from_fields(fields: PayloadFields<'_>) -> Result<ChangePayload<'_>, DropReason> {
    if fields.errors.0 {
        return Err(DropReason::ServerErrors);
    }
    let table = match fields.table.0.as_deref() {
        Some("calls") => Table::Calls,
        Some("sessions") => Table::Sessions,
        Some("events") => Table::Events,
        Some(_) => return Err(DropReason::UnknownTable),
        None => return Err(DropReason::Malformed),
    };
    let event_type = match fields.event_type.0.as_deref() {
        Some("INSERT") => EventType::Insert,
        Some("UPDATE") if table == Table::Calls => EventType::Update,
        Some("UPDATE" | "DELETE") => return Err(DropReason::UnsupportedEvent),
        _ => return Err(DropReason::Malformed),
    };
    let commit_timestamp = fields.commit_timestamp.0.filter(|s| s.len() <= 64).ok_or(DropReason::Malformed)?;
    let RowSlot::Object(mut row) = fields.new else { return Err(DropReason::Malformed) };
    let id = std::mem::take(&mut row.id).0.filter(|id| !id.is_empty() && id.len() <= 128).ok_or(DropReason::Malformed)?;
    let ads = row.take_ads_fields();
    let row = *row;
    Ok(ChangePayload {
        table,
        event_type,
        commit_timestamp,
        id,
        site_id: row.site_id.0,
        status: row.status.0,
        matched_session_id: row.matched_session_id.0,
        session_id: row.session_id.0,
        ads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(table: &str, event: &str) -> Value {
        json!({"schema": "public", "table": table, "commit_timestamp": "2026-02-02T12:00:00Z", "eventType": event,
               "new": {"id": "c1", "site_id": "s1"}, "old": {}, "errors": null})
    }

    #[test]
    fn decodes_the_subscribed_changes() {
        let raw = payload("calls", "UPDATE");
        let p = decode_payload(&raw).unwrap();
        assert_eq!((p.table, p.event_type), (Table::Calls, EventType::Update));
        assert_eq!(p.dedup_key(), "calls:c1:2026-02-02T12:00:00Z");
        assert_eq!(p.site_id.as_deref(), Some("s1"));
        let text = raw.to_string();
        assert_eq!(decode_payload_text(&text), Ok(p.clone()));
        let mut numeric = payload("events", "INSERT");
        numeric["new"]["id"] = json!(42);
        assert_eq!(decode_payload(&numeric).unwrap().id, "42");
        // Strings with escapes still decode (owned instead of borrowed).
        let escaped = r#"{"table":"calls","eventType":"INSERT","commit_timestamp":"t","new":{"id":"a\"b","gclid":"\u0067"}}"#;
        let p = decode_payload_text(escaped).unwrap();
        assert_eq!((p.id.as_ref(), p.ads.gclid.0.as_deref()), ("a\"b", Some("g")));
    }

    #[test]
    fn rejects_with_a_reason() {
        let cases = [
            (payload("users", "INSERT"), DropReason::UnknownTable),
            (payload("sessions", "UPDATE"), DropReason::UnsupportedEvent),
            (payload("calls", "DELETE"), DropReason::UnsupportedEvent),
            (payload("calls", "TRUNCATE"), DropReason::Malformed),
            (json!([1, 2]), DropReason::Malformed),
            (json!({"table": "calls", "eventType": "INSERT", "commit_timestamp": "t", "new": null}), DropReason::Malformed),
            (json!({"table": "calls", "eventType": "INSERT", "commit_timestamp": "t", "new": {"site_id": "s1"}}), DropReason::Malformed),
            (json!({"table": "calls", "eventType": "INSERT", "new": {"id": 1}}), DropReason::Malformed),
        ];
        for (raw, want) in cases {
            assert_eq!(decode_payload(&raw), Err(want), "{raw}");
            assert_eq!(decode_payload_text(&raw.to_string()), Err(want), "text {raw}");
        }
        assert_eq!(decode_payload_text("{not json"), Err(DropReason::Malformed));
        assert_eq!(decode_payload_text(&"x".repeat(MAX_PAYLOAD_BYTES + 1)), Err(DropReason::Oversized));
        let mut errs = payload("calls", "INSERT");
        errs["errors"] = json!(["boom"]);
        assert_eq!(decode_payload(&errs), Err(DropReason::ServerErrors));
        let mut deep = json!(1);
        for _ in 0..40 {
            deep = json!({ "a": deep });
        }
        let mut p = payload("calls", "INSERT");
        p["new"]["metadata"] = deep;
        assert_eq!(decode_payload(&p), Err(DropReason::TooDeep));
    }
}
