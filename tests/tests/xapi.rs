//! Learner records over xAPI to a real LRS (Ralph, started by the harness): answering a quiz in
//! Chromium stores the expected statements, and `mdbook-course stats` reads them back as item
//! analysis; statements queued while the LRS is down arrive when it is back; a reload loses none;
//! completing a lab sends its objectives and the lab; two tabs answering at once lose none and
//! send each once; a cmi5 launch sends `initialized` and, when the learner leaves, `terminated`.
//! Most tests launch the course as an LMS launches it with cmi5 (endpoint, fetch, actor,
//! registration in the URL; the LMS's token URL gives the write-only credential); two build the
//! book with book.toml's `[preprocessor.course.xapi]` endpoint and auth instead, with the right
//! write-only credential and with a wrong one.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use course_model::{Question, QuestionKind};
use e2e::lrs::{basic, build_book, free_port, Lms, Lrs, READER, WRITER};
use e2e::quizzes::{answer, book_quizzes, check, go_to, BookQuiz};
use e2e::{browser_test, Page, StaticServer};
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
    launch_url_of(page, lrs, lms, learner, None)
}

/// The URL an LMS launches `page` with; `au` adds the cmi5 `activityId` of the AU.
fn launch_url_of(page: &str, lrs: &Lrs, lms: &Lms, learner: &str, au: Option<&str>) -> String {
    let actor = format!(
        "{{\"objectType\":\"Agent\",\"account\":{{\"homePage\":\"https://lms.example.org\",\"name\":\"{learner}\"}}}}"
    );
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("endpoint", &lrs.endpoint())
        .append_pair("fetch", &lms.fetch_url())
        .append_pair("actor", &actor)
        .append_pair("registration", REGISTRATION);
    if let Some(au) = au {
        q.append_pair("activityId", au);
    }
    format!("{page}?{}", q.finish())
}

/// The statements of `verb` (the last path segment) stored now.
fn statements_of(lrs: &Lrs, verb: &str) -> Result<Vec<Value>> {
    Ok(lrs
        .statements()?
        .into_iter()
        .filter(|s| {
            s["verb"]["id"]
                .as_str()
                .is_some_and(|v| v.ends_with(&format!("/{verb}")))
        })
        .collect())
}

/// The option keys a learner's answer chooses (as `stats` counts them), for choice and
/// true-false questions answered right or wrong by [`answer`].
fn chosen(q: &Question, right: bool) -> Option<Vec<String>> {
    match &q.kind {
        QuestionKind::Single { options } => Some(vec![options
            .iter()
            .position(|o| o.correct == right)?
            .to_string()]),
        QuestionKind::Multiple { options, .. } => Some(if right {
            (0..options.len())
                .filter(|&k| options[k].correct)
                .map(|k| k.to_string())
                .collect()
        } else {
            vec![options.iter().position(|o| !o.correct)?.to_string()]
        }),
        QuestionKind::TrueFalse { answer, .. } => Some(vec![(*answer == right).to_string()]),
        _ => None,
    }
}

/// Runs the real `mdbook-course stats` against the LRS as the instructor, with `args`.
fn stats(lrs: &Lrs, args: &[&str]) -> Result<String> {
    let out =
        std::process::Command::new(xtask::paths::target().join("debug").join("mdbook-course"))
            .args(["stats", "--lrs", &lrs.endpoint(), "--auth"])
            .arg(format!("{}:{}", READER.0, READER.1))
            .args(args)
            .output()?;
    if !out.status.success() {
        bail!("stats {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8(out.stdout)?)
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
        let since_yesterday = page
            .eval("return new Date(Date.now() - 86400000).toISOString().slice(0, 10);")
            .await?;
        let since_yesterday = since_yesterday.as_str().context("a date")?.to_owned();
        let report: Value = serde_json::from_str(&stats(
            &lrs,
            &["--since", &since_yesterday, "--format", "json"],
        )?)?;
        let quiz = report["quizzes"]
            .as_array()
            .and_then(|q| q.iter().find(|q| q["quiz"] == bq.quiz.id.as_str()))
            .cloned()
            .expect("the quiz in the report");
        assert_eq!(quiz["learners"], 1);
        for (i, &right) in rights.iter().enumerate() {
            let q = &bq.quiz.questions[i];
            let item = quiz["items"]
                .as_array()
                .and_then(|items| items.iter().find(|it| it["question"] == q.id.as_str()))
                .cloned()
                .expect("the question in the report");
            assert_eq!(item["attempts"], 1);
            assert_eq!(item["learners"], 1);
            assert_eq!(item["facility"], if right { 1.0 } else { 0.0 });
            assert_eq!(item["version"], &hashes[i][..8]);
            assert!(item["mean_seconds"].as_f64().is_some(), "{item:#}");
            if let Some(keys) = chosen(q, right) {
                let shares = item["options"].as_object().cloned().unwrap_or_default();
                let picked: BTreeSet<&str> = shares.keys().map(String::as_str).collect();
                let expected: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
                assert_eq!(picked, expected, "the options chosen: {item:#}");
                assert!(shares.values().all(|v| v == 1.0), "one learner: {item:#}");
            }
        }
        let text = stats(&lrs, &["--since", &since_yesterday])?;
        assert!(
            text.contains(&format!("Quiz {}: 1 learner(s)", bq.quiz.id)),
            "{text}"
        );
        for q in &bq.quiz.questions[..3] {
            assert!(text.contains(&q.id), "{text}");
        }
        eprintln!("{text}");
        let html = std::env::temp_dir().join(format!("course-stats-{}.html", std::process::id()));
        stats(&lrs, &["--html", &html.display().to_string()])?;
        let page_html = std::fs::read_to_string(&html)?;
        let _ = std::fs::remove_file(&html);
        assert!(
            page_html.contains(&format!("<h2>Quiz {}</h2>", bq.quiz.id)),
            "{page_html}"
        );
        assert!(
            page_html.contains("aria-label=\"facility 1.00\""),
            "{page_html}"
        );
        assert!(
            page_html.contains("aria-label=\"facility 0.00\""),
            "{page_html}"
        );
        // A date after every statement: none of them.
        let later = page
            .eval("return new Date(Date.now() + 60000).toISOString();")
            .await?;
        let later = later.as_str().context("a timestamp")?.to_owned();
        let none: Value =
            serde_json::from_str(&stats(&lrs, &["--since", &later, "--format", "json"])?)?;
        assert_eq!(none["statements"], 0, "{none:#}");
        assert_eq!(none["quizzes"], serde_json::json!([]), "{none:#}");
        let text = stats(&lrs, &["--since", &later])?;
        assert!(text.contains("No quiz answers found."), "{text}");
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

#[test]
fn completing_a_lab_sends_each_objective_and_the_lab_completed_to_the_lrs() {
    browser_test("xapi_lab", |page: Page| async move {
        let lms = Lms::start()?;
        let lrs = Lrs::start(page.base())?;
        page.open(&launch_url(
            "ch02-execution-environment.html",
            &lrs,
            &lms,
            "learner-lab",
        ))
        .await?;
        e2e::labs::complete_cold_warm_starts(&page).await?;
        let completed = wait_for_statements(&lrs, "completed", 5, Duration::from_secs(30))?;
        let lab = format!("https://courses.example.org/{BOOK}/lab/cold-warm-starts");
        let mut objectives = BTreeSet::new();
        for s in &completed {
            assert_eq!(s["actor"]["account"]["name"], "learner-lab", "{s:#}");
            assert_eq!(s["context"]["registration"], REGISTRATION, "{s:#}");
            assert_eq!(s["result"]["completion"], true, "{s:#}");
            let id = s["object"]["id"].as_str().unwrap_or_default();
            if let Some(objective) = id.strip_prefix(&format!("{lab}/objective/")) {
                objectives.insert(objective.to_owned());
                assert_eq!(
                    s["object"]["definition"]["type"],
                    "http://adlnet.gov/expapi/activities/objective"
                );
                assert_eq!(s["context"]["contextActivities"]["parent"][0]["id"], lab);
            } else {
                assert_eq!(id, lab, "{s:#}");
                assert_eq!(
                    s["object"]["definition"]["name"]["en"],
                    "Cold starts, warm starts and provisioned concurrency"
                );
                assert_eq!(s["result"]["success"], true);
            }
        }
        let expected: BTreeSet<String> =
            ["burst", "cold-after-idle", "cold-then-warm", "provisioned"]
                .map(str::to_owned)
                .into();
        assert_eq!(
            objectives, expected,
            "one statement per objective, and one for the lab"
        );
        // A reload shows the lab done and sends nothing again.
        page.reload().await?;
        page.wait_for_text(".lab-objectives-summary", "All 4 objectives completed")
            .await?;
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(statements_of(&lrs, "completed")?.len(), 5);
        Ok(())
    });
}

/// Builds the book with records on (`auth`: book.toml's `user:password`), serves it, and starts
/// Ralph where the book sends: (server, LRS, site folder).
fn book_with_records(
    page: &Page,
    name: &str,
    auth: &str,
) -> Result<(StaticServer, Lrs, std::path::PathBuf)> {
    let site = xtask::paths::target().join("e2e-books").join(name);
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(&site)?;
    let server = StaticServer::start(site.clone())?;
    let port = free_port()?;
    let endpoint = format!("http://127.0.0.1:{port}/xAPI/");
    build_book(&site, &[("endpoint", &endpoint), ("auth", auth)])?;
    let config = std::fs::read_to_string(site.join("progress.html"))?;
    assert!(
        config.contains(&format!("\"endpoint\":\"{endpoint}\"")),
        "the page carries book.toml's endpoint"
    );
    assert!(
        !config.contains(auth),
        "the page never carries the password in clear"
    );
    let _ = page;
    let lrs = Lrs::start_on(&server.url(), port)?;
    Ok((server, lrs, site))
}

#[test]
fn the_books_write_only_credential_stores_the_statements_of_a_learner_not_launched_by_an_lms() {
    browser_test("xapi_book_auth", |page: Page| async move {
        let bq = plain_quiz();
        let (server, lrs, site) =
            book_with_records(&page, "book-auth", &format!("{}:{}", WRITER.0, WRITER.1))?;
        page.client
            .goto(&format!("{}{}", server.url(), bq.page))
            .await?;
        go_to(&page, &bq, 0).await?;
        answer(&page, &bq, 0, true).await?;
        check(&page, &bq, 0, "Correct!").await?;
        let answered = wait_for_statements(&lrs, "answered", 1, Duration::from_secs(30))?;
        let s = &answered[0];
        assert_eq!(
            s["authority"]["mbox"], "mailto:course-writer@example.org",
            "sent with book.toml's credential: {s:#}"
        );
        assert_eq!(
            s["actor"]["account"]["homePage"], "https://courses.example.org/",
            "a pseudonymous learner on the course's activity base: {s:#}"
        );
        assert_eq!(
            s["actor"]["account"]["name"].as_str().map(str::len),
            Some(36),
            "a random id: {s:#}"
        );
        assert!(s["context"].get("registration").is_none(), "no LMS: {s:#}");
        page.client
            .goto(&format!("{}progress.html", server.url()))
            .await?;
        page.wait_for_text(".course-xapi-status", "All your learning records are sent")
            .await?;
        drop(server);
        let _ = std::fs::remove_dir_all(site);
        Ok(())
    });
}

#[test]
fn a_wrong_credential_in_book_toml_is_refused_kept_aside_and_reported_not_retried() {
    browser_test("xapi_book_wrong_auth", |page: Page| async move {
        let bq = plain_quiz();
        let (server, lrs, site) = book_with_records(
            &page,
            "book-wrong-auth",
            &format!("{}:not-the-password", WRITER.0),
        )?;
        page.client
            .goto(&format!("{}{}", server.url(), bq.page))
            .await?;
        for i in 0..2 {
            go_to(&page, &bq, i).await?;
            answer(&page, &bq, i, true).await?;
            check(&page, &bq, i, "Correct!").await?;
        }
        let keys = |kind: &str| {
            format!(
                "Object.keys(localStorage).filter(k => k.startsWith('course:{BOOK}:xapi:{kind}:')).length"
            )
        };
        page.wait_until(
            "both statements set aside, none waiting",
            &format!("{} === 2 && {} === 0", keys("x"), keys("q")),
        )
        .await?;
        page.client
            .goto(&format!("{}progress.html", server.url()))
            .await?;
        let status = page
            .wait_for_text(".course-xapi-status", "2 record(s) were refused")
            .await?;
        assert!(status.contains("credential"), "{status}");
        assert!(
            status.contains("HTTP 401") || status.contains("HTTP 403"),
            "{status}"
        );
        // Not retried: nothing waits, and the LRS got nothing.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(
            page.eval(&format!("return {};", keys("q"))).await?.as_u64(),
            Some(0)
        );
        assert!(lrs.statements()?.is_empty());
        // The refused requests are logged by the browser itself; nothing else.
        let origin = lrs.endpoint();
        let origin = origin.trim_end_matches("xAPI/");
        for e in page.console().await? {
            if e["level"] == "SEVERE" && !e["message"].as_str().is_some_and(|m| m.contains(origin))
            {
                bail!("a console error that is not a refused request to the LRS: {e}");
            }
        }
        drop(server);
        let _ = std::fs::remove_dir_all(site);
        Ok(())
    });
}

/// The clicks answering the first `n` questions of `bq` right (choice and true-false questions
/// only): (selector, ...) in order, Check after each, Next between.
fn right_answer_clicks(bq: &BookQuiz, n: usize) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for i in 0..n {
        let q = bq.quiz.questions.get(i)?;
        let base = bq.base(i);
        for k in chosen(q, true)? {
            // A true-false question's options: 0 is "True", 1 "False".
            let k = match k.as_str() {
                "true" => "0".to_owned(),
                "false" => "1".to_owned(),
                _ => k,
            };
            out.push(format!("label[for='{base}-option-{k}']"));
        }
        out.push(format!("#{base} .course-check"));
        if i + 1 < n {
            out.push(format!("[data-quiz='{}'] .course-next", bq.quiz.id));
        }
    }
    Some(out)
}

#[test]
fn two_tabs_answering_at_the_same_moment_lose_no_statement_and_send_each_once() {
    browser_test("xapi_two_tabs", |page: Page| async move {
        // The course's quizzes open with at most two choice questions.
        const N: usize = 2;
        let mut quizzes = book_quizzes()
            .into_iter()
            .filter(|b| b.quiz.draw.is_none() && !b.quiz.shuffle_questions)
            .filter_map(|b| right_answer_clicks(&b, N).map(|c| (b, c)));
        let (a, a_clicks) = quizzes.next().context("a quiz of choice questions")?;
        let (b, b_clicks) = quizzes
            .find(|(b, _)| b.page != a.page)
            .context("a second one on another page")?;
        let lms = Lms::start()?;
        let lrs = Lrs::start(page.base())?;
        let first = page.client.window().await?;
        page.open(&launch_url(&a.page, &lrs, &lms, "learner-tabs"))
            .await?;
        page.wait_for(&format!("[data-quiz='{}'] .course-quiz-body", a.quiz.id))
            .await?;
        let second = page.client.new_window(true).await?.handle;
        page.client.switch_to_window(second.clone()).await?;
        page.open(&launch_url(&b.page, &lrs, &lms, "learner-tabs"))
            .await?;
        page.wait_for(&format!("[data-quiz='{}'] .course-quiz-body", b.quiz.id))
            .await?;
        // Both tabs click through their answers from the same instant, each click in a task of
        // its own (a MessageChannel message: not throttled in a background tab).
        let at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis()
            + 1500;
        let script = |clicks: &[String]| {
            format!(
                "const clicks = {}; window.__done = null; \
                 const tick = () => new Promise(r => {{ const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); }}); \
                 setTimeout(async () => {{ window.__started = Date.now(); \
                   for (const sel of clicks) {{ let el = null; \
                     for (let n = 0; n < 100000 && !(el = document.querySelector(sel)); n++) await tick(); \
                     if (!el) {{ window.__done = 'never found ' + sel; return; }} \
                     el.click(); await tick(); }} \
                   window.__done = 'ok'; }}, Math.max(0, {at} - Date.now()));",
                serde_json::to_string(clicks).unwrap_or_default()
            )
        };
        page.eval(&script(&b_clicks)).await?;
        page.client.switch_to_window(first.clone()).await?;
        page.eval(&script(&a_clicks)).await?;
        let mut started = Vec::new();
        for w in [&first, &second] {
            page.client.switch_to_window(w.clone()).await?;
            page.wait_until("the clicks are done", "window.__done !== null")
                .await?;
            let done = page.eval("return window.__done;").await?;
            assert_eq!(done, "ok", "{done}");
            started.push(
                page.eval("return window.__started;")
                    .await?
                    .as_f64()
                    .unwrap_or(0.0),
            );
        }
        eprintln!(
            "the two tabs started answering {} ms apart",
            (started[0] - started[1]).abs()
        );
        let answered = wait_for_statements(&lrs, "answered", 2 * N, Duration::from_secs(60))?;
        // Give a duplicate time to arrive, then count again.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let answered_now = statements_of(&lrs, "answered")?;
        assert_eq!(
            answered_now.len(),
            2 * N,
            "each statement once: {answered_now:#?}"
        );
        let ids: BTreeSet<&str> = answered.iter().filter_map(|s| s["id"].as_str()).collect();
        assert_eq!(ids.len(), 2 * N, "distinct statements");
        let objects: BTreeSet<String> = answered
            .iter()
            .filter_map(|s| s["object"]["id"].as_str().map(str::to_owned))
            .collect();
        for bq in [&a, &b] {
            for q in &bq.quiz.questions[..N] {
                let id = format!(
                    "https://courses.example.org/{BOOK}/quiz/{}/question/{}",
                    bq.quiz.id, q.id
                );
                assert!(objects.contains(&id), "{id} missing: {objects:#?}");
            }
        }
        for w in [&first, &second] {
            page.client.switch_to_window(w.clone()).await?;
            page.wait_until(
                "the queue is empty in this tab",
                &format!("Object.keys(localStorage).filter(k => k.startsWith('course:{BOOK}:xapi:q:')).length === 0"),
            )
            .await?;
        }
        Ok(())
    });
}

#[test]
fn a_cmi5_launch_sends_initialized_at_launch_and_terminated_when_the_learner_leaves() {
    browser_test("xapi_cmi5", |page: Page| async move {
        const AU: &str = "https://lms.example.org/course/lambda-foundations/au/1";
        const CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
        const SESSION: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
        let bq = plain_quiz();
        let lms = Lms::start()?;
        let lrs = Lrs::start(page.base())?;
        page.open(&launch_url_of(&bq.page, &lrs, &lms, "learner-5", Some(AU)))
            .await?;
        let init = wait_for_statements(&lrs, "initialized", 1, Duration::from_secs(30))?;
        let cmi5_context = |s: &Value| -> Result<String> {
            assert_eq!(s["object"]["id"], AU, "{s:#}");
            assert_eq!(s["actor"]["account"]["name"], "learner-5", "{s:#}");
            assert_eq!(s["context"]["registration"], REGISTRATION, "{s:#}");
            assert_eq!(
                s["context"]["contextActivities"]["category"][0]["id"], CATEGORY,
                "{s:#}"
            );
            let session = s["context"]["extensions"][SESSION]
                .as_str()
                .filter(|v| !v.is_empty())
                .with_context(|| format!("no session id: {s:#}"))?;
            Ok(session.to_owned())
        };
        let session = cmi5_context(&init[0])?;
        assert!(init[0].get("result").is_none(), "{:#}", init[0]);
        // On to the next page of the course by its link: the session goes on there.
        let next = page
            .eval("const a = document.querySelector(\"a[rel~='next']\"); a.click(); return a.href;")
            .await?;
        let next = next.as_str().context("a next page")?.to_owned();
        page.wait_until(
            "the next page's records bundle is loaded",
            &format!(
                "location.href === {} && performance.getEntriesByType('resource').some(e => e.name.includes('_xapi_bg.wasm'))",
                serde_json::to_string(&next)?
            ),
        )
        .await?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(statements_of(&lrs, "initialized")?.len(), 1, "one session");
        assert!(
            statements_of(&lrs, "terminated")?.is_empty(),
            "still in the course"
        );
        // Leaving the course (the learner goes elsewhere): `terminated`, as the page goes.
        page.client.goto("about:blank").await?;
        let term = wait_for_statements(&lrs, "terminated", 1, Duration::from_secs(30))?;
        assert_eq!(cmi5_context(&term[0])?, session, "the same session");
        let duration = term[0]["result"]["duration"].as_str().unwrap_or_default();
        assert!(
            duration.starts_with("PT") && duration.ends_with('S'),
            "{:#}",
            term[0]
        );
        let secs: f64 = duration
            .trim_start_matches("PT")
            .trim_end_matches('S')
            .parse()?;
        assert!(secs >= 2.0, "the session lasted over 2 s: {duration}");
        assert_eq!(statements_of(&lrs, "initialized")?.len(), 1);
        Ok(())
    });
}
