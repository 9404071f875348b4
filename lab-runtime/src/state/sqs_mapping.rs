//! An SQS event source mapping's configuration and state, and the rules over that state: its
//! pollers and their scaling, when they poll (long polling, the batching window, a FIFO queue's
//! batches) and the tally of its batches (docs/lambda-behaviour.md §2). Receiving, invoking and
//! deleting are in `crate::esm_sqs`, which tells the mapping what happened and schedules the
//! polls it asks for.

use serde::{Deserialize, Serialize};

use crate::clock::{MIN, SEC};
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

/// What an SQS mapping's batches came to (a tally: the model counts, the view reads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqsBatches {
    /// Batches that succeeded (fully or partly).
    pub ok: u64,
    /// Batches that failed (the function failed, or the version or alias it names is gone).
    pub failed: u64,
    /// Batches throttled by Lambda.
    pub throttled: u64,
}

/// A mapping's state: its pollers, the batches they run, and when they poll next.
#[derive(Debug, Clone, PartialEq)]
pub struct SqsMapping {
    config: SqsMappingConfig,
    function: u32,
    /// The version or alias it invokes (docs/lambda-behaviour.md §10.8).
    qualifier: QualifierRef,
    /// Batches being processed now.
    active_batches: u32,
    /// Concurrent batches the pollers allow now.
    concurrency_target: u32,
    batches: SqsBatches,
    /// The queue is a FIFO queue (docs/lambda-behaviour.md §2.17).
    fifo: bool,
    scale_mark_us: Micros,
    /// The poll planned (an `SqsPoll` event is scheduled for it).
    poll_at: Option<Micros>,
    /// The start of the batching window the pollers are waiting out.
    window_started: Option<Micros>,
}

impl SqsMapping {
    /// A new mapping at `now`, its pollers at their initial 5 concurrent batches
    /// (docs/lambda-behaviour.md §2.6).
    pub fn new(
        config: SqsMappingConfig,
        function: u32,
        qualifier: QualifierRef,
        fifo: bool,
        now: Micros,
    ) -> Self {
        Self {
            config,
            function,
            qualifier,
            active_batches: 0,
            concurrency_target: SQS_INITIAL_CONCURRENCY,
            batches: SqsBatches::default(),
            fifo,
            scale_mark_us: now,
            poll_at: None,
            window_started: None,
        }
    }

    /// Its configuration.
    #[inline]
    pub fn config(&self) -> &SqsMappingConfig {
        &self.config
    }

    /// The function's index.
    #[inline]
    pub fn function(&self) -> u32 {
        self.function
    }

    /// The version or alias it invokes (docs/lambda-behaviour.md §10.8).
    #[inline]
    pub fn qualifier(&self) -> QualifierRef {
        self.qualifier
    }

    /// It reads a FIFO queue (docs/lambda-behaviour.md §2.17).
    #[inline]
    pub fn fifo(&self) -> bool {
        self.fifo
    }

    /// Batches being processed now.
    #[inline]
    pub fn active_batches(&self) -> u32 {
        self.active_batches
    }

    /// Concurrent batches the pollers allow now (docs/lambda-behaviour.md §2.6).
    #[inline]
    pub fn concurrency_target(&self) -> u32 {
        self.concurrency_target
    }

    /// What its batches came to.
    #[inline]
    pub fn batches(&self) -> SqsBatches {
        self.batches
    }

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

    /// The queue may have work at `now` (`visible`: it has visible messages; `next_visible`:
    /// when a hidden or arriving message shows, asked only when needed). The pollers long-poll
    /// (docs/lambda-behaviour.md §2.13): with no poll planned, one is planned when a message is
    /// or becomes visible; a poll planned more than a second away is brought forward to `now`
    /// when messages are visible, except inside a batching window (§2.2), which ends at its own
    /// time. Returns the time of the poll to schedule, if one is newly planned.
    #[inline]
    pub fn wake(
        &mut self,
        now: Micros,
        visible: bool,
        next_visible: impl FnOnce() -> Option<Micros>,
    ) -> Option<Micros> {
        if let Some(planned) = self.poll_at {
            // (a poll at most a second away is the backlog's own rhythm: left as it is)
            if planned > now + SEC && self.window_started.is_none() && visible {
                self.poll_at = Some(now);
                return Some(now);
            }
            return None;
        }
        let at = if visible { Some(now) } else { next_visible() }?.max(now);
        self.poll_at = Some(at);
        Some(at)
    }

    /// A planned poll comes due at `now`: false when it is stale (a FIFO mapping polls when a
    /// batch ends, docs/lambda-behaviour.md §2.17, and a poll planned for later replaces it);
    /// otherwise the plan is used up.
    #[inline]
    pub fn poll_due(&mut self, now: Micros) -> bool {
        if self.fifo && self.poll_at.is_some_and(|p| p > now) {
            return false;
        }
        self.poll_at = None;
        true
    }

    /// The pollers may start another batch: fewer run than they allow now
    /// (docs/lambda-behaviour.md §2.6).
    #[inline]
    pub fn has_room(&self) -> bool {
        self.active_batches < self.concurrency_target
    }

    /// The batching window (docs/lambda-behaviour.md §2.2) with `visible` messages at `now`:
    /// with fewer than a full batch the pollers wait up to `MaximumBatchingWindowInSeconds` from
    /// when they first found the batch short. Returns the window's end, planned as the next poll,
    /// while they wait; `None` when they receive now.
    #[inline]
    pub fn wait_for_batch(&mut self, now: Micros, visible: usize) -> Option<Micros> {
        let window = self.config.batching_window_s;
        if window == 0 || visible >= self.config.batch_size as usize {
            return None;
        }
        let started = *self.window_started.get_or_insert(now);
        let until = started + window as u64 * SEC;
        if now < until {
            self.poll_at = Some(until);
            return Some(until);
        }
        None
    }

    /// The pollers received from the queue: the batching window, if any, is over.
    #[inline]
    pub fn received(&mut self) {
        self.window_started = None;
    }

    /// A batch started (its invocation runs).
    #[inline]
    pub fn batch_started(&mut self) {
        self.active_batches += 1;
    }

    /// A batch was throttled by Lambda: its messages stay hidden and come back after the
    /// visibility timeout (docs/lambda-behaviour.md §2.6).
    #[inline]
    pub fn batch_throttled(&mut self) {
        self.batches.throttled += 1;
    }

    /// A batch could not be invoked: the alias or version the mapping names was deleted; its
    /// messages come back after the visibility timeout (docs/lambda-behaviour.md §10.8).
    #[inline]
    pub fn batch_without_target(&mut self) {
        self.batches.failed += 1;
    }

    /// A started batch ended at `now`, `ok` when the function succeeded (docs/lambda-behaviour.md
    /// §2.3, §2.5). A FIFO mapping then polls at once: the groups' next messages may go
    /// (§2.17); returns that poll's time.
    #[inline]
    pub fn batch_ended(&mut self, ok: bool, now: Micros) -> Option<Micros> {
        self.active_batches -= 1;
        match ok {
            true => self.batches.ok += 1,
            false => self.batches.failed += 1,
        }
        if self.fifo {
            self.poll_at = Some(now);
            return Some(now);
        }
        None
    }

    /// After a poll at `now`: while the queue has a `backlog` and no poll is planned, the pollers
    /// look again in a second (and scale up, docs/lambda-behaviour.md §2.6). Returns that poll's
    /// time.
    #[inline]
    pub fn poll_again(&mut self, now: Micros, backlog: bool) -> Option<Micros> {
        if backlog && self.poll_at.is_none() {
            self.poll_at = Some(now + SEC);
            return Some(now + SEC);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SEC;

    fn mapping(maximum_concurrency: Option<u32>) -> SqsMapping {
        with(SqsMappingConfig {
            maximum_concurrency,
            ..Default::default()
        })
    }

    fn with(config: SqsMappingConfig) -> SqsMapping {
        SqsMapping::new(config, 0, QualifierRef::Unqualified, false, 0)
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

    #[test]
    fn long_polling_plans_a_poll_when_a_message_is_or_becomes_visible() {
        // docs/lambda-behaviour.md §2.13: long polling receives a visible message at once
        let mut m = mapping(None);
        let never = || -> Option<Micros> { panic!("not asked while messages are visible") };
        assert_eq!(m.wake(SEC, false, || None), None, "an empty queue: no poll");
        assert_eq!(m.wake(SEC, false, || Some(40 * SEC)), Some(40 * SEC));
        assert_eq!(
            m.wake(2 * SEC, false, || Some(3 * SEC)),
            None,
            "one poll planned"
        );
        // a message sent now: the poll planned for later comes forward
        assert_eq!(m.wake(12 * SEC, true, never), Some(12 * SEC));
        assert!(m.poll_due(12 * SEC));
        // a backlog: the pollers look again every second, and a poll a second away stays
        assert_eq!(m.poll_again(12 * SEC, true), Some(13 * SEC));
        assert_eq!(m.poll_again(12 * SEC, true), None, "already planned");
        assert_eq!(m.wake(12 * SEC + 1, true, never), None);
        assert!(m.poll_due(13 * SEC));
        assert_eq!(m.poll_again(13 * SEC, false), None, "no backlog: no poll");
        // a message visible before now is received now
        assert_eq!(m.wake(14 * SEC, false, || Some(SEC)), Some(14 * SEC));
    }

    #[test]
    fn a_batching_window_waits_for_a_full_batch_at_most_its_seconds() {
        // docs/lambda-behaviour.md §2.2 (MaximumBatchingWindowInSeconds), §2.13 (a window waits
        // out its own time)
        let mut m = with(SqsMappingConfig {
            batch_size: 10,
            batching_window_s: 5,
            ..Default::default()
        });
        assert_eq!(m.wait_for_batch(0, 3), Some(5 * SEC), "3 of 10: wait");
        assert_eq!(
            m.wait_for_batch(2 * SEC, 4),
            Some(5 * SEC),
            "the same window"
        );
        assert_eq!(m.wake(3 * SEC, true, || None), None, "inside the window");
        assert!(m.poll_due(5 * SEC));
        assert_eq!(m.wait_for_batch(5 * SEC, 4), None, "the window is over");
        m.received();
        assert_eq!(
            m.wait_for_batch(6 * SEC, 10),
            None,
            "a full batch goes at once"
        );
        assert_eq!(m.wait_for_batch(6 * SEC, 1), Some(11 * SEC), "a new window");
        // without a window, never
        let mut m = mapping(None);
        assert_eq!(m.wait_for_batch(0, 1), None);
    }

    #[test]
    fn the_pollers_run_up_to_their_target_and_tally_how_batches_end() {
        // docs/lambda-behaviour.md §2.6 (5 concurrent batches to start), §2.3 (success, failure),
        // §10.8 (the alias or version gone: the batch fails)
        let mut m = mapping(None);
        for _ in 0..SQS_INITIAL_CONCURRENCY {
            assert!(m.has_room());
            m.batch_started();
        }
        assert!(!m.has_room(), "5 running");
        assert_eq!(
            m.batch_ended(true, SEC),
            None,
            "a standard queue: no poll for it"
        );
        assert!(m.has_room());
        assert_eq!(m.batch_ended(false, SEC), None);
        m.batch_throttled();
        m.batch_without_target();
        assert_eq!(m.active_batches(), 3);
        assert_eq!(
            m.batches(),
            SqsBatches {
                ok: 1,
                failed: 2,
                throttled: 1
            }
        );
        // the backlog gone: the target falls back to the batches running, at least 5
        m.scale_pollers(SEC, false);
        assert_eq!(m.concurrency_target(), 5);
    }

    #[test]
    fn a_fifo_mapping_polls_when_a_batch_ends_and_drops_a_poll_planned_before() {
        // docs/lambda-behaviour.md §2.17: the group's next messages go when its batch ends
        let mut m = SqsMapping::new(
            SqsMappingConfig::default(),
            0,
            QualifierRef::Unqualified,
            true,
            0,
        );
        assert!(m.fifo());
        assert_eq!(m.wake(0, false, || Some(30 * SEC)), Some(30 * SEC));
        assert!(
            !m.poll_due(SEC),
            "a poll for 30 s is planned: the one at 1 s is stale"
        );
        m.batch_started();
        assert_eq!(m.batch_ended(true, 2 * SEC), Some(2 * SEC));
        assert!(m.poll_due(2 * SEC));
        assert!(m.poll_due(30 * SEC), "nothing planned any more");
        // a standard queue's mapping takes every poll that comes
        let mut m = mapping(None);
        assert_eq!(m.wake(0, false, || Some(30 * SEC)), Some(30 * SEC));
        assert!(m.poll_due(SEC));
    }
}
