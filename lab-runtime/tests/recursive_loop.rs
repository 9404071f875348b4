//! Lambda's recursive loop detection (docs/lambda-behaviour.md §2.16): a function that feeds its
//! own queue runs 16 invocations in one chain of requests, then the next is dropped, counted, and
//! the message reaches the queue's DLQ by its redrive policy; `recursive_loop = "allow"` lets the
//! loop run on.

use std::path::PathBuf;

use lab_runtime::scenario::Scenario;
use serde_json::Value;

fn example() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content/scenarios/recursive-loop.toml");
    std::fs::read_to_string(path).unwrap()
}

fn run(source: &str) -> Value {
    let scenario = Scenario::parse(source).unwrap();
    let report = scenario.run(source, None).unwrap();
    serde_json::to_value(&report).unwrap()
}

fn function(v: &Value) -> &Value {
    &v["functions"][0]
}

fn queue<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == name)
        .unwrap()
}

#[test]
fn a_function_feeding_its_own_queue_is_stopped_after_16_invocations() {
    let v = run(&example());
    let f = function(&v);
    assert_eq!(f["invocations"], 16, "{f}");
    // dropped at each of the 3 receives, then redriven to the DLQ
    assert_eq!(f["recursive_invocations_dropped"], 3, "{f}");
    assert_eq!(queue(&v, "echo-dlq")["visible"], 1);
    assert_eq!(queue(&v, "echo")["visible"], 0);
    assert_eq!(queue(&v, "echo")["in_flight"], 0);
}

#[test]
fn the_text_report_names_the_loop() {
    let source = example();
    let scenario = Scenario::parse(&source).unwrap();
    let text = lab_runtime::report_text::render(&scenario.run(&source, None).unwrap());
    assert!(
        text.contains(
            "echo: recursive loop detected, 3 invocations dropped (RecursiveInvocationsDropped)"
        ),
        "{text}"
    );
}

#[test]
fn allow_lets_the_loop_run_on() {
    // ten virtual seconds of an unchecked loop are already past 16 invocations
    let allowed = example()
        .replace(
            "timeout_s = 10\n",
            "timeout_s = 10\nrecursive_loop = \"allow\"\n",
        )
        .replace("end_s = 600", "end_s = 10");
    let v = run(&allowed);
    let f = function(&v);
    assert!(f["invocations"].as_u64().unwrap() > 16, "{f}");
    assert!(f.get("recursive_invocations_dropped").is_none(), "{f}");
    assert_eq!(queue(&v, "echo-dlq")["visible"], 0);
}

#[test]
fn a_chain_started_by_a_direct_invoke_counts_that_invoke() {
    // the first invocation is the caller's own; it sends the message that starts the loop
    let direct = example()
        .replace(
            "    for r in event.Records {",
            "    if event.start == true { sqs_send(\"echo\", \"hello\"); return \"started\"; }\n    for r in event.Records {",
        )
        .replace(
            "do = \"send_messages\"\nqueue = \"echo\"\nbody = \"hello\"",
            "do = \"invoke\"\nfunction = \"echo\"\npayload = '{\"start\": true}'",
        );
    let v = run(&direct);
    assert_eq!(function(&v)["invocations"], 16);
}

#[test]
fn a_message_a_handler_sends_is_not_received_before_it_was_sent() {
    // docs/lambda-behaviour.md §2.13: the simulator computes a handler's run at once, but the
    // message it sends exists only from the time of the call, so the chain is one invocation
    // after another (before the fix, 5 pollers received the messages of runs not yet finished)
    let v = run(&example());
    let starts: Vec<u64> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["start_us"].as_u64().unwrap() + r["init_us"].as_u64().unwrap())
        .collect();
    assert_eq!(starts.len(), 16);
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    assert!(function(&v)["peak_concurrency"].as_u64().unwrap() <= 2);
}
