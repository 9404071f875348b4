//! A Shutdown phase as data: why an environment was reclaimed and the record kept of it
//! (docs/lambda-behaviour.md §3.1, §3.9). Running the phase is in `crate::shutdown`.

use serde::{Deserialize, Serialize};

use crate::Micros;

/// Why an environment was shut down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShutdownReason {
    /// Idle for longer than the keep-alive (docs/lambda-behaviour.md §3.7).
    Idle,
    /// Older than the recycling age (docs/lambda-behaviour.md §3.7: every few hours).
    Recycled,
    /// New code or configuration: environments of the old version are replaced.
    NewVersion,
    /// Provisioned concurrency was lowered.
    ProvisionedReduced,
    /// Its version was deleted (docs/lambda-behaviour.md §10.9).
    VersionDeleted,
}

/// One Shutdown phase, kept in a bounded history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShutdownRecord {
    /// Function.
    pub function: String,
    /// Environment id.
    pub env: u64,
    /// Why.
    pub reason: ShutdownReason,
    /// When the phase started.
    pub start_us: Micros,
    /// How long it lasted (the extensions' limit: 0, 500 ms or 2 s).
    pub duration_us: Micros,
    /// A provisioned environment.
    pub provisioned: bool,
    /// Invocations the environment served in its life.
    pub invocations: u64,
}
