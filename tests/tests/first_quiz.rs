//! The foundation's promise: a course page with a working quiz question, graded, explained and saved.

use course_model::{parse_quiz, QuestionKind};
use e2e::{browser_test, root, Page};

/// The welcome quiz as the author wrote it, to find a right and a wrong option by their authoring
/// index (the page may show them in any order; input ids carry the authoring index).
fn welcome_question() -> (String, usize, usize, String) {
    let file = root().join("content/quizzes/ch00/welcome.toml");
    let quiz = parse_quiz("welcome.toml", &std::fs::read_to_string(file).unwrap()).unwrap();
    let question = &quiz.questions[0];
    let QuestionKind::Single { options } = &question.kind else {
        panic!("the welcome question is a single-choice question");
    };
    let right = options.iter().position(|o| o.correct).unwrap();
    let wrong = options.iter().position(|o| !o.correct).unwrap();
    let base = format!("{}-{}", quiz.id, question.id);
    let wrong_why = options[wrong].why.clone().unwrap();
    (base, right, wrong, wrong_why)
}

#[test]
fn answering_wrong_then_right_shows_feedback_and_survives_a_reload() {
    browser_test("first_quiz", |page: Page| async move {
        let (base, right, wrong, wrong_why) = welcome_question();
        let feedback = format!("#{base} .course-feedback");
        page.open("welcome.html").await?;

        page.click(&format!("label[for='{base}-option-{wrong}']"))
            .await?;
        page.click(&format!("#{base} .course-check")).await?;
        page.wait_for_text(&feedback, "Not quite.").await?;
        let marked = page.text(&format!("#{base} .is-wrong")).await?;
        assert!(
            marked.contains("Your answer"),
            "the learner's choice is marked: {marked}"
        );
        let first_words = wrong_why
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            marked.contains(&first_words),
            "its explanation shows: {marked}"
        );

        page.click(&format!("label[for='{base}-option-{right}']"))
            .await?;
        page.click(&format!("#{base} .course-check")).await?;
        page.wait_for_text(&feedback, "Correct!").await?;

        page.reload().await?;
        page.wait_for_text(&feedback, "Correct!").await?;
        assert!(page.is_checked(&format!("#{base}-option-{right}")).await?);
        Ok(())
    });
}

#[test]
fn check_without_an_answer_asks_for_one_instead_of_grading() {
    browser_test("check_without_answer", |page: Page| async move {
        let (base, ..) = welcome_question();
        page.open("welcome.html").await?;
        page.click(&format!("#{base} .course-check")).await?;
        page.wait_for_text(
            &format!("#{base} .course-feedback"),
            "Choose an answer first",
        )
        .await?;
        Ok(())
    });
}
