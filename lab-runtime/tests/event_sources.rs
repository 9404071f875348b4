//! Event source mappings: SQS and a stream shard (docs/lambda-behaviour.md §2).

mod common;

use common::*;
use lab_runtime::clock::{MIN, SEC};
use lab_runtime::model::Trigger;
use lab_runtime::sqs::Redrive;
use lab_runtime::state::sqs_mapping::{SqsMappingConfig, SQS_INITIAL_CONCURRENCY};
use lab_runtime::state::stream_mapping::StreamMappingConfig;
use lab_runtime::HandlerSpec;

fn sqs_world(
    handler: HandlerSpec,
    redrive: Option<Redrive>,
    visibility_s: u32,
) -> lab_runtime::Simulation {
    let mut sim = world();
    sim.create_queue("dlq", 30, None).unwrap();
    sim.create_queue("jobs", visibility_s, redrive).unwrap();
    create(&mut sim, "worker", handler);
    sim
}

fn mapping(batch: u32) -> SqsMappingConfig {
    SqsMappingConfig {
        queue: "jobs".into(),
        function: "worker".into(),
        batch_size: batch,
        ..Default::default()
    }
}

#[test]
fn sqs_batches_are_deleted_on_success() {
    // docs/lambda-behaviour.md §2.3: deleted on success; §2.1: batch size default 10
    let mut sim = sqs_world(profile(0.0, 100.0, 0.0), None, 30);
    sim.create_sqs_mapping(SqsMappingConfig {
        queue: "jobs".into(),
        function: "worker".into(),
        ..Default::default()
    })
    .unwrap();
    sim.send_messages("jobs", "job", 25).unwrap();
    secs(&mut sim, 5);
    let q = sim
        .view()
        .queues
        .into_iter()
        .find(|q| q.name == "jobs")
        .unwrap();
    assert_eq!((q.visible, q.in_flight, q.deleted), (0, 0, 25));
    let batches = sim
        .records()
        .items()
        .iter()
        .filter(|r| r.trigger == Trigger::Sqs)
        .count();
    assert_eq!(batches, 3, "10 + 10 + 5");
}

#[test]
fn failed_batch_reappears_after_visibility_timeout_and_redrives_to_dlq() {
    // docs/lambda-behaviour.md §2.3, §2.4: maxReceiveCount receives, then the DLQ
    let redrive = Redrive {
        dead_letter_queue: "dlq".into(),
        max_receive_count: 3,
    };
    let mut sim = sqs_world(profile(0.0, 100.0, 1.0), Some(redrive), 20);
    sim.create_sqs_mapping(mapping(10)).unwrap();
    sim.send_messages("jobs", "poison", 1).unwrap();
    sim.advance_by(5 * MIN);
    let starts: Vec<u64> = sim
        .records()
        .items()
        .iter()
        .filter(|r| r.trigger == Trigger::Sqs)
        .map(|r| r.start_us)
        .collect();
    assert_eq!(starts.len(), 3, "received maxReceiveCount times");
    assert_eq!(
        starts[1] - starts[0],
        20 * SEC,
        "visible again after the visibility timeout"
    );
    let dlq = sim.queue_messages("dlq");
    assert_eq!(dlq.len(), 1);
    assert_eq!(&*dlq[0].body, "poison");
}

#[test]
fn report_batch_item_failures_returns_only_the_failed_messages() {
    // docs/lambda-behaviour.md §2.5
    let src = "|event, context| { let f = []; for r in event.Records { if r.body == \"bad\" { f.push(#{itemIdentifier: r.messageId}); } } #{batchItemFailures: f} }";
    let mut sim = sqs_world(HandlerSpec::Script(src.into()), None, 30);
    let mut m = mapping(10);
    m.report_batch_item_failures = true;
    sim.create_sqs_mapping(m).unwrap();
    sim.send_messages("jobs", "good", 3).unwrap();
    sim.send_messages("jobs", "bad", 1).unwrap();
    secs(&mut sim, 5);
    let q = sim
        .view()
        .queues
        .into_iter()
        .find(|q| q.name == "jobs")
        .unwrap();
    assert_eq!(q.deleted, 3);
    assert_eq!(
        q.in_flight, 1,
        "only the failed message returns to the queue"
    );
    secs(&mut sim, 30);
    assert_eq!(
        sim.records()
            .items()
            .iter()
            .filter(|r| r.trigger == Trigger::Sqs)
            .count(),
        2
    );
}

#[test]
fn without_report_batch_item_failures_the_whole_batch_returns() {
    // docs/lambda-behaviour.md §2.5 (partial batch failure): without it / thrown error fails the whole batch
    let mut sim = sqs_world(
        HandlerSpec::Script("|event, context| { throw \"boom\"; }".into()),
        None,
        30,
    );
    sim.create_sqs_mapping(mapping(10)).unwrap();
    sim.send_messages("jobs", "x", 4).unwrap();
    secs(&mut sim, 5);
    let q = sim
        .view()
        .queues
        .into_iter()
        .find(|q| q.name == "jobs")
        .unwrap();
    assert_eq!((q.deleted, q.in_flight), (0, 4));
}

#[test]
fn sqs_pollers_start_at_5_and_add_up_to_300_per_minute() {
    // docs/lambda-behaviour.md §2.6: 5 concurrent batches, +300/min, max 1,000
    let mut sim = sqs_world(profile(0.0, 10_000.0, 0.0), None, 60);
    let mut c = sim.view().functions[0].config.clone();
    c.timeout_s = 60;
    sim.update_function_configuration(c).unwrap();
    sim.create_sqs_mapping(mapping(1)).unwrap();
    sim.send_messages("jobs", "x", 5000).unwrap();
    sim.advance_by(10_000);
    assert_eq!(
        sim.function_in_flight("worker"),
        Some(SQS_INITIAL_CONCURRENCY)
    );
    sim.advance_by(MIN);
    let after_min = sim.function_in_flight("worker").unwrap();
    assert!((250..=310).contains(&after_min), "{after_min}");
    sim.advance_by(5 * MIN);
    assert!(sim.view().sqs_mappings[0].concurrency_target <= 1000);
}

#[test]
fn batch_size_over_10_needs_a_batching_window() {
    // docs/lambda-behaviour.md §2.2: the batching window must be >= 1 when batch size > 10
    let mut sim = sqs_world(profile(0.0, 1.0, 0.0), None, 30);
    let e = sim.create_sqs_mapping(mapping(100)).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
    let mut m = mapping(100);
    m.batching_window_s = 2;
    sim.create_sqs_mapping(m).unwrap();
    sim.send_messages("jobs", "x", 30).unwrap();
    sim.advance_by(SEC);
    assert_eq!(sim.records().items().len(), 0, "waits for the window");
    sim.advance_by(2 * SEC);
    assert_eq!(
        sim.records().items().len(),
        1,
        "one batch of 30 after the window"
    );
}

fn stream_world(handler: HandlerSpec, cfg: StreamMappingConfig) -> lab_runtime::Simulation {
    let mut sim = world();
    sim.create_queue("stream-failures", 30, None).unwrap();
    create(&mut sim, "consumer", handler);
    sim.create_stream_mapping(StreamMappingConfig {
        stream: "clicks".into(),
        function: "consumer".into(),
        ..cfg
    })
    .unwrap();
    sim
}

#[test]
fn stream_failure_blocks_the_shard_and_iterator_age_grows() {
    // docs/lambda-behaviour.md §2.7: retried until success or expiry, blocking the shard
    let src = "|event, context| { for r in event.Records { if base64_decode(r.kinesis.data) == \"bad\" { throw \"bad record\"; } } 1 }";
    let mut sim = stream_world(
        HandlerSpec::Script(src.into()),
        StreamMappingConfig {
            batch_size: 2,
            ..Default::default()
        },
    );
    sim.put_records("clicks", &["bad".into(), "ok".into(), "ok2".into()])
        .unwrap();
    secs(&mut sim, 30);
    let m = &sim.view().stream_mappings[0];
    assert_eq!(
        m.processed, 0,
        "nothing behind the failing batch gets through"
    );
    assert!(m.iterator_age_ms >= 25_000, "{}", m.iterator_age_ms);
    assert!(sim.metric_totals("consumer").unwrap().iterator_age_ms >= 25_000);
}

#[test]
fn stream_maximum_retry_attempts_then_on_failure_gets_metadata() {
    // docs/lambda-behaviour.md §2.8: MaximumRetryAttempts; §2.11: on-failure destination receives metadata
    let src = "|event, context| { for r in event.Records { if base64_decode(r.kinesis.data) == \"bad\" { throw \"bad\"; } } 1 }";
    let cfg = StreamMappingConfig {
        batch_size: 10,
        maximum_retry_attempts: 2,
        on_failure: Some("stream-failures".into()),
        ..Default::default()
    };
    let mut sim = stream_world(HandlerSpec::Script(src.into()), cfg);
    sim.put_records("clicks", &["bad".into(), "ok".into()])
        .unwrap();
    secs(&mut sim, 30);
    assert_eq!(sim.records().items().len(), 3, "1 + 2 retries");
    let msgs = sim.queue_messages("stream-failures");
    assert_eq!(msgs.len(), 1);
    let v: serde_json::Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(v["KinesisBatchInfo"]["batchSize"], 2);
    assert!(
        !msgs[0].body.contains("\"ok\""),
        "metadata, not the records"
    );
    put_ok(&mut sim);
}

fn put_ok(sim: &mut lab_runtime::Simulation) {
    sim.put_records("clicks", &["fine".into()]).unwrap();
    secs(sim, 5);
    assert_eq!(
        sim.view().stream_mappings[0].processed,
        1,
        "shard unblocked"
    );
}

#[test]
fn bisect_splits_the_failing_batch_without_counting_retries() {
    // docs/lambda-behaviour.md §2.9: BisectBatchOnFunctionError, splits do not count as retries
    let src = "|event, context| { for r in event.Records { if base64_decode(r.kinesis.data) == \"bad\" { throw \"bad\"; } } 1 }";
    let cfg = StreamMappingConfig {
        batch_size: 4,
        maximum_retry_attempts: 0,
        bisect_batch_on_function_error: true,
        on_failure: Some("stream-failures".into()),
        ..Default::default()
    };
    let mut sim = stream_world(HandlerSpec::Script(src.into()), cfg);
    sim.put_records(
        "clicks",
        &["a".into(), "b".into(), "c".into(), "bad".into()],
    )
    .unwrap();
    secs(&mut sim, 30);
    let m = &sim.view().stream_mappings[0];
    assert_eq!(m.processed, 3, "good records got through after bisecting");
    assert_eq!(m.discarded, 1, "only the bad record is discarded");
}

#[test]
fn stream_records_older_than_maximum_record_age_are_skipped() {
    // docs/lambda-behaviour.md §2.8: MaximumRecordAgeInSeconds
    let cfg = StreamMappingConfig {
        maximum_record_age_s: 60,
        on_failure: Some("stream-failures".into()),
        ..Default::default()
    };
    let mut sim = stream_world(profile(0.0, 10.0, 1.0), cfg);
    sim.put_records("clicks", &["x".into()]).unwrap();
    secs(&mut sim, 120);
    let m = &sim.view().stream_mappings[0];
    assert_eq!(m.discarded, 1);
    let v: serde_json::Value =
        serde_json::from_str(&sim.queue_messages("stream-failures")[0].body).unwrap();
    assert_eq!(v["requestContext"]["condition"], "RecordAgeExceeded");
}
