//! An SQS event source mapping's configuration and state: its batch settings, pollers and scaling
//! (docs/lambda-behaviour.md §2). Polling, invoking and deleting are in `crate::esm_sqs`.

use serde::{Deserialize, Serialize};

use crate::clock::MIN;
use crate::config::check_range;
use crate::state::versions::QualifierRef;
use crate::{ApiError, Micros};

/// Lambda invocations one chain of requests may make before recursive loop detection drops the
/// next one: "approximately 16" in AWS's words (docs/lambda-behaviour.md §2.16).
pub const RECURSION_LIMIT: u32 = 16;

/// `CreateEventSourceMapping` for an SQS queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct SqsMappingConfig {
    /// Queue name.
    pub queue: String,
    /// Function name, or `name:qualifier` / a qualified ARN: the mapping then invokes that
    /// version or alias (docs/lambda-behaviour.md §10.8).
    pub function: String,
    /// `BatchSize` (default 10, max 10,000).
    pub batch_size: u32,
    /// `MaximumBatchingWindowInSeconds` 0–300 (≥ 1 when batch size > 10).
    pub batching_window_s: u32,
    /// `FunctionResponseTypes = ["ReportBatchItemFailures"]`.
    pub report_batch_item_failures: bool,
    /// `ScalingConfig.MaximumConcurrency` 2–1,000.
    pub maximum_concurrency: Option<u32>,
}

impl Default for SqsMappingConfig {
    fn default() -> Self {
        Self {
            queue: String::new(),
            function: String::new(),
            batch_size: 10,
            batching_window_s: 0,
            report_batch_item_failures: false,
            maximum_concurrency: None,
        }
    }
}

impl SqsMappingConfig {
    /// Validates the ranges (docs/lambda-behaviour.md §2.1, §2.2, §2.6).
    pub fn validate(&self) -> Result<(), ApiError> {
        check_range("batchSize", self.batch_size as i64, 1, 10_000)?;
        check_range(
            "maximumBatchingWindowInSeconds",
            self.batching_window_s as i64,
            0,
            300,
        )?;
        if self.batch_size > 10 && self.batching_window_s < 1 {
            return Err(ApiError::invalid(
                "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
            ));
        }
        if let Some(m) = self.maximum_concurrency {
            check_range("scalingConfig.maximumConcurrency", m as i64, 2, 1000)?;
        }
        Ok(())
    }
}

/// The actions an SQS mapping's execution role needs on the queue, in the order Lambda checks
/// them (docs/lambda-behaviour.md §2.12).
pub const SQS_MAPPING_ACTIONS: [&str; 3] =
    ["ReceiveMessage", "DeleteMessage", "GetQueueAttributes"];

/// Pollers start with this many concurrent batches (docs/lambda-behaviour.md §2.6).
pub const SQS_INITIAL_CONCURRENCY: u32 = 5;

/// And add at most this many per minute.
pub const SQS_SCALE_PER_MIN: u64 = 300;

/// Up to this many.
pub const SQS_MAX_CONCURRENCY: u32 = 1000;

/// A mapping's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqsMapping {
    /// Configuration.
    pub config: SqsMappingConfig,
    /// Function index.
    pub function: u32,
    /// The version or alias it invokes (docs/lambda-behaviour.md §10.8).
    #[serde(default)]
    pub qualifier: QualifierRef,
    /// Batches being processed now.
    pub active_batches: u32,
    /// Concurrent batches the pollers allow now.
    pub concurrency_target: u32,
    /// Batches that succeeded (fully or partly).
    pub batches_ok: u64,
    /// Batches that failed.
    pub batches_failed: u64,
    /// Batches throttled by Lambda.
    pub batches_throttled: u64,
    /// The queue is a FIFO queue (docs/lambda-behaviour.md §2.17).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    pub fifo: bool,
    pub(crate) scale_mark_us: Micros,
    pub(crate) poll_at: Option<Micros>,
    pub(crate) window_started: Option<Micros>,
}

impl SqsMapping {
    /// The most concurrent batches its pollers may run: `MaximumConcurrency`, at most 1,000.
    pub fn concurrency_cap(&self) -> u32 {
        self.config
            .maximum_concurrency
            .unwrap_or(SQS_MAX_CONCURRENCY)
            .min(SQS_MAX_CONCURRENCY)
    }

    /// Scales the pollers at `now` (docs/lambda-behaviour.md §2.6): while the queue has a
    /// `backlog`, up to 300 more concurrent batches per minute, up to the cap; without one, back
    /// to the batches running (at least 5).
    pub fn scale_pollers(&mut self, now: Micros, backlog: bool) {
        let cap = self.concurrency_cap();
        if backlog {
            let steps = (now - self.scale_mark_us) * SQS_SCALE_PER_MIN / MIN;
            if steps > 0 {
                self.concurrency_target = (self.concurrency_target + steps as u32).min(cap);
                self.scale_mark_us += steps * MIN / SQS_SCALE_PER_MIN;
            }
        } else {
            self.scale_mark_us = now;
            self.concurrency_target = self.active_batches.max(SQS_INITIAL_CONCURRENCY);
        }
        self.concurrency_target = self
            .concurrency_target
            .min(cap)
            .max(SQS_INITIAL_CONCURRENCY.min(cap));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SEC;

    fn mapping(maximum_concurrency: Option<u32>) -> SqsMapping {
        SqsMapping {
            config: SqsMappingConfig {
                maximum_concurrency,
                ..Default::default()
            },
            function: 0,
            qualifier: QualifierRef::Unqualified,
            active_batches: 0,
            concurrency_target: SQS_INITIAL_CONCURRENCY,
            batches_ok: 0,
            batches_failed: 0,
            batches_throttled: 0,
            fifo: false,
            scale_mark_us: 0,
            poll_at: None,
            window_started: None,
        }
    }

    #[test]
    fn pollers_start_at_5_and_add_300_batches_a_minute_up_to_1000() {
        // docs/lambda-behaviour.md §2.6
        let mut m = mapping(None);
        m.scale_pollers(0, true);
        assert_eq!(m.concurrency_target, 5);
        m.scale_pollers(MIN / 2, true);
        assert_eq!(m.concurrency_target, 155, "half a minute: +150");
        m.scale_pollers(4 * MIN, true);
        assert_eq!(m.concurrency_target, 1000, "capped at 1,000");
        // the backlog gone: back to what runs, at least 5
        m.active_batches = 12;
        m.scale_pollers(4 * MIN + SEC, false);
        assert_eq!(m.concurrency_target, 12);
    }

    #[test]
    fn maximum_concurrency_caps_the_pollers() {
        // docs/lambda-behaviour.md §2.6: ScalingConfig.MaximumConcurrency, 2 to 1,000
        let mut m = mapping(Some(2));
        m.scale_pollers(0, true);
        assert_eq!(m.concurrency_target, 2);
        m.scale_pollers(10 * MIN, true);
        assert_eq!(m.concurrency_target, 2);
        assert_eq!(mapping(Some(5000)).concurrency_cap(), 1000);
    }
}
