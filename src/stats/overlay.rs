//! The `/api/stats/realtime` reply: `{captured, gclid, junk}` from the Redis
//! hash `stats:{siteId}:{day}`, or `{captured: 0, gclid: 0, junk: 0,
//! _fallback: true}` when Redis failed. A fallback reply is degraded, never
//! data: its zeros must not be merged or mistaken for a quiet day.

use serde_json::Value;

use crate::stats::normalize::{json_type, numeric};
use crate::time::js_number;

/// The live counters of one day.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct OverlayCounts {
    pub captured: f64,
    pub gclid: f64,
    pub junk: f64,
}

/// What an overlay reply turned out to be.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(tag = "kind", rename_all = "snake_case"))]
pub enum OverlayReply {
    /// Usable counters.
    Counts(OverlayCounts),
    /// `_fallback: true`: Redis was down; nothing to merge.
    Fallback,
    /// Not an overlay reply; `error` names what is wrong.
    Error { error: String },
}

/// Classifies a raw reply. Counters may be numbers or numeric strings (Redis
/// hash values are strings); each must be present, finite and non-negative.
pub fn normalize_overlay(raw: &Value) -> OverlayReply {
    let Value::Object(map) = raw else {
        return OverlayReply::Error { error: format!("overlay reply must be an object, got {}", json_type(raw)) };
    };
    if map.get("_fallback").is_some_and(|v| v == &Value::Bool(true)) {
        return OverlayReply::Fallback;
    }
    let read = |name: &str| -> Result<f64, String> {
        let value = map.get(name).ok_or_else(|| format!("overlay reply has no '{name}'"))?;
        let n = numeric(value).map_err(|(_, why)| format!("overlay '{name}': {why}"))?;
        if n < 0.0 || n.fract() != 0.0 {
            return Err(format!("overlay '{name}' must be a whole count >= 0, got {}", js_number(n)));
        }
        Ok(n)
    };
    match (read("captured"), read("gclid"), read("junk")) {
        (Ok(captured), Ok(gclid), Ok(junk)) => OverlayReply::Counts(OverlayCounts { captured, gclid, junk }),
        (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => OverlayReply::Error { error },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_numeric_strings() {
        let want = OverlayReply::Counts(OverlayCounts { captured: 40.0, gclid: 7.0, junk: 0.0 });
        assert_eq!(normalize_overlay(&json!({"captured": 40, "gclid": 7, "junk": 0})), want);
        assert_eq!(normalize_overlay(&json!({"captured": "40", "gclid": "7", "junk": "0"})), want);
    }

    #[test]
    fn fallback_is_degraded_even_with_counts() {
        assert_eq!(normalize_overlay(&json!({"captured": 0, "gclid": 0, "junk": 0, "_fallback": true})), OverlayReply::Fallback);
        // `_fallback: false` is an ordinary reply.
        assert!(matches!(normalize_overlay(&json!({"captured": 1, "gclid": 0, "junk": 0, "_fallback": false})), OverlayReply::Counts(_)));
    }

    #[test]
    fn anything_else_is_an_error_naming_it() {
        for (raw, needle) in [
            (json!(null), "got null"),
            (json!([1, 2, 3]), "got array"),
            (json!({"captured": 1, "gclid": 0}), "no 'junk'"),
            (json!({"captured": "x", "gclid": 0, "junk": 0}), "'captured'"),
            (json!({"captured": -1, "gclid": 0, "junk": 0}), "'captured' must be"),
            (json!({"captured": 1.5, "gclid": 0, "junk": 0}), "'captured' must be"),
            (json!({"captured": 1, "gclid": "NaN", "junk": 0}), "'gclid'"),
            (json!({"error": "rate limited"}), "no 'captured'"),
        ] {
            match normalize_overlay(&raw) {
                OverlayReply::Error { error } => assert!(error.contains(needle), "{raw}: {error}"),
                other => panic!("{raw}: {other:?}"),
            }
        }
    }
}
