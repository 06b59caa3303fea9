//! The demo dataset's pseudo-random numbers: SplitMix64, written out here on purpose.
//!
//! `rand`'s `StdRng` documents that its algorithm may change between releases, and even
//! a "portable" generator from a crate can change its sampling helpers; either would
//! silently change every demo merchant. Twenty lines of SplitMix64 (Steele, Lea & Flood,
//! 2014) are fixed forever, fast and good enough for picking menu items.

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub(super) struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator for one stream, identified by any number of words: the same words
    /// always give the same stream.
    pub(super) fn for_stream(words: &[u64]) -> Self {
        let mut state = 0x5EED_DE70_DA7A_2026_u64;
        for word in words {
            state = mix(state ^ word.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        }
        Self(state)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n > 0`), by Lemire's multiply-shift; the bias is below 2⁻³².
    pub(super) fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `low..=high`.
    pub(super) fn between(&mut self, low: u32, high: u32) -> u32 {
        debug_assert!(low <= high);
        // The result is at most `high`, so it fits.
        #[allow(clippy::cast_possible_truncation)]
        let offset = self.below(u64::from(high - low) + 1) as u32;
        low + offset
    }

    /// True with `percent` % probability.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Uniform in `[0, 1)`, from the top 53 bits (exact in `f64`, so identical everywhere).
    pub(super) fn unit(&mut self) -> f64 {
        // A 53-bit integer converts to f64 exactly.
        #[allow(clippy::cast_precision_loss)]
        let top = (self.next_u64() >> 11) as f64;
        top * (1.0 / 9_007_199_254_740_992.0)
    }

    /// An element of a non-empty slice.
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        // The index is below `items.len()`, a usize.
        #[allow(clippy::cast_possible_truncation)]
        let index = self.below(items.len() as u64) as usize;
        &items[index]
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_fixed_forever() {
        // Pinned: a change here changes every demo merchant.
        let mut rng = SplitMix64::for_stream(&[1, 2]);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                0x0935_2430_b1d9_5d1a,
                0x899c_0eee_1782_1901,
                0x17b6_61b8_fd2a_c953
            ]
        );
    }

    #[test]
    fn streams_differ_by_their_words_and_order() {
        let mut a = SplitMix64::for_stream(&[1, 2]);
        let mut b = SplitMix64::for_stream(&[2, 1]);
        assert_ne!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn ranges_are_respected() {
        let mut rng = SplitMix64::for_stream(&[7]);
        for _ in 0..10_000 {
            let v = rng.between(3, 8);
            assert!((3..=8).contains(&v));
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
