//! mdbook-quiz compatibility: its files are accepted unchanged and converted to our types.

use std::fs;
use std::path::Path;

use course_model::{
    display_order, grade, parse_quiz_file, Answer, InputKind, ParsedQuiz, Question, QuestionKind,
    Quiz, TRACING_PROMPT,
};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mdbook-quiz");

fn fixture(name: &str) -> (String, ParsedQuiz) {
    let path = Path::new(FIXTURES).join(name);
    let source = fs::read_to_string(&path).unwrap();
    let stem = name.trim_end_matches(".toml");
    let parsed = parse_quiz_file(&format!("fixtures/{name}"), stem, &source);
    (source, parsed)
}

fn quiz(name: &str) -> Quiz {
    let (_, parsed) = fixture(name);
    parsed
        .quiz
        .unwrap_or_else(|| panic!("{name} did not validate: {:#?}", parsed.diagnostics))
}

fn question<'q>(quiz: &'q Quiz, id: &str) -> &'q Question {
    quiz.questions
        .iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("no question `{id}`"))
}

fn texts(kind: &QuestionKind) -> Vec<(&str, bool)> {
    match kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => options
            .iter()
            .map(|o| (o.text.as_str(), o.correct))
            .collect(),
        other => panic!("not a choice question: {other:?}"),
    }
}

#[test]
fn every_fixture_validates_with_only_the_expected_warnings() {
    let mut names: Vec<String> = fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "multipart.toml",
            "multiple-choice.toml",
            "short-answer.toml",
            "tracing.toml"
        ]
    );
    for name in &names {
        let (_, parsed) = fixture(name);
        let printed: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
        let expected: &[&str] = match name.as_str() {
            "multiple-choice.toml" => &[
                "fixtures/multiple-choice.toml:42:21: warning: `promptExplanation` is not supported and is ignored\n  help: learners are not asked to justify their answer; remove the key to silence this warning",
                "fixtures/multiple-choice.toml:44:1: warning: question has no `id`; using `multiple-choice-5`\n  help: add `id = \"multiple-choice-5\"` (or any id unique in the book): a derived id changes when questions move, which resets saved answers",
            ],
            _ => &[],
        };
        assert_eq!(printed, expected, "{name}");
        assert!(parsed.quiz.is_some(), "{name}");
    }
}

#[test]
fn every_key_of_the_mdbook_quiz_schema_is_covered_by_a_fixture() {
    let all: String = [
        "multiple-choice.toml",
        "short-answer.toml",
        "tracing.toml",
        "multipart.toml",
    ]
    .iter()
    .map(|n| fixture(n).0)
    .collect();
    for key in [
        "[[questions]]",
        "[multipart]",
        "\nid = ",
        "\ntype = \"MultipleChoice\"",
        "\ntype = \"ShortAnswer\"",
        "\ntype = \"Tracing\"",
        "\ncontext = ",
        "\nmultipart = ",
        "\npromptExplanation = ",
        "prompt.prompt = ",
        "prompt.distractors = ",
        "prompt.answerIndex = ",
        "prompt.sortAnswers = ",
        "prompt.response = \"short\"",
        "prompt.response = \"long\"",
        "prompt.response = \"code\"",
        "prompt.program = ",
        "answer.answer = \"",
        "answer.answer = [",
        "answer.alternatives = ",
        "answer.doesCompile = true",
        "answer.doesCompile = false",
        "answer.stdout = ",
        "answer.lineNumber = ",
    ] {
        assert!(all.contains(key), "no fixture uses {key:?}");
    }
}

#[test]
fn an_mdbook_quiz_file_gets_its_quiz_id_and_title_from_the_file_name() {
    let q = quiz("multiple-choice.toml");
    assert_eq!(
        (q.id.as_str(), q.title.as_str()),
        ("multiple-choice", "Multiple choice")
    );
    assert_eq!(
        (q.pass_mark, q.shuffle_options, q.shuffle_questions, q.draw),
        (70, true, false, None)
    );
    assert_eq!(q.questions[4].id, "multiple-choice-5");
}

#[test]
fn multiple_choice_with_one_answer_becomes_single_with_the_answer_first_and_context_as_explanation()
{
    let q = quiz("multiple-choice.toml");
    let plain = question(&q, "5c2b1a0e-mc-plain");
    assert!(matches!(plain.kind, QuestionKind::Single { .. }));
    let options = texts(&plain.kind);
    assert_eq!(options.len(), 4);
    assert_eq!(
        options[0],
        (
            "`x` cannot be changed after being assigned to a value.",
            true
        )
    );
    assert!(options[1..].iter().all(|(_, correct)| !correct));
    assert_eq!(
        plain.explanation.as_deref(),
        Some("Immutable means \"not mutable\", or not changeable.\n")
    );
    assert_eq!(plain.shuffle_options, None, "shuffled like any question");
}

#[test]
fn answer_index_places_the_answer_and_turns_shuffling_off() {
    let q = quiz("multiple-choice.toml");
    let index = q
        .questions
        .iter()
        .position(|q| q.id == "5c2b1a0e-mc-index")
        .unwrap();
    assert_eq!(
        texts(&q.questions[index].kind),
        [("2", false), ("1", true), ("3", false)]
    );
    assert_eq!(q.questions[index].shuffle_options, Some(false));
    assert_eq!(display_order(99, &q, index), [0, 1, 2]);
}

#[test]
fn sort_answers_sorts_all_options_by_text_and_turns_shuffling_off() {
    let q = quiz("multiple-choice.toml");
    let sorted = question(&q, "5c2b1a0e-mc-sorted");
    assert_eq!(
        texts(&sorted.kind),
        [("define", false), ("fn", true), ("func", false)]
    );
    assert_eq!(sorted.shuffle_options, Some(false));
}

#[test]
fn multiple_choice_with_a_list_of_answers_becomes_multiple_all_or_nothing() {
    let q = quiz("multiple-choice.toml");
    let multi = question(&q, "5c2b1a0e-mc-multi");
    assert!(matches!(
        multi.kind,
        QuestionKind::Multiple {
            partial_credit: false,
            ..
        }
    ));
    assert_eq!(
        texts(&multi.kind),
        [("u8", true), ("i64", true), ("f64", false), ("char", false)]
    );
    assert!(grade(multi, &Answer::Multiple(vec![1, 0])).correct);
    assert_eq!(grade(multi, &Answer::Multiple(vec![0])).score, 0.0);
}

#[test]
fn short_answer_accepts_the_answer_and_alternatives_and_maps_the_response_format() {
    let q = quiz("short-answer.toml");
    let alt = question(&q, "sa-alternatives");
    match &alt.kind {
        QuestionKind::Short {
            answers,
            case_sensitive,
            input,
            ..
        } => {
            assert_eq!(answers, &["Display", "std::fmt::Display", "fmt::Display"]);
            assert!(!case_sensitive);
            assert_eq!(*input, InputKind::Line);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        grade(alt, &Answer::Short("  display ".into())).correct,
        "case and spaces ignored, as in mdbook-quiz"
    );
    assert!(grade(alt, &Answer::Short("fmt::Display".into())).correct);
    let input = |id| match question(&q, id).kind {
        QuestionKind::Short { input, .. } => input,
        _ => unreachable!(),
    };
    assert_eq!(
        [input("sa-keyword"), input("sa-long"), input("sa-code")],
        [InputKind::Line, InputKind::Text, InputKind::Code]
    );
}

#[test]
fn tracing_that_compiles_shows_the_program_and_accepts_its_exact_output() {
    let q = quiz("tracing.toml");
    let t = question(&q, "tr-prints");
    assert_eq!(t.prompt, TRACING_PROMPT);
    assert_eq!(
        t.code.as_deref(),
        Some("fn main() {\n  let x = 1;\n  println!(\"{x}\");\n}\n")
    );
    assert_eq!(t.code_lang.as_deref(), Some("rust"));
    assert!(grade(t, &Answer::Short("1\n".into())).correct);
    assert!(!grade(t, &Answer::Short("2".into())).correct);
    assert!(!grade(t, &Answer::Short("does not compile".into())).correct);
}

#[test]
fn tracing_that_does_not_compile_accepts_does_not_compile_and_names_the_line() {
    let q = quiz("tracing.toml");
    let t = question(&q, "tr-error");
    for answer in [
        "does not compile",
        "It doesn't compile.",
        "no",
        "won't compile",
        "Compiler error",
    ] {
        assert!(grade(t, &Answer::Short(answer.into())).correct, "{answer}");
    }
    for answer in ["1", "it compiles", "does compile"] {
        assert!(!grade(t, &Answer::Short(answer.into())).correct, "{answer}");
    }
    let explanation = t.explanation.as_deref().unwrap();
    assert!(explanation.starts_with(
        "The program does not compile: the error is on line 4.\n\nThis is a compiler error"
    ));
}

#[test]
fn multipart_context_is_attached_to_each_question_of_the_part() {
    let q = quiz("multipart.toml");
    for question in &q.questions {
        let part = question.part.as_ref().unwrap();
        assert_eq!(part.name, "a");
        assert!(part.context.starts_with("Consider this program:"));
    }
}
