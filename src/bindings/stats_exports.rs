//! Stats functions at the boundary. Structured data crosses as JSON text in
//! both directions: the TS layer stringifies (keeping NaN/Infinity visible as
//! strings so they are reported, not nulled) and parses the reply. The JSON
//! reader caps nesting (`json::MAX_NESTING`), so a hostile deeply nested
//! value is an error, not a stack overflow.

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::js_args::{epoch_ms_arg, optional_epoch_ms_arg, policy_arg, text_arg, time_zone_arg, to_js_error, to_json};
use crate::error::{Error, ErrorKind};
use crate::stats::{self, CommandCenterP0Stats, MergeOptions};

/// Largest JSON text accepted for a stats payload or overlay reply.
use crate::stats::MAX_JSON_BYTES;

fn parse(name: &str, text: &str) -> Result<Value, JsValue> {
    if text.len() > MAX_JSON_BYTES {
        return Err(to_js_error(Error::new(ErrorKind::InvalidStats, format!("{name} is {} bytes of JSON; the limit is {MAX_JSON_BYTES}", text.len()))));
    }
    crate::json::parse_value(text).map_err(|e| to_js_error(Error::new(ErrorKind::InvalidStats, format!("{name} is not usable JSON: {}", e.message(text)))))
}


/// `normalizeP0Stats` on JSON text; returns JSON text (`null` or the snapshot).
#[wasm_bindgen(js_name = normalizeP0StatsJson)]
pub fn normalize_p0_stats_json(raw_json: JsValue) -> Result<String, JsValue> {
    Ok(to_json(&stats::normalize_p0_stats(&parse("raw", &text_arg("raw", &raw_json)?)?)))
}

/// `normalizeOverlay` on JSON text; returns `{kind: 'counts'|'fallback'|'error', ...}` as JSON text.
#[wasm_bindgen(js_name = normalizeOverlayJson)]
pub fn normalize_overlay_json(raw_json: JsValue) -> Result<String, JsValue> {
    Ok(to_json(&stats::normalize_overlay(&parse("overlay", &text_arg("overlay", &raw_json)?)?)))
}


/// `mergeOverlay(stats, overlay, {policy, nowMs, timeZone, overlayReceivedAtMs, snapshotFetchedAtMs})`.
#[wasm_bindgen(js_name = mergeOverlayJson)]
#[allow(clippy::too_many_arguments)]
pub fn merge_overlay_json(
    stats_json: JsValue,
    overlay_json: JsValue,
    policy: JsValue,
    now_ms: JsValue,
    time_zone: JsValue,
    overlay_received_at_ms: JsValue,
    snapshot_fetched_at_ms: JsValue,
) -> Result<String, JsValue> {
    let stats_value = parse("stats", &text_arg("stats", &stats_json)?)?;
    // Normalizing a normalized snapshot is the identity, and a raw RPC reply gets normalized.
    let snapshot: Option<CommandCenterP0Stats> = if stats_value.is_null() {
        None
    } else {
        Some(stats::normalize_p0_stats(&stats_value).ok_or_else(|| {
            to_js_error(Error::new(
                ErrorKind::InvalidStats,
                "stats must be a stats snapshot (normalizeP0Stats output or the RPC's reply) or null",
            ))
        })?)
    };
    let overlay_value = parse("overlay", &text_arg("overlay", &overlay_json)?)?;
    let overlay = (!overlay_value.is_null()).then(|| stats::normalize_overlay(&overlay_value));
    let zone = time_zone_arg(&time_zone)?;
    let options = MergeOptions {
        policy: policy_arg(&policy)?,
        now_ms: epoch_ms_arg("nowMs", &now_ms)?,
        time_zone: &zone,
        overlay_received_at_ms: optional_epoch_ms_arg("overlayReceivedAtMs", &overlay_received_at_ms)?,
        snapshot_fetched_at_ms: optional_epoch_ms_arg("snapshotFetchedAtMs", &snapshot_fetched_at_ms)?,
    };
    let merged = stats::merge_overlay(snapshot.as_ref(), overlay.as_ref(), options).map_err(to_js_error)?;
    Ok(to_json(&merged))
}
