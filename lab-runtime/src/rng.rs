//! A seeded pseudo-random generator of our own (SplitMix64, the workspace's one copy in the
//! `deterministic` crate), so that a run is bit-identical natively and in wasm32: no platform libm,
//! only integer arithmetic and IEEE basic operations.

use serde::{Deserialize, Serialize};

/// SplitMix64: tiny, fast, and good enough for arrival times and error rolls.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

/// One SplitMix64 scrambling step; also used to derive request ids from a counter (the
/// workspace's one copy, in the `deterministic` crate).
pub use deterministic::mix64;

impl Rng {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let mut g = deterministic::SplitMix64::new(self.state);
        let x = g.next_u64();
        self.state = g.state;
        x
    }

    /// A uniform integer in `0..n` (`n` > 0), by multiply-shift (no modulo bias worth noticing here).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        let mut g = deterministic::SplitMix64::new(self.state);
        let x = g.below(n);
        self.state = g.state;
        x
    }

    /// A uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi - lo + 1)
    }

    /// A uniform float in `[0, 1)` built from 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `parts_per_million` / 1,000,000.
    pub fn chance_ppm(&mut self, parts_per_million: u32) -> bool {
        parts_per_million > 0 && self.below(1_000_000) < parts_per_million as u64
    }

    /// An exponentially distributed value with the given mean (inverse transform with our own `ln`).
    pub fn exponential(&mut self, mean: f64) -> f64 {
        let u = 1.0 - self.unit(); // (0, 1]
        -ln(u) * mean
    }

    /// An approximately normal value (Irwin–Hall: sum of 12 uniforms), deterministic everywhere.
    pub fn normal(&mut self, mean: f64, std_dev: f64) -> f64 {
        let mut s = 0.0;
        for _ in 0..12 {
            s += self.unit();
        }
        mean + (s - 6.0) * std_dev
    }
}

/// Natural logarithm from basic IEEE operations only (exponent split plus an atanh series), so
/// that it gives the same bits on every target, unlike the platform `ln`.
pub fn ln(x: f64) -> f64 {
    if x <= 0.0 || x.is_nan() {
        return f64::NEG_INFINITY;
    }
    let bits = x.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if exp == -1023 {
        // subnormal: rare enough to handle by scaling
        return ln(x * (1u64 << 52) as f64) - 52.0 * std::f64::consts::LN_2;
    }
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        exp += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..30 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    2.0 * sum + exp as f64 * std::f64::consts::LN_2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_the_same_sequence() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn the_sequence_is_splitmix64s_so_every_pinned_run_stays_the_same() {
        // rand_xoshiro's SplitMix64 test vector; the generator is the workspace's one copy
        // (the `deterministic` crate), shared with course-model's shuffles
        let mut r = Rng::new(1_477_776_061_723_855_037);
        assert_eq!(r.next_u64(), 1_985_237_415_132_408_290);
        assert_eq!(r.next_u64(), 2_979_275_885_539_914_483);
        assert_eq!(mix64(1_477_776_061_723_855_037), 1_985_237_415_132_408_290);
        let mut a = Rng::new(5);
        let mut b = deterministic::SplitMix64::new(5);
        for n in [1, 7, 1000, u64::MAX] {
            assert_eq!(a.below(n), b.below(n));
        }
    }

    #[test]
    fn own_ln_agrees_with_platform_ln() {
        for &x in &[1e-9, 0.001, 0.5, 1.0, 1.5, 2.0, 10.0, 12345.678] {
            assert!((ln(x) - x.ln()).abs() < 1e-12, "ln({x})");
        }
    }

    #[test]
    fn exponential_mean_is_close_to_requested() {
        let mut r = Rng::new(1);
        let n = 20_000;
        let mean: f64 = (0..n).map(|_| r.exponential(100.0)).sum::<f64>() / n as f64;
        assert!((mean - 100.0).abs() < 5.0, "{mean}");
    }
}
