//! Traffic generators as data: the pattern of a generator (single, burst, rate, ramp, Poisson, SQS
//! backlog) and a running generator's counters. Generating requests is in `crate::traffic`.

use serde::{Deserialize, Serialize};

use crate::{InvocationType, InvokeRequest, Micros};

/// The shape of the traffic. Externally tagged in JSON, like [`crate::actions::Action`], which
/// carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// One request now.
    Once,
    /// `count` requests at the same instant.
    Burst {
        /// How many.
        count: u64,
    },
    /// Evenly spaced arrivals.
    Constant {
        /// Requests per second.
        rate_per_s: f64,
        /// For how long.
        duration_s: f64,
    },
    /// Rate growing linearly from `from_per_s` to `to_per_s`.
    Ramp {
        /// Starting rate.
        from_per_s: f64,
        /// Final rate.
        to_per_s: f64,
        /// For how long.
        duration_s: f64,
    },
    /// Poisson arrivals (exponential gaps) at a mean rate.
    Poisson {
        /// Mean requests per second.
        rate_per_s: f64,
        /// For how long.
        duration_s: f64,
    },
    /// `count` messages sent at once to a queue (for an SQS mapping).
    SqsBacklog {
        /// Queue name.
        queue: String,
        /// How many messages.
        count: u64,
    },
}

/// A traffic generator to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficSpec {
    /// Function name (ignored for an SQS backlog).
    pub function: String,
    /// Invocation type.
    pub invocation_type: InvocationType,
    /// Payload of every request.
    pub payload: String,
    /// Caller (None = the account's administrator).
    pub principal: Option<String>,
    /// Shape.
    pub pattern: Pattern,
    /// Stop after this many requests.
    pub max_requests: Option<u64>,
}

/// A running generator and what its requests got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficGen {
    /// What it does.
    pub spec: TrafficSpec,
    /// Start time.
    pub started_us: Micros,
    /// Requests sent.
    pub sent: u64,
    /// Requests accepted (started or queued).
    pub accepted: u64,
    /// Requests rejected (413, 403, 429, 404).
    pub rejected: u64,
    /// Finished.
    pub done: bool,
    /// Boxed: taken out and put back on every request, a pointer moves instead of the request.
    #[serde(skip)]
    pub(crate) request: Option<Box<InvokeRequest>>,
}
