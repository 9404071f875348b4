//! Stream mappings with `ParallelizationFactor`: concurrent batches per shard, in order per
//! partition key (docs/lambda-behaviour.md §2.10: `ParallelizationFactor` 1–10; the order per
//! partition key: AWS Compute Blog, https://aws.amazon.com/blogs/compute/new-aws-lambda-scaling-controls-for-kinesis-and-dynamodb-event-sources/).

mod common;

use common::*;
use lab_runtime::clock::{MS, SEC};
use lab_runtime::state::stream_mapping::{lane_of, StreamMappingConfig};
use lab_runtime::{HandlerSpec, Simulation};

fn stream_world(handler: HandlerSpec, factor: u32, batch_size: u32) -> Simulation {
    let mut sim = world();
    create(&mut sim, "consumer", handler);
    sim.create_stream_mapping(StreamMappingConfig {
        stream: "clicks".into(),
        function: "consumer".into(),
        batch_size,
        parallelization_factor: factor,
        ..Default::default()
    })
    .unwrap();
    sim
}

/// `n` records over `keys` partition keys: (records, keys).
fn keyed(n: usize, keys: usize) -> (Vec<String>, Vec<String>) {
    (0..n)
        .map(|i| (format!("{i}"), format!("k{}", i % keys)))
        .unzip()
}

#[test]
fn parallelization_factor_runs_up_to_n_batches_of_a_shard_at_once() {
    // docs/lambda-behaviour.md §2.10: ParallelizationFactor 1–10
    for (factor, expected) in [(1, 1), (4, 4)] {
        let mut sim = stream_world(profile(10.0, 1000.0, 0.0), factor, 2);
        let (records, keys) = keyed(40, 20);
        sim.put_records_with_keys("clicks", &records, &keys)
            .unwrap();
        sim.advance_by(100 * MS);
        assert_eq!(sim.function_in_flight("consumer"), Some(expected));
        assert_eq!(sim.view().stream_mappings[0].in_flight(), expected as usize);
        secs(&mut sim, 60);
        let m = &sim.view().stream_mappings[0];
        assert_eq!((m.processed, m.pending()), (40, 0));
    }
}

#[test]
fn records_of_one_partition_key_stay_in_order_across_parallel_batches() {
    // docs/lambda-behaviour.md §2.10 (ParallelizationFactor); it keeps order per partition key: AWS Compute Blog,
    // https://aws.amazon.com/blogs/compute/new-aws-lambda-scaling-controls-for-kinesis-and-dynamodb-event-sources/
    let src = "|event, context| { for r in event.Records { sleep(parse_int(base64_decode(r.kinesis.data)) % 7 * 10); log(r.kinesis.partitionKey + \" \" + base64_decode(r.kinesis.data)); } 1 }";
    let mut sim = stream_world(HandlerSpec::Script(src.into()), 5, 3);
    let (records, keys) = keyed(60, 6);
    sim.put_records_with_keys("clicks", &records, &keys)
        .unwrap();
    secs(&mut sim, 120);
    let mut seen: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for l in lines(&sim) {
        if let Some(msg) = l.split("\tINFO\t").nth(1) {
            let (k, n) = msg.split_once(' ').unwrap();
            seen.entry(k.into()).or_default().push(n.parse().unwrap());
        }
    }
    assert_eq!(seen.len(), 6);
    for (k, v) in &seen {
        assert_eq!(v.len(), 10, "{k}");
        assert!(v.windows(2).all(|w| w[0] < w[1]), "{k}: {v:?}");
    }
    assert!(sim.view().functions[0].stats.peak_concurrency > 1);
}

#[test]
fn a_failing_partition_key_blocks_only_its_lane() {
    // docs/lambda-behaviour.md §2.7: a failing batch blocks (its part of) the shard
    let other = (0..100)
        .map(|i| format!("key{i}"))
        .find(|k| lane_of(k, 2) != lane_of("bad", 2))
        .unwrap();
    let src = "|event, context| { for r in event.Records { if r.kinesis.partitionKey == \"bad\" { throw \"bad\"; } } 1 }";
    let mut sim = stream_world(HandlerSpec::Script(src.into()), 2, 10);
    sim.put_records_with_keys(
        "clicks",
        &["1".into(), "2".into(), "3".into()],
        &["bad".into(), other.clone(), other],
    )
    .unwrap();
    sim.advance_by(30 * SEC);
    let m = &sim.view().stream_mappings[0];
    assert_eq!(m.processed, 2, "the other lane got through");
    assert_eq!(m.pending(), 1, "the failing record blocks its own lane");
    assert!(m.iterator_age_ms >= 25_000);
}

#[test]
fn parallelization_factor_outside_1_to_10_is_a_validation_exception() {
    // docs/lambda-behaviour.md §2.10: ParallelizationFactor 1–10
    let mut sim = world();
    create(&mut sim, "consumer", profile(1.0, 1.0, 0.0));
    for bad in [0, 11] {
        let e = sim
            .create_stream_mapping(StreamMappingConfig {
                stream: "s".into(),
                function: "consumer".into(),
                parallelization_factor: bad,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.code, "ValidationException");
        assert!(
            e.message.contains("'parallelizationFactor'"),
            "{}",
            e.message
        );
    }
}
