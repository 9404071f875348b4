//! The command line as an instructor meets it: help, version, usage errors and their exit codes,
//! completions, `new`, and `check` on single files. Every test runs the real binary.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
}

/// Runs `mdbook-course ARGS`: exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

const QUIZ: &str = r#"id = "q"
title = "T"

[[question]]
id = "q-1"
type = "true-false"
prompt = "Lambda retries a failed synchronous invocation."
answer = false
explanation = "The caller decides."
"#;

#[test]
fn help_lists_every_subcommand_with_examples_and_the_exit_codes() {
    for flag in ["--help", "-h"] {
        let (code, out, _) = run(&[flag]);
        assert_eq!(code, 0, "{flag}");
        for word in [
            "check",
            "new",
            "stats",
            "completions",
            "supports",
            "Examples:",
        ] {
            assert!(out.contains(word), "{flag}: no {word:?} in:\n{out}");
        }
        assert!(
            out.contains("0 ok, 1 content errors"),
            "exit codes missing:\n{out}"
        );
    }
    for sub in [
        &["check"][..],
        &["new"],
        &["new", "quiz"],
        &["new", "lab"],
        &["stats"],
        &["export"],
        &["import"],
        &["schema"],
        &["completions"],
        &["supports"],
    ] {
        for flag in ["--help", "-h"] {
            let mut args = sub.to_vec();
            args.push(flag);
            let (code, out, err) = run(&args);
            assert_eq!(code, 0, "{args:?}: {err}");
            assert!(out.contains("Usage: mdbook-course"), "{args:?}:\n{out}");
            assert!(out.contains("Example"), "{args:?} has no example:\n{out}");
        }
    }
    let (code, out, _) = run(&["help", "check"]);
    assert_eq!(code, 0);
    assert!(out.contains("--watch") && out.contains("--format"), "{out}");
}

#[test]
fn version_prints_the_crate_version() {
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!("mdbook-course {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_mistyped_flag_or_subcommand_is_a_usage_error_that_suggests_the_right_one() {
    let (code, _, err) = run(&["check", "--fromat", "json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unexpected argument '--fromat'"), "{err}");
    assert!(err.contains("similar argument exists: '--format'"), "{err}");

    let (code, _, err) = run(&["stast", "book"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("similar subcommand exists: 'stats'"), "{err}");
    let (code, _, err) = run(&["chek", "book"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("'check'"), "{err}");

    let (code, _, err) = run(&["check", "--format", "yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("[possible values: text, json]"), "{err}");

    let (code, _, err) = run(&["new", "quiz"]);
    assert_eq!(code, 2, "a missing FILE is a usage error: {err}");
}

#[test]
fn export_and_import_name_their_formats_and_a_wrong_format_is_a_usage_error() {
    let (code, out, _) = run(&["export", "--help"]);
    assert_eq!(code, 0);
    for word in [
        "qti",
        "gift",
        "moodle-xml",
        "<quiz id>.qti.zip",
        "imsmanifest.xml",
    ] {
        assert!(out.contains(word), "no {word:?} in:\n{out}");
    }
    let (code, out, _) = run(&["import", "--help"]);
    assert_eq!(code, 0);
    for word in [
        "--from <FROM>",
        "gift",
        "moodle-xml",
        "import --from gift questions.gift",
        "FILE:LINE:COL",
    ] {
        assert!(out.contains(word), "no {word:?} in:\n{out}");
    }
    let (code, _, err) = run(&["export", "--format", "qit", "book"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("[possible values: qti, gift, moodle-xml]"),
        "{err}"
    );
    let (code, _, err) = run(&["import", "--from", "gif", "x.gift", "-o", "x.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("[possible values: gift, moodle-xml]"), "{err}");
}

#[test]
fn stats_reads_learner_records_from_one_source_and_names_a_wrong_option() {
    let (code, _, err) = run(&[
        "stats",
        "--lrs",
        "http://127.0.0.1:9/xAPI/",
        "--statements",
        "s.json",
    ]);
    assert_eq!(
        code, 2,
        "--lrs and --statements together are a usage error: {err}"
    );
    assert!(err.contains("cannot be used with"), "{err}");
    let (code, _, err) = run(&["stats", "--statements", "s.json", "--format", "xml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("[possible values: text, json]"), "{err}");
    let (code, _, err) = run(&["stats", "--statements", "/nonexistent/statements.json"]);
    assert_eq!(code, 1, "an unreadable file is an error of its own: {err}");
    assert!(err.contains("/nonexistent/statements.json"), "{err}");
}

#[test]
fn supports_answers_yes_for_html_only() {
    assert_eq!(run(&["supports", "html"]).0, 0);
    assert_eq!(run(&["supports", "latex"]).0, 1);
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            out.contains("mdbook-course") && out.contains("format") && out.contains("watch"),
            "{shell}:\n{out}"
        );
    }
    // The bash script is valid bash: bash itself parses it (-n: read, do not run).
    let (_, script, _) = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.bash");
    std::fs::write(&file, &script).unwrap();
    let status = Command::new("bash").arg("-n").arg(&file).status().unwrap();
    assert!(status.success(), "bash -n rejects the completion script");
    assert!(script.contains("complete -F"), "{script}");
}

#[test]
fn a_single_quiz_file_is_checked_alone_with_file_line_col() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&good, QUIZ).unwrap();
    std::fs::write(&bad, QUIZ.replace("answer = false", "answr = false")).unwrap();

    let (code, _, err) = run(&["check", path(&good)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 error(s), 0 warning(s)"), "{err}");

    let (code, _, err) = run(&["check", path(&good), path(&bad)]);
    assert_eq!(code, 1, "{err}");
    for want in [
        format!(
            "{}:4:1: error: missing required key `answer`",
            bad.display()
        ),
        format!("{}:8:1: error: unknown key `answr`", bad.display()),
    ] {
        assert!(err.contains(&want), "missing {want:?} in:\n{err}");
    }
    assert!(err.contains("2 error(s)"), "{err}");

    let (code, out, _) = run(&["check", path(&bad), "--format", "json"]);
    assert_eq!(code, 1);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list[0]["file"], path(&bad));
    assert_eq!(list[1]["line"], 8);
    assert_eq!(list[1]["col"], 1);
}

#[test]
fn a_single_lab_and_a_single_scenario_are_checked_alone() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let lab = repo.join("content/labs/cold-warm-starts.toml");
    let scenario = repo.join("content/scenarios/cold-vs-warm.toml");
    let (code, _, err) = run(&["check", path(&lab), path(&scenario)]);
    assert_eq!(code, 0, "{err}");

    let dir = tempfile::tempdir().unwrap();
    let bad_lab = dir.path().join("lab.toml");
    let text = std::fs::read_to_string(&lab).unwrap();
    std::fs::write(
        &bad_lab,
        text.replace("check = \"cold_then_warm\"", "check = \"cold_then_wrm\""),
    )
    .unwrap();
    let (code, _, err) = run(&["check", path(&bad_lab)]);
    assert_eq!(code, 1, "{err}");
    // The reader reports an unknown check at its `[[objective]]`.
    let line = text.lines().position(|l| l == "[[objective]]").unwrap() + 1;
    let want = format!(
        "{}:{line}:1: error: unknown variant `cold_then_wrm`",
        bad_lab.display()
    );
    assert!(err.contains(&want), "missing {want:?} in:\n{err}");

    let bad_scenario = dir.path().join("s.toml");
    std::fs::write(
        &bad_scenario,
        "format_version = 1\nname = \"x\"\n\n[[timeline]]\ndo = \"invoek\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&["check", path(&bad_scenario)]);
    assert_eq!(code, 1, "{err}");
    let want = format!(
        "{}:5:1: error: unknown action \"invoek\"",
        bad_scenario.display()
    );
    assert!(err.contains(&want), "missing {want:?} in:\n{err}");
}

#[test]
fn a_missing_file_or_a_folder_without_book_toml_fails_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let (code, _, err) = run(&["check", path(&missing)]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("{}:1:1: error: cannot read", missing.display())),
        "{err}"
    );
    let (code, _, err) = run(&["check", path(dir.path())]);
    assert_eq!(code, 1);
    assert!(err.contains("without book.toml"), "{err}");
}

#[test]
fn new_quiz_and_new_lab_write_files_that_pass_check_and_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let quiz = dir.path().join("quizzes/ch09/retries.toml");
    let lab = dir.path().join("labs/first-lab.toml");
    let (code, _, err) = run(&["new", "quiz", path(&quiz), "--title", "Retries"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["new", "lab", path(&lab), "--title", "My \"first\" lab"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["check", path(&quiz), path(&lab)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 error(s), 0 warning(s)"), "{err}");
    let text = std::fs::read_to_string(&quiz).unwrap();
    assert!(text.contains("id = \"ch09-retries\""), "{text}");
    let text = std::fs::read_to_string(&lab).unwrap();
    assert!(text.contains("id = \"first-lab\""), "{text}");

    let (code, _, err) = run(&["new", "lab", path(&lab)]);
    assert_eq!(code, 1);
    assert!(err.contains("exists already"), "{err}");
    assert_eq!(std::fs::read_to_string(&lab).unwrap(), text);
}

#[test]
fn fix_ids_works_on_a_single_quiz_file() {
    let dir = tempfile::tempdir().unwrap();
    let quiz = dir.path().join("q.toml");
    std::fs::write(&quiz, QUIZ.replace("id = \"q-1\"\n", "")).unwrap();
    assert_eq!(run(&["check", path(&quiz)]).0, 1);
    let (code, _, err) = run(&["check", path(&quiz), "--fix-ids"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&quiz)
        .unwrap()
        .contains("id = \"q-1\""));
}

/// Reads stderr lines of a running `check --watch` until one contains `want`.
fn wait_for(lines: &mpsc::Receiver<String>, want: &str, seen: &mut Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                let found = line.contains(want);
                seen.push(line);
                if found {
                    return;
                }
            }
            Err(_) => panic!(
                "no line with {want:?} within 30 s; saw:\n{}",
                seen.join("\n")
            ),
        }
    }
}

#[test]
fn watch_checks_again_when_the_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let quiz = dir.path().join("q.toml");
    std::fs::write(&quiz, QUIZ).unwrap();
    let mut child = bin()
        .args(["check", "--watch", path(&quiz)])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    wait_for(&rx, "0 error(s), 0 warning(s)", &mut seen);
    wait_for(&rx, "watching for changes", &mut seen);
    // Editors often write a new file and rename it over the old one: do that.
    let tmp = dir.path().join("q.toml.tmp");
    std::fs::write(&tmp, QUIZ.replace("answer = false", "answr = false")).unwrap();
    std::fs::rename(&tmp, &quiz).unwrap();
    wait_for(&rx, "error: unknown key `answr`", &mut seen);
    wait_for(&rx, "2 error(s)", &mut seen);
    std::fs::write(&quiz, QUIZ).unwrap();
    wait_for(&rx, "0 error(s), 0 warning(s)", &mut seen);
    child.kill().unwrap();
    child.wait().unwrap();
}
