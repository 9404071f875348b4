//! Stream mappings: shards, starting position, batching window and ReportBatchItemFailures
//! (docs/lambda-behaviour.md §2.18–§2.21).

mod common;

use common::*;
use lab_runtime::clock::{MS, SEC};
use lab_runtime::state::stream_mapping::{StartingPosition, StreamMappingConfig, StreamSource};
use lab_runtime::{HandlerSpec, Simulation};

/// Logs each record's shard and data (decoded), then returns what `ret` says.
fn logging(ret: &str) -> HandlerSpec {
    HandlerSpec::Script(format!(
        "|event, context| {{ for r in event.Records {{ log(r.eventID.split(\":\")[0] + \" \" + base64_decode(r.kinesis.data)); }} {ret} }}"
    ))
}

fn mapping(sim: &mut Simulation, handler: HandlerSpec, cfg: StreamMappingConfig) {
    create(sim, "consumer", handler);
    sim.create_stream_mapping(StreamMappingConfig {
        stream: "clicks".into(),
        function: "consumer".into(),
        ..cfg
    })
    .unwrap();
}

/// The data of the records the handler logged, in order.
fn seen(sim: &Simulation) -> Vec<String> {
    sim.log_lines()
        .into_iter()
        .filter_map(|l| l.text.split('\t').nth(2).map(str::to_string))
        .filter(|t| t.starts_with("shardId-"))
        .collect()
}

#[test]
fn several_shards_are_read_in_parallel_and_each_in_order() {
    // docs/lambda-behaviour.md §2.18
    let mut sim = world();
    mapping(
        &mut sim,
        profile(0.0, 1000.0, 0.0),
        StreamMappingConfig {
            batch_size: 1,
            shards: 4,
            ..Default::default()
        },
    );
    let records: Vec<String> = (0..40).map(|i| i.to_string()).collect();
    let keys: Vec<String> = (0..40).map(|i| format!("k{}", i % 8)).collect();
    sim.put_records_with_keys("clicks", &records, &keys)
        .unwrap();
    sim.advance_by(100 * MS);
    assert_eq!(
        sim.function_in_flight("consumer"),
        Some(4),
        "one batch per shard"
    );
    secs(&mut sim, 60);
    assert_eq!(sim.view().stream_mappings[0].processed, 40);
    // the order within each shard: the handler sees each shard's records in sequence order
    let mut sim = world();
    mapping(
        &mut sim,
        logging("1"),
        StreamMappingConfig {
            batch_size: 3,
            shards: 3,
            ..Default::default()
        },
    );
    sim.put_records_with_keys("clicks", &records, &keys)
        .unwrap();
    secs(&mut sim, 60);
    let mut by_shard: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for line in seen(&sim) {
        let (shard, data) = line.split_once(' ').unwrap();
        by_shard
            .entry(shard.into())
            .or_default()
            .push(data.parse().unwrap());
    }
    assert_eq!(by_shard.len(), 3, "{by_shard:?}");
    for v in by_shard.values() {
        assert!(v.windows(2).all(|w| w[0] < w[1]), "{v:?}");
    }
    assert_eq!(by_shard.values().map(Vec::len).sum::<usize>(), 40);
}

#[test]
fn trim_horizon_reads_records_written_before_the_mapping_and_latest_skips_them() {
    // docs/lambda-behaviour.md §2.19
    for (position, expected) in [
        (StartingPosition::TrimHorizon, vec!["early", "late"]),
        (StartingPosition::Latest, vec!["late"]),
    ] {
        let mut sim = world();
        mapping(
            &mut sim,
            logging("1"),
            StreamMappingConfig {
                starting_position: position,
                created_at_s: 10,
                ..Default::default()
            },
        );
        sim.put_records("clicks", &["early".into()]).unwrap();
        secs(&mut sim, 5);
        assert!(
            seen(&sim).is_empty(),
            "nothing read before the mapping exists"
        );
        secs(&mut sim, 10);
        sim.put_records("clicks", &["late".into()]).unwrap();
        secs(&mut sim, 10);
        let data: Vec<String> = seen(&sim)
            .into_iter()
            .map(|l| l.split(' ').nth(1).unwrap().to_string())
            .collect();
        assert_eq!(data, expected, "{position:?}");
    }
}

#[test]
fn at_timestamp_reads_from_the_timestamp_on_kinesis_only() {
    // docs/lambda-behaviour.md §2.19
    let mut sim = world();
    mapping(
        &mut sim,
        logging("1"),
        StreamMappingConfig {
            starting_position: StartingPosition::AtTimestamp,
            starting_position_timestamp_s: Some(20),
            ..Default::default()
        },
    );
    sim.put_records("clicks", &["t0".into()]).unwrap();
    secs(&mut sim, 20);
    sim.put_records("clicks", &["t20".into()]).unwrap();
    secs(&mut sim, 5);
    assert_eq!(seen(&sim), ["shardId-000000000000 t20"]);
    assert_eq!(sim.view().stream_mappings[0].skipped, 1);
    let mut sim = world();
    create(&mut sim, "consumer", profile(0.0, 10.0, 0.0));
    let base = StreamMappingConfig {
        stream: "orders".into(),
        function: "consumer".into(),
        starting_position: StartingPosition::AtTimestamp,
        ..Default::default()
    };
    let e = sim.create_stream_mapping(base.clone()).unwrap_err();
    assert!(
        e.message.contains("StartingPositionTimestamp must be set"),
        "{e}"
    );
    let e = sim
        .create_stream_mapping(StreamMappingConfig {
            source: StreamSource::DynamoDb,
            starting_position_timestamp_s: Some(1),
            ..base
        })
        .unwrap_err();
    assert!(e.message.contains("DynamoDB"), "{e}");
}

#[test]
fn a_batching_window_gathers_records_until_the_batch_is_full_or_the_window_ends() {
    // docs/lambda-behaviour.md §2.20
    let mut sim = world();
    mapping(
        &mut sim,
        profile(0.0, 10.0, 0.0),
        StreamMappingConfig {
            batch_size: 3,
            maximum_batching_window_s: 5,
            ..Default::default()
        },
    );
    sim.put_records("clicks", &["a".into()]).unwrap();
    secs(&mut sim, 1);
    sim.put_records("clicks", &["b".into()]).unwrap();
    secs(&mut sim, 3);
    assert!(sim.records().items().is_empty(), "still inside the window");
    secs(&mut sim, 2);
    let starts: Vec<u64> = sim.records().items().iter().map(|r| r.start_us).collect();
    assert_eq!(
        starts,
        [5 * SEC],
        "the window ends 5 s after the first record"
    );
    // a full batch goes at once
    sim.put_records("clicks", &["c".into(), "d".into(), "e".into()])
        .unwrap();
    sim.advance_by(100 * MS);
    assert_eq!(sim.records().items().len(), 2);
    assert_eq!(sim.view().stream_mappings[0].processed, 5);
}

/// Reports the record whose data is `bad` as failed, on every try.
const PARTIAL: &str = r#"|event, context| {
    let failed = [];
    for r in event.Records {
        let d = base64_decode(r.kinesis.data);
        log("shardId- " + d);
        if d == "bad" {
            failed.push(#{ itemIdentifier: r.kinesis.sequenceNumber });
        }
    }
    #{ batchItemFailures: failed }
}"#;

#[test]
fn report_batch_item_failures_retries_from_the_lowest_failed_sequence_number() {
    // docs/lambda-behaviour.md §2.21
    let mut sim = world();
    mapping(
        &mut sim,
        HandlerSpec::Script(PARTIAL.into()),
        StreamMappingConfig {
            batch_size: 10,
            maximum_retry_attempts: 1,
            report_batch_item_failures: true,
            on_failure: Some("failures".into()),
            ..Default::default()
        },
    );
    sim.create_queue("failures", 30, None).unwrap();
    let data: Vec<String> = ["a", "b", "bad", "c"].map(String::from).to_vec();
    sim.put_records("clicks", &data).unwrap();
    secs(&mut sim, 30);
    let tries: Vec<String> = seen(&sim)
        .into_iter()
        .map(|l| l.split(' ').nth(1).unwrap().to_string())
        .collect();
    // first try: all four; retry from "bad" (seq 3): bad, c; then retries are exhausted
    assert_eq!(tries, ["a", "b", "bad", "c", "bad", "c"]);
    let m = &sim.view().stream_mappings[0];
    assert_eq!((m.processed, m.discarded), (2, 2));
    let msgs = sim.queue_messages("failures");
    assert_eq!(msgs.len(), 1);
    let rec: serde_json::Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(rec["KinesisBatchInfo"]["startSequenceNumber"], "3");
    assert_eq!(rec["KinesisBatchInfo"]["batchSize"], 2);
    assert!(rec["responseContext"].get("functionError").is_none());
}

#[test]
fn a_malformed_partial_response_fails_the_whole_batch_and_without_the_setting_it_is_ignored() {
    // docs/lambda-behaviour.md §2.21: an item without an itemIdentifier fails the whole batch
    let bad = HandlerSpec::Script(
        r#"|event, context| { for r in event.Records { log("shardId- " + base64_decode(r.kinesis.data)); } #{ batchItemFailures: [#{ id: "1" }] } }"#.into(),
    );
    for (report, expected_tries) in [(true, 2), (false, 1)] {
        let mut sim = world();
        mapping(
            &mut sim,
            bad.clone(),
            StreamMappingConfig {
                maximum_retry_attempts: 1,
                report_batch_item_failures: report,
                ..Default::default()
            },
        );
        sim.put_records("clicks", &["a".into(), "b".into()])
            .unwrap();
        secs(&mut sim, 30);
        let m = &sim.view().stream_mappings[0];
        assert_eq!(seen(&sim).len(), 2 * expected_tries, "report = {report}");
        if report {
            assert_eq!((m.processed, m.discarded), (0, 2));
        } else {
            assert_eq!((m.processed, m.discarded), (2, 0));
        }
    }
}
