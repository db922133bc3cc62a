//! The compact zone record: one zone's UTC offset as a function of time.
//! Shared with `build.rs`, which writes records and reads each one back with
//! this code before the crate is built.
//!
//! A record is a byte string of LEB128 varints (`z` = zigzag-signed):
//!
//! ```text
//! first offset      offset index in force before the first transition
//! count             number of explicit transitions
//! rule years        0, or how many years the yearly rule pair covers
//! [if rule years > 0]
//!   first year
//!   2 x (month, day, weekday: one byte each; z secs; offset index after)
//! [if count > 0]
//!   times length    bytes in the times column
//!   times column    explicit transitions, NEWEST FIRST: the newest as z
//!                   seconds since the epoch, then each one's distance back
//!                   from the one before it, as a `distance` (below)
//!   offsets column  offset index in force from each of them on, same order
//! ```
//!
//! Explicit transitions all precede the rule's first one. After the rule's
//! last year (or the newest explicit transition) the last offset holds
//! forever, as in chrono-tz, whose transitions stop at 2099. Newest first
//! makes the common lookup (now, this year) stop at the first entry. Times
//! and offsets in separate columns, and distances in whole hours where they
//! are, make a record half the size and compress a third better than
//! interleaved seconds.

use super::zone_rule::YearlyRule;

/// A maximal run of time with one UTC offset: `[start, end)`, seconds since
/// the epoch; `i64::MIN` / `i64::MAX` where the run is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: i64,
    pub end: i64,
    /// Seconds east of UTC.
    pub offset: i32,
}

/// Reads varints; past the end it reads zeros (records are generated and
/// checked at build time, so that never happens, and it cannot panic).
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u32 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        u32::from(b)
    }

    fn varint(&mut self) -> u64 {
        let (mut value, mut shift) = (0u64, 0u32);
        while shift < 64 {
            let b = self.byte();
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        value
    }

    /// A positive distance in seconds: `h << 1` for whole hours, `m << 2 | 1`
    /// for whole minutes, `s << 2 | 3` otherwise.
    fn distance(&mut self) -> i64 {
        let v = self.varint();
        let value = match v & 3 {
            1 => (v >> 2) * 60,
            3 => v >> 2,
            _ => (v >> 1) * 3600,
        };
        value as i64
    }

    fn signed(&mut self) -> i64 {
        let v = self.varint();
        (v >> 1) as i64 ^ -((v & 1) as i64)
    }

    fn rule(&mut self) -> YearlyRule {
        let (month, day, weekday) = (self.byte(), self.byte(), self.byte());
        YearlyRule { month, day, weekday, secs: self.signed() }
    }
}

/// The span of `record` that contains `t` (seconds since the epoch).
/// `offsets` is the table the record's offset indexes point into.
pub fn span_at(record: &[u8], offsets: &[i32], t: i64) -> Span {
    let mut r = Reader { bytes: record, pos: 0 };
    let offset = |index: u64| offsets.get(index as usize).copied().unwrap_or(0);
    let first = offset(r.varint());
    let count = r.varint();
    let years = r.varint() as i64;
    let mut end = i64::MAX;
    if years > 0 {
        let first_year = r.varint() as i64;
        let (a, a_offset) = (r.rule(), offset(r.varint()));
        let (b, b_offset) = (r.rule(), offset(r.varint()));
        let rule_start = a.instant(first_year);
        if t >= rule_start {
            return rule_span([(a, a_offset), (b, b_offset)], first_year, first_year + years - 1, t);
        }
        end = rule_start;
    }
    if count == 0 {
        return Span { start: i64::MIN, end, offset: first };
    }
    let times_len = r.varint() as usize;
    let mut offsets_column = Reader { bytes: record, pos: r.pos + times_len };
    let mut at = r.signed();
    for i in 0..count {
        if i > 0 {
            at -= r.distance();
        }
        let span_offset = offset(offsets_column.varint());
        if at <= t {
            return Span { start: at, end, offset: span_offset };
        }
        end = at;
    }
    Span { start: i64::MIN, end, offset: first }
}

/// The span at `t` within the years a rule pair governs (`t` at or after the
/// pair's first transition). Starts from `t`'s UTC year, steps back while
/// that year's first transition is still ahead (once, around New Year), then
/// walks forward to the first transition after `t`: two to four rule
/// evaluations for any `t`.
fn rule_span(pair: [(YearlyRule, i32); 2], first_year: i64, last_year: i64, t: i64) -> Span {
    let [(a, a_offset), (b, b_offset)] = pair;
    let mut year = super::civil::civil_from_days(t.div_euclid(86_400)).0.clamp(first_year, last_year);
    let mut a_at = a.instant(year);
    while year > first_year && a_at > t {
        year -= 1;
        a_at = a.instant(year);
    }
    let (mut start, mut offset) = (a_at, a_offset);
    loop {
        let b_at = b.instant(year);
        if b_at > t {
            return Span { start, end: b_at, offset };
        }
        (start, offset) = (b_at, b_offset);
        if year == last_year {
            return Span { start, end: i64::MAX, offset };
        }
        year += 1;
        let next_a = a.instant(year);
        if next_a > t {
            return Span { start, end: next_a, offset };
        }
        (start, offset) = (next_a, a_offset);
    }
}
