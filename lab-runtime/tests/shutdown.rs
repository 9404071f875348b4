//! The Shutdown phase of an environment (docs/lambda-behaviour.md §3.1, §3.9).

mod common;

use common::*;
use lab_runtime::clock::{MIN, MS, SEC};
use lab_runtime::config::Extensions;
use lab_runtime::environment::{EnvState, StartType};
use lab_runtime::state::shutdown::ShutdownReason;
use lab_runtime::Simulation;

fn with_extensions(sim: &mut Simulation, ext: Extensions) {
    let mut c = function("f", profile(100.0, 10.0, 0.0));
    c.extensions = ext;
    sim.create_function(c).unwrap();
}

fn env_states(sim: &Simulation) -> Vec<EnvState> {
    sim.view().functions[0]
        .environments
        .iter()
        .map(|e| e.state)
        .collect()
}

#[test]
fn idle_reclaim_runs_a_shutdown_phase_recorded_in_the_history() {
    // docs/lambda-behaviour.md §3.1: Init, Invoke, Shutdown; §3.9: 0 ms without extensions
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 10.0, 0.0));
    sync(&mut sim, "f", "{}");
    sim.advance_by(10 * MIN + SEC);
    assert!(env_states(&sim).is_empty());
    let s = sim.shutdowns().items().back().expect("a shutdown");
    assert_eq!(s.reason, ShutdownReason::Idle);
    assert_eq!((s.duration_us, s.invocations, s.provisioned), (0, 1, false));
    assert_eq!(sim.view().shutdowns.len(), 1);
    assert!(
        lines(&sim).iter().all(|l| !l.contains("SHUTDOWN")),
        "docs/lambda-behaviour.md §3.9: Lambda documents no log line for Shutdown"
    );
}

#[test]
fn external_extensions_get_2000_ms_of_shutdown_then_the_environment_is_gone() {
    // docs/lambda-behaviour.md §3.9: 2,000 ms (external extensions), then SIGKILL
    let mut sim = world();
    with_extensions(&mut sim, Extensions::External);
    sync(&mut sim, "f", "{}");
    let idle_at = 110 * MS;
    sim.advance_to(idle_at + 10 * MIN);
    assert_eq!(env_states(&sim), vec![EnvState::ShuttingDown]);
    assert_eq!(
        sim.concurrency_now(),
        (0, 0),
        "shutdown takes no concurrency"
    );
    sync(&mut sim, "f", "{}");
    let last = sim.records().items().back().unwrap().start_type;
    assert_eq!(
        last,
        Some(StartType::Cold),
        "a shutting-down environment serves no invocation"
    );
    sim.advance_to(idle_at + 10 * MIN + 2 * SEC - 1);
    assert!(env_states(&sim).contains(&EnvState::ShuttingDown));
    sim.advance_to(idle_at + 10 * MIN + 2 * SEC);
    assert!(!env_states(&sim).contains(&EnvState::ShuttingDown));
    assert_eq!(sim.shutdowns().items()[0].duration_us, 2 * SEC);
}

#[test]
fn internal_extension_shutdown_lasts_500_ms() {
    // docs/lambda-behaviour.md §3.9: 500 ms (internal extension)
    let mut sim = world();
    with_extensions(&mut sim, Extensions::Internal);
    sync(&mut sim, "f", "{}");
    sim.advance_to(110 * MS + 10 * MIN);
    assert_eq!(env_states(&sim), vec![EnvState::ShuttingDown]);
    sim.advance_by(500 * MS);
    assert!(env_states(&sim).is_empty());
    assert_eq!(sim.shutdowns().items()[0].duration_us, 500 * MS);
}

#[test]
fn new_code_shuts_the_old_environments_down() {
    // docs/lambda-behaviour.md §3.1: an environment ends with Shutdown (here: replaced by new code)
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 10.0, 0.0));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    sim.update_function_code("f", profile(50.0, 10.0, 0.0))
        .unwrap();
    let s = &sim.shutdowns().items()[0];
    assert_eq!(s.reason, ShutdownReason::NewVersion);
    assert!(env_states(&sim).is_empty());
}

#[test]
fn lowering_provisioned_concurrency_shuts_environments_down() {
    // docs/lambda-behaviour.md §4.5, §3.9
    let mut sim = world();
    create(&mut sim, "f", profile(100.0, 10.0, 0.0));
    sim.publish_version("f", None).unwrap();
    sim.put_provisioned_concurrency("f", Some("1"), 2).unwrap();
    secs(&mut sim, 1);
    sim.put_provisioned_concurrency("f", Some("1"), 1).unwrap();
    let s = &sim.shutdowns().items()[0];
    assert_eq!(
        (s.reason, s.provisioned),
        (ShutdownReason::ProvisionedReduced, true)
    );
    assert_eq!(env_states(&sim).len(), 1);
}
