//! `mdbook-course check` on small fixture books: what an instructor sees in the terminal.

use std::path::Path;
use std::process::Command;

fn book(dir: &Path, chapter: &str, quiz: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"T\"\n[preprocessor.course]\nbook-id = \"t\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [One](one.md)\n").unwrap();
    std::fs::write(dir.join("src/one.md"), chapter).unwrap();
    std::fs::write(dir.join("quiz.toml"), quiz).unwrap();
}

fn check(dir: &Path, extra: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
        .arg("check")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const GOOD: &str = r#"id = "q"
title = "T"

[[question]]
id = "q-1"
type = "true-false"
prompt = "Lambda retries a failed synchronous invocation."
answer = false
explanation = "The caller decides."
"#;

#[test]
fn a_valid_book_passes() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "# One\n\n{{#quiz ../quiz.toml}}\n", GOOD);
    let (ok, _, err) = check(dir.path(), &[]);
    assert!(ok, "{err}");
    assert!(err.contains("0 error(s), 0 warning(s)"), "{err}");
}

#[test]
fn every_error_is_reported_with_file_line_and_column_and_the_command_fails() {
    let dir = tempfile::tempdir().unwrap();
    let broken = GOOD.replace("answer = false", "answr = false");
    book(
        dir.path(),
        "# One\n\n{{#quiz ../quiz.toml}}\n\n{{#quiz ../missing.toml}}\n\n[dead](nowhere.md)\n",
        &broken,
    );
    let (ok, _, err) = check(dir.path(), &[]);
    assert!(!ok, "the check must fail:\n{err}");
    let name = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    for expected in [
        format!("{name}/quiz.toml:8:1: error: unknown key `answr`"),
        format!("{name}/src/one.md:5:1: error: cannot read quiz file `../missing.toml`"),
        format!("{name}/src/one.md:7:1: error: dead link `nowhere.md`"),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn json_format_gives_machine_readable_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# One\n\n{{#quiz ../quiz.toml}}\n",
        &GOOD.replace("answer = false", "answer = 3"),
    );
    let (ok, out, _) = check(dir.path(), &["--format", "json"]);
    assert!(!ok);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &list[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["line"], 8);
    assert!(first["file"].as_str().unwrap().ends_with("quiz.toml"));
}

#[test]
fn fix_ids_writes_missing_question_ids_and_then_the_book_passes() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# One\n\n{{#quiz ../quiz.toml}}\n",
        &GOOD.replace("id = \"q-1\"\n", ""),
    );
    let (ok, _, _) = check(dir.path(), &[]);
    assert!(!ok, "a question without id is an error");
    let (ok, _, err) = check(dir.path(), &["--fix-ids"]);
    assert!(ok, "{err}");
    let fixed = std::fs::read_to_string(dir.path().join("quiz.toml")).unwrap();
    assert!(fixed.contains("id = \"q-1\""), "{fixed}");
}

#[test]
fn the_item_writing_lint_warns_with_file_line_and_fix_and_lint_allow_silences_it() {
    let single = |id: &str, right: &str, wrong: &str| {
        format!(
            "\n[[question]]\nid = \"{id}\"\ntype = \"single\"\nprompt = \"Question {id}?\"\nexplanation = \"E\"\n\
             [[question.option]]\ntext = \"{right}\"\ncorrect = true\nwhy = \"w\"\n\
             [[question.option]]\ntext = \"{wrong}\"\nwhy = \"w\"\n"
        )
    };
    let quiz = format!(
        "id = \"q\"\ntitle = \"T\"\n{}{}{}",
        single("a", "the long and right answer", "no"),
        single("b", "another long right answer", "nope"),
        single("c", "yes", "a long but wrong answer"),
    );
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "# One\n\n{{#quiz ../quiz.toml}}\n", &quiz);
    let (ok, _, err) = check(dir.path(), &[]);
    assert!(ok, "warnings do not fail the check:\n{err}");
    let name = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let at =
        format!("{name}/quiz.toml:5:6: warning: the right option is the longest in 2 of the 3");
    assert!(err.contains(&at), "missing {at:?} in:\n{err}");
    assert!(err.contains("lint_allow = [\"longest-correct\"]"), "{err}");
    assert!(err.contains("0 error(s), 2 warning(s)"), "{err}");

    let allowed = quiz.replace(
        "id = \"b\"\n",
        "id = \"b\"\nlint_allow = [\"longest-correct\"]\n",
    );
    book(dir.path(), "# One\n\n{{#quiz ../quiz.toml}}\n", &allowed);
    let (ok, _, err) = check(dir.path(), &[]);
    assert!(ok && err.contains("0 error(s), 0 warning(s)"), "{err}");

    let typo = quiz.replace("id = \"b\"\n", "id = \"b\"\nlint_allow = [\"longest\"]\n");
    book(dir.path(), "# One\n\n{{#quiz ../quiz.toml}}\n", &typo);
    let (ok, _, err) = check(dir.path(), &[]);
    assert!(!ok, "an unknown lint name is an error:\n{err}");
    assert!(
        err.contains("unknown lint `longest` in `lint_allow`"),
        "{err}"
    );
}
