//! Asynchronous invocation: retries, event age, destinations, DLQ (docs/lambda-behaviour.md §1).

mod common;

use common::*;
use lab_runtime::clock::{HOUR, MIN, SEC};
use lab_runtime::model::{Outcome, Trigger};
use lab_runtime::sqs::Message;
use lab_runtime::{AsyncConfig, InvokeOutcome};

fn async_starts(sim: &lab_runtime::Simulation) -> Vec<u64> {
    sim.records()
        .items()
        .iter()
        .filter(|r| r.trigger == Trigger::Async && r.outcome != Outcome::Throttled)
        .map(|r| r.start_us)
        .collect()
}

fn setup(error_rate: f64, cfg: AsyncConfig) -> lab_runtime::Simulation {
    let mut sim = world();
    sim.create_queue("dlq", 30, None).unwrap();
    sim.create_queue("failures", 30, None).unwrap();
    sim.create_queue("successes", 30, None).unwrap();
    create(&mut sim, "f", profile(0.0, 1000.0, error_rate));
    sim.put_event_invoke_config("f", cfg).unwrap();
    sim
}

#[test]
fn async_invoke_answers_202_at_once_and_runs_later() {
    // docs/lambda-behaviour.md §1.4
    let mut sim = setup(0.0, AsyncConfig::default());
    assert!(matches!(
        event(&mut sim, "f", "{}"),
        InvokeOutcome::Queued { status: 202, .. }
    ));
    assert_eq!(sim.view().async_events.len(), 1);
    secs(&mut sim, 2);
    assert_eq!(sim.async_outcomes().succeeded, 1);
    assert!(sim.view().async_events.is_empty());
}

#[test]
fn async_failure_retries_twice_one_then_two_minutes_apart() {
    // docs/lambda-behaviour.md §1.5: about 1 min after the first failure, 2 min after the second
    let cfg = AsyncConfig {
        dead_letter_queue: Some("dlq".into()),
        ..Default::default()
    };
    let mut sim = setup(1.0, cfg);
    event(&mut sim, "f", r#"{"order":1}"#);
    sim.advance_by(HOUR);
    let starts = async_starts(&sim);
    assert_eq!(starts.len(), 3, "first attempt + 2 retries");
    // each attempt runs 1 s; retry delay counts from the failure
    assert_eq!(starts[1] - (starts[0] + SEC), MIN);
    assert_eq!(starts[2] - (starts[1] + SEC), 2 * MIN);
    assert_eq!(sim.async_outcomes().to_dlq, 1);
}

#[test]
fn dlq_message_is_the_raw_event_with_request_id_error_code_and_message() {
    // docs/lambda-behaviour.md §1.10
    let cfg = AsyncConfig {
        dead_letter_queue: Some("dlq".into()),
        maximum_retry_attempts: 0,
        ..Default::default()
    };
    let mut sim = setup(1.0, cfg);
    let InvokeOutcome::Queued { request_id, .. } = event(&mut sim, "f", r#"{"order":1}"#) else {
        panic!()
    };
    secs(&mut sim, 5);
    let msgs: Vec<Message> = sim.queue_messages("dlq");
    assert_eq!(msgs.len(), 1);
    assert_eq!(&*msgs[0].body, r#"{"order":1}"#);
    let attr = |k: &str| {
        msgs[0]
            .attributes
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(attr("RequestID"), Some(request_id.to_string()));
    assert_eq!(attr("ErrorCode").as_deref(), Some("200"));
    assert_eq!(attr("ErrorMessage").as_deref(), Some("simulated failure"));
}

#[test]
fn maximum_retry_attempts_zero_means_one_attempt() {
    // docs/lambda-behaviour.md §1.7: MaximumRetryAttempts 0-2
    let cfg = AsyncConfig {
        maximum_retry_attempts: 0,
        ..Default::default()
    };
    let mut sim = setup(1.0, cfg);
    event(&mut sim, "f", "{}");
    sim.advance_by(HOUR);
    assert_eq!(async_starts(&sim).len(), 1);
    assert_eq!(
        sim.async_outcomes().dropped.get("RetriesExhausted"),
        Some(&1)
    );
    assert_eq!(sim.metric_totals("f").unwrap().async_events_dropped, 1);
}

#[test]
fn on_failure_destination_receives_the_invocation_record() {
    // docs/lambda-behaviour.md §1.9
    let cfg = AsyncConfig {
        on_failure: Some("failures".into()),
        ..Default::default()
    };
    let mut sim = setup(1.0, cfg);
    let InvokeOutcome::Queued { request_id, .. } = event(&mut sim, "f", r#"{"k":"v"}"#) else {
        panic!()
    };
    sim.advance_by(HOUR);
    let msgs = sim.queue_messages("failures");
    assert_eq!(msgs.len(), 1);
    let r: serde_json::Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(r["version"], "1.0");
    assert!(r["timestamp"]
        .as_str()
        .unwrap()
        .starts_with("2026-01-01T00:0"));
    assert_eq!(r["requestContext"]["requestId"], request_id.to_string());
    assert_eq!(
        r["requestContext"]["functionArn"],
        "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST"
    );
    assert_eq!(r["requestContext"]["condition"], "RetriesExhausted");
    assert_eq!(r["requestContext"]["approximateInvokeCount"], 3);
    assert_eq!(r["requestPayload"]["k"], "v");
    assert_eq!(r["responseContext"]["statusCode"], 200);
    assert_eq!(r["responseContext"]["executedVersion"], "$LATEST");
    assert_eq!(r["responseContext"]["functionError"], "Unhandled");
    assert_eq!(r["responsePayload"]["errorType"], "Error");
    assert_eq!(sim.async_outcomes().to_on_failure, 1);
}

#[test]
fn on_success_destination_receives_a_success_record() {
    // docs/lambda-behaviour.md §1.8: optional on-success destination
    let cfg = AsyncConfig {
        on_success: Some("successes".into()),
        ..Default::default()
    };
    let mut sim = setup(0.0, cfg);
    event(&mut sim, "f", "{}");
    secs(&mut sim, 5);
    let msgs = sim.queue_messages("successes");
    assert_eq!(msgs.len(), 1);
    let r: serde_json::Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(r["requestContext"]["condition"], "Success");
    assert!(r["responseContext"].get("functionError").is_none());
}

#[test]
fn event_older_than_maximum_event_age_is_expired_with_event_age_exceeded() {
    // docs/lambda-behaviour.md §1.7: MaximumEventAgeInSeconds; §1.9: EventAgeExceeded
    let cfg = AsyncConfig {
        maximum_event_age_s: 90,
        on_failure: Some("failures".into()),
        ..Default::default()
    };
    let mut sim = setup(1.0, cfg);
    event(&mut sim, "f", "{}");
    sim.advance_by(HOUR);
    assert_eq!(
        async_starts(&sim).len(),
        2,
        "the second retry would be past 90 s"
    );
    let r: serde_json::Value =
        serde_json::from_str(&sim.queue_messages("failures")[0].body).unwrap();
    assert_eq!(r["requestContext"]["condition"], "EventAgeExceeded");
}

#[test]
fn reserved_zero_sends_async_events_straight_to_dlq_without_retries() {
    // docs/lambda-behaviour.md §1.8: reserved concurrency 0 -> DLQ without retries
    let cfg = AsyncConfig {
        dead_letter_queue: Some("dlq".into()),
        ..Default::default()
    };
    let mut sim = setup(0.0, cfg);
    sim.put_function_concurrency("f", Some(0)).unwrap();
    event(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(sim.async_outcomes().to_dlq, 1);
    assert!(async_starts(&sim).is_empty());
    assert_eq!(sim.queue_messages("dlq")[0].attributes[1].1, "429");
}

#[test]
fn throttled_async_events_are_retried_with_growing_intervals() {
    // docs/lambda-behaviour.md §1.6, §4.8
    let mut sim = setup(0.0, AsyncConfig::default());
    sim.put_function_concurrency("f", Some(1)).unwrap();
    let mut c = sim.view().functions[0].config.clone();
    c.timeout_s = 900;
    sim.update_function_configuration(c).unwrap();
    sim.update_function_code("f", profile(0.0, 600_000.0, 0.0))
        .unwrap(); // 10 min each
    event(&mut sim, "f", "{}");
    event(&mut sim, "f", "{}");
    sim.advance_by(2 * HOUR);
    let throttles: Vec<u64> = sim
        .records()
        .items()
        .iter()
        .filter(|r| r.outcome == Outcome::Throttled)
        .map(|r| r.start_us)
        .collect();
    let gaps: Vec<u64> = throttles.windows(2).map(|w| (w[1] - w[0]) / SEC).collect();
    assert_eq!(&gaps[..4], &[1, 2, 4, 8], "exponential from 1 s");
    assert!(gaps.iter().all(|g| *g <= 300), "at most 5 min: {gaps:?}");
    assert_eq!(
        sim.async_outcomes().succeeded,
        2,
        "second one ran once the first finished"
    );
}

#[test]
fn every_async_event_ends_exactly_once() {
    // docs/lambda-behaviour.md §1.8
    let cfg = AsyncConfig {
        dead_letter_queue: Some("dlq".into()),
        ..Default::default()
    };
    let mut sim = setup(0.5, cfg);
    for _ in 0..50 {
        event(&mut sim, "f", "{}");
        sim.advance_by(100_000);
    }
    sim.advance_by(HOUR);
    let o = sim.async_outcomes();
    assert_eq!(o.received, 50);
    assert_eq!(o.finished(), 50);
    assert!(o.to_dlq > 0 && o.succeeded > 0);
}

#[test]
fn destination_without_send_permission_is_a_delivery_failure() {
    // docs/lambda-behaviour.md §8.3: DestinationDeliveryFailures / DeadLetterErrors
    let mut sim = lab_runtime::Simulation::new(Default::default(), 1);
    sim.create_role(
        "bare",
        lab_runtime::iam::LAMBDA_TRUST,
        &[],
        &["AWSLambdaBasicExecutionRole".into()],
    )
    .unwrap();
    sim.create_queue("dlq", 30, None).unwrap();
    let mut c = lab_runtime::FunctionConfig::new("f", "bare", profile(0.0, 10.0, 1.0));
    c.async_config = AsyncConfig {
        maximum_retry_attempts: 0,
        dead_letter_queue: Some("dlq".into()),
        ..Default::default()
    };
    sim.create_function(c).unwrap();
    event(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(sim.metric_totals("f").unwrap().dead_letter_errors, 1);
    assert_eq!(
        sim.async_outcomes().dropped.get("DeadLetterError"),
        Some(&1)
    );
}
