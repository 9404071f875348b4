//! Execution environments: cold, warm, provisioned starts, init limit, reclaim, reset
//! (docs/lambda-behaviour.md §3 and §4.5).

mod common;

use common::*;
use lab_runtime::clock::{MIN, SEC};
use lab_runtime::environment::{EnvState, StartType};
use lab_runtime::model::Outcome;
use lab_runtime::{AccountConfig, InvokeOutcome};

fn start_types(sim: &lab_runtime::Simulation) -> Vec<StartType> {
    sim.records()
        .items()
        .iter()
        .filter_map(|r| r.start_type)
        .collect()
}

#[test]
fn first_invocation_is_cold_and_the_next_one_warm() {
    // docs/lambda-behaviour.md §3.4 and §3.6
    let mut sim = world();
    create(&mut sim, "f", profile(200.0, 50.0, 0.0));
    assert!(matches!(
        sync(&mut sim, "f", "{}"),
        InvokeOutcome::Started { .. }
    ));
    secs(&mut sim, 1);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(start_types(&sim), vec![StartType::Cold, StartType::Warm]);
    let rec = &sim.records().items();
    assert_eq!(rec[0].init_us, 200_000);
    assert_eq!(rec[1].init_us, 0);
    assert_eq!(rec[0].env, rec[1].env, "same environment reused");
}

#[test]
fn concurrent_requests_each_get_their_own_environment() {
    // docs/lambda-behaviour.md §4.1: one environment serves one request at a time
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 1000.0, 0.0));
    for _ in 0..3 {
        sync(&mut sim, "f", "{}");
    }
    let v = sim.view();
    assert_eq!(v.functions[0].environments.len(), 3);
    assert!(v.functions[0]
        .environments
        .iter()
        .all(|e| e.state == EnvState::Initialising));
    sim.advance_by(200_000);
    assert!(sim.view().functions[0]
        .environments
        .iter()
        .all(|e| e.state == EnvState::Busy));
    secs(&mut sim, 2);
    assert!(sim.view().functions[0]
        .environments
        .iter()
        .all(|e| e.state == EnvState::Idle));
    assert_eq!(sim.view().functions[0].stats.cold_starts, 3);
}

#[test]
fn idle_environment_is_reclaimed_after_the_keep_alive_setting() {
    // docs/lambda-behaviour.md §3.7: AWS publishes no figure; default setting 10 min
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 10.0, 0.0));
    sync(&mut sim, "f", "{}");
    sim.advance_by(10 * MIN);
    assert_eq!(
        sim.view().functions[0].environments.len(),
        1,
        "still kept just under 10 min after idle"
    );
    sim.advance_by(SEC);
    assert_eq!(sim.view().functions[0].environments.len(), 0);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(start_types(&sim), vec![StartType::Cold, StartType::Cold]);
}

#[test]
fn keep_alive_is_a_setting() {
    let mut acc = AccountConfig::default();
    acc.settings.keep_alive_us = 30 * SEC;
    let mut sim = world_with(acc, 1);
    create(&mut sim, "f", profile(100.0, 10.0, 0.0));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 31);
    assert_eq!(sim.view().functions[0].environments.len(), 0);
}

#[test]
fn init_over_10_s_reports_timeout_and_retries_init_under_the_function_timeout() {
    // docs/lambda-behaviour.md §3.2 and §3.11 INIT_REPORT
    let mut sim = world();
    let mut c = function("slow", profile(12_000.0, 100.0, 0.0));
    c.timeout_s = 30;
    sim.create_function(c).unwrap();
    sync(&mut sim, "slow", "{}");
    secs(&mut sim, 60);
    let l = lines(&sim);
    assert!(
        l.iter()
            .any(|x| x == "INIT_REPORT Init Duration: 10000.00 ms Phase: init Status: timeout"),
        "{l:?}"
    );
    let r = &sim.records().items()[0];
    assert_eq!(r.init_us, 10 * SEC);
    assert_eq!(
        r.duration_us, 12_100_000,
        "re-init (12 s) + handler inside the invoke phase"
    );
    assert_eq!(r.outcome, Outcome::Success);

    // with the default 3 s timeout the re-init cannot finish: the invocation times out
    let mut sim = world();
    create(&mut sim, "slow", profile(12_000.0, 100.0, 0.0));
    sync(&mut sim, "slow", "{}");
    secs(&mut sim, 60);
    assert_eq!(sim.records().items()[0].outcome, Outcome::Timeout);
    assert!(lines(&sim)
        .iter()
        .any(|x| x.ends_with("Task timed out after 3.00 seconds")));
}

#[test]
fn timeout_resets_the_environment_so_the_next_invoke_runs_init_again() {
    // docs/lambda-behaviour.md §3.8: next invocation runs Init again
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 5_000.0, 0.0));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 5);
    assert!(sim.view().functions[0].environments[0].needs_init);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 5);
    let r = &sim.records().items();
    assert_eq!(r[0].env, r[1].env, "same environment, reset");
    assert_eq!(r[1].start_type, Some(StartType::Cold));
    assert_eq!(r[1].init_us, 100_000);
}

#[test]
fn provisioned_environments_serve_without_cold_start_and_spill_over() {
    // docs/lambda-behaviour.md §4.5: provisioned concurrency, no cold start; spillover to on-demand
    // (§10.4: configured on a published version, invoked through it)
    let mut sim = world();
    sim.create_function(function("p", profile(300.0, 1000.0, 0.0)))
        .unwrap();
    sim.publish_version("p", None).unwrap();
    sim.put_provisioned_concurrency("p", Some("1"), 2).unwrap();
    secs(&mut sim, 1);
    for _ in 0..3 {
        sync(&mut sim, "p:1", "{}");
    }
    secs(&mut sim, 3);
    let mut st = start_types(&sim);
    st.sort_by_key(|s| *s as u8);
    assert_eq!(
        st,
        vec![
            StartType::Cold,
            StartType::Provisioned,
            StartType::Provisioned
        ]
    );
    let t = sim.metric_totals("p").unwrap();
    assert_eq!(t.provisioned_concurrency_invocations, 2);
    assert_eq!(t.provisioned_concurrency_spillover_invocations, 1);
    // REPORT of a provisioned start has no Init Duration
    let reports: Vec<String> = lines(&sim)
        .into_iter()
        .filter(|l| l.starts_with("REPORT"))
        .collect();
    assert_eq!(
        reports
            .iter()
            .filter(|l| l.contains("Init Duration"))
            .count(),
        1
    );
}

#[test]
fn environments_are_recycled_after_the_recycle_age() {
    // docs/lambda-behaviour.md §3.7: recycled every few hours even when busy
    let mut acc = AccountConfig::default();
    acc.settings.recycle_after_us = 40 * SEC;
    let mut sim = world_with(acc, 3);
    create(&mut sim, "f", profile(100.0, 10.0, 0.0));
    for _ in 0..4 {
        sync(&mut sim, "f", "{}");
        secs(&mut sim, 25);
    }
    let envs: std::collections::BTreeSet<u64> =
        sim.records().items().iter().map(|r| r.env).collect();
    assert_eq!(envs.len(), 2, "replaced once it was older than 40 s");
}

#[test]
fn new_code_replaces_environments() {
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 10.0, 0.0));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    sim.update_function_code("f", profile(100.0, 20.0, 0.0))
        .unwrap();
    assert_eq!(sim.view().functions[0].environments.len(), 0);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(start_types(&sim), vec![StartType::Cold, StartType::Cold]);
}

#[test]
fn changing_the_keep_alive_setting_applies_to_idle_environments() {
    // docs/lambda-behaviour.md §3.7: the keep-alive is a setting
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 10.0, 0.0));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    let mut s = sim.account().settings.clone();
    s.keep_alive_us = 5 * SEC;
    sim.apply(lab_runtime::Action::UpdateSettings(Box::new(s)))
        .unwrap();
    secs(&mut sim, 5);
    assert!(sim.view().functions[0].environments.is_empty());
}
