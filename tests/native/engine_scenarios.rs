//! `PulseEngine` scenarios under the fake clock: exact command sequences.

use crate::engine_harness::{Harness, SITE};
use opsmantik_pulse::engine::{RangeSpec, RegistrationSnapshot};
use opsmantik_pulse::realtime::ChannelStatus;
use opsmantik_pulse::time::day_range_for_key;

/// 2026-02-02 12:00:00 Istanbul.
const T0: i64 = 1_770_022_800_000;
const S: i64 = 1_000;
const MIN: i64 = 60_000;

fn stats_snapshot(h: &Harness, handle: u32) -> opsmantik_pulse::engine::StatsSnapshot {
    match h.engine.snapshot(handle) {
        Some(RegistrationSnapshot::Stats(s)) => (**s).clone(),
        other => panic!("not a stats snapshot: {other:?}"),
    }
}

fn realtime_snapshot(h: &Harness, handle: u32) -> opsmantik_pulse::realtime::RealtimeState {
    match h.engine.snapshot(handle) {
        Some(RegistrationSnapshot::Realtime(s)) => s.clone(),
        other => panic!("not a realtime snapshot: {other:?}"),
    }
}

#[test]
fn cold_start_of_a_stats_hook_and_a_realtime_hook() {
    let mut h = Harness::new(T0);
    let stats = h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    let rt = h.engine.register_realtime(SITE, false, true, T0).unwrap();
    h.drain();
    assert_eq!(h.between(T0, T0 + 1), vec!["overlay", "get_command_center_p0_stats_v2", "subscribe"]);
    let s = stats_snapshot(&h, stats);
    assert!(!s.loading && s.stats.is_some() && s.error.is_none());
    assert_eq!(s.day_key.as_deref(), Some("2026-02-02"));
    assert_eq!(s.date_range.from, "2026-02-01T21:00:00.000Z");
    h.engine.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + 100);
    assert!(realtime_snapshot(&h, rt).is_connected);
    // A quiet minute: only the overlay poll, every 10 s; no probe (the overlay covers activity).
    h.run_until(T0 + MIN);
    assert_eq!(h.between(T0 + 1, T0 + MIN), vec!["overlay"; 5]);
    assert_eq!(h.count("get_recent_intents_v2"), 0);
}

#[test]
fn seven_hooks_collapse_to_one_channel_one_overlay_poll_one_stats_request() {
    let mut h = Harness::new(T0);
    let mut handles = Vec::new();
    for _ in 0..4 {
        handles.push(h.engine.register_realtime(SITE, false, true, T0).unwrap());
    }
    for _ in 0..3 {
        handles.push(h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap());
    }
    h.run_until(T0 + 10 * MIN - 1);
    assert_eq!(h.count("subscribe"), 1);
    assert_eq!(h.count("get_command_center_p0_stats_v2"), 1, "quiet site: the snapshot is not refetched");
    assert_eq!(h.count("overlay"), 60, "one poll per 10 s for the site");
    assert_eq!(h.count("get_recent_intents_v2"), 1, "the probe ran only until the overlay poll took over");
    assert_eq!(&h.between(T0, T0 + 1)[..2], ["subscribe", "get_recent_intents_v2"]);
    let c = h.engine.counters();
    assert_eq!(c.requests.total(), 62);
    assert!(c.wakeups <= 61, "{} wakeups", c.wakeups);
    // Unregistering everything closes the channel and stops every timer.
    for handle in handles {
        h.engine.unregister(handle, h.now);
    }
    h.drain();
    assert_eq!(h.trace.last().map(|(_, l)| l.as_str()), Some("unsubscribe"));
    assert_eq!(h.engine.poll_timeout(), None);
    let before = h.trace.len();
    h.run_until(h.now + 10 * MIN);
    assert_eq!(h.trace.len(), before, "nothing after the last unregister");
}

#[test]
fn probe_cadence_going_live_and_decaying() {
    let mut h = Harness::new(T0);
    let rt = h.engine.register_realtime(SITE, false, false, T0).unwrap();
    h.run_until(T0 + 45 * S);
    let probes: Vec<i64> = h.trace.iter().filter(|(_, l)| l == "get_recent_intents_v2").map(|(at, _)| (at - T0) / S).collect();
    assert_eq!(probes, vec![0, 2, 4, 6, 8, 10, 20, 30, 40], "fast 2 s for 5 ticks, then 10 s");
    assert!(!realtime_snapshot(&h, rt).is_live);
    // The site becomes active: the next probe finds an intent; the site is live and the probe stops.
    h.backend.probe_hit = true;
    h.run_until(T0 + 3 * MIN);
    let s = realtime_snapshot(&h, rt);
    assert!(s.is_live);
    assert_eq!(s.last_signal_at, Some(T0 + 50 * S));
    assert_eq!(h.between(T0 + 51 * S, T0 + 3 * MIN), Vec::<String>::new(), "no probe while live");
    // Five quiet minutes later liveness lapses and probing resumes, fast first.
    h.backend.probe_hit = false;
    h.run_until(T0 + 50 * S + 5 * MIN + 5 * S);
    assert!(!realtime_snapshot(&h, rt).is_live);
    let resumed: Vec<i64> = h.trace.iter().filter(|(at, l)| *at > T0 + 51 * S && l == "get_recent_intents_v2").map(|(at, _)| (at - T0 - 50 * S - 5 * MIN) / S).collect();
    assert_eq!(resumed, vec![0, 2, 4]);
}

#[test]
fn probe_falls_back_to_v1_only_when_v2_is_missing_and_remembers() {
    let mut h = Harness::new(T0);
    h.backend.v2_missing = true;
    h.engine.register_realtime(SITE, false, false, T0).unwrap();
    h.run_until(T0 + 5 * S);
    assert_eq!(h.between(T0, T0 + 5 * S), vec!["subscribe", "get_recent_intents_v2", "get_recent_intents_v1", "get_recent_intents_v1", "get_recent_intents_v1"]);
    // A second site on the same page goes straight to v1.
    h.engine.register_realtime("second-site", false, false, h.now).unwrap();
    h.drain();
    assert_eq!(h.trace.iter().rev().find(|(_, l)| l.starts_with("get_recent")).map(|(_, l)| l.as_str()), Some("get_recent_intents_v1"));
}

#[test]
fn hidden_sends_nothing_and_visible_catches_up_once() {
    let mut h = Harness::new(T0);
    h.engine.register_realtime(SITE, false, true, T0).unwrap();
    let stats = h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    h.run_until(T0 + MIN);
    h.engine.set_visible(false, T0 + MIN);
    h.backend.overlay_captured = vec![5];
    h.run_until(T0 + 6 * MIN);
    assert!(h.between(T0 + MIN + 1, T0 + 6 * MIN + 1).is_empty(), "nothing while hidden: {:?}", h.between(T0 + MIN + 1, T0 + 6 * MIN + 1));
    assert_eq!(h.engine.poll_timeout(), Some(h.today().to_ms), "only the midnight rollover stays armed");
    h.engine.set_visible(true, T0 + 6 * MIN);
    h.drain();
    assert_eq!(h.between(T0 + 6 * MIN, T0 + 6 * MIN + 1), vec!["overlay", "get_command_center_p0_stats_v2"], "one catch-up");
    h.run_until(T0 + 7 * MIN);
    assert_eq!(h.between(T0 + 6 * MIN + 1, T0 + 7 * MIN + 1), vec!["overlay"; 6], "then the normal cadence, no second stats fetch");
    assert_eq!(stats_snapshot(&h, stats).live.unwrap().captured, Some(5.0));
}

#[test]
fn offline_pauses_everything_including_reconnects() {
    let mut h = Harness::new(T0);
    h.engine.register_realtime(SITE, false, true, T0).unwrap();
    h.run_until(T0 + MIN);
    h.engine.set_online(false, T0 + MIN);
    h.engine.handle_channel_status(SITE, ChannelStatus::ChannelError, None, T0 + MIN);
    h.run_until(T0 + 10 * MIN);
    assert!(h.between(T0 + MIN + 1, T0 + 10 * MIN + 1).is_empty(), "{:?}", h.between(T0 + MIN + 1, T0 + 10 * MIN + 1));
    h.engine.set_online(true, T0 + 10 * MIN);
    h.drain();
    let back = h.between(T0 + 10 * MIN, T0 + 10 * MIN + 1);
    assert_eq!(back, vec!["unsubscribe", "subscribe", "get_recent_intents_v2"], "the reconnect and one probe, at once");
}

#[test]
fn stats_errors_back_off_exponentially_then_recover() {
    let mut h = Harness::new(T0);
    h.backend.stats_errors = 5;
    let stats = h.engine.register_stats(SITE, RangeSpec::Fixed { from_ms: T0 - 86_400_000, to_ms: T0 - 1 }, false, T0).unwrap();
    h.run_until(T0 + 3 * MIN);
    let at: Vec<i64> = h.trace.iter().filter(|(_, l)| l == "get_command_center_p0_stats_v2").map(|(t, _)| *t - T0).collect();
    assert_eq!(at.len(), 6, "five failures and a success: {at:?}");
    for (i, pair) in at.windows(2).enumerate() {
        let exp = (2_000i64 << i).min(60_000);
        let gap = pair[1] - pair[0];
        assert!(gap >= exp / 2 && gap <= exp, "retry {i}: {gap} ms not in [{}, {exp}]", exp / 2);
    }
    let s = stats_snapshot(&h, stats);
    assert!(s.error.is_none() && s.stats.is_some());
}

#[test]
fn errors_are_shown_and_keep_the_last_good_snapshot() {
    let mut h = Harness::new(T0);
    let stats = h.engine.register_stats(SITE, RangeSpec::Fixed { from_ms: T0 - 86_400_000, to_ms: T0 - 1 }, false, T0).unwrap();
    h.drain();
    h.backend.stats_errors = 1;
    h.engine.refetch(stats, T0 + 10 * S);
    h.drain();
    let s = stats_snapshot(&h, stats);
    assert_eq!(s.error.as_deref(), Some("boom"));
    assert!(s.stats.is_some(), "last good numbers stay");
    assert!(!s.loading);
}

#[test]
fn events_trigger_throttled_coalesced_refetches() {
    let mut h = Harness::new(T0);
    h.engine.register_realtime(SITE, false, true, T0).unwrap();
    h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    h.drain();
    // Events reach callbacks once their session lookup proves the site (the harness answers with rows at once).
    let event = |i: u32| format!(r#"{{"table":"events","eventType":"INSERT","commit_timestamp":"t{i}","new":{{"id":"e{i}","site_id":"{SITE}","session_id":"s1"}}}}"#);
    // A burst of 5 events over 2 s, 20 s after the first fetch: one leading refetch...
    for i in 0..5 {
        let at = T0 + 20 * S + i64::from(i) * 500;
        h.run_until(at);
        h.engine.handle_payload(SITE, &event(i), u64::from(i), at);
        h.drain();
    }
    // ...and one trailing refetch 5 s after the leading one.
    h.run_until(T0 + 40 * S);
    let fetches: Vec<i64> = h.trace.iter().filter(|(_, l)| l == "get_command_center_p0_stats_v2").map(|(t, _)| (*t - T0) / 100).collect();
    assert_eq!(fetches, vec![0, 200, 250], "initial, leading edge at 20 s, trailing at 25 s");
    let notes = h.trace.iter().filter(|(_, l)| l == "notify:EventCreated").count();
    assert_eq!(notes, 5);
}

#[test]
fn overlay_rise_refetches_and_marks_live() {
    let mut h = Harness::new(T0);
    let rt = h.engine.register_realtime(SITE, false, false, T0).unwrap();
    let stats = h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    h.backend.overlay_captured = vec![3, 3, 4];
    h.run_until(T0 + 25 * S);
    assert_eq!(h.between(T0 + 1, T0 + 25 * S), vec!["overlay", "overlay", "get_command_center_p0_stats_v2"]);
    assert!(realtime_snapshot(&h, rt).is_live, "a rising overlay is activity");
    let s = stats_snapshot(&h, stats);
    assert_eq!(s.provenance.unwrap().overlay, opsmantik_pulse::stats::OverlayStatus::Shown);
}

#[test]
fn superseded_and_late_responses_are_dropped() {
    // Start 5 s before Istanbul midnight with slow answers: the day's fetch is superseded by the rollover.
    let midnight = day_range_for_key("2026-02-03", "Europe/Istanbul").unwrap().from_ms;
    let mut h = Harness::new(midnight - 5 * S);
    h.backend.delay_ms = 8 * S;
    let stats = h.engine.register_stats(SITE, RangeSpec::Today, false, h.now).unwrap();
    h.run_until(midnight + 20 * S);
    let s = stats_snapshot(&h, stats);
    assert_eq!(s.day_key.as_deref(), Some("2026-02-03"));
    assert_eq!(s.stats.as_ref().map(|x| x.date_from.as_str()), Some("2026-02-02T21:00:00.000Z"), "only the new day's answer applied");
    assert!(h.engine.counters().dropped.responses >= 1, "the old day's answer was dropped");
    // A response for an unknown request id is dropped too.
    let before = h.engine.counters().dropped.responses;
    h.engine.handle_rpc_response(9_999, Ok(serde_json::json!([])), h.now);
    assert_eq!(h.engine.counters().dropped.responses, before + 1);
}

fn rollover_case(zone: &'static str, next_day: &str) {
    let next = day_range_for_key(next_day, zone).unwrap();
    let mut h = Harness::with_zone(next.from_ms - 10 * S, zone);
    let stats = h.engine.register_stats(SITE, RangeSpec::Today, false, h.now).unwrap();
    h.run_until(next.from_ms - 1);
    let before = stats_snapshot(&h, stats);
    assert_ne!(before.day_key.as_deref(), Some(next_day));
    h.run_until(next.from_ms + 1);
    let after = stats_snapshot(&h, stats);
    assert_eq!(after.day_key.as_deref(), Some(next_day), "{zone}");
    assert_eq!((after.date_range.from.as_str(), after.date_range.to.as_str()), (next.from_iso.as_str(), next.to_iso.as_str()));
    let fetches: Vec<i64> = h.trace.iter().filter(|(_, l)| l == "get_command_center_p0_stats_v2").map(|(t, _)| *t).collect();
    assert_eq!(fetches, vec![next.from_ms - 10 * S, next.from_ms], "{zone}: a fetch exactly at the zone's midnight");
    assert!(after.live.is_none_or(|l| l.day_key == next_day), "yesterday's overlay is not shown");
}

#[test]
fn rollover_at_istanbul_midnight() {
    rollover_case("Europe/Istanbul", "2026-02-03");
}

#[test]
fn rollover_at_a_dst_gap_midnight_in_santiago() {
    // 2024-09-08 00:00 does not exist in Santiago: the day starts at 01:00 local (04:00Z) and lasts 23 h.
    rollover_case("America/Santiago", "2024-09-08");
    let d = day_range_for_key("2024-09-08", "America/Santiago").unwrap();
    assert_eq!((d.from_iso.as_str(), d.to_ms - d.from_ms), ("2024-09-08T04:00:00.000Z", 23 * 3_600_000));
}

#[test]
fn clock_jumps_do_not_stall_or_burst() {
    let mut h = Harness::new(T0);
    h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    h.run_until(T0 + MIN);
    // Back by two hours: the next poll must not wait two hours.
    h.now = T0 - 2 * 60 * MIN;
    h.engine.handle_timeout(h.now);
    h.drain();
    let deadline = h.engine.poll_timeout().unwrap();
    assert!(deadline <= h.now + 10 * S, "deadline {} ms away", deadline - h.now);
    // Forward by three hours (sleep/wake): one round of work, not one per missed tick.
    let before = h.count("overlay");
    h.now += 3 * 60 * MIN;
    h.engine.handle_timeout(h.now);
    h.drain();
    assert_eq!(h.count("overlay") - before, 1);
}

#[test]
fn relative_time_ticks_only_when_the_label_changes() {
    let mut h = Harness::new(T0);
    let handle = h.engine.register_relative_time(T0, T0);
    let label = |h: &Harness| match h.engine.snapshot(handle) {
        Some(RegistrationSnapshot::RelativeTime { label, .. }) => label.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(label(&h), "Just now");
    h.run_until(T0 + 15 * S);
    assert_eq!(label(&h), "15s ago");
    let wakeups = h.engine.counters().wakeups;
    h.run_until(T0 + 3 * MIN);
    assert_eq!(label(&h), "3m ago");
    // 16..59 s: one wakeup per second; then one per minute.
    let used = h.engine.counters().wakeups - wakeups;
    assert!(used <= 48, "{used} wakeups");
}

#[test]
fn a_hung_request_times_out_and_its_late_answer_is_dropped() {
    let mut h = Harness::new(T0);
    h.backend.delay_ms = 10 * MIN; // the backend never answers in time
    let stats = h.engine.register_stats(SITE, RangeSpec::Fixed { from_ms: T0 - 86_400_000, to_ms: T0 - 1 }, false, T0).unwrap();
    h.run_until(T0 + 25 * S);
    let s = stats_snapshot(&h, stats);
    assert_eq!(s.error.as_deref(), Some("request timed out"));
    let fetches = h.trace.iter().filter(|(_, l)| l == "get_command_center_p0_stats_v2").count();
    assert_eq!(fetches, 2, "timed out at 20 s, retried after the backoff");
    // The answers arrive much later: every one is for a request the engine gave up on or a retry.
    h.backend.delay_ms = 0;
    h.run_until(T0 + 12 * MIN);
    assert!(h.engine.counters().dropped.responses >= 1);
    assert!(h.engine.in_flight_keys().len() <= 1);
}
