//! A least-recently-used map with O(1) get/insert: a slab of nodes in a
//! doubly linked list plus a hash index. The original cached 500 sessions and
//! dropped the oldest 250 by insertion order, so a session looked up every
//! minute could be evicted before one seen once; here a hit refreshes it.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

const NIL: usize = usize::MAX;

#[derive(Debug, Clone)]
struct Node<K, V> {
    key: K,
    value: V,
    prev: usize,
    next: usize,
}

/// An LRU map of at most `capacity` entries.
#[derive(Debug, Clone)]
pub struct LruCache<K, V> {
    capacity: usize,
    index: HashMap<K, usize>,
    nodes: Vec<Node<K, V>>,
    head: usize, // most recent
    tail: usize, // least recent
}

/// Default capacity for the session → ads cache (the original's).
pub const DEFAULT_CACHE_CAPACITY: usize = 500;

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        // Grown on demand up to `capacity` (most sites never look a session up).
        Self { capacity, index: HashMap::new(), nodes: Vec::new(), head: NIL, tail: NIL }
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

    /// The value for `key`, marking it most recently used.
    pub fn get<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let idx = *self.index.get(key)?;
        self.detach(idx);
        self.push_front(idx);
        self.nodes.get(idx).map(|n| n.value.clone())
    }

    /// Inserts or replaces; evicts the least recently used entry when full.
    /// Returns the evicted key, if any.
    pub fn insert(&mut self, key: K, value: V) -> Option<K> {
        if let Some(&idx) = self.index.get(&key) {
            if let Some(node) = self.nodes.get_mut(idx) {
                node.value = value;
            }
            self.detach(idx);
            self.push_front(idx);
            return None;
        }
        if self.nodes.len() < self.capacity {
            let idx = self.nodes.len();
            self.nodes.push(Node { key: key.clone(), value, prev: NIL, next: NIL });
            self.index.insert(key, idx);
            self.push_front(idx);
            return None;
        }
        // Reuse the tail's slot for the new entry.
        let idx = self.tail;
        self.detach(idx);
        let node = self.nodes.get_mut(idx)?;
        let evicted = std::mem::replace(&mut node.key, key.clone());
        node.value = value;
        self.index.remove(&evicted);
        self.index.insert(key, idx);
        self.push_front(idx);
        Some(evicted)
    }

    /// Keys from most to least recently used (for devtools and tests).
    pub fn keys_by_recency(&self) -> Vec<K> {
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

    #[test]
    fn capacity_one() {
        let mut c = LruCache::new(0);
        assert_eq!(c.capacity(), 1);
        c.insert(1, "x");
        assert_eq!(c.insert(2, "y"), Some(1));
        assert_eq!(c.keys_by_recency(), vec![2]);
    }
}
