//! Supabase `postgres_changes` payloads, typed:
//! `{schema, table, commit_timestamp, eventType, new, old, errors}`.
//! Only what the dashboard subscribes to decodes; everything else is a
//! counted [`DropReason`], never a panic.

use std::borrow::Cow;

use serde_json::Value;

use crate::realtime::counters::DropReason;
use crate::realtime::json_fields::{AdsFields, PayloadFields, RowSlot};

pub use crate::realtime::payload_limits::{MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH};
use crate::realtime::payload_limits::{check_payload_text, split_array};

/// The tables the dashboard channel listens to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum Table {
    Calls,
    Sessions,
    Events,
}

impl Table {
    /// Every table, in declaration order (the TS side numbers them by it).
    pub const ALL: [Self; 3] = [Table::Calls, Table::Sessions, Table::Events];

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

/// Decodes one payload from JSON text: the limits first (size, depth), then
/// a parse that skips unknown fields instead of building them. Every path
/// (one payload, a batch, a value) comes through here.
pub fn decode_payload_text(text: &str) -> Result<ChangePayload<'_>, DropReason> {
    check_payload_text(text)?;
    let fields = PayloadFields::from_json(text).map_err(|_| DropReason::Malformed)?;
    decode_fields(fields)
}

/// A JSON array of payloads: each element is decoded on its own, under the
/// same limits as a single payload. `Err` when the text is not an array.
pub fn decode_batch_text(text: &str) -> Result<Vec<Result<ChangePayload<'_>, DropReason>>, DropReason> {
    let elements = split_array(text).ok_or(DropReason::Malformed)?;
    Ok(elements.into_iter().map(decode_payload_text).collect())
}

/// The rules over the fields read, whichever path read them (JSON text or the
/// JS edge's slots, `payload_view`).
pub fn decode_fields(fields: PayloadFields<'_>) -> Result<ChangePayload<'_>, DropReason> {
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
        let text = raw.to_string();
        let p = decode_payload_text(&text).unwrap();
        assert_eq!((p.table, p.event_type), (Table::Calls, EventType::Update));
        assert_eq!(p.dedup_key(), "calls:c1:2026-02-02T12:00:00Z");
        assert_eq!(p.site_id.as_deref(), Some("s1"));
        let mut numeric = payload("events", "INSERT");
        numeric["new"]["id"] = json!(42);
        assert_eq!(decode_payload_text(&numeric.to_string()).unwrap().id, "42");
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
            assert_eq!(decode_payload_text(&raw.to_string()), Err(want), "text {raw}");
        }
        assert_eq!(decode_payload_text("{not json"), Err(DropReason::Malformed));
        assert_eq!(decode_payload_text(&"x".repeat(MAX_PAYLOAD_BYTES + 1)), Err(DropReason::Oversized));
        let mut errs = payload("calls", "INSERT");
        errs["errors"] = json!(["boom"]);
        assert_eq!(decode_payload_text(&errs.to_string()), Err(DropReason::ServerErrors));
        let mut deep = json!(1);
        for _ in 0..40 {
            deep = json!({ "a": deep });
        }
        let mut p = payload("calls", "INSERT");
        p["new"]["metadata"] = deep;
        assert_eq!(decode_payload_text(&p.to_string()), Err(DropReason::TooDeep));
    }

    /// One place applies the limits: one payload, a batch, or a value all drop the same payloads for the same reason.
    #[test]
    fn limits_do_not_depend_on_the_path() {
        let mut big = payload("calls", "INSERT");
        big["new"]["note"] = json!("x".repeat(MAX_PAYLOAD_BYTES));
        let deep_text = format!(r#"{{"table":"calls","eventType":"INSERT","commit_timestamp":"t","new":{{"id":1,"x":{}1{}}}}}"#, "[".repeat(5_000), "]".repeat(5_000));
        for (text, want) in [(big.to_string(), DropReason::Oversized), (deep_text, DropReason::TooDeep)] {
            assert_eq!(decode_payload_text(&text).err(), Some(want));
            let batch = format!("[{},{}]", text, payload("calls", "INSERT"));
            let decoded = decode_batch_text(&batch).unwrap();
            assert_eq!(decoded.len(), 2);
            assert_eq!(decoded.first().and_then(|d| d.clone().err()), Some(want), "batch path");
            assert!(decoded.get(1).is_some_and(Result::is_ok), "the next payload of the batch is unaffected");
        }
    }
}
