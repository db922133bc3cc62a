//! Local days as half-open UTC ranges: `[start_of_day(D), start_of_day(D+1))`.
//!
//! A day is built from calendar dates, never by adding 24 hours: most days
//! are 24 h, DST days 23 or 25 h, and 1970-2037 also holds a 0 h day
//! (Pacific/Kwajalein skipped 1993-08-21) and a 31 h one.
//!
//! ```
//! use opsmantik_pulse::time::{day_range_for_key, today_range};
//! let d = day_range_for_key("2026-02-02", "Europe/Istanbul").unwrap();
//! assert_eq!(d.from_iso, "2026-02-01T21:00:00.000Z");
//! assert_eq!(d.to_iso, "2026-02-02T21:00:00.000Z");
//! // Santiago skips local midnight on 2024-09-08: the day starts at 01:00 local.
//! let s = day_range_for_key("2024-09-08", "America/Santiago").unwrap();
//! assert_eq!(s.from_iso, "2024-09-08T04:00:00.000Z");
//! assert_eq!(s.to_ms - s.from_ms, 23 * 3_600_000);
//! // "today" takes the clock as a parameter.
//! let t = today_range(s.from_ms + 1, "America/Santiago").unwrap();
//! assert_eq!(t.date_key, "2024-09-08");
//! ```

use chrono::{Duration, NaiveDate};

use crate::error::{Error, ErrorKind, Result};
use crate::time::date_key::{format_date_key, is_keyable, parse_date_key};
use crate::time::instant::{to_iso_string, MAX_EPOCH_MS};
use crate::time::zone::{parse_time_zone, Zone};
use crate::time::zone_table::MAX_OFFSET_SECS;

/// One local day of a zone as a half-open UTC range.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct DayRange {
    pub date_key: String,
    pub time_zone: String,
    pub from_iso: String,
    pub to_iso: String,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// `days` consecutive local days ending with `end_date_key`, as one half-open range.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct SpanRange {
    pub start_date_key: String,
    pub end_date_key: String,
    pub days: u32,
    pub time_zone: String,
    pub from_iso: String,
    pub to_iso: String,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// A local day's bounds without the strings: what the wasm edge sends to JS,
/// where building the object costs more than computing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayBounds {
    pub date: NaiveDate,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// A span's bounds without the strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanBounds {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub days: u32,
    pub from_ms: i64,
    pub to_ms: i64,
}

impl DayBounds {
    /// The full range with ISO strings and the zone's name.
    pub fn to_range(self, tz: Zone) -> DayRange {
        DayRange {
            date_key: format_date_key(self.date),
            time_zone: tz.name().to_string(),
            from_iso: to_iso_string(self.from_ms),
            to_iso: to_iso_string(self.to_ms),
            from_ms: self.from_ms,
            to_ms: self.to_ms,
        }
    }
}

impl SpanBounds {
    /// The full range with ISO strings and the zone's name.
    pub fn to_range(self, tz: Zone) -> SpanRange {
        SpanRange {
            start_date_key: format_date_key(self.start),
            end_date_key: format_date_key(self.end),
            days: self.days,
            time_zone: tz.name().to_string(),
            from_iso: to_iso_string(self.from_ms),
            to_iso: to_iso_string(self.to_ms),
            from_ms: self.from_ms,
            to_ms: self.to_ms,
        }
    }
}

/// Which day, relative to an instant or by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRef<'a> {
    /// The local day containing the instant.
    Today(i64),
    /// The local day before the one containing the instant.
    Yesterday(i64),
    /// A `YYYY-MM-DD` key.
    Key(&'a str),
}

/// Resolves a day reference to its bounds in `time_zone`.
pub fn day_bounds(day: DayRef<'_>, time_zone: &str) -> Result<DayBounds> {
    bounds_in(day, parse_time_zone(time_zone)?)
}

fn bounds_in(day: DayRef<'_>, tz: Zone) -> Result<DayBounds> {
    let date = resolve(day, tz)?;
    let (from_ms, to_ms) = bounds(date, date, tz)?;
    Ok(DayBounds { date, from_ms, to_ms })
}

fn range_in(day: DayRef<'_>, time_zone: &str) -> Result<DayRange> {
    let tz = parse_time_zone(time_zone)?;
    Ok(bounds_in(day, tz)?.to_range(tz))
}

/// `days` local days ending with (and including) the referenced day.
pub fn span_bounds(end: DayRef<'_>, days: u32, time_zone: &str) -> Result<SpanBounds> {
    let tz = parse_time_zone(time_zone)?;
    span(resolve(end, tz)?, days, tz)
}

fn resolve(day: DayRef<'_>, tz: Zone) -> Result<NaiveDate> {
    match day {
        DayRef::Today(now_ms) => date_at(now_ms, tz),
        DayRef::Yesterday(now_ms) => {
            let today = date_at(now_ms, tz)?;
            today
                .pred_opt()
                .filter(|d| is_keyable(*d))
                .ok_or_else(|| Error::new(ErrorKind::OutOfRange, format!("no keyable day before {}", format_date_key(today))))
        }
        DayRef::Key(key) => parse_date_key(key),
    }
}

/// Largest span accepted: ten years of days is more than any dashboard asks for.
pub const MAX_SPAN_DAYS: u32 = 3660;

/// The earliest instant (epoch ms) at which `date` begins in `tz`.
///
/// Midnight that happens twice (a fall-back at 00:00) takes the earlier one;
/// midnight skipped by a DST gap gives the instant the gap ends, as Temporal
/// and jiff do. Both are "the first instant whose local time is at or after
/// midnight": within one span local time runs with UTC, so walking the spans
/// forward, the first one that reaches midnight holds the answer, at
/// midnight itself or, in a gap, at the span's start.
pub fn start_of_day_ms(date: NaiveDate, tz: Zone) -> Result<i64> {
    let midnight = date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    // No instant earlier than this reaches midnight on the local clock.
    let mut span = tz.span_at(midnight - MAX_OFFSET_SECS);
    // Each step moves to a later span; one whose end is past
    // `midnight + MAX_OFFSET_SECS` always answers, and no zone changes offset
    // more than a few times in those hours, so the bound is never reached.
    for _ in 0..MAX_SPANS_PER_DAY {
        let first = (midnight - i64::from(span.offset)).max(span.start);
        if first < span.end {
            return Ok(first * 1000);
        }
        span = tz.span_at(span.end);
    }
    Err(Error::new(ErrorKind::OutOfRange, format!("no start of day found for {} in {}", format_date_key(date), tz.name())))
}

/// More offset changes than any zone has within a day and its margins.
const MAX_SPANS_PER_DAY: usize = 16;

/// The local calendar date at `now_ms` in `tz`.
pub fn date_at(now_ms: i64, tz: Zone) -> Result<NaiveDate> {
    let out_of_range = || {
        Error::new(
            ErrorKind::OutOfRange,
            format!("nowMs {now_ms} falls on a day outside years 0000-9999, which a 'YYYY-MM-DD' key cannot name"),
        )
    };
    let offset_ms = i64::from(tz.offset_at(now_ms.div_euclid(1000))) * 1000;
    let local_days = now_ms.checked_add(offset_ms).ok_or_else(out_of_range)?.div_euclid(86_400_000);
    i32::try_from(local_days + DAYS_FROM_CE_TO_EPOCH)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .filter(|d| is_keyable(*d))
        .ok_or_else(out_of_range)
}

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const DAYS_FROM_CE_TO_EPOCH: i64 = 719_163;

/// The range of local day `date` in `tz`.
pub fn day_range(date: NaiveDate, tz: Zone) -> Result<DayRange> {
    let (from_ms, to_ms) = bounds(date, date, tz)?;
    Ok(DayBounds { date, from_ms, to_ms }.to_range(tz))
}

/// `[start(first), start(last + 1))`.
fn bounds(first: NaiveDate, last: NaiveDate, tz: Zone) -> Result<(i64, i64)> {
    if !is_keyable(first) || !is_keyable(last) {
        return Err(Error::new(ErrorKind::OutOfRange, "day outside years 0000-9999"));
    }
    let next = last
        .succ_opt()
        .ok_or_else(|| Error::new(ErrorKind::OutOfRange, format!("no day after {}", format_date_key(last))))?;
    let from_ms = start_of_day_ms(first, tz)?;
    let to_ms = start_of_day_ms(next, tz)?;
    if from_ms.abs() > MAX_EPOCH_MS || to_ms.abs() > MAX_EPOCH_MS {
        return Err(Error::new(ErrorKind::OutOfRange, "range outside the JS Date range"));
    }
    Ok((from_ms, to_ms))
}

/// `dayRange(dateKey, timeZone)`: the range of a `YYYY-MM-DD` day in a zone.
pub fn day_range_for_key(date_key: &str, time_zone: &str) -> Result<DayRange> {
    range_in(DayRef::Key(date_key), time_zone)
}

/// `todayRange(nowMs, timeZone)`: the local day containing `now_ms`.
pub fn today_range(now_ms: i64, time_zone: &str) -> Result<DayRange> {
    range_in(DayRef::Today(now_ms), time_zone)
}

/// `yesterdayRange(nowMs, timeZone)`: the local day before the one containing `now_ms`.
pub fn yesterday_range(now_ms: i64, time_zone: &str) -> Result<DayRange> {
    range_in(DayRef::Yesterday(now_ms), time_zone)
}

/// `dateKeyAt(nowMs, timeZone)`: the `YYYY-MM-DD` key of the local day at `now_ms`.
pub fn date_key_at(now_ms: i64, time_zone: &str) -> Result<String> {
    let tz = parse_time_zone(time_zone)?;
    Ok(format_date_key(date_at(now_ms, tz)?))
}

/// `nextDayStartMs(nowMs, timeZone)`: when "today" rolls over, i.e. the start
/// of the next local day (always strictly after `now_ms`).
pub fn next_day_start_ms(now_ms: i64, time_zone: &str) -> Result<i64> {
    Ok(day_bounds(DayRef::Today(now_ms), time_zone)?.to_ms)
}

/// `spanRange(endDateKey, days, timeZone)`: `days` local days ending with (and
/// including) `end_date_key`. `days = 1` is the same instant range as `dayRange`.
pub fn span_range(end_date_key: &str, days: u32, time_zone: &str) -> Result<SpanRange> {
    let tz = parse_time_zone(time_zone)?;
    Ok(span(resolve(DayRef::Key(end_date_key), tz)?, days, tz)?.to_range(tz))
}

/// `lastDaysRange(nowMs, days, timeZone)`: the `days` local days ending today.
pub fn last_days_range(now_ms: i64, days: u32, time_zone: &str) -> Result<SpanRange> {
    let tz = parse_time_zone(time_zone)?;
    Ok(span(resolve(DayRef::Today(now_ms), tz)?, days, tz)?.to_range(tz))
}

fn span(end: NaiveDate, days: u32, tz: Zone) -> Result<SpanBounds> {
    if days == 0 || days > MAX_SPAN_DAYS {
        return Err(Error::new(ErrorKind::InvalidDays, format!("days must be 1-{MAX_SPAN_DAYS}, got {days}")));
    }
    let start = end
        .checked_sub_signed(Duration::days(i64::from(days) - 1))
        .filter(|d| is_keyable(*d))
        .ok_or_else(|| Error::new(ErrorKind::OutOfRange, format!("a {days}-day span ending {} starts before year 0000", format_date_key(end))))?;
    let (from_ms, to_ms) = bounds(start, end, tz)?;
    Ok(SpanBounds { start, end, days, from_ms, to_ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    fn len_h(key: &str, zone: &str) -> f64 {
        let r = day_range_for_key(key, zone).unwrap();
        (r.to_ms - r.from_ms) as f64 / HOUR as f64
    }

    #[test]
    fn istanbul_is_utc_plus_three_today_and_had_dst_before_2016() {
        assert_eq!(len_h("2026-03-29", "Europe/Istanbul"), 24.0);
        assert_eq!(len_h("2015-03-29", "Europe/Istanbul"), 23.0);
        assert_eq!(len_h("2015-11-08", "Europe/Istanbul"), 25.0);
    }

    #[test]
    fn skipped_and_short_days() {
        assert_eq!(len_h("1993-08-21", "Pacific/Kwajalein"), 0.0);
        assert_eq!(len_h("2011-12-30", "Pacific/Apia"), 0.0);
        assert_eq!(len_h("1993-08-20", "Pacific/Kwajalein"), 24.0);
        // Lord Howe moves by half an hour.
        assert_eq!(len_h("2024-10-06", "Australia/Lord_Howe"), 23.5);
    }

    #[test]
    fn cairo_gap_at_midnight_starts_at_one() {
        // Egypt 2024-04-26: 00:00 -> 01:00.
        let r = day_range_for_key("2024-04-26", "Africa/Cairo").unwrap();
        assert_eq!(r.from_iso, "2024-04-25T22:00:00.000Z");
        assert_eq!(r.to_ms - r.from_ms, 23 * HOUR);
    }

    #[test]
    fn today_yesterday_and_rollover() {
        // 2026-02-02T20:59:59.999Z is 23:59:59.999 in Istanbul.
        let now = 1_770_065_999_999;
        assert_eq!(date_key_at(now, "Europe/Istanbul").unwrap(), "2026-02-02");
        assert_eq!(date_key_at(now + 1, "Europe/Istanbul").unwrap(), "2026-02-03");
        assert_eq!(next_day_start_ms(now, "Europe/Istanbul").unwrap(), now + 1);
        assert_eq!(next_day_start_ms(now + 1, "Europe/Istanbul").unwrap(), now + 1 + 24 * HOUR);
        assert_eq!(yesterday_range(now, "Turkey").unwrap().date_key, "2026-02-01");
        assert_eq!(today_range(now, "Asia/Istanbul").unwrap().to_ms, now + 1);
    }

    #[test]
    fn spans_cover_whole_days() {
        let s = span_range("2026-02-07", 7, "Europe/Istanbul").unwrap();
        assert_eq!(s.start_date_key, "2026-02-01");
        assert_eq!(s.from_iso, "2026-01-31T21:00:00.000Z");
        assert_eq!(s.to_iso, "2026-02-07T21:00:00.000Z");
        let one = span_range("2026-02-07", 1, "Europe/Istanbul").unwrap();
        let day = day_range_for_key("2026-02-07", "Europe/Istanbul").unwrap();
        assert_eq!((one.from_ms, one.to_ms), (day.from_ms, day.to_ms));
        assert_eq!(span_range("2026-02-07", 0, "UTC").unwrap_err().kind(), ErrorKind::InvalidDays);
        assert_eq!(span_range("0000-01-02", 3, "UTC").unwrap_err().kind(), ErrorKind::OutOfRange);
    }

    #[test]
    fn extreme_instants_are_errors_not_panics() {
        for now in [MAX_EPOCH_MS, -MAX_EPOCH_MS, 253_402_300_800_000, i64::MAX, i64::MIN] {
            assert!(today_range(now, "Europe/Istanbul").is_err());
            assert!(next_day_start_ms(now, "Pacific/Kiritimati").is_err());
        }
        assert!(today_range(253_402_300_799_999, "UTC").is_ok()); // 9999-12-31T23:59:59.999Z
        assert!(day_range_for_key("9999-12-31", "Pacific/Kiritimati").is_ok());
        assert!(day_range_for_key("0000-01-01", "America/Los_Angeles").is_ok());
    }
}
