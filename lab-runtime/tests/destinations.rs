//! Asynchronous destinations beyond SQS: SNS topics, EventBridge buses and other functions, with
//! the execution role's permission to send (docs/lambda-behaviour.md §1.13–§1.16).

mod common;

use common::*;
use lab_runtime::iam::LAMBDA_TRUST;
use lab_runtime::state::event_bus::Rule;
use lab_runtime::{AsyncConfig, HandlerSpec, Simulation};
use serde_json::Value;

const SENDER: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sns:Publish","events:PutEvents","lambda:InvokeFunction","sqs:SendMessage"],"Resource":"*"}]}"#;

fn script(src: &str) -> HandlerSpec {
    HandlerSpec::Script(src.into())
}

/// A world with a `sender` role allowed to send to every kind of destination, a plain `fn-role`,
/// and a function `recorder` that logs its event as JSON.
fn setup() -> Simulation {
    let mut sim = world();
    sim.create_role(
        "sender",
        LAMBDA_TRUST,
        &[SENDER.to_string()],
        &["AWSLambdaBasicExecutionRole".to_string()],
    )
    .unwrap();
    create(
        &mut sim,
        "recorder",
        script("|event, context| { log(to_json(event)); }"),
    );
    sim
}

fn source(sim: &mut Simulation, role: &str, fails: bool, cfg: AsyncConfig) {
    let body = if fails {
        r#"|event, context| { throw #{ errorType: "Bad", errorMessage: "bad order" }; }"#
    } else {
        r#"|event, context| { #{ ok: event.n } }"#
    };
    let mut c = lab_runtime::FunctionConfig::new("src", role, script(body));
    c.async_config = AsyncConfig {
        maximum_retry_attempts: 0,
        ..cfg
    };
    sim.create_function(c).unwrap();
}

/// The events `recorder` logged, parsed.
fn recorded(sim: &Simulation) -> Vec<Value> {
    sim.log_lines()
        .into_iter()
        .filter(|l| &*l.function == "recorder")
        .filter_map(|l| {
            let json = l.text.split('\t').next_back()?;
            serde_json::from_str(json).ok()
        })
        .collect()
}

fn allow_service(sim: &mut Simulation, function: &str, service: &str, source_arn: &str) {
    sim.add_permission(function, "svc", service, Some(source_arn), None)
        .unwrap();
}

#[test]
fn a_function_destination_is_invoked_asynchronously_with_the_record_as_its_event() {
    // docs/lambda-behaviour.md §1.16, §1.9
    let mut sim = setup();
    let cfg = AsyncConfig {
        on_success: Some("lambda:recorder".into()),
        ..Default::default()
    };
    source(&mut sim, "sender", false, cfg);
    event(&mut sim, "src", r#"{"n": 7}"#);
    settle(&mut sim);
    let got = recorded(&sim);
    assert_eq!(got.len(), 1, "{:?}", lines(&sim));
    assert_eq!(got[0]["requestContext"]["condition"], "Success");
    assert_eq!(got[0]["requestPayload"]["n"], 7);
    assert_eq!(got[0]["responsePayload"]["ok"], 7);
    assert_eq!(sim.async_outcomes().to_on_success, 1);
    // the destination's own invocation is an asynchronous one
    assert_eq!(sim.async_outcomes().received, 2);
    assert_eq!(sim.async_outcomes().succeeded, 2);
}

#[test]
fn on_failure_to_a_topic_reaches_a_queue_in_the_sns_envelope() {
    // docs/lambda-behaviour.md §1.14
    let mut sim = setup();
    sim.create_queue("audit", 30, None).unwrap();
    sim.create_topic("failures", &["audit".into()]).unwrap();
    let cfg = AsyncConfig {
        on_failure: Some("arn:aws:sns:us-east-1:123456789012:failures".into()),
        ..Default::default()
    };
    source(&mut sim, "sender", true, cfg);
    event(&mut sim, "src", r#"{"n": 1}"#);
    settle(&mut sim);
    let msgs = sim.queue_messages("audit");
    assert_eq!(msgs.len(), 1);
    let env: Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(env["Type"], "Notification");
    assert_eq!(
        env["TopicArn"],
        "arn:aws:sns:us-east-1:123456789012:failures"
    );
    let record: Value = serde_json::from_str(env["Message"].as_str().unwrap()).unwrap();
    assert_eq!(record["requestContext"]["condition"], "RetriesExhausted");
    assert_eq!(record["responsePayload"]["errorType"], "Bad");
    assert_eq!(sim.async_outcomes().to_on_failure, 1);
    assert_eq!(sim.topic("failures").unwrap().counts().delivered, 1);
}

#[test]
fn a_topic_invokes_a_subscribed_function_only_when_its_policy_allows_sns() {
    // docs/lambda-behaviour.md §1.14: asynchronous invoke by sns.amazonaws.com
    let mut sim = setup();
    sim.create_topic("failures", &["lambda:recorder".into()])
        .unwrap();
    let cfg = AsyncConfig {
        on_failure: Some("sns:failures".into()),
        ..Default::default()
    };
    source(&mut sim, "sender", true, cfg);
    event(&mut sim, "src", "{}");
    settle(&mut sim);
    assert!(recorded(&sim).is_empty(), "no permission for SNS yet");
    assert_eq!(sim.topic("failures").unwrap().counts().failed, 1);
    allow_service(
        &mut sim,
        "recorder",
        "sns.amazonaws.com",
        "arn:aws:sns:us-east-1:123456789012:failures",
    );
    event(&mut sim, "src", "{}");
    settle(&mut sim);
    let got = recorded(&sim);
    assert_eq!(got.len(), 1);
    let rec = &got[0]["Records"][0];
    assert_eq!(rec["EventSource"], "aws:sns");
    let inner: Value = serde_json::from_str(rec["Sns"]["Message"].as_str().unwrap()).unwrap();
    assert_eq!(inner["requestContext"]["condition"], "RetriesExhausted");
}

#[test]
fn an_sns_dead_letter_queue_gets_the_event_with_the_three_attributes() {
    // docs/lambda-behaviour.md §1.14, §1.10
    let mut sim = setup();
    sim.create_queue("dead", 30, None).unwrap();
    sim.create_topic("dlq-topic", &["dead".into()]).unwrap();
    let cfg = AsyncConfig {
        dead_letter_queue: Some("sns:dlq-topic".into()),
        ..Default::default()
    };
    source(&mut sim, "sender", true, cfg);
    event(&mut sim, "src", r#"{"order": 9}"#);
    settle(&mut sim);
    let msgs = sim.queue_messages("dead");
    assert_eq!(msgs.len(), 1);
    let env: Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(env["Message"], r#"{"order": 9}"#, "the event, unchanged");
    let attrs = &env["MessageAttributes"];
    assert_eq!(attrs["ErrorCode"]["Value"], "200");
    assert_eq!(attrs["ErrorMessage"]["Value"], "bad order");
    assert_eq!(attrs["RequestID"]["Type"], "String");
    assert_eq!(sim.async_outcomes().to_dlq, 1);
}

#[test]
fn an_event_bus_rule_sends_lambda_events_that_match_its_pattern() {
    // docs/lambda-behaviour.md §1.15
    let mut sim = setup();
    sim.create_queue("successes", 30, None).unwrap();
    sim.create_queue("failures", 30, None).unwrap();
    let rule = |name: &str, detail: &str, target: &str| Rule {
        name: name.into(),
        source: vec!["lambda".into()],
        detail_type: vec![detail.into()],
        targets: vec![target.into()],
    };
    sim.create_event_bus(
        "orders",
        &[
            rule(
                "ok",
                "Lambda Function Invocation Result - Success",
                "successes",
            ),
            rule(
                "bad",
                "Lambda Function Invocation Result - Failure",
                "lambda:recorder",
            ),
        ],
    )
    .unwrap();
    allow_service(
        &mut sim,
        "recorder",
        "events.amazonaws.com",
        "arn:aws:events:us-east-1:123456789012:rule/orders/bad",
    );
    let cfg = AsyncConfig {
        on_success: Some("events:orders".into()),
        ..Default::default()
    };
    source(&mut sim, "sender", false, cfg);
    event(&mut sim, "src", r#"{"n": 3}"#);
    settle(&mut sim);
    let msgs = sim.queue_messages("successes");
    assert_eq!(msgs.len(), 1);
    let ev: Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(ev["source"], "lambda");
    assert_eq!(
        ev["detail-type"],
        "Lambda Function Invocation Result - Success"
    );
    assert_eq!(ev["detail"]["responsePayload"]["ok"], 3);
    assert_eq!(
        ev["resources"][0],
        "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    );
    assert!(recorded(&sim).is_empty(), "the failure rule did not match");
    assert_eq!(sim.event_bus("orders").unwrap().counts().events, 1);
    assert_eq!(sim.event_bus("orders").unwrap().counts().delivered, 1);
}

#[test]
fn a_failure_on_an_event_bus_invokes_the_rule_target_function() {
    // docs/lambda-behaviour.md §1.15: a function target, invoked by events.amazonaws.com
    let mut sim = setup();
    sim.create_event_bus(
        "default",
        &[Rule {
            name: "any".into(),
            targets: vec!["lambda:recorder".into()],
            ..Default::default()
        }],
    )
    .unwrap();
    allow_service(
        &mut sim,
        "recorder",
        "events.amazonaws.com",
        "arn:aws:events:us-east-1:123456789012:rule/default/any",
    );
    let cfg = AsyncConfig {
        on_failure: Some("arn:aws:events:us-east-1:123456789012:event-bus/default".into()),
        ..Default::default()
    };
    source(&mut sim, "sender", true, cfg);
    event(&mut sim, "src", "{}");
    settle(&mut sim);
    let got = recorded(&sim);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["detail-type"],
        "Lambda Function Invocation Result - Failure"
    );
    assert_eq!(
        got[0]["detail"]["requestContext"]["condition"],
        "RetriesExhausted"
    );
}

#[test]
fn a_role_without_the_send_permission_loses_the_record_as_a_delivery_failure() {
    // docs/lambda-behaviour.md §1.13: sns:Publish, events:PutEvents, lambda:InvokeFunction
    for dest in ["sns:t", "events:b", "lambda:recorder"] {
        let mut sim = setup();
        sim.create_queue("q", 30, None).unwrap();
        sim.create_topic("t", &["q".into()]).unwrap();
        sim.create_event_bus("b", &[]).unwrap();
        let cfg = AsyncConfig {
            on_failure: Some(dest.into()),
            ..Default::default()
        };
        // fn-role may send to SQS only
        source(&mut sim, "fn-role", true, cfg);
        event(&mut sim, "src", "{}");
        settle(&mut sim);
        assert_eq!(sim.async_outcomes().to_on_failure, 0, "{dest}");
        assert_eq!(
            sim.async_outcomes()
                .dropped
                .get("DestinationDeliveryFailure"),
            Some(&1),
            "{dest}"
        );
        assert!(recorded(&sim).is_empty(), "{dest}");
        assert_eq!(sim.topic("t").unwrap().counts().published, 0, "{dest}");
        assert_eq!(sim.event_bus("b").unwrap().counts().events, 0, "{dest}");
        let failures: u64 = sim
            .metrics("src")
            .unwrap()
            .buckets()
            .iter()
            .map(|b| b.destination_delivery_failures)
            .sum();
        assert_eq!(failures, 1, "{dest}");
    }
}

#[test]
fn a_fifo_queue_is_not_a_destination() {
    // docs/lambda-behaviour.md §1.13: standard queues only
    let mut sim = setup();
    sim.create_queue_of_kind("records.fifo", 30, None, true)
        .unwrap();
    let cfg = AsyncConfig {
        on_failure: Some("records.fifo".into()),
        ..Default::default()
    };
    source(&mut sim, "sender", true, cfg);
    event(&mut sim, "src", "{}");
    settle(&mut sim);
    assert!(sim.queue_messages("records.fifo").is_empty());
    assert_eq!(
        sim.async_outcomes()
            .dropped
            .get("DestinationDeliveryFailure"),
        Some(&1)
    );
}

#[test]
fn a_function_is_refused_as_a_dead_letter_queue_and_a_bus_as_a_stream_destination() {
    // docs/lambda-behaviour.md §1.13
    let mut sim = setup();
    let mut c = function("f", profile(0.0, 10.0, 0.0));
    c.async_config.dead_letter_queue = Some("lambda:recorder".into());
    let e = sim.create_function(c).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
    assert!(e.message.contains("SQS queue or an SNS topic"), "{e}");
    let e = sim
        .put_event_invoke_config(
            "recorder",
            AsyncConfig {
                on_success: Some("s3:bucket".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(e.message.contains("is not understood"), "{e}");
    let e = sim
        .create_stream_mapping(lab_runtime::state::stream_mapping::StreamMappingConfig {
            stream: "s".into(),
            function: "recorder".into(),
            on_failure: Some("events:default".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.message.contains("SQS queue or an SNS topic"), "{e}");
}
