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
            "demo.toml:22:1: error: unknown variant `cuont`, expected one of `cold_then_warm`, `cold_after_idle`, `warm_after_idle`, `concurrent_cold_starts`, `count`, `rejected`, `dlq`, `response`, `queue_messages`, `performance`, `load_test`",
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

/// Labs are proved when read (issue 17, class 5): the solution must complete every objective,
/// doing nothing must complete none, and solution steps stay within the simulator's limits. Each
/// refusal names the objective's or the step's line.
#[test]
fn labs_that_cannot_be_solved_or_ask_too_much_are_refused_at_the_line() {
    let table: &[(&str, &str, &str)] = &[
        // an objective the solution cannot meet
        (
            "at_least = 1",
            "at_least = 1000000000000000000",
            "demo.toml:23:1: error: the reference solution does not complete objective `cold`",
        ),
        // a solution that does nothing useful
        (
            "do = \"invoke\"",
            "do = \"advance\"\nseconds = 1",
            "demo.toml:23:1: error: the reference solution does not complete objective `cold`",
        ),
        // an objective done before the learner acts
        (
            "metric = \"cold_starts\"\nat_least = 1",
            "metric = \"cold_starts\"\nat_least = 0",
            "demo.toml:23:1: error: objective `cold` is complete without the learner doing anything",
        ),
        (
            "do = \"invoke\"",
            "do = \"advance\"\nseconds = -5.0",
            "demo.toml:32:1: error: `seconds` = -5 is not a time",
        ),
        (
            "do = \"invoke\"",
            "do = \"advance\"\nseconds = 1e300",
            "demo.toml:32:1: error: `seconds` = 1e300 is out of range: at most 604800 seconds (7 days)",
        ),
        (
            "do = \"invoke\"",
            "do = \"load_test\"\nrate_per_s = 1e12\nduration_s = 60",
            "demo.toml:32:1: error: `rate_per_s` = 1000000000000 is out of range: at most 10000 requests per second",
        ),
        (
            "do = \"invoke\"",
            "do = \"load_test\"\nrate_per_s = 10\nduration_s = nan",
            "demo.toml:33:1: error: `duration_s` = NaN is out of range",
        ),
        (
            "do = \"invoke\"",
            "do = \"burst\"\ncount = 1000000000",
            "demo.toml:32:1: error: `count` = 1000000000 is out of range",
        ),
        (
            "do = \"invoke\"",
            "do = \"deploy\"\nscript = '''\nlet a = 1;\nlet b = ;\n|e, c| a\n'''",
            "demo.toml:34:1: error: the solution's script does not parse: SyntaxError: expected an expression, found ';' (line 2, column 9)",
        ),
        (
            "id = \"demo\"",
            "id = \"de\u{200B}mo\"",
            "demo.toml:2:9: error: lab id `de\\u{200b}mo` has U+200B",
        ),
    ];
    let mut wrong = Vec::new();
    for (from, to, want) in table {
        let got = diagnostics(from, to);
        if !got.starts_with(want) {
            wrong.push(format!("{to}\n  want: {want}\n  got:  {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
