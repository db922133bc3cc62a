//! "12s ago" labels from one shared clock, at the granularity they need:
//! "Just now" under 10 s, seconds under a minute, minutes under an hour,
//! then hours. The engine wakes only when some watched label would change.

/// The label for an instant `at_ms` seen at `now_ms`.
pub fn relative_label(now_ms: i64, at_ms: i64) -> String {
    let age = (now_ms - at_ms).max(0);
    if age < 10_000 {
        "Just now".to_string()
    } else if age < 60_000 {
        format!("{}s ago", age / 1000)
    } else if age < 3_600_000 {
        format!("{}m ago", age / 60_000)
    } else {
        format!("{}h ago", age / 3_600_000)
    }
}

/// The next instant after `now_ms` at which the label for `at_ms` changes.
pub fn next_label_change(now_ms: i64, at_ms: i64) -> i64 {
    let age = (now_ms - at_ms).max(0);
    let step = if age < 10_000 {
        return at_ms.max(now_ms.min(at_ms)) + 10_000;
    } else if age < 60_000 {
        1_000
    } else if age < 3_600_000 {
        60_000
    } else {
        3_600_000
    };
    // The next multiple of `step` in age terms.
    at_ms + (age / step + 1) * step
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
