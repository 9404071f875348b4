//! The example scenarios in content/scenarios, run through the `lab-sim` binary (the same code
//! path instructors use), and scenario file errors with `file:line:col`.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn scenario(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../content/scenarios")
        .join(name)
}

fn lab_sim(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lab-sim"))
        .args(args)
        .output()
        .expect("lab-sim runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn report(name: &str, extra: &[&str]) -> Value {
    let path = scenario(name);
    let mut args = vec!["run", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = lab_sim(&args);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(v["format_version"], 2, "report format 2: responses added");
    v
}

fn logs(v: &Value) -> Vec<String> {
    v["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l[1].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn cold_vs_warm_shows_init_once_per_environment_and_reclaim_after_keep_alive() {
    // docs/lambda-behaviour.md §3.4, §3.6, §3.7
    let v = report("cold-vs-warm.toml", &[]);
    let f = &v["functions"][0];
    assert_eq!(
        (f["cold_starts"].as_u64(), f["warm_starts"].as_u64()),
        (Some(2), Some(2))
    );
    let l = logs(&v);
    assert_eq!(l.iter().filter(|x| x.contains("init done")).count(), 2);
    let reports: Vec<&String> = l
        .iter()
        .filter(|x| x.contains(" REPORT RequestId"))
        .collect();
    assert_eq!(reports.len(), 4);
    let with_init: Vec<bool> = reports
        .iter()
        .map(|x| x.contains("Init Duration"))
        .collect();
    assert_eq!(with_init, vec![true, false, false, true]);
}

#[test]
fn async_retries_to_dlq_makes_three_attempts_then_dead_letters() {
    // docs/lambda-behaviour.md §1.5, §1.10
    let v = report("async-retries-to-dlq.toml", &[]);
    assert_eq!(v["async_outcomes"]["to_dlq"], 1);
    let attempts: Vec<u64> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["attempt"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, vec![1, 2, 3]);
    let dlq = v["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "orders-dlq")
        .unwrap();
    assert_eq!(dlq["visible"], 1);
}

#[test]
fn sqs_redrive_moves_the_poison_message_to_the_dlq() {
    // docs/lambda-behaviour.md §2.4
    let v = report("sqs-redrive.toml", &[]);
    let q = |n: &str| {
        v["queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(q("jobs")["deleted"], 2);
    assert_eq!(q("jobs")["redriven"], 1);
    assert_eq!(q("jobs-dlq")["visible"], 1);
}

#[test]
fn permission_denied_shows_each_denial_with_the_aws_text_then_the_fix() {
    // docs/lambda-behaviour.md §6.3, §6.2, §6.7
    let v = report("permission-denied.toml", &[]);
    let results: Vec<String> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["result"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(results[0], "403 AccessDeniedException: User: arn:aws:iam::123456789012:user/developer is not authorized to perform: lambda:InvokeFunction on resource: orders-fn because no resource-based policy allows the lambda:InvokeFunction action");
    assert!(
        results[1].starts_with("403 AccessDeniedException: User: s3.amazonaws.com"),
        "{}",
        results[1]
    );
    assert!(results[2].starts_with("started"));
    assert_eq!(results[4], "204 dry run ok");
    let rec = &v["records"][0];
    assert_eq!(rec["error_type"], "AccessDeniedException");
}

#[test]
fn throttling_under_load_caps_concurrency_at_the_reserved_value() {
    // docs/lambda-behaviour.md §4.4, §4.7
    let v = report("throttling-under-load.toml", &[]);
    let f = &v["functions"][0];
    assert!(f["throttles"].as_u64().unwrap() > 0);
    assert_eq!(f["peak_concurrency"], 50);
    let throttled = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "throttled")
        .count();
    assert!(throttled > 0);
}

#[test]
fn same_seed_gives_the_same_report_and_another_seed_another() {
    let a = report("throttling-under-load.toml", &["--seed", "9"]);
    let b = report("throttling-under-load.toml", &["--seed", "9"]);
    let c = report("throttling-under-load.toml", &["--seed", "10"]);
    assert_eq!(a, b);
    assert_eq!(a["digest"], b["digest"]);
    assert_ne!(a["digest"], c["digest"]);
}

#[test]
fn text_report_prints_log_lines_and_a_summary_table() {
    let path = scenario("cold-vs-warm.toml");
    let (code, out, _) = lab_sim(&["run", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("START RequestId: "));
    assert!(out.contains("== functions =="));
    assert!(out.lines().any(|l| l.starts_with("hello ")));
}

#[test]
fn bad_scenario_file_gets_file_line_col_errors() {
    let dir = std::env::temp_dir().join(format!("lab-sim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("syntax.toml", "format_version = 1\nname = \"x\"\n[[functions]\nname = 1\n", ":3:"),
        ("unknown-key.toml", "format_version = 1\nname = \"x\"\nsede = 3\n", ":3:1: unknown field `sede`"),
        (
            "bad-memory.toml",
            "format_version = 1\nname = \"x\"\n[[roles]]\nname = \"r\"\ntrust = \"lambda\"\n\n[[functions]]\nname = \"f\"\nrole = \"r\"\nmemory_mb = 64\n",
            ":10:1: function \"f\": ValidationException: 1 validation error detected: Value '64' at 'memorySize'",
        ),
        (
            "bad-action.toml",
            "format_version = 1\nname = \"x\"\n\n[[timeline]]\ndo = \"invoek\"\n",
            ":5:1: unknown action \"invoek\"",
        ),
        ("version.toml", "format_version = 2\nname = \"x\"\n", ":1:18: unsupported format_version 2"),
    ];
    for (file, text, want) in cases {
        let p = dir.join(file);
        std::fs::write(&p, text).unwrap();
        let (code, _, err) = lab_sim(&["run", p.to_str().unwrap()]);
        assert_eq!(code, 1, "{file}");
        assert!(err.starts_with(p.to_str().unwrap()), "{err}");
        assert!(err.contains(want), "{file}: {err}");
    }
}
