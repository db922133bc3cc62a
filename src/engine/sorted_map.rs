//! `SortedMap` / `SortedSet`: the engine's ordered maps, a sorted `VecDeque`
//! of entries with binary search.
//!
//! Why not `BTreeMap`: the engine keeps about thirty differently typed
//! ordered maps, and each `BTreeMap<K, V>` monomorphises hundreds of
//! functions of node code (node splits, merges, range walks, drop guards):
//! 131 KB raw, a sixth of the wasm (BENCHMARKS.md, "Wasm size"). A sorted
//! `VecDeque` needs a binary search plus `insert` / `remove` per type.
//!
//! The price is a move of the entries on one side of an insert or remove
//! (a `VecDeque`, so the shorter side: adding the newest handle and removing
//! the oldest are O(1)). The maps hold a page's registrations, sites and keys:
//! tens, at most thousands (`bench:sites` measures 10,000 sites); entries
//! that are large are boxed by their owner so a move copies pointers, not
//! tasks.
//!
//! Order and iteration are those of `BTreeMap` (ascending keys), which the
//! engine's deterministic command order relies on.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::VecDeque;

/// An ordered map: entries sorted by key, unique keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: VecDeque<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        Self { entries: VecDeque::new() }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub const fn new() -> Self {
        Self { entries: VecDeque::new() }
    }

    /// `Ok(index)` of `key`, or `Err(index)` where it would go. By index, not
    /// `VecDeque::binary_search_by`: that splits the ring into its two slices
    /// on every call (`slice_ranges`), which cost as much as the compares in
    /// these small maps (a profile of `bench:events`).
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        let (mut low, mut high) = (0, self.entries.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.entries.get(mid).map(|(k, _)| k.borrow().cmp(key)) {
                Some(Ordering::Less) => low = mid + 1,
                Some(Ordering::Greater) => high = mid,
                Some(Ordering::Equal) => return Ok(mid),
                None => break, // unreachable: mid < len
            }
        }
        Err(low)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.entries.get(i).map(|(_, v)| v)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Where `key` sits among the entries, for `entry_at` / `entry_at_mut`:
    /// good until an entry is added or removed (either shifts the ones after it).
    pub fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok()
    }

    /// The entry at `position` (from `position`), `None` past the end.
    pub fn entry_at(&self, position: usize) -> Option<(&K, &V)> {
        self.entries.get(position).map(|(k, v)| (k, v))
    }

    pub fn entry_at_mut(&mut self, position: usize) -> Option<(&K, &mut V)> {
        self.entries.get_mut(position).map(|(k, v)| (&*k, v))
    }

    /// Inserts or replaces; returns the value replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self.entries.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.entries.remove(i).map(|(_, v)| v)
    }

    /// The value under `key`, inserted from `make` first when absent
    /// (`BTreeMap::entry(key).or_insert_with(make)`).
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.find(&key) {
            Ok(i) => i,
            Err(i) => return &mut self.entries.insert_mut(i, (key, make())).1,
        };
        match self.entries.get_mut(at) {
            Some((_, v)) => v,
            // Unreachable: `find` returned an index in bounds. A leaked fresh
            // value keeps this panic-free without `unwrap` or indexing.
            None => Box::leak(Box::new(make())),
        }
    }

    /// The entry with the smallest key.
    pub fn first(&self) -> Option<(&K, &V)> {
        self.entries.front().map(|(k, v)| (k, v))
    }

    pub fn pop_first(&mut self) -> Option<(K, V)> {
        self.entries.pop_front()
    }

    /// Removes and returns, in order, the leading entries whose key satisfies
    /// `pred` (which must hold for a prefix of the keys): one move, however
    /// many are taken.
    pub fn drain_while(&mut self, pred: impl Fn(&K) -> bool) -> std::collections::vec_deque::Drain<'_, (K, V)> {
        let end = self.entries.partition_point(|(k, _)| pred(k));
        self.entries.drain(..end)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::collections::vec_deque::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, items: I) {
        for (k, v) in items {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut map = Self::new();
        map.extend(items);
        map
    }
}

/// An ordered set: a [`SortedMap`] without values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedSet<K> {
    map: SortedMap<K, ()>,
}

impl<K> Default for SortedSet<K> {
    fn default() -> Self {
        Self { map: SortedMap::default() }
    }
}

impl<K: Ord> SortedSet<K> {
    pub const fn new() -> Self {
        Self { map: SortedMap::new() }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn contains<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.contains_key(key)
    }

    /// `true` when `key` was not there yet.
    pub fn insert(&mut self, key: K) -> bool {
        self.map.insert(key, ()).is_none()
    }

    /// `true` when `key` was there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.remove(key).is_some()
    }

    pub fn first(&self) -> Option<&K> {
        self.map.first().map(|(k, _)| k)
    }

    pub fn pop_first(&mut self) -> Option<K> {
        self.map.pop_first().map(|(k, _)| k)
    }

    /// See [`SortedMap::drain_while`].
    pub fn drain_while(&mut self, pred: impl Fn(&K) -> bool) -> impl Iterator<Item = K> + '_ {
        self.map.drain_while(pred).map(|(k, _)| k)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.map.retain(|k, _| keep(k));
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.map.keys()
    }
}

impl<K> IntoIterator for SortedSet<K> {
    type Item = K;
    type IntoIter = std::iter::Map<std::collections::vec_deque::IntoIter<(K, ())>, fn((K, ())) -> K>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter().map(|(k, ())| k)
    }
}

impl<'a, K> IntoIterator for &'a SortedSet<K> {
    type Item = &'a K;
    type IntoIter = std::iter::Map<std::collections::vec_deque::Iter<'a, (K, ())>, fn(&'a (K, ())) -> &'a K>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.entries.iter().map(|(k, ())| k)
    }
}

impl<K: Ord> Extend<K> for SortedSet<K> {
    fn extend<I: IntoIterator<Item = K>>(&mut self, items: I) {
        for k in items {
            self.insert(k);
        }
    }
}

impl<K: Ord> FromIterator<K> for SortedSet<K> {
    fn from_iter<I: IntoIterator<Item = K>>(items: I) -> Self {
        let mut set = Self::new();
        set.extend(items);
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterates_in_key_order_whatever_the_insert_order() {
        let mut m = SortedMap::new();
        for k in [5, 1, 9, 3, 7] {
            assert_eq!(m.insert(k, k * 10), None);
        }
        assert_eq!(m.insert(3, 33), Some(30));
        assert_eq!(m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), [(1, 10), (3, 33), (5, 50), (7, 70), (9, 90)]);
        assert_eq!(m.remove(&5), Some(50));
        assert_eq!(m.remove(&5), None);
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), [1, 3, 7, 9]);
    }

    /// The search walks the ring by index: keys are found, and absent ones
    /// go in the right place, whether or not the entries wrap around its end.
    #[test]
    fn look_ups_agree_with_a_btree_map_when_the_ring_wraps() {
        let mut m = SortedMap::new();
        let mut reference = std::collections::BTreeMap::new();
        // Oldest out, newest in, and keys below the smallest: the front moves around the ring.
        for round in 0..40u32 {
            for k in [1_000 + round * 2, 999 - round * 3, 500 + round * 7 % 13] {
                assert_eq!(m.insert(k, round), reference.insert(k, round), "insert {k}");
            }
            if round % 3 == 0 {
                assert_eq!(m.pop_first(), reference.pop_first());
            }
            for probe in 800..1_100 {
                assert_eq!(m.get(&probe), reference.get(&probe), "get {probe} in round {round}");
            }
        }
        assert!(m.iter().map(|(k, v)| (*k, *v)).eq(reference.into_iter()));
    }

    #[test]
    fn string_keys_are_found_by_str() {
        let mut m: SortedMap<String, u8> = SortedMap::new();
        m.insert("b".to_string(), 2);
        *m.get_or_insert_with("a".to_string(), || 1) += 10;
        *m.get_or_insert_with("b".to_string(), || 99) += 10;
        assert_eq!((m.get("a"), m.get("b"), m.get("c")), (Some(&11), Some(&12), None));
        assert!(m.contains_key("a"));
    }

    /// A position reaches its entry (both ways) until the entries move.
    #[test]
    fn a_position_reaches_its_entry() {
        let mut m: SortedMap<String, u8> = SortedMap::new();
        for (k, v) in [("b", 2), ("a", 1), ("c", 3)] {
            m.insert(k.to_string(), v);
        }
        let at = m.position("b").unwrap();
        assert_eq!(m.entry_at(at), Some((&"b".to_string(), &2)));
        if let Some((_, v)) = m.entry_at_mut(at) {
            *v = 20;
        }
        assert_eq!(m.get("b"), Some(&20));
        assert_eq!((m.position("z"), m.entry_at(3)), (None, None));
    }

    #[test]
    fn drain_while_takes_only_the_leading_run() {
        let mut s: SortedSet<(i64, u8)> = [(30, 1), (10, 2), (20, 3), (40, 4)].into_iter().collect();
        let due: Vec<_> = s.drain_while(|(at, _)| *at <= 25).collect();
        assert_eq!(due, [(10, 2), (20, 3)]);
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), [(30, 1), (40, 4)]);
        assert_eq!(s.pop_first(), Some((30, 1)));
        assert_eq!(s.first(), Some(&(40, 4)));
    }

    #[test]
    fn set_insert_and_remove_say_whether_anything_changed() {
        let mut s = SortedSet::new();
        assert!(s.insert(2));
        assert!(!s.insert(2));
        assert!(s.remove(&2));
        assert!(!s.remove(&2));
        assert!(s.is_empty());
    }
}
