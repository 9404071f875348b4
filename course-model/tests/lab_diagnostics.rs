//! Bad lab files and the exact diagnostics they get (`file:line:col: error: message`).
#![cfg(feature = "labs")]

use course_model::lab::parse_lab_file;

const GOOD: &str = r#"format_version = 1
id = "demo"
title = "Demo"
brief = "Invoke it."
controls = ["invoke"]

[scenario]
format_version = 1
name = "demo"

[[scenario.roles]]
name = "r"
trust = "lambda"

[[scenario.queues]]
name = "dlq"

[[scenario.functions]]
name = "hello"
role = "r"

[[objective]]
id = "cold"
text = "A cold start."
check = "count"
function = "hello"
metric = "cold_starts"
at_least = 1

[[solution]]
do = "invoke"
"#;

/// Replaces `from` with `to` in the good file and returns every diagnostic's first line.
fn diagnostics(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    let source = GOOD.replacen(from, to, 1);
    let parsed = parse_lab_file("demo.toml", &source);
    assert!(parsed.lab.is_none(), "accepted: {to}");
    let lines: Vec<String> = parsed
        .diagnostics
        .iter()
        .map(|d| d.to_string().lines().next().unwrap().to_owned())
        .collect();
    lines.join(" | ")
}

#[test]
fn the_good_file_is_accepted_without_diagnostics() {
    let parsed = parse_lab_file("demo.toml", GOOD);
    assert_eq!(parsed.diagnostics, vec![]);
    assert_eq!(parsed.lab.unwrap().function, "hello");
}

#[test]
fn bad_lab_files_get_exact_diagnostics() {
    let table: &[(&str, &str, &str)] = &[
        (
            "function = \"hello\"\nmetric",
            "function = \"helo\"\nmetric",
            "demo.toml:26:1: error: unknown function `helo`",
        ),
        (
            "metric = \"cold_starts\"",
            "metric = \"cold_start\"",
            "demo.toml:27:1: error: unknown metric `cold_start`",
        ),
        (
            "check = \"count\"",
            "check = \"cuont\"",
            "demo.toml:22:1: error: unknown variant `cuont`, expected one of `cold_then_warm`, `cold_after_idle`, `concurrent_cold_starts`, `count`, `rejected`, `dlq`, `response`, `queue_messages`, `performance`, `load_test`",
        ),
        (
            "controls = [\"invoke\"]",
            "controls = [\"invok\"]",
            "demo.toml:5:13: error: unknown control `invok`",
        ),
        (
            "id = \"demo\"",
            "id = \"other\"",
            "demo.toml:2:6: error: lab id `other` differs from the file name `demo`",
        ),
        (
            "title = \"Demo\"",
            "titel = \"Demo\"",
            "demo.toml:3:1: error: unknown field `titel`, expected one of `format_version`, `id`, `title`, `brief`, `function`, `controls`, `seed`, `scenario`, `hints`, `objective`, `solution`",
        ),
        (
            "[[solution]]",
            "[[objective]]\nid = \"cold\"\ntext = \"again\"\ncheck = \"rejected\"\nfunction = \"hello\"\nerror = \"AccessDeniedException\"\n\n[[solution]]",
            "demo.toml:31:1: error: objective id `cold` is empty or used twice",
        ),
        (
            "do = \"invoke\"",
            "do = \"send_messages\"\nqueue = \"dqz\"",
            "demo.toml:32:1: error: unknown queue `dqz`",
        ),
        (
            "name = \"hello\"\nrole = \"r\"",
            "name = \"hello\"\nrole = \"r\"\nmemory_mb = 64",
            "demo.toml:21:1: error: scenario: function \"hello\": ValidationException: 1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
        ),
        (
            "[[solution]]\ndo = \"invoke\"\n",
            "[[scenario.timeline]]\ndo = \"invoke\"\nfunction = \"hello\"\n",
            "demo.toml:1:1: error: a lab needs a reference solution | demo.toml:30:1: error: a lab's scenario has no timeline: the learner acts, not a script",
        ),
    ];
    let mut wrong = Vec::new();
    for (from, to, expected) in table {
        let got = diagnostics(from, to);
        if got != *expected {
            wrong.push(format!("{to}\n  expected {expected}\n  got      {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_seed_the_page_json_cannot_carry_exactly_is_refused_at_its_place() {
    assert_eq!(
        diagnostics(
            "controls = [\"invoke\"]\n",
            "controls = [\"invoke\"]\nseed = 9007199254740993\n"
        ),
        "demo.toml:6:8: error: seed 9007199254740993 is too large: at most 9007199254740992"
    );
}
