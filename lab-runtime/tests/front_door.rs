//! The invoke front door: payload limits, permissions, throttles, status codes
//! (docs/lambda-behaviour.md §1, §4, §6).

mod common;

use common::*;
use lab_runtime::model::{InvocationType, InvokeRequest};
use lab_runtime::{AccountConfig, InvokeOutcome};

fn rejected(o: InvokeOutcome) -> lab_runtime::ApiError {
    match o {
        InvokeOutcome::Rejected(e) => e,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn sync_payload_over_6_mb_is_request_too_large_413() {
    // docs/lambda-behaviour.md §1.11: sync 6 MB
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    let big = format!("\"{}\"", "x".repeat(6 * 1024 * 1024));
    let e = rejected(sync(&mut sim, "f", &big));
    assert_eq!(
        (e.code.as_str(), e.status),
        ("RequestTooLargeException", 413)
    );
    let ok = format!("\"{}\"", "x".repeat(1024 * 1024 + 10));
    assert!(matches!(
        sync(&mut sim, "f", &ok),
        InvokeOutcome::Started { .. }
    ));
}

#[test]
fn async_payload_over_1_mb_is_request_too_large_413() {
    // docs/lambda-behaviour.md §1.11: async 1 MB
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    let big = format!("\"{}\"", "x".repeat(1024 * 1024));
    let e = rejected(event(&mut sim, "f", &big));
    assert_eq!(e.status, 413);
    assert!(matches!(
        event(&mut sim, "f", "{}"),
        InvokeOutcome::Queued { status: 202, .. }
    ));
}

#[test]
fn dry_run_checks_permission_only_and_answers_204() {
    // docs/lambda-behaviour.md §1.1: DryRun; §1.2: status 204
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    let r = InvokeRequest::new("f", InvocationType::DryRun, "{}");
    assert_eq!(sim.invoke(&r), InvokeOutcome::DryRunOk { status: 204 });
    assert_eq!(sim.view().functions[0].environments.len(), 0, "no code ran");
    let mut stranger = r.clone();
    stranger.principal = Some("arn:aws:iam::999999999999:user/eve".into());
    assert_eq!(
        rejected(sim.invoke(&stranger)).code,
        "AccessDeniedException"
    );
}

#[test]
fn caller_without_resource_policy_gets_access_denied_with_aws_text() {
    // docs/lambda-behaviour.md §6.3
    let mut sim = world();
    create(&mut sim, "my-function", profile(10.0, 10.0, 0.0));
    let mut r = InvokeRequest::new("my-function", InvocationType::RequestResponse, "{}");
    r.principal = Some("arn:aws:iam::123456789012:user/developer".into());
    let e = rejected(sim.invoke(&r));
    assert_eq!(e.status, 403);
    assert_eq!(e.message, "User: arn:aws:iam::123456789012:user/developer is not authorized to perform: lambda:InvokeFunction on resource: my-function because no resource-based policy allows the lambda:InvokeFunction action");
    sim.add_permission(
        "my-function",
        "dev",
        "arn:aws:iam::123456789012:user/developer",
        None,
        None,
    )
    .unwrap();
    assert!(matches!(sim.invoke(&r), InvokeOutcome::Started { .. }));
}

#[test]
fn service_principal_needs_matching_source_arn_and_account() {
    // docs/lambda-behaviour.md §6.2: SourceArn (ArnLike), SourceAccount
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    sim.add_permission(
        "f",
        "s3",
        "s3.amazonaws.com",
        Some("arn:aws:s3:::uploads"),
        Some("123456789012"),
    )
    .unwrap();
    let mut r = InvokeRequest::new("f", InvocationType::Event, "{}");
    r.principal = Some("s3.amazonaws.com".into());
    r.source_arn = Some("arn:aws:s3:::uploads".into());
    r.source_account = Some("123456789012".into());
    assert!(matches!(sim.invoke(&r), InvokeOutcome::Queued { .. }));
    r.source_arn = Some("arn:aws:s3:::someone-elses".into());
    assert_eq!(rejected(sim.invoke(&r)).code, "AccessDeniedException");
}

#[test]
fn explicit_deny_in_resource_policy_wins() {
    // docs/lambda-behaviour.md §6.8: explicit Deny beats Allow
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    sim.put_function_policy(
        "f",
        Some(r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"},
        {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/intern"},"Action":"lambda:*","Resource":"*"}]}"#),
    )
    .unwrap();
    let mut r = InvokeRequest::new("f", InvocationType::RequestResponse, "{}");
    r.principal = Some("arn:aws:iam::123456789012:user/intern".into());
    let e = rejected(sim.invoke(&r));
    assert!(
        e.message
            .ends_with("with an explicit deny in a resource-based policy"),
        "{}",
        e.message
    );
    r.principal = Some("arn:aws:iam::123456789012:user/dev".into());
    assert!(matches!(sim.invoke(&r), InvokeOutcome::Started { .. }));
}

#[test]
fn function_error_returns_200_with_unhandled_header_and_error_object() {
    // docs/lambda-behaviour.md §1.2, §7.4
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 1.0));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    let r = &sim.responses().items()[0];
    assert_eq!(r.status, 200);
    assert_eq!(r.function_error.as_deref(), Some("Unhandled"));
    assert_eq!(
        &*r.payload,
        r#"{"errorType":"Error","errorMessage":"simulated failure"}"#
    );
}

#[test]
fn timeout_payload_is_sandbox_timedout() {
    // docs/lambda-behaviour.md §3.12
    let mut sim = world();
    let mut c = function("f", profile(10.0, 5000.0, 0.0));
    c.timeout_s = 1;
    sim.create_function(c).unwrap();
    let InvokeOutcome::Started { request_id } = sync(&mut sim, "f", "{}") else {
        panic!()
    };
    secs(&mut sim, 2);
    let r = &sim.responses().items()[0];
    let v: serde_json::Value = serde_json::from_str(&r.payload).unwrap();
    assert_eq!(v["errorType"], "Sandbox.Timedout");
    assert_eq!(
        v["errorMessage"],
        format!("RequestId: {request_id} Error: Task timed out after 1.00 seconds")
    );
}

#[test]
fn reserved_concurrency_zero_throttles_every_sync_invocation() {
    // docs/lambda-behaviour.md §4.4: reserved concurrency 0 throttles every invocation
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    sim.put_function_concurrency("f", Some(0)).unwrap();
    let e = rejected(sync(&mut sim, "f", "{}"));
    assert_eq!(
        (e.code.as_str(), e.status, e.message.as_str()),
        ("TooManyRequestsException", 429, "Rate Exceeded.")
    );
    assert_eq!(
        e.reason.as_deref(),
        Some("ReservedFunctionConcurrentInvocationLimitExceeded")
    );
}

#[test]
fn reserved_concurrency_caps_the_function() {
    // docs/lambda-behaviour.md §4.4: reserved concurrency caps a function
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 1000.0, 0.0));
    sim.put_function_concurrency("f", Some(2)).unwrap();
    assert!(matches!(
        sync(&mut sim, "f", "{}"),
        InvokeOutcome::Started { .. }
    ));
    assert!(matches!(
        sync(&mut sim, "f", "{}"),
        InvokeOutcome::Started { .. }
    ));
    let e = rejected(sync(&mut sim, "f", "{}"));
    assert_eq!(
        e.reason.as_deref(),
        Some("ReservedFunctionConcurrentInvocationLimitExceeded")
    );
    assert_eq!(sim.view().functions[0].stats.throttles, 1);
    assert_eq!(sim.metric_totals("f").unwrap().throttles, 1);
}

#[test]
fn account_limit_throttles_with_concurrent_invocation_limit_exceeded() {
    // docs/lambda-behaviour.md §4.2, §4.7 Reason
    let acc = AccountConfig {
        concurrency_limit: 3,
        ..AccountConfig::default()
    };
    let mut sim = world_with(acc, 1);
    create(&mut sim, "f", profile(10.0, 1000.0, 0.0));
    for _ in 0..3 {
        sync(&mut sim, "f", "{}");
    }
    let e = rejected(sync(&mut sim, "f", "{}"));
    assert_eq!(
        e.reason.as_deref(),
        Some("ConcurrentInvocationLimitExceeded")
    );
}

#[test]
fn reserving_concurrency_shrinks_the_unreserved_pool_for_others() {
    // docs/lambda-behaviour.md §4.4: reserved concurrency guarantees it that much
    let acc = AccountConfig {
        concurrency_limit: 200,
        ..AccountConfig::default()
    };
    let mut sim = world_with(acc, 1);
    create(&mut sim, "big", profile(10.0, 1000.0, 0.0));
    create(&mut sim, "other", profile(10.0, 1000.0, 0.0));
    sim.put_function_concurrency("big", Some(100)).unwrap();
    let e = sim.put_function_concurrency("other", Some(1)).unwrap_err();
    assert!(e.message.contains("minimum value of [100]"));
    for _ in 0..100 {
        assert!(matches!(
            sync(&mut sim, "other", "{}"),
            InvokeOutcome::Started { .. }
        ));
    }
    let e = rejected(sync(&mut sim, "other", "{}"));
    assert_eq!(
        e.reason.as_deref(),
        Some("ConcurrentInvocationLimitExceeded")
    );
    assert!(
        matches!(sync(&mut sim, "big", "{}"), InvokeOutcome::Started { .. }),
        "reserved capacity still there"
    );
}

#[test]
fn scaling_rate_allows_1000_new_environments_per_10_s() {
    // docs/lambda-behaviour.md §4.6: 1,000 environments every 10 s, refilled continuously
    let acc = AccountConfig {
        concurrency_limit: 5000,
        ..AccountConfig::default()
    };
    let mut sim = world_with(acc, 1);
    create(&mut sim, "f", profile(10.0, 60_000.0, 0.0));
    let mut c = sim.view().functions[0].config.clone();
    c.timeout_s = 900;
    sim.update_function_configuration(c).unwrap();
    let mut started = 0;
    let mut throttled = None;
    for _ in 0..1100 {
        match sync(&mut sim, "f", "{}") {
            InvokeOutcome::Started { .. } => started += 1,
            InvokeOutcome::Rejected(e) => {
                throttled = e.reason;
                break;
            }
            _ => unreachable!(),
        }
    }
    assert_eq!(started, 1000);
    assert_eq!(
        throttled.as_deref(),
        Some("FunctionInvocationRateLimitExceeded")
    );
    sim.advance_by(1_000_000); // 1 s refills 100 environments
    let more = (0..200)
        .filter(|_| matches!(sync(&mut sim, "f", "{}"), InvokeOutcome::Started { .. }))
        .count();
    assert_eq!(more, 100);
}

#[test]
fn request_rate_over_10x_concurrency_is_throttled() {
    // docs/lambda-behaviour.md §4.3: request rate limit, 10 x the concurrency quota per second
    let mut sim = world();
    create(&mut sim, "f", profile(1.0, 1.0, 0.0));
    sim.put_function_concurrency("f", Some(2)).unwrap();
    let mut ok = 0;
    let mut reasons = std::collections::BTreeSet::new();
    for _ in 0..30 {
        match sync(&mut sim, "f", "{}") {
            InvokeOutcome::Started { .. } => ok += 1,
            InvokeOutcome::Rejected(e) => {
                reasons.insert(e.reason.unwrap());
            }
            _ => {}
        }
        sim.advance_by(10_000); // 100 requests per second offered, each done in 10 ms
    }
    assert_eq!(ok, 20, "10 x 2 per second");
    assert!(reasons.contains("ReservedFunctionInvocationRateLimitExceeded"));
}

#[test]
fn sdk_client_retries_are_a_separate_setting() {
    // docs/lambda-behaviour.md §1.3: SDK retries throttles by itself (client-side setting)
    let mut acc = AccountConfig {
        concurrency_limit: 1,
        ..AccountConfig::default()
    };
    acc.settings.client_retries = 3;
    let mut sim = world_with(acc, 1);
    create(&mut sim, "f", profile(10.0, 150.0, 0.0));
    sync(&mut sim, "f", "{}");
    assert!(
        matches!(sync(&mut sim, "f", "{}"), InvokeOutcome::Started { .. }),
        "retried by the client"
    );
    secs(&mut sim, 5);
    let ok = sim
        .responses()
        .items()
        .iter()
        .filter(|r| r.error.is_none())
        .count();
    assert_eq!(ok, 2);
}

#[test]
fn unknown_function_is_resource_not_found() {
    let mut sim = world();
    let e = rejected(sync(&mut sim, "nope", "{}"));
    assert_eq!(
        (e.code.as_str(), e.status),
        ("ResourceNotFoundException", 404)
    );
}
