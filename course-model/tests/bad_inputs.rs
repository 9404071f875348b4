//! The corpus of bad files in `tests/bad/`: each `NAME.toml` must give exactly the diagnostics
//! in `NAME.expected`, as printed, every one at a line and column inside the file.
//!
//! A file is read as `mdbook-course` reads it: bytes decoded as UTF-8 (invalid UTF-8 is the one
//! diagnostic), then parsed. After changing a message on purpose, `BLESS=1 cargo test -p
//! course-model --test bad_inputs` rewrites the `.expected` files: review their diff.

use std::path::Path;

use course_model::diagnostic::LineIndex;
use course_model::{parse_quiz_file, utf8, Diagnostic};

/// The diagnostics of one corpus file, as `mdbook-course check` would give them.
fn diagnose(file: &str, bytes: Vec<u8>) -> Vec<Diagnostic> {
    match utf8::decode(file, bytes) {
        Ok(source) => parse_quiz_file(file, course_model::file_stem(file), &source).diagnostics,
        Err(d) => vec![d],
    }
}

/// Whether `line:col` names a character of `source` or the end of one of its lines.
fn inside(source: &str, line: usize, col: usize) -> bool {
    let Some(text) = source.split('\n').nth(line.wrapping_sub(1)) else {
        return false;
    };
    col >= 1 && col <= text.chars().count() + 1
}

#[test]
fn every_bad_file_gives_its_expected_diagnostics_inside_the_file() {
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
        let bytes = std::fs::read(dir.join(format!("{name}.toml"))).unwrap();
        let file = format!("bad/{name}.toml");
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        let diagnostics = diagnose(&file, bytes);
        assert!(!diagnostics.is_empty(), "{file} gives no diagnostic");
        for d in &diagnostics {
            assert!(
                inside(&lossy, d.line, d.col),
                "{file}: {d} is not inside the file"
            );
        }
        let actual: String = diagnostics.iter().map(|d| format!("{d}\n")).collect();
        let expected_path = dir.join(format!("{name}.expected"));
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}.expected is missing: write what {file} must give"));
        if actual != expected {
            failures.push(format!(
                "--- {file}: expected ---\n{expected}--- actual ---\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_line_index_is_not_fooled_by_a_file_of_one_long_line() {
    let source = format!("{}é", "x".repeat(100_000));
    let lines = LineIndex::new(&source);
    assert_eq!(lines.line_col(100_000), (1, 100_001));
    assert_eq!(lines.line_col(source.len()), (1, 100_002));
}

#[test]
fn an_mdbook_quiz_file_whose_name_is_not_a_safe_id_is_refused_at_its_start() {
    let source = "[[questions]]\nid = \"q1\"\ntype = \"ShortAnswer\"\nprompt.prompt = \"P\"\nanswer.answer = \"a\"\ncontext = \"C\"\n";
    let parsed = parse_quiz_file("ch02/my quiz.toml", "my quiz", source);
    let printed: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        printed,
        ["ch02/my quiz.toml:1:1: error: the file name gives this mdbook-quiz file the quiz id `my quiz`, but an id may use only ASCII letters, digits, `-`, `_` and `.`\n  help: rename the file, e.g. `invocation.toml`"]
    );
    assert!(parsed.quiz.is_none());
    assert!(parse_quiz_file("ch02/my-quiz.toml", "my-quiz", source)
        .quiz
        .is_some());
}
