//! The wasm writes JSON with `opsmantik_pulse::json` (no serde in it); the
//! serde derives stay behind the `ts` feature for the generated TS types.
//! Here both must write the same text for every shape that crosses: sample
//! values of each, and (through `check_engine`, called by the engine
//! harness after every drain) everything every engine scenario produces.

use opsmantik_pulse::engine::{Command, Counters, DateRangeIso, LogEntry, PulseEngine, RangeSpec, RegistrationSnapshot, RequestKind, RequestReason, StatsKey, StatsSnapshot, Wake};
use opsmantik_pulse::json::{parse_value, to_json_text, ToJson};
use opsmantik_pulse::realtime::{classify_ads_text, ChannelStatus, NotificationKind, RealtimeState, Table};
use opsmantik_pulse::stats::{self, merge_overlay, FieldSource, FieldSources, LiveOverlay, MergeOptions, MergePolicy, OverlayStatus, Provenance};
use serde::Serialize;
use serde_json::{json, Value};

/// Ours and serde_json's text of one value, byte for byte.
#[track_caller]
pub fn same<T: ToJson + Serialize + ?Sized>(value: &T) {
    assert_eq!(to_json_text(value), serde_json::to_string(value).unwrap());
}

/// Every output of the engine as it stands: drained commands are checked by the caller.
pub fn check_engine(engine: &PulseEngine) {
    same::<Counters>(&engine.counters());
    same::<Vec<LogEntry>>(&engine.log());
    let handles: Vec<u32> = engine.handles().map(|(h, _)| h).collect();
    for h in &handles {
        if let Some(s) = engine.snapshot(*h) {
            same::<RegistrationSnapshot>(s);
        }
    }
    // Devtools' text is JSON with one registration per handle. Its typed
    // parts (a stats key, a wake, drop counts) list their fields in declaration
    // order, as everywhere else (they were sorted when this text was built
    // from JSON maps; JSON.parse does not care).
    let debug: Value = serde_json::from_str(&engine.debug_json()).unwrap();
    assert_eq!(debug["registrations"].as_array().map(Vec::len), Some(handles.len()));
    assert_eq!(debug["timerCount"].as_u64().map(|n| n.min(64)), debug["timers"].as_array().map(|t| t.len() as u64));
}

#[test]
fn stats_shapes() {
    let raw = json!([{"sealed": "3", "junk": -1, "queue_pending": 2.5, "assumed_cpc": 1.25, "currency": "TRY\n", "date_from": "2026-01-01T00:00:00Z", "extra": {}, "site_id": null}, {}]);
    let normalized = stats::normalize_p0_stats(&raw);
    assert!(normalized.as_ref().is_some_and(|s| !s.issues.is_empty()));
    same(&normalized);
    same(&stats::normalize_p0_stats(&json!(null)));
    for overlay in [json!({"captured": 1, "gclid": 2, "junk": 3}), json!({"fallback": true}), json!({"captured": -1}), json!("x")] {
        same(&stats::normalize_overlay(&overlay));
    }
    let reply = stats::normalize_overlay(&json!({"captured": 4, "gclid": 1, "junk": 0}));
    for policy in [MergePolicy::DbTruth, MergePolicy::LegacyMax] {
        let options = MergeOptions { policy, now_ms: 1_767_225_600_000, time_zone: "Europe/Istanbul", overlay_received_at_ms: None, snapshot_fetched_at_ms: Some(1_767_225_000_000) };
        same(&merge_overlay(normalized.as_ref(), Some(&reply), options).unwrap());
        same(&merge_overlay(None, None, options).unwrap());
    }
}

#[test]
fn engine_shapes() {
    let live = LiveOverlay { captured: Some(1.5), gclid: None, junk: Some(0.0), day_key: "2026-01-01".into(), received_at_ms: -5, fallback: true };
    let provenance = Provenance {
        policy: MergePolicy::LegacyMax,
        overlay: OverlayStatus::PreviousDay,
        fields: FieldSources { sealed: FieldSource::Overlay, junk: FieldSource::Db, total_leads: FieldSource::Db, gclid_leads: FieldSource::Overlay },
        snapshot_age_ms: Some(3),
        overlay_age_ms: None,
        error: Some("e\u{1}".into()),
    };
    let stats = StatsSnapshot {
        stats: stats::normalize_p0_stats(&json!({"sealed": 1})),
        loading: true,
        error: None,
        date_range: DateRangeIso { from: "a".into(), to: "b".into() },
        day_key: Some("2026-01-01".into()),
        live: Some(live),
        provenance: Some(provenance),
        fetched_at_ms: None,
        fetching: false,
        settled_request_id: Some(u64::MAX),
    };
    let realtime = RealtimeState {
        is_connected: true,
        connection_status: ChannelStatus::ChannelError,
        is_live: false,
        ads_live: true,
        last_event_at: Some(1),
        last_signal_at: None,
        last_signal_type: Some(Table::Sessions),
        event_count: 9,
        error: None,
    };
    same(&RegistrationSnapshot::Stats(Box::new(stats)));
    same(&RegistrationSnapshot::Realtime(realtime));
    same(&RegistrationSnapshot::RelativeTime { label: "5m ago".into(), at_ms: 7 });
    let params = json!({"p_site_id": "s\"", "p_limit": 1, "nested": [1.5, {"b": null, "a": true}]});
    let key = StatsKey { site_id: "s".into(), range: RangeSpec::Fixed { from_ms: -1, to_ms: 2 }, ads_only: true };
    same(&vec![
        Command::Rpc { request_id: 1, kind: RequestKind::Lookup, reason: RequestReason::SessionLookup, site_id: "s".into(), name: "get", params },
        Command::FetchOverlay { request_id: 2, reason: RequestReason::BackFromHidden, site_id: "s".into() },
        Command::Abort { request_id: 3, reason: opsmantik_pulse::engine::AbortReason::TimedOut },
        Command::Subscribe { site_id: "s".into(), channel: "c".into() },
        Command::Unsubscribe { site_id: "s".into(), channel: "c".into() },
        Command::Notify { site_id: "s".into(), handles: vec![1, 2], kind: NotificationKind::EventCreated, table: Table::Events, seq: Some(4), row_id: None },
        Command::Release { site_id: "s".into(), seq: 5 },
    ]);
    same(&key);
    same(&RangeSpec::Today);
    for wake in [
        Wake::RequestTimeout { request_id: 1 },
        Wake::Rollover { key: key.clone() },
        Wake::StatsFetch { key },
        Wake::Reconnect { site_id: "s".into() },
        Wake::Probe { site_id: "s".into() },
        Wake::OverlayPoll { site_id: "s".into() },
        Wake::LiveExpiry { site_id: "s".into() },
        Wake::RelativeLabel { handle: 3 },
    ] {
        same(&wake);
    }
}

#[test]
fn realtime_shapes() {
    for text in [r#"{"gclid":"x"}"#, r#"{"new":{"utm_medium":"CPC"}}"#, r#"{"attribution_source":"Organic"}"#, "[]"] {
        same(&classify_ads_text(text));
    }
}

/// What the wasm's JSON arguments are parsed into: serde_json's tree for every text serde_json accepts.
#[test]
fn value_trees() {
    let text = r#"{"z":[0,-1,2.50,1E3,-0.0,12345678901234567890,18446744073709551616],"a":{"\u0041\ud83d\ude00":"\\/\b"},"a":[]}"#;
    assert_eq!(parse_value(text).unwrap(), serde_json::from_str::<Value>(text).unwrap());
}

/// One difference, on purpose: doubles are rounded correctly (core's parser,
/// as JSON.parse does); serde_json's default parser can be one unit off.
#[test]
fn doubles_round_like_json_parse() {
    let text = "123456789012345678901";
    assert_eq!(parse_value(text).unwrap().as_f64(), Some(123_456_789_012_345_678_901_f64));
    assert_ne!(serde_json::from_str::<Value>(text).unwrap().as_f64(), Some(123_456_789_012_345_678_901_f64));
}
