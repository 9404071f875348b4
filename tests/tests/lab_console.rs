//! The lab console in a real browser: cold and warm starts, a permission denial, async retries to a
//! DLQ, throttles under load, completion that survives a reload, and a runaway handler.
//!
//! These need the `{{#lab}}` directives in the chapters (mdbook-course with lab support).

use std::time::Duration;

use anyhow::Result;
use e2e::{browser_test, Page};

/// The texts of the log lines on the page.
async fn log_lines(page: &Page) -> Result<Vec<String>> {
    page.texts(".lab-log-line .lab-log-text").await
}

#[test]
fn invoking_twice_shows_one_cold_and_one_warm_start_in_the_log_and_the_timeline() {
    browser_test("lab_cold_warm", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "200 OK").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_until(
            "two REPORT lines",
            "document.querySelectorAll('.lab-log-line.is-report').length === 2",
        )
        .await?;
        let reports: Vec<String> = log_lines(&page)
            .await?
            .into_iter()
            .filter(|l| l.starts_with("REPORT"))
            .collect();
        assert!(reports[0].contains("Init Duration"), "cold: {}", reports[0]);
        assert!(
            !reports[1].contains("Init Duration"),
            "warm: {}",
            reports[1]
        );
        let svg = ".lab-timeline-svg";
        page.wait_for(svg).await?;
        page.wait_until(
            "timeline shows 1 cold + 1 warm",
            "(() => { const s = document.querySelector('.lab-timeline-svg'); return s.dataset.cold === '1' && s.dataset.warm === '1' && document.querySelectorAll('.lab-cold-mark').length === 1; })()",
        )
        .await?;
        page.wait_for("[data-objective='cold-then-warm'].is-done")
            .await?;
        Ok(())
    });
}

#[test]
fn invoking_as_an_unauthorised_principal_shows_access_denied() {
    browser_test("lab_access_denied", |page: Page| async move {
        page.open("ch03-permissions.html").await?;
        page.click(".lab-invoke-as").await?;
        let status = page
            .wait_for_text(".lab-status", "AccessDeniedException")
            .await?;
        assert!(
            status.contains("is not authorized to perform: lambda:InvokeFunction"),
            "{status}"
        );
        page.wait_for("[data-objective='denied-invoke'].is-done")
            .await?;
        Ok(())
    });
}

#[test]
fn a_failing_async_event_retries_twice_then_lands_in_the_dlq() {
    browser_test("lab_async_dlq", |page: Page| async move {
        page.open("ch02-how-lambda-works.html").await?;
        page.type_into(".lab-event", r#"{"orderId": "A-7"}"#)
            .await?;
        page.click(".lab-invoke-async").await?;
        page.wait_for_text(".lab-status", "202").await?;
        page.click(".lab-advance-1m").await?;
        page.click(".lab-advance-1m").await?;
        page.click(".lab-advance-10m").await?;
        page.wait_until(
            "a message in orders-dlq",
            "document.querySelector(\".lab-queue[data-queue='orders-dlq'] .lab-message\") !== null",
        )
        .await?;
        let starts = log_lines(&page)
            .await?
            .into_iter()
            .filter(|l| l.starts_with("START"))
            .count();
        assert_eq!(starts, 3, "the first attempt and two retries");
        let message = page
            .text(".lab-queue[data-queue='orders-dlq'] .lab-message")
            .await?;
        assert!(
            message.contains("A-7") && message.contains("RequestID="),
            "{message}"
        );
        page.wait_for("[data-objective='async-dlq'].is-done")
            .await?;
        Ok(())
    });
}

#[test]
fn a_load_test_above_reserved_concurrency_shows_throttles_in_the_metrics() {
    browser_test("lab_throttles", |page: Page| async move {
        page.open("ch05-concurrency-and-testing.html").await?;
        page.type_into(".lab-reserved", "5").await?;
        page.click(".lab-save-reserved").await?;
        page.wait_for_text(".lab-status", "Reserved concurrency set to 5")
            .await?;
        page.type_into(".lab-rate", "100").await?;
        page.type_into(".lab-duration", "10").await?;
        page.click(".lab-load").await?;
        page.wait_for_text(".lab-status", "Load test finished")
            .await?;
        let throttles = page
            .eval("return Number(document.querySelector('.lab-chart-throttles').dataset.total);")
            .await?;
        assert!(
            throttles.as_f64().unwrap_or(0.0) > 0.0,
            "throttles: {throttles}"
        );
        Ok(())
    });
}

#[test]
fn a_long_load_test_shows_progress_and_can_be_cancelled() {
    browser_test("lab_load_cancel", |page: Page| async move {
        page.open("ch05-concurrency-and-testing.html").await?;
        page.type_into(".lab-reserved", "5").await?;
        page.click(".lab-save-reserved").await?;
        page.wait_for_text(".lab-status", "Reserved concurrency set to 5")
            .await?;
        // 1,000,000 requests (most throttled), the most one load test may ask for (the limits in
        // book/src/instructors/scenarios.md; 2,000/s for an hour, 7.2 million, is now refused at
        // its field): seconds of work, so "Cancel" comes in time even on a fast machine (100 per
        // second for an hour once finished before the click)
        page.type_into(".lab-rate", "2000").await?;
        page.type_into(".lab-duration", "500").await?;
        page.eval("window.labLong = []; new PerformanceObserver(l => l.getEntries().forEach(e => window.labLong.push(e.duration))).observe({type: 'longtask'}); return true;")
            .await?;
        page.click(".lab-load").await?;
        page.wait_for(".lab-progress progress").await?;
        // the page answers while the test runs: the cancel button works
        page.click(".lab-cancel").await?;
        page.wait_for_text(".lab-status", "Load test cancelled")
            .await?;
        let longest = page
            .eval("return [Math.max(0, ...window.labLong), window.labLong.join(',')];")
            .await?;
        eprintln!("longest task while the load test ran: {longest} ms");
        let throttles = page
            .eval("return Number(document.querySelector('.lab-chart-throttles').dataset.total);")
            .await?;
        assert!(
            throttles.as_f64().unwrap_or(0.0) > 0.0,
            "throttles: {throttles}"
        );
        Ok(())
    });
}

#[test]
fn provisioned_concurrency_on_an_alias_serves_only_requests_through_the_alias() {
    // docs/lambda-behaviour.md §10.4, §10.5
    browser_test("lab_versions_alias", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        // AWS refuses provisioned concurrency without a version or alias
        page.type_into(".lab-provisioned", "1").await?;
        page.click(".lab-save-provisioned").await?;
        page.wait_for_text(".lab-form-provisioned", "ValidationException")
            .await?;
        e2e::labs::provision_alias(&page, "live", 1).await?;
        page.wait_for_text(".lab-versions", "live → 1").await?;
        page.wait_for_text(".lab-versions", "provisioned: live 1")
            .await?;
        page.click(".lab-advance-1m").await?;
        // $LATEST: on demand, cold
        page.click(".lab-invoke-sync").await?;
        page.wait_until(
            "one REPORT line",
            "document.querySelectorAll('.lab-log-line.is-report').length === 1",
        )
        .await?;
        assert!(
            !page
                .eval("return document.querySelector('[data-objective=\\'provisioned\\']').classList.contains('is-done');")
                .await?
                .as_bool()
                .unwrap_or(true),
            "an unqualified invoke does not use the alias's provisioned concurrency"
        );
        // through the alias: a provisioned environment of version 1
        page.type_into(".lab-qualifier", "live").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for("[data-objective='provisioned'].is-done")
            .await?;
        let lines = log_lines(&page).await?;
        let starts: Vec<&String> = lines.iter().filter(|l| l.starts_with("START")).collect();
        assert!(starts[0].ends_with("Version: $LATEST"), "{starts:?}");
        assert!(starts[1].ends_with("Version: 1"), "{starts:?}");
        let reports: Vec<&String> = lines.iter().filter(|l| l.starts_with("REPORT")).collect();
        assert!(reports[0].contains("Init Duration"), "cold: {}", reports[0]);
        assert!(
            !reports[1].contains("Init Duration"),
            "provisioned: {}",
            reports[1]
        );
        Ok(())
    });
}

#[test]
fn a_version_is_deleted_from_the_console_unless_an_alias_points_to_it() {
    // docs/lambda-behaviour.md §10.9
    browser_test("lab_delete_version", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        e2e::labs::provision_alias(&page, "live", 1).await?;
        // version 1 is what `live` points to: AWS refuses, and the form says why
        page.type_into(".lab-delete-version", "1").await?;
        page.click(".lab-save-delete-version").await?;
        page.wait_for_text(
            ".lab-form-delete-version",
            "Unable to delete version because the following aliases reference it: [live]",
        )
        .await?;
        // a second version, the alias moved to it: version 1 can go, with its environment
        page.type_into(".lab-memory", "256").await?;
        page.click(".lab-save-config").await?;
        page.wait_for_text(".lab-status", "Configuration updated")
            .await?;
        page.click(".lab-publish").await?;
        page.wait_for_text(".lab-status", "Version 2 published")
            .await?;
        page.type_into(".lab-alias-version", "2").await?;
        page.click(".lab-save-alias").await?;
        page.wait_for_text(".lab-status", "Alias live points to version 2")
            .await?;
        page.type_into(".lab-delete-version", "1").await?;
        page.click(".lab-save-delete-version").await?;
        page.wait_for_text(".lab-status", "Version 1 deleted")
            .await?;
        let line = page.text(".lab-versions").await?;
        assert!(
            line.contains("live → 2") && !line.contains("1, 2"),
            "the versions line: {line}"
        );
        // a request for the deleted version is refused, not run
        page.type_into(".lab-qualifier", "1").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "ResourceNotFoundException")
            .await?;
        Ok(())
    });
}

#[test]
fn a_completed_lab_is_still_done_after_a_reload() {
    browser_test("lab_completion_saved", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        e2e::labs::complete_cold_warm_starts(&page).await?;
        let saved = page
            .eval("return Object.keys(localStorage).filter(k => k.endsWith(':lab:cold-warm-starts')).map(k => localStorage.getItem(k));")
            .await?;
        let saved = saved[0].as_str().unwrap_or_default().to_owned();
        assert!(
            saved.contains(r#""version":1"#) && saved.contains(r#""done":true"#),
            "{saved}"
        );
        page.reload().await?;
        page.wait_for_text(".lab-objectives-summary", "All 4 objectives completed")
            .await?;
        page.open("progress.html").await?;
        let row = "tr[data-lab='cold-warm-starts']";
        page.wait_for_text(&format!("{row} .course-status"), "Done")
            .await?;
        let score = page.text(&format!("{row} .course-progress-score")).await?;
        assert_eq!(score, "4 of 4 objectives");
        page.click(".course-reset-all").await?;
        page.click(".course-confirm-yes").await?;
        page.wait_for_text(&format!("{row} .course-status"), "Not started")
            .await?;
        Ok(())
    });
}

#[test]
fn an_infinite_loop_ends_as_a_timeout_and_the_page_stays_responsive() {
    browser_test("lab_infinite_loop", |page: Page| async move {
        page.open("ch02-warm-starts.html").await?;
        page.type_into(".lab-script", "|event, context| { loop { } }")
            .await?;
        page.click(".lab-deploy").await?;
        page.wait_for_text(".lab-status", "Deployed").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-log", "Task timed out after 3.00 seconds")
            .await?;
        page.click(".lab-show-hint").await?;
        page.wait_for(".lab-hint").await?;
        Ok(())
    });
}

#[test]
fn run_advances_the_clock_on_its_own_until_paused() {
    browser_test("lab_run_pause", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.wait_for_text(".lab-now", "Virtual time 0:00.000")
            .await?;
        page.select_value(".lab-speed", "600").await?;
        page.click(".lab-play").await?;
        let pressed = page
            .eval("return document.querySelector('.lab-play').getAttribute('aria-pressed');")
            .await?;
        assert_eq!(pressed.as_str(), Some("true"));
        // 600× advances 150 s of virtual time per 250 ms tick: minutes within a second or two.
        page.wait_until(
            "the clock passed two minutes",
            "parseInt(document.querySelector('.lab-now').textContent.replace('Virtual time ', '')) >= 2",
        )
        .await?;
        page.click(".lab-play").await?;
        // A tick already queued may still land; after it the clock must stand still.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let paused_at = page.text(".lab-now").await?;
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(
            page.text(".lab-now").await?,
            paused_at,
            "paused: the clock stands still"
        );
        assert_eq!(page.text(".lab-play").await?, "Run");
        Ok(())
    });
}

#[test]
fn an_on_failure_destination_receives_the_invocation_record() {
    browser_test("lab_on_failure", |page: Page| async move {
        page.open("ch02-how-lambda-works.html").await?;
        page.select_value(".lab-dlq", "").await?;
        page.select_value(".lab-on-failure", "orders-dlq").await?;
        page.click(".lab-save-async").await?;
        page.wait_for_text(".lab-current", "on-failure orders-dlq")
            .await?;
        page.type_into(".lab-event", r#"{"orderId": "A-9"}"#)
            .await?;
        page.click(".lab-invoke-async").await?;
        page.wait_for_text(".lab-status", "202").await?;
        for _ in 0..3 {
            page.click(".lab-advance-10m").await?;
        }
        page.wait_until(
            "a record in orders-dlq",
            "document.querySelector(\".lab-queue[data-queue='orders-dlq'] .lab-message\") !== null",
        )
        .await?;
        let record = page
            .text(".lab-queue[data-queue='orders-dlq'] .lab-message")
            .await?;
        assert!(
            record.contains("RetriesExhausted") && record.contains("A-9"),
            "an invocation record, not the bare event: {record}"
        );
        Ok(())
    });
}

#[test]
fn attaching_a_vpc_without_eni_permissions_shows_the_aws_error_until_the_role_allows_them() {
    browser_test("lab_vpc", |page: Page| async move {
        page.open("ch03-permissions.html").await?;
        page.type_into(".lab-subnets", "subnet-0a1").await?;
        page.type_into(".lab-security-groups", "sg-0b2").await?;
        page.click(".lab-save-vpc").await?;
        page.wait_for_text(".lab-form-vpc", "CreateNetworkInterface")
            .await?;
        page.type_into(
            ".lab-role-policy",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DeleteNetworkInterface"],"Resource":"*"}]}"#,
        )
        .await?;
        page.click(".lab-save-role").await?;
        page.wait_for_text(".lab-status", "Inline policy added")
            .await?;
        page.click(".lab-save-vpc").await?;
        page.wait_for_text(".lab-status", "Attached to the VPC (subnet-0a1)")
            .await?;
        page.wait_for_text(".lab-vpc-now", "In a VPC: subnets subnet-0a1")
            .await?;
        Ok(())
    });
}

#[test]
fn a_ramped_load_test_sends_the_ramps_share_of_requests() {
    browser_test("lab_load_ramp", |page: Page| async move {
        page.open("ch05-concurrency-and-testing.html").await?;
        page.type_into(".lab-ramp-from", "10").await?;
        page.type_into(".lab-rate", "40").await?;
        page.type_into(".lab-duration", "20").await?;
        page.click(".lab-load").await?;
        let status = page
            .wait_for_text(".lab-status", "Load test finished")
            .await?;
        // 10 rising to 40 per second for 20 s: about 500 requests (a constant 40/s sends 800).
        // "Load test finished: N invocations in 20 s, E errors, T throttles, $…"
        let number_before = |word: &str| -> u64 {
            let words: Vec<&str> = status
                .split([' ', ',', ':'])
                .filter(|w| !w.is_empty())
                .collect();
            words
                .iter()
                .position(|w| *w == word)
                .and_then(|i| words[i - 1].parse().ok())
                .unwrap_or(0)
        };
        let sent = number_before("invocations") + number_before("throttles");
        assert!((450..=550).contains(&sent), "{status}");
        Ok(())
    });
}

#[test]
fn a_trust_policy_without_lambda_blocks_changes_until_restored_and_the_vpc_policy_allows_attaching()
{
    browser_test("lab_trust", |page: Page| async move {
        page.open("ch03-permissions.html").await?;
        page.select_value(".lab-managed", "AWSLambdaVPCAccessExecutionRole")
            .await?;
        page.click(".lab-save-managed").await?;
        page.wait_for_text(".lab-status", "AWSLambdaVPCAccessExecutionRole attached")
            .await?;
        let lambda = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        page.type_into(".lab-trust-policy", &lambda.replace("lambda.", "ec2."))
            .await?;
        page.click(".lab-save-trust").await?;
        page.wait_for_text(".lab-status", "Trust policy of role")
            .await?;
        page.type_into(".lab-subnets", "subnet-0a1").await?;
        page.type_into(".lab-security-groups", "sg-0b2").await?;
        page.click(".lab-save-vpc").await?;
        page.wait_for_text(".lab-form-vpc", "cannot be assumed by Lambda")
            .await?;
        page.type_into(".lab-trust-policy", lambda).await?;
        page.click(".lab-save-trust").await?;
        page.click(".lab-save-vpc").await?;
        page.wait_for_text(".lab-status", "Attached to the VPC")
            .await?;
        Ok(())
    });
}

#[test]
fn a_step_keeps_the_focus_on_its_button_and_the_log_filter_as_typed() {
    browser_test("lab_focus_filter", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.type_into(".lab-log-filter", "REPORT").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "200 OK").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_until(
            "two REPORT lines",
            "document.querySelectorAll('.lab-log-line.is-report').length === 2",
        )
        .await?;
        let focused = page
            .eval("return document.activeElement.className;")
            .await?;
        assert_eq!(focused.as_str(), Some("lab-invoke-sync"), "the focus stays");
        let filter = page
            .eval("return document.querySelector('.lab-log-filter').value;")
            .await?;
        assert_eq!(filter.as_str(), Some("REPORT"));
        let lines = log_lines(&page).await?;
        assert!(
            lines.len() == 2 && lines.iter().all(|l| l.starts_with("REPORT")),
            "{lines:?}"
        );
        Ok(())
    });
}

#[test]
fn a_syntax_error_marks_its_line_and_nothing_is_deployed() {
    browser_test("lab_syntax_error", |page: Page| async move {
        page.open("ch02-warm-starts.html").await?;
        page.type_into(".lab-script", "let x = ;\n|event, context| { 1 }")
            .await?;
        page.click(".lab-deploy").await?;
        let error = page
            .wait_for_text(".lab-code .lab-error", "Line 1, column")
            .await?;
        assert!(error.contains("SyntaxError"), "{error}");
        page.wait_for(".lab-line-no.is-error").await?;
        assert_eq!(page.text(".lab-line-no.is-error").await?, "1");
        let invalid = page
            .eval("return document.querySelector('.lab-script').getAttribute('aria-invalid');")
            .await?;
        assert_eq!(invalid.as_str(), Some("true"));
        assert!(!page.text(".lab-status").await?.contains("Deployed"));
        assert_eq!(page.text(".lab-deploy").await?, "Deploy");
        Ok(())
    });
}

#[test]
fn a_clock_step_inside_the_drawn_window_moves_only_the_now_line() {
    browser_test("lab_timeline_now", |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "200 OK").await?;
        for _ in 0..2 {
            page.click(".lab-advance-1m").await?;
        }
        page.wait_for_text(".lab-now", "Virtual time 2:00").await?;
        let at = |what: &str| {
            format!("(() => {{ const s = document.querySelector('.lab-timeline-svg'); return {what}; }})()")
        };
        let now_line = at("[Number(s.dataset.now), Number(s.querySelector('.lab-now-line').getAttribute('x1')), Number(s.querySelector('.lab-future').getAttribute('x')), Number(s.dataset.end)]");
        let before = page
            .eval(&format!(
                "document.querySelector('.lab-timeline-svg').labMark = 1; return {now_line};"
            ))
            .await?;
        page.click(".lab-advance-1s").await?;
        page.wait_for_text(".lab-now", "Virtual time 2:01").await?;
        let after = page.eval(&format!("return {now_line};")).await?;
        let same = page
            .eval(&format!("return {};", at("s.labMark === 1")))
            .await?;
        assert_eq!(same.as_bool(), Some(true), "the shapes were not redrawn");
        let n = |v: &serde_json::Value, i: usize| v[i].as_f64().unwrap_or(f64::NAN);
        assert_eq!(
            n(&after, 0) - n(&before, 0),
            1_000_000.0,
            "{before} {after}"
        );
        assert!(
            n(&after, 1) > n(&before, 1),
            "the now line moved: {before} {after}"
        );
        assert_eq!(
            n(&after, 1),
            n(&after, 2),
            "the veil starts at the now line"
        );
        assert!(
            n(&after, 0) < n(&after, 3),
            "now is inside the window: {after}"
        );
        // passing the end of the window draws the shapes again, for a longer window
        page.click(".lab-advance-1m").await?;
        page.wait_for_text(".lab-now", "Virtual time 3:01").await?;
        let redrawn = page
            .eval(&format!("return {};", at("s.labMark === undefined")))
            .await?;
        assert_eq!(redrawn.as_bool(), Some(true), "redrawn past the window");
        Ok(())
    });
}

/// Deploys `script` from the code editor, invokes once, lets three minutes pass with **+1 min**,
/// and invokes again (a warm start after an idle gap), as the warm-start lab's brief says.
async fn deploy_and_invoke_after_idle_gap(page: &Page, script: &str) -> Result<()> {
    page.type_into(".lab-script", script).await?;
    page.click(".lab-deploy").await?;
    page.wait_for_text(".lab-status", "Deployed").await?;
    page.click(".lab-invoke-sync").await?;
    page.wait_for_text(".lab-status", "200 OK").await?;
    for _ in 0..3 {
        page.click(".lab-advance-1m").await?;
    }
    page.click(".lab-invoke-sync").await
}

#[test]
fn a_kept_connection_closed_during_an_idle_gap_fails_until_the_handler_checks_it() {
    // docs/lambda-behaviour.md §3.14: the lab's database closes a connection unused for more than
    // 120 s; the learner sees the error, adds a ping and reconnect, and the objective completes
    browser_test("lab_connection_check", |page: Page| async move {
        page.open("ch02-warm-starts.html").await?;
        let objective = "[data-objective='check-connection']";
        deploy_and_invoke_after_idle_gap(
            &page,
            "let db = connect(\"orders-db\");\n|event, context| { db.query(\"select 1\"); log(\"query on connection \" + db.id); #{ statusCode: 200 } }",
        )
        .await?;
        let log = page
            .wait_for_text(".lab-log", "Connection terminated unexpectedly")
            .await?;
        assert!(
            log.contains("orders-db closed this connection after it was idle for more than 120 s"),
            "{log}"
        );
        let status = page
            .wait_for_text(objective, "a warm start after 180 s idle failed (Error)")
            .await?;
        assert!(
            !page.exists(&format!("{objective}.is-done")).await?,
            "{status}"
        );

        deploy_and_invoke_after_idle_gap(
            &page,
            "let db = connect(\"orders-db\");\n|event, context| { if !db.ping() { log(\"reconnecting\"); db = connect(\"orders-db\"); } db.query(\"select 1\"); #{ statusCode: 200 } }",
        )
        .await?;
        page.wait_for(&format!("{objective}.is-done")).await?;
        let lines = log_lines(&page).await?;
        assert!(
            lines.iter().any(|l| l.ends_with("reconnecting")),
            "{lines:?}"
        );
        Ok(())
    });
}

/// The texts of the managed-policy choice's options.
async fn managed_options(page: &Page) -> Result<Vec<String>> {
    page.texts(".lab-managed option").await
}

/// docs/lambda-behaviour.md §6.5, §6.6: the picker offers all five managed policies with what
/// each grants, and attaching the right one (with the keyboard alone) fixes a refused change.
#[test]
fn the_managed_policy_picker_offers_all_five_and_attaching_the_vpc_one_fixes_the_refused_vpc() {
    browser_test("lab_managed_attach", |page: Page| async move {
        page.open("ch03-permissions.html").await?;
        page.wait_for_text(
            ".lab-managed-now",
            "Managed policies of orders-role: AWSLambdaBasicExecutionRole",
        )
        .await?;
        assert_eq!(
            managed_options(&page).await?,
            [
                "AWSLambdaBasicExecutionRole",
                "AWSLambdaVPCAccessExecutionRole",
                "AWSLambdaSQSQueueExecutionRole",
                "AWSLambdaKinesisExecutionRole",
                "AWSLambdaDynamoDBExecutionRole",
            ]
        );
        // The change is refused: the role may not create network interfaces.
        page.type_into(".lab-subnets", "subnet-0a1").await?;
        page.type_into(".lab-security-groups", "sg-0b2").await?;
        page.click(".lab-save-vpc").await?;
        page.wait_for_text(".lab-form-vpc", "CreateNetworkInterface")
            .await?;
        // The first policy the role lacks is offered first, with what it grants.
        page.wait_for_text(".lab-managed-summary", "network-interface actions")
            .await?;
        // With the keyboard: the description follows the choice; Tab, Enter attaches.
        page.eval("document.querySelector('.lab-managed').focus();")
            .await?;
        page.keys("\u{E015}").await?; // ArrowDown
        page.wait_for_text(".lab-managed-summary", "sqs:ReceiveMessage")
            .await?;
        page.keys("\u{E013}").await?; // ArrowUp
        page.wait_for_text(".lab-managed-summary", "network-interface actions")
            .await?;
        page.keys("\u{E004}").await?; // Tab to "Attach policy"
        page.keys("\u{E007}").await?; // Enter
        page.wait_for_text(
            ".lab-status",
            "AWSLambdaVPCAccessExecutionRole attached to role orders-role",
        )
        .await?;
        page.wait_for_text(
            ".lab-managed-now",
            "AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole",
        )
        .await?;
        page.click(".lab-save-vpc").await?;
        page.wait_for_text(".lab-status", "Attached to the VPC (subnet-0a1)")
            .await?;
        page.wait_for_text(".lab-vpc-now", "In a VPC: subnets subnet-0a1")
            .await?;
        assert!(
            !page.exists(".lab-form-vpc .lab-error").await?,
            "the VPC form's error is gone"
        );
        Ok(())
    });
}

/// docs/lambda-behaviour.md §6.5: detaching `AWSLambdaBasicExecutionRole` stops the function's
/// logs (it still runs); with none left Detach says so at the form; attaching it again brings
/// the logs back.
#[test]
fn detaching_the_basic_policy_stops_the_logs_until_it_is_attached_again() {
    browser_test("lab_managed_detach", |page: Page| async move {
        page.open("ch03-permissions.html").await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "X-Amz-Function-Error")
            .await?;
        page.wait_until(
            "one REPORT line",
            "document.querySelectorAll('.lab-log-line.is-report').length === 1",
        )
        .await?;
        let logged = log_lines(&page).await?.len();
        page.select_value(".lab-detach", "AWSLambdaBasicExecutionRole")
            .await?;
        page.click(".lab-detach-managed").await?;
        page.wait_for_text(
            ".lab-status",
            "AWSLambdaBasicExecutionRole detached from role orders-role",
        )
        .await?;
        page.wait_for_text(".lab-managed-now", "Managed policies of orders-role: none")
            .await?;
        let focused = page
            .eval("return document.activeElement.classList.contains('lab-detach-managed');")
            .await?;
        assert_eq!(focused.as_bool(), Some(true), "the focus stays on Detach");
        // Nothing left to detach: said at the form.
        page.click(".lab-detach-managed").await?;
        page.wait_for_text(".lab-form-detach .lab-error", "Nothing to detach")
            .await?;
        // It still runs (a warm start on the timeline), but writes no log line.
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "X-Amz-Function-Error")
            .await?;
        page.wait_until(
            "the second invocation on the timeline",
            "document.querySelector('.lab-timeline-svg').dataset.warm === '1'",
        )
        .await?;
        assert_eq!(log_lines(&page).await?.len(), logged, "no new log lines");
        // Attached again from the picker: the logs come back.
        page.select_value(".lab-managed", "AWSLambdaBasicExecutionRole")
            .await?;
        page.wait_for_text(".lab-managed-summary", "Write logs to CloudWatch Logs")
            .await?;
        page.click(".lab-save-managed").await?;
        page.wait_for_text(".lab-status", "AWSLambdaBasicExecutionRole attached")
            .await?;
        page.click(".lab-invoke-sync").await?;
        page.wait_until(
            "two REPORT lines",
            "document.querySelectorAll('.lab-log-line.is-report').length === 2",
        )
        .await?;
        Ok(())
    });
}
