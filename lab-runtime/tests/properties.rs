//! Property tests over random configurations and traffic.

mod common;

use common::*;
use lab_runtime::clock::SEC;
use lab_runtime::model::{InvocationType, Outcome};
use lab_runtime::state::traffic::{Pattern, TrafficSpec};
use lab_runtime::{AccountConfig, AsyncConfig, Dist, HandlerSpec, Profile, Simulation};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    account_limit: u32,
    memory: u32,
    timeout: u32,
    reserved: Option<u32>,
    provisioned: u32,
    init_ms: f64,
    dur: (f64, f64),
    error_rate: f64,
    retries: u32,
    max_age: u32,
    dlq: bool,
    asynchronous: bool,
    pattern: Pattern,
    keep_alive_s: u64,
    seed: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            100u32..400,
            128u32..10_240,
            1u32..20,
            proptest::option::of(0u32..40),
            0u32..5,
        ),
        (
            0.0f64..12_000.0,
            0.0f64..3_000.0,
            0.0f64..3_000.0,
            0.0f64..1.0,
        ),
        (0u32..3, 60u32..600, any::<bool>(), any::<bool>()),
        prop_oneof![
            (1u64..300).prop_map(|count| Pattern::Burst { count }),
            (1.0f64..400.0, 1.0f64..20.0).prop_map(|(r, d)| Pattern::Constant {
                rate_per_s: r,
                duration_s: d
            }),
            (1.0f64..300.0, 1.0f64..20.0).prop_map(|(r, d)| Pattern::Poisson {
                rate_per_s: r,
                duration_s: d
            }),
            (1.0f64..50.0, 1.0f64..400.0, 1.0f64..20.0).prop_map(|(a, b, d)| Pattern::Ramp {
                from_per_s: a,
                to_per_s: b,
                duration_s: d
            }),
        ],
        (1u64..900, any::<u64>()),
    )
        .prop_map(|(a, b, c, pattern, d)| Case {
            account_limit: a.0,
            memory: a.1,
            timeout: a.2,
            reserved: a.3,
            provisioned: a.4,
            init_ms: b.0,
            dur: (b.1.min(b.2), b.1.max(b.2)),
            error_rate: b.3,
            retries: c.0,
            max_age: c.1,
            dlq: c.2,
            asynchronous: c.3,
            pattern,
            keep_alive_s: d.0,
            seed: d.1,
        })
}

fn build(c: &Case) -> Simulation {
    let mut acc = AccountConfig {
        concurrency_limit: c.account_limit,
        ..AccountConfig::default()
    };
    acc.settings.keep_alive_us = c.keep_alive_s * SEC;
    let mut sim = world_with(acc, c.seed);
    sim.create_queue("dlq", 30, None).unwrap();
    let mut f = function(
        "f",
        HandlerSpec::Profile(Profile {
            init_ms: Dist::Fixed(c.init_ms),
            duration_ms: Dist::Uniform([c.dur.0, c.dur.1]),
            error_rate: c.error_rate,
            ..Profile::default()
        }),
    );
    f.memory_mb = c.memory;
    f.timeout_s = c.timeout;
    f.async_config = AsyncConfig {
        maximum_retry_attempts: c.retries,
        maximum_event_age_s: c.max_age,
        dead_letter_queue: c.dlq.then(|| "dlq".to_string()),
        ..Default::default()
    };
    // configurations AWS rejects are rejected here too; then the function runs without them
    f.reserved_concurrency = c.reserved;
    if sim.create_function(f.clone()).is_err() {
        f.reserved_concurrency = None;
        sim.create_function(f).unwrap();
    }
    // provisioned concurrency lives on a published version, invoked as `f:1`
    // (docs/lambda-behaviour.md §10.4)
    let mut target = "f";
    if c.provisioned > 0 && c.reserved.is_some() {
        sim.publish_version("f", None).unwrap();
        let amount = c.provisioned.min(c.reserved.unwrap_or(0));
        if sim
            .put_provisioned_concurrency("f", Some("1"), amount)
            .is_ok()
        {
            target = "f:1";
        }
    }
    sim.start_traffic(TrafficSpec {
        function: target.into(),
        invocation_type: if c.asynchronous {
            InvocationType::Event
        } else {
            InvocationType::RequestResponse
        },
        payload: "{}".into(),
        principal: None,
        pattern: c.pattern.clone(),
        max_requests: Some(2_000),
    })
    .unwrap();
    sim
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn random_runs_never_panic_and_respect_concurrency_limits(c in case()) {
        // docs/lambda-behaviour.md §4.2, §4.4
        let mut sim = build(&c);
        let reserved = sim.view().functions[0].config.reserved_concurrency;
        let mut steps = 0;
        while sim.step() && steps < 2_000_000 {
            steps += 1;
            let (total, _) = sim.concurrency_now();
            prop_assert!(total <= c.account_limit);
            if let Some(r) = reserved {
                prop_assert!(sim.function_in_flight("f").unwrap() <= r);
            }
        }
        prop_assert!(sim.next_event_time().is_none(), "run ended");
    }

    #[test]
    fn every_async_event_ends_in_exactly_one_outcome(mut c in case()) {
        // docs/lambda-behaviour.md §1.8: success, on-failure/DLQ, or dropped with a reason
        c.asynchronous = true;
        let mut sim = build(&c);
        sim.run_until_idle(5_000_000);
        let o = sim.async_outcomes();
        prop_assert_eq!(o.received, o.finished());
        prop_assert_eq!(sim.async_events().count(), 0);
        if !c.dlq {
            prop_assert_eq!(o.to_dlq, 0);
        }
    }

    #[test]
    fn billed_duration_is_duration_plus_init_rounded_up_to_the_ms(c in case()) {
        // docs/lambda-behaviour.md §5.4, §3.3
        let mut sim = build(&c);
        sim.run_until_idle(5_000_000);
        for r in sim.records().items().iter().filter(|r| r.outcome != Outcome::Throttled) {
            let d = r.duration_us + r.init_us;
            prop_assert!(r.billed_ms * 1000 >= d);
            prop_assert!(r.billed_ms * 1000 < d + 1000);
        }
    }

    #[test]
    fn same_seed_same_report(c in case()) {
        let mut a = build(&c);
        let mut b = build(&c);
        a.run_until_idle(5_000_000);
        b.run_until_idle(5_000_000);
        prop_assert_eq!(a.report("p", vec![]).digest, b.report("p", vec![]).digest);
    }
}
