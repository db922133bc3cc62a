//! A bounded "seen recently" set: O(1) insert and lookup, memory fixed by
//! capacity whatever the event rate. The original kept a Set cut from 1000
//! to the newest 500 by copying; this evicts the oldest key one at a time.

use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

/// The newest `capacity` keys seen.
#[derive(Debug, Clone)]
pub struct DedupWindow {
    capacity: usize,
    seen: HashSet<Rc<str>>,
    order: VecDeque<Rc<str>>,
}

/// Default capacity (the original's high-water mark).
pub const DEFAULT_DEDUP_CAPACITY: usize = 1000;

impl DedupWindow {
    /// A window of `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self { capacity, seen: HashSet::with_capacity(capacity), order: VecDeque::with_capacity(capacity) }
    }

    /// Records `key`; `true` when it was not in the window (first sighting).
    pub fn insert(&mut self, key: &str) -> bool {
        if self.seen.contains(key) {
            return false;
        }
        if self.order.len() >= self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        let key: Rc<str> = Rc::from(key);
        self.seen.insert(Rc::clone(&key));
        self.order.push_back(key);
        true
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_the_newest_keys_only() {
        let mut w = DedupWindow::new(3);
        assert!(w.insert("a") && w.insert("b") && w.insert("c"));
        assert!(!w.insert("a"), "duplicate");
        assert!(w.insert("d"), "evicts a");
        assert_eq!(w.len(), 3);
        assert!(w.insert("a"), "a was evicted, so it is new again");
        assert!(!w.insert("d"));
        assert_eq!(DedupWindow::new(0).capacity(), 1);
    }
}
