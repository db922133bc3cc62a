//! The reliability issue's defects, one test each: bounded strings, a
//! bounded command queue, rows released on unregister, clock corrections,
//! counters that add up, canonical site ids. Each failed on the engine
//! before the fix (noted per test).

use crate::engine_harness::{Harness, SITE};
use opsmantik_pulse::engine::{Command, EngineConfig, PulseEngine, RangeSpec, RegistrationSnapshot, RpcError};
use opsmantik_pulse::realtime::{ChannelStatus, PipelineConfig, SignalPipeline};
use serde_json::json;

const T0: i64 = 1_770_022_800_000;
const S: i64 = 1_000;

fn engine() -> PulseEngine {
    PulseEngine::new(EngineConfig { seed: 11, ..EngineConfig::default() }).unwrap()
}

fn drain(e: &mut PulseEngine) -> Vec<Command> {
    std::iter::from_fn(|| e.poll_command()).collect()
}

fn call_payload(id: u32, site: &str, session: Option<&str>) -> String {
    let mut row = json!({"id": id, "site_id": site, "status": "intent"});
    if let Some(s) = session {
        row["matched_session_id"] = json!(s);
    }
    json!({"table": "calls", "eventType": "INSERT", "commit_timestamp": format!("t{id}"), "new": row}).to_string()
}

/// Before: 64 keys answered with huge messages kept every byte (4 GiB with 32 MiB each).
#[test]
fn error_messages_and_log_lines_are_capped() {
    let mut e = engine();
    let huge = "é".repeat(512 * 1024); // 1 MiB
    let mut handles = Vec::new();
    for i in 0..64 {
        let range = RangeSpec::Fixed { from_ms: T0 - 86_400_000 - i, to_ms: T0 };
        handles.push(e.register_stats(SITE, range, false, T0).unwrap());
    }
    for c in drain(&mut e) {
        if let Command::Rpc { request_id, .. } = c {
            e.handle_rpc_response(request_id, Err(RpcError { code: Some(huge.clone()), message: huge.clone() }), T0 + 1);
        }
    }
    for h in handles {
        let Some(RegistrationSnapshot::Stats(s)) = e.snapshot(h) else { panic!("no snapshot") };
        let error = s.error.clone().unwrap_or_default();
        assert!(!error.is_empty() && error.len() <= 256, "error kept {} bytes", error.len());
        assert!(error.ends_with('…'), "truncation is marked");
    }
    e.register_realtime(SITE, false, true, T0 + 2).unwrap();
    e.handle_channel_status(SITE, ChannelStatus::Error, Some(&huge), T0 + 3);
    assert!(e.log().iter().all(|l| l.what.len() <= 256));
    assert!(e.log().iter().map(|l| l.what.len()).sum::<usize>() <= 200 * 256);
}

/// Before: nothing bounded the queue (1M payloads queued 2M commands).
#[test]
fn an_undrained_command_queue_stays_bounded_and_counts_what_it_dropped() {
    let mut e = engine();
    e.register_realtime(SITE, false, true, T0).unwrap();
    for id in 0..10_000u32 {
        e.handle_payload(SITE, &call_payload(id, SITE, None), u64::from(id), T0);
    }
    let queued = drain(&mut e).len();
    assert!(queued <= 8_192, "{queued} commands queued");
    let c = e.counters();
    assert!(c.dropped.commands.notify > 0);
    assert_eq!(c.commands, queued as u64 + c.dropped.commands.total(), "every command was either queued or counted as dropped");
}

/// Before: unregistering with lookups in flight never sent `release` (+50 held rows per cycle).
#[test]
fn unregister_releases_every_row_held_for_lookups() {
    let mut e = engine();
    for cycle in 0..3u64 {
        let h = e.register_realtime(SITE, true, true, T0).unwrap();
        let mut held = std::collections::BTreeSet::new();
        for i in 0..50u32 {
            let seq = cycle * 100 + u64::from(i);
            if e.handle_payload(SITE, &call_payload(i + cycle as u32 * 100, SITE, Some(&format!("sess-{i}"))), seq, T0) {
                held.insert(seq);
            }
        }
        assert_eq!(held.len(), 50);
        drain(&mut e);
        e.unregister(h, T0 + 1);
        for c in drain(&mut e) {
            if let Command::Release { seq, .. } = c {
                held.remove(&seq);
            }
        }
        assert!(held.is_empty(), "cycle {cycle}: {} rows never released", held.len());
        assert_eq!(e.retained_rows(), 0);
    }
}

/// Found by the `slots` fuzz target (two engines, same inputs): the rows held
/// for lookups were released on unregister in the order of a randomly seeded
/// hash map, so the same inputs gave different command streams. Now oldest first.
#[test]
fn unregister_releases_held_rows_oldest_first_on_every_engine() {
    let run = || {
        let mut e = engine();
        let h = e.register_realtime(SITE, true, true, T0).unwrap();
        for i in 0..12u32 {
            assert!(e.handle_payload(SITE, &call_payload(i, SITE, Some(&format!("sess-{i}"))), u64::from(i), T0));
        }
        drain(&mut e);
        e.unregister(h, T0 + 1);
        drain(&mut e).into_iter().filter_map(|c| if let Command::Release { seq, .. } = c { Some(seq) } else { None }).collect::<Vec<_>>()
    };
    assert_eq!(run(), (0..12).collect::<Vec<u64>>());
    assert_eq!(run(), (0..12).collect::<Vec<u64>>());
}

/// Before: a hung request plus the clock moving back an hour: next deadline 3,020 s away, `loading` forever.
#[test]
fn a_hung_request_still_times_out_after_the_clock_moves_back_an_hour() {
    let mut h = Harness::new(T0);
    h.backend.delay_ms = 3_600_000; // never answers in time
    let stats = h.engine.register_stats(SITE, RangeSpec::Fixed { from_ms: T0 - 86_400_000, to_ms: T0 - 1 }, false, T0).unwrap();
    h.run_until(T0 + 5 * S);
    h.now = T0 + 5 * S - 3_600_000;
    h.engine.handle_timeout(h.now);
    let deadline = h.engine.poll_timeout().unwrap();
    assert!(deadline - h.now <= 15 * S, "next deadline {} s away", (deadline - h.now) / 1000);
    h.run_until(h.now + 16 * S);
    let Some(RegistrationSnapshot::Stats(s)) = h.engine.snapshot(stats) else { panic!() };
    assert_eq!(s.error.as_deref(), Some("request timed out"), "the request timed out 20 s after it started, clock jump or not");
}

/// Before: ads-only pipelines counted non_ads drops as accepted too (350 payloads: 350 + 64).
#[test]
fn ads_only_drops_are_not_also_counted_as_accepted() {
    let mut p = SignalPipeline::new(PipelineConfig::new(SITE, true));
    for i in 0..20u32 {
        let text = json!({"table": "events", "eventType": "INSERT", "commit_timestamp": "t", "new": {"id": i, "session_id": "s1", "utm_source": "newsletter"}}).to_string();
        p.handle_payload_text(&text, u64::from(i), T0);
    }
    assert_eq!((p.received(), p.accepted(), p.drops().non_ads), (20, 0, 20));
}

/// Before: the engine's drop counters summed only live pipelines (cross_site went 10 → 0 after an unregister).
#[test]
fn counters_never_go_down_when_a_site_goes_away() {
    let mut e = engine();
    let h = e.register_realtime(SITE, false, false, T0).unwrap();
    for id in 0..10 {
        e.handle_payload(SITE, &call_payload(id, "another-site", None), u64::from(id), T0);
    }
    assert_eq!(e.counters().dropped.payloads.cross_site, 10);
    e.unregister(h, T0 + 1);
    let c = e.counters();
    assert_eq!(c.dropped.payloads.cross_site, 10);
    assert_eq!((c.payloads.received, c.payloads.accepted), (10, 0));
    e.handle_payload(SITE, &call_payload(99, SITE, None), 99, T0 + 2);
    assert_eq!(e.counters().payloads.dropped.no_subscriber, 1, "a payload nobody watches is counted, not ignored");
}

/// Before: an upper-case UUID passed validation and every payload was then dropped as cross_site.
#[test]
fn upper_case_uuid_site_ids_match_the_lower_case_postgres_sends() {
    let mut e = engine();
    let upper = SITE.to_ascii_uppercase();
    e.register_realtime(&upper, false, true, T0).unwrap();
    e.handle_payload(&upper, &call_payload(1, SITE, None), 1, T0);
    e.handle_payload(SITE, &call_payload(2, SITE, None), 2, T0);
    let notified = drain(&mut e).iter().filter(|c| matches!(c, Command::Notify { seq: Some(_), .. })).count();
    assert_eq!(notified, 2);
    assert_eq!(e.counters().dropped.payloads.cross_site, 0);
}

/// Before: in the realtime session (then `PulseRealtime`) a reconnect due in 0.8 s became due in 3,600.8 s after the clock moved back an hour.
#[test]
fn a_pending_reconnect_is_not_pushed_an_hour_away_by_a_clock_correction() {
    use opsmantik_pulse::realtime::{RealtimeInput, RealtimeSession};
    let mut s = RealtimeSession::new(PipelineConfig::new(SITE, false), 5);
    s.handle(RealtimeInput::ChannelStatus { status: ChannelStatus::ChannelError, message: None }, T0);
    assert!(s.next_deadline().unwrap() - T0 <= 2 * S);
    let now = T0 - 3_600_000;
    s.handle(RealtimeInput::SocketProbe { open: true }, now);
    let due_in = s.next_deadline().unwrap() - now;
    assert!(due_in <= 2 * S, "reconnect due in {due_in} ms");
}
