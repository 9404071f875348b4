//! `Scenario::setup_actions`: the ordered setup a lab console replays builds the same world as
//! `Scenario::build`.

use std::path::PathBuf;

use lab_runtime::actions::Action;
use lab_runtime::scenario::Scenario;
use lab_runtime::Simulation;

fn content_scenarios() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content/scenarios");
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    assert!(v.len() >= 5);
    v
}

#[test]
fn setup_actions_replayed_on_a_fresh_simulation_build_the_same_world() {
    for (name, text) in content_scenarios() {
        let s = Scenario::parse(&text).unwrap();
        let built = s.build(&text, 7).unwrap();
        let (account, actions) = s.setup_actions(&text).unwrap();
        let mut replayed = Simulation::new(account, 7);
        for a in actions {
            replayed.apply(a).unwrap();
        }
        assert_eq!(
            serde_json::to_string(&built.view()).unwrap(),
            serde_json::to_string(&replayed.view()).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn setup_actions_come_in_build_order_with_policies_after_their_function() {
    let text = r#"
format_version = 1
name = "order"
buckets = ["b"]
[[roles]]
name = "r"
trust = "lambda"
[[queues]]
name = "q"
dlq = "d"
[[queues]]
name = "d"
[[functions]]
name = "f"
role = "r"
policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}]}'
[[sqs_mappings]]
queue = "q"
function = "f"
"#;
    let s = Scenario::parse(text).unwrap();
    let (_, actions) = s.setup_actions(text).unwrap();
    let kinds: Vec<&str> = actions
        .iter()
        .map(|a| match a {
            Action::CreateRole { .. } => "role",
            Action::CreateQueue { .. } => "queue",
            Action::CreateBucket { .. } => "bucket",
            Action::CreateFunction(_) => "function",
            Action::PutFunctionPolicy { .. } => "policy",
            Action::CreateSqsMapping(_) => "sqs_mapping",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            "role",
            "queue",
            "queue",
            "bucket",
            "function",
            "policy",
            "sqs_mapping"
        ]
    );
}

#[test]
fn setup_actions_report_static_mistakes_with_line_and_column() {
    let text = "format_version = 1\nname = \"x\"\n[[queues]]\nname = \"q\"\ndlq = \"nope\"\n";
    let s = Scenario::parse(text).unwrap();
    let e = s.setup_actions(text).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("dlq \"nope\""), "{e}");
}

#[test]
fn scenario_throttle_shows_reason_and_retry_after_from_the_account() {
    // docs/lambda-behaviour.md §4.7: Reason and a Retry-After header
    let text = r#"
format_version = 1
name = "t"
[account]
throttle_retry_after_s = 3
[[roles]]
name = "r"
trust = "lambda"
[[functions]]
name = "f"
role = "r"
reserved_concurrency = 0
[[timeline]]
do = "invoke"
function = "f"
"#;
    let s = Scenario::parse(text).unwrap();
    let r = s.run(text, None).unwrap();
    assert_eq!(
        r.actions[0].result,
        "429 TooManyRequestsException: Rate Exceeded. (Reason: ReservedFunctionConcurrentInvocationLimitExceeded, Retry-After: 3)"
    );
    assert_eq!(r.functions[0].throttles, 1);
    assert_eq!(
        r.records[0].error_type.as_deref(),
        Some("TooManyRequestsException")
    );
}
