//! A yearly transition rule ("last Sunday of March at 01:00 UTC"), which is
//! how the zone table stores the recurring tail of a zone's DST history
//! instead of one transition per year up to 2099. Shared with `build.rs`, so
//! the generator checks its rules with this very code.

use super::civil::{days_from_civil, month_len, weekday};

/// `weekday` value of a rule that names a fixed day of the month.
pub const ANY_WEEKDAY: u32 = 7;
/// `day` value of a rule that takes the last `weekday` of the month.
pub const LAST_OF_MONTH: u32 = 0;

/// One transition per year: on the selected day of `month`, `secs` after
/// that day's 00:00 UTC (negative or past 24 h when the wall clock time of
/// the change, read in UTC, falls on a neighbouring day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearlyRule {
    /// 1-12.
    pub month: u32,
    /// [`LAST_OF_MONTH`], or the first day `weekday` may fall on (the day
    /// itself when `weekday` is [`ANY_WEEKDAY`]).
    pub day: u32,
    /// Monday = 0 ... Sunday = 6, or [`ANY_WEEKDAY`].
    pub weekday: u32,
    pub secs: i64,
}

impl YearlyRule {
    /// The rule's day in `year`, as a day number (days since 1970-01-01).
    pub fn date(&self, year: i64) -> i64 {
        if self.weekday == ANY_WEEKDAY {
            return days_from_civil(year, self.month, self.day);
        }
        if self.day == LAST_OF_MONTH {
            let last = days_from_civil(year, self.month, month_len(year, self.month));
            return last - i64::from((weekday(last) + 7 - self.weekday) % 7);
        }
        let first = days_from_civil(year, self.month, self.day);
        first + i64::from((self.weekday + 7 - weekday(first)) % 7)
    }

    /// The transition instant in `year`, seconds since the epoch.
    pub fn instant(&self, year: i64) -> i64 {
        self.date(year) * 86_400 + self.secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::civil::civil_from_days;

    #[test]
    fn eu_and_us_rules() {
        // EU: last Sunday of March, 01:00 UTC.
        let eu = YearlyRule { month: 3, day: LAST_OF_MONTH, weekday: 6, secs: 3600 };
        assert_eq!(civil_from_days(eu.date(2026)), (2026, 3, 29));
        assert_eq!(eu.instant(2026), 1_774_746_000); // 2026-03-29T01:00:00Z
        // US: second Sunday of March (Sun>=8), 02:00 EST = 07:00 UTC.
        let us = YearlyRule { month: 3, day: 8, weekday: 6, secs: 7 * 3600 };
        assert_eq!(civil_from_days(us.date(2026)), (2026, 3, 8));
        assert_eq!(civil_from_days(us.date(2027)), (2027, 3, 14));
        // A fixed day, whatever its weekday.
        let fixed = YearlyRule { month: 9, day: 21, weekday: ANY_WEEKDAY, secs: -3600 };
        assert_eq!(civil_from_days(fixed.date(2030)), (2030, 9, 21));
        // Last Sunday of a February in a leap year.
        let feb = YearlyRule { month: 2, day: LAST_OF_MONTH, weekday: 6, secs: 0 };
        assert_eq!(civil_from_days(feb.date(2032)), (2032, 2, 29));
    }
}
