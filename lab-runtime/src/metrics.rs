//! CloudWatch metrics of namespace AWS/Lambda (docs/lambda-behaviour.md §8) as time series in
//! fixed buckets: memory grows with simulated time / bucket width, bounded by a maximum number of
//! buckets.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::clock::Micros;

/// One time bucket of a function's metrics (sums, counts and maxima).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Start of the bucket.
    pub start_us: Micros,
    /// `Invocations` (excludes throttles).
    pub invocations: u64,
    /// `Errors` (function errors and timeouts).
    pub errors: u64,
    /// `Throttles`.
    pub throttles: u64,
    /// Sum of `Duration` (µs), with `duration_count` for the average.
    pub duration_sum_us: u64,
    /// Largest `Duration` (µs).
    pub duration_max_us: u64,
    /// Number of `Duration` samples.
    pub duration_count: u64,
    /// Maximum of `ConcurrentExecutions`.
    pub concurrent_executions: u32,
    /// Maximum of `UnreservedConcurrentExecutions` (account series only).
    pub unreserved_concurrent_executions: u32,
    /// Maximum of `ProvisionedConcurrentExecutions`.
    pub provisioned_concurrent_executions: u32,
    /// `ProvisionedConcurrencyInvocations`.
    pub provisioned_concurrency_invocations: u64,
    /// `ProvisionedConcurrencySpilloverInvocations`.
    pub provisioned_concurrency_spillover_invocations: u64,
    /// Maximum `ProvisionedConcurrencyUtilization`, in per mille.
    pub provisioned_concurrency_utilization_permille: u32,
    /// `DeadLetterErrors`.
    pub dead_letter_errors: u64,
    /// `DestinationDeliveryFailures`.
    pub destination_delivery_failures: u64,
    /// Maximum `IteratorAge` (ms).
    pub iterator_age_ms: u64,
    /// `AsyncEventsReceived`.
    pub async_events_received: u64,
    /// Maximum `AsyncEventAge` (ms).
    pub async_event_age_ms: u64,
    /// `AsyncEventsDropped`.
    pub async_events_dropped: u64,
    /// Cold starts (not a CloudWatch metric; for the lab's charts).
    pub cold_starts: u64,
}

/// A series of buckets of fixed width.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Series {
    /// Bucket width.
    width_us: Micros,
    /// Maximum number of buckets kept.
    max_buckets: usize,
    /// Buckets, oldest first; gaps are not stored.
    buckets: VecDeque<Bucket>,
}

impl Series {
    /// Bucket width.
    pub fn width_us(&self) -> Micros {
        self.width_us
    }

    /// Buckets, oldest first; gaps are not stored.
    pub fn buckets(&self) -> &VecDeque<Bucket> {
        &self.buckets
    }

    /// An empty series.
    pub fn new(width_us: Micros, max_buckets: usize) -> Self {
        Self {
            width_us: width_us.max(1),
            max_buckets: max_buckets.max(1),
            buckets: VecDeque::new(),
        }
    }

    /// The bucket holding time `t` (created if needed). Times before the oldest kept bucket go to it.
    #[inline]
    pub fn at(&mut self, t: Micros) -> &mut Bucket {
        // fast path, no division: the newest bucket holds t
        let w = self.width_us;
        if self
            .buckets
            .back()
            .is_some_and(|b| t >= b.start_us && t - b.start_us < w)
        {
            return self.buckets.back_mut().expect("checked");
        }
        let start = t - t % self.width_us;
        let last = self.buckets.back().map(|b| b.start_us);
        match last {
            Some(s) if s == start => {}
            Some(s) if start < s => {
                let i = self
                    .buckets
                    .iter()
                    .rposition(|b| b.start_us <= start)
                    .unwrap_or(0);
                return &mut self.buckets[i];
            }
            _ => {
                if self.buckets.len() == self.max_buckets {
                    self.buckets.pop_front();
                }
                self.buckets.push_back(Bucket {
                    start_us: start,
                    ..Default::default()
                });
            }
        }
        self.buckets.back_mut().expect("just ensured")
    }

    /// Sum of a counter over all kept buckets.
    pub fn total(&self, f: impl Fn(&Bucket) -> u64) -> u64 {
        self.buckets.iter().map(f).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_fall_into_fixed_buckets_and_old_ones_are_dropped() {
        let mut s = Series::new(60, 2);
        s.at(5).invocations += 1;
        s.at(59).invocations += 1;
        s.at(60).invocations += 1;
        assert_eq!(s.buckets.len(), 2);
        assert_eq!(s.buckets[0].invocations, 2);
        s.at(130).invocations += 1;
        assert_eq!(s.buckets.len(), 2, "bounded");
        assert_eq!(s.buckets[0].start_us, 60);
        assert_eq!(s.total(|b| b.invocations), 2);
    }
}
