//! Capped exponential backoff with seeded jitter. The seed makes every delay
//! reproducible under test; in the browser the driver seeds it once per page.

/// A small deterministic PRNG (SplitMix64): good enough to spread retries.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Delay policy: `base * 2^attempt`, capped, then "equal jitter" (half fixed,
/// half random) so retries from many tabs do not line up.
#[derive(Debug, Clone)]
pub struct Backoff {
    base_ms: i64,
    cap_ms: i64,
    attempt: u32,
    rng: SplitMix64,
}

impl Backoff {
    pub fn new(base_ms: i64, cap_ms: i64, seed: u64) -> Self {
        Self { base_ms: base_ms.max(1), cap_ms: cap_ms.max(1), attempt: 0, rng: SplitMix64::new(seed) }
    }

    /// The delay before the next retry; each call counts one more failure.
    pub fn next_delay_ms(&mut self) -> i64 {
        let exp = self.base_ms.saturating_mul(1i64 << self.attempt.min(30)).min(self.cap_ms);
        self.attempt = self.attempt.saturating_add(1);
        let half = exp / 2;
        half + (self.rng.next_unit() * (exp - half) as f64) as i64
    }

    /// Failures since the last success.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// A success: the next failure starts from `base` again.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// The largest delay this policy can produce.
    pub fn cap_ms(&self) -> i64 {
        self.cap_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_caps_and_resets_deterministically() {
        let mut a = Backoff::new(1000, 30_000, 7);
        let mut b = Backoff::new(1000, 30_000, 7);
        let delays: Vec<i64> = (0..8).map(|_| a.next_delay_ms()).collect();
        assert_eq!(delays, (0..8).map(|_| b.next_delay_ms()).collect::<Vec<_>>(), "same seed, same delays");
        for (i, d) in delays.iter().enumerate() {
            let exp = (1000i64 << i).min(30_000);
            assert!(*d >= exp / 2 && *d <= exp, "attempt {i}: {d} not in [{}, {exp}]", exp / 2);
        }
        a.reset();
        let d = a.next_delay_ms();
        assert!((500..=1000).contains(&d));
        let other: Vec<i64> = { let mut c = Backoff::new(1000, 30_000, 8); (0..8).map(|_| c.next_delay_ms()).collect() };
        assert_ne!(other, delays, "another seed spreads differently");
    }
}
