//! SQS FIFO queues as event sources: message groups, in-order processing within a group, groups
//! in parallel (docs/lambda-behaviour.md §2.17).

mod common;

use common::*;
use lab_runtime::clock::SEC;
use lab_runtime::state::sqs_mapping::SqsMappingConfig;
use lab_runtime::{HandlerSpec, Simulation};

/// A FIFO queue `jobs.fifo` and a function `f` (1 s per batch) reading it in batches of
/// `batch_size`.
fn setup(batch_size: u32) -> Simulation {
    let mut sim = world();
    sim.create_queue_of_kind("jobs.fifo", 30, None, true)
        .unwrap();
    create(&mut sim, "f", profile(0.0, 1000.0, 0.0));
    sim.create_sqs_mapping(SqsMappingConfig {
        queue: "jobs.fifo".into(),
        function: "f".into(),
        batch_size,
        ..Default::default()
    })
    .unwrap();
    sim
}

fn send(sim: &mut Simulation, group: &str, body: &str) {
    sim.send_messages_in_group("jobs.fifo", body, 1, Some(group))
        .unwrap();
}

#[test]
fn a_fifo_queue_name_must_end_in_fifo_and_only_a_fifo_queue_may() {
    // docs/lambda-behaviour.md §2.17
    let mut sim = world();
    let e = sim
        .create_queue_of_kind("jobs", 30, None, true)
        .unwrap_err();
    assert!(e.message.contains("must end with .fifo suffix"), "{e}");
    let e = sim.create_queue("jobs.fifo", 30, None).unwrap_err();
    assert!(e.message.contains("fifo = true"), "{e}");
    assert!(sim
        .create_queue_of_kind("jobs.fifo", 30, None, true)
        .is_ok());
}

#[test]
fn sending_to_a_fifo_queue_needs_a_message_group_id() {
    // docs/lambda-behaviour.md §2.17
    let mut sim = setup(10);
    let e = sim.send_messages("jobs.fifo", "x", 1).unwrap_err();
    assert_eq!(e.code, "MissingParameter");
    assert_eq!(
        e.message,
        "The request must contain the parameter MessageGroupId."
    );
}

#[test]
fn a_fifo_mapping_takes_batches_of_at_most_10() {
    // docs/lambda-behaviour.md §2.17
    let mut sim = world();
    sim.create_queue_of_kind("jobs.fifo", 30, None, true)
        .unwrap();
    create(&mut sim, "f", profile(0.0, 10.0, 0.0));
    let e = sim
        .create_sqs_mapping(SqsMappingConfig {
            queue: "jobs.fifo".into(),
            function: "f".into(),
            batch_size: 11,
            batching_window_s: 1,
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.message.contains("batchSize"), "{e}");
}

/// (start, end) of each SQS invocation of `f`, in start order.
fn batches(sim: &Simulation) -> Vec<(u64, u64)> {
    let mut v: Vec<(u64, u64)> = sim
        .records()
        .items()
        .iter()
        .map(|r| (r.start_us, r.start_us + r.init_us + r.duration_us))
        .collect();
    v.sort();
    v
}

#[test]
fn one_group_is_processed_one_batch_at_a_time_in_order() {
    // docs/lambda-behaviour.md §2.17: a group's next batch waits for the one in flight
    let mut sim = setup(2);
    for i in 1..=6 {
        send(&mut sim, "a", &format!("a{i}"));
    }
    settle(&mut sim);
    let b = batches(&sim);
    assert_eq!(b.len(), 3, "6 messages in batches of 2");
    for w in b.windows(2) {
        assert!(w[1].0 >= w[0].1, "one batch at a time: {b:?}");
    }
    // a standard queue would run the three batches at once
    let mut std_sim = world();
    std_sim.create_queue("jobs", 30, None).unwrap();
    create(&mut std_sim, "f", profile(0.0, 1000.0, 0.0));
    std_sim
        .create_sqs_mapping(SqsMappingConfig {
            queue: "jobs".into(),
            function: "f".into(),
            batch_size: 2,
            ..Default::default()
        })
        .unwrap();
    std_sim.send_messages("jobs", "x", 6).unwrap();
    settle(&mut std_sim);
    let s = batches(&std_sim);
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].0, s[2].0, "standard: in parallel");
}

#[test]
fn batches_of_different_groups_run_in_parallel() {
    // docs/lambda-behaviour.md §2.17: concurrency up to the number of groups
    let mut sim = setup(1);
    for g in ["a", "b", "c"] {
        send(&mut sim, g, &format!("{g}1"));
        send(&mut sim, g, &format!("{g}2"));
    }
    settle(&mut sim);
    let b = batches(&sim);
    assert_eq!(b.len(), 6);
    let first_wave: Vec<_> = b.iter().filter(|x| x.0 == b[0].0).collect();
    assert_eq!(first_wave.len(), 3, "one batch per group at once: {b:?}");
    assert!(
        b[3].0 >= b[0].1,
        "each group's second message after its first"
    );
}

#[test]
fn records_carry_the_message_group_id_and_a_failed_batch_holds_its_group_back() {
    // docs/lambda-behaviour.md §2.17: failed messages are retried before the group moves on
    let mut sim = world();
    sim.create_queue_of_kind("jobs.fifo", 5, None, true)
        .unwrap();
    // fails on the first receive of "a1", succeeds after; logs each record's group and body
    let src = r#"|event, context| {
        for r in event.Records {
            log(r.attributes.MessageGroupId + "/" + r.body + "/" + r.attributes.ApproximateReceiveCount);
            if r.body == "a1" && r.attributes.ApproximateReceiveCount == "1" { throw "first try"; }
        }
    }"#;
    create(&mut sim, "f", HandlerSpec::Script(src.into()));
    sim.create_sqs_mapping(SqsMappingConfig {
        queue: "jobs.fifo".into(),
        function: "f".into(),
        batch_size: 1,
        ..Default::default()
    })
    .unwrap();
    send(&mut sim, "a", "a1");
    send(&mut sim, "a", "a2");
    send(&mut sim, "b", "b1");
    sim.advance_by(60 * SEC);
    let seen: Vec<String> = sim
        .log_lines()
        .into_iter()
        .filter_map(|l| l.text.split('\t').nth(2).map(str::to_string))
        .filter(|t| t.contains('/'))
        .collect();
    let a: Vec<&String> = seen.iter().filter(|s| s.starts_with("a/")).collect();
    assert_eq!(a, ["a/a1/1", "a/a1/2", "a/a2/1"], "{seen:?}");
    // b was not held back by a's failure
    let b_at = seen.iter().position(|s| s == "b/b1/1").unwrap();
    let retry_at = seen.iter().position(|s| s == "a/a1/2").unwrap();
    assert!(b_at < retry_at, "{seen:?}");
}
