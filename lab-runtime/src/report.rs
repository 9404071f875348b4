//! The run report (JSON, `format_version = 1`): a stable interface documented in the instructor
//! guide. Its digest (FNV-1a over the JSON) proves that the same seed and actions give the same run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::async_queue::AsyncOutcomes;
use crate::clock::Micros;
use crate::metrics::Series;
use crate::model::InvocationRecord;
use crate::sim::Simulation;
use crate::traffic::TrafficGen;

/// Version of the report format.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// One function's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionSummary {
    /// Name.
    pub name: String,
    /// Invocations that ran.
    pub invocations: u64,
    /// Errors (function errors, timeouts, init failures).
    pub errors: u64,
    /// Timeouts.
    pub timeouts: u64,
    /// Throttles.
    pub throttles: u64,
    /// Calls refused before the code ran for another reason (413, 403, 400).
    #[serde(default)]
    pub rejected: u64,
    /// Cold starts.
    pub cold_starts: u64,
    /// Warm starts.
    pub warm_starts: u64,
    /// Provisioned starts.
    pub provisioned_starts: u64,
    /// Peak concurrency.
    pub peak_concurrency: u32,
    /// Billed milliseconds (init included).
    pub billed_ms: u64,
    /// GB-seconds.
    pub gb_seconds: f64,
    /// Cost in USD at the illustrative prices.
    pub cost_usd: f64,
}

/// A queue's counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueSummary {
    /// Name.
    pub name: String,
    /// Visible now.
    pub visible: usize,
    /// In flight now.
    pub in_flight: usize,
    /// Sent.
    pub sent: u64,
    /// Deleted.
    pub deleted: u64,
    /// Moved to its DLQ.
    pub redriven: u64,
}

/// What a timeline action returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionLog {
    /// When.
    pub at_us: Micros,
    /// What.
    pub action: String,
    /// Result (e.g. `202 queued`, `AccessDeniedException: ...`).
    pub result: String,
}

/// The report of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always 1 for this format.
    pub format_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Virtual time at the end.
    pub end_us: Micros,
    /// Per function.
    pub functions: Vec<FunctionSummary>,
    /// Async outcomes.
    pub async_outcomes: AsyncOutcomes,
    /// Queues.
    pub queues: Vec<QueueSummary>,
    /// Timeline results.
    pub actions: Vec<ActionLog>,
    /// Traffic generators.
    pub traffic: Vec<TrafficGen>,
    /// Log lines (the kept window), `time_us` and text.
    pub logs: Vec<(Micros, String)>,
    /// Per-invocation records (the kept window).
    pub records: Vec<InvocationRecord>,
    /// Metric series per function.
    pub metrics: BTreeMap<String, Series>,
    /// FNV-1a 64 of the report's JSON with an empty digest, hex.
    pub digest: String,
}

/// FNV-1a, 64 bit.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Simulation {
    /// Builds the report of the run so far.
    pub fn report(&self, scenario: &str, actions: Vec<ActionLog>) -> Report {
        let functions = self
            .functions
            .iter()
            .map(|f| FunctionSummary {
                name: f.config.name.clone(),
                invocations: f.stats.invocations,
                errors: f.stats.errors,
                timeouts: f.stats.timeouts,
                throttles: f.stats.throttles,
                rejected: f.stats.rejected,
                cold_starts: f.stats.cold_starts,
                warm_starts: f.stats.warm_starts,
                provisioned_starts: f.stats.provisioned_starts,
                peak_concurrency: f.stats.peak_concurrency,
                billed_ms: f.bill.billed_ms,
                gb_seconds: f.bill.gb_seconds(),
                cost_usd: f.bill.cost_usd(&self.prices, f.config.architecture),
            })
            .collect();
        let queues = self
            .host
            .borrow()
            .queues
            .values()
            .map(|q| QueueSummary {
                name: q.name.clone(),
                visible: q.visible.len(),
                in_flight: q.in_flight.len(),
                sent: q.sent,
                deleted: q.deleted,
                redriven: q.redriven,
            })
            .collect();
        let mut r = Report {
            format_version: REPORT_FORMAT_VERSION,
            scenario: scenario.into(),
            seed: self.seed,
            end_us: self.now,
            functions,
            async_outcomes: self.async_outcomes.clone(),
            queues,
            actions,
            traffic: self.traffic.clone(),
            logs: self
                .log_lines()
                .into_iter()
                .map(|l| (l.time_us, format!("/aws/lambda/{} {}", l.function, l.text)))
                .collect(),
            records: self.records.items.iter().cloned().collect(),
            metrics: self
                .functions
                .iter()
                .map(|f| (f.config.name.clone(), f.metrics.clone()))
                .collect(),
            digest: String::new(),
        };
        let json = serde_json::to_string(&r).unwrap_or_default();
        r.digest = format!("{:016x}", fnv1a(json.as_bytes()));
        r
    }
}
