//! The merge policy table of section 4, row by row, plus the invariants the
//! dashboard relies on, as property tests.

use opsmantik_pulse::stats::{
    merge_overlay, normalize_overlay, normalize_p0_stats, CommandCenterP0Stats, FieldSource, LiveStats, MergeOptions,
    MergePolicy, OverlayReply, OverlayStatus,
};
use opsmantik_pulse::time::{day_range_for_key, span_range};
use proptest::prelude::*;
use serde_json::json;

const TZ: &str = "Europe/Istanbul";
/// 2026-02-02 15:00 Istanbul.
const NOW: i64 = 1_770_033_600_000;

fn snapshot(from_iso: &str, to_iso: &str, ads_only: bool, sealed: f64, junk: f64, total: f64, gclid: f64) -> CommandCenterP0Stats {
    normalize_p0_stats(&json!({
        "site_id": "s1", "date_from": from_iso, "date_to": to_iso, "ads_only": ads_only, "queue_pending": 1,
        "sealed": sealed, "junk": junk, "auto_approved": 0, "oci_uploaded": 0, "oci_failed": 0,
        "oci_matchable_sealed": 0, "assumed_cpc": 0, "currency": "TRY", "estimated_budget_saved": 0,
        "projected_revenue": 0, "total_leads": total, "gclid_leads": gclid, "avg_scroll_depth": 0, "inbox_zero_now": false
    }))
    .unwrap()
}

fn today(ads_only: bool, sealed: f64, junk: f64, total: f64, gclid: f64) -> CommandCenterP0Stats {
    let r = day_range_for_key("2026-02-02", TZ).unwrap();
    snapshot(&r.from_iso, &r.to_iso, ads_only, sealed, junk, total, gclid)
}

fn overlay(captured: u32, gclid: u32, junk: u32) -> OverlayReply {
    normalize_overlay(&json!({"captured": captured, "gclid": gclid, "junk": junk}))
}

fn opts(policy: MergePolicy) -> MergeOptions<'static> {
    MergeOptions { policy, now_ms: NOW, time_zone: TZ, overlay_received_at_ms: None, snapshot_fetched_at_ms: None }
}

#[test]
fn db_truth_displays_the_snapshot_and_shows_the_overlay_beside_it() {
    let s = today(false, 3.0, 1.0, 5.0, 2.0);
    let m = merge_overlay(Some(&s), Some(&overlay(40, 7, 9)), opts(MergePolicy::DbTruth)).unwrap();
    assert_eq!(m.stats.as_ref(), Some(&s));
    assert_eq!(m.provenance.overlay, OverlayStatus::Shown);
    assert_eq!(m.provenance.fields.sealed, FieldSource::Db);
    let live = m.live.unwrap();
    assert_eq!((live.captured, live.gclid, live.junk, live.fallback), (Some(40.0), Some(7.0), Some(9.0), false));
    assert_eq!(live.day_key, "2026-02-02");
}

#[test]
fn legacy_max_applies_the_four_rules_per_field() {
    // Overlay wins sealed/total (captured 40) and junk (9); DB wins gclid (12 > 7).
    let s = today(false, 3.0, 1.0, 5.0, 12.0);
    let m = merge_overlay(Some(&s), Some(&overlay(40, 7, 9)), opts(MergePolicy::LegacyMax)).unwrap();
    let out = m.stats.unwrap();
    assert_eq!((out.sealed, out.junk, out.total_leads, out.gclid_leads), (40.0, 9.0, 40.0, 12.0));
    assert_eq!(out.queue_pending, 1.0, "other fields stay the DB's");
    let f = m.provenance.fields;
    assert_eq!((f.sealed, f.junk, f.total_leads, f.gclid_leads), (FieldSource::Overlay, FieldSource::Overlay, FieldSource::Overlay, FieldSource::Db));
    assert_eq!(m.provenance.overlay, OverlayStatus::Applied);
    assert!(m.live.is_some());
}

#[test]
fn overlay_applies_only_to_the_exact_today_range_of_its_zone() {
    let y = day_range_for_key("2026-02-01", TZ).unwrap();
    let week = span_range("2026-02-02", 7, TZ).unwrap();
    let utc_day = day_range_for_key("2026-02-02", "UTC").unwrap();
    for (name, s) in [
        ("yesterday", snapshot(&y.from_iso, &y.to_iso, false, 1.0, 0.0, 1.0, 0.0)),
        ("7-day span containing today", snapshot(&week.from_iso, &week.to_iso, false, 1.0, 0.0, 1.0, 0.0)),
        ("another zone's today", snapshot(&utc_day.from_iso, &utc_day.to_iso, false, 1.0, 0.0, 1.0, 0.0)),
    ] {
        for policy in [MergePolicy::DbTruth, MergePolicy::LegacyMax] {
            let m = merge_overlay(Some(&s), Some(&overlay(40, 7, 9)), opts(policy)).unwrap();
            assert_eq!(m.stats.as_ref(), Some(&s), "{name} {policy:?}");
            assert_eq!(m.provenance.overlay, OverlayStatus::NotToday, "{name}");
            assert!(m.live.is_none(), "{name}: today's live counts are not shown on another range");
        }
    }
    // The same instants written with an offset still match today.
    let s = snapshot("2026-02-02T00:00:00+03:00", "2026-02-03T00:00:00+03:00", false, 1.0, 0.0, 1.0, 0.0);
    let m = merge_overlay(Some(&s), Some(&overlay(40, 7, 9)), opts(MergePolicy::LegacyMax)).unwrap();
    assert_eq!(m.provenance.overlay, OverlayStatus::Applied);
}

#[test]
fn legacy_max_does_not_merge_all_traffic_counts_into_ads_only_stats() {
    let s = today(true, 3.0, 1.0, 5.0, 2.0);
    let m = merge_overlay(Some(&s), Some(&overlay(40, 7, 9)), opts(MergePolicy::LegacyMax)).unwrap();
    assert_eq!(m.stats.as_ref(), Some(&s));
    assert_eq!(m.provenance.overlay, OverlayStatus::ScopeMismatch);
    assert!(m.live.is_some(), "still shown as live traffic");
}

#[test]
fn fallback_and_error_replies_are_ignored_and_flagged() {
    let s = today(false, 3.0, 1.0, 5.0, 2.0);
    let fallback = normalize_overlay(&json!({"captured": 0, "gclid": 0, "junk": 0, "_fallback": true}));
    let error = normalize_overlay(&json!({"message": "boom"}));
    for policy in [MergePolicy::DbTruth, MergePolicy::LegacyMax] {
        let m = merge_overlay(Some(&s), Some(&fallback), opts(policy)).unwrap();
        assert_eq!(m.stats.as_ref(), Some(&s));
        assert_eq!(m.provenance.overlay, OverlayStatus::Fallback);
        let live = m.live.unwrap();
        assert!(live.fallback && live.captured.is_none(), "zeros of a fallback are not data");
        let m = merge_overlay(Some(&s), Some(&error), opts(policy)).unwrap();
        assert_eq!(m.stats.as_ref(), Some(&s));
        assert_eq!(m.provenance.overlay, OverlayStatus::Error);
        assert!(m.provenance.error.unwrap().contains("captured"));
        assert!(m.live.is_none());
    }
}

#[test]
fn an_overlay_from_the_previous_day_is_dropped_at_rollover() {
    // Received 23:59 Istanbul on 02-02, merged at 00:01 on 02-03 against 02-03's snapshot.
    let midnight = day_range_for_key("2026-02-03", TZ).unwrap();
    let s = snapshot(&midnight.from_iso, &midnight.to_iso, false, 0.0, 0.0, 0.0, 0.0);
    let options = MergeOptions {
        now_ms: midnight.from_ms + 60_000,
        overlay_received_at_ms: Some(midnight.from_ms - 60_000),
        ..opts(MergePolicy::LegacyMax)
    };
    let m = merge_overlay(Some(&s), Some(&overlay(500, 50, 5)), options).unwrap();
    assert_eq!(m.provenance.overlay, OverlayStatus::PreviousDay);
    assert_eq!(m.stats.unwrap().sealed, 0.0);
    assert!(m.live.is_none());
    assert_eq!(m.provenance.overlay_age_ms, Some(120_000));
}

#[test]
fn ages_and_absent_overlay() {
    let s = today(false, 3.0, 1.0, 5.0, 2.0);
    let options = MergeOptions { snapshot_fetched_at_ms: Some(NOW - 4_000), overlay_received_at_ms: Some(NOW - 1_500), ..opts(MergePolicy::DbTruth) };
    let m = merge_overlay(Some(&s), Some(&overlay(1, 0, 0)), options).unwrap();
    assert_eq!((m.provenance.snapshot_age_ms, m.provenance.overlay_age_ms), (Some(4_000), Some(1_500)));
    let m = merge_overlay(Some(&s), None, opts(MergePolicy::LegacyMax)).unwrap();
    assert_eq!(m.provenance.overlay, OverlayStatus::Absent);
    assert_eq!(m.stats.as_ref(), Some(&s));
    let m = merge_overlay(None, Some(&overlay(1, 0, 0)), opts(MergePolicy::LegacyMax)).unwrap();
    assert!(m.stats.is_none() && m.live.is_some());
    assert!(merge_overlay(Some(&s), None, MergeOptions { time_zone: "Mars/Base", ..opts(MergePolicy::DbTruth) }).is_err());
}

#[test]
fn a_rising_overlay_marks_the_snapshot_stale() {
    let mut view = LiveStats::new(MergePolicy::DbTruth, TZ).unwrap();
    assert!(!view.on_overlay(overlay(10, 2, 0), NOW).unwrap().stale, "first reading is not evidence");
    assert!(!view.on_overlay(overlay(10, 2, 0), NOW + 10_000).unwrap().stale, "flat");
    assert!(view.on_overlay(overlay(11, 2, 0), NOW + 20_000).unwrap().stale, "captured rose");
    assert!(view.on_overlay(overlay(11, 3, 0), NOW + 30_000).unwrap().stale, "gclid rose");
    assert!(!view.on_overlay(overlay(11, 3, 4), NOW + 40_000).unwrap().stale, "junk alone is not a signal");
    let fallback = normalize_overlay(&json!({"captured": 0, "gclid": 0, "junk": 0, "_fallback": true}));
    assert!(!view.on_overlay(fallback, NOW + 50_000).unwrap().stale);
    assert!(!view.on_overlay(overlay(11, 3, 4), NOW + 60_000).unwrap().stale, "a fallback in between is not a rise");
    // A new day starts over: yesterday's counters do not compare.
    let tomorrow = day_range_for_key("2026-02-03", TZ).unwrap().from_ms;
    assert!(!view.on_overlay(overlay(12, 3, 4), tomorrow + 1).unwrap().stale);
}

#[test]
fn legacy_re_applies_the_latest_overlay_after_a_refetch() {
    let mut view = LiveStats::new(MergePolicy::LegacyMax, TZ).unwrap();
    view.on_snapshot(Some(today(false, 3.0, 0.0, 3.0, 1.0)), NOW);
    view.on_overlay(overlay(8, 4, 0), NOW + 1_000).unwrap();
    assert_eq!(view.view(NOW + 2_000).unwrap().stats.unwrap().sealed, 8.0);
    // The refetch lands with a DB that has not caught up yet: no dip to 5.
    view.on_snapshot(Some(today(false, 5.0, 0.0, 5.0, 2.0)), NOW + 3_000);
    let m = view.view(NOW + 3_000).unwrap();
    let s = m.stats.unwrap();
    assert_eq!((s.sealed, s.total_leads, s.gclid_leads), (8.0, 8.0, 4.0));
    assert_eq!(m.provenance.snapshot_age_ms, Some(0));
    // A fallback reply keeps the last good counters and flags the view degraded.
    view.on_overlay(normalize_overlay(&json!({"captured": 0, "gclid": 0, "junk": 0, "_fallback": true})), NOW + 4_000).unwrap();
    let m = view.view(NOW + 4_000).unwrap();
    assert_eq!(m.stats.unwrap().sealed, 8.0);
    assert!(m.live.unwrap().fallback);
    assert!(m.provenance.error.unwrap().contains("fallback"));
}

#[derive(Debug, Clone)]
enum Step {
    Snapshot { grow: [u8; 4] },
    Overlay { grow: [u8; 3] },
    Fallback,
    ErrorReply,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => any::<[u8; 4]>().prop_map(|g| Step::Snapshot { grow: g.map(|x| x % 4) }),
        4 => any::<[u8; 3]>().prop_map(|g| Step::Overlay { grow: g.map(|x| x % 4) }),
        1 => Just(Step::Fallback),
        1 => Just(Step::ErrorReply),
    ]
}

proptest! {
    /// Within one day, with the DB and the overlay each only counting up (as
    /// they do), `legacy-max` never shows a counter going down, whatever the
    /// order of refetches, polls, fallbacks and errors.
    #[test]
    fn legacy_max_counters_never_decrease_within_a_day(steps in prop::collection::vec(step(), 1..60)) {
        let mut view = LiveStats::new(MergePolicy::LegacyMax, TZ).unwrap();
        let (mut db, mut live) = ([0.0f64; 4], [0u32; 3]);
        let mut shown = [0.0f64; 4];
        for (i, step) in steps.iter().enumerate() {
            let at = NOW + i as i64 * 1_000;
            match step {
                Step::Snapshot { grow } => {
                    for (d, g) in db.iter_mut().zip(grow) { *d += f64::from(*g); }
                    view.on_snapshot(Some(today(false, db[0], db[1], db[2], db[3])), at);
                }
                Step::Overlay { grow } => {
                    for (l, g) in live.iter_mut().zip(grow) { *l += u32::from(*g); }
                    view.on_overlay(overlay(live[0], live[1], live[2]), at).unwrap();
                }
                Step::Fallback => { view.on_overlay(OverlayReply::Fallback, at).unwrap(); }
                Step::ErrorReply => { view.on_overlay(OverlayReply::Error { error: "x".into() }, at).unwrap(); }
            }
            if let Some(s) = view.view(at).unwrap().stats {
                let now = [s.sealed, s.junk, s.total_leads, s.gclid_leads];
                for (n, prev) in now.iter().zip(shown.iter()) {
                    prop_assert!(n >= prev, "step {}: {:?} went below {:?}", i, now, shown);
                }
                shown = now;
            }
        }
    }

    /// Under `db-truth` the displayed stats are always exactly the latest DB snapshot.
    #[test]
    fn db_truth_always_displays_the_latest_snapshot(steps in prop::collection::vec(step(), 1..60)) {
        let mut view = LiveStats::new(MergePolicy::DbTruth, TZ).unwrap();
        let mut latest = None;
        let mut live = [0u32; 3];
        for (i, step) in steps.iter().enumerate() {
            let at = NOW + i as i64 * 1_000;
            match step {
                Step::Snapshot { grow } => {
                    let s = today(i % 2 == 0, f64::from(grow[0]), f64::from(grow[1]), f64::from(grow[2]), f64::from(grow[3]));
                    view.on_snapshot(Some(s.clone()), at);
                    latest = Some(s);
                }
                Step::Overlay { grow } => {
                    for (l, g) in live.iter_mut().zip(grow) { *l += u32::from(*g) * 10; }
                    view.on_overlay(overlay(live[0], live[1], live[2]), at).unwrap();
                }
                Step::Fallback => { view.on_overlay(OverlayReply::Fallback, at).unwrap(); }
                Step::ErrorReply => { view.on_overlay(OverlayReply::Error { error: "x".into() }, at).unwrap(); }
            }
            prop_assert_eq!(view.view(at).unwrap().stats, latest.clone());
        }
    }
}
