//! A Kinesis / DynamoDB stream mapping and its shards (read in parallel, each in order): in-order
//! batches, blocking retry,
//! MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError, IteratorAge, and
//! ParallelizationFactor: up to 10 batches of one shard at a time, records of one partition key
//! always in the same lane, so in order (docs/lambda-behaviour.md §2.7–§2.10, §8.4; the order
//! per partition key: AWS Compute Blog,
//! <https://aws.amazon.com/blogs/compute/new-aws-lambda-scaling-controls-for-kinesis-and-dynamodb-event-sources/>);
//! shards, starting position, batching window and partial batch responses: §2.18–§2.21.

use std::sync::Arc;

use crate::clock::Micros;
use crate::config::check_range;
use crate::error::ApiError;
use crate::model::{Outcome, RequestId, Trigger};
use crate::sim::{Ev, Simulation};
use crate::state::inflight::{InFlight, Source};
use crate::state::stream_mapping::{
    stream_arn, AfterBatch, BatchResult, Poll, StartingPosition, StreamMapping,
    StreamMappingConfig, StreamRecord, StreamSource,
};
use crate::timefmt::iso8601;

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
            crate::state::destination::validate(d, crate::state::destination::Sent::StreamFailure)?;
        }
        let (name, qualifier) = crate::state::versions::split_function_name(&config.function);
        let f = self
            .function_index(name)
            .ok_or_else(|| ApiError::not_found(&config.function))?;
        // docs/lambda-behaviour.md §10.8: a qualified function name invokes that version or alias
        let qualifier = self.lookup_qualifier(f, qualifier)?;
        let version = self.functions[f as usize].versions().version_of(qualifier);
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
        self.stream_mappings
            .push(StreamMapping::new(config, f, qualifier));
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
            .position(|s| s.config().stream == stream)
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceNotFoundException",
                    400,
                    format!("Stream {stream} not found"),
                )
            })?;
        let now = self.now;
        let sm = &mut self.stream_mappings[m];
        for (i, r) in records.iter().enumerate() {
            sm.write(now, r, partition_keys.get(i).unwrap_or(r));
        }
        for lane in 0..self.stream_mappings[m].lanes().len() {
            // a full batch ends a batching window at once (docs/lambda-behaviour.md §2.20)
            if let Some(at) = self.stream_mappings[m].written(lane, now) {
                self.schedule(at, Ev::StreamPoll(m as u32, lane as u32));
            }
        }
        Ok(())
    }

    fn kick_stream(&mut self, m: u32, lane: u32, at: Micros) {
        if self.stream_mappings[m as usize].kick(lane as usize) {
            self.schedule(at, Ev::StreamPoll(m, lane));
        }
    }

    /// The stream's ARN.
    fn stream_arn(&self, m: usize) -> String {
        stream_arn(
            self.stream_mappings[m].config(),
            &self.account.region,
            &self.account.id,
        )
    }

    /// Drops the first `n` records of a lane for good and sends the on-failure record
    /// (docs/lambda-behaviour.md §2.11, §2.15), which names the last invocation made with the
    /// batch (its request id, whether it failed with a function error, the version), if any.
    fn discard(&mut self, m: usize, lane: usize, n: usize, condition: &str) {
        let stream_arn = self.stream_arn(m);
        let sm = &mut self.stream_mappings[m];
        let Some(batch) = sm.discard(lane, n) else {
            return;
        };
        let invokes = batch.invokes;
        let f = sm.function();
        if let Some(dest) = sm.config().on_failure.clone() {
            let info_key = match sm.config().source {
                StreamSource::Kinesis => "KinesisBatchInfo",
                StreamSource::DynamoDb => "DDBStreamBatchInfo",
            };
            let fs = &self.functions[f as usize];
            let (request_id, response_context) = match batch.last_failure {
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
            let (first, last_rec) = (&batch.first, &batch.last);
            let shard = sm.shard_of(lane);
            let meta = format!(
                r#"{{"requestContext":{{{request_id}"functionArn":{},"condition":"{condition}","approximateInvokeCount":{invokes}}},{response_context}"version":"1.0","timestamp":"{}","{info_key}":{{"shardId":"shardId-{shard:012}","startSequenceNumber":"{}","endSequenceNumber":"{}","approximateArrivalOfFirstRecord":"{}","approximateArrivalOfLastRecord":"{}","batchSize":{},"streamArn":{}}}}}"#,
                // the mapping's function: qualified when it names a version or an alias
                js(&fs.versions().arn_of(sm.qualifier())),
                iso8601(self.now),
                first.seq,
                last_rec.seq,
                iso8601(first.arrival_us),
                iso8601(last_rec.arrival_us),
                batch.len,
                js(&stream_arn),
            );
            if !self.deliver(
                f,
                &dest,
                meta,
                vec![],
                crate::state::destination::Sent::StreamFailure,
            ) {
                self.functions[f as usize].destination_failed(self.now);
            }
        }
    }

    pub(crate) fn stream_poll(&mut self, m: u32, lane: u32) {
        let (mi, li) = (m as usize, lane as usize);
        let now = self.now;
        if !self
            .stream_mappings
            .get_mut(mi)
            .is_some_and(|sm| sm.poll_due(li))
        {
            return;
        }
        // records older than MaximumRecordAgeInSeconds are skipped
        let old = self.stream_mappings[mi].expired(li, now);
        if old > 0 {
            self.discard(mi, li, old, "RecordAgeExceeded");
        }
        let (n, attempt, age_ms) = match self.stream_mappings[mi].next_batch(li, now) {
            Poll::Idle => return,
            Poll::WaitUntil(until) => {
                self.schedule(until, Ev::StreamPoll(m, lane));
                return;
            }
            Poll::Batch {
                count,
                attempt,
                iterator_age_ms,
            } => (count, attempt, iterator_age_ms),
        };
        let arn = self.stream_arn(mi);
        let sm = &self.stream_mappings[mi];
        let shard = sm.shard_of(li);
        let region = &self.account.region;
        let records: Vec<String> = sm.lanes()[li]
            .records()
            .iter()
            .take(n)
            .map(|r| stream_event_record(sm.config(), r, region, &arn, shard))
            .collect();
        let payload: Arc<str> = format!(r#"{{"Records":[{}]}}"#, records.join(",")).into();
        let f = sm.function();
        self.functions[f as usize].iterator_age(now, age_ms);
        let request = RequestId(self.next_id());
        let Ok(target) = self.resolve_ref(f, self.stream_mappings[mi].qualifier()) else {
            // the alias or version was deleted: the batch waits, as for a throttle
            // (docs/lambda-behaviour.md §10.8)
            let at = self.stream_mappings[mi].batch_not_started(li, now);
            self.schedule(at, Ev::StreamPoll(m, lane));
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
            Ok(()) => self.stream_mappings[mi].batch_started(li),
            Err(_) => {
                let at = self.stream_mappings[mi].batch_not_started(li, now);
                self.schedule(at, Ev::StreamPoll(m, lane));
            }
        }
    }

    #[inline(never)] // off the hot path of sync and async invocations: keeps `complete` small
    pub(crate) fn stream_complete(&mut self, m: u32, lane: u32, count: usize, inf: &InFlight) {
        let (mi, li) = (m as usize, lane as usize);
        let now = self.now;
        let sm = &mut self.stream_mappings[mi];
        // docs/lambda-behaviour.md §2.21: with ReportBatchItemFailures, a successful invocation
        // may name the records to retry from; a malformed answer fails the whole batch
        let checkpoint = match (
            inf.outcome == Outcome::Success,
            sm.config().report_batch_item_failures,
        ) {
            (false, _) => Err(()),
            (true, false) => Ok(None),
            (true, true) => checkpoint(sm.lanes()[li].records().iter().take(count), inf),
        };
        let result = match checkpoint {
            Ok(None) => BatchResult::Done,
            Ok(Some(k)) => BatchResult::RetryFrom(k, (inf.request, false, inf.target.version)),
            Err(()) => BatchResult::Failed((inf.request, inf.error.is_some(), inf.target.version)),
        };
        match sm.batch_ended(li, count, result, now) {
            AfterBatch::PollAt(at) => self.kick_stream(m, lane, at),
            AfterBatch::Exhausted(failed) => {
                self.discard(mi, li, failed, "RetryAttemptsExhausted");
                self.kick_stream(m, lane, now);
            }
        }
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
