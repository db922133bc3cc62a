//! Invariants of day ranges over every zone chrono-tz knows.

use chrono::NaiveDate;
use chrono_tz::TZ_VARIANTS;
use opsmantik_pulse::time::{date_key_at, day_range, next_day_start_ms, parse_time_zone, today_range};
use proptest::prelude::*;

/// Days are contiguous (`to` of D is `from` of D+1); each start is the
/// earliest instant whose local time reaches D's midnight; where that local
/// time is not exactly midnight, the start is a transition (a DST gap ate
/// midnight); and a day whose bounds are both at midnight lasts 24 h minus
/// the offset change inside it. Every day of every zone, 1970-2037.
#[test]
fn days_are_contiguous_and_length_is_24h_minus_offset_change() {
    use chrono::{Offset, TimeZone};
    let start = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2037, 12, 31).unwrap();
    let (mut min_len, mut max_len, mut days) = (i64::MAX, i64::MIN, 0u64);
    for tz in TZ_VARIANTS {
        let off = |ms: i64| i64::from(tz.timestamp_millis_opt(ms).unwrap().offset().fix().local_minus_utc()) * 1000;
        let midnight = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp_millis();
        // How far past local midnight of `d` the instant `ms` is, on the local clock.
        let excess = |ms: i64, d: NaiveDate| ms + off(ms) - midnight(d);
        let zone = parse_time_zone(tz.name()).unwrap();
        let mut d = start;
        let mut prev = day_range(d, zone).unwrap();
        while d < end {
            d = d.succ_opt().unwrap();
            let cur = day_range(d, zone).unwrap();
            days += 1;
            assert_eq!(prev.to_ms, cur.from_ms, "{tz} {} -> {}", prev.date_key, cur.date_key);
            let from_excess = excess(cur.from_ms, d);
            assert!(from_excess >= 0 && excess(cur.from_ms - 1, d) < 0, "{tz} {} does not start at the earliest instant", cur.date_key);
            if from_excess > 0 {
                assert_ne!(off(cur.from_ms - 1), off(cur.from_ms), "{tz} {} starts late without a transition", cur.date_key);
            }
            let next = d.succ_opt().unwrap();
            let len = cur.to_ms - cur.from_ms;
            if from_excess == 0 && excess(cur.to_ms, next) == 0 {
                assert_eq!(len, 86_400_000 - (off(cur.to_ms) - off(cur.from_ms)), "{tz} {}", cur.date_key);
            }
            min_len = min_len.min(len);
            max_len = max_len.max(len);
            prev = cur;
        }
    }
    assert!(days > 10_000_000, "checked {days} days");
    assert_eq!(min_len, 0, "a 0 h day exists (Kwajalein 1993-08-21)");
    assert_eq!(max_len, 31 * 3_600_000, "a 31 h day exists");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any instant lies inside its own today range, and the rollover instant
    /// is that range's end, strictly after the instant.
    #[test]
    fn now_is_inside_today(now in -2_208_988_800_000i64..4_102_444_800_000i64, zone_idx in 0usize..TZ_VARIANTS.len()) {
        let zone = TZ_VARIANTS[zone_idx].name();
        let today = today_range(now, zone).unwrap();
        prop_assert!(today.from_ms <= now && now < today.to_ms, "{} {} {:?}", zone, now, today);
        prop_assert_eq!(next_day_start_ms(now, zone).unwrap(), today.to_ms);
        prop_assert_eq!(date_key_at(now, zone).unwrap(), today.date_key);
    }
}
