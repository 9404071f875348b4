//! Quiz options the course's own quizzes do not use, played from quizzes injected into a page:
//! every question on the page, shared parts, code excerpts, hints, and pools drawn per learner.

use course_model::parse_quiz;
use e2e::{browser_test, Page};

const ALL_ON_PAGE: &str = r#"
id = "fixture-all"
title = "All on the page"
layout = "all"
shuffle_options = false

[parts]
report = "A REPORT line follows."

[[question]]
id = "fixture-all-tf"
part = "report"
type = "true-false"
prompt = "This was a cold start."
answer = true
code = "REPORT Init Duration: 212.43 ms"
code_lang = "text"
hint = "Look for Init Duration."
explanation = "Only cold starts report an Init Duration."

[[question]]
id = "fixture-all-num"
part = "report"
type = "numeric"
prompt = "How long was the init, in ms?"
code = '{"InitDuration": 212.43}'
code_lang = "json"
answer = 212.43
unit = "ms"
explanation = "It says so."
"#;

const POOL: &str = r#"
id = "fixture-pool"
title = "Pool"
draw = 2
shuffle_questions = true

[[question]]
id = "fixture-pool-a"
type = "true-false"
prompt = "A"
answer = true
explanation = "A."

[[question]]
id = "fixture-pool-b"
type = "true-false"
prompt = "B"
answer = true
explanation = "B."

[[question]]
id = "fixture-pool-c"
type = "true-false"
prompt = "C"
answer = true
explanation = "C."

[[question]]
id = "fixture-pool-d"
type = "true-false"
prompt = "D"
answer = true
explanation = "D."
"#;

/// Adds a quiz placeholder like the preprocessor's to the page and mounts it with the page's
/// own bundle (already loaded by the loader, so `mount_all` only mounts the new one).
async fn inject(page: &Page, toml: &str) -> anyhow::Result<()> {
    let quiz = parse_quiz("fixture.toml", toml).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let id = quiz.id.clone();
    // As the preprocessor writes it: the quiz with its questions' content hashes.
    let json = serde_json::to_string(&course_model::QuizPayload::new(quiz))?;
    page.wait_for(".course-quiz-body").await?;
    let script = "
const done = arguments[arguments.length - 1];
const div = document.createElement('div');
div.className = 'course-quiz';
div.dataset.book = 'aws-lambda-foundations';
div.dataset.quiz = arguments[0];
const data = document.createElement('script');
data.type = 'application/json';
data.textContent = arguments[1];
div.appendChild(data);
document.querySelector('main').appendChild(div);
import(new URL('course/pkg/course_quiz.js', document.baseURI).href)
  .then(m => { m.mount_all(); done(null); }, e => done(String(e)));";
    let r = page
        .client
        .execute_async(script, vec![id.clone().into(), json.into()])
        .await?;
    anyhow::ensure!(r.is_null(), "mounting failed: {r}");
    page.wait_for(&format!("[data-quiz='{id}'] .course-quiz-body"))
        .await?;
    Ok(())
}

#[test]
fn all_on_the_page_layout_shows_every_question_with_part_code_and_hint() {
    browser_test("layout_all", |page: Page| async move {
        page.open("welcome.html").await?;
        inject(&page, ALL_ON_PAGE).await?;
        let quiz = "[data-quiz='fixture-all']";
        assert!(
            !page.exists(&format!("{quiz} .course-position")).await?,
            "no 'Question n of m'"
        );
        let n = page
            .eval(&format!(
                "return document.querySelectorAll(\"{quiz} fieldset\").length;"
            ))
            .await?;
        assert_eq!(n.as_u64(), Some(2));
        page.wait_for_text(&format!("{quiz} .course-part"), "A REPORT line follows.")
            .await?;
        let code = page.text(&format!("{quiz} pre code.language-text")).await?;
        assert!(code.contains("Init Duration: 212.43 ms"), "{code}");
        assert!(
            page.exists(&format!(
                "{quiz} pre code.language-json.hljs span[class^='hljs-']"
            ))
            .await?,
            "the book's highlight.js highlighted the JSON excerpt"
        );
        let hint = "#fixture-all-fixture-all-tf-hint";
        let shown = page
            .eval(&format!("return document.querySelector('{hint}').hidden;"))
            .await?;
        assert_eq!(
            shown.as_bool(),
            Some(true),
            "the hint waits to be asked for"
        );
        page.click("#fixture-all-fixture-all-tf .course-hint-toggle")
            .await?;
        page.wait_for_text(hint, "Look for Init Duration.").await?;
        let unit = page
            .text("#fixture-all-fixture-all-num .course-unit")
            .await?;
        assert_eq!(unit, "ms");
        page.type_into("#fixture-all-fixture-all-num-input", "twelve")
            .await?;
        page.click("#fixture-all-fixture-all-num .course-check")
            .await?;
        page.wait_for_text(
            "#fixture-all-fixture-all-num .course-feedback",
            "not a number",
        )
        .await?;
        page.type_into("#fixture-all-fixture-all-num-input", "100 ms")
            .await?;
        page.click("#fixture-all-fixture-all-num .course-check")
            .await?;
        page.wait_for_text("#fixture-all-fixture-all-num .course-feedback", "too low")
            .await?;
        page.type_into("#fixture-all-fixture-all-num-input", "212.43 ms")
            .await?;
        page.click("#fixture-all-fixture-all-num .course-check")
            .await?;
        page.wait_for_text("#fixture-all-fixture-all-num .course-feedback", "Correct!")
            .await?;
        page.click(&format!("{quiz} .course-finish")).await?;
        // The first checked answer counts (was 50%, which counted the answer checked after the
        // feedback had shown the right one): "100 ms" scored 0; "twelve" was no number, so it
        // was not graded and did not count.
        page.wait_for_text(
            &format!("{quiz} .course-score"),
            "0% — 0 of 2 questions right",
        )
        .await?;
        let review = page.text("#fixture-all-fixture-all-num-review").await?;
        assert!(
            review.contains("100 ms"),
            "the answer that counted: {review}"
        );
        assert!(review.contains("212.43 ms"), "the correct answer: {review}");
        Ok(())
    });
}

#[test]
fn a_pool_draws_the_same_questions_for_a_learner_after_a_reload() {
    browser_test("layout_pool", |page: Page| async move {
        page.open("welcome.html").await?;
        inject(&page, POOL).await?;
        let quiz = "[data-quiz='fixture-pool']";
        page.wait_for_text(&format!("{quiz} .course-position"), "Question 1 of 2")
            .await?;
        let shown = |page: Page| async move {
            let mut ids = Vec::new();
            for _ in 0..2 {
                let id = page
                    .eval(&format!(
                        "return document.querySelector(\"{quiz} fieldset\").id;"
                    ))
                    .await?;
                ids.push(id.as_str().unwrap_or_default().to_owned());
                if page.exists(&format!("{quiz} .course-next")).await? {
                    page.click(&format!("{quiz} .course-next")).await?;
                }
            }
            anyhow::Ok(ids)
        };
        let first = shown(page.clone()).await?;
        page.reload().await?;
        inject(&page, POOL).await?;
        page.click(&format!("{quiz} .course-prev")).await?;
        let again = shown(page.clone()).await?;
        assert_eq!(first, again, "same draw and order after a reload");
        assert_ne!(first[0], first[1]);
        Ok(())
    });
}

#[test]
fn starting_a_pooled_quiz_over_draws_a_new_set_of_questions() {
    browser_test("layout_pool_start_over", |page: Page| async move {
        page.open("welcome.html").await?;
        inject(&page, POOL).await?;
        let quiz = "[data-quiz='fixture-pool']";
        // The set asked: the ids of the questions listed in review mode.
        let drawn = |page: Page| async move {
            page.click(&format!("{quiz} .course-next")).await?;
            page.click(&format!("{quiz} .course-finish")).await?;
            page.wait_for(&format!("{quiz} .course-review-list"))
                .await?;
            let ids = page
                .eval(&format!(
                    "return Array.from(document.querySelectorAll(\"{quiz} .course-review-item\")).map(e => e.id).sort();"
                ))
                .await?;
            anyhow::Ok(serde_json::from_value::<Vec<String>>(ids)?)
        };
        let first = drawn(page.clone()).await?;
        assert_eq!(first.len(), 2);
        // Two of four: the same set again has a chance of 1 in 6 at each start-over.
        for _ in 0..8 {
            page.click(&format!("{quiz} .course-restart")).await?;
            page.wait_for_text(&format!("{quiz} .course-position"), "Question 1 of 2")
                .await?;
            if drawn(page.clone()).await? != first {
                return Ok(());
            }
        }
        anyhow::bail!("eight start-overs drew the same questions {first:?} every time")
    });
}
