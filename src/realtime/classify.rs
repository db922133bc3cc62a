//! The ads decision of the original dashboard, from one row.
//!
//! The metadata object is `metadata` when present and not null, else `meta`,
//! else none. Each field is read from the metadata object first, then from
//! the row; only strings count, trimmed, and empty means absent. Then:
//! 1. any of gclid / wbraid / gbraid → ads (`click_id_present`);
//! 2. utm_medium (lowercased) in cpc, ppc, paid, paidsearch, paid_search, ads
//!    → ads (`utm_medium=<value>`);
//! 3. attribution_source present → ads when it contains ads, google, gads or
//!    adwords, else non_ads (`attribution_source=<value>`);
//! 4. utm_source or utm_medium present → non_ads (`utm_present_no_paid_signal`);
//! 5. otherwise unknown (`insufficient_payload_fields`).
//!
//! Values in reasons are trimmed and lowercased.

use serde::Serialize;
use serde_json::{Map, Value};

/// The three outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdsKind {
    Ads,
    NonAds,
    Unknown,
}

/// `{kind, reason}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdsDecision {
    pub kind: AdsKind,
    pub reason: String,
}

const PAID_MEDIUMS: [&str; 6] = ["cpc", "ppc", "paid", "paidsearch", "paid_search", "ads"];
const ADS_SOURCES: [&str; 4] = ["ads", "google", "gads", "adwords"];
const CLICK_IDS: [&str; 3] = ["gclid", "wbraid", "gbraid"];

/// Classifies a row (`new` of a payload).
pub fn classify_row(row: &Map<String, Value>) -> AdsDecision {
    let metadata = match row.get("metadata") {
        Some(Value::Null) | None => row.get("meta").filter(|m| !m.is_null()),
        some => some,
    };
    let field = |name: &str| -> Option<&str> { text(metadata.and_then(|m| m.get(name))).or_else(|| text(row.get(name))) };
    if CLICK_IDS.iter().any(|id| field(id).is_some()) {
        return decision(AdsKind::Ads, "click_id_present".to_string());
    }
    let medium = field("utm_medium").map(str::to_ascii_lowercase);
    if let Some(m) = medium.as_deref().filter(|m| PAID_MEDIUMS.contains(m)) {
        return decision(AdsKind::Ads, format!("utm_medium={m}"));
    }
    if let Some(source) = field("attribution_source").map(str::to_ascii_lowercase) {
        let kind = if ADS_SOURCES.iter().any(|s| source.contains(s)) { AdsKind::Ads } else { AdsKind::NonAds };
        return decision(kind, format!("attribution_source={source}"));
    }
    if field("utm_source").is_some() || medium.is_some() {
        return decision(AdsKind::NonAds, "utm_present_no_paid_signal".to_string());
    }
    decision(AdsKind::Unknown, "insufficient_payload_fields".to_string())
}

/// `classifyAds(payload)`: a postgres_changes payload (its `new` row is
/// classified) or a row itself. Anything that is not an object is unknown.
pub fn classify_ads(value: &Value) -> AdsDecision {
    match value {
        Value::Object(obj) => match obj.get("new") {
            Some(Value::Object(row)) => classify_row(row),
            _ => classify_row(obj),
        },
        _ => decision(AdsKind::Unknown, "insufficient_payload_fields".to_string()),
    }
}

/// A string value, trimmed; empty counts as absent.
fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn decision(kind: AdsKind, reason: String) -> AdsDecision {
    AdsDecision { kind, reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(row: Value, kind: AdsKind, reason: &str) {
        let got = classify_ads(&row);
        assert_eq!((got.kind, got.reason.as_str()), (kind, reason), "{row}");
    }

    #[test]
    fn every_branch() {
        use AdsKind::*;
        check(json!({"gclid": "abc"}), Ads, "click_id_present");
        check(json!({"metadata": {"wbraid": " x "}}), Ads, "click_id_present");
        check(json!({"meta": {"gbraid": "y"}}), Ads, "click_id_present");
        check(json!({"utm_medium": " CPC "}), Ads, "utm_medium=cpc");
        for m in ["ppc", "paid", "paidsearch", "paid_search", "ads"] {
            check(json!({"utm_medium": m}), Ads, &format!("utm_medium={m}"));
        }
        check(json!({"attribution_source": "Google Ads"}), Ads, "attribution_source=google ads");
        check(json!({"attribution_source": "AdWords"}), Ads, "attribution_source=adwords");
        check(json!({"attribution_source": "gads_import"}), Ads, "attribution_source=gads_import");
        check(json!({"attribution_source": " Organic "}), NonAds, "attribution_source=organic");
        check(json!({"utm_source": "newsletter"}), NonAds, "utm_present_no_paid_signal");
        check(json!({"utm_medium": "email"}), NonAds, "utm_present_no_paid_signal");
        check(json!({"id": 1}), Unknown, "insufficient_payload_fields");
        check(json!("gclid"), Unknown, "insufficient_payload_fields");
    }

    #[test]
    fn metadata_rules() {
        use AdsKind::*;
        // Only strings count, trimmed; empty is absent.
        check(json!({"gclid": 123}), Unknown, "insufficient_payload_fields");
        check(json!({"gclid": "   "}), Unknown, "insufficient_payload_fields");
        // metadata first, then the row.
        check(json!({"metadata": {"utm_medium": "cpc"}, "utm_medium": "email"}), Ads, "utm_medium=cpc");
        check(json!({"metadata": {"utm_medium": "  "}, "utm_medium": "ppc"}), Ads, "utm_medium=ppc");
        // `metadata: null` falls back to `meta`; a present `metadata` hides `meta`.
        check(json!({"metadata": null, "meta": {"gclid": "g"}}), Ads, "click_id_present");
        check(json!({"metadata": {}, "meta": {"gclid": "g"}}), Unknown, "insufficient_payload_fields");
        // A click id beats a non-paid medium; a paid medium beats attribution.
        check(json!({"gclid": "g", "utm_medium": "email"}), Ads, "click_id_present");
        check(json!({"utm_medium": "cpc", "attribution_source": "organic"}), Ads, "utm_medium=cpc");
        // A payload is classified by its `new` row.
        check(json!({"table": "events", "new": {"utm_source": "x"}}), NonAds, "utm_present_no_paid_signal");
    }
}
