//! "12s ago" labels from one shared clock, at the granularity they need:
//! "Just now" under 10 s, seconds under a minute, minutes under an hour,
//! then hours. The engine wakes only when some watched label would change.

/// One band of the rule: ages below `below_ms` read `{age / unit_ms}{suffix}`
/// (a `unit_ms` of 0 reads `suffix` alone). The rule is data so the TS
/// hydration render (js/relative-label.ts) walks the same table, generated
/// into `js/generated/core-facts.ts`, and the two cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelBand {
    pub below_ms: i64,
    pub unit_ms: i64,
    pub suffix: &'static str,
}

/// The last band, open-ended.
const HOURS: LabelBand = LabelBand { below_ms: i64::MAX, unit_ms: 3_600_000, suffix: "h ago" };

/// The bands in order of age; the last one has no upper bound.
pub const RELATIVE_LABEL_BANDS: [LabelBand; 4] = [
    LabelBand { below_ms: 10_000, unit_ms: 0, suffix: "Just now" },
    LabelBand { below_ms: 60_000, unit_ms: 1_000, suffix: "s ago" },
    LabelBand { below_ms: 3_600_000, unit_ms: 60_000, suffix: "m ago" },
    HOURS,
];

/// The band an age falls in.
fn band(age: i64) -> LabelBand {
    RELATIVE_LABEL_BANDS.into_iter().find(|b| age < b.below_ms).unwrap_or(HOURS)
}

/// The label for an instant `at_ms` seen at `now_ms`.
pub fn relative_label(now_ms: i64, at_ms: i64) -> String {
    let age = (now_ms - at_ms).max(0);
    let b = band(age);
    if b.unit_ms == 0 {
        b.suffix.to_string()
    } else {
        format!("{}{}", age / b.unit_ms, b.suffix)
    }
}

/// The next instant after `now_ms` at which the label for `at_ms` changes.
pub fn next_label_change(now_ms: i64, at_ms: i64) -> i64 {
    let age = (now_ms - at_ms).max(0);
    let b = band(age);
    if b.unit_ms == 0 {
        // The fixed label holds until the band ends.
        return at_ms + b.below_ms;
    }
    // The next multiple of the unit in age terms.
    at_ms + (age / b.unit_ms + 1) * b.unit_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_their_next_change() {
        let t = 1_000_000;
        assert_eq!(relative_label(t + 9_999, t), "Just now");
        assert_eq!(next_label_change(t + 3_000, t), t + 10_000);
        assert_eq!(relative_label(t + 12_500, t), "12s ago");
        assert_eq!(next_label_change(t + 12_500, t), t + 13_000);
        assert_eq!(relative_label(t + 61_000, t), "1m ago");
        assert_eq!(next_label_change(t + 61_000, t), t + 120_000);
        assert_eq!(relative_label(t + 7_200_000, t), "2h ago");
        assert_eq!(next_label_change(t + 7_200_000, t), t + 10_800_000);
        assert_eq!(relative_label(t - 5_000, t), "Just now", "a future instant is not negative");
        // Every change point really changes the label, and nothing in between does.
        let mut now = t;
        for _ in 0..200 {
            let next = next_label_change(now, t);
            assert!(next > now);
            assert_eq!(relative_label(next - 1, t), relative_label(now, t));
            assert_ne!(relative_label(next, t), relative_label(now, t));
            now = next;
        }
    }
}
