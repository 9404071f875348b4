//! The bill: billed duration rounded up to 1 ms, init billed, GB-seconds and request charges, with an
//! illustrative, dated price table (docs/lambda-behaviour.md §5.4, §5.5; §3.3).

use serde::{Deserialize, Serialize};

use crate::clock::{ceil_ms, Micros};
use crate::config::Architecture;

/// Illustrative us-east-1 prices, as published in 2025 (mark them dated in the course).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PriceTable {
    /// When these prices were read.
    pub as_of: String,
    /// USD per 1M requests.
    pub per_million_requests: f64,
    /// USD per GB-second on x86_64.
    pub per_gb_second_x86: f64,
    /// USD per GB-second on arm64.
    pub per_gb_second_arm64: f64,
    /// Free tier requests per month.
    pub free_requests: u64,
    /// Free tier GB-seconds per month.
    pub free_gb_seconds: u64,
}

impl Default for PriceTable {
    fn default() -> Self {
        Self {
            as_of: "2025 (illustrative, us-east-1)".into(),
            per_million_requests: 0.20,
            per_gb_second_x86: 0.000_016_666_7,
            per_gb_second_arm64: 0.000_013_333_4,
            free_requests: 1_000_000,
            free_gb_seconds: 400_000,
        }
    }
}

impl PriceTable {
    /// A month's cost after the free tier (docs/lambda-behaviour.md §5.5: 1M requests and 400,000
    /// GB-s a month, shared by both architectures), from the month's totals. The free GB-seconds
    /// go to x86_64 first (the dearer one).
    pub fn cost_after_free_tier_usd(&self, requests: u64, gb_s_x86: f64, gb_s_arm64: f64) -> f64 {
        let paid_requests = requests.saturating_sub(self.free_requests);
        let free = self.free_gb_seconds as f64;
        let paid_x86 = (gb_s_x86 - free).max(0.0);
        let paid_arm = (gb_s_arm64 - (free - gb_s_x86).max(0.0)).max(0.0);
        paid_requests as f64 / 1e6 * self.per_million_requests
            + paid_x86 * self.per_gb_second_x86
            + paid_arm * self.per_gb_second_arm64
    }
}

/// What one function has been billed, in integers (the money is computed when read).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FunctionBill {
    /// Billed requests (invocations that ran, not throttles).
    pub requests: u64,
    /// Billed milliseconds, init included.
    pub billed_ms: u64,
    /// Of which Init milliseconds.
    pub init_billed_ms: u64,
    /// MB × ms (÷ 1024 ÷ 1000 = GB-seconds).
    pub mb_ms: u128,
}

/// Billed milliseconds for an invocation: (duration + init) rounded up to the next ms, init being
/// billed for all functions since 1 Aug 2025 (docs/lambda-behaviour.md §3.3).
pub fn billed_ms(duration_us: Micros, init_us: Micros) -> u64 {
    ceil_ms(duration_us + init_us)
}

impl FunctionBill {
    /// Adds one invocation.
    #[inline]
    pub fn add(&mut self, memory_mb: u32, billed: u64, init_us: Micros) {
        self.requests += 1;
        self.billed_ms += billed;
        self.init_billed_ms += ceil_ms(init_us);
        self.mb_ms += memory_mb as u128 * billed as u128;
    }

    /// GB-seconds.
    pub fn gb_seconds(&self) -> f64 {
        self.mb_ms as f64 / 1024.0 / 1000.0
    }

    /// Cost in USD before the free tier: requests plus compute.
    pub fn cost_usd(&self, prices: &PriceTable, arch: Architecture) -> f64 {
        let per_gbs = match arch {
            Architecture::X86_64 => prices.per_gb_second_x86,
            Architecture::Arm64 => prices.per_gb_second_arm64,
        };
        self.requests as f64 / 1e6 * prices.per_million_requests + self.gb_seconds() * per_gbs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billed_duration_includes_init_and_rounds_up() {
        // docs/lambda-behaviour.md §3.11 example: 3004.92 + 111.23 ms -> Billed Duration 3117 ms
        assert_eq!(billed_ms(3_004_920, 111_230), 3117);
        assert_eq!(billed_ms(1_000, 0), 1);
        assert_eq!(billed_ms(1_001, 0), 2);
    }

    #[test]
    fn free_tier_covers_1m_requests_and_400000_gb_seconds_a_month() {
        // docs/lambda-behaviour.md §5.5: free tier 1M requests and 400,000 GB-s a month
        let p = PriceTable::default();
        assert_eq!(
            p.cost_after_free_tier_usd(1_000_000, 300_000.0, 100_000.0),
            0.0
        );
        let c = p.cost_after_free_tier_usd(2_000_000, 400_000.0, 100_000.0);
        assert!(
            (c - (0.20 + 100_000.0 * 0.000_013_333_4)).abs() < 1e-9,
            "{c}"
        );
        let c = p.cost_after_free_tier_usd(0, 500_000.0, 0.0);
        assert!((c - 100_000.0 * 0.000_016_666_7).abs() < 1e-9, "{c}");
    }

    #[test]
    fn cost_is_requests_plus_gb_seconds_at_the_arch_price() {
        // docs/lambda-behaviour.md §5.5: $0.20 per 1M requests, x86 $0.0000166667 per GB-s
        let mut b = FunctionBill::default();
        for _ in 0..1_000_000 {
            b.add(1024, 1000, 0);
        }
        assert!((b.gb_seconds() - 1_000_000.0).abs() < 1e-6);
        let x86 = b.cost_usd(&PriceTable::default(), Architecture::X86_64);
        assert!((x86 - (0.20 + 16.6667)).abs() < 1e-3, "{x86}");
        let arm = b.cost_usd(&PriceTable::default(), Architecture::Arm64);
        assert!(arm < x86);
    }
}
