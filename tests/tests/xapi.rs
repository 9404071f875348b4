//! Learner records over xAPI to a real LRS (Ralph, started by the harness): answering a quiz in
//! Chromium stores the expected statements; statements queued while the LRS is down arrive when
//! it is back; a reload loses none. The course is launched as an LMS launches it with cmi5
//! (endpoint, fetch, actor, registration in the URL); the LMS's token URL gives the write-only
//! credential.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use e2e::lrs::{basic, Lms, Lrs, READER, WRITER};
use e2e::quizzes::{answer, book_quizzes, check, go_to, BookQuiz};
use e2e::{browser_test, Page};
use serde_json::Value;

const BOOK: &str = "aws-lambda-foundations";
const REGISTRATION: &str = "760e3480-ba55-4991-94b0-01820dbd23a2";

fn plain_quiz() -> BookQuiz {
    book_quizzes()
        .into_iter()
        .find(|b| b.quiz.questions.len() >= 3 && b.quiz.draw.is_none() && !b.quiz.shuffle_questions)
        .unwrap()
}

fn launch_url(page: &str, lrs: &Lrs, lms: &Lms, learner: &str) -> String {
    let actor = format!(
        "{{\"objectType\":\"Agent\",\"account\":{{\"homePage\":\"https://lms.example.org\",\"name\":\"{learner}\"}}}}"
    );
    let q: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("endpoint", &lrs.endpoint())
        .append_pair("fetch", &lms.fetch_url())
        .append_pair("actor", &actor)
        .append_pair("registration", REGISTRATION)
        .finish();
    format!("{page}?{q}")
}

/// Waits until the LRS holds `n` statements of `verb` (the last path segment), or fails.
fn wait_for_statements(lrs: &Lrs, verb: &str, n: usize, within: Duration) -> Result<Vec<Value>> {
    let deadline = Instant::now() + within;
    loop {
        let found: Vec<Value> = lrs
            .statements()?
            .into_iter()
            .filter(|s| s["verb"]["id"].as_str().is_some_and(|v| v.ends_with(verb)))
            .collect();
        if found.len() >= n || Instant::now() > deadline {
            if found.len() != n {
                bail!(
                    "expected {n} `{verb}` statement(s) in the LRS, found {}: {found:#?}",
                    found.len()
                );
            }
            return Ok(found);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// The content hashes the page carries for `quiz`.
async fn hashes(page: &Page, quiz: &str) -> Result<Vec<String>> {
    let v = page
        .eval(&format!(
            "return JSON.parse(document.querySelector(\"[data-quiz='{quiz}'] script[type='application/json']\").textContent).hashes;"
        ))
        .await?;
    Ok(serde_json::from_value(v)?)
}

/// Drains the console: while the LRS was down, the failed requests to it are logged as errors
/// by the browser itself; any other error fails the test.
async fn only_lrs_errors(page: &Page, lrs: &Lrs) -> Result<()> {
    let port = lrs.endpoint();
    let port = port.trim_end_matches("xAPI/");
    for e in page.console().await? {
        if e["level"] == "SEVERE" && !e["message"].as_str().is_some_and(|m| m.contains(port)) {
            bail!("a console error that is not a failed request to the LRS: {e}");
        }
    }
    Ok(())
}

#[test]
fn answering_a_quiz_stores_the_expected_statements_in_the_lrs() {
    browser_test("xapi_statements", |page: Page| async move {
        let bq = plain_quiz();
        let lms = Lms::start()?;
        let lrs = Lrs::start(page.base())?;
        page.open(&launch_url(&bq.page, &lrs, &lms, "learner-1"))
            .await?;
        let rights = [true, false, true];
        for (i, &right) in rights.iter().enumerate() {
            go_to(&page, &bq, i).await?;
            answer(&page, &bq, i, right).await?;
            check(&page, &bq, i, if right { "Correct!" } else { "Not quite." }).await?;
        }
        let hashes = hashes(&page, &bq.quiz.id).await?;
        let answered = wait_for_statements(&lrs, "answered", 3, Duration::from_secs(30))?;
        let root = format!("https://courses.example.org/{BOOK}/quiz/{}", bq.quiz.id);
        for (i, q) in bq.quiz.questions[..3].iter().enumerate() {
            let id = format!("{root}/question/{}", q.id);
            let s = answered
                .iter()
                .find(|s| s["object"]["id"] == id.as_str())
                .unwrap_or_else(|| panic!("no statement for {id}: {answered:#?}"));
            assert_eq!(s["result"]["success"], rights[i], "{s:#}");
            assert_eq!(
                s["result"]["score"]["scaled"],
                if rights[i] { 1.0 } else { 0.0 }
            );
            assert!(
                s["result"]["response"]
                    .as_str()
                    .is_some_and(|r| !r.is_empty()),
                "{s:#}"
            );
            assert!(
                s["result"]["duration"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("PT")),
                "{s:#}"
            );
            assert_eq!(
                s["result"]["extensions"]["https://courses.example.org/extension/attempt"],
                1.0
            );
            assert_eq!(
                s["context"]["extensions"]["https://courses.example.org/extension/content-hash"],
                hashes[i].as_str()
            );
            assert_eq!(s["context"]["contextActivities"]["parent"][0]["id"], root);
            assert_eq!(s["context"]["registration"], REGISTRATION);
            assert_eq!(
                s["actor"]["account"]["name"], "learner-1",
                "the LMS's actor"
            );
            assert_eq!(
                s["authority"]["mbox"], "mailto:course-writer@example.org",
                "sent with the credential the LMS's fetch URL gave"
            );
        }
        go_to(&page, &bq, bq.quiz.questions.len() - 1).await?;
        page.click(&format!("[data-quiz='{}'] .course-finish", bq.quiz.id))
            .await?;
        let completed = wait_for_statements(&lrs, "completed", 1, Duration::from_secs(30))?;
        assert_eq!(completed[0]["object"]["id"], root);
        assert_eq!(completed[0]["result"]["completion"], true);
        let verdict = lrs
            .statements()?
            .into_iter()
            .filter(|s| {
                s["verb"]["id"]
                    .as_str()
                    .is_some_and(|v| v.ends_with("/passed") || v.ends_with("/failed"))
            })
            .count();
        assert_eq!(verdict, 1, "one passed or failed per finished round");
        // The course's credential writes but cannot read what learners did.
        let (status, _) = lrs.get("/xAPI/statements", Some(&basic(WRITER)))?;
        assert!(
            status == 401 || status == 403,
            "the write-only credential read statements: HTTP {status}"
        );
        // The progress page (same tab: the launch is kept) says all is sent.
        page.open("progress.html").await?;
        page.wait_for_text(".course-xapi-status", "All your learning records are sent")
            .await?;
        // The instructor's item analysis reads the same LRS.
        let stats = |format: &str| {
            std::process::Command::new(xtask::paths::target().join("debug").join("mdbook-course"))
                .args(["stats", "--lrs", &lrs.endpoint(), "--auth"])
                .arg(format!("{}:{}", READER.0, READER.1))
                .args(["--format", format])
                .output()
        };
        let out = stats("json")?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout)?;
        let quiz = report["quizzes"]
            .as_array()
            .and_then(|q| q.iter().find(|q| q["quiz"] == bq.quiz.id.as_str()))
            .cloned()
            .expect("the quiz in the report");
        assert_eq!(quiz["learners"], 1);
        for (i, &right) in rights.iter().enumerate() {
            let item = quiz["items"]
                .as_array()
                .and_then(|items| {
                    items
                        .iter()
                        .find(|it| it["question"] == bq.quiz.questions[i].id.as_str())
                })
                .cloned()
                .expect("the question in the report");
            assert_eq!(item["attempts"], 1);
            assert_eq!(item["facility"], if right { 1.0 } else { 0.0 });
            assert_eq!(item["version"], &hashes[i][..8]);
        }
        eprintln!("{}", String::from_utf8_lossy(&stats("text")?.stdout));
        if let Some(out) = std::env::var_os("COURSE_XAPI_DUMP") {
            std::fs::write(out, serde_json::to_string_pretty(&lrs.statements()?)?)?;
        }
        Ok(())
    });
}

#[test]
fn statements_queued_while_the_lrs_is_down_arrive_after_it_returns_and_a_reload_loses_none() {
    browser_test("xapi_offline", |page: Page| async move {
        let bq = plain_quiz();
        let lms = Lms::start()?;
        let mut lrs = Lrs::start(page.base())?;
        page.open(&launch_url(&bq.page, &lrs, &lms, "learner-2"))
            .await?;
        go_to(&page, &bq, 0).await?;
        answer(&page, &bq, 0, true).await?;
        check(&page, &bq, 0, "Correct!").await?;
        wait_for_statements(&lrs, "answered", 1, Duration::from_secs(30))?;

        lrs.stop();
        for i in 1..3 {
            go_to(&page, &bq, i).await?;
            answer(&page, &bq, i, false).await?;
            check(&page, &bq, i, "Not quite.").await?;
        }
        let prefix = format!("course:{BOOK}:xapi:q:");
        let count =
            format!("Object.keys(localStorage).filter(k => k.startsWith('{prefix}')).length");
        let pending = format!("return {count};");
        page.wait_until(
            "two statements wait in the queue",
            &format!("{count} === 2"),
        )
        .await?;
        // Closing the page and coming back (another page of the course, same tab) keeps them.
        page.open("progress.html").await?;
        page.wait_for_text(".course-xapi-status", "2 learning record(s) waiting")
            .await?;
        page.reload().await?;
        page.wait_for_text(".course-xapi-status", "could not be reached")
            .await?;
        assert_eq!(
            page.eval(&pending).await?.as_u64(),
            Some(2),
            "the reload lost none"
        );

        lrs.resume()?;
        // The sender retries with backoff (at most a minute apart) and sends both.
        let answered = wait_for_statements(&lrs, "answered", 3, Duration::from_secs(120))?;
        let ids: std::collections::BTreeSet<&str> =
            answered.iter().filter_map(|s| s["id"].as_str()).collect();
        assert_eq!(ids.len(), 3, "each statement stored once");
        let questions: Vec<&str> = answered
            .iter()
            .filter_map(|s| s["object"]["id"].as_str())
            .collect();
        for q in &bq.quiz.questions[..3] {
            assert!(
                questions
                    .iter()
                    .any(|id| id.ends_with(&format!("/question/{}", q.id))),
                "{questions:?}"
            );
        }
        page.wait_for_text(".course-xapi-status", "All your learning records are sent")
            .await?;
        only_lrs_errors(&page, &lrs).await?;
        Ok(())
    });
}
