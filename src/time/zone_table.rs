//! The zone table `build.rs` generates from chrono-tz: every IANA name and
//! link, each pointing at a compact record (`zone_format.rs`) of its offsets.
//! Names and links with the same history share one record.

use super::zone_format::{span_at, Span};

include!(concat!(env!("OUT_DIR"), "/zone_table.rs"));

/// No offset in the table is larger; midnight `m` is reached no earlier than
/// `m - MAX_OFFSET_SECS` on the UTC clock.
pub const MAX_OFFSET_SECS: i64 = MAX_ABS_OFFSET;

/// Number of names (zones and links).
pub fn name_count() -> usize {
    NAME_ENDS.len()
}

/// The `index`-th name in sorted order (`""` past the end).
pub fn name(index: usize) -> &'static str {
    let start = match index.checked_sub(1) {
        Some(prev) => NAME_ENDS.get(prev).map_or(0, |e| *e as usize),
        None => 0,
    };
    let end = NAME_ENDS.get(index).map_or(0, |e| *e as usize);
    NAMES.get(start..end).unwrap_or("")
}

/// The index of an exactly spelled name (tzdb names are case-sensitive).
pub fn find(zone_name: &str) -> Option<usize> {
    let (mut lo, mut hi) = (0, name_count());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match name(mid).cmp(zone_name) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

/// The span of name `index`'s zone containing `t` (seconds since the epoch).
pub fn span(index: usize, t: i64) -> Span {
    // A record needs no end: the decoder reads only its own bytes.
    let start = NAME_RECORDS.get(index).map_or(usize::MAX, |r| *r as usize);
    span_at(RECORDS.get(start..).unwrap_or(&[]), &OFFSETS, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_found() {
        assert!(name_count() > 590, "{}", name_count());
        for i in 1..name_count() {
            assert!(name(i - 1) < name(i), "{} !< {}", name(i - 1), name(i));
        }
        for i in 0..name_count() {
            assert_eq!(find(name(i)), Some(i));
        }
        assert_eq!(find("europe/istanbul"), None);
        assert_eq!(find(""), None);
        assert_eq!(name(name_count()), "");
    }

    #[test]
    fn links_share_records() {
        let record = |n: &str| NAME_RECORDS[find(n).unwrap()];
        assert_eq!(record("Turkey"), record("Europe/Istanbul"));
        assert_eq!(record("Asia/Istanbul"), record("Europe/Istanbul"));
        assert_ne!(record("Europe/Istanbul"), record("Europe/Athens"));
        let mut records = NAME_RECORDS.to_vec();
        records.sort_unstable();
        records.dedup();
        assert!(records.len() < name_count() * 2 / 3, "links and identical zones are stored once: {} records", records.len());
    }
}
