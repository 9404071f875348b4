//! The quiz reads well in each of mdBook's five themes: every part of a checked (wrongly answered)
//! question, both answer badges included, has at least the WCAG AA contrast (4.5:1) with the
//! background behind it.

use e2e::quizzes::{answer, book_quizzes, check};
use e2e::themes::{assert_contrast, use_theme, TEXT};
use e2e::{browser_test, Page};

fn readable_in(theme: &'static str) {
    browser_test(&format!("theme_{theme}"), move |page: Page| async move {
        let bq = book_quizzes()
            .into_iter()
            .find(|b| b.quiz.id == "ch00-welcome")
            .unwrap();
        let base = bq.base(0);
        page.open(&bq.page).await?;
        use_theme(&page, theme).await?;
        answer(&page, &bq, 0, false).await?;
        check(&page, &bq, 0, "Not quite.").await?;
        let parts: Vec<String> = [
            ".course-question-number",
            ".course-prompt",
            ".course-option label",
            ".course-why",
            ".course-verdict",
            ".course-check",
            ".course-badge-yours",
            ".course-badge-correct",
        ]
        .iter()
        .map(|p| format!("#{base} {p}"))
        .chain([".course-quiz-title".to_owned()])
        .collect();
        let parts: Vec<(&str, &str, f64)> =
            parts.iter().map(|p| (p.as_str(), "color", TEXT)).collect();
        assert_contrast(&page, theme, &parts).await
    });
}

#[test]
fn the_quiz_is_readable_in_the_light_theme() {
    readable_in("light");
}

#[test]
fn the_quiz_is_readable_in_the_rust_theme() {
    readable_in("rust");
}

#[test]
fn the_quiz_is_readable_in_the_coal_theme() {
    readable_in("coal");
}

#[test]
fn the_quiz_is_readable_in_the_navy_theme() {
    readable_in("navy");
}

#[test]
fn the_quiz_is_readable_in_the_ayu_theme() {
    readable_in("ayu");
}
