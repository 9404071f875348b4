//! Read-only views of the state, as plain serde data for the lab console: environments, queues,
//! in-flight events, logs, metrics and the bill.

use serde::{Deserialize, Serialize};

use crate::billing::FunctionBill;
use crate::clock::Micros;
use crate::config::{Architecture, FunctionConfig};
use crate::environment::{EnvState, Environment};
use crate::logs::{LineKey, LogEntry, Ring};
use crate::metrics::{Bucket, Series};
use crate::model::{InvocationRecord, InvokeResponse};
use crate::services::Database;
use crate::sim::Simulation;
use crate::state::async_event::{AsyncEvent, AsyncOutcomes};
use crate::state::function::FunctionStats;
use crate::state::sqs_mapping::{SqsMapping, SqsMappingConfig};
use crate::state::stream_mapping::{StreamMapping, StreamMappingConfig, StreamRecord};
use crate::state::versions::QualifierRef;

/// One environment as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvView {
    /// Id.
    pub id: u64,
    /// State at the current time.
    pub state: EnvState,
    /// Provisioned.
    pub provisioned: bool,
    /// Invocations served.
    pub invocations: u64,
    /// Age.
    pub age_us: Micros,
    /// Idle for (when idle).
    pub idle_for_us: Option<Micros>,
    /// Next invocation runs Init again (after a crash or timeout).
    pub needs_init: bool,
    /// Bytes in /tmp.
    pub tmp_used_bytes: u64,
    /// Open database connections.
    pub open_connections: u32,
    /// The function version it runs.
    #[serde(default)]
    pub function_version: crate::model::FunctionVersion,
}

/// A function as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionView {
    /// Configuration.
    pub config: FunctionConfig,
    /// ARN.
    pub arn: String,
    /// Version counter.
    pub version: u32,
    /// Live environments.
    pub environments: Vec<EnvView>,
    /// Requests in flight.
    pub in_flight: u32,
    /// Counters.
    pub stats: FunctionStats,
    /// Bill counters.
    pub bill: FunctionBill,
    /// Cost in USD (illustrative prices).
    pub cost_usd: f64,
    /// CPU share in thousandths of a vCPU.
    pub cpu_milli: u32,
    /// Environments reclaimed so far (idle too long, recycled, replaced).
    pub reclaimed: u64,
    /// Published versions (docs/lambda-behaviour.md §10.1).
    #[serde(default)]
    pub versions: Vec<crate::state::versions::VersionView>,
    /// Aliases (docs/lambda-behaviour.md §10.2).
    #[serde(default)]
    pub aliases: Vec<crate::state::versions::AliasView>,
    /// Provisioned concurrency configured over all versions and aliases.
    #[serde(default)]
    pub provisioned_total: u32,
}

/// An invocation running now (for the console's timeline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InFlightView {
    /// Request id.
    pub request_id: crate::model::RequestId,
    /// Function.
    pub function: String,
    /// Environment.
    pub env: u64,
    /// Trigger.
    pub trigger: crate::model::Trigger,
    /// Cold / warm / provisioned.
    pub start_type: crate::environment::StartType,
    /// Arrival.
    pub start_us: Micros,
    /// When it will finish (Init + duration).
    pub end_us: Micros,
}

/// A queue as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    /// Name.
    pub name: String,
    /// `ApproximateNumberOfMessagesVisible`.
    pub visible: usize,
    /// `ApproximateNumberOfMessagesNotVisible`.
    pub in_flight: usize,
    /// Sent.
    pub sent: u64,
    /// Deleted after processing.
    pub deleted: u64,
    /// Moved to the DLQ.
    pub redriven: u64,
    /// The newest visible messages: (body, attributes), at most 20.
    pub recent: Vec<(String, Vec<(String, String)>)>,
}

/// An SQS mapping as the console shows it (docs/lambda-behaviour.md §2.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqsMappingView {
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
}

impl SqsMappingView {
    fn of(m: &SqsMapping) -> Self {
        let batches = m.batches();
        Self {
            config: m.config().clone(),
            function: m.function(),
            qualifier: m.qualifier(),
            active_batches: m.active_batches(),
            concurrency_target: m.concurrency_target(),
            batches_ok: batches.ok,
            batches_failed: batches.failed,
            batches_throttled: batches.throttled,
            fifo: m.fifo(),
        }
    }
}

/// One of a stream shard's `ParallelizationFactor` lanes as the console shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LaneView {
    /// Records not yet processed, in order (the first ones are the batch in flight, if any).
    pub records: Vec<StreamRecord>,
    /// A batch is in flight.
    pub busy: bool,
    /// Retries of the current batch.
    pub retries: u32,
    /// Current batch size cap after bisecting.
    pub bisect_cap: Option<usize>,
}

/// A stream mapping and its shards as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamMappingView {
    /// Configuration.
    pub config: StreamMappingConfig,
    /// Function index.
    pub function: u32,
    /// The version or alias it invokes (docs/lambda-behaviour.md §10.8).
    #[serde(default)]
    pub qualifier: QualifierRef,
    /// The shards' records split by partition key into `ParallelizationFactor` lanes each.
    pub lanes: Vec<LaneView>,
    /// Records processed successfully.
    pub processed: u64,
    /// Records discarded (retries exhausted or too old), sent as metadata to on-failure.
    pub discarded: u64,
    /// Latest IteratorAge (ms).
    pub iterator_age_ms: u64,
    /// Records the starting position skipped (docs/lambda-behaviour.md §2.19).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    pub skipped: u64,
}

impl StreamMappingView {
    fn of(m: &StreamMapping) -> Self {
        Self {
            config: m.config().clone(),
            function: m.function(),
            qualifier: m.qualifier(),
            lanes: m
                .lanes()
                .iter()
                .map(|l| LaneView {
                    records: l.records().iter().cloned().collect(),
                    busy: l.busy(),
                    retries: l.retries(),
                    bisect_cap: l.bisect_cap(),
                })
                .collect(),
            processed: m.processed(),
            discarded: m.discarded(),
            iterator_age_ms: m.iterator_age_ms(),
            skipped: m.skipped(),
        }
    }

    /// Records waiting in the shards (all lanes).
    pub fn pending(&self) -> usize {
        self.lanes.iter().map(|l| l.records.len()).sum()
    }

    /// Batches in flight.
    pub fn in_flight(&self) -> usize {
        self.lanes.iter().filter(|l| l.busy).count()
    }
}

/// The whole state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimView {
    /// Virtual time.
    pub now_us: Micros,
    /// Functions.
    pub functions: Vec<FunctionView>,
    /// Queues.
    pub queues: Vec<QueueView>,
    /// Invocations running now.
    pub in_flight: Vec<InFlightView>,
    /// Async events waiting or in flight.
    pub async_events: Vec<AsyncEvent>,
    /// How async events ended.
    pub async_outcomes: AsyncOutcomes,
    /// SQS mappings.
    pub sqs_mappings: Vec<SqsMappingView>,
    /// Stream mappings.
    pub stream_mappings: Vec<StreamMappingView>,
    /// Tables (without items).
    pub tables: Vec<(String, usize, u64)>,
    /// Databases.
    pub databases: Vec<DatabaseView>,
    /// Recent Shutdown phases (docs/lambda-behaviour.md §3.9), oldest first.
    #[serde(default)]
    pub shutdowns: Vec<crate::state::shutdown::ShutdownRecord>,
    /// Total bill in USD.
    pub total_cost_usd: f64,
}

/// A database as the console shows it: its limit and what its connections came to
/// (docs/lambda-behaviour.md §3.14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseView {
    /// Name.
    pub name: String,
    /// Maximum simultaneous connections.
    pub max_connections: u32,
    /// A connection unused for longer than this is closed by the database (0 = never).
    #[serde(default)]
    pub idle_timeout_us: Micros,
    /// Open connections now.
    pub open: u32,
    /// Connections ever opened.
    pub opened_total: u64,
    /// Connection attempts refused.
    pub refused: u64,
    /// Queries served.
    pub queries: u64,
    /// Connections the database closed because they were idle too long.
    #[serde(default)]
    pub closed_idle: u64,
}

impl DatabaseView {
    fn of(d: &Database) -> Self {
        Self {
            name: d.name().to_string(),
            max_connections: d.max_connections(),
            idle_timeout_us: d.idle_timeout_us(),
            open: d.open(),
            opened_total: d.opened_total(),
            refused: d.refused(),
            queries: d.queries(),
            closed_idle: d.closed_idle(),
        }
    }
}

/// A rendered log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// Time.
    pub time_us: Micros,
    /// Function (log group `/aws/lambda/<name>`).
    pub function: String,
    /// Environment (log stream).
    pub env: u64,
    /// The text.
    pub text: String,
}

impl Simulation {
    /// A function's configuration: what the console's panels show after each slice of a long
    /// step, without the cost of a whole [`Simulation::view`] (which copies every environment).
    pub fn function_config(&self, name: &str) -> Option<&crate::FunctionConfig> {
        self.function_index(name)
            .map(|f| self.functions[f as usize].config())
    }

    /// A snapshot of the whole state.
    pub fn view(&self) -> SimView {
        let now = self.now;
        let functions: Vec<FunctionView> = self
            .functions
            .iter()
            .map(|fs| FunctionView {
                config: fs.config().clone(),
                arn: fs.arn().to_string(),
                version: fs.revision(),
                environments: fs.pool().live().map(|(_, e)| env_view(e, now)).collect(),
                in_flight: fs.pool().busy().0,
                stats: fs.stats().clone(),
                bill: fs.bill().clone(),
                cost_usd: fs.bill().cost_usd(&self.prices, fs.config().architecture),
                cpu_milli: fs.config().cpu_milli(),
                reclaimed: fs.pool().reclaimed(),
                versions: fs.versions().version_views(),
                aliases: fs.versions().alias_views(),
                provisioned_total: fs.versions().provisioned_total(),
            })
            .collect();
        let in_flight = self
            .inflight
            .iter()
            .flatten()
            .map(|i| InFlightView {
                request_id: i.request,
                function: self.functions[i.function as usize].config().name.clone(),
                env: i.env_id,
                trigger: i.trigger,
                start_type: i.start_type,
                start_us: i.arrival_us,
                end_us: i.arrival_us + i.init_us + i.duration_us,
            })
            .collect();
        let host = self.host.borrow();
        let queues = host
            .queues
            .values()
            .map(|q| QueueView {
                name: q.name().to_string(),
                visible: q.visible_count(),
                in_flight: q.in_flight_count(),
                sent: q.sent(),
                deleted: q.deleted(),
                redriven: q.redriven(),
                recent: q
                    .visible_messages()
                    .rev()
                    .take(20)
                    .map(|m| (m.body.to_string(), m.attributes.clone()))
                    .collect(),
            })
            .collect();
        let tables = host
            .services
            .tables()
            .map(|t| (t.name().to_string(), t.len(), t.throttled()))
            .collect();
        let databases = host.services.databases().map(DatabaseView::of).collect();
        SimView {
            now_us: now,
            total_cost_usd: functions.iter().map(|f| f.cost_usd).sum(),
            functions,
            queues,
            in_flight,
            async_events: self.async_events().cloned().collect(),
            async_outcomes: self.async_outcomes().clone(),
            sqs_mappings: self.sqs_mappings.iter().map(SqsMappingView::of).collect(),
            stream_mappings: self
                .stream_mappings
                .iter()
                .map(StreamMappingView::of)
                .collect(),
            tables,
            databases,
            shutdowns: self.shutdowns.items().iter().cloned().collect(),
        }
    }

    /// Log lines up to now (time order), rendered as CloudWatch shows them (one sort for both
    /// views: the same as [`Simulation::log_tail`] of every line).
    pub fn log_lines(&self) -> Vec<LogLine> {
        self.log_tail(usize::MAX)
    }

    /// The newest `n` lines of [`Simulation::log_lines`], formatting only those (a log window
    /// holds thousands of lines; a console shows a few hundred).
    pub fn log_tail(&self, n: usize) -> Vec<LogLine> {
        let mut keys: Vec<(LineKey, usize)> = Vec::new();
        for (i, e) in self.logs.items().iter().enumerate() {
            if e.time_us > self.now {
                continue;
            }
            for (k, (t, rank)) in e.line_times().into_iter().enumerate() {
                if t <= self.now {
                    keys.push((e.sort_key(t, rank, i), k));
                }
            }
        }
        keys.sort_by_key(|(key, _)| *key);
        let tail = &keys[keys.len().saturating_sub(n)..];
        let mut formatted: std::collections::HashMap<usize, Vec<(Micros, u8, String)>> =
            std::collections::HashMap::new();
        tail.iter()
            .map(|&((t, _, _, i), k)| {
                let e = &self.logs.items()[i];
                let lines = formatted.entry(i).or_insert_with(|| e.lines());
                LogLine {
                    time_us: t,
                    function: self.functions[e.function as usize].config().name.clone(),
                    env: e.env,
                    text: std::mem::take(&mut lines[k].2),
                }
            })
            .collect()
    }

    /// The raw log ring (includes lines time-stamped after now).
    pub fn logs(&self) -> &Ring<LogEntry> {
        &self.logs
    }

    /// Recent per-invocation records.
    pub fn records(&self) -> &Ring<InvocationRecord> {
        &self.records
    }

    /// Responses synchronous callers received.
    pub fn responses(&self) -> &Ring<InvokeResponse> {
        &self.responses
    }

    /// A function's metric series.
    pub fn metrics(&self, function: &str) -> Option<&Series> {
        self.function_index(function)
            .map(|f| self.functions[f as usize].metrics())
    }

    /// Account-level series (`ConcurrentExecutions`, `UnreservedConcurrentExecutions`).
    pub fn account_metrics(&self) -> &Series {
        &self.account_metrics
    }

    /// Totals of a function's metric buckets kept so far.
    pub fn metric_totals(&self, function: &str) -> Option<Bucket> {
        let s = self.metrics(function)?;
        let mut t = Bucket::default();
        for b in s.buckets() {
            t.invocations += b.invocations;
            t.errors += b.errors;
            t.throttles += b.throttles;
            t.duration_sum_us += b.duration_sum_us;
            t.duration_count += b.duration_count;
            t.duration_max_us = t.duration_max_us.max(b.duration_max_us);
            t.concurrent_executions = t.concurrent_executions.max(b.concurrent_executions);
            t.provisioned_concurrency_invocations += b.provisioned_concurrency_invocations;
            t.provisioned_concurrency_spillover_invocations +=
                b.provisioned_concurrency_spillover_invocations;
            t.dead_letter_errors += b.dead_letter_errors;
            t.destination_delivery_failures += b.destination_delivery_failures;
            t.iterator_age_ms = t.iterator_age_ms.max(b.iterator_age_ms);
            t.async_events_received += b.async_events_received;
            t.async_event_age_ms = t.async_event_age_ms.max(b.async_event_age_ms);
            t.async_events_dropped += b.async_events_dropped;
            t.cold_starts += b.cold_starts;
        }
        Some(t)
    }

    /// Invocations completed in the whole run.
    pub fn completed_invocations(&self) -> u64 {
        self.completed
    }

    /// Events processed in the whole run.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Concurrency in use now: (all functions, unreserved pool).
    pub fn concurrency_now(&self) -> (u32, u32) {
        self.concurrency.busy()
    }

    /// A function's current in-flight count.
    pub fn function_in_flight(&self, function: &str) -> Option<u32> {
        self.function_index(function)
            .map(|f| self.functions[f as usize].pool().busy().0)
    }

    /// Messages of a queue (visible ones), for tests and the console.
    pub fn queue_messages(&self, queue: &str) -> Vec<crate::sqs::Message> {
        self.host
            .borrow()
            .queues
            .get(queue)
            .map(|q| q.visible_messages().cloned().collect())
            .unwrap_or_default()
    }

    /// A table's item by key, as JSON.
    pub fn table_item(&self, table: &str, pk: &str) -> Option<serde_json::Value> {
        self.host
            .borrow()
            .services
            .table(table)?
            .item(pk)
            .and_then(|v| serde_json::from_str(v).ok())
    }
}

fn env_view(e: &Environment, now: Micros) -> EnvView {
    let state = e.state_at(now);
    EnvView {
        id: e.id,
        state,
        provisioned: e.provisioned,
        invocations: e.invocations,
        age_us: now - e.created_us,
        idle_for_us: (state == EnvState::Idle).then(|| now - e.idle_since_us),
        needs_init: e.needs_init,
        tmp_used_bytes: e.tmp_used_bytes,
        open_connections: e.open_connections,
        function_version: crate::model::FunctionVersion(e.function_version),
    }
}

impl Simulation {
    /// The whole account's bill so far as one month after the free tier (see
    /// [`crate::billing::PriceTable::cost_after_free_tier_usd`]); the per-function costs are before it.
    pub fn cost_after_free_tier_usd(&self) -> f64 {
        let (mut requests, mut x86, mut arm) = (0, 0.0, 0.0);
        for f in &self.functions {
            requests += f.bill().requests;
            match f.config().architecture {
                Architecture::X86_64 => x86 += f.bill().gb_seconds(),
                Architecture::Arm64 => arm += f.bill().gb_seconds(),
            }
        }
        self.prices.cost_after_free_tier_usd(requests, x86, arm)
    }
}
