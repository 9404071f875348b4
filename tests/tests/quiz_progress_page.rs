//! The `{{#progress}}` page: scores and statuses by chapter, reset with confirmation, export to a
//! file and import back, and a clear error for a bad file.

use e2e::quizzes::{answer, book_quizzes, check, BookQuiz};
use e2e::{browser_test, Page};

fn welcome() -> BookQuiz {
    book_quizzes()
        .into_iter()
        .find(|b| b.quiz.id == "ch00-welcome")
        .unwrap()
}

/// Finishes the one-question welcome quiz with the right answer: 100%, passed.
async fn pass_welcome(page: &Page) -> anyhow::Result<()> {
    let bq = welcome();
    page.open(&bq.page).await?;
    answer(page, &bq, 0, true).await?;
    check(page, &bq, 0, "Correct!").await?;
    page.click(".course-finish").await?;
    page.wait_for_text(".course-score", "100%").await?;
    Ok(())
}

fn row(quiz: &str) -> String {
    format!(".course-progress tr[data-quiz='{quiz}']")
}

#[test]
fn the_progress_page_lists_every_quiz_with_score_and_status_and_resets_a_chapter() {
    browser_test("progress_page", |page: Page| async move {
        pass_welcome(&page).await?;
        page.open("progress.html").await?;
        let text = page.wait_for_text(&row("ch00-welcome"), "Passed").await?;
        assert!(text.contains("100%"), "{text}");
        for bq in book_quizzes() {
            let other = page.text(&row(&bq.quiz.id)).await?;
            assert!(other.contains(&bq.quiz.title), "{other}");
            if bq.quiz.id != "ch00-welcome" {
                assert!(other.contains("Not started"), "{other}");
            }
        }
        let link = page
            .eval(&format!(
                "return document.querySelector(\"{} a\").getAttribute('href');",
                row("ch00-welcome")
            ))
            .await?;
        assert_eq!(link.as_str(), Some("welcome.html"));
        // Reset the chapter: asks first; Cancel keeps the progress.
        page.click(".course-progress-chapter .course-reset-chapter")
            .await?;
        page.wait_for_text(".course-confirm", "cannot be undone")
            .await?;
        page.click(".course-confirm-no").await?;
        page.wait_for_text(&row("ch00-welcome"), "Passed").await?;
        page.click(".course-progress-chapter .course-reset-chapter")
            .await?;
        page.click(".course-confirm-yes").await?;
        page.wait_for_text(&row("ch00-welcome"), "Not started")
            .await?;
        Ok(())
    });
}

#[test]
fn reset_all_erases_every_quiz_after_confirmation() {
    browser_test("progress_reset_all", |page: Page| async move {
        pass_welcome(&page).await?;
        page.open("progress.html").await?;
        page.wait_for_text(&row("ch00-welcome"), "Passed").await?;
        page.click(".course-reset-all").await?;
        page.click(".course-confirm-yes").await?;
        page.wait_for_text(&row("ch00-welcome"), "Not started")
            .await?;
        Ok(())
    });
}

/// Makes the export's download land in `window.__exported` (a headless browser's download
/// folder is out of the test's reach).
const CAPTURE: &str = "
window.__exported = null;
HTMLAnchorElement.prototype.click = function () {
  const name = this.getAttribute('download');
  fetch(this.href).then(r => r.text()).then(t => { window.__exported = {name, text: t}; });
};
return null;";

#[test]
fn export_then_import_restores_progress() {
    browser_test("progress_export_import", |page: Page| async move {
        pass_welcome(&page).await?;
        page.open("progress.html").await?;
        page.wait_for_text(&row("ch00-welcome"), "Passed").await?;
        page.eval(CAPTURE).await?;
        page.click(".course-export").await?;
        let mut exported = serde_json::Value::Null;
        for _ in 0..50 {
            exported = page.eval("return window.__exported;").await?;
            if !exported.is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(
            exported["name"].as_str(),
            Some("aws-lambda-foundations-progress.json")
        );
        let text = exported["text"].as_str().unwrap().to_owned();
        assert!(text.contains("\"format\":\"course-progress\""), "{text}");
        let file = std::env::temp_dir().join(format!("course-export-{}.json", std::process::id()));
        std::fs::write(&file, &text)?;

        page.click(".course-reset-all").await?;
        page.click(".course-confirm-yes").await?;
        page.wait_for_text(&row("ch00-welcome"), "Not started")
            .await?;

        page.wait_for(".course-import")
            .await?
            .send_keys(&file.display().to_string())
            .await?;
        page.wait_for_text(".course-message", "Imported your progress")
            .await?;
        page.wait_for_text(&row("ch00-welcome"), "Passed").await?;
        // The quiz itself shows the restored result.
        page.open("welcome.html").await?;
        page.wait_for_text(".course-score", "100%").await?;

        // A file that is not an export is refused with a reason, and nothing changes.
        let bad = std::env::temp_dir().join(format!("course-bad-{}.json", std::process::id()));
        std::fs::write(&bad, "{\"hello\": 1}")?;
        page.open("progress.html").await?;
        page.wait_for(".course-import")
            .await?
            .send_keys(&bad.display().to_string())
            .await?;
        page.wait_for_text(".course-message", "not a progress export")
            .await?;
        page.wait_for_text(&row("ch00-welcome"), "Passed").await?;
        let _ = std::fs::remove_file(file);
        let _ = std::fs::remove_file(bad);
        Ok(())
    });
}
