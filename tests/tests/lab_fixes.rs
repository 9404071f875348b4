//! What a learner found broken in the lab console, each fixed and proved here: keys kept from
//! mdBook's shortcuts, unique ids on the print page, the notice after a reload, corrupt saved
//! progress backed up, honest metric captions, the queue picker, messages, errors and the reset
//! confirmation.

use std::time::Duration;

use anyhow::Result;
use e2e::labs::invoke_cold_then_warm;
use e2e::{browser_test, Page};

const ARROW_RIGHT: &str = "\u{E014}";
const ARROW_LEFT: &str = "\u{E012}";

async fn search_hidden(page: &Page) -> Result<bool> {
    Ok(page
        .eval(
            "return document.getElementById('mdbook-search-wrapper').classList.contains('hidden');",
        )
        .await?
        .as_bool()
        == Some(true))
}

#[test]
fn arrow_keys_and_shortcut_keys_inside_the_lab_do_not_reach_mdbook() {
    browser_test("lab_keys_kept", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "200 OK").await?;
        let url = page.url().await?;
        for target in [
            ".lab-invoke-sync",
            ".lab-log",
            ".lab-speed",
            ".lab-event",
            ".lab-advance-1s",
        ] {
            page.eval(&format!(
                "document.querySelector('{target}').focus(); return null;"
            ))
            .await?;
            page.keys(ARROW_RIGHT).await?;
            page.keys(ARROW_LEFT).await?;
            page.keys("s").await?;
            page.keys("?").await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
            assert_eq!(
                page.url().await?,
                url,
                "the page did not change from {target}"
            );
            assert!(
                search_hidden(&page).await?,
                "search stayed closed from {target}"
            );
        }
        // the lab is still there, with what was done in it
        assert!(page.text(".lab-status").await?.contains("200 OK"));
        // outside the lab the shortcut works: the test above is meaningful
        page.eval("document.activeElement.blur(); return null;")
            .await?;
        page.keys(ARROW_RIGHT).await?;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_ne!(
            page.url().await?,
            url,
            "ArrowRight outside the lab turns the page"
        );
        Ok(())
    });
}

#[test]
fn the_print_page_holding_every_lab_has_no_duplicate_ids() {
    browser_test("lab_print_ids", |page: Page| async move {
        page.open("print.html").await?;
        page.wait_until(
            "every lab mounted",
            "document.querySelectorAll('.course-lab').length >= 6 && document.querySelectorAll('.course-lab').length === document.querySelectorAll('.course-lab .lab').length",
        )
        .await?;
        let dups = page
            .eval(
                "const all = [...document.querySelectorAll('[id]')].map(e => e.id);
                 const count = id => all.filter(x => x === id).length;
                 const lab = [...document.querySelectorAll('.course-lab [id]')].map(e => e.id);
                 return [lab.length, lab.filter(id => count(id) > 1)];",
            )
            .await?;
        assert!(
            dups[0].as_u64().unwrap_or(0) > 6 * 8,
            "the labs create ids: {dups}"
        );
        assert_eq!(dups[1], serde_json::json!([]), "ids used twice: {dups}");
        // every label still names its control
        let orphans = page
            .eval("return [...document.querySelectorAll('.course-lab label[for]')].filter(l => !document.getElementById(l.htmlFor)).length;")
            .await?;
        assert_eq!(orphans.as_u64(), Some(0));
        Ok(())
    });
}

#[test]
fn after_a_reload_the_reset_world_is_announced_and_earlier_objectives_say_so() {
    browser_test("lab_reload_notice", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        assert!(
            !page.exists(".lab-notice").await?,
            "no notice on a first visit"
        );
        invoke_cold_then_warm(&page).await?;
        page.reload().await?;
        let notice = page.wait_for_text(".lab-notice", "restarted").await?;
        assert!(notice.contains("completed earlier"), "{notice}");
        let item = "[data-objective='cold-then-warm']";
        page.wait_for(&format!("{item}.is-done.is-earlier")).await?;
        let progress = page
            .text(&format!("{item} .lab-objective-progress"))
            .await?;
        assert!(progress.contains("completed earlier"), "{progress}");
        // doing it again in the new world makes it plainly completed
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "200 OK").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for(&format!("{item}.is-done:not(.is-earlier)"))
            .await?;
        Ok(())
    });
}

#[test]
fn corrupt_saved_lab_progress_is_backed_up_and_reported() {
    browser_test("lab_corrupt_saved", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.wait_for(".lab-invoke-sync").await?;
        page.eval(
            r#"Object.keys(localStorage).forEach(k => localStorage.removeItem(k));
               const book = document.querySelector('.course-lab').dataset.book;
               localStorage.setItem('course:' + book + ':lab:cold-warm-starts', '{"version":1,"completed":[oops');
               return null;"#,
        )
        .await?;
        page.reload().await?;
        let notice = page
            .wait_for_text(".lab-notice", "could not be read")
            .await?;
        assert!(notice.contains("course-backup:"), "{notice}");
        let backups = page
            .eval("return Object.keys(localStorage).filter(k => k.startsWith('course-backup:') && k.includes(':lab:cold-warm-starts:')).map(k => localStorage.getItem(k));")
            .await?;
        assert_eq!(
            backups,
            serde_json::json!([r#"{"version":1,"completed":[oops"#]),
            "the old data is kept"
        );
        page.wait_for_text(".lab-objectives-summary", "0 of 4")
            .await?;
        Ok(())
    });
}

#[test]
fn metric_captions_sum_only_counts_and_never_say_minus_zero() {
    browser_test("lab_metric_captions", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.wait_for(".lab-metrics").await?;
        let metrics = page.text(".lab-metrics").await?;
        assert!(!metrics.contains("-0"), "{metrics}");
        page.click(".lab-burst").await?;
        page.wait_for_text(".lab-status", "simultaneous requests sent")
            .await?;
        let caption =
            |c: &str| format!("return document.querySelector('.{c} figcaption').textContent;");
        let concurrency = page.eval(&caption("lab-chart-concurrency")).await?;
        let concurrency = concurrency.as_str().unwrap_or_default();
        assert!(
            !concurrency.contains("in view") && concurrency.contains("peak 10"),
            "{concurrency}"
        );
        let p50 = page.eval(&caption("lab-chart-p50")).await?;
        assert!(
            !p50.as_str().unwrap_or_default().contains("in view"),
            "{p50}"
        );
        let invocations = page.eval(&caption("lab-chart-invocations")).await?;
        assert!(
            invocations
                .as_str()
                .unwrap_or_default()
                .contains("10 in view"),
            "{invocations}"
        );
        Ok(())
    });
}

#[test]
fn the_queue_picker_starts_on_the_source_queue_not_a_dead_letter_queue() {
    browser_test("lab_queue_default", |page: Page| async move {
        page.open("ch02-how-lambda-works.html").await?;
        page.wait_for("select.lab-queue").await?;
        let chosen = page
            .eval("return document.querySelector('select.lab-queue').value;")
            .await?;
        assert_eq!(chosen.as_str(), Some("jobs"));
        Ok(())
    });
}

#[test]
fn to_next_event_says_where_it_went_on_every_press_until_nothing_is_scheduled() {
    browser_test("lab_next_event", |page: Page| async move {
        page.open("ch02-how-lambda-works.html").await?;
        page.click(".lab-invoke-async").await?;
        page.wait_for_text(".lab-status", "202").await?;
        let mut statuses = vec![page.text(".lab-status").await?];
        for _ in 0..12 {
            page.click(".lab-advance-next").await?;
            // a press is a new message (events often come within the same millisecond, which
            // the clock cannot show: the same text twice looked like a press that did nothing)
            let last = statuses.last().cloned().unwrap_or_default();
            let mut status = last.clone();
            for _ in 0..50 {
                status = page.text(".lab-status").await?;
                if status != last {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if status.contains("Nothing is scheduled") {
                break;
            }
            assert_ne!(status, last, "a press that said nothing new");
            assert!(status.contains("Advanced to the next event"), "{status}");
            statuses.push(status);
        }
        // the first attempt and two retries, each with its completion
        assert!(statuses.len() >= 4, "{statuses:?}");
        Ok(())
    });
}

#[test]
fn messages_say_things_once_and_errors_go_when_a_later_step_succeeds() {
    browser_test("lab_messages", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "200 OK").await?;
        page.click(".lab-invoke-sync").await?;
        let status = page
            .wait_for_text(".lab-status", "Objective completed")
            .await?;
        assert!(!status.contains(".."), "{status}");
        // an old ValidationException goes once a later step succeeds
        page.type_into(".lab-memory", "lots").await?;
        page.click(".lab-save-config").await?;
        page.wait_for_text(".lab-form-config .lab-error", "ValidationException")
            .await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "200 OK").await?;
        page.wait_until("the old error gone", "document.querySelector('.lab-error[role=alert]') === null || ![...document.querySelectorAll('.lab-error')].some(e => e.textContent.includes('ValidationException'))").await?;
        // a syntax error says its place once
        page.type_into(".lab-script", "let x = ;\n|event, context| { 1 }")
            .await?;
        page.click(".lab-deploy").await?;
        let error = page
            .wait_for_text(".lab-code .lab-error", "Line 1, column")
            .await?;
        assert_eq!(error.to_lowercase().matches("line 1").count(), 1, "{error}");
        Ok(())
    });
}

#[test]
fn reset_lab_asks_first_and_keeps_the_objectives_when_cancelled() {
    browser_test("lab_reset_confirm", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        invoke_cold_then_warm(&page).await?;
        page.click(".lab-reset").await?;
        page.wait_for(".lab-confirm[role=alertdialog] .lab-reset-yes")
            .await?;
        let focused = page
            .eval("return document.activeElement.className;")
            .await?;
        assert!(
            focused
                .as_str()
                .unwrap_or_default()
                .contains("lab-reset-yes"),
            "{focused}"
        );
        page.click(".lab-reset-no").await?;
        assert!(!page.exists(".lab-confirm").await?);
        let focused = page
            .eval("return document.activeElement.className;")
            .await?;
        assert_eq!(focused.as_str(), Some("lab-reset"), "the focus goes back");
        page.wait_for("[data-objective='cold-then-warm'].is-done")
            .await?;
        page.click(".lab-reset").await?;
        page.click(".lab-reset-yes").await?;
        page.wait_for_text(".lab-status", "Lab reset").await?;
        page.wait_for_text(".lab-objectives-summary", "0 of 4")
            .await?;
        assert!(
            !page
                .exists("[data-objective='cold-then-warm'].is-done")
                .await?
        );
        Ok(())
    });
}

#[test]
fn a_burst_of_1000_requests_to_a_looping_handler_never_blocks_the_page() {
    browser_test("lab_loop_burst", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.type_into(".lab-script", "|event, context| { loop { } }")
            .await?;
        page.click(".lab-deploy").await?;
        page.wait_for_text(".lab-status", "Deployed").await?;
        page.type_into(".lab-burst-count", "1000").await?;
        // long tasks (over 50 ms), and a heartbeat that notes the longest gap between its beats
        page.eval(
            "window.labLong = []; new PerformanceObserver(l => l.getEntries().forEach(e => window.labLong.push(Math.round(e.duration)))).observe({type: 'longtask'});
             window.labBeats = 0; window.labGap = 0; let last = performance.now();
             window.labBeat = setInterval(() => { const t = performance.now(); window.labGap = Math.max(window.labGap, t - last); last = t; window.labBeats++; }, 10);
             return true;",
        )
        .await?;
        page.click(".lab-burst").await?;
        // the page answers while the burst runs: its progress shows
        page.wait_for(".lab-progress progress").await?;
        let mut status = String::new();
        for _ in 0..1200 {
            status = page.text(".lab-status").await?;
            if status.contains("simultaneous requests sent") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert!(
            status.contains("1000 simultaneous requests sent"),
            "{status}"
        );
        // the views come back one per task, the bill last: the burst's results are shown
        page.wait_for(".lab-views .lab-bill").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let measured = page
            .eval("clearInterval(window.labBeat); return [window.labLong, window.labGap, window.labBeats];")
            .await?;
        eprintln!("long tasks during the 1,000-request loop burst (ms): {measured}");
        // The burst runs in slices of about 10 ms, and on a quiet machine no task passes 50 ms
        // (the figure the closing note reports). This test asserts what a learner sees without
        // timing the machine: the page never freezes (it froze for 40 s in one task before the
        // fix). A loaded 2-core machine stretched tasks to 57-255 ms, so the bound is 1 s.
        let longest = measured[0].as_array().map_or(0, |l| {
            l.iter().filter_map(|t| t.as_u64()).max().unwrap_or(0)
        });
        assert!(
            longest < 1000,
            "the page froze for {longest} ms: {measured}"
        );
        assert!(
            measured[2].as_u64().unwrap_or(0) > 100,
            "the heartbeat kept beating: {measured}"
        );
        let timeouts = page
            .eval("return [...document.querySelectorAll('.lab-log-line .lab-log-text')].filter(e => e.textContent.includes('Task timed out') || e.textContent.includes('Duration: 3000.00 ms')).length;")
            .await?;
        let sample = page
            .eval("return [...document.querySelectorAll('.lab-log-line .lab-log-text')].slice(-4).map(e => e.textContent);")
            .await?;
        assert!(
            timeouts.as_u64().unwrap_or(0) > 0,
            "timeouts logged: {timeouts} {sample}"
        );
        let cold = page
            .eval("return Number(document.querySelector('.lab-timeline-svg').dataset.cold);")
            .await?;
        assert!(cold.as_u64().unwrap_or(0) > 0, "cold starts drawn: {cold}");
        Ok(())
    });
}
