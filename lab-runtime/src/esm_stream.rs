//! A Kinesis / DynamoDB stream shard mapping: in-order batches, blocking retry,
//! MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError, IteratorAge, and
//! ParallelizationFactor: up to 10 batches of one shard at a time, records of one partition key
//! always in the same lane, so in order (docs/lambda-behaviour.md §2.7–§2.10, §8.4; the order
//! per partition key: AWS Compute Blog,
//! <https://aws.amazon.com/blogs/compute/new-aws-lambda-scaling-controls-for-kinesis-and-dynamodb-event-sources/>).

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

/// `CreateEventSourceMapping` for a stream (one shard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct StreamMappingConfig {
    /// Stream name.
    pub stream: String,
    /// Function name.
    pub function: String,
    /// `BatchSize` (default 100, max 10,000).
    pub batch_size: u32,
    /// `MaximumRetryAttempts` −1 (infinite, default) to 10,000.
    pub maximum_retry_attempts: i64,
    /// `MaximumRecordAgeInSeconds` −1 (infinite, default) to 604,800.
    pub maximum_record_age_s: i64,
    /// `BisectBatchOnFunctionError`.
    pub bisect_batch_on_function_error: bool,
    /// On-failure destination (queue name): receives metadata, not the records.
    pub on_failure: Option<String>,
    /// `ParallelizationFactor` 1 (default) to 10: concurrent batches per shard.
    pub parallelization_factor: u32,
}

impl Default for StreamMappingConfig {
    fn default() -> Self {
        Self {
            stream: String::new(),
            function: String::new(),
            batch_size: 100,
            maximum_retry_attempts: -1,
            maximum_record_age_s: -1,
            bisect_batch_on_function_error: false,
            on_failure: None,
            parallelization_factor: 1,
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
}

/// A stream mapping and its shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamMapping {
    /// Configuration.
    pub config: StreamMappingConfig,
    /// Function index.
    pub function: u32,
    /// The shard's records split by partition key into `ParallelizationFactor` lanes.
    pub lanes: Vec<Lane>,
    /// Records processed successfully.
    pub processed: u64,
    /// Records discarded (retries exhausted or too old), sent as metadata to on-failure.
    pub discarded: u64,
    /// Latest IteratorAge (ms).
    pub iterator_age_ms: u64,
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
}

/// The lane of a partition key: a stable hash, so one key always maps to one lane.
pub fn lane_of(partition_key: &str, lanes: usize) -> usize {
    (crate::report::fnv1a(partition_key.as_bytes()) % lanes.max(1) as u64) as usize
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
        let f = self
            .function_index(&config.function)
            .ok_or_else(|| ApiError::not_found(&config.function))?;
        let lanes = vec![Lane::default(); config.parallelization_factor as usize];
        self.stream_mappings.push(StreamMapping {
            config,
            function: f,
            lanes,
            processed: 0,
            discarded: 0,
            iterator_age_ms: 0,
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
        for (i, r) in records.iter().enumerate() {
            sm.next_seq += 1;
            let key: Arc<str> = partition_keys.get(i).unwrap_or(r).as_str().into();
            let lane = lane_of(&key, n);
            sm.lanes[lane].records.push_back(StreamRecord {
                seq: sm.next_seq,
                data: r.as_str().into(),
                partition_key: key,
                arrival_us: now,
            });
        }
        for lane in 0..n {
            self.kick_stream(m as u32, lane as u32, now);
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

    fn discard(&mut self, m: usize, lane: usize, n: usize, condition: &str) {
        let sm = &mut self.stream_mappings[m];
        let l = &mut sm.lanes[lane];
        let batch: Vec<StreamRecord> = l.records.drain(..n.min(l.records.len())).collect();
        if batch.is_empty() {
            return;
        }
        let invokes = l.retries + 1;
        l.retries = 0;
        l.bisect_cap = None;
        sm.discarded += batch.len() as u64;
        let f = sm.function;
        if let Some(dest) = sm.config.on_failure.clone() {
            let meta = serde_json::json!({
                "requestContext": {"condition": condition, "approximateInvokeCount": invokes},
                "KinesisBatchInfo": {
                    "shardId": "shardId-000000000000",
                    "startSequenceNumber": batch[0].seq.to_string(),
                    "endSequenceNumber": batch[batch.len() - 1].seq.to_string(),
                    "batchSize": batch.len(),
                    "streamArn": format!("arn:aws:kinesis:{}:{}:stream/{}", self.account.region, self.account.id, sm.config.stream),
                }
            });
            if !self.deliver(f, &dest, meta.to_string(), vec![]) {
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
                self.discard(mi, li, old, "RecordAgeExceeded");
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
        let n = (sm.config.batch_size as usize)
            .min(l.bisect_cap.unwrap_or(usize::MAX))
            .min(l.records.len());
        let records: Vec<serde_json::Value> = l
            .records
            .iter()
            .take(n)
            .map(|r| {
                serde_json::json!({"kinesis": {"sequenceNumber": r.seq.to_string(), "partitionKey": &*r.partition_key, "data": &*r.data},
                    "eventSource": "aws:kinesis", "eventID": format!("shardId-000000000000:{}", r.seq)})
            })
            .collect();
        let payload: Arc<str> = serde_json::json!({ "Records": records }).to_string().into();
        let f = sm.function;
        let attempt = l.retries + 1;
        self.stream_mappings[mi].iterator_age_ms = age_ms;
        {
            let b = self.functions[f as usize].metrics.at(now);
            b.iterator_age_ms = b.iterator_age_ms.max(age_ms);
        }
        let request = RequestId(self.next_id());
        match self.try_start(
            f,
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

    pub(crate) fn stream_complete(&mut self, m: u32, lane: u32, count: usize, inf: &InFlight) {
        let (mi, li) = (m as usize, lane as usize);
        let now = self.now;
        let sm = &mut self.stream_mappings[mi];
        let l = &mut sm.lanes[li];
        l.busy = false;
        if inf.outcome == Outcome::Success {
            l.records.drain(..count.min(l.records.len()));
            l.retries = 0;
            l.bisect_cap = None;
            sm.processed += count as u64;
            self.kick_stream(m, lane, now);
            return;
        }
        if sm.config.bisect_batch_on_function_error && count > 1 {
            // splits do not count as retries (docs/lambda-behaviour.md §2.9)
            l.bisect_cap = Some(count / 2);
        } else {
            l.retries += 1;
            let max = sm.config.maximum_retry_attempts;
            if max >= 0 && l.retries as i64 > max {
                self.discard(mi, li, count, "RetryAttemptsExhausted");
                self.kick_stream(m, lane, now);
                return;
            }
        }
        self.kick_stream(m, lane, now + STREAM_RETRY_DELAY);
    }
}
