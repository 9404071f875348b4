//! `mdbook-course export --format gift`: every question type mapped to GIFT, what GIFT cannot hold
//! reported per question, and the files read back by a real GIFT parser (PyPI
//! `pygiftparserrgmf`, which `cargo xtask test` installs).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{book, export_as};

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

fn export(book_dir: &Path, out: &Path) -> (i32, String) {
    export_as("gift", book_dir, out)
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
        "question `q-matching`: all-or-nothing scoring",
        "`draw = 6`: GIFT has no random draw",
        "`pass_mark = 80`: GIFT has no pass mark",
    ] {
        assert!(err.contains(lost), "no {lost:?} in:\n{err}");
    }
    assert!(
        err.contains("1 quiz(zes), 7 of 8 question(s) exported, 9 thing(s) not mapped"),
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

/// The `<text>` of `node`'s child `tag`.
fn text_of<'a>(node: roxmltree::Node<'a, 'a>, tag: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name(tag))?
        .children()
        .find(|c| c.has_tag_name("text"))?
        .text()
}

#[test]
fn moodle_xml_holds_every_type_and_reads_back_as_xml() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), QUIZ);
    let out = dir.path().join("out");
    let (code, err) = export_as("moodle-xml", dir.path(), &out);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 quiz(zes), 8 of 8 question(s) exported, 5 thing(s) not mapped"),
        "{err}"
    );
    for lost in [
        "question `q-multiple`: all-or-nothing scoring",
        "question `q-short`: `pattern = ",
        "question `q-matching`: all-or-nothing scoring",
        "`draw = 6`",
        "`pass_mark = 80`",
    ] {
        assert!(err.contains(lost), "no {lost:?} in:\n{err}");
    }
    let xml = std::fs::read_to_string(out.join("all-types.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "quiz");
    let questions: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("question"))
        .collect();
    let category = questions[0];
    assert_eq!(category.attribute("type"), Some("category"));
    assert_eq!(
        category
            .descendants()
            .find(|n| n.has_tag_name("text"))
            .unwrap()
            .text(),
        Some("$course$/top/All types")
    );
    let by_name = |name: &str| {
        *questions
            .iter()
            .find(|q| text_of(**q, "name") == Some(name))
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let kinds = [
        ("q-single", "multichoice"),
        ("q-multiple", "multichoice"),
        ("q-tf", "truefalse"),
        ("q-short", "shortanswer"),
        ("q-numeric", "numerical"),
        ("q-range", "numerical"),
        ("q-ordering", "ordering"),
        ("q-matching", "matching"),
    ];
    assert_eq!(questions.len(), kinds.len() + 1);
    for (name, kind) in kinds {
        assert_eq!(by_name(name).attribute("type"), Some(kind), "{name}");
    }
    let answers = |name: &str| -> Vec<(String, String)> {
        by_name(name)
            .children()
            .filter(|n| n.has_tag_name("answer"))
            .map(|a| {
                (
                    a.attribute("fraction").unwrap_or("").to_owned(),
                    text_of_self(a),
                )
            })
            .collect()
    };
    fn text_of_self(a: roxmltree::Node) -> String {
        a.children()
            .find(|c| c.has_tag_name("text"))
            .and_then(|t| t.text())
            .unwrap_or("")
            .to_owned()
    }
    let single = by_name("q-single");
    assert_eq!(
        text_of(single, "questiontext"),
        Some("Pick <strong>one</strong>: is 1 + 1 = 2?")
    );
    assert_eq!(text_of(single, "hint"), Some("Count."));
    assert_eq!(text_of(single, "single"), None);
    assert_eq!(
        answers("q-single"),
        [
            ("100".into(), "Yes".into()),
            ("0".into(), "No ~ never".into())
        ]
    );
    let multiple: Vec<String> = answers("q-multiple").into_iter().map(|a| a.0).collect();
    assert_eq!(multiple, ["50", "50", "-50"]);
    assert_eq!(
        answers("q-tf"),
        [("0".into(), "true".into()), ("100".into(), "false".into())]
    );
    assert_eq!(
        answers("q-short"),
        [
            ("100".into(), "CloudWatch".into()),
            ("100".into(), "Amazon CloudWatch".into())
        ]
    );
    let numeric = by_name("q-numeric");
    assert_eq!(answers("q-numeric")[0].1, "1000");
    assert!(numeric
        .descendants()
        .any(|n| n.has_tag_name("tolerance") && n.text() == Some("5")));
    assert!(numeric
        .descendants()
        .any(|n| n.has_tag_name("unit_name") && n.text() == Some("ms")));
    assert_eq!(answers("q-range")[0].1, "15");
    let ordering: Vec<String> = answers("q-ordering").into_iter().map(|a| a.1).collect();
    assert_eq!(ordering, ["Init", "Invoke", "Shutdown"]);
    let subs: Vec<(String, String)> = by_name("q-matching")
        .children()
        .filter(|n| n.has_tag_name("subquestion"))
        .map(|s| {
            (
                text_of_self(s),
                text_of(s, "answer").unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(subs.len(), 4);
    assert_eq!(
        subs[0],
        ("Init".into(), "Code outside the handler runs".into())
    );
    assert_eq!(subs[3], (String::new(), "Nothing".into()), "the distractor");
    assert_eq!(
        text_of(by_name("q-tf"), "generalfeedback"),
        Some("Synchronous callers get the error back.")
    );

    // The course's own bank: every question of every quiz, well-formed.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = dir.path().join("course");
    let (code, err) = export_as("moodle-xml", &repo.join("book"), &out);
    assert_eq!(code, 0, "{err}");
    let mut total = 0;
    for file in std::fs::read_dir(&out).unwrap() {
        let xml = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        total += doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("question") && n.attribute("type") != Some("category"))
            .count();
    }
    assert!(
        err.contains(&format!("{total} of {total} question(s) exported")),
        "{err}"
    );
}

fn import(file: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
        .args(["import", "--from", "moodle-xml"])
        .arg(file)
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
fn a_moodle_xml_export_imports_back_into_a_quiz_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), QUIZ);
    let out = dir.path().join("out");
    assert_eq!(export_as("moodle-xml", dir.path(), &out).0, 0);
    let imported = dir.path().join("imported.toml");
    let (code, err) = import(&out.join("all-types.xml"), &imported);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("8 question(s), 0 thing(s) not mapped"),
        "{err}"
    );
    let text = std::fs::read_to_string(&imported).unwrap();
    let back = course_model::parse_quiz("imported.toml", &text).expect("passes check");
    let original = course_model::parse_quiz("quiz.toml", QUIZ).unwrap();
    assert_eq!(back.title, original.title);
    assert_eq!(back.questions.len(), original.questions.len());
    for (a, b) in original.questions.iter().zip(&back.questions) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.kind.name(), b.kind.name(), "{}", a.id);
        assert_eq!(
            a.kind.numeric_range(),
            b.kind.numeric_range(),
            "{}: the accepted range",
            a.id
        );
        assert_eq!(a.hint.is_some(), b.hint.is_some(), "{}", a.id);
    }
    let ordering = |q: &course_model::Quiz| match &q.questions[6].kind {
        course_model::QuestionKind::Ordering { items, .. } => items.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(ordering(&back), ordering(&original));
    assert_eq!(
        back.questions[7].kind.matching_choices(),
        original.questions[7].kind.matching_choices(),
        "pairs and the distractor"
    );

    // Never overwrites.
    let (code, err) = import(&out.join("all-types.xml"), &imported);
    assert_eq!(code, 1);
    assert!(err.contains("exists already"), "{err}");
}

#[test]
fn moodle_question_types_without_a_counterpart_are_reported_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank.xml");
    std::fs::write(
        &bank,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<question type="category"><category><text>$course$/top/Old bank</text></category></question>
<question type="essay">
<name><text>Explain cold starts</text></name>
<questiontext format="html"><text>Explain.</text></questiontext>
</question>
<question type="shortanswer">
<name><text>Log service</text></name>
<questiontext format="html"><text>Where do logs go?</text></questiontext>
<usecase>0</usecase>
<answer fraction="100"><text>CloudWatch</text></answer>
<answer fraction="50"><text>Cloud*</text></answer>
</question>
</quiz>
"#,
    )
    .unwrap();
    let out = dir.path().join("old.toml");
    let (code, err) = import(&bank, &out);
    assert_eq!(code, 0, "{err}");
    let shown = bank.display().to_string();
    for want in [
        format!("not mapped: {shown}:4: question `Explain cold starts`: left out: the `essay` type has no counterpart"),
        format!("not mapped: {shown}:8: question `Log service`: partly right answers are left out"),
        format!("not mapped: {shown}:8: question `Log service`: `*` wildcards"),
    ] {
        assert!(err.contains(&want), "no {want:?} in:\n{err}");
    }
    let quiz = course_model::parse_quiz("old.toml", &std::fs::read_to_string(&out).unwrap())
        .expect("passes check");
    assert_eq!(quiz.title, "Old bank");
    assert_eq!(quiz.questions.len(), 1);
    assert_eq!(quiz.questions[0].id, "log-service");
}

#[test]
fn the_course_bank_goes_to_moodle_xml_and_back_and_every_quiz_still_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = dir.path().join("course");
    assert_eq!(export_as("moodle-xml", &repo.join("book"), &out).0, 0);
    let mut total = 0;
    for file in gift_files_with(&out, "xml") {
        let back = dir
            .path()
            .join(file.file_stem().unwrap())
            .with_extension("toml");
        let (code, err) = import(&file, &back);
        assert_eq!(code, 0, "{}: {err}", file.display());
        assert!(err.contains(" 0 thing(s) not mapped"), "{err}");
        let quiz = course_model::parse_quiz("q.toml", &std::fs::read_to_string(&back).unwrap())
            .unwrap_or_else(|d| panic!("{}: {d:?}", back.display()));
        total += quiz.questions.len();
    }
    assert!(total > 100, "{total}");
}

fn gift_files_with(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}
