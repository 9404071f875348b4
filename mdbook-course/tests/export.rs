//! `mdbook-course export --format gift`: every question type mapped to GIFT, what GIFT cannot hold
//! reported per question, and the files read back by a real GIFT parser (PyPI
//! `pygiftparserrgmf`, which `cargo xtask test` installs).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A quiz with one question of every type, each using features GIFT lacks.
const QUIZ: &str = r#"id = "all-types"
title = "All types"
pass_mark = 80
draw = 6

[[question]]
id = "q-single"
type = "single"
prompt = "Pick **one**: is 1 + 1 = 2?"
explanation = "Arithmetic: one and one make two."
hint = "Count."

[[question.option]]
text = "Yes"
correct = true
why = "Right: two."

[[question.option]]
text = "No ~ never"
why = "Wrong #1."

[[question]]
id = "q-multiple"
type = "multiple"
prompt = "Pick the even numbers."
explanation = "Even numbers divide by 2."

[[question.option]]
text = "2"
correct = true
why = "Even."

[[question.option]]
text = "4"
correct = true
why = "Even."

[[question.option]]
text = "5"
why = "Odd."

[[question]]
id = "q-tf"
type = "true-false"
prompt = "Lambda retries a failed synchronous invocation."
answer = false
why_true = "No: the caller decides."
why_false = "Right: the caller decides."
explanation = "Synchronous callers get the error back."

[[question]]
id = "q-short"
type = "short"
prompt = "Which service stores Lambda's logs?"
answers = ["CloudWatch", "Amazon CloudWatch"]
pattern = "(Amazon )?CloudWatch( Logs)?"
explanation = "Logs go to CloudWatch Logs."

[[question]]
id = "q-numeric"
type = "numeric"
prompt = "How many ms in a second?"
answer = 1000
tolerance = 5
unit = "ms"
explanation = "A second is 1000 ms."

[[question]]
id = "q-range"
type = "numeric"
prompt = "Pick a number between 10 and 20."
min = 10
max = 20
explanation = "Any of them."

[[question]]
id = "q-ordering"
type = "ordering"
prompt = "Order the phases."
items = ["Init", "Invoke", "Shutdown"]
explanation = "Init, then Invoke, then Shutdown."

[[question]]
id = "q-matching"
type = "matching"
prompt = "Match each phase with what happens."
distractors = ["Nothing"]
explanation = "As listed."

[[question.pair]]
left = "Init"
right = "Code outside the handler runs"

[[question.pair]]
left = "Invoke"
right = "The handler runs"

[[question.pair]]
left = "Shutdown"
right = "Lambda reclaims the environment"
"#;

fn book(dir: &Path, quiz: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"T\"\n[preprocessor.course]\nbook-id = \"t\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [One](one.md)\n").unwrap();
    std::fs::write(dir.join("src/one.md"), "# One\n\n{{#quiz quiz.toml}}\n").unwrap();
    std::fs::write(dir.join("src/quiz.toml"), quiz).unwrap();
}

fn export(book_dir: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
        .args(["export", "--format", "gift"])
        .arg(book_dir)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn every_type_is_exported_and_what_gift_cannot_hold_is_reported_per_question() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), QUIZ);
    let out = dir.path().join("out");
    let (code, err) = export(dir.path(), &out);
    assert_eq!(code, 0, "{err}");
    let gift = std::fs::read_to_string(out.join("all-types.gift")).unwrap();
    assert!(gift.contains("$CATEGORY: $course$/top/All types"), "{gift}");
    for id in [
        "q-single",
        "q-multiple",
        "q-tf",
        "q-short",
        "q-numeric",
        "q-range",
        "q-matching",
    ] {
        assert!(
            gift.contains(&format!("::{id}::[html]")),
            "{id} missing:\n{gift}"
        );
    }
    assert!(!gift.contains("q-ordering"), "{gift}");
    assert!(gift.contains("#1000:5"), "{gift}");
    assert!(gift.contains("#10..20"), "{gift}");
    assert!(gift.contains("~%50%2#Even."), "{gift}");
    assert!(gift.contains("~%-50%5#Odd."), "{gift}");
    assert!(
        gift.contains("{FALSE#No\\: the caller decides.#Right\\: the caller decides."),
        "{gift}"
    );
    assert!(
        gift.contains("=Init -> Code outside the handler runs"),
        "{gift}"
    );
    assert!(
        gift.contains("<strong>one</strong>"),
        "Markdown is rendered:\n{gift}"
    );
    for lost in [
        "question `q-single`: `hint`: GIFT has no hints",
        "question `q-multiple`: all-or-nothing scoring",
        "question `q-short`: `pattern = \"(Amazon )?CloudWatch( Logs)?\"`: GIFT has no patterns",
        "question `q-numeric`: `unit = \"ms\"`: GIFT has no units",
        "question `q-ordering`: left out: GIFT has no ordering question",
        "question `q-matching`: 1 distractor(s)",
        "`draw = 6`: GIFT has no random draw",
        "`pass_mark = 80`: GIFT has no pass mark",
    ] {
        assert!(err.contains(lost), "no {lost:?} in:\n{err}");
    }
    assert!(
        err.contains("1 quiz(zes), 7 of 8 question(s) exported, 8 thing(s) not mapped"),
        "{err}"
    );
}

#[test]
fn a_book_with_errors_exports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), &QUIZ.replace("answer = false", "answr = false"));
    let out = dir.path().join("out");
    let (code, err) = export(dir.path(), &out);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("unknown key `answr`"), "{err}");
    assert!(!out.exists());
}

/// The Python of the virtual environment that holds `pygiftparserrgmf` (`cargo xtask test`
/// installs it into target/tools/gift-venv and names it in `COURSE_GIFT_PYTHON`).
fn gift_python() -> PathBuf {
    std::env::var_os("COURSE_GIFT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/gift-venv/bin/python")
        })
}

/// Every question of the `.gift` files as pygiftparser reads them: name, answer type, category
/// and options (text, percentage, feedback).
fn parsed(files: &[PathBuf]) -> Vec<Value> {
    const SCRIPT: &str = r#"
import json, sys
from pygiftparser import parser
out = []
for f in sys.argv[1:]:
    for q in parser.parse(open(f, encoding="utf-8").read()).questions:
        options = getattr(q.answer, "options", None) or []
        out.append({"name": q.name, "type": type(q.answer).__name__,
                    "category": getattr(q, "category", None),
                    "options": [{"text": o.text, "percentage": o.percentage,
                                 "feedback": o.feedback} for o in options]})
print(json.dumps(out))
"#;
    let o = Command::new(gift_python())
        .arg("-c")
        .arg(SCRIPT)
        .args(files)
        .output()
        .expect("the GIFT parser's Python runs: `cargo xtask test` installs it");
    assert!(
        o.status.success(),
        "pygiftparser rejects the export:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn gift_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "gift"))
        .collect();
    files.sort();
    files
}

/// Ignored in a plain `cargo test` (it needs Python and pygiftparserrgmf); `cargo xtask test`
/// runs it (`cargo test -p mdbook-course --test export -- --ignored`).
#[test]
#[ignore = "needs pygiftparserrgmf: cargo xtask test installs it and runs this"]
fn a_real_gift_parser_reads_every_exported_question_back() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), QUIZ);
    let out = dir.path().join("out");
    assert_eq!(export(dir.path(), &out).0, 0);
    let questions = parsed(&gift_files(&out));
    let by_name = |name: &str| {
        questions
            .iter()
            .find(|q| q["name"] == name)
            .unwrap_or_else(|| panic!("{name} not read back: {questions:#?}"))
    };
    assert_eq!(questions.len(), 7);
    for (name, kind) in [
        ("q-single", "MultipleChoiceRadio"),
        ("q-multiple", "MultipleChoiceCheckbox"),
        ("q-tf", "TrueFalse"),
        ("q-short", "Short"),
        ("q-numeric", "Numerical"),
        ("q-range", "Range"),
        ("q-matching", "Matching"),
    ] {
        let q = by_name(name);
        assert_eq!(q["type"], kind, "{name}: {q:#}");
        assert_eq!(q["category"], "$course$/top/All types", "{name}");
    }
    let single = &by_name("q-single")["options"];
    assert_eq!(single[0]["text"], "Yes");
    assert_eq!(single[0]["percentage"], 1.0);
    assert_eq!(single[0]["feedback"], "Right\\: two.");
    assert_eq!(single[1]["text"], "No \\~ never");
    assert_eq!(single[1]["percentage"], 0.0);
    let multiple = &by_name("q-multiple")["options"];
    let weights: Vec<f64> = multiple
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["percentage"].as_f64().unwrap())
        .collect();
    assert_eq!(weights, [0.5, 0.5, -0.5]);
    let short: Vec<&str> = by_name("q-short")["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["text"].as_str().unwrap())
        .collect();
    assert_eq!(short, ["CloudWatch", "Amazon CloudWatch"]);
    assert_eq!(
        by_name("q-matching")["options"].as_array().unwrap().len(),
        3
    );
}
