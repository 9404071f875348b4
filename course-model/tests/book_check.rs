//! Checks across the book: quiz and question ids unique over every file.

use course_model::{check_book, parse_quiz, Quiz};

fn native(quiz_id: &str, question_ids: &[&str]) -> String {
    let mut src = format!("id = \"{quiz_id}\"\ntitle = \"T\"\n");
    for id in question_ids {
        src += &format!(
            "\n[[question]]\nid = \"{id}\"\ntype = \"true-false\"\nprompt = \"P\"\nanswer = true\nexplanation = \"E\"\n"
        );
    }
    src
}

fn book(files: &[(&str, String)]) -> Vec<String> {
    let quizzes: Vec<(String, String, Quiz)> = files
        .iter()
        .map(|(file, src)| {
            (
                file.to_string(),
                src.clone(),
                parse_quiz(file, src).unwrap(),
            )
        })
        .collect();
    check_book(&quizzes)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn distinct_ids_across_files_give_no_diagnostics() {
    assert!(book(&[
        ("a.toml", native("a", &["a1", "a2"])),
        ("b.toml", native("b", &["b1"]))
    ])
    .is_empty());
}

#[test]
fn a_question_id_reused_in_another_file_points_at_the_reuse_and_names_the_first() {
    assert_eq!(
        book(&[("ch01/a.toml", native("a", &["a1", "shared"])), ("ch02/b.toml", native("b", &["b1", "shared"]))]),
        ["ch02/b.toml:12:6: error: question id `shared` is already used in `ch01/a.toml:12:6`\n  \
          help: ids must be unique across the whole book; rename one of them"]
    );
}

#[test]
fn a_quiz_id_reused_in_another_file_is_reported_at_its_id() {
    assert_eq!(
        book(&[("a.toml", native("same", &["a1"])), ("b.toml", native("same", &["b1"]))]),
        ["b.toml:1:6: error: quiz id `same` is already used by `a.toml`\n  \
          help: quiz ids must be unique across the book (saved progress is keyed by them); rename one, or for an mdbook-quiz file rename the file"]
    );
}

#[test]
fn mdbook_quiz_files_with_the_same_name_in_two_chapters_collide() {
    let src = "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"P\"\nanswer.answer = \"a\"\ncontext = \"c\"\n";
    let printed = book(&[
        ("ch01/quiz.toml", src.to_owned()),
        ("ch02/quiz.toml", src.to_owned()),
    ]);
    assert_eq!(
        printed,
        [
            "ch02/quiz.toml:1:1: error: quiz id `quiz` is already used by `ch01/quiz.toml`\n  \
             help: quiz ids must be unique across the book (saved progress is keyed by them); rename one, or for an mdbook-quiz file rename the file",
            "ch02/quiz.toml:1:1: error: question id `quiz-1` is already used in `ch01/quiz.toml:1:1`\n  \
             help: ids must be unique across the whole book; rename one of them",
        ]
    );
}
