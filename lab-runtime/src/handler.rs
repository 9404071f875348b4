//! Handlers: a statistical profile (for load tests) or a script (for code the learner edits, in a subset of Rhai's syntax),
//! and what one run of a handler produced.

use serde::{Deserialize, Serialize};

use crate::clock::Micros;
use crate::rng::Rng;

/// The code of a function.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum HandlerSpec {
    /// Duration and error-rate distributions, no code: millions of invocations per second.
    Profile(Profile),
    /// A script (a subset of Rhai's syntax, see [`crate::script`]): top-level code is the Init phase, its last expression the handler closure.
    Script(String),
}

impl Default for HandlerSpec {
    fn default() -> Self {
        HandlerSpec::Profile(Profile::default())
    }
}

/// A distribution of durations, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Dist {
    /// Always the same value.
    Fixed(f64),
    /// Uniform between the two values.
    Uniform([f64; 2]),
    /// Approximately normal (mean, standard deviation), cut at 0.
    Normal([f64; 2]),
    /// Exponential with the given mean.
    Exponential(f64),
}

impl Dist {
    /// Draws one value, in microseconds.
    pub fn sample_us(&self, rng: &mut Rng) -> Micros {
        let ms = match *self {
            Dist::Fixed(v) => v,
            Dist::Uniform([a, b]) => a + (b - a) * rng.unit(),
            Dist::Normal([m, s]) => rng.normal(m, s),
            Dist::Exponential(m) => rng.exponential(m),
        };
        if ms.is_finite() && ms > 0.0 {
            (ms * 1000.0) as Micros
        } else {
            0
        }
    }
}

/// A handler described by numbers only (docs/lambda-behaviour.md §3.4: init typically
/// 100 ms–1 s).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Profile {
    /// Duration of the Init phase (cold starts only).
    pub init_ms: Dist,
    /// Duration of one invocation.
    pub duration_ms: Dist,
    /// Probability that an invocation throws (0–1).
    pub error_rate: f64,
    /// `errorType` of the thrown error.
    pub error_type: String,
    /// `errorMessage` of the thrown error.
    pub error_message: String,
    /// Memory the handler reports as "Max Memory Used".
    pub max_memory_used_mb: u32,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            init_ms: Dist::Fixed(150.0),
            duration_ms: Dist::Fixed(20.0),
            error_rate: 0.0,
            error_type: "Error".into(),
            error_message: "simulated failure".into(),
            max_memory_used_mb: 64,
        }
    }
}

impl Profile {
    /// Error rate in parts per million (integer, for the deterministic roll).
    pub fn error_ppm(&self) -> u32 {
        (self.error_rate.clamp(0.0, 1.0) * 1_000_000.0) as u32
    }
}

/// An error object as the runtime returns it (docs/lambda-behaviour.md §7.3).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FunctionError {
    /// `errorType`, e.g. `Sandbox.Timedout`.
    #[serde(rename = "errorType")]
    pub error_type: String,
    /// `errorMessage`.
    #[serde(rename = "errorMessage")]
    pub error_message: String,
    /// `stackTrace`: where a script error happened, outermost call first, one Python-style
    /// `File "...", line N, in name` entry per frame (docs/lambda-behaviour.md §7.3). Left out
    /// when empty (a timeout or a profile handler's failure has none).
    #[serde(rename = "stackTrace", default, skip_serializing_if = "Vec::is_empty")]
    pub stack_trace: Vec<String>,
}

impl FunctionError {
    /// A new error object (no stack trace).
    pub fn new(error_type: &str, message: impl Into<String>) -> Self {
        Self {
            error_type: error_type.into(),
            error_message: message.into(),
            stack_trace: Vec::new(),
        }
    }

    /// The JSON payload the caller receives.
    pub fn payload(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What one invocation of a handler produced, measured in virtual time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunResult {
    /// Time spent by the handler (capped by the caller at the timeout).
    pub elapsed_us: Micros,
    /// Set when the handler threw.
    pub error: Option<FunctionError>,
    /// True when the handler ran past its deadline (becomes `Task timed out`).
    pub timed_out: bool,
    /// The JSON response.
    pub response: Option<String>,
    /// Lines the handler logged, with their offset from the invocation start.
    pub logs: Vec<(Micros, String)>,
    /// SQS partial batch response: item identifiers that failed.
    pub batch_item_failures: Option<Vec<String>>,
    /// Memory used, for the REPORT line.
    pub max_memory_used_mb: u32,
}
