//! Every question type, answered wrong then right in the built book, with its feedback.

use e2e::quizzes::{answer, check, find_question, go_to};
use e2e::{browser_test, Page};

/// Opens the question, answers it wrong, checks, then right, checks.
fn wrong_then_right(name: &'static str, kind: &'static str, wrong_note: &'static str) {
    browser_test(name, move |page: Page| async move {
        let (bq, i) = find_question(kind, |q| match &q.kind {
            course_model::QuestionKind::Short { answers, .. } => !answers.is_empty(),
            _ => true,
        });
        page.open(&bq.page).await?;
        go_to(&page, &bq, i).await?;
        answer(&page, &bq, i, false).await?;
        let feedback = check(&page, &bq, i, "Not quite.").await?;
        assert!(feedback.contains(wrong_note), "{kind}: {feedback}");
        if let Some(explanation) = &bq.quiz.questions[i].explanation {
            let words = explanation
                .replace(['`', '*'], "")
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                feedback.contains(&words),
                "{kind}: the explanation follows the verdict: {feedback}"
            );
        }
        answer(&page, &bq, i, true).await?;
        check(&page, &bq, i, "Correct!").await?;
        // The feedback region took the focus after Check.
        let focused = page
            .eval("return document.activeElement.className;")
            .await?;
        assert_eq!(focused.as_str(), Some("course-feedback"));
        Ok(())
    });
}

#[test]
fn single_choice_answered_wrong_then_right() {
    wrong_then_right("type_single", "single", "");
}

#[test]
fn multiple_select_answered_wrong_then_right() {
    wrong_then_right("type_multiple", "multiple", "");
}

#[test]
fn true_false_answered_wrong_then_right() {
    wrong_then_right("type_true_false", "true-false", "");
}

#[test]
fn short_answer_answered_wrong_then_right() {
    wrong_then_right("type_short", "short", "");
}

#[test]
fn numeric_answered_too_high_then_right_says_too_high() {
    wrong_then_right("type_numeric", "numeric", "too high");
}

#[test]
fn ordering_answered_wrong_then_right_with_move_buttons() {
    wrong_then_right("type_ordering", "ordering", "");
}

#[test]
fn matching_answered_wrong_then_right_with_selects() {
    wrong_then_right("type_matching", "matching", "");
}

#[test]
fn a_wrong_choice_shows_every_options_explanation() {
    browser_test("every_why", |page: Page| async move {
        let (bq, i) = find_question("single", |q| match &q.kind {
            course_model::QuestionKind::Single { options } => {
                options.iter().all(|o| o.why.is_some())
            }
            _ => false,
        });
        page.open(&bq.page).await?;
        go_to(&page, &bq, i).await?;
        answer(&page, &bq, i, false).await?;
        check(&page, &bq, i, "Not quite.").await?;
        let base = bq.base(i);
        let n = page
            .eval(&format!(
                "return document.querySelectorAll('#{base} .course-why').length;"
            ))
            .await?;
        let course_model::QuestionKind::Single { options } = &bq.quiz.questions[i].kind else {
            unreachable!()
        };
        assert_eq!(n.as_u64(), Some(options.len() as u64));
        Ok(())
    });
}
