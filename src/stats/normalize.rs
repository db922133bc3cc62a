//! `normalizeP0Stats(raw)`: whatever PostgREST returned → a typed snapshot or
//! `None`. Never a panic, never a silent NaN: every correction is recorded in
//! `issues`, and fields the contract does not know are reported, not passed
//! through, so a changed RPC shows up in devtools instead of in a broken UI.
//!
//! Rules (the README repeats them):
//! - `null`, `[]`, a non-object, or an object without `sealed` → `None`
//!   (the original's test for "is this a stats payload").
//! - `[x, ...]` → `x`; more than one row is recorded (`extra_rows`).
//! - counts: a finite number or numeric string; missing/null/wrong type/
//!   unparsable/NaN/±Infinity → 0; negative → 0; fractional → rounded down.
//! - amounts (`assumed_cpc`, `estimated_budget_saved`, `projected_revenue`,
//!   `avg_scroll_depth`): a finite number or numeric string, else 0.
//! - text: a string, else `""`; `date_from`/`date_to` must parse as ISO-8601.
//! - flags: a boolean, else `false`.

use serde_json::{Map, Value};

use crate::stats::snapshot::{CommandCenterP0Stats, FieldKind, IssueCode, StatsIssue, FIELDS};
use crate::text::{cap, message as capped_message};
use crate::time::{js_number, truncate};

/// Normalizes a raw RPC reply. `None` when the payload is not a stats object.
pub fn normalize_p0_stats(raw: &Value) -> Option<CommandCenterP0Stats> {
    let mut issues = Vec::new();
    let object = match raw {
        Value::Object(map) => map,
        Value::Array(rows) => {
            if rows.len() > 1 {
                issues.push(issue("(rows)", IssueCode::ExtraRows, format!("PostgREST returned {} rows; the first was used", rows.len())));
            }
            match rows.first() {
                Some(Value::Object(map)) => map,
                _ => return None,
            }
        }
        _ => return None,
    };
    if !object.contains_key("sealed") {
        return None;
    }
    let mut fields = Fields { object, issues };
    let stats = CommandCenterP0Stats {
        site_id: fields.text("site_id"),
        date_from: fields.instant_text("date_from"),
        date_to: fields.instant_text("date_to"),
        ads_only: fields.flag("ads_only"),
        queue_pending: fields.count("queue_pending"),
        sealed: fields.count("sealed"),
        junk: fields.count("junk"),
        auto_approved: fields.count("auto_approved"),
        oci_uploaded: fields.count("oci_uploaded"),
        oci_failed: fields.count("oci_failed"),
        oci_matchable_sealed: fields.count("oci_matchable_sealed"),
        assumed_cpc: fields.amount("assumed_cpc"),
        currency: fields.text("currency"),
        estimated_budget_saved: fields.amount("estimated_budget_saved"),
        projected_revenue: fields.amount("projected_revenue"),
        total_leads: fields.count("total_leads"),
        gclid_leads: fields.count("gclid_leads"),
        avg_scroll_depth: fields.amount("avg_scroll_depth"),
        inbox_zero_now: fields.flag("inbox_zero_now"),
        issues: Vec::new(),
    };
    let mut issues = fields.issues;
    // A snapshot normalized before (and sent through JSON again) keeps its issues.
    if let Some(earlier) = object.get(ISSUES_KEY).and_then(StatsIssue::list_from_json) {
        // They came from the network too: bounded like everything else.
        let earlier = earlier.into_iter().take(MAX_ISSUES).map(|i| issue(&i.field, i.code, i.message));
        issues.splice(0..0, earlier);
    }
    for (key, value) in object {
        if key != ISSUES_KEY && !FIELDS.iter().any(|(name, _)| name == key) {
            issues.push(issue(
                truncate(key, 64),
                IssueCode::UnknownField,
                format!("field '{}' ({}) is not in the stats contract; not passed through", truncate(key, 64), json_type(value)),
            ));
        }
    }
    cap_issues(&mut issues);
    Some(CommandCenterP0Stats { issues, ..stats })
}

/// Text fields are ids, a currency and two instants: this is plenty.
pub const MAX_TEXT_FIELD_BYTES: usize = 128;
/// Issues kept per snapshot (a reply with 50,000 unknown keys is one bad reply, not 50,000 issues).
pub const MAX_ISSUES: usize = 64;

/// Keeps the first `MAX_ISSUES - 1` issues and one that counts the rest.
/// A list already capped is left alone, so normalizing twice is the identity.
fn cap_issues(issues: &mut Vec<StatsIssue>) {
    if issues.len() <= MAX_ISSUES {
        return;
    }
    let dropped = issues.len() - (MAX_ISSUES - 1);
    issues.truncate(MAX_ISSUES - 1);
    issues.push(issue("(issues)", IssueCode::TooManyIssues, format!("{dropped} more issues not kept")));
}

/// Our own output field: known, so a normalized snapshot normalizes to itself.
const ISSUES_KEY: &str = "issues";

/// An issue, its text capped like everything else the snapshot keeps.
fn issue(field: &str, code: IssueCode, message: String) -> StatsIssue {
    StatsIssue { field: cap(field, MAX_TEXT_FIELD_BYTES).into_owned(), code, message: capped_message(&message) }
}

/// The JSON type of a value, for messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A number from a JSON number or a numeric string (PostgREST sends numerics
/// as strings). `Err` carries the issue to record.
pub(crate) fn numeric(value: &Value) -> Result<f64, (IssueCode, String)> {
    let n = match value {
        Value::Number(n) => n.as_f64().ok_or((IssueCode::WrongType, "a number JSON cannot hold as f64".to_string()))?,
        Value::String(s) => {
            let t = s.trim();
            // Rust's parser also takes "inf"/"nan": those fall to the finiteness check below.
            crate::json::parse_f64(t).ok_or_else(|| (IssueCode::Unparsable, format!("'{}' is not a number", truncate(s, 40))))?
        }
        Value::Null => return Err((IssueCode::Null, "null".to_string())),
        other => return Err((IssueCode::WrongType, format!("a {} is not a number", json_type(other)))),
    };
    if !n.is_finite() {
        return Err((IssueCode::NotFinite, format!("{} is not finite", js_number(n))));
    }
    Ok(n)
}

struct Fields<'a> {
    object: &'a Map<String, Value>,
    issues: Vec<StatsIssue>,
}

impl Fields<'_> {
    fn get(&mut self, name: &str) -> Option<&Value> {
        let value = self.object.get(name);
        if value.is_none() {
            self.issues.push(issue(name, IssueCode::Missing, format!("{name} is missing; using the default")));
        }
        value
    }

    fn number(&mut self, name: &str, kind: FieldKind) -> f64 {
        let Some(value) = self.get(name) else { return 0.0 };
        match numeric(value) {
            Ok(n) if kind == FieldKind::Count && n < 0.0 => {
                self.issues.push(issue(name, IssueCode::Negative, format!("{name} is {}, a count cannot be negative; using 0", js_number(n))));
                0.0
            }
            Ok(n) if kind == FieldKind::Count && n.fract() != 0.0 => {
                self.issues.push(issue(name, IssueCode::NotInteger, format!("{name} is {}, a count is whole; rounded down", js_number(n))));
                n.floor()
            }
            Ok(n) => n,
            Err((code, why)) => {
                self.issues.push(issue(name, code, format!("{name}: {why}; using 0")));
                0.0
            }
        }
    }

    fn count(&mut self, name: &str) -> f64 {
        self.number(name, FieldKind::Count)
    }

    fn amount(&mut self, name: &str) -> f64 {
        self.number(name, FieldKind::Amount)
    }

    fn text(&mut self, name: &str) -> String {
        match self.get(name) {
            Some(Value::String(s)) if s.len() > MAX_TEXT_FIELD_BYTES => {
                let message = format!("{name} is {} bytes; kept the first {MAX_TEXT_FIELD_BYTES}", s.len());
                let kept = cap(s, MAX_TEXT_FIELD_BYTES).into_owned();
                self.issues.push(issue(name, IssueCode::TooLong, message));
                kept
            }
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                let code = if other.is_null() { IssueCode::Null } else { IssueCode::WrongType };
                let message = format!("{name} is a {}, expected a string; using ''", json_type(other));
                self.issues.push(issue(name, code, message));
                String::new()
            }
            None => String::new(),
        }
    }

    fn instant_text(&mut self, name: &str) -> String {
        let text = self.text(name);
        if !text.is_empty() && parse_instant_ms(&text).is_none() {
            let message = format!("{name} '{}' is not an ISO-8601 instant; the live overlay cannot be matched to this range", truncate(&text, 40));
            self.issues.push(issue(name, IssueCode::InvalidDate, message));
        }
        text
    }

    fn flag(&mut self, name: &str) -> bool {
        match self.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                let code = if other.is_null() { IssueCode::Null } else { IssueCode::WrongType };
                let message = format!("{name} is a {}, expected a boolean; using false", json_type(other));
                self.issues.push(issue(name, code, message));
                false
            }
            None => false,
        }
    }
}

/// Epoch ms of an ISO-8601 / RFC 3339 instant (`2026-02-01T21:00:00.000Z`,
/// `2026-02-01T21:00:00+00:00`, or Postgres' `2026-02-01 21:00:00+00`).
pub fn parse_instant_ms(text: &str) -> Option<i64> {
    if let Some(ms) = crate::time::parse_rfc3339_ms(text) {
        return Some(ms);
    }
    // Postgres text output: space separator and a short `+HH` offset.
    let normalized = text.replacen(' ', "T", 1);
    let with_minutes = match normalized.rfind(['+', '-']) {
        Some(pos) if normalized.len() - pos == 3 && pos > 10 => format!("{normalized}:00"),
        _ => normalized,
    };
    crate::time::parse_rfc3339_ms(&with_minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn clean() -> Value {
        json!({
            "site_id": "3f2b6c1e-0000-4000-8000-000000000001", "date_from": "2026-02-01T21:00:00.000Z",
            "date_to": "2026-02-02T21:00:00.000Z", "ads_only": true, "queue_pending": 4, "sealed": 12, "junk": 3,
            "auto_approved": 2, "oci_uploaded": 5, "oci_failed": 1, "oci_matchable_sealed": 6, "assumed_cpc": 1.25,
            "currency": "TRY", "estimated_budget_saved": 3.75, "projected_revenue": 1200.5, "total_leads": 19,
            "gclid_leads": 9, "avg_scroll_depth": 61.5, "inbox_zero_now": false
        })
    }

    fn codes(stats: &CommandCenterP0Stats) -> Vec<(String, IssueCode)> {
        stats.issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn clean_object_has_no_issues() {
        let s = normalize_p0_stats(&clean()).unwrap();
        assert!(s.issues.is_empty(), "{:?}", s.issues);
        assert_eq!((s.sealed, s.total_leads, s.assumed_cpc), (12.0, 19.0, 1.25));
        assert!(s.ads_only);
    }

    #[test]
    fn postgrest_shapes() {
        assert!(normalize_p0_stats(&Value::Null).is_none());
        assert!(normalize_p0_stats(&json!([])).is_none());
        assert!(normalize_p0_stats(&json!([null])).is_none());
        assert!(normalize_p0_stats(&json!("sealed")).is_none());
        assert!(normalize_p0_stats(&json!({"total_leads": 3})).is_none(), "no sealed key: not a stats payload");
        assert_eq!(normalize_p0_stats(&json!([clean()])).unwrap().sealed, 12.0);
        let two = normalize_p0_stats(&json!([clean(), clean()])).unwrap();
        assert_eq!(codes(&two), vec![("(rows)".into(), IssueCode::ExtraRows)]);
    }

    #[test]
    fn numeric_strings_become_numbers() {
        let mut raw = clean();
        raw["sealed"] = json!(" 12 ");
        raw["projected_revenue"] = json!("1200.50");
        let s = normalize_p0_stats(&raw).unwrap();
        assert_eq!((s.sealed, s.projected_revenue), (12.0, 1200.5));
        assert!(s.issues.is_empty());
    }

    #[test]
    fn each_bad_field_rule_records_an_issue() {
        let cases: Vec<(&str, Value, IssueCode, f64)> = vec![
            ("junk", json!(null), IssueCode::Null, 0.0),
            ("junk", json!("NaN"), IssueCode::NotFinite, 0.0),
            ("junk", json!("Infinity"), IssueCode::NotFinite, 0.0),
            ("junk", json!("-inf"), IssueCode::NotFinite, 0.0),
            ("junk", json!("twelve"), IssueCode::Unparsable, 0.0),
            ("junk", json!(""), IssueCode::Unparsable, 0.0),
            ("junk", json!(true), IssueCode::WrongType, 0.0),
            ("junk", json!({"n": 1}), IssueCode::WrongType, 0.0),
            ("junk", json!(-3), IssueCode::Negative, 0.0),
            ("junk", json!(2.7), IssueCode::NotInteger, 2.0),
            ("assumed_cpc", json!("abc"), IssueCode::Unparsable, 0.0),
        ];
        for (field, value, code, want) in cases {
            let mut raw = clean();
            raw[field] = value.clone();
            let s = normalize_p0_stats(&raw).unwrap();
            assert_eq!(codes(&s), vec![(field.to_string(), code)], "{field}={value}");
            let got = serde_json::to_value(&s).unwrap()[field].as_f64().unwrap();
            assert_eq!(got, want, "{field}={value}");
            assert!(s.issues.iter().all(|i| i.message.contains(field)));
        }
        // Negative amounts are allowed (a budget can be negative); only counts are clamped.
        let mut raw = clean();
        raw["estimated_budget_saved"] = json!(-5.5);
        assert!(normalize_p0_stats(&raw).unwrap().issues.is_empty());
    }

    #[test]
    fn missing_text_and_flags_default_with_issues() {
        let mut raw = clean();
        raw.as_object_mut().unwrap().remove("currency");
        raw["ads_only"] = json!("yes");
        raw["date_to"] = json!("tomorrow");
        let s = normalize_p0_stats(&raw).unwrap();
        assert_eq!(s.currency, "");
        assert!(!s.ads_only);
        let got = codes(&s);
        assert!(got.contains(&("currency".into(), IssueCode::Missing)));
        assert!(got.contains(&("ads_only".into(), IssueCode::WrongType)));
        assert!(got.contains(&("date_to".into(), IssueCode::InvalidDate)));
    }

    #[test]
    fn unknown_fields_are_reported_not_passed_through() {
        let mut raw = clean();
        raw["sealed_v3"] = json!(99);
        let s = normalize_p0_stats(&raw).unwrap();
        assert_eq!(codes(&s), vec![("sealed_v3".into(), IssueCode::UnknownField)]);
        let out = serde_json::to_value(&s).unwrap();
        assert!(out.get("sealed_v3").is_none());
    }

    #[test]
    fn normalizing_a_normalized_snapshot_is_the_identity() {
        let mut raw = clean();
        raw["junk"] = json!("NaN");
        let once = normalize_p0_stats(&raw).unwrap();
        let twice = normalize_p0_stats(&serde_json::to_value(&once).unwrap()).unwrap();
        assert_eq!(once, twice);
        assert_eq!(twice.issues.len(), 1);
    }

    #[test]
    fn instants_in_the_shapes_postgres_and_js_send() {
        let want = Some(1_769_979_600_000);
        assert_eq!(parse_instant_ms("2026-02-01T21:00:00.000Z"), want);
        assert_eq!(parse_instant_ms("2026-02-01T21:00:00+00:00"), want);
        assert_eq!(parse_instant_ms("2026-02-02T00:00:00+03:00"), want);
        assert_eq!(parse_instant_ms("2026-02-01 21:00:00+00"), want);
        assert_eq!(parse_instant_ms("2026-02-02"), None);
        assert_eq!(parse_instant_ms(""), None);
    }
}
