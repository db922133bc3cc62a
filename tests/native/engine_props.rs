//! Invariants of `PulseEngine` under random input sequences and a random clock.

use std::collections::BTreeSet;

use opsmantik_pulse::engine::{Command, EngineConfig, PayloadCounts, PulseEngine, RangeSpec, RpcError, Wake};
use opsmantik_pulse::engine::timing::LIVE_WINDOW_MS;
use opsmantik_pulse::realtime::ChannelStatus;
use proptest::prelude::*;
use serde_json::json;

const SITES: [&str; 2] = ["site-aaa", "site-bbb"];
const T0: i64 = 1_770_022_800_000;

#[derive(Debug, Clone)]
enum Op {
    RegisterRealtime { site: usize, ads_only: bool },
    RegisterStats { site: usize, today: bool, ads_only: bool },
    Unregister(usize),
    Advance(i64),
    JumpBack(i64),
    Answer { pick: usize, ok: bool },
    Payload { site: usize, id: u8, session: u8, gclid: bool },
    Status { site: usize, which: u8 },
    Visible(bool),
    Online(bool),
    Refetch(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..2usize, any::<bool>()).prop_map(|(site, ads_only)| Op::RegisterRealtime { site, ads_only }),
        2 => (0..2usize, any::<bool>(), any::<bool>()).prop_map(|(site, today, ads_only)| Op::RegisterStats { site, today, ads_only }),
        1 => (0..8usize).prop_map(Op::Unregister),
        6 => (0..30_000i64).prop_map(Op::Advance),
        1 => (0..3i64).prop_map(|h| Op::JumpBack(h * 3_600_000 + 10_000)),
        6 => (0..8usize, prop::bool::weighted(0.8)).prop_map(|(pick, ok)| Op::Answer { pick, ok }),
        4 => (0..2usize, any::<u8>(), 0..4u8, any::<bool>()).prop_map(|(site, id, session, gclid)| Op::Payload { site, id, session, gclid }),
        1 => (0..2usize, 0..5u8).prop_map(|(site, which)| Op::Status { site, which }),
        1 => any::<bool>().prop_map(Op::Visible),
        1 => any::<bool>().prop_map(Op::Online),
        1 => (0..8usize).prop_map(Op::Refetch),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn bookkeeping_invariants_hold(ops in prop::collection::vec(op(), 1..200)) {
        let mut e = PulseEngine::new(EngineConfig { seed: 3, ..EngineConfig::default() }).unwrap();
        let mut now = T0;
        let mut handles: Vec<u32> = Vec::new();
        let mut outstanding: Vec<Command> = Vec::new();
        let mut seq = 0u64;
        let mut held: BTreeSet<u64> = BTreeSet::new();
        let mut last = PayloadCounts::default();
        for op in ops {
            match op {
                Op::RegisterRealtime { site, ads_only } => handles.push(e.register_realtime(SITES[site], ads_only, true, now).unwrap()),
                Op::RegisterStats { site, today, ads_only } => {
                    let range = if today { RangeSpec::Today } else { RangeSpec::Fixed { from_ms: T0 - 86_400_000, to_ms: T0 } };
                    handles.push(e.register_stats(SITES[site], range, ads_only, now).unwrap());
                }
                Op::Unregister(i) => if !handles.is_empty() { let h = handles.remove(i % handles.len()); e.unregister(h, now); },
                Op::Advance(ms) => { now += ms; e.handle_timeout(now); }
                Op::JumpBack(ms) => { now -= ms; e.handle_timeout(now); }
                Op::Answer { pick, ok } => if !outstanding.is_empty() {
                    let c = outstanding.remove(pick % outstanding.len());
                    match c {
                        Command::Rpc { request_id, .. } => {
                            let r = if ok { Ok(json!([{"id": 1, "sealed": 1}])) } else { Err(RpcError { code: Some("PGRST202".into()), message: "x".into() }) };
                            e.handle_rpc_response(request_id, r, now);
                        }
                        Command::FetchOverlay { request_id, .. } => {
                            let r = if ok { Ok(json!({"captured": now % 7, "gclid": 0, "junk": 0})) } else { Err("down".into()) };
                            e.handle_overlay_response(request_id, r, now);
                        }
                        _ => {}
                    }
                },
                Op::Payload { site, id, session, gclid } => {
                    seq += 1;
                    let text = json!({"table": if id % 3 == 0 { "calls" } else { "events" }, "eventType": "INSERT", "commit_timestamp": format!("t{}", id % 50),
                        "new": {"id": id, "site_id": SITES[site], "matched_session_id": format!("s{session}"), "session_id": format!("s{session}"), "gclid": if gclid { "g" } else { "" }}}).to_string();
                    if e.handle_payload(SITES[site], &text, seq, now) {
                        held.insert(seq);
                    }
                }
                Op::Status { site, which } => {
                    let s = [ChannelStatus::Subscribed, ChannelStatus::ChannelError, ChannelStatus::TimedOut, ChannelStatus::Closed, ChannelStatus::Error][which as usize];
                    e.handle_channel_status(SITES[site], s, None, now);
                }
                Op::Visible(v) => e.set_visible(v, now),
                Op::Online(v) => e.set_online(v, now),
                Op::Refetch(i) => if !handles.is_empty() { e.refetch(handles[i % handles.len()], now); },
            }
            while let Some(c) = e.poll_command() {
                if matches!(c, Command::Rpc { .. } | Command::FetchOverlay { .. }) {
                    prop_assert!(e.is_active(), "a request went out while hidden or offline: {:?}", c);
                    outstanding.push(c);
                } else if let Command::Release { seq, .. } = c {
                    prop_assert!(held.remove(&seq), "release of a row not held: {}", seq);
                }
            }
            // Never two requests in flight for one key.
            let keys = e.in_flight_keys();
            let unique: BTreeSet<&String> = keys.iter().collect();
            prop_assert_eq!(unique.len(), keys.len(), "duplicate in-flight keys: {:?}", keys);
            // One deadline, and it is never in the past after the engine ran at `now`.
            e.handle_timeout(now);
            while let Some(c) = e.poll_command() {
                if let Command::Release { seq, .. } = c { prop_assert!(held.remove(&seq)); }
                else if matches!(c, Command::Rpc { .. } | Command::FetchOverlay { .. }) { outstanding.push(c); }
            }
            if let Some(d) = e.poll_timeout() {
                prop_assert!(d > now, "deadline {} is not after now {} (the driver would spin)", d, now);
            }
            // Whatever the clock did, nothing but the midnight rollover waits longer than the live window.
            for (at, wake) in e.timers() {
                if !matches!(wake, Wake::Rollover { .. }) {
                    prop_assert!(at - now <= LIVE_WINDOW_MS, "{:?} armed {} ms away", wake, at - now);
                }
            }
            // Every payload is accounted for once, and no counter ever goes down (unregister included).
            let c = e.counters().payloads;
            prop_assert!(c.adds_up(), "{:?}", c);
            prop_assert!(c.received >= last.received && c.accepted >= last.accepted && c.dropped.total() >= last.dropped.total(), "{:?} after {:?}", c, last);
            for site in SITES {
                if let Some(sc) = e.site_payload_counts(site) { prop_assert!(sc.adds_up(), "{}: {:?}", site, sc); }
            }
            last = c;
            prop_assert!(e.log().len() <= 200);
            prop_assert!(e.retained_rows() <= 2 * 256 * 64);
            prop_assert_eq!(e.retained_rows(), held.len());
        }
        // Unregistering everything releases every row the driver held.
        for h in handles {
            e.unregister(h, now);
        }
        while let Some(c) = e.poll_command() {
            if let Command::Release { seq, .. } = c { prop_assert!(held.remove(&seq)); }
        }
        prop_assert!(held.is_empty(), "rows held forever: {:?}", held);
        prop_assert!(e.counters().payloads.adds_up());
    }
}
