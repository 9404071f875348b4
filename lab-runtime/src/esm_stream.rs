//! A Kinesis / DynamoDB stream shard mapping: in-order batches, one at a time, blocking retry,
//! MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError and IteratorAge
//! (lambda-facts §2 "streams failure").

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
    /// When it was written.
    pub arrival_us: Micros,
}

/// Delay before retrying a failed batch.
pub const STREAM_RETRY_DELAY: Micros = SEC;

/// A stream mapping and its shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamMapping {
    /// Configuration.
    pub config: StreamMappingConfig,
    /// Function index.
    pub function: u32,
    /// Records not yet processed, in order.
    pub shard: VecDeque<StreamRecord>,
    /// A batch is in flight.
    pub busy: bool,
    /// Retries of the current batch.
    pub retries: u32,
    /// Current batch size cap after bisecting.
    pub bisect_cap: Option<usize>,
    /// Records processed successfully.
    pub processed: u64,
    /// Records discarded (retries exhausted or too old), sent as metadata to on-failure.
    pub discarded: u64,
    /// Latest IteratorAge (ms).
    pub iterator_age_ms: u64,
    next_seq: u64,
    poll_pending: bool,
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
        let f = self
            .function_index(&config.function)
            .ok_or_else(|| ApiError::not_found(&config.function))?;
        self.stream_mappings.push(StreamMapping {
            config,
            function: f,
            shard: VecDeque::new(),
            busy: false,
            retries: 0,
            bisect_cap: None,
            processed: 0,
            discarded: 0,
            iterator_age_ms: 0,
            next_seq: 0,
            poll_pending: false,
        });
        Ok((self.stream_mappings.len() - 1) as u32)
    }

    /// Writes records to a mapping's stream.
    pub fn put_records(&mut self, stream: &str, records: &[String]) -> Result<(), ApiError> {
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
        for r in records {
            sm.next_seq += 1;
            sm.shard.push_back(StreamRecord {
                seq: sm.next_seq,
                data: r.as_str().into(),
                arrival_us: now,
            });
        }
        self.kick_stream(m as u32, now);
        Ok(())
    }

    fn kick_stream(&mut self, m: u32, at: Micros) {
        let sm = &mut self.stream_mappings[m as usize];
        if !sm.poll_pending && !sm.busy {
            sm.poll_pending = true;
            self.schedule(at, Ev::StreamPoll(m));
        }
    }

    fn discard(&mut self, m: usize, n: usize, condition: &str) {
        let sm = &mut self.stream_mappings[m];
        let batch: Vec<StreamRecord> = sm.shard.drain(..n.min(sm.shard.len())).collect();
        if batch.is_empty() {
            return;
        }
        sm.discarded += batch.len() as u64;
        let invokes = sm.retries + 1;
        sm.retries = 0;
        sm.bisect_cap = None;
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

    pub(crate) fn stream_poll(&mut self, m: u32) {
        let mi = m as usize;
        let now = self.now;
        self.stream_mappings[mi].poll_pending = false;
        if self.stream_mappings[mi].busy {
            return;
        }
        // records older than MaximumRecordAgeInSeconds are skipped
        let max_age = self.stream_mappings[mi].config.maximum_record_age_s;
        if max_age >= 0 {
            let limit = max_age as u64 * SEC;
            let old = self.stream_mappings[mi]
                .shard
                .iter()
                .take_while(|r| now - r.arrival_us > limit)
                .count();
            if old > 0 {
                self.discard(mi, old, "RecordAgeExceeded");
            }
        }
        let sm = &self.stream_mappings[mi];
        let Some(first) = sm.shard.front() else {
            return;
        };
        let age_ms = (now - first.arrival_us) / 1000;
        let n = (sm.config.batch_size as usize)
            .min(sm.bisect_cap.unwrap_or(usize::MAX))
            .min(sm.shard.len());
        let records: Vec<serde_json::Value> = sm
            .shard
            .iter()
            .take(n)
            .map(|r| {
                serde_json::json!({"kinesis": {"sequenceNumber": r.seq.to_string(), "data": &*r.data},
                    "eventSource": "aws:kinesis", "eventID": format!("shardId-000000000000:{}", r.seq)})
            })
            .collect();
        let payload: Arc<str> = serde_json::json!({ "Records": records }).to_string().into();
        let f = sm.function;
        let attempt = sm.retries + 1;
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
                count: n,
            },
            &payload,
            request,
            attempt,
        ) {
            Ok(()) => self.stream_mappings[mi].busy = true,
            Err(_) => {
                self.stream_mappings[mi].poll_pending = true;
                self.schedule(now + STREAM_RETRY_DELAY, Ev::StreamPoll(m));
            }
        }
    }

    pub(crate) fn stream_complete(&mut self, m: u32, count: usize, inf: &InFlight) {
        let mi = m as usize;
        let now = self.now;
        let sm = &mut self.stream_mappings[mi];
        sm.busy = false;
        if inf.outcome == Outcome::Success {
            sm.shard.drain(..count.min(sm.shard.len()));
            sm.processed += count as u64;
            sm.retries = 0;
            sm.bisect_cap = None;
            self.kick_stream(m, now);
            return;
        }
        if sm.config.bisect_batch_on_function_error && count > 1 {
            // splits do not count as retries (lambda-facts §2 "streams failure")
            sm.bisect_cap = Some(count / 2);
        } else {
            sm.retries += 1;
            let max = sm.config.maximum_retry_attempts;
            if max >= 0 && sm.retries as i64 > max {
                self.discard(mi, count, "RetryAttemptsExhausted");
                self.kick_stream(m, now);
                return;
            }
        }
        self.kick_stream(m, now + STREAM_RETRY_DELAY);
    }
}
