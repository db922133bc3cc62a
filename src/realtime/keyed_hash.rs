//! Hashing keys that arrive from the network (dedup keys, session ids): SipHash
//! keyed by a per-page secret seed, so nobody who does not know the seed can
//! aim keys at one bucket (HashDoS) or at one hash. The tables then index by
//! that hash as it is ([`PassThrough`]): a key is hashed once however many
//! tables it is looked up in.

use std::collections::hash_map::DefaultHasher;
use std::hash::{BuildHasher, Hasher};

/// Builds SipHash hashers that start from the seed: the state after the
/// seed is kept and copied, so no hash pays for taking the seed in again.
#[derive(Debug, Clone)]
pub struct KeyedSip(DefaultHasher);

impl KeyedSip {
    pub fn new(seed: u64) -> Self {
        let mut h = DefaultHasher::new();
        h.write_u64(seed);
        Self(h)
    }
}

impl BuildHasher for KeyedSip {
    type Hasher = DefaultHasher;

    fn build_hasher(&self) -> DefaultHasher {
        self.0.clone()
    }
}

/// The keys are already hashes: the set uses them as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A table indexed by keyed hashes.
pub type HashIndexed<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    #[test]
    fn the_seed_keys_the_hash() {
        let (a, b) = (KeyedSip::new(1), KeyedSip::new(2));
        assert_eq!(a.hash_one("sess-1"), KeyedSip::new(1).hash_one("sess-1"));
        assert_ne!(a.hash_one("sess-1"), b.hash_one("sess-1"));
        assert_ne!(a.hash_one("sess-1"), a.hash_one("sess-2"));
        // The kept state hashes as if the seed were written first each time.
        let mut fresh = DefaultHasher::new();
        fresh.write_u64(1);
        "sess-1".hash(&mut fresh);
        assert_eq!(a.hash_one("sess-1"), fresh.finish());
    }
}
