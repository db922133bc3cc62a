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

use serde_json::Value;

use crate::realtime::json_fields::{AdsFields, PayloadFields, RowFields, RowSlot, Text};
use crate::realtime::payload::{depth, MAX_PAYLOAD_DEPTH};

/// The three outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
pub enum AdsKind {
    Ads,
    NonAds,
    Unknown,
}

/// `{kind, reason}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct AdsDecision {
    pub kind: AdsKind,
    pub reason: String,
}

const PAID_MEDIUMS: [&str; 6] = ["cpc", "ppc", "paid", "paidsearch", "paid_search", "ads"];
const ADS_SOURCES: [&str; 4] = ["ads", "google", "gads", "adwords"];

/// Why, as the rules found it; the text of a reason is built only when asked
/// for (`classifyAds`): the pipeline needs the kind alone, once per payload.
enum Reason<'a> {
    ClickId,
    PaidMedium(&'a str),
    Attribution(&'a str),
    UtmWithoutPaidSignal,
    Insufficient,
}

impl Reason<'_> {
    fn text(&self) -> String {
        match self {
            Reason::ClickId => "click_id_present".to_string(),
            Reason::PaidMedium(m) => format!("utm_medium={}", m.to_ascii_lowercase()),
            Reason::Attribution(s) => format!("attribution_source={}", s.to_ascii_lowercase()),
            Reason::UtmWithoutPaidSignal => "utm_present_no_paid_signal".to_string(),
            Reason::Insufficient => "insufficient_payload_fields".to_string(),
        }
    }
}

/// Whether `hay`, ASCII-lowercased, contains `needle` (lowercase ASCII), without lowercasing a copy.
fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The rules, in order. ASCII case-folding: the paid markers are ASCII, and it
/// keeps Unicode case tables out of the wasm.
fn decide<'a>(fields: &'a AdsFields<'_>) -> (AdsKind, Reason<'a>) {
    let present = |t: &Text<'_>| t.0.is_some();
    if present(&fields.gclid) || present(&fields.wbraid) || present(&fields.gbraid) {
        return (AdsKind::Ads, Reason::ClickId);
    }
    let medium = fields.utm_medium.0.as_deref();
    if let Some(m) = medium.filter(|m| PAID_MEDIUMS.iter().any(|p| p.eq_ignore_ascii_case(m))) {
        return (AdsKind::Ads, Reason::PaidMedium(m));
    }
    if let Some(source) = fields.attribution_source.0.as_deref() {
        let kind = if ADS_SOURCES.iter().any(|s| contains_ignore_ascii_case(source, s)) { AdsKind::Ads } else { AdsKind::NonAds };
        return (kind, Reason::Attribution(source));
    }
    if present(&fields.utm_source) || medium.is_some() {
        return (AdsKind::NonAds, Reason::UtmWithoutPaidSignal);
    }
    (AdsKind::Unknown, Reason::Insufficient)
}

/// Classifies resolved ads fields (see [`AdsFields::resolve`]).
pub fn classify_fields(fields: &AdsFields<'_>) -> AdsDecision {
    let (kind, reason) = decide(fields);
    decision(kind, reason.text())
}

/// The kind alone (what the pipeline reads per payload; no text built).
pub fn classify_kind(fields: &AdsFields<'_>) -> AdsKind {
    decide(fields).0
}

/// `classifyAds(payload)`: a postgres_changes payload (its `new` row is
/// classified) or a row itself. Anything that is not an object is unknown.
pub fn classify_ads(value: &Value) -> AdsDecision {
    if !value.is_object() || depth(value) > MAX_PAYLOAD_DEPTH {
        return unknown();
    }
    // The tree's text through the one decoder: a tree costs a copy anyway.
    classify_ads_text(&value.to_string())
}

/// `classifyAds` on JSON text (a payload's `new` row, or the row itself).
pub fn classify_ads_text(text: &str) -> AdsDecision {
    match PayloadFields::from_json(text).map(|p| p.new) {
        Ok(RowSlot::Object(mut row)) => classify_fields(&row.take_ads_fields()),
        _ => RowFields::from_json(text).map_or_else(|_| unknown(), |mut row| classify_fields(&row.take_ads_fields())),
    }
}

fn unknown() -> AdsDecision {
    decision(AdsKind::Unknown, "insufficient_payload_fields".to_string())
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
        let inner = row.get("new").filter(|r| r.is_object()).unwrap_or(&row);
        let text = json!({ "new": inner }).to_string();
        if let Ok(RowSlot::Object(mut r)) = PayloadFields::from_json(&text).map(|p| p.new) {
            assert_eq!(classify_kind(&r.take_ads_fields()), kind, "kind alone {row}");
        }
        assert_eq!((got.kind, got.reason.as_str()), (kind, reason), "{row}");
        assert_eq!(classify_ads_text(&row.to_string()), got, "text path {row}");
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
        check(json!({"attribution_source": "MyGOOGLE-x"}), Ads, "attribution_source=mygoogle-x");
        check(json!({"attribution_source": "gOoGlé"}), NonAds, "attribution_source=googlé");
        check(json!({"utm_medium": "ÇPC"}), NonAds, "utm_present_no_paid_signal");
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
