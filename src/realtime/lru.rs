//! A least-recently-used map with O(1) get/insert: a slab of nodes in a
//! doubly linked list plus a hash index. The original cached 500 sessions and
//! dropped the oldest 250 by insertion order, so a session looked up every
//! minute could be evicted before one seen once; here a hit refreshes it.

use std::borrow::Borrow;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash};

use crate::realtime::keyed_hash::HashIndexed;

const NIL: usize = usize::MAX;

#[derive(Debug, Clone)]
struct Node<K, V> {
    key: K,
    hash: u64,
    value: V,
    prev: usize,
    next: usize,
}

/// An LRU map of at most `capacity` entries. The index holds each key's hash
/// by `S` (one entry per hash; the key itself is compared in its node), so a
/// caller that hashed a key once ([`LruCache::hash_of`]) can look it up here
/// and in its own tables without hashing it again. Two keys with one hash
/// cannot both stay: the newer takes the older's place (a miss, never a wrong
/// value); with a keyed 64-bit hash that is as rare as a dedup collision.
#[derive(Debug, Clone)]
pub struct LruCache<K, V, S = RandomState> {
    capacity: usize,
    hasher: S,
    index: HashIndexed<usize>,
    nodes: Vec<Node<K, V>>,
    head: usize, // most recent
    tail: usize, // least recent
}

/// Default capacity for the session → ads cache (the original's).
pub const DEFAULT_CACHE_CAPACITY: usize = 500;

impl<K: Hash + Eq, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self::with_hasher(capacity, RandomState::new())
    }
}

impl<K: Hash + Eq, V: Clone, S: BuildHasher> LruCache<K, V, S> {
    /// Keys hashed by `hasher` (for keys from the network: a keyed one).
    pub fn with_hasher(capacity: usize, hasher: S) -> Self {
        let capacity = capacity.max(1);
        // Grown on demand up to `capacity` (most sites never look a session up).
        Self { capacity, hasher, index: HashIndexed::default(), nodes: Vec::new(), head: NIL, tail: NIL }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The hash this cache indexes `key` by.
    pub fn hash_of<Q: Hash + ?Sized>(&self, key: &Q) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The value for `key`, marking it most recently used.
    pub fn get<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.get_hashed(self.hash_of(key), key)
    }

    /// [`LruCache::get`] for a key already hashed by [`LruCache::hash_of`].
    pub fn get_hashed<Q: Eq + ?Sized>(&mut self, hash: u64, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let idx = *self.index.get(&hash)?;
        let value = self.nodes.get(idx).filter(|n| n.key.borrow() == key)?.value.clone();
        self.detach(idx);
        self.push_front(idx);
        Some(value)
    }

    /// Inserts or replaces; evicts the least recently used entry when full.
    /// Returns the evicted key, if any.
    pub fn insert(&mut self, key: K, value: V) -> Option<K> {
        self.insert_hashed(self.hash_of(&key), key, value)
    }

    /// [`LruCache::insert`] for a key already hashed by [`LruCache::hash_of`].
    pub fn insert_hashed(&mut self, hash: u64, key: K, value: V) -> Option<K> {
        if let Some(&idx) = self.index.get(&hash) {
            // The key's own entry is replaced; another key with its hash gives up its place.
            let node = self.nodes.get_mut(idx)?;
            let evicted = (node.key != key).then(|| std::mem::replace(&mut node.key, key));
            node.value = value;
            self.detach(idx);
            self.push_front(idx);
            return evicted;
        }
        if self.nodes.len() < self.capacity {
            let idx = self.nodes.len();
            self.nodes.push(Node { key, hash, value, prev: NIL, next: NIL });
            self.index.insert(hash, idx);
            self.push_front(idx);
            return None;
        }
        // Reuse the tail's slot for the new entry.
        let idx = self.tail;
        self.detach(idx);
        let node = self.nodes.get_mut(idx)?;
        let evicted = std::mem::replace(&mut node.key, key);
        let evicted_hash = std::mem::replace(&mut node.hash, hash);
        node.value = value;
        self.index.remove(&evicted_hash);
        self.index.insert(hash, idx);
        self.push_front(idx);
        Some(evicted)
    }

    /// Keys from most to least recently used (for devtools and tests).
    pub fn keys_by_recency(&self) -> Vec<K>
    where
        K: Clone,
    {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut at = self.head;
        while let Some(node) = self.nodes.get(at) {
            out.push(node.key.clone());
            at = node.next;
        }
        out
    }

    fn detach(&mut self, idx: usize) {
        let Some((prev, next)) = self.nodes.get(idx).map(|n| (n.prev, n.next)) else { return };
        match self.nodes.get_mut(prev) {
            Some(p) => p.next = next,
            None => self.head = next,
        }
        match self.nodes.get_mut(next) {
            Some(n) => n.prev = prev,
            None => self.tail = prev,
        }
        if let Some(node) = self.nodes.get_mut(idx) {
            node.prev = NIL;
            node.next = NIL;
        }
    }

    fn push_front(&mut self, idx: usize) {
        let old_head = self.head;
        if let Some(node) = self.nodes.get_mut(idx) {
            node.prev = NIL;
            node.next = old_head;
        }
        if let Some(h) = self.nodes.get_mut(old_head) {
            h.prev = idx;
        }
        self.head = idx;
        if self.tail == NIL {
            self.tail = idx;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used_not_oldest_inserted() {
        let mut c = LruCache::new(3);
        c.insert("a", 1);
        c.insert("b", 2);
        c.insert("c", 3);
        assert_eq!(c.get(&"a"), Some(1), "a is now the most recent");
        assert_eq!(c.insert("d", 4), Some("b"), "b is least recent");
        assert_eq!(c.keys_by_recency(), vec!["d", "a", "c"]);
        assert_eq!(c.insert("c", 30), None, "replace refreshes");
        assert_eq!(c.keys_by_recency(), vec!["c", "d", "a"]);
        assert_eq!(c.insert("e", 5), Some("a"));
        assert_eq!(c.get(&"a"), None);
        assert_eq!(c.len(), 3);
    }

    /// Every key with one hash: a lookup still answers only its own key's value.
    #[test]
    fn keys_sharing_a_hash_never_answer_for_each_other() {
        #[derive(Default)]
        struct OneHash;
        impl std::hash::Hasher for OneHash {
            fn finish(&self) -> u64 {
                7
            }
            fn write(&mut self, _: &[u8]) {}
        }
        let mut c = LruCache::with_hasher(4, std::hash::BuildHasherDefault::<OneHash>::default());
        assert_eq!(c.hash_of(&1u8), c.hash_of(&2u8));
        c.insert(1u8, "one");
        assert_eq!(c.get(&2u8), None, "another key with the same hash is a miss");
        assert_eq!(c.insert(2u8, "two"), Some(1), "the newer key takes the place");
        assert_eq!((c.get(&1u8), c.get(&2u8)), (None, Some("two")));
        assert_eq!(c.insert(2u8, "deux"), None, "its own key is replaced");
        assert_eq!(c.keys_by_recency(), vec![2]);
    }

    #[test]
    fn capacity_one() {
        let mut c = LruCache::new(0);
        assert_eq!(c.capacity(), 1);
        c.insert(1, "x");
        assert_eq!(c.insert(2, "y"), Some(1));
        assert_eq!(c.keys_by_recency(), vec![2]);
    }
}
