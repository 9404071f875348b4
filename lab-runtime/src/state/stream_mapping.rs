//! A stream mapping's configuration and state: its source (Kinesis or DynamoDB Streams), shards,
//! lanes and records, and the pure functions over them (ARNs, partition keys to lanes)
//! (docs/lambda-behaviour.md §2.14–§2.21). Polling and checkpoints are in `crate::esm_stream`.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::SEC;
use crate::model::RequestId;
use crate::state::versions::QualifierRef;
use crate::Micros;

/// Which service a stream mapping reads (docs/lambda-behaviour.md §2.14).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum StreamSource {
    /// A Kinesis data stream: records carry base64 `data` and a partition key.
    #[default]
    Kinesis,
    /// A DynamoDB table's stream: records carry the item (`dynamodb.NewImage`, `Keys`) and an
    /// `eventName`.
    DynamoDb,
}

impl StreamSource {
    /// The read actions the execution role needs on the stream, as AWS's message lists them
    /// (docs/lambda-behaviour.md §2.12).
    pub fn read_actions(self) -> [&'static str; 4] {
        match self {
            StreamSource::Kinesis => [
                "GetRecords",
                "GetShardIterator",
                "DescribeStream",
                "ListShards",
            ],
            StreamSource::DynamoDb => [
                "GetRecords",
                "GetShardIterator",
                "DescribeStream",
                "ListStreams",
            ],
        }
    }

    pub(crate) fn service(self) -> &'static str {
        match self {
            StreamSource::Kinesis => "kinesis",
            StreamSource::DynamoDb => "dynamodb",
        }
    }
}

/// `CreateEventSourceMapping` for a stream, which the mapping holds: its shards and records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct StreamMappingConfig {
    /// Stream name (for `dynamodb`, the table whose stream it is).
    pub stream: String,
    /// `kinesis` (default) or `dynamodb`.
    pub source: StreamSource,
    /// DynamoDB: the key attributes of the table (`dynamodb.Keys`; default `["pk"]`).
    pub key_attributes: Vec<String>,
    /// Function name, or `name:qualifier` / a qualified ARN: the mapping then invokes that
    /// version or alias (docs/lambda-behaviour.md §10.8).
    pub function: String,
    /// `BatchSize` (default 100, max 10,000).
    pub batch_size: u32,
    /// `MaximumRetryAttempts` −1 (infinite, default) to 10,000.
    pub maximum_retry_attempts: i64,
    /// `MaximumRecordAgeInSeconds` −1 (infinite, default) to 604,800.
    pub maximum_record_age_s: i64,
    /// `BisectBatchOnFunctionError`.
    pub bisect_batch_on_function_error: bool,
    /// On-failure destination (a queue name, `sns:TOPIC` or an ARN): receives metadata, not the
    /// records (docs/lambda-behaviour.md §1.13).
    pub on_failure: Option<String>,
    /// `ParallelizationFactor` 1 (default) to 10: concurrent batches per shard.
    pub parallelization_factor: u32,
    /// Shards of the stream, 1 (default) to 100: each is read in order, the shards in parallel
    /// (docs/lambda-behaviour.md §2.18).
    pub shards: u32,
    /// `StartingPosition`: which records the mapping reads (docs/lambda-behaviour.md §2.19).
    pub starting_position: StartingPosition,
    /// `StartingPositionTimestamp` (`AT_TIMESTAMP`), in seconds of the scenario's clock.
    pub starting_position_timestamp_s: Option<u64>,
    /// When the mapping is created, in seconds (default 0): records written before are already
    /// in the stream, and `starting_position` decides whether it reads them.
    pub created_at_s: u64,
    /// `MaximumBatchingWindowInSeconds` 0 (default) to 300: how long to gather records before
    /// invoking with less than a full batch (docs/lambda-behaviour.md §2.20).
    pub maximum_batching_window_s: u32,
    /// `FunctionResponseTypes = ["ReportBatchItemFailures"]`: the handler's
    /// `batchItemFailures` name the records to retry from (docs/lambda-behaviour.md §2.21).
    pub report_batch_item_failures: bool,
}

/// `StartingPosition` of a stream mapping (docs/lambda-behaviour.md §2.19).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StartingPosition {
    /// Every record in the stream, the oldest first.
    #[default]
    TrimHorizon,
    /// Only records written after the mapping was created.
    Latest,
    /// Records written at or after `starting_position_timestamp_s` (Kinesis only).
    AtTimestamp,
}

impl Default for StreamMappingConfig {
    fn default() -> Self {
        Self {
            stream: String::new(),
            source: StreamSource::Kinesis,
            key_attributes: Vec::new(),
            function: String::new(),
            batch_size: 100,
            maximum_retry_attempts: -1,
            maximum_record_age_s: -1,
            bisect_batch_on_function_error: false,
            on_failure: None,
            parallelization_factor: 1,
            shards: 1,
            starting_position: StartingPosition::TrimHorizon,
            starting_position_timestamp_s: None,
            created_at_s: 0,
            maximum_batching_window_s: 0,
            report_batch_item_failures: false,
        }
    }
}

impl StreamMappingConfig {
    /// The first arrival time the mapping reads: records written before it are skipped
    /// (docs/lambda-behaviour.md §2.19).
    pub fn start_us(&self) -> Micros {
        match self.starting_position {
            StartingPosition::TrimHorizon => 0,
            StartingPosition::Latest => self.created_at_s.saturating_mul(SEC),
            StartingPosition::AtTimestamp => self
                .starting_position_timestamp_s
                .unwrap_or(0)
                .saturating_mul(SEC),
        }
    }
}

/// A record in the shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamRecord {
    /// Sequence number.
    pub seq: u64,
    /// Data.
    pub data: Arc<str>,
    /// Partition key: records with the same key are processed in order.
    pub partition_key: Arc<str>,
    /// When it was written.
    pub arrival_us: Micros,
}

/// Delay before retrying a failed batch.
pub const STREAM_RETRY_DELAY: Micros = SEC;

/// One of a shard's `ParallelizationFactor` lanes: its records in order, and the batch state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    /// Records not yet processed, in order.
    pub records: VecDeque<StreamRecord>,
    /// A batch is in flight.
    pub busy: bool,
    /// Retries of the current batch.
    pub retries: u32,
    /// Current batch size cap after bisecting.
    pub bisect_cap: Option<usize>,
    pub(crate) poll_pending: bool,
    /// The last failed invocation of the current batch: (request, function error, the version
    /// that ran).
    #[serde(skip)]
    pub(crate) last_failure: Option<(RequestId, bool, u32)>,
}

/// A stream mapping and its shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamMapping {
    /// Configuration.
    pub config: StreamMappingConfig,
    /// Function index.
    pub function: u32,
    /// The version or alias it invokes (docs/lambda-behaviour.md §10.8).
    #[serde(default)]
    pub qualifier: QualifierRef,
    /// The shard's records split by partition key into `ParallelizationFactor` lanes.
    pub lanes: Vec<Lane>,
    /// Records processed successfully.
    pub processed: u64,
    /// Records discarded (retries exhausted or too old), sent as metadata to on-failure.
    pub discarded: u64,
    /// Latest IteratorAge (ms).
    pub iterator_age_ms: u64,
    /// Records the starting position skipped (docs/lambda-behaviour.md §2.19).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    pub skipped: u64,
    pub(crate) next_seq: u64,
}

impl StreamMapping {
    /// Records waiting in the shard (all lanes).
    pub fn pending(&self) -> usize {
        self.lanes.iter().map(|l| l.records.len()).sum()
    }

    /// Batches in flight.
    pub fn in_flight(&self) -> usize {
        self.lanes.iter().filter(|l| l.busy).count()
    }

    /// When the mapping was created (`created_at_s`): it reads nothing before.
    pub fn created_us(&self) -> Micros {
        self.config.created_at_s.saturating_mul(SEC)
    }
}

/// The ARN of a mapping's stream (a DynamoDB stream's label is fixed: the simulated table's stream
/// exists from the start).
pub fn stream_arn(c: &StreamMappingConfig, region: &str, account: &str) -> String {
    match c.source {
        StreamSource::Kinesis => format!("arn:aws:kinesis:{region}:{account}:stream/{}", c.stream),
        StreamSource::DynamoDb => format!(
            "arn:aws:dynamodb:{region}:{account}:table/{}/stream/2024-01-01T00:00:00.000",
            c.stream
        ),
    }
}

/// The lane of a partition key: a stable hash, so one key always maps to one lane.
pub fn lane_of(partition_key: &str, lanes: usize) -> usize {
    (deterministic::fnv1a(partition_key.as_bytes()) % lanes.max(1) as u64) as usize
}

/// The shard of a partition key among `shards`, and its lane among the shard's `per_shard`
/// (`ParallelizationFactor`) lanes, as one index `shard * per_shard + lane`: one key always in
/// one shard and one lane (docs/lambda-behaviour.md §2.18).
pub fn shard_lane_of(partition_key: &str, shards: usize, per_shard: usize) -> usize {
    let h = deterministic::fnv1a(partition_key.as_bytes());
    let (shards, per_shard) = (shards.max(1) as u64, per_shard.max(1) as u64);
    ((h % shards) * per_shard + (h / shards) % per_shard) as usize
}
