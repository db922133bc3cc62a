//! A bounded "seen recently" set: O(1) insert and lookup, memory fixed by
//! capacity whatever the event rate. The original kept a Set cut from 1000
//! to the newest 500 by copying; this evicts the oldest key one at a time.
//!
//! Keys are kept as 64-bit keyed hashes (SipHash over a per-instance seed and
//! the key), so a window of 1000 costs 16 KB and no allocation per event. Two
//! different keys collide with probability ~1000/2^64 per event; the seed
//! keeps anyone who does not know it from aiming for a collision.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use crate::realtime::keyed_hash::{KeyedSip, PassThrough};

/// The newest `capacity` keys seen.
#[derive(Debug, Clone)]
pub struct DedupWindow {
    capacity: usize,
    keyed: KeyedSip,
    seen: HashSet<u64, BuildHasherDefault<PassThrough>>,
    order: VecDeque<u64>,
}

/// Default capacity (the original's high-water mark).
pub const DEFAULT_DEDUP_CAPACITY: usize = 1000;

impl DedupWindow {
    /// A window of `capacity` keys (at least 1), hashing with `seed`.
    pub fn new(capacity: usize, seed: u64) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            keyed: KeyedSip::new(seed),
            // Grown on demand up to `capacity`: a page with 10,000 quiet sites
            // must not reserve 10,000 full windows up front.
            seen: HashSet::with_hasher(BuildHasherDefault::default()),
            order: VecDeque::new(),
        }
    }

    /// Records a key given as parts (joined by `:`); `true` on first sighting.
    pub fn insert_parts(&mut self, parts: &[&str]) -> bool {
        let mut h = self.keyed.build_hasher();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                h.write_u8(b':');
            }
            h.write(part.as_bytes());
        }
        self.insert_hash(h.finish())
    }

    /// Records `key`; `true` when it was not in the window (first sighting).
    pub fn insert(&mut self, key: &str) -> bool {
        self.insert_parts(&[key])
    }

    fn insert_hash(&mut self, hash: u64) -> bool {
        // One probe decides and records; the oldest key (another one, since
        // this one was new) leaves after.
        if !self.seen.insert(hash) {
            return false;
        }
        if self.order.len() >= self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        self.order.push_back(hash);
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
        let mut w = DedupWindow::new(3, 1);
        assert!(w.insert("a") && w.insert("b") && w.insert("c"));
        assert!(!w.insert("a"), "duplicate");
        assert!(w.insert("d"), "evicts a");
        assert_eq!(w.len(), 3);
        assert!(w.insert("a"), "a was evicted, so it is new again");
        assert!(!w.insert("d"));
        assert_eq!(DedupWindow::new(0, 1).capacity(), 1);
    }

    #[test]
    fn parts_hash_like_the_joined_key() {
        let mut w = DedupWindow::new(10, 7);
        assert!(w.insert_parts(&["calls", "c1", "t1"]));
        assert!(!w.insert("calls:c1:t1"));
        assert!(w.insert_parts(&["calls", "c1", "t2"]));
    }
}
