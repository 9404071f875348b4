//! The run report (JSON, `format_version = 1`): a stable interface documented in the instructor
//! guide. Its digest (FNV-1a over the JSON) proves that the same seed and actions give the same run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Micros;
use crate::metrics::Series;
use crate::model::{InvocationRecord, InvokeResponse};
use crate::sim::Simulation;
use crate::state::async_event::AsyncOutcomes;
use crate::state::traffic::TrafficGen;

/// Version of the report format. 2 added `responses`, each invoke action's `response`, and log
/// lines that never leave their invocation's `START`..`REPORT`.
pub const REPORT_FORMAT_VERSION: u32 = 2;

/// A response payload is kept in the report up to this many bytes (cut at a character boundary);
/// `payload_bytes` gives the full size.
pub const REPORT_PAYLOAD_BYTES: usize = 4096;

/// What a caller received for one `Invoke` call (docs/lambda-behaviour.md §1.2, §7.4): 200 with
/// the payload (and `X-Amz-Function-Error` when the function failed), 202, 204, or the status and
/// error of an invocation error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseSummary {
    /// Request id (absent for a call refused before it got one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Function.
    pub function: String,
    /// When the caller received it.
    pub time_us: Micros,
    /// HTTP status code.
    pub status: u16,
    /// `X-Amz-Function-Error` (`Unhandled`), when the function failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_error: Option<String>,
    /// The response payload (the error object on a function error), cut to
    /// [`REPORT_PAYLOAD_BYTES`].
    pub payload: String,
    /// The payload's full size in bytes.
    pub payload_bytes: usize,
    /// An invocation error: `Code: message` (the call did not run the code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `X-Amz-Executed-Version`: the version that ran (docs/lambda-behaviour.md §10.3); absent
    /// for a call that ran no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed_version: Option<String>,
}

impl ResponseSummary {
    /// The summary of a response the simulation recorded.
    pub fn of(r: &InvokeResponse) -> Self {
        Self {
            request_id: Some(r.request_id.to_string()),
            function: r.function.to_string(),
            time_us: r.time_us,
            status: r.status,
            function_error: r.function_error.clone(),
            payload: cut(&r.payload, REPORT_PAYLOAD_BYTES).to_string(),
            payload_bytes: r.payload.len(),
            error: r.error.as_ref().map(|e| e.to_string()),
            executed_version: r.error.is_none().then(|| r.executed_version.to_string()),
        }
    }

    /// One line for the text report: `200 X-Amz-Function-Error: Unhandled {...}`; a published
    /// version that ran is named: `200 X-Amz-Executed-Version: 2 {...}`.
    pub fn text(&self) -> String {
        let mut s = self.status.to_string();
        if let Some(v) = self.executed_version.as_deref().filter(|v| *v != "$LATEST") {
            s.push_str(&format!(" X-Amz-Executed-Version: {v}"));
        }
        if let Some(fe) = &self.function_error {
            s.push_str(&format!(" X-Amz-Function-Error: {fe}"));
        }
        match &self.error {
            Some(e) => s.push_str(&format!(" {e}")),
            None if !self.payload.is_empty() => {
                s.push(' ');
                s.push_str(cut(&self.payload, 300));
                if self.payload_bytes > 300.min(self.payload.len()) {
                    s.push_str(&format!("... ({} bytes)", self.payload_bytes));
                }
            }
            None => {}
        }
        s
    }
}

fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

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
    /// Invocations dropped by recursive loop detection (`RecursiveInvocationsDropped`,
    /// docs/lambda-behaviour.md §2.16).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    pub recursive_invocations_dropped: u64,
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

/// What a topic or an event bus received and delivered (docs/lambda-behaviour.md §1.14, §1.15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FanoutSummary {
    /// Name.
    pub name: String,
    /// Messages published to the topic, or events put on the bus.
    pub received: u64,
    /// Deliveries to subscriptions or rule targets that were accepted.
    pub delivered: u64,
    /// Deliveries refused.
    pub failed: u64,
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
    /// For an invoke action: what the caller received (for a synchronous call, once it
    /// completed before the end of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseSummary>,
}

/// The report of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`REPORT_FORMAT_VERSION`].
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
    /// SNS topics (left out when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<FanoutSummary>,
    /// EventBridge event buses (left out when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_buses: Vec<FanoutSummary>,
    /// Timeline results.
    pub actions: Vec<ActionLog>,
    /// Traffic generators.
    pub traffic: Vec<TrafficGen>,
    /// Log lines (the kept window), `time_us` and text.
    pub logs: Vec<(Micros, String)>,
    /// Per-invocation records (the kept window).
    pub records: Vec<InvocationRecord>,
    /// What synchronous callers received (the kept window, oldest first).
    #[serde(default)]
    pub responses: Vec<ResponseSummary>,
    /// Metric series per function.
    pub metrics: BTreeMap<String, Series>,
    /// FNV-1a 64 of the report's JSON with an empty digest, hex.
    pub digest: String,
}

/// FNV-1a, 64 bit (the workspace's one copy, in the `deterministic` crate).
pub use deterministic::fnv1a;

impl Simulation {
    /// Builds the report of the run so far.
    pub fn report(&self, scenario: &str, actions: Vec<ActionLog>) -> Report {
        let functions = self
            .functions
            .iter()
            .map(|f| FunctionSummary {
                name: f.config().name.clone(),
                invocations: f.stats().invocations,
                errors: f.stats().errors,
                timeouts: f.stats().timeouts,
                throttles: f.stats().throttles,
                rejected: f.stats().rejected,
                recursive_invocations_dropped: f.stats().recursive_invocations_dropped,
                cold_starts: f.stats().cold_starts,
                warm_starts: f.stats().warm_starts,
                provisioned_starts: f.stats().provisioned_starts,
                peak_concurrency: f.stats().peak_concurrency,
                billed_ms: f.bill().billed_ms,
                gb_seconds: f.bill().gb_seconds(),
                cost_usd: f.bill().cost_usd(&self.prices, f.config().architecture),
            })
            .collect();
        let queues = self
            .host
            .borrow()
            .queues
            .values()
            .map(|q| QueueSummary {
                name: q.name().to_string(),
                visible: q.visible_count(),
                in_flight: q.in_flight_count(),
                sent: q.sent(),
                deleted: q.deleted(),
                redriven: q.redriven(),
            })
            .collect();
        let mut r = Report {
            format_version: REPORT_FORMAT_VERSION,
            scenario: scenario.into(),
            seed: self.seed,
            end_us: self.now,
            functions,
            async_outcomes: self.async_outcomes().clone(),
            queues,
            topics: self
                .topics
                .iter()
                .map(|t| FanoutSummary {
                    name: t.name().to_string(),
                    received: t.counts().published,
                    delivered: t.counts().delivered,
                    failed: t.counts().failed,
                })
                .collect(),
            event_buses: self
                .buses
                .iter()
                .map(|b| FanoutSummary {
                    name: b.name().to_string(),
                    received: b.counts().events,
                    delivered: b.counts().delivered,
                    failed: b.counts().failed,
                })
                .collect(),
            actions,
            traffic: self.traffic.clone(),
            logs: self
                .log_lines()
                .into_iter()
                .map(|l| (l.time_us, format!("/aws/lambda/{} {}", l.function, l.text)))
                .collect(),
            records: self.records.items().iter().cloned().collect(),
            responses: self
                .responses
                .items()
                .iter()
                .map(ResponseSummary::of)
                .collect(),
            metrics: self
                .functions
                .iter()
                .map(|f| (f.config().name.clone(), f.metrics().clone()))
                .collect(),
            digest: String::new(),
        };
        let json = serde_json::to_string(&r).unwrap_or_default();
        r.digest = format!("{:016x}", fnv1a(json.as_bytes()));
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RequestId;

    #[test]
    fn a_response_keeps_status_header_and_a_cut_payload() {
        // docs/lambda-behaviour.md §1.2
        let big = "é".repeat(REPORT_PAYLOAD_BYTES);
        let r = InvokeResponse {
            request_id: RequestId(3),
            function: "f".into(),
            status: 200,
            function_error: Some("Unhandled".into()),
            payload: big.as_str().into(),
            time_us: 5,
            error: None,
            executed_version: Default::default(),
        };
        let s = ResponseSummary::of(&r);
        assert_eq!(s.payload_bytes, big.len());
        assert!(s.payload.len() <= REPORT_PAYLOAD_BYTES && big.starts_with(&s.payload));
        let t = s.text();
        assert!(
            t.starts_with("200 X-Amz-Function-Error: Unhandled é"),
            "{t}"
        );
        assert!(t.ends_with(&format!("... ({} bytes)", big.len())), "{t}");
    }
}
