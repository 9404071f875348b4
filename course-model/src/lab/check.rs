//! The checks an objective may make: declarative questions about what happened in the simulation.

use lab_runtime::model::Trigger;
use serde::{Deserialize, Serialize};

/// What an objective checks. In a lab file: `check = "<name>"` and the fields of that check,
/// beside the objective's `id` and `text` (the schema describes that form). In JSON, on the lab
/// page, externally tagged: `{"count": {"function": "hello", …}}`; the internally tagged form
/// made serde buffer every objective through its `Content` type (lab bundle measured in
/// `cargo xtask size`; figures in tests/tests/size_budget.rs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(tag = "check"))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// A cold start followed by a warm start on the same environment.
    ColdThenWarm {
        /// Function.
        function: String,
    },
    /// A cold start after the function sat idle for at least `min_idle_s` (its environment was
    /// reclaimed).
    ColdAfterIdle {
        /// Function.
        function: String,
        /// Idle seconds before the cold start.
        min_idle_s: u64,
    },
    /// A warm start that succeeded although its environment had been idle (frozen) for at least
    /// `min_idle_s`: what a connection kept from Init must survive (docs/lambda-behaviour.md
    /// §3.14).
    WarmAfterIdle {
        /// Function.
        function: String,
        /// Idle seconds of the environment before the warm start.
        min_idle_s: u64,
        /// Only invocations since the last configuration or code change.
        #[serde(default)]
        since_change: bool,
    },
    /// At least `at_least` cold starts that arrived at the same instant (a burst).
    ConcurrentColdStarts {
        /// Function.
        function: String,
        /// How many.
        at_least: u64,
    },
    /// At least `at_least` invocations of a kind (a metric).
    Count(CountEvent),
    /// An `Invoke` rejected before the code ran, with this error code.
    Rejected {
        /// Function.
        function: String,
        /// Error code, e.g. `AccessDeniedException`.
        error: String,
    },
    /// An asynchronous event that reached a dead-letter queue after exactly `attempts` attempts.
    Dlq {
        /// Function.
        function: String,
        /// The dead-letter queue.
        queue: String,
        /// Attempts (1 + retries).
        attempts: u32,
    },
    /// A synchronous response the caller received: its status, `X-Amz-Function-Error` and
    /// payload (docs/lambda-behaviour.md §1.2, §1.12).
    Response {
        /// Function.
        function: String,
        /// HTTP status (200 also for a function error).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// `X-Amz-Function-Error`: `"Unhandled"` for a function error, `""` for none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        function_error: Option<String>,
        /// Text the payload must contain (e.g. an `errorType`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payload_contains: Option<String>,
    },
    /// At least `at_least` messages visible in a queue.
    QueueMessages {
        /// Queue.
        queue: String,
        /// How many.
        at_least: u64,
    },
    /// Durations and cost of the invocations since the function's last configuration or code change.
    Performance(Performance),
    /// A load test that reached a rate and a duration within limits.
    LoadTest(LoadTestCheck),
}

/// The metrics a `count` objective may name.
pub const METRICS: [&str; 8] = [
    "invocations",
    "successes",
    "errors",
    "timeouts",
    "throttles",
    "cold_starts",
    "warm_starts",
    "provisioned_starts",
];

/// `check = "count"`: invocations of a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountEvent {
    /// Function.
    pub function: String,
    /// One of [`METRICS`].
    pub metric: String,
    /// How many at least.
    pub at_least: u64,
    /// Only invocations that failed with this `errorType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// Only invocations started this way (`sync`, `async`, `sqs`, `stream`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Trigger>,
    /// Only invocations since the last configuration or code change.
    #[serde(default)]
    pub since_change: bool,
}

/// `check = "performance"`: measured over invocations since the last change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Performance {
    /// Function.
    pub function: String,
    /// Invocations needed before the check counts.
    pub min_invocations: u64,
    /// Only warm starts (to measure the steady state).
    #[serde(default)]
    pub warm_only: bool,
    /// 99th percentile duration limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_p99_ms: Option<f64>,
    /// Mean duration limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_avg_ms: Option<f64>,
    /// Mean compute cost of one invocation (GB-seconds at the illustrative price).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cost_per_invocation_usd: Option<f64>,
    /// All of them succeeded.
    #[serde(default)]
    pub no_errors: bool,
}

/// `check = "load_test"`: a finished load test of the console (or solution).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LoadTestCheck {
    /// Function.
    pub function: String,
    /// Requests per second at least.
    pub min_rate_per_s: f64,
    /// Seconds at least.
    pub min_duration_s: f64,
    /// Function errors at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_errors: Option<u64>,
    /// Function errors at least (to see something break).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_errors: Option<u64>,
    /// Throttles at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_throttles: Option<u64>,
    /// Cost of the test at most, in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cost_usd: Option<f64>,
}

impl Check {
    /// The function the check is about (none for queue checks).
    pub fn function(&self) -> Option<&str> {
        Some(match self {
            Check::ColdThenWarm { function }
            | Check::ColdAfterIdle { function, .. }
            | Check::WarmAfterIdle { function, .. }
            | Check::ConcurrentColdStarts { function, .. }
            | Check::Rejected { function, .. }
            | Check::Response { function, .. }
            | Check::Dlq { function, .. } => function,
            Check::Count(c) => &c.function,
            Check::Performance(p) => &p.function,
            Check::LoadTest(l) => &l.function,
            Check::QueueMessages { .. } => return None,
        })
    }

    /// The queue the check is about.
    pub fn queue(&self) -> Option<&str> {
        match self {
            Check::Dlq { queue, .. } | Check::QueueMessages { queue, .. } => Some(queue),
            _ => None,
        }
    }
}
