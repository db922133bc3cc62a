//! `IdHasher`: the hasher of maps keyed by the crate's own ids (request ids,
//! handles, the timer table's wakes), which no remote party chooses and so
//! cannot make collide. The default SipHash buys no safety there and costs
//! several times more; a session lookup arms and disarms a timeout and opens
//! and closes a pipeline entry per event (a profile of `bench:events:native`).
//! Maps keyed by what arrives from the network (session ids, dedup keys) keep
//! SipHash.

use std::hash::Hasher;

use crate::backoff::SplitMix64;

/// Each word through SplitMix64's mix.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            self.write_u64(chunk.iter().rev().fold(0, |word, b| (word << 8) | u64::from(*b)));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = SplitMix64::new(self.0 ^ word).next_u64();
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by the crate's own ids.
pub type IdMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    /// Nearby ids and strings that differ in one byte land far apart: the
    /// low bits (the bucket) and the top seven (hashbrown's tag) both vary.
    #[test]
    fn nearby_keys_spread() {
        let build = BuildHasherDefault::<IdHasher>::default();
        let ids: Vec<u64> = (0..256u64).map(|id| build.hash_one(id)).collect();
        let buckets: std::collections::BTreeSet<u64> = ids.iter().map(|h| h & 63).collect();
        let tags: std::collections::BTreeSet<u64> = ids.iter().map(|h| h >> 57).collect();
        assert!(buckets.len() > 56 && tags.len() > 56, "{} buckets, {} tags", buckets.len(), tags.len());
        let a = build.hash_one("3f2b6c1e-9a4d-4c1e-8f00-000000000001");
        let b = build.hash_one("3f2b6c1e-9a4d-4c1e-8f00-000000000002");
        assert!((a ^ b).count_ones() > 16);
    }
}
