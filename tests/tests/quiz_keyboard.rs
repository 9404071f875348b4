//! A quiz completed with the keyboard alone, and mdBook's own shortcuts held back inside a quiz.

use std::time::Duration;

use course_model::QuestionKind;
use e2e::quizzes::{book_quizzes, BookQuiz};
use e2e::{browser_test, Page};

const TAB: &str = "\u{E004}";
const SPACE: &str = "\u{E00D}";
const ENTER: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";
const ARROW_RIGHT: &str = "\u{E014}";

/// The welcome quiz, the authoring index of its first question's right option, and that
/// question's element id.
fn welcome_question() -> (BookQuiz, usize, String) {
    let bq = book_quizzes()
        .into_iter()
        .find(|b| b.quiz.id == "ch00-welcome")
        .unwrap();
    let QuestionKind::Single { options } = &bq.quiz.questions[0].kind else {
        unreachable!("the welcome question is single choice")
    };
    let right = options.iter().position(|o| o.correct).unwrap();
    let base = bq.base(0);
    (bq, right, base)
}

/// Presses Tab until the focused element matches `css` (at most 12 presses).
async fn tab_to(page: &Page, css: &str) -> anyhow::Result<()> {
    for _ in 0..12 {
        let here = page
            .eval(&format!(
                "return document.activeElement.matches(\"{css}\");"
            ))
            .await?;
        if here.as_bool() == Some(true) {
            return Ok(());
        }
        page.keys(TAB).await?;
    }
    anyhow::bail!("Tab never reached `{css}`")
}

#[test]
fn a_quiz_can_be_completed_with_the_keyboard_alone() {
    browser_test("keyboard_completion", |page: Page| async move {
        let (bq, right, base) = welcome_question();
        page.open(&bq.page).await?;
        page.wait_for(&format!("#{base}")).await?;
        // Start from the quiz's title, as a keyboard user arriving at the quiz would.
        page.eval("const t = document.querySelector('.course-quiz-title'); t.tabIndex = -1; t.focus(); return null;")
            .await?;
        page.keys(TAB).await?;
        // Tab lands on the first option shown; arrows move through the group, selecting.
        let ids = page
            .eval(&format!(
                "return Array.from(document.querySelectorAll('#{base} input')).map(i => i.id);"
            ))
            .await?;
        let ids: Vec<String> = serde_json::from_value(ids)?;
        let position = ids
            .iter()
            .position(|id| *id == format!("{base}-option-{right}"))
            .unwrap();
        assert_eq!(page.focused_id().await?, ids[0]);
        if position == 0 {
            page.keys(SPACE).await?;
        } else {
            for _ in 0..position {
                page.keys(ARROW_DOWN).await?;
            }
        }
        assert!(page.is_checked(&format!("#{base}-option-{right}")).await?);
        tab_to(&page, ".course-check").await?;
        page.keys(ENTER).await?;
        page.wait_for_text(&format!("#{base} .course-feedback"), "Correct!")
            .await?;
        tab_to(&page, ".course-finish").await?;
        page.keys(ENTER).await?;
        page.wait_for_text(".course-score", "100%").await?;
        assert_eq!(page.focused_id().await?, "ch00-welcome-results");
        tab_to(&page, ".course-restart").await?;
        page.keys(ENTER).await?;
        page.wait_for(&format!("#{base}")).await?;
        Ok(())
    });
}

#[test]
fn arrow_keys_and_s_inside_a_quiz_do_not_trigger_mdbook_shortcuts() {
    browser_test("keyboard_no_page_change", |page: Page| async move {
        let bq = book_quizzes()
            .into_iter()
            .find(|b| b.quiz.id == "ch00-welcome")
            .unwrap();
        let base = bq.base(0);
        page.open(&bq.page).await?;
        page.wait_for(&format!("#{base}")).await?;
        let url = page.url().await?;
        for target in [
            format!("#{base} .course-check"),
            format!("#{base}-option-0"),
        ] {
            page.eval(&format!(
                "document.querySelector('{target}').focus(); return null;"
            ))
            .await?;
            page.keys(ARROW_RIGHT).await?;
            page.keys("s").await?;
            tokio::time::sleep(Duration::from_millis(700)).await;
            assert_eq!(
                page.url().await?,
                url,
                "the page did not change from {target}"
            );
            let search = page
                .eval("return document.getElementById('mdbook-search-wrapper').classList.contains('hidden');")
                .await?;
            assert_eq!(search.as_bool(), Some(true), "search stayed closed");
        }
        // Outside the quiz the shortcut works: the test above is meaningful.
        page.eval("document.activeElement.blur(); return null;")
            .await?;
        page.keys(ARROW_RIGHT).await?;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_ne!(
            page.url().await?,
            url,
            "ArrowRight outside a quiz turns the page"
        );
        Ok(())
    });
}

#[test]
fn enter_on_an_option_chooses_it_and_checks_the_answer() {
    browser_test("keyboard_enter_checks", |page: Page| async move {
        let (bq, right, base) = welcome_question();
        page.open(&bq.page).await?;
        page.wait_for(&format!("#{base}")).await?;
        let option = format!("#{base}-option-{right}");
        page.eval(&format!(
            "document.querySelector('{option}').focus(); return null;"
        ))
        .await?;
        assert!(!page.is_checked(&option).await?);
        page.keys(ENTER).await?;
        page.wait_for_text(&format!("#{base} .course-feedback"), "Correct!")
            .await?;
        assert!(page.is_checked(&option).await?, "Enter chose the option");
        assert_eq!(
            page.focused_id().await?,
            format!("{base}-feedback"),
            "the focus moved to the feedback, which is read out"
        );
        let announced = page
            .eval("return document.querySelector('.course-app .course-sr-only[aria-live]').textContent;")
            .await?;
        assert_eq!(announced.as_str(), Some("Correct!"));
        Ok(())
    });
}
