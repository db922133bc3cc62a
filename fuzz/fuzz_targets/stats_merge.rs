//! Stats normalization and the merge, on arbitrary JSON and options.
#![no_main]
use libfuzzer_sys::fuzz_target;
use opsmantik_pulse::stats::{merge_overlay, normalize_overlay, normalize_p0_stats, LiveStats, MergeOptions, MergePolicy};

fuzz_target!(|data: &[u8]| {
    let (head, rest) = data.split_at(data.len().min(9));
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    let stats = normalize_p0_stats(&value);
    if let Some(s) = &stats {
        for n in [s.sealed, s.junk, s.total_leads, s.gclid_leads, s.queue_pending, s.assumed_cpc, s.avg_scroll_depth] {
            assert!(n.is_finite());
        }
        // Every string kept is capped, and so is the number of issues.
        assert!([&s.site_id, &s.currency, &s.date_from, &s.date_to].iter().all(|t| t.len() <= 128));
        assert!(s.issues.len() <= 64 && s.issues.iter().all(|i| i.field.len() <= 128 && i.message.len() <= 256));
        // Normalizing a normalized snapshot, as the wasm writes and reads it, is the identity.
        let again = normalize_p0_stats(&opsmantik_pulse::json::parse_value(&opsmantik_pulse::json::to_json_text(s)).unwrap_or_default());
        assert_eq!(again.as_ref(), Some(s));
    }
    let overlay = normalize_overlay(&value);
    let now = head.iter().fold(1_700_000_000_000i64, |acc, b| acc.wrapping_add(i64::from(*b) * 3_600_000));
    let policy = if head.first().is_some_and(|b| b & 1 == 1) { MergePolicy::LegacyMax } else { MergePolicy::DbTruth };
    let options = MergeOptions { policy, now_ms: now, time_zone: "Europe/Istanbul", overlay_received_at_ms: Some(now - 1000), snapshot_fetched_at_ms: Some(now - 5000) };
    if let Ok(m) = merge_overlay(stats.as_ref(), Some(&overlay), options) {
        if policy == MergePolicy::DbTruth {
            assert_eq!(m.stats.as_ref(), stats.as_ref());
        }
    }
    if let Ok(mut live) = LiveStats::new(policy, "Europe/Istanbul") {
        live.on_snapshot(stats, now);
        let _ = live.on_overlay(overlay, now);
        let _ = live.view(now);
    }
});
