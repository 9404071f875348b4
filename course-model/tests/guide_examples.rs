//! The instructor guide's examples are real: every TOML block in it validates without a diagnostic.

use course_model::parse_quiz_file;

const GUIDE: &str = include_str!("../../book/src/instructors/quizzes.md");

/// The ```toml blocks of the guide, each with the line it starts on.
fn toml_blocks() -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in GUIDE.lines().enumerate() {
        match &mut current {
            None if line.trim() == "```toml" => current = Some((i + 1, String::new())),
            Some(_) if line.trim() == "```" => blocks.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn every_toml_example_in_the_instructor_guide_validates_cleanly() {
    let blocks = toml_blocks();
    assert!(
        blocks.len() >= 10,
        "expected an example per question type, found {}",
        blocks.len()
    );
    for (line, block) in blocks {
        // Per-type examples show only the `[[question]]`; give them a quiz around it.
        let source = if block.contains("title =") || block.contains("[[questions]]") {
            block
        } else {
            format!("id = \"example-{line}\"\ntitle = \"Example\"\n{block}")
        };
        let parsed = parse_quiz_file(&format!("quizzes.md:{line}"), "guide-example", &source);
        assert!(
            parsed.diagnostics.is_empty(),
            "example at line {line}: {:#?}",
            parsed.diagnostics
        );
        assert!(parsed.quiz.is_some());
    }
}

#[test]
fn the_guide_documents_every_question_type_and_key() {
    for name in course_model::QuestionKind::NAMES {
        assert!(
            GUIDE.contains(&format!("### `{name}`")),
            "no section for `{name}`"
        );
        assert!(
            GUIDE.contains(&format!("type = \"{name}\"")),
            "no example of `{name}`"
        );
    }
    for key in [
        "pass_mark",
        "layout",
        "shuffle_options",
        "shuffle_questions",
        "draw",
        "[parts]",
        "code_lang",
        "explanation",
        "hint",
        "objective",
        "part",
        "why",
        "partial_credit",
        "why_true",
        "why_false",
        "answers",
        "case_sensitive",
        "pattern",
        "input",
        "tolerance",
        "min",
        "max",
        "unit",
        "items",
        "[[question.pair]]",
        "distractors",
        "pool",
        "lint_allow",
    ] {
        assert!(
            GUIDE.contains(&format!("`{key}`")),
            "`{key}` is not documented"
        );
    }
}

#[test]
fn the_guide_documents_every_item_writing_lint_with_an_example() {
    for name in course_model::lint::NAMES {
        let row = GUIDE
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("no row for the lint `{name}` in the guide's table"));
        // lint | fires when | example | fix
        assert_eq!(row.matches(" | ").count(), 3, "{row}");
    }
}
