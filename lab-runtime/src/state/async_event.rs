//! The async queue's state: an event waiting in Lambda's internal queue, the tally of how events
//! ended, and the retry delays (docs/lambda-behaviour.md §1.4–§1.10). The engine's handling of
//! the queue is in `crate::async_queue`.

use std::sync::Arc;

use litemap::LiteMap;
use serde::{Deserialize, Serialize};

use crate::clock::{HOUR, MIN, SEC};
use crate::handler::FunctionError;
use crate::model::RequestId;
use crate::Micros;

/// An event waiting in (or being processed from) the internal queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AsyncEvent {
    /// Event id.
    pub id: u64,
    /// Request id (the same across retries).
    pub request: RequestId,
    /// Function index.
    pub function: u32,
    /// Payload.
    pub payload: Arc<str>,
    /// When Lambda accepted it.
    pub received_us: Micros,
    /// Function invocations so far.
    pub attempts: u32,
    /// Throttle / system-error retries so far.
    pub throttle_retries: u32,
    /// Last function error.
    pub last_error: Option<FunctionError>,
    /// Next attempt time.
    pub next_attempt_us: Micros,
    /// The version or alias the caller invoked (None = unqualified): its asynchronous settings
    /// apply (docs/lambda-behaviour.md §10.7).
    #[serde(default)]
    pub qualifier: Option<String>,
    /// The version the last attempt ran (`executedVersion` in the invocation record).
    #[serde(default)]
    pub executed_version: crate::model::FunctionVersion,
}

/// How async events ended: each ends in exactly one of succeeded, delivered on failure, or dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsyncOutcomes {
    /// Events accepted (202).
    pub received: u64,
    /// Succeeded (possibly after retries).
    pub succeeded: u64,
    /// Sent to the on-failure destination.
    pub to_on_failure: u64,
    /// Sent to the dead-letter queue.
    pub to_dlq: u64,
    /// Dropped, by reason.
    pub dropped: LiteMap<String, u64>,
    /// Success records sent to the on-success destination.
    pub to_on_success: u64,
}

impl AsyncOutcomes {
    /// Events that reached an end.
    pub fn finished(&self) -> u64 {
        self.succeeded + self.to_on_failure + self.to_dlq + self.dropped.values().sum::<u64>()
    }
}

/// Retry delay after the n-th function error: about 1 min, then about 2 min.
pub fn function_error_delay(attempts: u32) -> Micros {
    if attempts <= 1 {
        MIN
    } else {
        2 * MIN
    }
}

/// Retry delay after the n-th throttle: 1 s doubling up to 5 min.
pub fn throttle_delay(n: u32) -> Micros {
    (SEC << (n.saturating_sub(1)).min(20)).min(5 * MIN)
}

/// The absolute cap on event age: 6 h.
pub const MAX_EVENT_AGE: Micros = 6 * HOUR;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_retry_interval_grows_from_1_s_to_at_most_5_min() {
        // docs/lambda-behaviour.md §1.6: 1 s growing exponentially to at most 5 min
        assert_eq!(throttle_delay(1), SEC);
        assert_eq!(throttle_delay(2), 2 * SEC);
        assert_eq!(throttle_delay(9), 256 * SEC);
        assert_eq!(throttle_delay(10), 5 * MIN);
        assert_eq!(throttle_delay(40), 5 * MIN);
    }

    #[test]
    fn function_error_retries_wait_one_then_two_minutes() {
        // docs/lambda-behaviour.md §1.5
        assert_eq!(function_error_delay(1), MIN);
        assert_eq!(function_error_delay(2), 2 * MIN);
    }
}
