//! Scenario tests for the realtime reducer: payload sequences in, state and
//! notifications out.

use opsmantik_pulse::realtime::{
    ChannelStatus, DropReason, PayloadOutcome, PipelineConfig, RealtimeInput, RealtimeOutput,
    RealtimeSession, Table,
};
use proptest::prelude::*;
use serde_json::{json, Value};

const SITE: &str = "site-a";

fn payload(table: &str, event: &str, id: &str, ts: &str, new: Value) -> Value {
    let mut row = new;
    row["id"] = json!(id);
    json!({"schema": "public", "table": table, "commit_timestamp": ts, "eventType": event, "new": row, "old": {}, "errors": null})
}

fn session(ads_only: bool) -> RealtimeSession {
    let mut s = RealtimeSession::new(PipelineConfig::new(SITE, ads_only), 42);
    assert!(matches!(s.poll_output(), Some(RealtimeOutput::Subscribe { ref channel, .. }) if channel == "dashboard_updates:site-a"));
    s.handle(RealtimeInput::ChannelStatus { status: ChannelStatus::Subscribed, message: None }, 0);
    s
}

/// Drains outputs as compact labels: `notify:call_created:calls`, `lookup:1:sess`, ...
fn outputs(s: &mut RealtimeSession) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(o) = s.poll_output() {
        out.push(match o {
            RealtimeOutput::Subscribe { .. } => "subscribe".into(),
            RealtimeOutput::Unsubscribe { .. } => "unsubscribe".into(),
            RealtimeOutput::LookupSession { request_id, session_id, .. } => format!("lookup:{request_id}:{session_id}"),
            RealtimeOutput::Notify(n) => {
                let kind = serde_json::to_value(n.kind).unwrap();
                format!("notify:{}:{}", kind.as_str().unwrap(), n.table.as_str())
            }
            RealtimeOutput::Release { seq } => format!("release:{seq}"),
        });
    }
    out
}

/// Feeds a payload as JSON text, numbering it by its commit timestamp's digits (or 0).
fn feed(s: &mut RealtimeSession, p: &Value, now: i64) -> PayloadOutcome {
    let seq = p["commit_timestamp"].as_str().unwrap_or("").trim_start_matches('t').parse().unwrap_or(0);
    s.handle(RealtimeInput::PayloadText { text: &p.to_string(), seq }, now).unwrap()
}

/// How a cell's session lookup is answered: rows (ads), no rows (not ads, or
/// not this site's session), or an error.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Ads,
    NoRows,
    Error,
}

const ALL: bool = false;
const ADS: bool = true;

/// One cell of the callback contract (README, "Callbacks"): a fresh session
/// in `ads_only` mode gets payload `p` (seq 1); a lookup it asks for is
/// answered with `answer`. Returns every output, and how the payload was
/// counted (`accepted` or its drop reason).
fn cell(ads_only: bool, p: &Value, answer: Answer) -> (Vec<String>, String) {
    let mut s = session(ads_only);
    s.handle(RealtimeInput::PayloadText { text: &p.to_string(), seq: 1 }, 10);
    let mut out = outputs(&mut s);
    if out.iter().any(|o| o.starts_with("lookup:1:")) {
        let result = match answer {
            Answer::Ads => Ok(true),
            Answer::NoRows => Ok(false),
            Answer::Error => Err("permission denied".to_string()),
        };
        s.handle(RealtimeInput::LookupResult { request_id: 1, result }, 20);
        out.extend(outputs(&mut s));
    }
    let pipeline = s.pipeline();
    assert_eq!((pipeline.received(), pipeline.waiting_rows()), (1, 0));
    assert_eq!(pipeline.accepted() + pipeline.drops().total(), 1, "counted once: accepted or dropped");
    let drops = serde_json::to_value(pipeline.drops()).unwrap();
    let reason = drops.as_object().unwrap().iter().find(|(_, n)| n.as_u64() != Some(0)).map(|(k, _)| k.clone());
    (out, reason.unwrap_or_else(|| "accepted".to_string()))
}

/// `base` with the fields of `extra` added.
fn merged(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}

/// What a cell should return: its outputs in order, and how it was counted.
fn expect(labels: &[&str], how: &str) -> (Vec<String>, String) {
    (labels.iter().map(|l| l.to_string()).collect(), how.to_string())
}

#[test]
fn calls_fire_the_call_callbacks_whatever_their_status() {
    for status in [Some("intent"), Some("INTENT"), Some("confirmed"), None] {
        for (event, kind) in [("INSERT", "notify:call_created:calls"), ("UPDATE", "notify:call_updated:calls")] {
            let row = |extra: Value| payload("calls", event, "c1", "t1", merged(json!({"site_id": SITE, "status": status}), extra));
            let with_session = row(json!({"matched_session_id": "sA"}));
            let without = row(json!({"gclid": "g"}));
            let ctx = format!("{event} status={status:?}");
            // All traffic: every call, no lookup (a matched session changes nothing).
            for p in [&with_session, &without] {
                for answer in [Answer::Ads, Answer::NoRows, Answer::Error] {
                    assert_eq!(cell(ALL, p, answer), expect(&[kind], "accepted"), "{ctx}");
                }
            }
            // Ads only: no matched session is freshness; else the lookup decides.
            assert_eq!(cell(ADS, &without, Answer::Ads), expect(&["notify:data_freshness:calls"], "accepted"), "{ctx}");
            assert_eq!(cell(ADS, &with_session, Answer::Ads), expect(&["lookup:1:sA", kind, "release:1"], "accepted"), "{ctx}");
            assert_eq!(cell(ADS, &with_session, Answer::NoRows), expect(&["lookup:1:sA", "release:1"], "non_ads"), "{ctx}");
            assert_eq!(cell(ADS, &with_session, Answer::Error), expect(&["lookup:1:sA", "notify:data_freshness:calls", "release:1"], "accepted"), "{ctx}");
        }
    }
}

#[test]
fn sessions_fire_freshness_in_both_modes() {
    for ads_only in [ALL, ADS] {
        for extra in [json!({"gclid": "g"}), json!({"utm_source": "newsletter"}), json!({})] {
            let p = payload("sessions", "INSERT", "s1", "t1", merged(json!({"site_id": SITE}), extra));
            assert_eq!(cell(ads_only, &p, Answer::Ads), expect(&["notify:data_freshness:sessions"], "accepted"));
        }
    }
}

#[test]
fn events_reach_callbacks_only_through_their_session_lookup() {
    let event = |extra: Value| payload("events", "INSERT", "e1", "t1", extra);
    let fired = ["lookup:1:sA", "notify:event_created:events", "notify:data_freshness:events", "release:1"];
    // All traffic: the lookup proves the site; only rows fire. The payload's ads fields do not matter.
    assert_eq!(cell(ALL, &event(json!({"gclid": "g"})), Answer::Ads), expect(&[], "no_session"));
    for extra in [json!({}), json!({"utm_source": "newsletter"}), json!({"gclid": "g"})] {
        let row = merged(json!({"session_id": "sA"}), extra);
        assert_eq!(cell(ALL, &event(row.clone()), Answer::Ads), expect(&fired, "accepted"), "{row}");
        assert_eq!(cell(ALL, &event(row.clone()), Answer::NoRows), expect(&["lookup:1:sA", "release:1"], "non_ads"), "{row}");
        assert_eq!(cell(ALL, &event(row.clone()), Answer::Error), expect(&["lookup:1:sA", "release:1"], "lookup_failed"), "{row}");
    }
    // Ads only: a non-ads payload is out first; no session is freshness; else the lookup decides.
    assert_eq!(cell(ADS, &event(json!({"session_id": "sA", "utm_source": "newsletter"})), Answer::Ads), expect(&[], "non_ads"));
    for extra in [json!({"gclid": "g"}), json!({})] {
        assert_eq!(cell(ADS, &event(extra), Answer::Ads), expect(&["notify:data_freshness:events"], "accepted"));
    }
    for row in [json!({"session_id": "sA"}), json!({"session_id": "sA", "gclid": "g"})] {
        assert_eq!(cell(ADS, &event(row.clone()), Answer::Ads), expect(&fired, "accepted"), "{row}");
        assert_eq!(cell(ADS, &event(row.clone()), Answer::NoRows), expect(&["lookup:1:sA", "release:1"], "non_ads"), "{row}");
        assert_eq!(cell(ADS, &event(row.clone()), Answer::Error), expect(&["lookup:1:sA", "notify:data_freshness:events", "release:1"], "accepted"), "{row}");
    }
}

#[test]
fn an_event_counts_as_activity_only_once_its_session_proves_the_site() {
    for ads_only in [ALL, ADS] {
        let mut s = session(ads_only);
        feed(&mut s, &payload("events", "INSERT", "e1", "t1", json!({"session_id": "sA"})), 10);
        feed(&mut s, &payload("events", "INSERT", "e2", "t2", json!({"session_id": "sB"})), 11);
        feed(&mut s, &payload("events", "INSERT", "e3", "t3", json!({})), 12);
        assert_eq!(outputs(&mut s).into_iter().filter(|o| o.starts_with("lookup")).collect::<Vec<_>>(), vec!["lookup:1:sA", "lookup:2:sB"]);
        let st = s.state();
        assert_eq!((st.event_count, st.last_event_at, st.last_signal_at, st.is_live), (0, None, None, false), "ads_only={ads_only}: nothing proven yet");
        s.handle(RealtimeInput::LookupResult { request_id: 2, result: Ok(false) }, 20);
        s.handle(RealtimeInput::LookupResult { request_id: 1, result: Ok(true) }, 30);
        let st = s.state();
        assert_eq!((st.event_count, st.last_event_at, st.last_signal_at, st.last_signal_type), (1, Some(30), Some(30), Some(Table::Events)), "ads_only={ads_only}");
        assert!(st.is_live && st.ads_live);
    }
}

#[test]
fn another_sites_event_fires_nothing_and_is_not_activity() {
    for ads_only in [ALL, ADS] {
        // No site_id: this site's lookup of the session finds no rows.
        let unnamed = payload("events", "INSERT", "e1", "t1", json!({"session_id": "other-site-session", "gclid": "g"}));
        assert_eq!(cell(ads_only, &unnamed, Answer::NoRows), expect(&["lookup:1:other-site-session", "release:1"], "non_ads"));
        // Naming another site: dropped before any lookup.
        let mut s = session(ads_only);
        let named = payload("events", "INSERT", "e2", "t2", json!({"site_id": "site-b", "session_id": "sA"}));
        assert_eq!(feed(&mut s, &named, 1), PayloadOutcome::Dropped(DropReason::CrossSite));
        feed(&mut s, &unnamed, 2);
        s.handle(RealtimeInput::LookupResult { request_id: 1, result: Ok(false) }, 3);
        assert_eq!(outputs(&mut s), vec!["lookup:1:other-site-session", "release:1"]);
        let st = s.state();
        assert_eq!((st.event_count, st.last_event_at, st.last_signal_at, st.is_live), (0, None, None, false));
    }
}

#[test]
fn all_traffic_lookups_are_cached_and_coalesced_like_ads_only() {
    let mut s = session(ALL);
    let event = |id: &str, ts: &str, sess: &str| payload("events", "INSERT", id, ts, json!({"session_id": sess}));
    feed(&mut s, &event("e1", "t1", "sA"), 1);
    feed(&mut s, &event("e2", "t2", "sA"), 2);
    assert_eq!(outputs(&mut s), vec!["lookup:1:sA"], "one request per session");
    s.handle(RealtimeInput::LookupResult { request_id: 1, result: Ok(true) }, 3);
    assert_eq!(outputs(&mut s).len(), 6, "both rows fired (callback + freshness) and were released");
    assert_eq!(feed(&mut s, &event("e3", "t3", "sA"), 4), PayloadOutcome::Accepted, "cached");
    assert_eq!(outputs(&mut s), vec!["notify:event_created:events", "notify:data_freshness:events"]);
    assert_eq!(s.pipeline().cached_sessions(), vec!["sA"]);
}

#[test]
fn all_traffic_events_waiting_when_the_pipeline_closes_fire_nothing() {
    let mut s = session(ALL);
    feed(&mut s, &payload("events", "INSERT", "e1", "t1", json!({"session_id": "sA"})), 1);
    outputs(&mut s);
    s.handle(RealtimeInput::Close, 2);
    assert_eq!(outputs(&mut s), vec!["unsubscribe", "release:1"]);
    assert_eq!(s.drops().lookup_failed, 1);
    // The answer arriving after the close is late: counted, not applied.
    s.handle(RealtimeInput::LookupResult { request_id: 1, result: Ok(true) }, 3);
    assert!(outputs(&mut s).is_empty());
    assert_eq!((s.pipeline().late_lookup_results(), s.state().event_count), (1, 0));
}

#[test]
fn lookup_overflow_is_freshness_in_ads_only_and_nothing_in_all_traffic() {
    for ads_only in [ALL, ADS] {
        let mut config = PipelineConfig::new(SITE, ads_only);
        config.max_pending_lookups = 1;
        let mut s = RealtimeSession::new(config, 1);
        outputs(&mut s);
        feed(&mut s, &payload("events", "INSERT", "e1", "t1", json!({"session_id": "sA"})), 1);
        let outcome = feed(&mut s, &payload("events", "INSERT", "e2", "t2", json!({"session_id": "sB"})), 2);
        assert_eq!(outcome, PayloadOutcome::Dropped(DropReason::LookupOverflow));
        let fresh = if ads_only { vec!["notify:data_freshness:events"] } else { vec![] };
        assert_eq!(outputs(&mut s), [vec!["lookup:1:sA"], fresh].concat());
    }
}

#[test]
fn duplicates_fire_nothing_in_either_mode() {
    for ads_only in [ALL, ADS] {
        for p in [
            payload("calls", "INSERT", "c1", "t1", json!({"site_id": SITE, "status": "intent", "matched_session_id": "sA"})),
            payload("calls", "UPDATE", "c1", "t2", json!({"site_id": SITE, "matched_session_id": "sA"})),
            payload("sessions", "INSERT", "s1", "t3", json!({"site_id": SITE})),
            payload("events", "INSERT", "e1", "t4", json!({"session_id": "sA"})),
        ] {
            let mut s = session(ads_only);
            feed(&mut s, &p, 1);
            if outputs(&mut s).iter().any(|o| o.starts_with("lookup")) {
                s.handle(RealtimeInput::LookupResult { request_id: 1, result: Ok(true) }, 2);
                outputs(&mut s);
            }
            let before = s.state();
            assert_eq!(before.event_count, 1);
            assert_eq!(feed(&mut s, &p, 3), PayloadOutcome::Dropped(DropReason::Duplicate), "{p}");
            assert!(outputs(&mut s).is_empty(), "{p}");
            assert_eq!(s.state(), before, "the duplicate moved nothing");
        }
    }
}

#[test]
fn ads_only_calls_need_a_matched_session_and_the_lookup_decides() {
    let mut s = session(true);
    // No matched session: freshness only, not a signal.
    feed(&mut s, &payload("calls", "INSERT", "c1", "t1", json!({"site_id": SITE})), 10);
    assert_eq!(outputs(&mut s), vec!["notify:data_freshness:calls"]);
    assert!(!s.state().is_live);
    // Two calls for one session while its lookup is in flight: one request.
    feed(&mut s, &payload("calls", "INSERT", "c2", "t2", json!({"site_id": SITE, "matched_session_id": "sA"})), 11);
    feed(&mut s, &payload("calls", "UPDATE", "c2", "t3", json!({"site_id": SITE, "matched_session_id": " sA "})), 12);
    assert_eq!(outputs(&mut s), vec!["lookup:1:sA"]);
    s.handle(RealtimeInput::LookupResult { request_id: 1, result: Ok(true) }, 20);
    assert_eq!(outputs(&mut s), vec![
        "notify:call_created:calls",
        "notify:call_updated:calls",
        "release:2", "release:3",
    ], "each waiting row fires, then is released to the caller");
    let st = s.state();
    assert!(st.is_live && st.ads_live);
    assert_eq!(st.last_signal_at, Some(20));
    // Cached now: no second lookup.
    feed(&mut s, &payload("calls", "UPDATE", "c2", "t4", json!({"site_id": SITE, "matched_session_id": "sA"})), 30);
    assert_eq!(outputs(&mut s), vec!["notify:call_updated:calls"]);
    // A non-ads session is ignored entirely; a failed lookup falls back to freshness.
    feed(&mut s, &payload("calls", "INSERT", "c3", "t5", json!({"site_id": SITE, "matched_session_id": "sB"})), 40);
    feed(&mut s, &payload("calls", "INSERT", "c4", "t6", json!({"site_id": SITE, "matched_session_id": "sC"})), 41);
    assert_eq!(outputs(&mut s), vec!["lookup:2:sB", "lookup:3:sC"]);
    s.handle(RealtimeInput::LookupResult { request_id: 2, result: Ok(false) }, 50);
    s.handle(RealtimeInput::LookupResult { request_id: 3, result: Err("rpc failed".into()) }, 51);
    assert_eq!(outputs(&mut s), vec!["release:5", "notify:data_freshness:calls", "release:6"]);
    assert_eq!(s.drops().non_ads, 1);
    // An error is not cached: the next call for sC asks again.
    feed(&mut s, &payload("calls", "INSERT", "c5", "t7", json!({"site_id": SITE, "matched_session_id": "sC"})), 60);
    assert_eq!(outputs(&mut s), vec!["lookup:4:sC"]);
    // A result nobody waits for is counted, not applied.
    s.handle(RealtimeInput::LookupResult { request_id: 99, result: Ok(true) }, 61);
    assert_eq!(s.pipeline().late_lookup_results(), 1);
}

#[test]
fn ads_only_events_and_sessions() {
    let mut s = session(true);
    feed(&mut s, &payload("events", "INSERT", "e1", "t1", json!({"site_id": SITE, "session_id": "sA", "utm_source": "newsletter"})), 1);
    assert!(outputs(&mut s).is_empty(), "non-ads payload ignored");
    assert_eq!(s.drops().non_ads, 1);
    feed(&mut s, &payload("events", "INSERT", "e2", "t2", json!({"site_id": SITE, "gclid": "g"})), 2);
    assert_eq!(outputs(&mut s), vec!["notify:data_freshness:events"], "no session id: freshness");
    feed(&mut s, &payload("events", "INSERT", "e3", "t3", json!({"site_id": SITE, "session_id": "sA"})), 3);
    assert_eq!(outputs(&mut s), vec!["lookup:1:sA"], "unknown payload with a session: the lookup decides");
    s.handle(RealtimeInput::LookupResult { request_id: 1, result: Ok(true) }, 4);
    assert_eq!(outputs(&mut s), vec!["notify:event_created:events", "notify:data_freshness:events", "release:3"]);
    feed(&mut s, &payload("sessions", "INSERT", "s9", "t4", json!({"site_id": SITE})), 5);
    assert_eq!(outputs(&mut s), vec!["notify:data_freshness:sessions"]);
    assert_eq!(s.state().last_signal_type, Some(Table::Sessions));
}

#[test]
fn cross_site_and_duplicates_never_count_as_signals() {
    let mut s = session(ALL);
    let other = payload("calls", "INSERT", "c1", "t1", json!({"site_id": "site-b"}));
    assert_eq!(feed(&mut s, &other, 1), PayloadOutcome::Dropped(DropReason::CrossSite));
    assert!(outputs(&mut s).is_empty());
    assert!(!s.state().is_live);
    // No site_id in a calls payload: accepted (the channel's filter already scoped it).
    let p = payload("calls", "INSERT", "c2", "t2", json!({}));
    assert_eq!(feed(&mut s, &p, 2), PayloadOutcome::Accepted);
    assert_eq!(feed(&mut s, &p, 3), PayloadOutcome::Dropped(DropReason::Duplicate));
    let st = s.state();
    assert_eq!((st.event_count, st.last_event_at, st.last_signal_at), (1, Some(2), Some(2)), "the duplicate did not move anything");
    // An INSERT happens once per row: the same id with another commit timestamp (a catch-up
    // replay cannot know the live one) is the same change...
    assert_eq!(feed(&mut s, &payload("calls", "INSERT", "c2", "t3", json!({})), 4), PayloadOutcome::Dropped(DropReason::Duplicate));
    // ...while an UPDATE with a new commit timestamp is a new change.
    assert_eq!(feed(&mut s, &payload("calls", "UPDATE", "c9", "t4", json!({})), 5), PayloadOutcome::Accepted);
    assert_eq!(feed(&mut s, &payload("calls", "UPDATE", "c9", "t5", json!({})), 6), PayloadOutcome::Accepted);
    assert_eq!((s.drops().cross_site, s.drops().duplicate), (1, 2));
}

#[test]
fn cache_evicts_least_recently_used_sessions() {
    let mut config = PipelineConfig::new(SITE, true);
    config.cache_capacity = 2;
    let mut s = RealtimeSession::new(config, 1);
    outputs(&mut s);
    let call = |id: &str, session: &str| payload("calls", "INSERT", id, id, json!({"site_id": SITE, "matched_session_id": session}));
    for (i, sess) in ["s1", "s2"].iter().enumerate() {
        feed(&mut s, &call(&format!("c{i}"), sess), 1);
        s.handle(RealtimeInput::LookupResult { request_id: i as u64 + 1, result: Ok(true) }, 2);
    }
    feed(&mut s, &call("c9", "s1"), 3); // s1 is now the most recent
    feed(&mut s, &call("c10", "s3"), 4);
    s.handle(RealtimeInput::LookupResult { request_id: 3, result: Ok(true) }, 5); // evicts s2, not s1
    assert_eq!(s.pipeline().cached_sessions(), vec!["s3", "s1"]);
    outputs(&mut s);
    feed(&mut s, &call("c11", "s1"), 6);
    assert_eq!(outputs(&mut s), vec!["notify:call_created:calls"], "s1 still cached");
    feed(&mut s, &call("c12", "s2"), 7);
    assert_eq!(outputs(&mut s), vec!["lookup:4:s2"], "s2 was evicted");
}

#[test]
fn status_storm_backoff_reconnect_and_close() {
    let mut s = session(false);
    s.handle(RealtimeInput::ChannelStatus { status: ChannelStatus::ChannelError, message: None }, 100);
    let st = s.state();
    assert_eq!((st.connection_status, st.is_connected, st.error.as_deref()), (ChannelStatus::ChannelError, false, Some("Connection error: CHANNEL_ERROR")));
    let at = s.next_deadline().unwrap();
    for i in 0..50 {
        s.handle(RealtimeInput::ChannelStatus { status: ChannelStatus::TimedOut, message: None }, 101 + i);
    }
    assert_eq!(s.next_deadline(), Some(at), "one pending reconnect however many errors");
    s.handle(RealtimeInput::Timeout, at);
    assert_eq!(outputs(&mut s), vec!["unsubscribe", "subscribe"]);
    assert_eq!(s.state().connection_status, ChannelStatus::Reconnecting);
    s.handle(RealtimeInput::ChannelStatus { status: ChannelStatus::Subscribed, message: None }, at + 5);
    assert!(s.state().is_connected && s.state().error.is_none());
    s.handle(RealtimeInput::Reconnect, at + 10);
    assert_eq!(outputs(&mut s), vec!["unsubscribe", "subscribe"]);
    s.handle(RealtimeInput::SocketProbe { open: false }, at + 11);
    assert!(!s.state().is_connected);
    s.handle(RealtimeInput::Close, at + 12);
    assert_eq!(outputs(&mut s), vec!["unsubscribe"]);
    assert_eq!(s.next_deadline(), None);
}

#[test]
fn lookups_in_flight_at_close_fall_back_to_freshness() {
    let mut s = session(true);
    feed(&mut s, &payload("calls", "INSERT", "c1", "t1", json!({"site_id": SITE, "matched_session_id": "sA"})), 1);
    outputs(&mut s);
    s.handle(RealtimeInput::Close, 2);
    assert_eq!(outputs(&mut s), vec!["unsubscribe", "notify:data_freshness:calls", "release:1"]);
    assert_eq!(s.sizes().pending_lookups, 0);
}

#[derive(Debug, Clone)]
enum Op {
    Payload { table: u8, event: u8, id: u16, ts: u8, site_other: bool, session: Option<u16>, gclid: bool },
    Result { request: u16, outcome: u8 },
    Status(u8),
    Timeout(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0u8..4, 0u8..3, 0u16..3000, 0u8..4, prop::bool::weighted(0.05), prop::option::of(0u16..2000), any::<bool>())
            .prop_map(|(table, event, id, ts, site_other, session, gclid)| Op::Payload { table, event, id, ts, site_other, session, gclid }),
        3 => (0u16..3000, 0u8..3).prop_map(|(request, outcome)| Op::Result { request, outcome }),
        1 => (0u8..5).prop_map(Op::Status),
        1 => (0u32..60_000).prop_map(Op::Timeout),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever arrives, in whatever order, every structure stays within its bound.
    #[test]
    fn memory_stays_bounded(ops in prop::collection::vec(op(), 1..3000), ads_only in any::<bool>()) {
        let mut config = PipelineConfig::new(SITE, ads_only);
        config.dedup_capacity = 100;
        config.cache_capacity = 50;
        config.max_pending_lookups = 20;
        config.max_waiting_per_lookup = 5;
        config.max_queued_notifications = 64;
        let (dedup_cap, cache_cap) = (config.dedup_capacity, config.cache_capacity);
        let mut s = RealtimeSession::new(config, 9);
        let mut now = 0i64;
        for op in ops {
            now += 7;
            match op {
                Op::Payload { table, event, id, ts, site_other, session, gclid } => {
                    let table = ["calls", "sessions", "events", "users"][table as usize];
                    let event = ["INSERT", "UPDATE", "DELETE"][event as usize];
                    let mut row = json!({"site_id": if site_other { "other" } else { SITE }});
                    if let Some(sess) = session {
                        row["matched_session_id"] = json!(format!("s{sess}"));
                        row["session_id"] = json!(format!("s{sess}"));
                    }
                    if gclid { row["gclid"] = json!("g"); }
                    let p = payload(table, event, &id.to_string(), &ts.to_string(), row);
                    s.handle(RealtimeInput::PayloadText { text: &p.to_string(), seq: u64::from(id) }, now);
                }
                Op::Result { request, outcome } => {
                    let result = match outcome { 0 => Ok(true), 1 => Ok(false), _ => Err("x".to_string()) };
                    s.handle(RealtimeInput::LookupResult { request_id: u64::from(request), result }, now);
                }
                Op::Status(k) => {
                    let status = [ChannelStatus::Subscribed, ChannelStatus::ChannelError, ChannelStatus::TimedOut, ChannelStatus::Closed, ChannelStatus::Error][k as usize];
                    s.handle(RealtimeInput::ChannelStatus { status, message: Some("m") }, now);
                }
                Op::Timeout(dt) => { now += i64::from(dt); s.handle(RealtimeInput::Timeout, now); }
            }
            let z = s.sizes();
            prop_assert!(z.dedup <= dedup_cap && z.cache <= cache_cap);
            prop_assert!(z.pending_lookups <= 20 && z.waiting_rows <= 20 * 5);
            prop_assert!(z.queued_notifications <= 64);
            // Drain outputs like a driver would; they never grow without bound either.
            let mut n = 0;
            while s.poll_output().is_some() { n += 1; prop_assert!(n < 1000); }
        }
        // Every payload is accounted for exactly once: accepted, dropped by reason, or waiting on a lookup.
        let p = s.pipeline();
        prop_assert_eq!(p.received(), p.accepted() + p.drops().total() + p.waiting_rows());
    }
}

/// Before: `isLive` never turned false in the standalone session (an hour after the last event it
/// still said true, while the engine said false). Now one rule (`engine::timing::is_live_at`).
#[test]
fn is_live_lapses_like_the_engine_and_the_deadline_says_when() {
    let mut s = session(ALL);
    feed(&mut s, &payload("calls", "INSERT", "c1", "t1", json!({"site_id": SITE, "gclid": "g"})), 1_000);
    let st = s.state();
    assert!(st.is_live && st.ads_live);
    let expiry = opsmantik_pulse::engine::timing::LIVE_WINDOW_MS + 1_000;
    assert_eq!(s.next_deadline(), Some(expiry), "the session wakes when liveness lapses");
    s.handle(RealtimeInput::Timeout, 3_600_000);
    let st = s.state();
    assert!(!st.is_live && !st.ads_live, "an hour later the site is not live");
    assert_eq!(s.next_deadline(), None);
}
