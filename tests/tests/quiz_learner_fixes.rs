//! What a learner found broken on the quiz side, each fixed and kept fixed: the score is the
//! first checked answer; numbers typed with their unit; the progress page in reading order; a
//! skip link to the first activity; the focus after erasing progress.

use course_model::QuestionKind;
use e2e::quizzes::{answer, book_quizzes, check, find_question, go_to, BookQuiz};
use e2e::{browser_test, Page};

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

fn welcome() -> BookQuiz {
    book_quizzes()
        .into_iter()
        .find(|b| b.quiz.id == "ch00-welcome")
        .unwrap()
}

#[test]
fn a_second_check_after_seeing_the_right_answer_earns_no_marks() {
    browser_test("first_check_counts", |page: Page| async move {
        let bq = welcome();
        page.open(&bq.page).await?;
        answer(&page, &bq, 0, false).await?;
        check(&page, &bq, 0, "Not quite.").await?;
        // The right answer is on screen now; choosing it and checking again teaches, but the
        // score keeps the first check.
        answer(&page, &bq, 0, true).await?;
        let feedback = check(&page, &bq, 0, "Correct!").await?;
        assert!(feedback.contains("Your first answer counts"), "{feedback}");
        page.click(".course-finish").await?;
        let score = page
            .wait_for_text(".course-score", "0% — 0 of 1 questions right")
            .await?;
        assert!(score.contains("Not passed"), "{score}");
        // A retry round may improve it, and the first try is still shown.
        page.click(".course-retry").await?;
        answer(&page, &bq, 0, true).await?;
        check(&page, &bq, 0, "Correct!").await?;
        page.click(".course-finish").await?;
        let score = page.wait_for_text(".course-score", "100%").await?;
        assert!(score.contains("first try scored 0%"), "{score}");
        page.open("progress.html").await?;
        let row = page
            .wait_for_text(".course-progress tr[data-quiz='ch00-welcome']", "Passed")
            .await?;
        assert!(row.contains("100% (first try 0%)"), "{row}");
        Ok(())
    });
}

#[test]
fn a_number_typed_with_its_unit_is_read_and_text_that_is_no_number_reveals_nothing() {
    browser_test("numeric_units", |page: Page| async move {
        let (bq, i) = find_question(
            "numeric",
            |q| matches!(&q.kind, QuestionKind::Numeric { unit: Some(u), answer: Some(_), .. } if u == "$"),
        );
        let QuestionKind::Numeric {
            answer: Some(value),
            ..
        } = bq.quiz.questions[i].kind
        else {
            unreachable!()
        };
        let base = bq.base(i);
        page.open(&bq.page).await?;
        go_to(&page, &bq, i).await?;
        let input = format!("#{base}-input");
        page.type_into(&input, "a lot").await?;
        page.click(&format!("#{base} .course-check")).await?;
        let nudge = page
            .wait_for_text(&format!("#{base} .course-feedback"), "Type a number")
            .await?;
        assert!(!nudge.contains("Not quite"), "not graded: {nudge}");
        assert!(
            !page.exists(&format!("#{base} .course-explanation")).await?,
            "nothing revealed"
        );
        page.eval(&format!(
            "const i = document.querySelector('{input}'); i.value = ''; i.dispatchEvent(new InputEvent('input', {{bubbles: true}})); return null;"
        ))
        .await?;
        page.type_into(&input, &format!("${value}")).await?;
        check(&page, &bq, i, "Correct!").await?;
        Ok(())
    });
}

#[test]
fn the_progress_page_lists_a_chapter_before_its_sections() {
    browser_test("progress_order", |page: Page| async move {
        page.open("progress.html").await?;
        page.wait_for(".course-progress-chapter").await?;
        let chapters = page
            .eval("return Array.from(document.querySelectorAll('.course-progress-chapter h3')).map(h => h.textContent);")
            .await?;
        let chapters: Vec<String> = serde_json::from_value(chapters)?;
        let at = |name: &str| {
            chapters
                .iter()
                .position(|c| c.contains(name))
                .unwrap_or_else(|| panic!("{name} not in {chapters:?}"))
        };
        assert!(
            at("How Lambda works") < at("The execution environment"),
            "{chapters:?}"
        );
        assert!(
            at("The execution environment") < at("Making the most of warm starts"),
            "{chapters:?}"
        );
        assert!(
            at("Configuring functions") < at("Concurrency and testing"),
            "{chapters:?}"
        );
        Ok(())
    });
}

#[test]
fn the_first_tab_offers_a_skip_link_that_leads_to_the_quiz() {
    browser_test("skip_link", |page: Page| async move {
        let bq = welcome();
        let base = bq.base(0);
        page.open(&bq.page).await?;
        page.wait_for(&format!("#{base}")).await?;
        page.eval("document.activeElement.blur(); return null;")
            .await?;
        page.keys(TAB).await?;
        let focused = page
            .eval("return document.activeElement.textContent;")
            .await?;
        assert_eq!(focused.as_str(), Some("Skip to the quiz"));
        page.keys(ENTER).await?;
        page.keys(TAB).await?;
        let id = page.focused_id().await?;
        assert!(
            id.starts_with(&format!("{base}-option-")),
            "focus went to {id}"
        );
        Ok(())
    });
}

#[test]
fn after_erasing_progress_the_focus_is_on_the_message_that_says_so() {
    browser_test("erase_focus", |page: Page| async move {
        page.open("progress.html").await?;
        page.click(".course-reset-all").await?;
        assert_eq!(page.focused_id().await?, "course-confirm-no");
        page.click(".course-confirm-yes").await?;
        page.wait_for_text(".course-message", "Progress reset.")
            .await?;
        assert_eq!(page.focused_id().await?, "course-progress-message");
        Ok(())
    });
}
