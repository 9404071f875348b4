//! A Kinesis / DynamoDB stream mapping and its shards (read in parallel, each in order): in-order
//! batches, blocking retry,
//! MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError, IteratorAge, and
//! ParallelizationFactor: up to 10 batches of one shard at a time, records of one partition key
//! always in the same lane, so in order (docs/lambda-behaviour.md §2.7–§2.10, §8.4; the order
//! per partition key: AWS Compute Blog,
//! <https://aws.amazon.com/blogs/compute/new-aws-lambda-scaling-controls-for-kinesis-and-dynamodb-event-sources/>);
//! shards, starting position, batching window and partial batch responses: §2.18–§2.21.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::{Micros, SEC};
use crate::config::check_range;
use crate::error::ApiError;
use crate::invoke::{InFlight, Source};
use crate::logs::RequestId;
use crate::model::{Outcome, Trigger};
use crate::sim::{Ev, Simulation};
use crate::timefmt::iso8601;
use crate::versions::QualifierRef;

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

    fn service(self) -> &'static str {
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
    poll_pending: bool,
    /// The last failed invocation of the current batch: (request, function error, the version
    /// that ran).
    #[serde(skip)]
    last_failure: Option<(RequestId, bool, u32)>,
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
    next_seq: u64,
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

/// One record of the event a stream mapping sends, as JSON text (docs/lambda-behaviour.md §2.14):
/// Kinesis with its `data` in base64; DynamoDB Streams with the item as `dynamodb.NewImage` in
/// DynamoDB's typed JSON, its `Keys`, and `eventName` `INSERT`. (Written as text, not with
/// `serde_json::json!`: the macro's code measured several KB in the lab page's wasm.)
pub fn stream_event_record(
    config: &StreamMappingConfig,
    r: &StreamRecord,
    region: &str,
    stream_arn: &str,
    shard: usize,
) -> String {
    let (region, arn) = (js(region), js(stream_arn));
    let seq = r.seq;
    match config.source {
        StreamSource::Kinesis => format!(
            r#"{{"kinesis":{{"kinesisSchemaVersion":"1.0","partitionKey":{},"sequenceNumber":"{seq}","data":"{}","approximateArrivalTimestamp":{}}},"eventSource":"aws:kinesis","eventVersion":"1.0","eventID":"shardId-{shard:012}:{seq}","eventName":"aws:kinesis:record","awsRegion":{region},"eventSourceARN":{arn}}}"#,
            js(&r.partition_key),
            crate::b64::encode(r.data.as_bytes()),
            r.arrival_us as f64 / 1e6,
        ),
        StreamSource::DynamoDb => {
            let item: serde_json::Value = serde_json::from_str(&r.data)
                .unwrap_or_else(|_| serde_json::Value::String(r.data.to_string()));
            let fields: Vec<(String, String)> = match &item {
                serde_json::Value::Object(o) => {
                    o.iter().map(|(k, v)| (k.clone(), typed(v))).collect()
                }
                other => vec![("value".into(), typed(other))],
            };
            let obj = |keep: &dyn Fn(&str) -> bool| {
                let parts: Vec<String> = fields
                    .iter()
                    .filter(|(k, _)| keep(k))
                    .map(|(k, v)| format!("{}:{v}", js(k)))
                    .collect();
                format!("{{{}}}", parts.join(","))
            };
            let keys = obj(&|k| config.key_attributes.iter().any(|a| a == k));
            let image = obj(&|_| true);
            format!(
                r#"{{"eventID":"{:032x}","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":{region},"dynamodb":{{"ApproximateCreationDateTime":{},"Keys":{keys},"NewImage":{image},"SequenceNumber":"{seq}","SizeBytes":{},"StreamViewType":"NEW_AND_OLD_IMAGES"}},"eventSourceARN":{arn}}}"#,
                deterministic::mix64(seq),
                r.arrival_us / 1_000_000,
                r.data.len(),
            )
        }
    }
}

/// A JSON string literal.
pub(crate) fn js(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// A value in DynamoDB's typed JSON (`{"S": ...}`, `{"N": "..."}`, `{"BOOL": ...}`,
/// `{"NULL": true}`, `{"L": [...]}`, `{"M": {...}}`), as text.
fn typed(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::String(s) => format!(r#"{{"S":{}}}"#, js(s)),
        Value::Number(n) => format!(r#"{{"N":"{n}"}}"#),
        Value::Bool(b) => format!(r#"{{"BOOL":{b}}}"#),
        Value::Null => r#"{"NULL":true}"#.to_string(),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(typed).collect();
            format!(r#"{{"L":[{}]}}"#, parts.join(","))
        }
        Value::Object(o) => {
            let parts: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("{}:{}", js(k), typed(v)))
                .collect();
            format!(r#"{{"M":{{{}}}}}"#, parts.join(","))
        }
    }
}

/// The lane of a partition key: a stable hash, so one key always maps to one lane.
pub fn lane_of(partition_key: &str, lanes: usize) -> usize {
    (crate::report::fnv1a(partition_key.as_bytes()) % lanes.max(1) as u64) as usize
}

/// The shard of a partition key among `shards`, and its lane among the shard's `per_shard`
/// (`ParallelizationFactor`) lanes, as one index `shard * per_shard + lane`: one key always in
/// one shard and one lane (docs/lambda-behaviour.md §2.18).
pub fn shard_lane_of(partition_key: &str, shards: usize, per_shard: usize) -> usize {
    let h = crate::report::fnv1a(partition_key.as_bytes());
    let (shards, per_shard) = (shards.max(1) as u64, per_shard.max(1) as u64);
    ((h % shards) * per_shard + (h / shards) % per_shard) as usize
}

impl Simulation {
    /// Creates a stream mapping (the stream is created with it); returns its index.
    pub fn create_stream_mapping(&mut self, config: StreamMappingConfig) -> Result<u32, ApiError> {
        check_range("batchSize", config.batch_size as i64, 1, 10_000)?;
        check_range(
            "maximumRetryAttempts",
            config.maximum_retry_attempts,
            -1,
            10_000,
        )?;
        check_range(
            "maximumRecordAgeInSeconds",
            config.maximum_record_age_s,
            -1,
            604_800,
        )?;
        check_range(
            "parallelizationFactor",
            config.parallelization_factor as i64,
            1,
            10,
        )?;
        check_range("shards", config.shards as i64, 1, 100)?;
        check_range(
            "maximumBatchingWindowInSeconds",
            config.maximum_batching_window_s as i64,
            0,
            300,
        )?;
        match (config.starting_position, config.starting_position_timestamp_s) {
            (StartingPosition::AtTimestamp, _) if config.source == StreamSource::DynamoDb => {
                return Err(ApiError::invalid(
                    "Unsupported starting position for DynamoDB streams: AT_TIMESTAMP (use TRIM_HORIZON or LATEST)",
                ))
            }
            (StartingPosition::AtTimestamp, None) => {
                return Err(ApiError::invalid(
                    "StartingPositionTimestamp must be set for starting position AT_TIMESTAMP",
                ))
            }
            (StartingPosition::AtTimestamp, Some(_)) => {}
            (_, Some(_)) => {
                return Err(ApiError::invalid(
                    "StartingPositionTimestamp is only valid with starting position AT_TIMESTAMP",
                ))
            }
            _ => {}
        }
        if let Some(d) = &config.on_failure {
            // docs/lambda-behaviour.md §1.13: a queue or a topic
            crate::destination::validate(d, crate::destination::Sent::StreamFailure)?;
        }
        let (name, qualifier) = crate::versions::split_function_name(&config.function);
        let f = self
            .function_index(name)
            .ok_or_else(|| ApiError::not_found(&config.function))?;
        // docs/lambda-behaviour.md §10.8: a qualified function name invokes that version or alias
        let qualifier = self.lookup_qualifier(f, qualifier)?;
        let version = self.functions[f as usize].version_of(qualifier);
        // docs/lambda-behaviour.md §2.12: the execution role must be able to read the stream
        let mut config = config;
        if config.source == StreamSource::DynamoDb && config.key_attributes.is_empty() {
            config.key_attributes = vec!["pk".into()];
        }
        let arn = stream_arn(&config, &self.account.region, &self.account.id);
        let role = &self.functions[f as usize].identity_for(version).role;
        let service = config.source.service();
        let actions = config.source.read_actions();
        if actions
            .iter()
            .any(|a| role.allows(&format!("{service}:{a}"), &arn) != crate::iam::Decision::Allow)
        {
            let [a, b, c, d] = actions;
            return Err(ApiError::invalid(format!(
                "Cannot access stream {arn}. Please ensure the role can perform the {a}, {b}, {c}, and {d} Actions on your stream in IAM."
            )));
        }
        let lanes = vec![Lane::default(); (config.parallelization_factor * config.shards) as usize];
        self.stream_mappings.push(StreamMapping {
            config,
            function: f,
            qualifier,
            lanes,
            processed: 0,
            discarded: 0,
            iterator_age_ms: 0,
            skipped: 0,
            next_seq: 0,
        });
        Ok((self.stream_mappings.len() - 1) as u32)
    }

    /// Writes records to a mapping's stream. Each record's data is also its partition key.
    pub fn put_records(&mut self, stream: &str, records: &[String]) -> Result<(), ApiError> {
        self.put_records_with_keys(stream, records, &[])
    }

    /// Writes records with partition keys (`partition_keys[i]` for `records[i]`; a record without
    /// one uses its data as its key). Records of one key stay in order under
    /// `ParallelizationFactor` (docs/lambda-behaviour.md §2.10; the order per key: AWS Compute Blog,
    /// <https://aws.amazon.com/blogs/compute/new-aws-lambda-scaling-controls-for-kinesis-and-dynamodb-event-sources/>).
    pub fn put_records_with_keys(
        &mut self,
        stream: &str,
        records: &[String],
        partition_keys: &[String],
    ) -> Result<(), ApiError> {
        let m = self
            .stream_mappings
            .iter()
            .position(|s| s.config.stream == stream)
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceNotFoundException",
                    400,
                    format!("Stream {stream} not found"),
                )
            })?;
        let now = self.now;
        let sm = &mut self.stream_mappings[m];
        let n = sm.lanes.len();
        let (shards, per_shard) = (
            sm.config.shards as usize,
            sm.config.parallelization_factor as usize,
        );
        let start = sm.config.start_us();
        for (i, r) in records.iter().enumerate() {
            sm.next_seq += 1;
            if now < start {
                // before the starting position: in the stream, never read by this mapping
                sm.skipped += 1;
                continue;
            }
            let key: Arc<str> = partition_keys.get(i).unwrap_or(r).as_str().into();
            let lane = shard_lane_of(&key, shards, per_shard);
            sm.lanes[lane].records.push_back(StreamRecord {
                seq: sm.next_seq,
                data: r.as_str().into(),
                partition_key: key,
                arrival_us: now,
            });
        }
        let created = self.stream_mappings[m].created_us();
        let full = self.stream_mappings[m].config.batch_size as usize;
        for lane in 0..n {
            let l = &mut self.stream_mappings[m].lanes[lane];
            if l.poll_pending && !l.busy && l.records.len() >= full && now >= created {
                // a full batch ends a batching window at once (docs/lambda-behaviour.md §2.20)
                l.poll_pending = false;
            }
            self.kick_stream(m as u32, lane as u32, now.max(created));
        }
        Ok(())
    }

    fn kick_stream(&mut self, m: u32, lane: u32, at: Micros) {
        let l = &mut self.stream_mappings[m as usize].lanes[lane as usize];
        if !l.poll_pending && !l.busy && !l.records.is_empty() {
            l.poll_pending = true;
            self.schedule(at, Ev::StreamPoll(m, lane));
        }
    }

    /// The stream's ARN.
    fn stream_arn(&self, m: usize) -> String {
        stream_arn(
            &self.stream_mappings[m].config,
            &self.account.region,
            &self.account.id,
        )
    }

    /// Drops the first `n` records of a lane for good and sends the on-failure record
    /// (docs/lambda-behaviour.md §2.11). `last` is the last invocation made with the batch (its
    /// request id, and whether it failed with a function error), if any was made.
    fn discard(
        &mut self,
        m: usize,
        lane: usize,
        n: usize,
        condition: &str,
        last: Option<(RequestId, bool, u32)>,
    ) {
        let stream_arn = self.stream_arn(m);
        let sm = &mut self.stream_mappings[m];
        let l = &mut sm.lanes[lane];
        let batch: Vec<StreamRecord> = l.records.drain(..n.min(l.records.len())).collect();
        if batch.is_empty() {
            return;
        }
        // the invocations made with this batch: one per failure counted in `retries`
        let invokes = l.retries;
        l.retries = 0;
        l.bisect_cap = None;
        l.last_failure = None;
        sm.discarded += batch.len() as u64;
        let f = sm.function;
        if let Some(dest) = sm.config.on_failure.clone() {
            let info_key = match sm.config.source {
                StreamSource::Kinesis => "KinesisBatchInfo",
                StreamSource::DynamoDb => "DDBStreamBatchInfo",
            };
            let fs = &self.functions[f as usize];
            let (request_id, response_context) = match last {
                Some((request, failed, version)) => (
                    format!(r#""requestId":"{request}","#),
                    format!(
                        r#""responseContext":{{"statusCode":200,"executedVersion":"{}"{}}},"#,
                        crate::model::FunctionVersion(version),
                        if failed {
                            r#","functionError":"Unhandled""#
                        } else {
                            ""
                        }
                    ),
                ),
                None => (String::new(), String::new()),
            };
            let (first, last_rec) = (&batch[0], &batch[batch.len() - 1]);
            let shard = lane / sm.config.parallelization_factor.max(1) as usize;
            let meta = format!(
                r#"{{"requestContext":{{{request_id}"functionArn":{},"condition":"{condition}","approximateInvokeCount":{invokes}}},{response_context}"version":"1.0","timestamp":"{}","{info_key}":{{"shardId":"shardId-{shard:012}","startSequenceNumber":"{}","endSequenceNumber":"{}","approximateArrivalOfFirstRecord":"{}","approximateArrivalOfLastRecord":"{}","batchSize":{},"streamArn":{}}}}}"#,
                // the mapping's function: qualified when it names a version or an alias
                js(&match sm.qualifier {
                    QualifierRef::Version(v) => fs.versions[v as usize - 1].arn.to_string(),
                    QualifierRef::Alias(i) => fs.aliases[i as usize].arn.to_string(),
                    _ => format!("{}:$LATEST", fs.arn),
                }),
                iso8601(self.now),
                first.seq,
                last_rec.seq,
                iso8601(first.arrival_us),
                iso8601(last_rec.arrival_us),
                batch.len(),
                js(&stream_arn),
            );
            if !self.deliver(
                f,
                &dest,
                meta,
                vec![],
                crate::destination::Sent::StreamFailure,
            ) {
                self.functions[f as usize]
                    .metrics
                    .at(self.now)
                    .destination_delivery_failures += 1;
            }
        }
    }

    pub(crate) fn stream_poll(&mut self, m: u32, lane: u32) {
        let (mi, li) = (m as usize, lane as usize);
        let now = self.now;
        let Some(l) = self
            .stream_mappings
            .get_mut(mi)
            .and_then(|sm| sm.lanes.get_mut(li))
        else {
            return;
        };
        l.poll_pending = false;
        if l.busy {
            return;
        }
        // records older than MaximumRecordAgeInSeconds are skipped
        let max_age = self.stream_mappings[mi].config.maximum_record_age_s;
        if max_age >= 0 {
            let limit = max_age as u64 * SEC;
            let old = self.stream_mappings[mi].lanes[li]
                .records
                .iter()
                .take_while(|r| now - r.arrival_us > limit)
                .count();
            if old > 0 {
                let last = self.stream_mappings[mi].lanes[li].last_failure;
                self.discard(mi, li, old, "RecordAgeExceeded", last);
            }
        }
        let sm = &self.stream_mappings[mi];
        let l = &sm.lanes[li];
        if l.records.is_empty() {
            return;
        }
        // IteratorAge: the oldest record still waiting in the shard (all lanes)
        let oldest = sm
            .lanes
            .iter()
            .filter_map(|l| l.records.front())
            .map(|r| r.arrival_us)
            .min()
            .unwrap_or(now);
        let age_ms = (now - oldest) / 1000;
        // the batching window: gather up to a full batch for at most the window, counted from
        // the oldest waiting record's arrival; a retry does not wait (docs/lambda-behaviour.md §2.20)
        let window = sm.config.maximum_batching_window_s as u64 * SEC;
        if window > 0 && l.retries == 0 && l.bisect_cap.is_none() {
            let until = l
                .records
                .front()
                .map_or(now, |r| r.arrival_us.max(sm.created_us()))
                + window;
            if l.records.len() < sm.config.batch_size as usize && now < until {
                self.stream_mappings[mi].lanes[li].poll_pending = true;
                self.schedule(until, Ev::StreamPoll(m, lane));
                return;
            }
        }
        let n = (sm.config.batch_size as usize)
            .min(l.bisect_cap.unwrap_or(usize::MAX))
            .min(l.records.len());
        let shard = li / sm.config.parallelization_factor.max(1) as usize;
        let arn = self.stream_arn(mi);
        let sm = &self.stream_mappings[mi];
        let l = &sm.lanes[li];
        let region = &self.account.region;
        let records: Vec<String> = l
            .records
            .iter()
            .take(n)
            .map(|r| stream_event_record(&sm.config, r, region, &arn, shard))
            .collect();
        let payload: Arc<str> = format!(r#"{{"Records":[{}]}}"#, records.join(",")).into();
        let f = sm.function;
        let attempt = l.retries + 1;
        self.stream_mappings[mi].iterator_age_ms = age_ms;
        {
            let b = self.functions[f as usize].metrics.at(now);
            b.iterator_age_ms = b.iterator_age_ms.max(age_ms);
        }
        let request = RequestId(self.next_id());
        let Ok(target) = self.resolve_ref(f, self.stream_mappings[mi].qualifier) else {
            // the alias or version was deleted: the batch waits, as for a throttle
            // (docs/lambda-behaviour.md §10.8)
            self.stream_mappings[mi].lanes[li].poll_pending = true;
            self.schedule(now + STREAM_RETRY_DELAY, Ev::StreamPoll(m, lane));
            return;
        };
        match self.try_start(
            f,
            target,
            Trigger::Stream,
            Source::Stream {
                mapping: m,
                lane,
                count: n,
            },
            &payload,
            request,
            attempt,
        ) {
            Ok(()) => self.stream_mappings[mi].lanes[li].busy = true,
            Err(_) => {
                self.stream_mappings[mi].lanes[li].poll_pending = true;
                self.schedule(now + STREAM_RETRY_DELAY, Ev::StreamPoll(m, lane));
            }
        }
    }

    #[inline(never)] // off the hot path of sync and async invocations: keeps `complete` small
    pub(crate) fn stream_complete(&mut self, m: u32, lane: u32, count: usize, inf: &InFlight) {
        let (mi, li) = (m as usize, lane as usize);
        let now = self.now;
        let sm = &mut self.stream_mappings[mi];
        let l = &mut sm.lanes[li];
        l.busy = false;
        let count = count.min(l.records.len());
        // docs/lambda-behaviour.md §2.21: with ReportBatchItemFailures, a successful invocation
        // may name the records to retry from; a malformed answer fails the whole batch
        let checkpoint = match (
            inf.outcome == Outcome::Success,
            sm.config.report_batch_item_failures,
        ) {
            (false, _) => Err(()),
            (true, false) => Ok(None),
            (true, true) => checkpoint(l.records.iter().take(count), inf),
        };
        let failed = match checkpoint {
            Ok(None) => {
                l.records.drain(..count);
                l.retries = 0;
                l.last_failure = None;
                l.bisect_cap = None;
                sm.processed += count as u64;
                self.kick_stream(m, lane, now);
                return;
            }
            Ok(Some(k)) => {
                // the records before the lowest failed one are done; retry from it
                l.records.drain(..k);
                sm.processed += k as u64;
                l.bisect_cap = None;
                l.last_failure = Some((inf.request, false, inf.target.version));
                l.retries += 1;
                count - k
            }
            Err(()) => {
                l.last_failure = Some((inf.request, inf.error.is_some(), inf.target.version));
                if sm.config.bisect_batch_on_function_error && count > 1 {
                    // splits do not count as retries (docs/lambda-behaviour.md §2.9)
                    l.bisect_cap = Some(count / 2);
                    self.kick_stream(m, lane, now + STREAM_RETRY_DELAY);
                    return;
                }
                l.retries += 1;
                count
            }
        };
        let max = sm.config.maximum_retry_attempts;
        if max >= 0 && l.retries as i64 > max {
            let last = l.last_failure;
            self.discard(mi, li, failed, "RetryAttemptsExhausted", last);
            self.kick_stream(m, lane, now);
            return;
        }
        self.kick_stream(m, lane, now + STREAM_RETRY_DELAY);
    }
}

/// A partial batch response on a stream (docs/lambda-behaviour.md §2.21): `Ok(None)` when it
/// reports no failure (no list, an empty list), `Ok(Some(i))` with the index in the batch of the
/// lowest sequence number reported, `Err(())` (the whole batch failed) when an entry has no
/// `itemIdentifier` (the script host keeps it as ""), an empty one, or one that is no sequence
/// number of the batch.
fn checkpoint<'a>(
    batch: impl Iterator<Item = &'a StreamRecord>,
    inf: &InFlight,
) -> Result<Option<usize>, ()> {
    let Some(ids) = inf.batch_failures.as_deref() else {
        return Ok(None);
    };
    if ids.is_empty() {
        return Ok(None);
    }
    let seqs: Vec<String> = batch.map(|r| r.seq.to_string()).collect();
    let mut lowest = usize::MAX;
    for id in ids {
        let i = seqs.iter().position(|s| s == id).ok_or(())?;
        lowest = lowest.min(i);
    }
    Ok(Some(lowest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(data: &str) -> StreamRecord {
        StreamRecord {
            seq: 7,
            data: data.into(),
            partition_key: "k".into(),
            arrival_us: 2_000_000,
        }
    }

    #[test]
    fn kinesis_data_is_base64_and_dynamodb_items_are_typed() {
        // docs/lambda-behaviour.md §2.14
        let k = StreamMappingConfig::default();
        let r: serde_json::Value = serde_json::from_str(&stream_event_record(
            &k,
            &record("hi"),
            "us-east-1",
            "arn:k",
            2,
        ))
        .unwrap();
        assert_eq!(r["kinesis"]["data"], "aGk=");
        assert_eq!(r["kinesis"]["sequenceNumber"], "7");
        // docs/lambda-behaviour.md §2.18: the shard in the event id
        assert_eq!(r["eventID"], "shardId-000000000002:7");
        let d = StreamMappingConfig {
            source: StreamSource::DynamoDb,
            key_attributes: vec!["pk".into(), "sk".into()],
            ..Default::default()
        };
        let item = r#"{"pk":"a","sk":2,"tags":["x"],"m":{"ok":true,"n":null}}"#;
        let r: serde_json::Value = serde_json::from_str(&stream_event_record(
            &d,
            &record(item),
            "us-east-1",
            "arn:d",
            0,
        ))
        .unwrap();
        assert_eq!(
            r["dynamodb"]["Keys"],
            serde_json::json!({"pk": {"S": "a"}, "sk": {"N": "2"}})
        );
        assert_eq!(
            r["dynamodb"]["NewImage"]["tags"],
            serde_json::json!({"L": [{"S": "x"}]})
        );
        assert_eq!(
            r["dynamodb"]["NewImage"]["m"],
            serde_json::json!({"M": {"ok": {"BOOL": true}, "n": {"NULL": true}}})
        );
        assert_eq!(r["eventName"], "INSERT");
        assert_eq!(r["eventSourceARN"], "arn:d");
    }
}
