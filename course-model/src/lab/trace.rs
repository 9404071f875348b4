//! What the learner did that the simulation itself does not keep: rejected calls, finished load
//! tests and when each function last changed.

use litemap::LiteMap;

use lab_runtime::Micros;
use serde::{Deserialize, Serialize};

/// An `Invoke` refused before the code ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    /// Function.
    pub function: String,
    /// Error code, e.g. `AccessDeniedException`.
    pub code: String,
    /// The caller, if not the account's admin.
    pub principal: Option<String>,
}

/// A finished (or cancelled) load test and what it measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadResult {
    /// Function.
    pub function: String,
    /// Requested rate.
    pub rate_per_s: f64,
    /// Seconds the traffic actually ran.
    pub duration_s: f64,
    /// Invocations that ran.
    pub invocations: u64,
    /// Function errors (errors, timeouts, init failures).
    pub errors: u64,
    /// Throttled requests.
    pub throttles: u64,
    /// Cost of the test in USD.
    pub cost_usd: f64,
    /// Stopped before the end.
    pub cancelled: bool,
}

/// The lab's own record of a session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// Rejected invokes.
    pub rejections: Vec<Rejection>,
    /// Load tests.
    pub loads: Vec<LoadResult>,
    /// Virtual time of each function's last configuration or code change.
    pub changes: LiteMap<String, Micros>,
}

impl Trace {
    /// When `function` last changed (0 = never: since the start).
    pub fn changed_at(&self, function: &str) -> Micros {
        self.changes.get(function).copied().unwrap_or(0)
    }
}
