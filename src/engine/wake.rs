//! Why the engine wants to be woken, and when: one enum of reasons and one
//! table of deadlines (quinn-proto's `connection/timer.rs`). `poll_timeout`
//! is the table's minimum, and a timeout fires only the entries that are
//! due, so the cost of a wakeup is proportional to what is due, not to how
//! many sites and keys the page watches.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::BuildHasherDefault;

use crate::id_hasher::IdHasher;

use crate::engine::interest::StatsKey;

/// One reason to wake, per site, stats key, request or registration.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(tag = "kind", rename_all = "snake_case", rename_all_fields = "camelCase"))]
pub enum Wake {
    /// A request unanswered for `REQUEST_TIMEOUT_MS` fails.
    RequestTimeout { request_id: u64 },
    /// A "today" stats key reaches the zone's midnight and rolls to the new day.
    Rollover { key: StatsKey },
    /// A stats fetch is due (first load, a throttled refresh, a backoff retry).
    StatsFetch { key: StatsKey },
    /// The channel's reconnect backoff ran out.
    Reconnect { site_id: String },
    /// The site's activity probe is due.
    Probe { site_id: String },
    /// The site's overlay poll is due.
    OverlayPoll { site_id: String },
    /// The site's evidence of activity gets too old: `isLive` turns false.
    LiveExpiry { site_id: String },
    /// A relative-time label changes ("9s ago" → "10s ago").
    RelativeLabel { handle: u32 },
}

impl Wake {
    /// A short label for the devtools log.
    pub fn label(&self) -> String {
        match self {
            Wake::RequestTimeout { request_id } => format!("request #{request_id} timeout"),
            Wake::Rollover { key } => format!("rollover {}", key.site_id),
            Wake::StatsFetch { key } => format!("stats fetch {}", key.site_id),
            Wake::Reconnect { site_id } => format!("reconnect {site_id}"),
            Wake::Probe { site_id } => format!("probe {site_id}"),
            Wake::OverlayPoll { site_id } => format!("overlay poll {site_id}"),
            Wake::LiveExpiry { site_id } => format!("live expiry {site_id}"),
            Wake::RelativeLabel { handle } => format!("label #{handle}"),
        }
    }
}

/// Every armed deadline, by reason and by time.
///
/// `by_wake` is the truth; `by_time` is a min-heap over it that may hold
/// stale entries (a deadline moved or cleared leaves its old entry behind):
/// an entry is live only while `by_wake` still maps its wake to its time.
/// Stale entries are dropped when they reach the top, and the heap is rebuilt
/// from `by_wake` when they outnumber the live ones, so it stays bounded by
/// twice the armed deadlines. Setting and taking are O(log n) either way,
/// with no ordered-map code in the wasm (BENCHMARKS.md, "Wasm size").
#[derive(Debug, Clone, Default)]
pub struct TimerTable {
    by_wake: HashMap<Wake, i64, BuildHasherDefault<IdHasher>>,
    by_time: BinaryHeap<Reverse<(i64, Wake)>>,
}

/// Stale heap entries tolerated beyond the live ones before a rebuild.
const STALE_SLACK: usize = 32;

impl TimerTable {
    /// Arms `wake` at `at`, or disarms it with `None`.
    pub fn set(&mut self, wake: Wake, at: Option<i64>) {
        // Most sets re-arm what is already armed (every pump re-arms each dirty site): no clone, no move.
        if self.by_wake.get(&wake).copied() == at {
            return;
        }
        let old = match at {
            Some(at) => self.by_wake.insert(wake.clone(), at),
            None => self.by_wake.remove(&wake),
        };
        if old == at {
            return;
        }
        if let Some(at) = at {
            self.by_time.push(Reverse((at, wake)));
        }
        self.drop_stale();
    }

    fn is_live(&self, at: i64, wake: &Wake) -> bool {
        self.by_wake.get(wake) == Some(&at)
    }

    /// Keeps the top live (so `first` is a peek) and the heap bounded.
    fn drop_stale(&mut self) {
        if self.by_time.len() > 2 * self.by_wake.len() + STALE_SLACK {
            // Rebuilt in place: the heap keeps its allocation (a new one grew from empty each time).
            self.by_time.clear();
            self.by_time.extend(self.by_wake.iter().map(|(wake, at)| Reverse((*at, wake.clone()))));
            return;
        }
        while let Some(Reverse((at, wake))) = self.by_time.peek() {
            if self.is_live(*at, wake) {
                break;
            }
            self.by_time.pop();
        }
    }

    /// The earliest deadline and why.
    pub fn first(&self) -> Option<(i64, &Wake)> {
        self.by_time.peek().map(|Reverse((at, wake))| (*at, wake))
    }

    /// Removes and returns every entry due at `now`, earliest first.
    pub fn take_due(&mut self, now: i64) -> Vec<Wake> {
        let mut due = Vec::new();
        while self.by_time.peek().is_some_and(|Reverse((at, _))| *at <= now) {
            if let Some(Reverse((at, wake))) = self.by_time.pop() {
                // A wake armed twice at the same time has two live-looking
                // entries; the first taken disarms it, the second is stale.
                if self.is_live(at, &wake) {
                    self.by_wake.remove(&wake);
                    due.push(wake);
                }
            }
        }
        self.drop_stale();
        due
    }

    pub fn get(&self, wake: &Wake) -> Option<i64> {
        self.by_wake.get(wake).copied()
    }

    pub fn len(&self) -> usize {
        self.by_wake.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_wake.is_empty()
    }

    /// Every entry, earliest first (devtools).
    pub fn iter(&self) -> impl Iterator<Item = (i64, &Wake)> {
        let mut all: Vec<(i64, &Wake)> = self.by_wake.iter().map(|(wake, at)| (*at, wake)).collect();
        all.sort_unstable();
        all.into_iter()
    }

    /// The `n` earliest entries, earliest first (devtools shows 64): kept in
    /// order as they are found, so the wasm needs no general sort for it.
    pub fn earliest(&self, n: usize) -> Vec<(i64, &Wake)> {
        let mut best: Vec<(i64, &Wake)> = Vec::with_capacity(n + 1);
        for (wake, at) in &self.by_wake {
            let entry = (*at, wake);
            if best.len() == n && best.last().is_none_or(|last| entry >= *last) {
                continue;
            }
            let at = best.partition_point(|e| *e < entry);
            best.insert(at, entry);
            best.truncate(n);
        }
        best
    }

    pub fn clear(&mut self) {
        self.by_wake.clear();
        self.by_time.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(site: &str) -> Wake {
        Wake::Probe { site_id: site.to_string() }
    }

    #[test]
    fn set_moves_and_clears_entries() {
        let mut t = TimerTable::default();
        t.set(probe("a"), Some(30));
        t.set(probe("b"), Some(10));
        assert_eq!(t.first().map(|(at, w)| (at, w.clone())), Some((10, probe("b"))));
        t.set(probe("b"), Some(50));
        assert_eq!(t.first().map(|(at, _)| at), Some(30));
        t.set(probe("a"), None);
        assert_eq!((t.len(), t.first().map(|(at, _)| at)), (1, Some(50)));
    }

    #[test]
    fn take_due_takes_only_what_is_due_in_time_order() {
        let mut t = TimerTable::default();
        for (i, at) in [40, 10, 20, 90].into_iter().enumerate() {
            t.set(Wake::RequestTimeout { request_id: i as u64 }, Some(at));
        }
        let due = t.take_due(20);
        assert_eq!(due, vec![Wake::RequestTimeout { request_id: 1 }, Wake::RequestTimeout { request_id: 2 }]);
        assert_eq!(t.len(), 2);
        assert!(t.take_due(39).is_empty());
    }

    #[test]
    fn a_deadline_moved_back_and_forth_fires_once() {
        let mut t = TimerTable::default();
        t.set(probe("a"), Some(10));
        t.set(probe("a"), Some(20));
        t.set(probe("a"), Some(10));
        assert_eq!(t.take_due(30), vec![probe("a")]);
        assert!(t.is_empty());
        assert_eq!(t.first(), None);
    }

    #[test]
    fn moved_deadlines_leave_the_heap_bounded() {
        let mut t = TimerTable::default();
        for at in (0..10_000).rev() {
            t.set(probe("a"), Some(1_000 + at));
            t.set(probe("b"), Some(50_000 - at));
        }
        assert!(t.by_time.len() <= 2 * t.len() + STALE_SLACK, "{} heap entries", t.by_time.len());
        assert_eq!(t.iter().collect::<Vec<_>>(), [(1_000, &probe("a")), (50_000, &probe("b"))]);
        assert_eq!(t.take_due(1_000), vec![probe("a")]);
    }

    #[test]
    fn earliest_is_the_head_of_iter() {
        let mut t = TimerTable::default();
        for (i, at) in [50, 10, 30, 10, 70, 20, 90, 30].into_iter().enumerate() {
            t.set(probe(&format!("s{i}")), Some(at));
        }
        let all: Vec<(i64, Wake)> = t.iter().map(|(at, w)| (at, w.clone())).collect();
        for n in [0, 1, 3, 8, 20] {
            let head: Vec<(i64, Wake)> = t.earliest(n).into_iter().map(|(at, w)| (at, w.clone())).collect();
            assert_eq!(head, all.iter().take(n).cloned().collect::<Vec<_>>(), "{n}");
        }
    }
}
