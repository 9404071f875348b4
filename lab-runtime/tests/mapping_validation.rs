//! Creating event source mappings is checked as AWS checks it (docs/lambda-behaviour.md §2.12,
//! §2.6), and SQS pollers long-poll (§2.13).

mod common;

use common::*;
use lab_runtime::clock::SEC;
use lab_runtime::iam::LAMBDA_TRUST;
use lab_runtime::model::Trigger;
use lab_runtime::state::sqs_mapping::SqsMappingConfig;
use lab_runtime::state::stream_mapping::{StreamMappingConfig, StreamSource};
use lab_runtime::{FunctionConfig, Simulation};

fn policy(actions: &[&str]) -> String {
    let a: Vec<String> = actions.iter().map(|x| format!("\"{x}\"")).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
        a.join(",")
    )
}

/// A world whose function `worker` (timeout `timeout_s`) has a role with exactly `actions`.
fn with_role(actions: &[&str], timeout_s: u32) -> Simulation {
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "r",
        LAMBDA_TRUST,
        &[policy(actions)],
        &["AWSLambdaBasicExecutionRole".into()],
    )
    .unwrap();
    let mut c = FunctionConfig::new("worker", "r", profile(0.0, 50.0, 0.0));
    c.timeout_s = timeout_s;
    sim.create_function(c).unwrap();
    sim.create_queue("jobs", 30, None).unwrap();
    sim
}

fn sqs(queue: &str) -> SqsMappingConfig {
    SqsMappingConfig {
        queue: queue.into(),
        function: "worker".into(),
        ..Default::default()
    }
}

const SQS_READ: [&str; 3] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
];

#[test]
fn a_role_missing_an_sqs_read_action_is_refused_with_awss_message() {
    // docs/lambda-behaviour.md §2.12
    for (i, missing) in ["ReceiveMessage", "DeleteMessage", "GetQueueAttributes"]
        .iter()
        .enumerate()
    {
        let mut granted: Vec<&str> = SQS_READ.to_vec();
        granted.remove(i);
        let mut sim = with_role(&granted, 3);
        let e = sim.create_sqs_mapping(sqs("jobs")).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValueException");
        assert_eq!(e.status, 400);
        assert_eq!(
            e.message,
            format!(
                "The function execution role does not have permissions to call {missing} on SQS"
            )
        );
    }
    let mut sim = with_role(&SQS_READ, 3);
    sim.create_sqs_mapping(sqs("jobs")).unwrap();
    // the managed policy is enough
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "r",
        LAMBDA_TRUST,
        &[],
        &["AWSLambdaSQSQueueExecutionRole".into()],
    )
    .unwrap();
    sim.create_function(FunctionConfig::new("worker", "r", profile(0.0, 50.0, 0.0)))
        .unwrap();
    sim.create_queue("jobs", 30, None).unwrap();
    sim.create_sqs_mapping(sqs("jobs")).unwrap();
}

#[test]
fn a_function_timeout_above_the_visibility_timeout_is_refused() {
    // docs/lambda-behaviour.md §2.12
    let mut sim = with_role(&SQS_READ, 60);
    let e = sim.create_sqs_mapping(sqs("jobs")).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
    assert_eq!(
        e.message,
        "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"
    );
    let mut sim = with_role(&SQS_READ, 30);
    sim.create_sqs_mapping(sqs("jobs")).unwrap();
}

#[test]
fn maximum_concurrency_is_2_to_1000_and_caps_the_batches() {
    // docs/lambda-behaviour.md §2.6
    for bad in [0, 1, 1001] {
        let mut sim = with_role(&SQS_READ, 3);
        let e = sim
            .create_sqs_mapping(SqsMappingConfig {
                maximum_concurrency: Some(bad),
                ..sqs("jobs")
            })
            .unwrap_err();
        assert_eq!(e.code, "ValidationException", "{bad}");
        assert!(
            e.message.contains("scalingConfig.maximumConcurrency"),
            "{e}"
        );
    }
    let mut sim = with_role(&SQS_READ, 3);
    sim.create_sqs_mapping(SqsMappingConfig {
        maximum_concurrency: Some(2),
        batch_size: 1,
        ..sqs("jobs")
    })
    .unwrap();
    sim.send_messages("jobs", "{}", 20).unwrap();
    sim.run_until_idle(1_000_000);
    let peak = sim.view().functions[0].stats.peak_concurrency;
    assert_eq!(peak, 2, "at most 2 batches at a time");
    assert_eq!(sim.view().queues[0].deleted, 20);
}

#[test]
fn an_idle_mapping_picks_up_a_new_message_within_seconds() {
    // docs/lambda-behaviour.md §2.13: long polling. The first message is received and processed;
    // while the pollers wait for the hidden message's visibility timeout (30 s), a second message
    // sent at 5 s must be received at once, not at 30 s.
    let mut sim = with_role(&SQS_READ, 3);
    sim.create_sqs_mapping(sqs("jobs")).unwrap();
    sim.send_messages("jobs", "{\"n\":1}", 1).unwrap();
    sim.advance_by(5 * SEC);
    sim.send_messages("jobs", "{\"n\":2}", 1).unwrap();
    sim.advance_by(10 * SEC);
    let starts: Vec<u64> = sim
        .records()
        .items()
        .iter()
        .filter(|r| r.trigger == Trigger::Sqs)
        .map(|r| r.start_us)
        .collect();
    assert_eq!(starts.len(), 2, "{starts:?}");
    assert!(starts[1] - 5 * SEC <= SEC, "picked up at {} us", starts[1]);
    assert_eq!(sim.view().queues[0].deleted, 2);
}

#[test]
fn a_stream_mapping_needs_the_read_actions_on_the_stream() {
    // docs/lambda-behaviour.md §2.12
    let kinesis = StreamMappingConfig {
        stream: "clicks".into(),
        function: "worker".into(),
        ..Default::default()
    };
    let mut sim = with_role(&["kinesis:GetRecords", "kinesis:GetShardIterator"], 3);
    let e = sim.create_stream_mapping(kinesis.clone()).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
    assert_eq!(e.message, "Cannot access stream arn:aws:kinesis:us-east-1:123456789012:stream/clicks. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListShards Actions on your stream in IAM.");
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "r",
        LAMBDA_TRUST,
        &[],
        &["AWSLambdaKinesisExecutionRole".into()],
    )
    .unwrap();
    sim.create_function(FunctionConfig::new("worker", "r", profile(0.0, 50.0, 0.0)))
        .unwrap();
    sim.create_stream_mapping(kinesis).unwrap();
    let ddb = StreamMappingConfig {
        stream: "orders".into(),
        source: StreamSource::DynamoDb,
        function: "worker".into(),
        ..Default::default()
    };
    let e = sim.create_stream_mapping(ddb.clone()).unwrap_err();
    assert!(
        e.message.starts_with(
            "Cannot access stream arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/"
        ) && e
            .message
            .ends_with("DescribeStream, and ListStreams Actions on your stream in IAM."),
        "{e}"
    );
    sim.attach_role_policy("r", "AWSLambdaDynamoDBExecutionRole")
        .unwrap();
    sim.create_stream_mapping(ddb).unwrap();
}
