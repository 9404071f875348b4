//! Metrics, the bill, bounded windows, traffic shapes and chunked runs (docs/lambda-behaviour.md §5, §8).

mod common;

use common::*;
use lab_runtime::clock::{MIN, SEC};
use lab_runtime::model::InvocationType;
use lab_runtime::state::traffic::{Pattern, TrafficSpec};
use lab_runtime::{AccountConfig, RunBudget};

fn traffic(pattern: Pattern) -> TrafficSpec {
    TrafficSpec {
        function: "f".into(),
        invocation_type: InvocationType::RequestResponse,
        payload: "{}".into(),
        principal: None,
        pattern,
        max_requests: None,
    }
}

#[test]
fn metrics_are_counted_in_one_minute_buckets() {
    // docs/lambda-behaviour.md §8.1, §8.2: Invocations (excludes throttles), Errors, Throttles, Duration, ConcurrentExecutions
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 500.0, 0.0));
    sim.put_function_concurrency("f", Some(2)).unwrap();
    for _ in 0..3 {
        sync(&mut sim, "f", "{}");
    }
    sim.advance_by(MIN + SEC);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 2);
    let s = sim.metrics("f").unwrap();
    assert_eq!(s.buckets().len(), 2);
    let b0 = &s.buckets()[0];
    assert_eq!(
        (b0.invocations, b0.throttles, b0.concurrent_executions),
        (2, 1, 2)
    );
    assert_eq!(b0.duration_sum_us, 1_000_000);
    assert_eq!(s.buckets()[1].start_us, MIN);
    assert_eq!(s.buckets()[1].invocations, 1);
    assert_eq!(
        sim.account_metrics().buckets()[0].unreserved_concurrent_executions,
        0,
        "reserved function"
    );
}

#[test]
fn the_bill_counts_init_gb_seconds_and_requests() {
    // docs/lambda-behaviour.md §5.4, §5.5; §3.3
    let mut sim = world();
    let mut c = function("f", profile(250.0, 1000.0, 0.0));
    c.memory_mb = 1024;
    sim.create_function(c).unwrap();
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 2);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 2);
    let f = &sim.view().functions[0];
    assert_eq!(f.bill.requests, 2);
    assert_eq!(f.bill.init_billed_ms, 250);
    assert_eq!(f.bill.billed_ms, 2250);
    assert!((f.bill.gb_seconds() - 2.25).abs() < 1e-9);
    let expected = 2.0 / 1e6 * 0.20 + 2.25 * 0.0000166667;
    assert!((f.cost_usd - expected).abs() < 1e-12, "{}", f.cost_usd);
}

#[test]
fn records_logs_and_metrics_stay_bounded_however_long_the_run() {
    let mut acc = AccountConfig::default();
    acc.settings.log_window = 100;
    acc.settings.record_window = 50;
    acc.settings.metrics_max_buckets = 5;
    let mut sim = world_with(acc, 1);
    create(&mut sim, "f", profile(1.0, 5.0, 0.1));
    sim.start_traffic(traffic(Pattern::Constant {
        rate_per_s: 100.0,
        duration_s: 600.0,
    }))
    .unwrap();
    sim.run_until_idle(10_000_000);
    assert_eq!(sim.completed_invocations(), 60_000);
    assert_eq!(sim.records().items().len(), 50);
    assert!(sim.logs().items().len() <= 100);
    assert_eq!(sim.metrics("f").unwrap().buckets().len(), 5);
}

#[test]
fn burst_constant_ramp_and_poisson_send_the_expected_number_of_requests() {
    let mut sim = world();
    create(&mut sim, "f", profile(1.0, 1.0, 0.0));
    sim.start_traffic(traffic(Pattern::Burst { count: 25 }))
        .unwrap();
    sim.start_traffic(traffic(Pattern::Constant {
        rate_per_s: 10.0,
        duration_s: 10.0,
    }))
    .unwrap();
    sim.start_traffic(traffic(Pattern::Ramp {
        from_per_s: 0.0,
        to_per_s: 20.0,
        duration_s: 10.0,
    }))
    .unwrap();
    sim.start_traffic(traffic(Pattern::Poisson {
        rate_per_s: 50.0,
        duration_s: 20.0,
    }))
    .unwrap();
    sim.run_until_idle(1_000_000);
    let sent: Vec<u64> = sim.traffic().iter().map(|t| t.progress().sent).collect();
    assert_eq!(sent[0], 25);
    assert_eq!(sent[1], 100);
    assert!(
        (80..=120).contains(&sent[2]),
        "ramp 0->20/s over 10 s: about 100, got {}",
        sent[2]
    );
    assert!(
        (850..=1150).contains(&sent[3]),
        "Poisson 50/s for 20 s: about 1000, got {}",
        sent[3]
    );
}

#[test]
fn load_test_runs_in_chunks_with_progress() {
    let mut sim = world();
    create(&mut sim, "f", profile(50.0, 20.0, 0.0));
    let mut t = traffic(Pattern::Constant {
        rate_per_s: 1000.0,
        duration_s: 100.0,
    });
    t.max_requests = Some(20_000);
    sim.start_traffic(t).unwrap();
    let mut chunks = 0;
    loop {
        let p = sim.run_for(RunBudget {
            max_events: 5_000,
            until_us: None,
        });
        chunks += 1;
        assert!(p.events <= 5_000);
        if p.done {
            break;
        }
    }
    assert!(chunks > 5);
    assert_eq!(sim.completed_invocations(), 20_000);
}

#[test]
fn run_for_stops_at_the_requested_time() {
    let mut sim = world();
    create(&mut sim, "f", profile(50.0, 20.0, 0.0));
    sim.start_traffic(traffic(Pattern::Constant {
        rate_per_s: 10.0,
        duration_s: 100.0,
    }))
    .unwrap();
    let p = sim.run_for(RunBudget {
        max_events: u64::MAX,
        until_us: Some(10 * SEC),
    });
    assert!(p.done);
    assert_eq!(sim.now(), 10 * SEC);
    assert_eq!(
        sim.traffic()[0].progress().sent,
        101,
        "arrivals at 0, 0.1 s, ... 10 s"
    );
}
