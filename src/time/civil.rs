//! Proleptic Gregorian calendar arithmetic on day numbers (days since
//! 1970-01-01), the few operations the zone table needs. Kept free of crate
//! imports because `build.rs` compiles this file too: the generator and the
//! runtime must agree to the day.

/// Day number of `year-month-day` (month 1-12, day may overflow the month:
/// day 32 of January is February 1st, as rules like "Sun>=29" need).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Years start in March so the leap day is the last day of the year.
    let (y, m) = if month <= 2 { (year - 1, i64::from(month) + 9) } else { (year, i64::from(month) - 3) };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `(year, month, day)` of a day number; the inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Day of the week, Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

/// Number of days in `month` of `year`.
pub fn month_len(year: i64, month: u32) -> u32 {
    let next = if month == 12 { days_from_civil(year + 1, 1, 1) } else { days_from_civil(year, month + 1, 1) };
    (next - days_from_civil(year, month, 1)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(0, 1, 1), -719_528);
        assert_eq!(days_from_civil(2024, 1, 32), days_from_civil(2024, 2, 1));
        assert_eq!(weekday(days_from_civil(2026, 2, 2)), 0, "2026-02-02 is a Monday");
        assert_eq!(month_len(2024, 2), 29);
        assert_eq!(month_len(1900, 2), 28);
        assert_eq!(month_len(2000, 2), 29);
        assert_eq!(month_len(2023, 12), 31);
    }

    #[test]
    fn round_trips_and_matches_chrono_every_day_0000_to_9999() {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for days in days_from_civil(0, 1, 1)..=days_from_civil(9999, 12, 31) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            let want = epoch + chrono::Duration::days(days);
            use chrono::Datelike;
            assert_eq!((y, m, d), (i64::from(want.year()), want.month(), want.day()), "{days}");
            assert_eq!(weekday(days), want.weekday().num_days_from_monday(), "{days}");
        }
    }
}
