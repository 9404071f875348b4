//! Saved progress: restored after a reload, corrupt data backed up with a notice, a changed
//! question reset alone.

use e2e::quizzes::{answer, book_quizzes, check, BookQuiz};
use e2e::{browser_test, Page};

const BOOK: &str = "aws-lambda-foundations";

fn plain_quiz() -> BookQuiz {
    book_quizzes()
        .into_iter()
        .find(|b| b.quiz.questions.len() >= 3 && b.quiz.draw.is_none() && !b.quiz.shuffle_questions)
        .unwrap()
}

#[test]
fn reload_restores_answers_and_the_question_shown() {
    browser_test("reload_restores", |page: Page| async move {
        let bq = plain_quiz();
        let quiz = format!("[data-quiz='{}']", bq.quiz.id);
        page.open(&bq.page).await?;
        answer(&page, &bq, 0, false).await?;
        check(&page, &bq, 0, "Not quite.").await?;
        page.click(&format!("{quiz} .course-next")).await?;
        page.wait_for(&format!("#{}", bq.base(1))).await?;
        page.reload().await?;
        page.wait_for_text(&format!("{quiz} .course-position"), "Question 2 of")
            .await?;
        page.click(&format!("{quiz} .course-prev")).await?;
        page.wait_for_text(&format!("#{} .course-feedback", bq.base(0)), "Not quite.")
            .await?;
        Ok(())
    });
}

#[test]
fn corrupt_saved_data_is_backed_up_with_a_notice_and_the_quiz_still_works() {
    browser_test("corrupt_storage", |page: Page| async move {
        let bq = plain_quiz();
        let key = format!("course:{BOOK}:quiz:{}", bq.quiz.id);
        page.open(&bq.page).await?;
        page.wait_for(".course-quiz-body").await?;
        page.eval(&format!(
            "localStorage.setItem('{key}', '{{not json'); return null;"
        ))
        .await?;
        page.reload().await?;
        let notice = page
            .text(&format!("[data-quiz='{}'] .course-notice", bq.quiz.id))
            .await?;
        assert!(notice.contains("could not be read"), "{notice}");
        let backups = page
            .eval("return Object.keys(localStorage).filter(k => k.startsWith('course-backup:') && localStorage.getItem(k) === '{not json').length;")
            .await?;
        assert_eq!(backups.as_u64(), Some(1));
        answer(&page, &bq, 0, true).await?;
        check(&page, &bq, 0, "Correct!").await?;
        Ok(())
    });
}

#[test]
fn unknown_version_data_is_backed_up_too() {
    browser_test("unknown_version", |page: Page| async move {
        let bq = plain_quiz();
        let key = format!("course:{BOOK}:quiz:{}", bq.quiz.id);
        page.open(&bq.page).await?;
        page.wait_for(".course-quiz-body").await?;
        page.eval(&format!("localStorage.setItem('{key}', JSON.stringify({{version: 99, quiz: {{}}}})); return null;"))
            .await?;
        page.reload().await?;
        page.wait_for_text(
            &format!("[data-quiz='{}'] .course-notice", bq.quiz.id),
            "format 99",
        )
        .await?;
        Ok(())
    });
}

#[test]
fn a_question_whose_content_changed_is_reset_alone() {
    browser_test("changed_question", |page: Page| async move {
        let bq = plain_quiz();
        let quiz = format!("[data-quiz='{}']", bq.quiz.id);
        let key = format!("course:{BOOK}:quiz:{}", bq.quiz.id);
        page.open(&bq.page).await?;
        answer(&page, &bq, 0, true).await?;
        check(&page, &bq, 0, "Correct!").await?;
        page.click(&format!("{quiz} .course-next")).await?;
        answer(&page, &bq, 1, true).await?;
        check(&page, &bq, 1, "Correct!").await?;
        // As if the author edited question 2 after it was answered: its stored hash differs.
        let q2 = &bq.quiz.questions[1].id;
        page.eval(&format!(
            "const s = JSON.parse(localStorage.getItem('{key}')); s.quiz.questions['{q2}'].hash = 'edited'; \
             localStorage.setItem('{key}', JSON.stringify(s)); return null;"
        ))
        .await?;
        page.reload().await?;
        page.wait_for_text(&format!("{quiz} .course-notice"), "1 question(s) changed")
            .await?;
        page.click(&format!("{quiz} .course-prev")).await.ok();
        page.wait_for_text(&format!("#{} .course-feedback", bq.base(0)), "Correct!")
            .await?;
        page.click(&format!("{quiz} .course-next")).await?;
        page.wait_for(&format!("#{}", bq.base(1))).await?;
        let feedback = page
            .text(&format!("#{} .course-feedback", bq.base(1)))
            .await?;
        assert!(
            !feedback.contains("Correct!"),
            "question 2 was reset: {feedback}"
        );
        Ok(())
    });
}
