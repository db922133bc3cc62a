//! What users of SWR / TanStack Query expect, in the core: an `Abort`
//! command for every abandoned request (timed out or superseded), the
//! `fetching` flag and the data's instant in the stats snapshot, and
//! cadences set per engine (validated, defaults from `timing.rs`).

use crate::engine_harness::{Harness, SITE};
use opsmantik_pulse::engine::{AbortReason, Cadence, Command, EngineConfig, PulseEngine, RangeSpec, RegistrationSnapshot, StatsSnapshot};
use opsmantik_pulse::ErrorKind;
use serde_json::json;

/// 2026-02-02 12:00:00 Istanbul.
const T0: i64 = 1_770_022_800_000;
const S: i64 = 1_000;

fn drain(e: &mut PulseEngine) -> Vec<Command> {
    std::iter::from_fn(|| e.poll_command()).collect()
}

fn stats_request(commands: &[Command]) -> u64 {
    commands
        .iter()
        .find_map(|c| match c {
            Command::Rpc { request_id, name: "get_command_center_p0_stats_v2", .. } => Some(*request_id),
            _ => None,
        })
        .expect("a stats request")
}

fn aborts(commands: &[Command]) -> Vec<(u64, AbortReason)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Abort { request_id, reason } => Some((*request_id, *reason)),
            _ => None,
        })
        .collect()
}

fn stats(e: &PulseEngine, handle: u32) -> StatsSnapshot {
    match e.snapshot(handle) {
        Some(RegistrationSnapshot::Stats(s)) => (**s).clone(),
        other => panic!("not a stats snapshot: {other:?}"),
    }
}

fn engine(cadence: Cadence) -> PulseEngine {
    PulseEngine::new(EngineConfig { seed: 5, cadence, ..EngineConfig::default() }).unwrap()
}

const FIXED: RangeSpec = RangeSpec::Fixed { from_ms: T0 - 86_400_000, to_ms: T0 };

#[test]
fn a_timed_out_request_is_aborted_and_its_late_answer_still_dropped() {
    let mut e = engine(Cadence::default());
    let h = e.register_stats(SITE, FIXED, false, T0).unwrap();
    let id = stats_request(&drain(&mut e));
    e.handle_timeout(T0 + 20 * S - 1);
    assert!(aborts(&drain(&mut e)).is_empty(), "not before the timeout");
    e.handle_timeout(T0 + 20 * S);
    assert_eq!(aborts(&drain(&mut e)), vec![(id, AbortReason::TimedOut)]);
    let dropped = e.counters().dropped.responses;
    e.handle_rpc_response(id, Ok(json!({"sealed": 1})), T0 + 21 * S);
    assert_eq!(e.counters().dropped.responses, dropped + 1, "the late answer is counted as dropped");
    assert_eq!(stats(&e, h).stats, None, "and not shown");
}

#[test]
fn a_request_whose_registration_left_is_aborted_as_superseded() {
    let mut e = engine(Cadence::default());
    let a = e.register_stats(SITE, FIXED, false, T0).unwrap();
    let id = stats_request(&drain(&mut e));
    // The hook moved to another range: the old key's request is nobody's any more.
    e.unregister(a, T0 + S);
    let _b = e.register_stats(SITE, RangeSpec::Fixed { from_ms: T0, to_ms: T0 + 86_400_000 }, false, T0 + S).unwrap();
    let commands = drain(&mut e);
    assert_eq!(aborts(&commands), vec![(id, AbortReason::Superseded)]);
    // Exactly once: its timeout was disarmed with it.
    e.handle_timeout(T0 + 30 * S);
    assert!(!aborts(&drain(&mut e)).contains(&(id, AbortReason::TimedOut)));
}

#[test]
fn an_answered_request_is_never_aborted() {
    let mut e = engine(Cadence::default());
    let a = e.register_stats(SITE, FIXED, false, T0).unwrap();
    let id = stats_request(&drain(&mut e));
    e.handle_rpc_response(id, Ok(json!({"sealed": 1})), T0 + S);
    e.unregister(a, T0 + 2 * S);
    e.handle_timeout(T0 + 60 * S);
    assert!(aborts(&drain(&mut e)).is_empty());
}

#[test]
fn fetching_is_a_request_in_flight_and_the_data_keeps_its_instant() {
    let mut e = engine(Cadence::default());
    let h = e.register_stats(SITE, FIXED, false, T0).unwrap();
    let first = stats_request(&drain(&mut e));
    let s = stats(&e, h);
    assert!(s.loading && s.fetching && s.fetched_at_ms.is_none());
    e.handle_rpc_response(first, Ok(json!({"sealed": 1})), T0 + 300);
    let s = stats(&e, h);
    assert!(!s.loading && !s.fetching);
    assert_eq!(s.fetched_at_ms, Some(T0 + 300));
    // A background refetch: data stays, not loading, but fetching.
    e.refetch(h, T0 + 10 * S);
    let second = stats_request(&drain(&mut e));
    let s = stats(&e, h);
    assert!(!s.loading && s.fetching && s.stats.is_some());
    assert_eq!(s.fetched_at_ms, Some(T0 + 300), "the data shown is still the first answer's");
    e.handle_rpc_response(second, Ok(json!({"sealed": 2})), T0 + 10 * S + 40);
    let s = stats(&e, h);
    assert!(!s.fetching);
    assert_eq!(s.fetched_at_ms, Some(T0 + 10 * S + 40));
    assert_eq!(s.settled_request_id, Some(second), "the answer is the refetch's request's");
}

#[test]
fn a_refetch_during_a_request_is_settled_by_the_trailing_one() {
    let mut e = engine(Cadence::default());
    let h = e.register_stats(SITE, FIXED, false, T0).unwrap();
    let first = stats_request(&drain(&mut e));
    e.refetch(h, T0 + 100);
    assert!(drain(&mut e).is_empty(), "one request in flight per key");
    e.handle_rpc_response(first, Ok(json!({"sealed": 1})), T0 + 200);
    assert_eq!(stats(&e, h).settled_request_id, Some(first), "that request was in flight before the refetch");
    // The trailing edge waits out the throttle from the first request's start.
    e.handle_timeout(T0 + 2_500);
    let trailing = stats_request(&drain(&mut e));
    e.handle_rpc_response(trailing, Err(opsmantik_pulse::engine::RpcError { code: None, message: "boom".into() }), T0 + 2_600);
    let s = stats(&e, h);
    assert!(trailing > first);
    assert_eq!(s.settled_request_id, Some(trailing));
    assert_eq!(s.error.as_deref(), Some("boom"));
}

#[test]
fn cadence_overrides_change_what_they_name() {
    let cadence = Cadence::from_overrides(&json!({"requestTimeoutMs": 3000, "refetchThrottleMs": 0})).unwrap();
    let mut e = engine(cadence);
    let h = e.register_stats(SITE, FIXED, false, T0).unwrap();
    let id = stats_request(&drain(&mut e));
    e.handle_timeout(T0 + 3 * S);
    assert_eq!(aborts(&drain(&mut e)), vec![(id, AbortReason::TimedOut)], "the request timed out after 3 s, not 20 s");
    // No throttle: a refetch right after an answer goes out at once.
    e.refetch(h, T0 + 60 * S);
    let next = stats_request(&drain(&mut e));
    e.handle_rpc_response(next, Ok(json!({"sealed": 1})), T0 + 60 * S + 10);
    e.refetch(h, T0 + 60 * S + 20);
    assert!(drain(&mut e).iter().any(|c| matches!(c, Command::Rpc { .. })), "no 2.5 s throttle");
}

#[test]
fn the_overlay_polls_at_the_configured_cadence() {
    let cadence = Cadence::from_overrides(&json!({"overlayPollSlowMs": 15_000})).unwrap();
    let mut h = Harness::with_config(T0, "Europe/Istanbul", cadence);
    h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    h.run_until(T0 + 60 * S - 1);
    let polls = h.between(T0 + 1, T0 + 60 * S).into_iter().filter(|l| l == "overlay").count();
    assert_eq!(polls, 3, "a quiet site every 15 s instead of 60 s");
}

#[test]
fn a_bad_cadence_is_an_invalid_cadence_error_naming_the_field() {
    let err = Cadence::from_overrides(&json!({"requestTimeoutMs": 0})).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidCadence);
    assert!(err.message().contains("cadence.requestTimeoutMs"), "{}", err.message());
}
