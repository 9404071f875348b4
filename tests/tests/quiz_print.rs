//! Printing a page with a quiz: the questions and options print, the answers do not.

use course_model::QuestionKind;
use e2e::quizzes::{answer, book_quizzes, check, BookQuiz};
use e2e::{browser_test, Page};

/// A quiz that opens with a single-choice question, in authoring order.
fn choice_quiz() -> BookQuiz {
    book_quizzes()
        .into_iter()
        .find(|b| {
            b.quiz.draw.is_none()
                && !b.quiz.shuffle_questions
                && matches!(b.quiz.questions[0].kind, QuestionKind::Single { .. })
        })
        .unwrap()
}

/// Whether the element matching `css` takes up room on the page as laid out now.
async fn shown(page: &Page, css: &str) -> anyhow::Result<bool> {
    let v = page
        .eval(&format!(
            "const e = document.querySelector(\"{css}\"); return !!e && e.getClientRects().length > 0;"
        ))
        .await?;
    Ok(v.as_bool() == Some(true))
}

#[test]
fn the_print_view_shows_questions_and_options_but_no_answers() {
    browser_test("print_view", |page: Page| async move {
        let bq = choice_quiz();
        let base = bq.base(0);
        page.open(&bq.page).await?;
        answer(&page, &bq, 0, false).await?;
        check(&page, &bq, 0, "Not quite.").await?;
        let answers = [
            format!("#{base} .course-feedback"),
            format!("#{base} .course-option-feedback"),
            format!("#{base} .course-check"),
        ];
        for css in &answers {
            assert!(
                shown(&page, css).await?,
                "{css} is on screen before printing"
            );
        }
        page.emulate_media("print").await?;
        assert!(
            shown(&page, &format!("#{base} .course-prompt")).await?,
            "the question prints"
        );
        assert!(
            shown(&page, &format!("#{base} .course-option")).await?,
            "the options print"
        );
        for css in &answers {
            assert!(!shown(&page, css).await?, "{css} is left out of the print");
        }
        page.emulate_media("screen").await?;
        assert!(shown(&page, &answers[0]).await?);
        Ok(())
    });
}
