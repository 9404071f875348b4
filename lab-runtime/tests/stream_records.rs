//! What stream mappings send: Kinesis records with base64 `data`, DynamoDB Streams records with
//! their own shape (docs/lambda-behaviour.md §2.14), and the on-failure record with AWS's fields
//! and an `approximateInvokeCount` equal to the invocations made (§2.15).

mod common;

use common::*;
use lab_runtime::model::Trigger;
use lab_runtime::state::stream_mapping::{StreamMappingConfig, StreamSource};
use lab_runtime::{HandlerSpec, Simulation};
use serde_json::Value;

/// A world where `consumer` returns its whole event (so the test can read what it got).
fn echo_world(source: StreamSource, stream: &str) -> Simulation {
    let mut sim = world();
    sim.attach_role_policy("fn-role", "AWSLambdaDynamoDBExecutionRole")
        .unwrap();
    create(
        &mut sim,
        "consumer",
        HandlerSpec::Script("|event, context| { log(to_json(event)); 1 }".into()),
    );
    sim.create_stream_mapping(StreamMappingConfig {
        stream: stream.into(),
        source,
        function: "consumer".into(),
        ..Default::default()
    })
    .unwrap();
    sim
}

/// The event the first invocation logged.
fn logged_event(sim: &Simulation) -> Value {
    let line = lines(sim)
        .into_iter()
        .find(|l| l.contains("\tINFO\t{"))
        .expect("the handler logged its event");
    let json = line.split_once("\tINFO\t").unwrap().1;
    serde_json::from_str(json).unwrap()
}

#[test]
fn kinesis_record_data_is_base64_and_decodes_in_a_script() {
    let mut sim = echo_world(StreamSource::Kinesis, "clicks");
    sim.put_records_with_keys("clicks", &["hello, kinesis".into()], &["user-1".into()])
        .unwrap();
    secs(&mut sim, 5);
    let ev = logged_event(&sim);
    let r = &ev["Records"][0];
    assert_eq!(r["kinesis"]["data"], "aGVsbG8sIGtpbmVzaXM=");
    assert_eq!(r["kinesis"]["partitionKey"], "user-1");
    assert_eq!(r["kinesis"]["kinesisSchemaVersion"], "1.0");
    assert_eq!(r["eventSource"], "aws:kinesis");
    assert_eq!(r["eventName"], "aws:kinesis:record");
    assert_eq!(
        r["eventSourceARN"],
        "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"
    );
    // and a script reads it back with base64_decode
    let mut sim = world();
    create(
        &mut sim,
        "decoder",
        HandlerSpec::Script(
            "|event, context| { log(\"got \" + base64_decode(event.Records[0].kinesis.data)); 1 }"
                .into(),
        ),
    );
    sim.create_stream_mapping(StreamMappingConfig {
        stream: "clicks".into(),
        function: "decoder".into(),
        ..Default::default()
    })
    .unwrap();
    sim.put_records("clicks", &["plain text".into()]).unwrap();
    secs(&mut sim, 5);
    assert!(lines(&sim)
        .iter()
        .any(|l| l.ends_with("\tINFO\tgot plain text")));
}

#[test]
fn dynamodb_stream_records_carry_keys_new_image_and_event_name() {
    let mut sim = echo_world(StreamSource::DynamoDb, "orders");
    sim.put_records(
        "orders",
        &[r#"{"pk":"order-7","total":42,"paid":true}"#.into()],
    )
    .unwrap();
    secs(&mut sim, 5);
    let ev = logged_event(&sim);
    let r = &ev["Records"][0];
    assert_eq!(r["eventName"], "INSERT");
    assert_eq!(r["eventSource"], "aws:dynamodb");
    assert_eq!(
        r["dynamodb"]["Keys"],
        serde_json::json!({"pk": {"S": "order-7"}})
    );
    assert_eq!(
        r["dynamodb"]["NewImage"],
        serde_json::json!({"pk": {"S": "order-7"}, "total": {"N": "42"}, "paid": {"BOOL": true}})
    );
    assert_eq!(r["dynamodb"]["StreamViewType"], "NEW_AND_OLD_IMAGES");
    assert!(r["eventSourceARN"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/"));
    assert!(r.get("kinesis").is_none());
}

/// A failing consumer with `MaximumRetryAttempts` = `retries` and an on-failure queue.
fn failing(source: StreamSource, retries: i64) -> Simulation {
    let mut sim = world();
    sim.attach_role_policy("fn-role", "AWSLambdaDynamoDBExecutionRole")
        .unwrap();
    sim.create_queue("stream-failures", 30, None).unwrap();
    create(&mut sim, "consumer", profile(0.0, 10.0, 1.0));
    sim.create_stream_mapping(StreamMappingConfig {
        stream: "s".into(),
        source,
        function: "consumer".into(),
        maximum_retry_attempts: retries,
        on_failure: Some("stream-failures".into()),
        ..Default::default()
    })
    .unwrap();
    sim.put_records("s", &[r#"{"pk":"a"}"#.into(), r#"{"pk":"b"}"#.into()])
        .unwrap();
    secs(&mut sim, 60);
    sim
}

#[test]
fn approximate_invoke_count_equals_the_invocations_made() {
    for retries in [0, 1, 3] {
        let sim = failing(StreamSource::Kinesis, retries);
        let made = sim
            .records()
            .items()
            .iter()
            .filter(|r| r.trigger == Trigger::Stream)
            .count() as u64;
        assert_eq!(made, retries as u64 + 1);
        let msgs = sim.queue_messages("stream-failures");
        assert_eq!(msgs.len(), 1);
        let v: Value = serde_json::from_str(&msgs[0].body).unwrap();
        assert_eq!(
            v["requestContext"]["approximateInvokeCount"], made,
            "retries {retries}"
        );
    }
}

#[test]
fn on_failure_record_has_awss_fields_for_kinesis_and_dynamodb() {
    for (source, info) in [
        (StreamSource::Kinesis, "KinesisBatchInfo"),
        (StreamSource::DynamoDb, "DDBStreamBatchInfo"),
    ] {
        let sim = failing(source, 1);
        let last = sim.records().items().back().unwrap().request_id.to_string();
        let v: Value =
            serde_json::from_str(&sim.queue_messages("stream-failures")[0].body).unwrap();
        assert_eq!(v["version"], "1.0");
        assert!(v["timestamp"].as_str().unwrap().ends_with('Z'));
        let rc = &v["requestContext"];
        assert_eq!(rc["requestId"], last.as_str());
        assert_eq!(rc["condition"], "RetryAttemptsExhausted");
        assert_eq!(
            rc["functionArn"],
            "arn:aws:lambda:us-east-1:123456789012:function:consumer:$LATEST"
        );
        let resp = &v["responseContext"];
        assert_eq!(resp["statusCode"], 200);
        assert_eq!(resp["executedVersion"], "$LATEST");
        assert_eq!(resp["functionError"], "Unhandled");
        let b = &v[info];
        assert_eq!(b["batchSize"], 2);
        assert_eq!(b["startSequenceNumber"], "1");
        assert_eq!(b["endSequenceNumber"], "2");
        for k in [
            "shardId",
            "approximateArrivalOfFirstRecord",
            "approximateArrivalOfLastRecord",
            "streamArn",
        ] {
            assert!(b[k].is_string(), "{info}.{k}");
        }
    }
}
