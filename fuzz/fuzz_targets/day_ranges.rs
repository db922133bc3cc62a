//! Date keys, zone names and instants: never a panic, and every range that
//! comes back is well-formed and contains its instant.
#![no_main]
use libfuzzer_sys::fuzz_target;
use opsmantik_pulse::time::{date_key_at, day_range_for_key, next_day_start_ms, span_range, today_range, MAX_EPOCH_MS};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{1f}');
    let key = parts.next().unwrap_or("");
    let zone = parts.next().unwrap_or("Europe/Istanbul");
    let now = data.iter().take(8).fold(0i64, |acc, b| acc.wrapping_mul(257).wrapping_add(i64::from(*b))) % (MAX_EPOCH_MS + 1);
    if let Ok(r) = day_range_for_key(key, zone) {
        assert!(r.from_ms <= r.to_ms);
        assert_eq!(r.date_key, key);
    }
    for zone in [zone, "Europe/Istanbul", "America/Santiago", "Pacific/Kwajalein"] {
        if let Ok(t) = today_range(now, zone) {
            assert!(t.from_ms <= now && now < t.to_ms, "{zone} {now}");
            assert_eq!(next_day_start_ms(now, zone).ok(), Some(t.to_ms));
            assert_eq!(date_key_at(now, zone).ok(), Some(t.date_key));
        }
    }
    let days = u32::from(data.first().copied().unwrap_or(1));
    if let Ok(s) = span_range(key, days, zone) {
        assert!(s.from_ms <= s.to_ms);
    }
});
