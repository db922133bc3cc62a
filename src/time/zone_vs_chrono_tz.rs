//! The proof that the compact zone table is chrono-tz, exactly: every zone
//! and link, every transition to the second, and the day math built on it
//! against the chrono-tz code it replaced. Native only (chrono-tz is a
//! dev-dependency there).

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{Tz, TZ_VARIANTS};

use crate::time::civil::days_from_civil;
use crate::time::day_range::{date_at, start_of_day_ms};
use crate::time::zone::Zone;

fn chrono_offset(tz: Tz, secs: i64) -> i32 {
    let utc = DateTime::from_timestamp(secs, 0).unwrap().naive_utc();
    tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

fn pairs() -> Vec<(Zone, Tz)> {
    Zone::all().map(|z| (z, z.name().parse::<Tz>().unwrap_or_else(|_| panic!("{} unknown to chrono-tz", z.name())))).collect()
}

/// The table's transitions of a zone, oldest first.
fn transitions(zone: Zone) -> Vec<i64> {
    let mut out = Vec::new();
    let mut span = zone.span_at(i64::MIN);
    while span.end != i64::MAX {
        assert!(span.end > span.start, "{zone:?}: empty span at {}", span.start);
        out.push(span.end);
        let next = zone.span_at(span.end);
        assert_eq!(next.start, span.end, "{zone:?}: spans not contiguous");
        assert_ne!(next.offset, span.offset, "{zone:?}: a transition that changes nothing");
        span = next;
    }
    out
}

#[test]
fn same_names_as_chrono_tz() {
    let mut ours: Vec<&str> = Zone::all().map(Zone::name).collect();
    let mut theirs: Vec<&str> = TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    ours.sort_unstable();
    theirs.sort_unstable();
    assert_eq!(ours, theirs);
}

/// Every zone: at each transition the offset 1 s before, at, and 1 s after
/// equals chrono-tz's; and between transitions chrono-tz has none of its
/// own: sampled every 12 hours 1970-2037 (chrono-tz's shortest span is
/// about a week) and every 5 days 1800-1970 and 2038-2200.
#[test]
fn every_zone_every_transition_matches_chrono_tz() {
    let (mut zones, mut checked_transitions) = (0, 0);
    for (zone, tz) in pairs() {
        zones += 1;
        let list = transitions(zone);
        for t in &list {
            for s in [t - 1, *t, t + 1] {
                assert_eq!(zone.offset_at(s), chrono_offset(tz, s), "{zone:?} at {s}");
            }
        }
        checked_transitions += list.len();
        let samples = |from: i64, to: i64, step: i64| (0..).map(move |i| from + 1_031 + i * step).take_while(move |t| *t < to);
        let y = |year| days_from_civil(year, 1, 1) * 86_400;
        let dense = samples(y(1970), y(2038), 43_200);
        let sparse = samples(y(1800), y(1970), 5 * 86_400).chain(samples(y(2038), y(2200), 5 * 86_400));
        for s in dense.chain(sparse).chain([y(1), y(10_000) - 1]) {
            assert_eq!(zone.offset_at(s), chrono_offset(tz, s), "{zone:?} at {s}");
        }
    }
    assert_eq!(zones, TZ_VARIANTS.len());
    assert!(checked_transitions > 50_000, "{checked_transitions} transitions checked");
}

/// The chrono-tz implementation of the start of a day that this crate used
/// before the table, kept as the reference: chrono-tz's local-time lookup,
/// the earlier of two midnights, and a bisection for a gap's end.
fn reference_start_of_day_ms(date: NaiveDate, tz: Tz) -> i64 {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    match tz.from_local_datetime(&midnight) {
        LocalResult::Single(dt) => dt.timestamp_millis(),
        LocalResult::Ambiguous(a, b) => a.timestamp_millis().min(b.timestamp_millis()),
        LocalResult::None => {
            let local = |secs: i64| -> NaiveDateTime { tz.timestamp_opt(secs, 0).unwrap().naive_local() };
            let pivot = midnight.and_utc().timestamp();
            let (mut lo, mut hi) = (pivot - 18 * 3600, pivot + 18 * 3600);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if local(mid) >= midnight {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            hi * 1000
        }
    }
}

fn chrono_date_at(ms: i64, tz: Tz) -> NaiveDate {
    DateTime::from_timestamp_millis(ms).unwrap().with_timezone(&tz).date_naive()
}

/// Start of day and the local date against the chrono-tz code they
/// replaced: every day 1970-2037 of every zone, and every day within two
/// days of any transition in any year (elsewhere the offset is constant
/// around midnight and both are plain arithmetic); the local date 1 ms
/// either side of every transition.
#[test]
fn day_math_matches_the_chrono_tz_implementation() {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let day = |days: i64| epoch + chrono::Duration::days(days);
    let mut days_checked = 0u64;
    for (zone, tz) in pairs() {
        let near_transitions = transitions(zone).into_iter().flat_map(|t| {
            for ms in [t * 1000 - 1, t * 1000, t * 1000 + 1] {
                assert_eq!(date_at(ms, zone).unwrap(), chrono_date_at(ms, tz), "{zone:?} at {ms} ms");
            }
            (-2..=2).map(move |d| t.div_euclid(86_400) + d)
        });
        for days in (0..days_from_civil(2038, 1, 1)).chain(near_transitions) {
            let date = day(days);
            assert_eq!(start_of_day_ms(date, zone).unwrap(), reference_start_of_day_ms(date, tz), "{zone:?} {date}");
            days_checked += 1;
        }
    }
    assert!(days_checked > 14_000_000, "{days_checked} days checked");
}
