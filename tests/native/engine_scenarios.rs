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
    // The channel reports in at once here; the load gap is closed with one data-freshness callback.
    assert_eq!(h.between(T0, T0 + 1), vec!["overlay", "get_command_center_p0_stats_v2", "subscribe", "notify:DataFreshness"]);
    let s = stats_snapshot(&h, stats);
    assert!(!s.loading && s.stats.is_some() && s.error.is_none());
    assert_eq!(s.day_key.as_deref(), Some("2026-02-02"));
    assert_eq!(s.date_range.from, "2026-02-01T21:00:00.000Z");
    h.engine.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + 100);
    assert!(realtime_snapshot(&h, rt).is_connected);
    // A quiet site: the overlay poll every 60 s (it only feeds the live counters); no probe
    // (the overlay covers activity), no stats refetch (nothing changed).
    h.run_until(T0 + 3 * MIN - 1);
    assert_eq!(h.between(T0 + 1, T0 + 3 * MIN), vec!["overlay"; 2]);
    assert_eq!(h.count("get_recent_intents_v2"), 0);
    assert_eq!(h.count("get_command_center_p0_stats_v2"), 1);
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
    assert_eq!(h.count("overlay"), 10, "one poll per 60 s for the quiet site");
    assert_eq!(h.count("get_recent_intents_v2"), 1, "the probe ran only until the overlay poll took over");
    assert_eq!(&h.between(T0, T0 + 1)[..2], ["subscribe", "get_recent_intents_v2"]);
    let c = h.engine.counters();
    assert_eq!(c.requests.total(), 12, "1.2 requests a minute on a quiet page");
    assert!(c.wakeups <= 11, "{} wakeups", c.wakeups);
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
    assert_eq!(back, vec!["unsubscribe", "subscribe", "get_recent_intents_v2", "notify:DataFreshness"], "the reconnect, one probe, and the catch-up for the 9 offline minutes");
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
fn calls_changes_trigger_throttled_coalesced_refetches_and_events_none() {
    let mut h = Harness::new(T0);
    h.engine.register_realtime(SITE, false, true, T0).unwrap();
    h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    h.drain();
    // Events and sessions cannot move the stats RPC (it reads calls): no refetch for them, even
    // for events whose session lookup proves the site (the harness answers with rows at once).
    let change = |table: &str, i: u32| format!(r#"{{"table":"{table}","eventType":"INSERT","commit_timestamp":"t{i}","new":{{"id":"{table}{i}","site_id":"{SITE}","session_id":"s1"}}}}"#);
    for i in 0..5 {
        h.engine.handle_payload(SITE, &change("events", i), u64::from(i), T0 + 10 * S);
        h.engine.handle_payload(SITE, &change("sessions", i), u64::from(i + 10), T0 + 10 * S);
    }
    h.drain();
    // A burst of 5 calls over 2 s, 20 s after the first fetch: one leading refetch...
    for i in 0..5 {
        let at = T0 + 20 * S + i64::from(i) * 500;
        h.run_until(at);
        h.engine.handle_payload(SITE, &change("calls", i), u64::from(i + 20), at);
        h.drain();
    }
    // ...and one trailing refetch 2.5 s after the leading one.
    h.run_until(T0 + 40 * S);
    let fetches: Vec<i64> = h.trace.iter().filter(|(_, l)| l == "get_command_center_p0_stats_v2").map(|(t, _)| (*t - T0) / 100).collect();
    assert_eq!(fetches, vec![0, 200, 225], "initial, leading edge at 20 s, trailing 2.5 s later");
    assert_eq!(h.trace.iter().filter(|(_, l)| l == "notify:CallCreated").count(), 5);
}

#[test]
fn without_a_subscribed_channel_stats_refresh_on_a_timer() {
    let mut h = Harness::new(T0);
    h.backend.subscribe = false;
    h.engine.register_realtime(SITE, false, true, T0).unwrap();
    h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    h.run_until(T0 + 2 * MIN);
    let fetches: Vec<i64> = h.trace.iter().filter(|(_, l)| l == "get_command_center_p0_stats_v2").map(|(t, _)| (*t - T0) / S).collect();
    assert_eq!(fetches, vec![0, 30, 60, 90, 120], "every 30 s while realtime cannot report changes");
    // Once SUBSCRIBED: one catch-up for the gap, then nothing until a change.
    h.now = T0 + 2 * MIN + 5 * S;
    h.engine.handle_channel_status(SITE, ChannelStatus::Subscribed, None, h.now);
    h.run_until(T0 + 5 * MIN);
    assert_eq!(h.between(T0 + 2 * MIN + 1, T0 + 5 * MIN).iter().filter(|l| *l == "get_command_center_p0_stats_v2").count(), 1);
}

#[test]
fn overlay_rise_marks_live_and_speeds_the_poll_up_without_refetching_stats() {
    let mut h = Harness::new(T0);
    let rt = h.engine.register_realtime(SITE, false, false, T0).unwrap();
    let stats = h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    h.backend.overlay_captured = vec![3, 3, 4];
    h.run_until(T0 + 2 * MIN + 25 * S);
    // Quiet: 60 s apart; the rise at 120 s makes the site live: then every 10 s.
    assert_eq!(h.between(T0 + 1, T0 + 2 * MIN + 25 * S), vec!["overlay", "overlay", "overlay", "overlay"]);
    assert!(realtime_snapshot(&h, rt).is_live, "a rising overlay is activity");
    let s = stats_snapshot(&h, stats);
    assert_eq!(s.live.unwrap().captured, Some(4.0), "the rise shows in the live counters");
    assert_eq!(s.provenance.unwrap().overlay, opsmantik_pulse::stats::OverlayStatus::Shown);
    assert_eq!(h.count("get_command_center_p0_stats_v2"), 1, "events never move the DB stats");
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
    assert!(deadline <= h.now + 60 * S, "deadline {} ms away", deadline - h.now);
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

#[test]
fn back_from_hidden_at_most_four_lookups_in_flight_per_site() {
    let mut h = Harness::new(T0);
    h.backend.delay_ms = 300;
    h.engine.register_realtime(SITE, true, true, T0).unwrap();
    h.run_until(T0 + S);
    h.engine.set_visible(false, h.now);
    // 30 calls with distinct sessions arrive while hidden: their lookups wait.
    for i in 0..30u32 {
        let text = format!(r#"{{"table":"calls","eventType":"INSERT","commit_timestamp":"t{i}","new":{{"id":"c{i}","site_id":"{SITE}","matched_session_id":"s{i}"}}}}"#);
        h.engine.handle_payload(SITE, &text, u64::from(i), h.now);
    }
    h.drain();
    assert_eq!(h.count("get_session_details"), 0, "nothing while hidden");
    h.engine.set_visible(true, h.now + S);
    h.now += S;
    h.drain();
    assert_eq!(h.between(h.now, h.now + 1).iter().filter(|l| *l == "get_session_details").count(), 4, "four at once");
    // Each lookup in flight names its session (read from the site's waiters, not a copy in the request).
    let mut sessions: Vec<String> = h.engine.in_flight_keys().iter().filter_map(|k| k.strip_prefix(&format!("lookup:{SITE}:")).map(str::to_string)).collect();
    sessions.sort();
    assert_eq!(sessions, ["s0", "s1", "s2", "s3"], "{:?}", h.engine.in_flight_keys());
    h.run_until(h.now + 10 * S);
    assert_eq!(h.count("get_session_details"), 30, "the rest follow as answers free slots");
    assert!(h.engine.in_flight().get(&opsmantik_pulse::engine::RequestKind::Lookup).is_none_or(|n| *n == 0));
}

/// The gap-free handoff (issue 12 part 2): what happened before the channel
/// reported (since the server render, during a reconnect) is caught up once.
mod handoff {
    use super::*;
    use opsmantik_pulse::engine::{Command, EngineConfig, PulseEngine};
    use serde_json::Value;

    fn engine(replay: bool) -> PulseEngine {
        PulseEngine::new(EngineConfig { replay_calls: replay, seed: 3, ..EngineConfig::default() }).unwrap()
    }

    fn drain(e: &mut PulseEngine) -> Vec<Command> {
        std::iter::from_fn(|| e.poll_command()).collect()
    }

    fn replay_params(cmds: &[Command]) -> Option<(&'static str, Value)> {
        cmds.iter().find_map(|c| match c {
            Command::Rpc { kind: opsmantik_pulse::engine::RequestKind::Replay, name, params, .. } => Some((*name, params.clone())),
            _ => None,
        })
    }

    #[test]
    fn without_a_replay_source_the_first_subscribe_and_every_reconnect_fire_data_freshness() {
        let mut e = engine(false);
        e.register_realtime(SITE, false, true, T0).unwrap();
        drain(&mut e);
        e.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + 700);
        let fresh = |cmds: &[Command]| cmds.iter().filter(|c| matches!(c, Command::Notify { kind: opsmantik_pulse::realtime::NotificationKind::DataFreshness, .. })).count();
        assert_eq!(fresh(&drain(&mut e)), 1, "the app refetches its lists once for the load gap");
        e.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + 900);
        assert_eq!(fresh(&drain(&mut e)), 0, "no gap, no catch-up");
        e.handle_channel_status(SITE, ChannelStatus::ChannelError, None, T0 + MIN);
        assert_eq!(fresh(&drain(&mut e)), 0);
        e.handle_timeout(T0 + MIN + 2 * S);
        drain(&mut e);
        e.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + MIN + 3 * S);
        assert_eq!(fresh(&drain(&mut e)), 1, "one catch-up per reconnect");
    }

    #[test]
    fn with_a_replay_source_the_gap_since_the_server_render_is_replayed() {
        let mut e = engine(true);
        e.set_data_as_of(T0 - 2 * S); // the server rendered 2 s before the client registered
        e.register_realtime(SITE, false, true, T0).unwrap();
        drain(&mut e);
        e.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + 700);
        let (name, params) = replay_params(&drain(&mut e)).expect("a replay");
        assert_eq!(name, "get_recent_intents_v2");
        assert_eq!(params["p_date_from"], opsmantik_pulse::time::to_iso_string(T0 - 7 * S), "from the server render, minus the margin");
        assert_eq!(params["p_site_id"], SITE);
    }

    #[test]
    fn a_reconnect_replays_from_the_moment_the_channel_dropped_and_v1_serves_when_v2_is_missing() {
        let mut e = engine(true);
        e.register_realtime(SITE, true, true, T0).unwrap();
        e.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0);
        for c in drain(&mut e) {
            if let Command::Rpc { request_id, kind: opsmantik_pulse::engine::RequestKind::Replay, .. } = c {
                e.handle_rpc_response(request_id, Ok(serde_json::json!([])), T0);
            }
        }
        e.handle_channel_status(SITE, ChannelStatus::Closed, None, T0 + MIN);
        e.handle_timeout(T0 + MIN + 5 * S);
        drain(&mut e);
        e.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + MIN + 6 * S);
        let cmds = drain(&mut e);
        let (_, params) = replay_params(&cmds).expect("a replay");
        assert_eq!(params["p_date_from"], opsmantik_pulse::time::to_iso_string(T0 + MIN - 5 * S));
        let id = cmds.iter().find_map(|c| match c { Command::Rpc { request_id, kind: opsmantik_pulse::engine::RequestKind::Replay, .. } => Some(*request_id), _ => None }).unwrap();
        e.handle_rpc_response(id, Err(opsmantik_pulse::engine::RpcError { code: Some("PGRST202".into()), message: "no v2".into() }), T0 + MIN + 7 * S);
        let (name, params) = replay_params(&drain(&mut e)).expect("retried with v1");
        assert_eq!(name, "get_recent_intents_v1");
        assert!(params["p_minutes_lookback"].as_i64().unwrap() >= 1);
    }

    #[test]
    fn a_replay_that_fills_its_limit_also_fires_data_freshness() {
        let mut e = engine(true);
        e.register_realtime(SITE, false, true, T0).unwrap();
        drain(&mut e);
        e.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + 700);
        let id = drain(&mut e).iter().find_map(|c| match c { Command::Rpc { request_id, kind: opsmantik_pulse::engine::RequestKind::Replay, .. } => Some(*request_id), _ => None }).unwrap();
        // The driver answers with how many rows it fed through the pipeline.
        e.handle_rpc_response(id, Ok(serde_json::json!(opsmantik_pulse::engine::timing::REPLAY_LIMIT)), T0 + 800);
        let fresh = drain(&mut e).iter().filter(|c| matches!(c, Command::Notify { kind: opsmantik_pulse::realtime::NotificationKind::DataFreshness, .. })).count();
        assert_eq!(fresh, 1, "the gap may hold more than one page: the app refetches its lists too");
    }

    #[test]
    fn a_catch_up_due_while_hidden_waits_for_the_tab_to_return() {
        let mut e = engine(true);
        e.register_realtime(SITE, false, true, T0).unwrap();
        drain(&mut e);
        e.set_visible(false, T0 + 100);
        e.handle_channel_status(SITE, ChannelStatus::Subscribed, None, T0 + 700);
        assert!(replay_params(&drain(&mut e)).is_none(), "nothing goes out while hidden");
        e.set_visible(true, T0 + MIN);
        assert!(replay_params(&drain(&mut e)).is_some(), "the catch-up goes out on return");
    }
}

#[test]
fn both_modes_share_one_lookup_per_session() {
    let mut h = Harness::new(T0);
    h.engine.register_realtime(SITE, false, true, T0).unwrap();
    h.engine.register_realtime(SITE, true, true, T0).unwrap();
    h.run_until(T0 + S);
    let event = format!(r#"{{"table":"events","eventType":"INSERT","commit_timestamp":"t1","new":{{"id":"e1","session_id":"s1","gclid":"g"}}}}"#);
    h.engine.handle_payload(SITE, &event, 1, h.now);
    h.drain();
    assert_eq!(h.count("get_session_details"), 1, "one request for the session, both modes");
    assert_eq!(h.trace.iter().filter(|(_, l)| l == "notify:EventCreated").count(), 2, "each mode's hooks got the event");
    assert_eq!(h.engine.retained_rows(), 0, "the row was released once both decided");
}

#[test]
fn every_request_says_why_it_went_out() {
    use opsmantik_pulse::engine::{Command, RequestReason};
    let mut h = Harness::new(T0);
    let stats = h.engine.register_stats(SITE, RangeSpec::Today, false, T0).unwrap();
    let mut reasons = Vec::new();
    let take = |e: &mut opsmantik_pulse::engine::PulseEngine, out: &mut Vec<(String, RequestReason)>| {
        while let Some(c) = e.poll_command() {
            match c {
                Command::Rpc { name, reason, request_id, .. } => {
                    out.push((name.to_string(), reason));
                    e.handle_rpc_response(request_id, Ok(serde_json::json!([])), e.now());
                }
                Command::FetchOverlay { reason, request_id, .. } => {
                    out.push(("overlay".into(), reason));
                    e.handle_overlay_response(request_id, Ok(serde_json::json!({"captured": 0, "gclid": 0, "junk": 0})), e.now());
                }
                Command::Subscribe { site_id, .. } => e.handle_channel_status(&site_id, ChannelStatus::Subscribed, None, e.now()),
                _ => {}
            }
        }
    };
    take(&mut h.engine, &mut reasons);
    assert!(reasons.contains(&("get_command_center_p0_stats_v2".into(), RequestReason::Startup)), "{reasons:?}");
    assert!(reasons.contains(&("overlay".into(), RequestReason::Startup)), "{reasons:?}");
    reasons.clear();
    // The realtime hook mounts half a second later: its channel reports in after the stats were fetched.
    h.engine.register_realtime(SITE, false, true, T0 + 500).unwrap();
    take(&mut h.engine, &mut reasons);
    reasons.clear();
    h.engine.handle_timeout(T0 + 3 * S);
    take(&mut h.engine, &mut reasons);
    assert_eq!(reasons, vec![("get_command_center_p0_stats_v2".into(), RequestReason::CatchUp)], "the SUBSCRIBED catch-up");
    reasons.clear();
    let call = format!(r#"{{"table":"calls","eventType":"INSERT","commit_timestamp":"t1","new":{{"id":"c1","site_id":"{SITE}"}}}}"#);
    h.engine.handle_payload(SITE, &call, 1, T0 + 10 * S);
    take(&mut h.engine, &mut reasons);
    assert_eq!(reasons, vec![("get_command_center_p0_stats_v2".into(), RequestReason::CallsChange)]);
    reasons.clear();
    h.engine.refetch(stats, T0 + 20 * S);
    take(&mut h.engine, &mut reasons);
    assert!(reasons.contains(&("get_command_center_p0_stats_v2".into(), RequestReason::Manual)), "{reasons:?}");
    // The overlay poll due at the same instant (the call made the site live: 10 s cadence).
    assert!(reasons.contains(&("overlay".into(), RequestReason::Cadence)), "{reasons:?}");
    assert!(h.engine.log().iter().any(|l| l.what.contains("(calls_change)")), "the log says why too");
}
