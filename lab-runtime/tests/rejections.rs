//! Calls refused before the code runs: each leaves a per-invocation record; throttles count in
//! `Throttles`, other invocation errors in no metric; throttle `Reason`s and `Retry-After`
//! (docs/lambda-behaviour.md §1.11, §4.7, §6.3, §7, §8).

mod common;

use common::*;
use lab_runtime::model::{InvocationType, InvokeRequest, Outcome, Trigger};
use lab_runtime::{AccountConfig, InvokeOutcome, Simulation};

fn rejected(o: InvokeOutcome) -> lab_runtime::ApiError {
    match o {
        InvokeOutcome::Rejected(e) => e,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// (outcome, error type, trigger) of the last record.
fn last(sim: &Simulation) -> (Outcome, Option<String>, Trigger) {
    let r = sim.records().items().back().expect("a record");
    (r.outcome, r.error_type.clone(), r.trigger)
}

fn totals(sim: &Simulation, f: &str) -> (u64, u64, u64) {
    let t = sim.metric_totals(f).unwrap();
    (t.invocations, t.errors, t.throttles)
}

#[test]
fn payload_too_large_leaves_a_rejected_record_and_counts_in_no_metric() {
    // docs/lambda-behaviour.md §1.11: over the limit, RequestTooLargeException (413)
    // docs/lambda-behaviour.md §7.4: invocation errors return 4xx before the code runs
    // docs/lambda-behaviour.md §8.1: `Invocations` counts code that ran, `Errors` function errors
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    let big = format!("\"{}\"", "x".repeat(1024 * 1024));
    assert_eq!(rejected(event(&mut sim, "f", &big)).status, 413);
    assert_eq!(
        last(&sim),
        (
            Outcome::Rejected,
            Some("RequestTooLargeException".into()),
            Trigger::Async
        )
    );
    let r = sim.records().items().back().unwrap();
    assert_eq!((r.start_type, r.env, r.billed_ms), (None, 0, 0));
    assert_eq!(totals(&sim, "f"), (0, 0, 0));
    assert_eq!(sim.view().functions[0].stats.rejected, 1);
    assert_eq!(sim.view().functions[0].stats.invocations, 0);
    assert_eq!(sim.async_outcomes().received, 0, "never queued");
}

#[test]
fn permission_denied_leaves_a_rejected_record_with_access_denied() {
    // docs/lambda-behaviour.md §6.3: AccessDeniedException (403); §7.4 invocation error
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    let mut r = InvokeRequest::new("f", InvocationType::RequestResponse, "{}");
    r.principal = Some("arn:aws:iam::123456789012:user/developer".into());
    assert_eq!(rejected(sim.invoke(&r)).status, 403);
    assert_eq!(
        last(&sim),
        (
            Outcome::Rejected,
            Some("AccessDeniedException".into()),
            Trigger::Sync
        )
    );
    r.invocation_type = InvocationType::DryRun;
    assert_eq!(rejected(sim.invoke(&r)).status, 403);
    assert_eq!(
        last(&sim).2,
        Trigger::DryRun,
        "a refused DryRun is recorded too"
    );
    assert_eq!(totals(&sim, "f"), (0, 0, 0));
    assert_eq!(sim.report("t", vec![]).functions[0].rejected, 2);
}

#[test]
fn unknown_function_leaves_a_rejected_record_with_resource_not_found() {
    // docs/lambda-behaviour.md §7.4: 4xx before the code runs
    let mut sim = world();
    assert_eq!(rejected(sync(&mut sim, "nope", "{}")).status, 404);
    let r = sim.records().items().back().unwrap();
    assert_eq!(&*r.function, "nope");
    assert_eq!(
        (r.outcome, r.error_type.as_deref()),
        (Outcome::Rejected, Some("ResourceNotFoundException"))
    );
}

#[test]
fn bad_json_payload_is_a_rejected_invalid_request_content() {
    // docs/lambda-behaviour.md §7.4: a bad request is an invocation error
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    assert_eq!(rejected(sync(&mut sim, "f", "{not json")).status, 400);
    assert_eq!(
        last(&sim).1.as_deref(),
        Some("InvalidRequestContentException")
    );
    assert_eq!(totals(&sim, "f"), (0, 0, 0));
}

#[test]
fn throttled_call_is_recorded_and_counted_in_throttles_not_invocations() {
    // docs/lambda-behaviour.md §8.1: `Invocations` (excludes throttles), `Throttles`; §4.7
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 1000.0, 0.0));
    sim.put_function_concurrency("f", Some(1)).unwrap();
    sync(&mut sim, "f", "{}");
    rejected(sync(&mut sim, "f", "{}"));
    assert_eq!(
        last(&sim),
        (
            Outcome::Throttled,
            Some("TooManyRequestsException".into()),
            Trigger::Sync
        )
    );
    secs(&mut sim, 2);
    assert_eq!(totals(&sim, "f"), (1, 0, 1));
    let s = &sim.view().functions[0].stats;
    assert_eq!((s.invocations, s.throttles, s.rejected), (1, 1, 0));
}

#[test]
fn reserved_zero_async_event_goes_to_the_dlq_and_counts_as_a_throttle() {
    // docs/lambda-behaviour.md §1.8: reserved concurrency 0, straight to the DLQ without retries
    // docs/lambda-behaviour.md §8.1 `Throttles`
    let mut sim = world();
    sim.create_queue("dlq", 30, None).unwrap();
    let mut c = function("f", profile(10.0, 10.0, 0.0));
    c.async_config.dead_letter_queue = Some("dlq".into());
    sim.create_function(c).unwrap();
    sim.put_function_concurrency("f", Some(0)).unwrap();
    event(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(sim.async_outcomes().to_dlq, 1);
    assert_eq!(totals(&sim, "f"), (0, 0, 1));
    assert_eq!(
        last(&sim),
        (
            Outcome::Throttled,
            Some("TooManyRequestsException".into()),
            Trigger::Async
        )
    );
}

#[test]
fn request_rate_over_10x_the_account_quota_is_caller_rate_limit_exceeded() {
    // docs/lambda-behaviour.md §4.3: request rate limit, 10 x the concurrency quota per second;
    // "throttle error": Reason CallerRateLimitExceeded
    let acc = AccountConfig {
        concurrency_limit: 2,
        ..AccountConfig::default()
    };
    let mut sim = world_with(acc, 1);
    create(&mut sim, "a", profile(1.0, 1.0, 0.0));
    create(&mut sim, "b", profile(1.0, 1.0, 0.0));
    let mut ok = 0;
    let mut reasons = std::collections::BTreeSet::new();
    for i in 0..30 {
        // two functions share the account's 20 requests per second
        let f = if i % 2 == 0 { "a" } else { "b" };
        match sync(&mut sim, f, "{}") {
            InvokeOutcome::Started { .. } => ok += 1,
            InvokeOutcome::Rejected(e) => {
                reasons.insert(e.reason.unwrap());
            }
            _ => {}
        }
        sim.advance_by(10_000);
    }
    assert_eq!(ok, 20);
    assert_eq!(
        reasons.into_iter().collect::<Vec<_>>(),
        vec!["CallerRateLimitExceeded".to_string()]
    );
    sim.advance_by(1_000_000);
    assert!(
        matches!(sync(&mut sim, "a", "{}"), InvokeOutcome::Started { .. }),
        "a new second, a new allowance"
    );
}

#[test]
fn every_throttle_reason_is_one_lambda_facts_lists() {
    // docs/lambda-behaviour.md §4.7: the Reason values of the service model
    const LISTED: [&str; 5] = [
        "ConcurrentInvocationLimitExceeded",
        "ReservedFunctionConcurrentInvocationLimitExceeded",
        "FunctionInvocationRateLimitExceeded",
        "ReservedFunctionInvocationRateLimitExceeded",
        "CallerRateLimitExceeded",
    ];
    let acc = AccountConfig {
        concurrency_limit: 3,
        ..AccountConfig::default()
    };
    let mut sim = world_with(acc, 1);
    create(&mut sim, "f", profile(1.0, 500.0, 0.0));
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..100 {
        if let InvokeOutcome::Rejected(e) = sync(&mut sim, "f", "{}") {
            seen.insert(e.reason.unwrap());
        }
        sim.advance_by(5_000);
    }
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|r| LISTED.contains(&r.as_str())),
        "{seen:?}"
    );
}

#[test]
fn throttle_answers_with_a_retry_after_header() {
    // docs/lambda-behaviour.md §4.7: a `Retry-After` header (AWS publishes no value: a setting, 1 s)
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    sim.put_function_concurrency("f", Some(0)).unwrap();
    let e = rejected(sync(&mut sim, "f", "{}"));
    assert_eq!(e.retry_after_s, Some(1));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["retry_after_s"], 1);
    let mut s = sim.account().settings.clone();
    s.throttle_retry_after_s = 5;
    sim.update_settings(s);
    assert_eq!(rejected(sync(&mut sim, "f", "{}")).retry_after_s, Some(5));
    let mut other = world();
    create(&mut other, "f", profile(10.0, 10.0, 0.0));
    let e = rejected(sync(&mut other, "nope", "{}"));
    assert_eq!(e.retry_after_s, None, "only throttles carry it");
}
