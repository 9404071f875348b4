//! The quiz reads well in each of mdBook's five themes: text colours differ from their background.

use e2e::quizzes::{answer, book_quizzes, check};
use e2e::{browser_test, Page};

/// The computed colour of `css`'s text and of the nearest background behind it.
const COLOURS: &str = "
const el = document.querySelector(arguments[0]);
let bg = 'rgba(0, 0, 0, 0)';
for (let n = el; n && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent'); n = n.parentElement) {
  bg = getComputedStyle(n).backgroundColor;
}
return [getComputedStyle(el).color, bg];";

fn readable_in(theme: &'static str) {
    browser_test(&format!("theme_{theme}"), move |page: Page| async move {
        let bq = book_quizzes()
            .into_iter()
            .find(|b| b.quiz.id == "ch00-welcome")
            .unwrap();
        let base = bq.base(0);
        page.open(&bq.page).await?;
        page.eval(&format!(
            "localStorage.setItem('mdbook-theme', '{theme}'); return null;"
        ))
        .await?;
        page.reload().await?;
        let class = page
            .eval("return document.documentElement.className;")
            .await?;
        assert!(class.as_str().unwrap_or("").contains(theme), "{class}");
        answer(&page, &bq, 0, false).await?;
        check(&page, &bq, 0, "Not quite.").await?;
        for part in [
            format!("#{base} .course-prompt"),
            format!("#{base} .course-option label"),
            format!("#{base} .course-why"),
            format!("#{base} .course-verdict"),
            format!("#{base} .course-check"),
            format!("#{base} .course-badge"),
            ".course-quiz-title".to_owned(),
        ] {
            page.wait_for(&part).await?;
            let colours = page
                .client
                .execute(COLOURS, vec![serde_json::json!(part)])
                .await?;
            let pair: Vec<String> = serde_json::from_value(colours)?;
            assert_ne!(
                pair[0], pair[1],
                "{theme}: `{part}` text is as dark/light as its background"
            );
        }
        Ok(())
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
