//! Scenario files generated from the documented grammar with extreme values (NaN, infinities,
//! negative and huge times, rates and counts, DLQ loops, self-feeding handlers): parsing and
//! running them never panics (overflow checks are on in tests), every run ends within its work
//! budget, and every refusal names a line and column inside the file.
//!
//! The seed is fixed so a failure reproduces; `cargo xtask test` runs 24 cases.
//! `PROPTEST_CASES=2000` (what `cargo xtask fuzz` does) runs longer and `PROPTEST_RNG_SEED=<n>`
//! explores other files.

use lab_runtime::scenario::Scenario;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Numbers that have broken arithmetic: zero, edges of the integer types, floats that are not
/// times, and ordinary values so that some files get past validation and run.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "5",
    "30",
    "-1",
    "-5.0",
    "0.5",
    "100",
    "1000",
    "86400",
    "604800",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "18446744073709551615",
    "1e12",
    "1e300",
    "nan",
    "inf",
    "-inf",
];

const ACCOUNT_KEYS: &[&str] = &[
    "concurrency_limit",
    "keep_alive_s",
    "recycle_after_s",
    "client_retries",
    "log_window",
    "record_window",
    "metrics_bucket_s",
    "throttle_retry_after_s",
];

const ACTIONS: &[&str] = &[
    "invoke",
    "invoke_async",
    "burst",
    "constant",
    "ramp",
    "poisson",
    "send_messages",
    "set_reserved",
    "set_provisioned",
    "publish_version",
    "create_alias",
    "set_memory",
    "set_timeout",
    "advance",
];

const ENTRY_KEYS: &[&str] = &[
    "at_s",
    "at_ms",
    "count",
    "rate_per_s",
    "from_per_s",
    "to_per_s",
    "duration_s",
    "max_requests",
    "reserved",
    "amount",
    "memory_mb",
    "timeout_s",
];

const SCRIPTS: &[&str] = &[
    "|event, context| { \"ok\" }",
    "|event, context| { sleep(200); 1 }",
    // feeds its own queue: only the work budget ends it
    "|event, context| { if event.Records != () { for r in event.Records { sqs_send(\"q\", r.body); sqs_send(\"q\", r.body); } } 1 }",
    "|event, context| { throw \"no\" }",
    "|event, context| { loop { } }",
];

fn num() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(NUMBERS)
}

fn kv(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    (proptest::sample::select(keys), num()).prop_map(|(k, v)| format!("{k} = {v}\n"))
}

fn entry() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(ACTIONS),
        proptest::collection::vec(kv(ENTRY_KEYS), 0..4),
    )
        .prop_map(|(a, kvs)| {
            let mut seen = std::collections::BTreeSet::new();
            let body: String = kvs
                .into_iter()
                .filter(|l| seen.insert(l.split(' ').next().unwrap_or("").to_string()))
                .collect();
            format!("\n[[timeline]]\ndo = \"{a}\"\nfunction = \"f\"\nqueue = \"q\"\n{body}")
        })
}

fn scenario() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(kv(ACCOUNT_KEYS), 0..3),
        proptest::option::of(num()),
        proptest::sample::select(SCRIPTS),
        proptest::option::of(num()),
        proptest::bool::ANY,
        proptest::collection::vec(entry(), 0..4),
    )
        .prop_map(|(account, end_s, script, vis, dlq_loop, timeline)| {
            let mut seen = std::collections::BTreeSet::new();
            let account: String = account
                .into_iter()
                .filter(|l| seen.insert(l.split(' ').next().unwrap_or("").to_string()))
                .collect();
            let end = end_s.map_or(String::new(), |v| format!("end_s = {v}\n"));
            let vis = vis.map_or(String::new(), |v| format!("visibility_timeout_s = {v}\n"));
            let dlq = if dlq_loop { "dlq = \"q\"\n" } else { "" };
            format!(
                "format_version = 1\nname = \"gen\"\n{end}\n[account]\n{account}\n\
                 [[roles]]\nname = \"r\"\ntrust = \"lambda\"\nmanaged = [\"AWSLambdaBasicExecutionRole\"]\n\
                 policies = ['{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}}]}}']\n\n\
                 [[queues]]\nname = \"q\"\n{vis}{dlq}\n\
                 [[functions]]\nname = \"f\"\nrole = \"r\"\ntimeout_s = 3\nscript = '''\n{script}\n'''\n\n\
                 [[sqs_mappings]]\nqueue = \"q\"\nfunction = \"f\"\nbatch_size = 1\n{}",
                timeline.concat()
            )
        })
}

fn inside(source: &str, line: usize, col: usize) -> bool {
    let Some(text) = source.split('\n').nth(line.wrapping_sub(1)) else {
        return false;
    };
    col >= 1 && col <= text.chars().count() + 1
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24);
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(17);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    }
}

/// The work budget of a generated run: small, so that every case ends quickly.
const BUDGET: u64 = 3_000;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_scenarios_never_panic_end_within_budget_and_refuse_inside_the_file(source in scenario()) {
        let r = Scenario::parse(&source).and_then(|s| s.run_with_budget(&source, None, BUDGET));
        match r {
            Ok(report) => {
                // a run that finished stayed within its budget and its time limit
                let done: u64 = report.functions.iter().map(|f| f.invocations).sum();
                prop_assert!(done <= BUDGET, "{done} invocations");
                prop_assert!(report.end_us <= lab_runtime::limits::MAX_TIME_S * 1_000_000 + 86_400 * 1_000_000);
            }
            Err(e) => prop_assert!(
                inside(&source, e.line, e.col),
                "{e} is not inside the file:\n{source}"
            ),
        }
    }
}
