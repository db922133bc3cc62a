//! What devtools and tests read about the engine's insides: per-site state,
//! sizes, the requests in flight. Plain JSON, never used for decisions.

use serde_json::Value;

use super::in_flight::Pending;
use super::interest::{Interest, RangeSpec};
use super::PulseEngine;
use crate::stats::MergePolicy;

/// A range as devtools reads it: its serde shape, `RangeSpec` in
/// js/generated/core-types.ts (never Rust's debug text).
fn range_json(range: &RangeSpec) -> Value {
    serde_json::to_value(range).unwrap_or_default()
}

/// `today` or `<fromMs>..<toMs>`: one token of an in-flight key or a log line.
pub(super) fn range_text(range: &RangeSpec) -> String {
    match range {
        RangeSpec::Today => "today".to_string(),
        RangeSpec::Fixed { from_ms, to_ms } => format!("{from_ms}..{to_ms}"),
    }
}

fn policy_name(policy: MergePolicy) -> &'static str {
    match policy {
        MergePolicy::DbTruth => "db-truth",
        MergePolicy::LegacyMax => "legacy-max",
    }
}

impl PulseEngine {
    /// What each request in flight is for, one line each (duplicates would be a bug).
    pub fn in_flight_keys(&self) -> Vec<String> {
        self.in_flight
            .iter()
            .map(|(_, r)| match &r.pending {
                Pending::Stats(k) => format!("stats:{}:{}:{}", k.site_id, range_text(&k.range), k.ads_only),
                Pending::Overlay(site) => format!("overlay:{site}"),
                Pending::Probe(site) => format!("probe:{site}"),
                Pending::Lookup { site_id, session_id } => format!("lookup:{site_id}:{session_id}"),
                Pending::Replay { site_id, .. } => format!("replay:{site_id}"),
            })
            .collect()
    }

    /// Every registration as plain JSON: `{handle, kind, siteId, adsOnly, range | atMs, version}`.
    pub fn registrations_debug(&self) -> Vec<Value> {
        self.handles()
            .map(|(handle, interest)| {
                let version = self.version(handle);
                match interest {
                    Interest::Realtime { site_id, ads_only, callbacks } => serde_json::json!({
                        "handle": handle, "kind": "realtime", "siteId": site_id, "adsOnly": ads_only, "callbacks": callbacks, "version": version,
                    }),
                    Interest::Stats(k) => serde_json::json!({
                        "handle": handle, "kind": "stats", "siteId": k.site_id, "range": range_json(&k.range), "adsOnly": k.ads_only, "version": version,
                    }),
                    Interest::RelativeTime { at_ms } => serde_json::json!({"handle": handle, "kind": "relative_time", "atMs": at_ms, "version": version}),
                }
            })
            .collect()
    }

    /// Per-site sizes and state for devtools.
    pub fn sites_debug(&self) -> Value {
        let sites: Vec<Value> = self
            .sites
            .values()
            .map(|s| {
                let pipelines: Vec<Value> = s
                    .pipelines
                    .iter()
                    .map(|(ads_only, (p, refs))| serde_json::json!({"adsOnly": ads_only, "refs": refs, "sizes": p.sizes(), "drops": p.drops()}))
                    .collect();
                serde_json::json!({
                    "siteId": s.site_id,
                    "connection": s.connection.status(),
                    "reconnects": s.connection.reconnects(),
                    "live": s.is_live(self.now),
                    "activityAt": s.activity_at,
                    "probe": {"nextAt": s.probe.next_at, "inFlight": s.probe.in_flight.is_some(), "active": self.probe_active(s)},
                    "overlay": {"nextAt": s.overlay.next_at, "inFlight": s.overlay.in_flight.is_some(), "active": s.overlay_active()},
                    "pipelines": pipelines,
                })
            })
            .collect();
        let stats: Vec<Value> = self
            .stats
            .values()
            .map(|t| {
                serde_json::json!({
                    "key": serde_json::to_value(&t.key).unwrap_or_default(), "fromMs": t.range.from_ms, "toMs": t.range.to_ms, "dayKey": t.range.day_key,
                    "refs": t.handles.len(), "inFlight": t.fetch.in_flight.is_some(), "refetchAt": t.fetch.next_at, "error": t.error,
                    "fetchedAt": t.fetched_at(),
                })
            })
            .collect();
        let timers: Vec<Value> = self.timers.iter().take(64).map(|(at, wake)| serde_json::json!({"atMs": at, "wake": wake})).collect();
        serde_json::json!({
            "now": self.now, "timeZone": self.config.time_zone, "policy": policy_name(self.config.policy), "visible": self.visible, "online": self.online, "probeV1": self.probe_v1, "sites": sites, "stats": stats,
            "timers": timers, "timerCount": self.timers.len(), "queuedCommands": self.commands.len(), "inFlightCount": self.in_flight.len(), "logBytes": self.log.text_bytes(),
        })
    }

}
