//! The engine fed random input sequences with a random clock: never a panic,
//! never two requests in flight for one key, never a deadline in the past,
//! and the reliability invariants: every payload counted once and no counter
//! going down, memory bounded per input (capped strings, a bounded command
//! queue even when the driver stops draining, a bounded log), no timer but
//! the rollover beyond the live window after any clock jump, and every row
//! the driver held released once everything is unregistered.
#![no_main]
use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use opsmantik_pulse::engine::timing::LIVE_WINDOW_MS;
use opsmantik_pulse::engine::{Command, EngineConfig, PayloadCounts, PulseEngine, RangeSpec, RegistrationSnapshot, RpcError, Wake, MAX_QUEUED_COMMANDS};
use opsmantik_pulse::realtime::ChannelStatus;

fuzz_target!(|data: &[u8]| {
    let Ok(mut e) = PulseEngine::new(EngineConfig::default()) else { return };
    let mut now: i64 = 1_770_022_800_000;
    let mut handles = Vec::new();
    let mut outstanding: Vec<Command> = Vec::new();
    let mut held: BTreeSet<u64> = BTreeSet::new();
    let mut aborted: BTreeSet<u64> = BTreeSet::new();
    let mut last = PayloadCounts::default();
    // The driver stops draining for a while when the first byte says so.
    let lazy_driver = data.first().is_some_and(|b| b & 0x40 != 0);
    let sites = ["site-aaa", "site-bbb"];
    let long_text = "ş".repeat(4096);
    for (i, b) in data.iter().enumerate() {
        let site = sites[usize::from(b >> 7)];
        match b % 13 {
            0 => { if let Ok(h) = e.register_realtime(site, b & 16 != 0, true, now) { handles.push(h) } }
            1 => { if let Ok(h) = e.register_stats(site, if b & 16 != 0 { RangeSpec::Today } else { RangeSpec::Fixed { from_ms: now - 86_400_000, to_ms: now } }, b & 32 != 0, now) { handles.push(h) } }
            2 => if !handles.is_empty() { let h = handles.remove(usize::from(*b) % handles.len()); e.unregister(h, now); },
            3 => { now += i64::from(*b) * 997; e.handle_timeout(now); }
            4 => { now -= i64::from(*b) * 60_000; e.handle_timeout(now); }
            5 | 6 => if !outstanding.is_empty() {
                let c = outstanding.remove(usize::from(*b) % outstanding.len());
                let message = if b & 4 == 0 { "x".to_string() } else { long_text.clone() };
                match c {
                    Command::Rpc { request_id, .. } => {
                        let r = if b & 8 == 0 { Ok(serde_json::json!([{"sealed": i}])) } else { Err(RpcError { code: Some(message.clone()), message }) };
                        e.handle_rpc_response(request_id, r, now);
                    }
                    Command::FetchOverlay { request_id, .. } => {
                        let r = if b & 8 == 0 { Ok(serde_json::json!({"captured": i, "gclid": 0, "junk": 0})) } else { Err(message) };
                        e.handle_overlay_response(request_id, r, now);
                    }
                    _ => {}
                }
            },
            7 => {
                let text = format!(r#"{{"table":"calls","eventType":"INSERT","commit_timestamp":"t{}","new":{{"id":{},"site_id":"{}","matched_session_id":"s{}"}}}}"#, b % 5, i % 7, site, b % 3);
                if e.handle_payload(site, &text, i as u64, now) { held.insert(i as u64); }
            }
            8 => e.handle_channel_status(site, [ChannelStatus::Subscribed, ChannelStatus::ChannelError, ChannelStatus::TimedOut, ChannelStatus::Closed, ChannelStatus::Error][usize::from(*b) % 5], Some(&long_text), now),
            9 => e.set_visible(b & 1 == 1, now),
            10 => e.set_online(b & 1 == 1, now),
            11 => e.handle_oversized_payload(site, now),
            _ => if !handles.is_empty() { e.refetch(handles[usize::from(*b) % handles.len()], now) },
        }
        assert!(e.queued_commands() <= MAX_QUEUED_COMMANDS);
        if !lazy_driver || i % 64 == 63 {
            while let Some(c) = e.poll_command() {
                match c {
                    Command::Rpc { .. } | Command::FetchOverlay { .. } => outstanding.push(c),
                    Command::Release { seq, .. } => assert!(held.remove(&seq), "release of a row not held"),
                    Command::Abort { request_id, .. } => assert!(aborted.insert(request_id), "request #{request_id} aborted twice"),
                    _ => {}
                }
            }
        }
        let keys = e.in_flight_keys();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), keys.len());
        e.handle_timeout(now);
        if let Some(d) = e.poll_timeout() {
            assert!(d > now, "deadline {d} is not after now {now} (the driver would spin)");
        }
        for (at, wake) in e.timers() {
            if !matches!(wake, Wake::Rollover { .. }) { assert!(at - now <= LIVE_WINDOW_MS, "{wake:?} {} ms away", at - now); }
        }
        let c = e.counters();
        assert!(c.payloads.adds_up(), "{:?}", c.payloads);
        assert!(c.payloads.received >= last.received && c.payloads.dropped.total() >= last.dropped.total());
        last = c.payloads;
        assert!(e.log().iter().all(|l| l.what.len() <= 256));
        for (h, _) in e.handles().collect::<Vec<_>>() {
            if let Some(RegistrationSnapshot::Stats(s)) = e.snapshot(h) { assert!(s.error.as_ref().is_none_or(|m| m.len() <= 256)); }
            if let Some(RegistrationSnapshot::Realtime(s)) = e.snapshot(h) { assert!(s.error.as_ref().is_none_or(|m| m.len() <= 256)); }
        }
    }
    for h in handles { e.unregister(h, now); }
    while let Some(c) = e.poll_command() {
        if let Command::Release { seq, .. } = c { held.remove(&seq); }
    }
    // Rows held before a lazy driver's queue overflowed may have had their release dropped (counted).
    assert!(held.is_empty() || e.counters().dropped.commands.release > 0, "rows held forever: {held:?}");
    assert_eq!(e.retained_rows(), 0);
});
