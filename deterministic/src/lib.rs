//! The workspace's one seeded pseudo-random generator and one hash, shared by `course-model`
//! (quiz shuffles, question content hashes) and `lab-runtime` (the simulator's PRNG, request ids,
//! report digests, stream lanes). Both are integer-only, so a value is the same on every target,
//! natively and in wasm32. The crate has no dependencies: either crate may use it without an
//! import circle (`course-model` depends on `lab-runtime` for labs).
//!
//! Changing an output here changes saved quiz orders, question hashes and every report digest:
//! the tests below pin them.

#![no_std]

/// SplitMix64's increment (the golden ratio in 64 bits).
pub const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function (the "mix" of a state already advanced by [`GOLDEN_GAMMA`]).
#[inline]
pub fn splitmix64_finalize(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One SplitMix64 scrambling step of `z`: the first output of a generator seeded with `z`.
/// Used to derive ids from a counter.
#[inline]
pub fn mix64(z: u64) -> u64 {
    splitmix64_finalize(z.wrapping_add(GOLDEN_GAMMA))
}

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast, and good enough for arrival times,
/// error rolls and shuffles. The whole sequence is fixed by the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    /// The state: the seed, advanced by [`GOLDEN_GAMMA`] at every draw.
    pub state: u64,
}

impl SplitMix64 {
    /// A generator whose whole sequence is fixed by `seed`.
    #[inline]
    pub const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        splitmix64_finalize(self.state)
    }

    /// A uniform integer in `0..bound` (`bound` > 0) by Lemire's multiply-shift (the bias is
    /// negligible for the bounds used here).
    #[inline]
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
}

/// FNV-1a offset basis (64 bit).
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a prime (64 bit).
pub const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a: simple, byte-order free, identical on every platform.
#[inline]
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // The test vector of rand_xoshiro's SplitMix64 (from the reference C implementation,
        // prng.di.unimi.it/splitmix64.c) seeded with 1477776061723855037.
        let mut r = SplitMix64::new(1_477_776_061_723_855_037);
        let want: [u64; 5] = [
            1_985_237_415_132_408_290,
            2_979_275_885_539_914_483,
            13_511_426_838_097_143_398,
            8_488_337_342_461_049_707,
            15_141_737_807_933_549_159,
        ];
        for w in want {
            assert_eq!(r.next_u64(), w);
        }
        assert_eq!(mix64(1_477_776_061_723_855_037), want[0]);
    }

    #[test]
    fn below_stays_in_bounds_and_is_fixed_by_the_seed() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        for n in 1..200 {
            let x = a.below(n);
            assert!(x < n);
            assert_eq!(x, b.below(n));
        }
    }
}
