//! Review mode after finishing, "Retry the ones I missed" and "Start over".

use e2e::quizzes::{answer, book_quizzes, check, BookQuiz};
use e2e::{browser_test, Page};

fn first_plain_quiz() -> BookQuiz {
    book_quizzes()
        .into_iter()
        .find(|b| b.quiz.questions.len() >= 3 && b.quiz.draw.is_none() && !b.quiz.shuffle_questions)
        .expect("a quiz of three questions or more")
}

#[test]
fn review_shows_your_answer_beside_the_correct_one_with_score_and_pass_or_fail() {
    browser_test("review_mode", |page: Page| async move {
        let bq = first_plain_quiz();
        let quiz = format!("[data-quiz='{}']", bq.quiz.id);
        page.open(&bq.page).await?;
        answer(&page, &bq, 0, true).await?;
        check(&page, &bq, 0, "Correct!").await?;
        page.click(&format!("{quiz} .course-next")).await?;
        answer(&page, &bq, 1, false).await?;
        check(&page, &bq, 1, "Not quite.").await?;
        let n = bq.quiz.questions.len();
        page.wait_for_text(
            &format!("{quiz} .course-position"),
            &format!("Question 2 of {n}"),
        )
        .await?;
        for _ in 2..n {
            page.click(&format!("{quiz} .course-next")).await?;
        }
        page.click(&format!("{quiz} .course-finish")).await?;
        let score = page.text(&format!("{quiz} .course-score")).await?;
        let percent = (100.0 / n as f64).round() as u32;
        assert!(score.contains(&format!("{percent}%")), "{score}");
        assert!(score.contains("Not passed"), "{score}");
        assert!(
            score.contains(&format!("pass mark is {}%", bq.quiz.pass_mark)),
            "{score}"
        );
        let first = page.text(&format!("#{}-review", bq.base(0))).await?;
        assert!(
            first.contains("Your answer") && first.contains("Correct answer"),
            "{first}"
        );
        assert!(first.contains("Correct"), "{first}");
        let second = page.text(&format!("#{}-review", bq.base(1))).await?;
        assert!(
            second.contains("Wrong") || second.contains("Partly right"),
            "{second}"
        );
        let third = page.text(&format!("#{}-review", bq.base(2))).await?;
        assert!(
            third.contains("No answer") && third.contains("Not answered"),
            "{third}"
        );
        assert_eq!(page.focused_id().await?, format!("{}-results", bq.quiz.id));
        Ok(())
    });
}

#[test]
fn retry_plays_only_the_missed_questions_then_start_over_plays_all() {
    browser_test("retry_missed", |page: Page| async move {
        let bq = first_plain_quiz();
        let quiz = format!("[data-quiz='{}']", bq.quiz.id);
        let n = bq.quiz.questions.len();
        page.open(&bq.page).await?;
        answer(&page, &bq, 0, true).await?;
        check(&page, &bq, 0, "Correct!").await?;
        for _ in 1..n {
            page.click(&format!("{quiz} .course-next")).await?;
        }
        page.click(&format!("{quiz} .course-finish")).await?;
        page.click(&format!("{quiz} .course-retry")).await?;
        page.wait_for_text(
            &format!("{quiz} .course-retry-note"),
            &format!("Retrying the {} question", n - 1),
        )
        .await?;
        page.wait_for_text(
            &format!("{quiz} .course-position"),
            &format!("Question 1 of {}", n - 1),
        )
        .await?;
        assert!(
            page.exists(&format!("#{}", bq.base(1))).await?,
            "the first missed question shows"
        );
        answer(&page, &bq, 1, true).await?;
        check(&page, &bq, 1, "Correct!").await?;
        for _ in 2..n {
            page.click(&format!("{quiz} .course-next")).await?;
        }
        page.click(&format!("{quiz} .course-finish")).await?;
        let percent = (200.0 / n as f64).round() as u32;
        page.wait_for_text(&format!("{quiz} .course-score"), &format!("{percent}%"))
            .await?;
        page.click(&format!("{quiz} .course-restart")).await?;
        page.wait_for_text(
            &format!("{quiz} .course-position"),
            &format!("Question 1 of {n}"),
        )
        .await?;
        assert!(!page
            .is_checked(&format!("#{}-option-0", bq.base(0)))
            .await
            .unwrap_or(false));
        Ok(())
    });
}
