//! The corpus of bad scenario files in `tests/bad/`: each `NAME.toml` must be refused with the
//! error in `NAME.expected` (as `lab-sim run` prints it: `file:line:col: message`), at a line and
//! column inside the file, before any work is done. After changing a message on purpose,
//! `BLESS=1 cargo test -p lab-runtime --test bad_scenarios` rewrites the `.expected` files:
//! review their diff.

use std::path::Path;

use lab_runtime::scenario::Scenario;

fn inside(source: &str, line: usize, col: usize) -> bool {
    let Some(text) = source.split('\n').nth(line.wrapping_sub(1)) else {
        return false;
    };
    col >= 1 && col <= text.chars().count() + 1
}

#[test]
fn every_bad_scenario_is_refused_at_its_line_with_its_expected_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let bless = std::env::var_os("BLESS").is_some();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_owned))
        .collect();
    names.sort();
    assert!(names.len() >= 20, "the corpus lost files: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let source = std::fs::read_to_string(dir.join(format!("{name}.toml"))).unwrap();
        let file = format!("bad/{name}.toml");
        let err = match Scenario::parse(&source).and_then(|s| s.setup_steps(&source).map(|_| s)) {
            Err(e) => e,
            Ok(s) => match s.run(&source, None) {
                Err(e) => e,
                Ok(_) => {
                    failures.push(format!("{file}: accepted"));
                    continue;
                }
            },
        };
        assert!(
            inside(&source, err.line, err.col),
            "{file}: {err} is not inside the file"
        );
        let actual = format!("{}\n", err.render(&file));
        let expected_path = dir.join(format!("{name}.expected"));
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}.expected is missing: write what {file} must give"));
        if actual != expected {
            failures.push(format!(
                "{file}:\n  expected: {expected}  actual:   {actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A handler that feeds its own queue: every message makes another, for ever. The run stops at
/// its work budget with an error naming the time it reached, never a hang.
const SELF_FEEDING: &str = r#"format_version = 1
name = "loop"

[[roles]]
name = "r"
trust = "lambda"
managed = ["AWSLambdaBasicExecutionRole"]
policies = ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}']

[[queues]]
name = "q"

[[functions]]
name = "f"
role = "r"
script = '''
|event, context| { for r in event.Records { sqs_send("q", r.body); sqs_send("q", r.body); } "ok" }
'''

[[sqs_mappings]]
queue = "q"
function = "f"
batch_size = 1

[[timeline]]
at_s = 0
do = "send_messages"
queue = "q"
body = "again"
"#;

#[test]
fn a_run_that_keeps_making_work_stops_at_its_budget_with_a_clear_error() {
    let s = Scenario::parse(SELF_FEEDING).unwrap();
    let e = s.run_with_budget(SELF_FEEDING, None, 3_000).unwrap_err();
    assert!(
        e.message.starts_with("the run stopped at ") && e.message.contains("work budget"),
        "{e}"
    );
    // at the end of the file: the run had no end_s and ran out while waiting for idle
    assert_eq!(e.line, 1, "{e}");
}
