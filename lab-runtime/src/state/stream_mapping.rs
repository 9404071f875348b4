//! A stream mapping's configuration and state: its source (Kinesis or DynamoDB Streams), shards,
//! lanes and records, the pure functions over them (ARNs, partition keys to lanes), and the rules
//! over that state: sequence numbers and the starting position, the next batch of a lane (batch
//! size, bisecting, the batching window, IteratorAge), checkpoints, retries and discards
//! (docs/lambda-behaviour.md §2.7–§2.21). `crate::esm_stream` builds the events, invokes, sends
//! the on-failure records and schedules the polls the mapping asks for.

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

/// The last failed invocation of a batch: (request, function error, the version that ran).
pub type FailedInvocation = (RequestId, bool, u32);

/// One of a shard's `ParallelizationFactor` lanes: its records in order, and the batch state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lane {
    /// Records not yet processed, in order.
    records: VecDeque<StreamRecord>,
    /// A batch is in flight.
    busy: bool,
    /// Retries of the current batch.
    retries: u32,
    /// Current batch size cap after bisecting.
    bisect_cap: Option<usize>,
    /// A `StreamPoll` event is scheduled for the lane.
    poll_pending: bool,
    /// The last failed invocation of the current batch.
    last_failure: Option<FailedInvocation>,
}

impl Lane {
    /// Records not yet processed, in order (the first ones are the batch in flight, if any).
    #[inline]
    pub fn records(&self) -> &VecDeque<StreamRecord> {
        &self.records
    }

    /// A batch is in flight.
    #[inline]
    pub fn busy(&self) -> bool {
        self.busy
    }

    /// Retries of the current batch.
    #[inline]
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// The batch size cap after bisecting (docs/lambda-behaviour.md §2.9).
    #[inline]
    pub fn bisect_cap(&self) -> Option<usize> {
        self.bisect_cap
    }

    /// The lane wants a poll: idle, with records, and none scheduled; it counts one as scheduled.
    #[inline]
    fn kick(&mut self) -> bool {
        if !self.poll_pending && !self.busy && !self.records.is_empty() {
            self.poll_pending = true;
            return true;
        }
        false
    }

    /// The current batch is done with (processed or discarded): its retries, split and last
    /// failure start again from nothing.
    #[inline]
    fn batch_over(&mut self) {
        self.retries = 0;
        self.bisect_cap = None;
        self.last_failure = None;
    }
}

/// What a poll of a lane comes to (docs/lambda-behaviour.md §2.7, §2.20).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Poll {
    /// Nothing to do: no records, or a batch in flight.
    Idle,
    /// The batching window is open: poll again at this time (the poll is counted as scheduled).
    WaitUntil(Micros),
    /// Invoke with the lane's first `count` records, as attempt `attempt`.
    Batch {
        /// Records in the batch.
        count: usize,
        /// 1 for the first invocation with the batch, then one more per retry.
        attempt: u32,
        /// `IteratorAge` now (ms): the oldest record waiting in the shard (all lanes).
        iterator_age_ms: u64,
    },
}

/// How an invocation with a lane's batch ended, as the engine read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchResult {
    /// The whole batch succeeded: checkpoint after it.
    Done,
    /// A partial batch response: the records before index `from` succeeded, retry from it
    /// (docs/lambda-behaviour.md §2.21).
    RetryFrom(usize, FailedInvocation),
    /// The whole batch failed.
    Failed(FailedInvocation),
}

/// What the engine does after a batch ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterBatch {
    /// Poll the lane again at this time (if it wants a poll: [`StreamMapping::kick`]).
    PollAt(Micros),
    /// The retries are exhausted: discard the lane's first `n` records
    /// ([`StreamMapping::discard`], `RetryAttemptsExhausted`), then poll it at once.
    Exhausted(usize),
}

/// A batch a mapping gave up on (docs/lambda-behaviour.md §2.11, §2.15): what its on-failure
/// record describes.
#[derive(Debug, Clone, PartialEq)]
pub struct Discarded {
    /// Its first record.
    pub first: StreamRecord,
    /// Its last record.
    pub last: StreamRecord,
    /// Records in it.
    pub len: usize,
    /// The invocations made with it: one per failure counted in its retries.
    pub invokes: u32,
    /// The last failed invocation with it, if any.
    pub last_failure: Option<FailedInvocation>,
}

/// A stream mapping and its shards.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamMapping {
    config: StreamMappingConfig,
    function: u32,
    /// The version or alias it invokes (docs/lambda-behaviour.md §10.8).
    qualifier: QualifierRef,
    /// The shards' records split by partition key into `ParallelizationFactor` lanes each.
    lanes: Vec<Lane>,
    /// Records processed successfully.
    processed: u64,
    /// Records discarded (retries exhausted or too old), sent as metadata to on-failure.
    discarded: u64,
    /// Latest IteratorAge (ms).
    iterator_age_ms: u64,
    /// Records the starting position skipped (docs/lambda-behaviour.md §2.19).
    skipped: u64,
    next_seq: u64,
}

impl StreamMapping {
    /// A new mapping, its shards empty: `ParallelizationFactor` lanes per shard
    /// (docs/lambda-behaviour.md §2.10, §2.18).
    pub fn new(config: StreamMappingConfig, function: u32, qualifier: QualifierRef) -> Self {
        let lanes = vec![Lane::default(); (config.parallelization_factor * config.shards) as usize];
        Self {
            config,
            function,
            qualifier,
            lanes,
            processed: 0,
            discarded: 0,
            iterator_age_ms: 0,
            skipped: 0,
            next_seq: 0,
        }
    }

    /// Its configuration.
    #[inline]
    pub fn config(&self) -> &StreamMappingConfig {
        &self.config
    }

    /// The function's index.
    #[inline]
    pub fn function(&self) -> u32 {
        self.function
    }

    /// The version or alias it invokes (docs/lambda-behaviour.md §10.8).
    #[inline]
    pub fn qualifier(&self) -> QualifierRef {
        self.qualifier
    }

    /// The lanes: `ParallelizationFactor` per shard, shard by shard.
    #[inline]
    pub fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    /// Records processed successfully.
    #[inline]
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Records discarded (retries exhausted or too old).
    #[inline]
    pub fn discarded(&self) -> u64 {
        self.discarded
    }

    /// The latest `IteratorAge` (ms, docs/lambda-behaviour.md §8.4).
    #[inline]
    pub fn iterator_age_ms(&self) -> u64 {
        self.iterator_age_ms
    }

    /// Records the starting position skipped (docs/lambda-behaviour.md §2.19).
    #[inline]
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

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

    /// The shard a lane belongs to (docs/lambda-behaviour.md §2.18).
    #[inline]
    pub fn shard_of(&self, lane: usize) -> usize {
        lane / self.config.parallelization_factor.max(1) as usize
    }

    /// A record written to the stream at `now` with its partition key: it takes the next
    /// sequence number and goes to its key's shard and lane (docs/lambda-behaviour.md §2.18), or,
    /// before the starting position, is skipped (§2.19).
    pub fn write(&mut self, now: Micros, data: &str, partition_key: &str) {
        self.next_seq += 1;
        if now < self.config.start_us() {
            // before the starting position: in the stream, never read by this mapping
            self.skipped += 1;
            return;
        }
        let key: Arc<str> = partition_key.into();
        let lane = shard_lane_of(
            &key,
            self.config.shards as usize,
            self.config.parallelization_factor as usize,
        );
        self.lanes[lane].records.push_back(StreamRecord {
            seq: self.next_seq,
            data: data.into(),
            partition_key: key,
            arrival_us: now,
        });
    }

    /// Records were written at `now`: a lane waiting out a batching window that now holds a full
    /// batch polls at once (docs/lambda-behaviour.md §2.20). Returns the time to poll the lane
    /// at, if it wants a poll (not before the mapping's creation).
    pub fn written(&mut self, lane: usize, now: Micros) -> Option<Micros> {
        let created = self.created_us();
        let full = self.config.batch_size as usize;
        let l = &mut self.lanes[lane];
        if l.poll_pending && !l.busy && l.records.len() >= full && now >= created {
            // a full batch ends a batching window at once
            l.poll_pending = false;
        }
        l.kick().then_some(now.max(created))
    }

    /// The lane wants a poll (idle, with records, none scheduled): true, and one counts as
    /// scheduled.
    #[inline]
    pub fn kick(&mut self, lane: usize) -> bool {
        self.lanes[lane].kick()
    }

    /// A scheduled poll of a lane comes due: false when the lane is busy (or does not exist).
    #[inline]
    pub fn poll_due(&mut self, lane: usize) -> bool {
        match self.lanes.get_mut(lane) {
            Some(l) => {
                l.poll_pending = false;
                !l.busy
            }
            None => false,
        }
    }

    /// The lane's first records older than `MaximumRecordAgeInSeconds` at `now`: they are
    /// skipped, to be discarded (docs/lambda-behaviour.md §2.8).
    #[inline]
    pub fn expired(&self, lane: usize, now: Micros) -> usize {
        let max_age = self.config.maximum_record_age_s;
        if max_age < 0 {
            return 0;
        }
        let limit = max_age as u64 * SEC;
        self.lanes[lane]
            .records
            .iter()
            .take_while(|r| now - r.arrival_us > limit)
            .count()
    }

    /// The oldest record waiting in the shard (all lanes) at `now`, in ms: `IteratorAge`
    /// (docs/lambda-behaviour.md §2.18, §8.4).
    #[inline]
    pub fn oldest_age_ms(&self, now: Micros) -> u64 {
        let oldest = self
            .lanes
            .iter()
            .filter_map(|l| l.records.front())
            .map(|r| r.arrival_us)
            .min()
            .unwrap_or(now);
        (now - oldest) / 1000
    }

    /// A poll of an idle lane at `now`: the next batch, or the batching window to wait out.
    /// A batch is up to `BatchSize` records, fewer after bisecting (docs/lambda-behaviour.md
    /// §2.9); the window gathers up to a full batch for at most `MaximumBatchingWindowInSeconds`,
    /// counted from the oldest waiting record's arrival (or the mapping's creation), and a retry
    /// does not wait (§2.20). A batch sets the mapping's `IteratorAge`.
    pub fn next_batch(&mut self, lane: usize, now: Micros) -> Poll {
        let created = self.created_us();
        let batch_size = self.config.batch_size as usize;
        let window = self.config.maximum_batching_window_s as u64 * SEC;
        let l = &self.lanes[lane];
        let Some(front) = l.records.front() else {
            return Poll::Idle;
        };
        let iterator_age_ms = self.oldest_age_ms(now);
        if window > 0 && l.retries == 0 && l.bisect_cap.is_none() {
            let until = front.arrival_us.max(created) + window;
            if l.records.len() < batch_size && now < until {
                self.lanes[lane].poll_pending = true;
                return Poll::WaitUntil(until);
            }
        }
        let count = batch_size
            .min(l.bisect_cap.unwrap_or(usize::MAX))
            .min(l.records.len());
        let attempt = l.retries + 1;
        self.iterator_age_ms = iterator_age_ms;
        Poll::Batch {
            count,
            attempt,
            iterator_age_ms,
        }
    }

    /// The batch of a lane started (its invocation runs).
    #[inline]
    pub fn batch_started(&mut self, lane: usize) {
        self.lanes[lane].busy = true;
    }

    /// The batch of a lane could not start at `now` (throttled, or the version or alias it
    /// names is gone, docs/lambda-behaviour.md §10.8): it waits and the lane polls again later.
    /// Returns that poll's time.
    #[inline]
    pub fn batch_not_started(&mut self, lane: usize, now: Micros) -> Micros {
        self.lanes[lane].poll_pending = true;
        now + STREAM_RETRY_DELAY
    }

    /// The invocation with a lane's first `count` records ended at `now` (`count` at most the
    /// records the lane holds: [`Lane::records`]). A success checkpoints after the batch; a
    /// partial batch response after the records before the lowest one reported, then retries
    /// from it (docs/lambda-behaviour.md §2.21); a failure retries the whole batch, blocking the
    /// lane (§2.7), or with `BisectBatchOnFunctionError` splits it in two without counting a
    /// retry (§2.9). Past `MaximumRetryAttempts` the failed records are to be discarded (§2.8).
    pub fn batch_ended(
        &mut self,
        lane: usize,
        count: usize,
        result: BatchResult,
        now: Micros,
    ) -> AfterBatch {
        let l = &mut self.lanes[lane];
        l.busy = false;
        let count = count.min(l.records.len());
        let failed = match result {
            BatchResult::Done => {
                l.records.drain(..count);
                l.batch_over();
                self.processed += count as u64;
                return AfterBatch::PollAt(now);
            }
            BatchResult::RetryFrom(k, invocation) => {
                // the records before the lowest failed one are done; retry from it
                l.records.drain(..k);
                self.processed += k as u64;
                l.bisect_cap = None;
                l.last_failure = Some(invocation);
                l.retries += 1;
                count - k
            }
            BatchResult::Failed(invocation) => {
                l.last_failure = Some(invocation);
                if self.config.bisect_batch_on_function_error && count > 1 {
                    // splits do not count as retries
                    l.bisect_cap = Some(count / 2);
                    return AfterBatch::PollAt(now + STREAM_RETRY_DELAY);
                }
                l.retries += 1;
                count
            }
        };
        let max = self.config.maximum_retry_attempts;
        if max >= 0 && l.retries as i64 > max {
            return AfterBatch::Exhausted(failed);
        }
        AfterBatch::PollAt(now + STREAM_RETRY_DELAY)
    }

    /// Drops the first `n` records of a lane for good (docs/lambda-behaviour.md §2.8, §2.11):
    /// they count as discarded, and the lane's next batch starts from nothing. Returns what the
    /// on-failure record describes, `None` when the lane had no record.
    pub fn discard(&mut self, lane: usize, n: usize) -> Option<Discarded> {
        let l = &mut self.lanes[lane];
        let n = n.min(l.records.len());
        let (first, last) = {
            let mut batch = l.records.drain(..n);
            let first = batch.next()?;
            let last = batch.next_back().unwrap_or_else(|| first.clone());
            (first, last)
        };
        let discarded = Discarded {
            first,
            last,
            len: n,
            // the invocations made with this batch: one per failure counted in `retries`
            invokes: l.retries,
            last_failure: l.last_failure,
        };
        l.batch_over();
        self.discarded += n as u64;
        Some(discarded)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(config: StreamMappingConfig) -> StreamMapping {
        StreamMapping::new(config, 0, QualifierRef::Unqualified)
    }

    /// A partition key whose records go to `lane` (of `shards` × `per_shard` lanes).
    fn key_for(lane: usize, shards: usize, per_shard: usize) -> String {
        (0..1000)
            .map(|i| format!("k{i}"))
            .find(|k| shard_lane_of(k, shards, per_shard) == lane)
            .unwrap()
    }

    fn invocation(n: u64) -> FailedInvocation {
        (RequestId(n), true, 0)
    }

    /// Lane 0's scheduled poll at `now`: it starts its batch, if it has one.
    fn batch(m: &mut StreamMapping, now: Micros) -> Poll {
        assert!(m.poll_due(0));
        let p = m.next_batch(0, now);
        if let Poll::Batch { .. } = p {
            m.batch_started(0);
        }
        p
    }

    /// Writes `n` records on one key at `now` (lane 0 with one lane), as `put_records` does.
    fn write(m: &mut StreamMapping, now: Micros, n: usize) {
        for i in 0..n {
            m.write(now, &format!("r{i}"), "k");
        }
        for lane in 0..m.lanes().len() {
            m.written(lane, now);
        }
    }

    #[test]
    fn records_go_to_their_keys_shard_and_lane_in_order_after_the_starting_position() {
        // docs/lambda-behaviour.md §2.18 (shards, one key one shard), §2.10 (lanes),
        // §2.19 (LATEST skips what came before the mapping's creation)
        let mut m = mapping(StreamMappingConfig {
            shards: 2,
            parallelization_factor: 2,
            starting_position: StartingPosition::Latest,
            created_at_s: 10,
            ..Default::default()
        });
        assert_eq!(m.lanes().len(), 4);
        m.write(5 * SEC, "old", "a");
        assert_eq!((m.skipped(), m.pending()), (1, 0));
        let k3 = key_for(3, 2, 2);
        for (i, key) in ["a", &k3, "a"].into_iter().enumerate() {
            m.write(10 * SEC, &format!("r{i}"), key);
        }
        assert_eq!(m.pending(), 3);
        let lane_a = shard_lane_of("a", 2, 2);
        let seqs: Vec<u64> = m.lanes()[lane_a].records().iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [2, 4], "in order, the skipped record took seq 1");
        assert_eq!(m.lanes()[3].records()[0].partition_key.as_ref(), k3);
        assert_eq!(m.shard_of(3), 1);
        // a lane polls when it has records, not before the mapping's creation
        assert_eq!(m.written(3, 10 * SEC), Some(10 * SEC));
        assert_eq!(m.written(3, 10 * SEC), None, "its poll is scheduled");
    }

    #[test]
    fn a_batch_is_up_to_batch_size_and_a_success_checkpoints_after_it() {
        // docs/lambda-behaviour.md §2.1 (BatchSize), §2.7 (one batch at a time, in order)
        let mut m = mapping(StreamMappingConfig {
            batch_size: 2,
            ..Default::default()
        });
        write(&mut m, 0, 3);
        let p = batch(&mut m, SEC);
        assert_eq!(
            p,
            Poll::Batch {
                count: 2,
                attempt: 1,
                iterator_age_ms: 1000
            }
        );
        assert_eq!(m.iterator_age_ms(), 1000);
        assert_eq!(m.in_flight(), 1);
        assert!(!m.kick(0), "busy: no poll");
        assert!(!m.poll_due(0), "busy: a poll that comes does nothing");
        assert_eq!(
            m.batch_ended(0, 2, BatchResult::Done, 2 * SEC),
            AfterBatch::PollAt(2 * SEC)
        );
        assert_eq!((m.processed(), m.pending(), m.in_flight()), (2, 1, 0));
        assert!(m.kick(0), "the next batch");
        assert!(!m.kick(0), "one poll at a time");
        assert_eq!(m.lanes()[0].records()[0].data.as_ref(), "r2");
    }

    #[test]
    fn a_failing_batch_blocks_its_lane_until_its_retries_run_out_then_is_discarded() {
        // docs/lambda-behaviour.md §2.7 (blocking retry), §2.8 (MaximumRetryAttempts),
        // §2.11 and §2.15 (what the on-failure record describes)
        let mut m = mapping(StreamMappingConfig {
            maximum_retry_attempts: 1,
            ..Default::default()
        });
        write(&mut m, 0, 2);
        assert!(matches!(
            batch(&mut m, 0),
            Poll::Batch {
                count: 2,
                attempt: 1,
                ..
            }
        ));
        assert_eq!(
            m.batch_ended(0, 2, BatchResult::Failed(invocation(1)), SEC),
            AfterBatch::PollAt(SEC + STREAM_RETRY_DELAY),
            "retried after a second"
        );
        assert_eq!(m.lanes()[0].retries(), 1);
        assert!(m.kick(0));
        assert!(matches!(
            batch(&mut m, 2 * SEC),
            Poll::Batch {
                count: 2,
                attempt: 2,
                ..
            }
        ));
        assert_eq!(
            m.batch_ended(0, 2, BatchResult::Failed(invocation(2)), 3 * SEC),
            AfterBatch::Exhausted(2)
        );
        let d = m.discard(0, 2).unwrap();
        assert_eq!((d.first.seq, d.last.seq, d.len), (1, 2, 2));
        assert_eq!(d.invokes, 2);
        assert_eq!(d.last_failure, Some(invocation(2)));
        assert_eq!((m.discarded(), m.processed(), m.pending()), (2, 0, 0));
        assert_eq!(m.lanes()[0].retries(), 0, "the next batch starts afresh");
        assert_eq!(m.discard(0, 1), None, "nothing left");
        // without a limit (-1, the default), retries go on
        let mut m = mapping(StreamMappingConfig::default());
        write(&mut m, 0, 1);
        for i in 0..50 {
            batch(&mut m, 0);
            let after = m.batch_ended(0, 1, BatchResult::Failed(invocation(i)), SEC);
            assert_eq!(after, AfterBatch::PollAt(2 * SEC));
            assert!(m.kick(0));
        }
    }

    #[test]
    fn bisecting_halves_a_failing_batch_without_counting_a_retry() {
        // docs/lambda-behaviour.md §2.9: BisectBatchOnFunctionError; a split is not a retry
        let mut m = mapping(StreamMappingConfig {
            batch_size: 4,
            maximum_retry_attempts: 0,
            bisect_batch_on_function_error: true,
            ..Default::default()
        });
        write(&mut m, 0, 4);
        for (count, cap) in [(4, 2), (2, 1)] {
            let p = batch(&mut m, 0);
            assert!(matches!(p, Poll::Batch { count: c, attempt: 1, .. } if c == count));
            let after = m.batch_ended(0, count, BatchResult::Failed(invocation(0)), 0);
            assert_eq!(after, AfterBatch::PollAt(STREAM_RETRY_DELAY));
            assert_eq!(
                (m.lanes()[0].bisect_cap(), m.lanes()[0].retries()),
                (Some(cap), 0)
            );
            assert!(m.kick(0));
        }
        // one record cannot be split: that failure is a retry, and the only one allowed is used
        assert!(matches!(batch(&mut m, 0), Poll::Batch { count: 1, .. }));
        let after = m.batch_ended(0, 1, BatchResult::Failed(invocation(0)), 0);
        assert_eq!(after, AfterBatch::Exhausted(1));
        assert_eq!(m.discard(0, 1).map(|d| d.first.seq), Some(1));
        // the cap goes with the discarded batch: the rest are read as a full batch again
        assert!(m.kick(0));
        assert!(matches!(batch(&mut m, 0), Poll::Batch { count: 3, .. }));
    }

    #[test]
    fn a_partial_batch_response_checkpoints_before_the_lowest_failed_record() {
        // docs/lambda-behaviour.md §2.21: the records before it are done, retried from it, one
        // retry counted
        let mut m = mapping(StreamMappingConfig {
            report_batch_item_failures: true,
            ..Default::default()
        });
        write(&mut m, 0, 4);
        batch(&mut m, 0);
        let ok = (RequestId(9), false, 1);
        let after = m.batch_ended(0, 4, BatchResult::RetryFrom(2, ok), SEC);
        assert_eq!(after, AfterBatch::PollAt(SEC + STREAM_RETRY_DELAY));
        assert_eq!((m.processed(), m.pending()), (2, 2));
        assert!(m.kick(0));
        assert!(matches!(
            batch(&mut m, 2 * SEC),
            Poll::Batch {
                count: 2,
                attempt: 2,
                ..
            }
        ));
        assert_eq!(m.lanes()[0].records()[0].seq, 3);
        m.batch_ended(0, 2, BatchResult::Done, 3 * SEC);
        assert_eq!((m.processed(), m.pending()), (4, 0));
    }

    #[test]
    fn records_older_than_the_maximum_record_age_expire_from_the_front() {
        // docs/lambda-behaviour.md §2.8: MaximumRecordAgeInSeconds
        let mut m = mapping(StreamMappingConfig {
            maximum_record_age_s: 60,
            ..Default::default()
        });
        write(&mut m, 0, 1);
        write(&mut m, 50 * SEC, 1);
        assert_eq!(m.expired(0, 60 * SEC), 0, "60 s old is not older than 60 s");
        assert_eq!(m.expired(0, 100 * SEC), 1, "the second is 50 s old");
        assert_eq!(m.expired(0, 200 * SEC), 2);
        let d = m.discard(0, 1).unwrap();
        assert_eq!((d.invokes, d.last_failure), (0, None), "never invoked");
        // -1 (the default): no limit
        let mut m = mapping(StreamMappingConfig::default());
        write(&mut m, 0, 1);
        assert_eq!(m.expired(0, 1_000_000 * SEC), 0);
    }

    #[test]
    fn the_batching_window_waits_for_a_full_batch_but_a_retry_does_not_wait() {
        // docs/lambda-behaviour.md §2.20: from the oldest waiting record (or the creation)
        let mut m = mapping(StreamMappingConfig {
            batch_size: 3,
            maximum_batching_window_s: 5,
            ..Default::default()
        });
        write(&mut m, 0, 1);
        assert!(m.poll_due(0));
        assert_eq!(m.next_batch(0, 0), Poll::WaitUntil(5 * SEC));
        assert_eq!(m.written(0, SEC), None, "waiting: its poll is scheduled");
        // a full batch ends the window at once
        for i in 0..2 {
            m.write(SEC, &format!("more{i}"), "k");
        }
        assert_eq!(m.written(0, SEC), Some(SEC));
        assert!(m.poll_due(0));
        assert!(matches!(m.next_batch(0, SEC), Poll::Batch { count: 3, .. }));
        m.batch_started(0);
        // a retry does not wait for the window: 1 record left, 3 s before the window would end
        let retry = BatchResult::RetryFrom(2, (RequestId(1), false, 0));
        m.batch_ended(0, 3, retry, 2 * SEC);
        assert!(m.kick(0));
        assert!(m.poll_due(0));
        let p = m.next_batch(0, 3 * SEC);
        assert!(
            matches!(
                p,
                Poll::Batch {
                    count: 1,
                    attempt: 2,
                    ..
                }
            ),
            "{p:?}"
        );
        // records written before a later creation: the window counts from the creation
        let mut m = mapping(StreamMappingConfig {
            maximum_batching_window_s: 5,
            created_at_s: 10,
            ..Default::default()
        });
        write(&mut m, 0, 1);
        assert_eq!(m.next_batch(0, 10 * SEC), Poll::WaitUntil(15 * SEC));
        assert!(matches!(
            m.next_batch(0, 15 * SEC),
            Poll::Batch { count: 1, .. }
        ));
    }

    #[test]
    fn iterator_age_is_the_oldest_record_waiting_in_any_lane_and_a_throttle_waits_a_second() {
        // docs/lambda-behaviour.md §2.18 and §8.4 (IteratorAge), §2.7 (a batch that cannot run
        // waits: the lane polls again later)
        let mut m = mapping(StreamMappingConfig {
            parallelization_factor: 2,
            ..Default::default()
        });
        let (k0, k1) = (key_for(0, 1, 2), key_for(1, 1, 2));
        m.write(0, "a", &k0);
        m.write(3 * SEC, "b", &k1);
        assert_eq!(m.oldest_age_ms(5 * SEC), 5000);
        assert!(m.poll_due(1));
        let p = m.next_batch(1, 5 * SEC);
        assert_eq!(
            p,
            Poll::Batch {
                count: 1,
                attempt: 1,
                iterator_age_ms: 5000
            },
            "lane 1's batch reports lane 0's older record"
        );
        assert_eq!(
            m.batch_not_started(1, 5 * SEC),
            5 * SEC + STREAM_RETRY_DELAY
        );
        assert!(!m.kick(1), "its poll is scheduled");
        assert!(m.poll_due(1));
        assert!(matches!(
            m.next_batch(1, 6 * SEC),
            Poll::Batch { attempt: 1, .. }
        ));
    }
}
