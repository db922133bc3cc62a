//! Supabase `postgres_changes` payloads, typed:
//! `{schema, table, commit_timestamp, eventType, new, old, errors}`.
//! Only what the dashboard subscribes to decodes; everything else is a
//! counted [`DropReason`], never a panic.

use serde_json::{Map, Value};

use crate::realtime::counters::DropReason;

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

/// A decoded change the pipeline can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangePayload {
    pub table: Table,
    pub event_type: EventType,
    pub commit_timestamp: String,
    /// The row's `id` as text (numbers are written in decimal).
    pub id: String,
    pub new: Map<String, Value>,
}

impl ChangePayload {
    /// The dedup key of the original: `table:id:commit_timestamp`.
    pub fn dedup_key(&self) -> String {
        format!("{}:{}:{}", self.table.as_str(), self.id, self.commit_timestamp)
    }

    /// `new.site_id` when it is a string or number.
    pub fn site_id(&self) -> Option<String> {
        scalar_text(self.new.get("site_id")?)
    }

    /// A string field of the row, trimmed; empty counts as absent.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.new.get(field).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Nesting depth of a JSON value (a scalar is 0).
pub fn depth(value: &Value) -> usize {
    // Iterative, so a hostile value cannot exhaust the stack here.
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

/// Decodes one payload.
pub fn decode_payload(raw: &Value) -> Result<ChangePayload, DropReason> {
    let Value::Object(obj) = raw else { return Err(DropReason::Malformed) };
    if depth(raw) > MAX_PAYLOAD_DEPTH {
        return Err(DropReason::TooDeep);
    }
    match obj.get("errors") {
        None | Some(Value::Null) => {}
        Some(Value::Array(errors)) if errors.is_empty() => {}
        Some(_) => return Err(DropReason::ServerErrors),
    }
    let table = match obj.get("table").and_then(Value::as_str) {
        Some("calls") => Table::Calls,
        Some("sessions") => Table::Sessions,
        Some("events") => Table::Events,
        Some(_) => return Err(DropReason::UnknownTable),
        None => return Err(DropReason::Malformed),
    };
    let event_type = match obj.get("eventType").and_then(Value::as_str) {
        Some("INSERT") => EventType::Insert,
        Some("UPDATE") if table == Table::Calls => EventType::Update,
        Some("UPDATE" | "DELETE") => return Err(DropReason::UnsupportedEvent),
        _ => return Err(DropReason::Malformed),
    };
    let commit_timestamp = match obj.get("commit_timestamp") {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 64 => s.clone(),
        _ => return Err(DropReason::Malformed),
    };
    let Some(Value::Object(new)) = obj.get("new") else { return Err(DropReason::Malformed) };
    let id = new.get("id").and_then(scalar_text).filter(|id| !id.is_empty() && id.len() <= 128).ok_or(DropReason::Malformed)?;
    Ok(ChangePayload { table, event_type, commit_timestamp, id, new: new.clone() })
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
        let p = decode_payload(&payload("calls", "UPDATE")).unwrap();
        assert_eq!((p.table, p.event_type), (Table::Calls, EventType::Update));
        assert_eq!(p.dedup_key(), "calls:c1:2026-02-02T12:00:00Z");
        assert_eq!(p.site_id().as_deref(), Some("s1"));
        let mut numeric = payload("events", "INSERT");
        numeric["new"]["id"] = json!(42);
        assert_eq!(decode_payload(&numeric).unwrap().id, "42");
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
        }
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
