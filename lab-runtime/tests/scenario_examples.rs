//! The example scenarios of this round's capabilities, run through the `lab-sim` binary as an
//! instructor runs them: synchronous responses, async defaults, long polling, stream records,
//! callers' policies, log order.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn run(name: &str, json: bool) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../content/scenarios")
        .join(name);
    let mut args = vec!["run".to_string(), path.display().to_string()];
    if json {
        args.push("--json".into());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_lab-sim"))
        .args(&args)
        .output()
        .expect("lab-sim runs");
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn report(name: &str) -> Value {
    let v: Value = serde_json::from_str(&run(name, true)).unwrap();
    assert_eq!(v["format_version"], 2);
    v
}

fn logs(v: &Value) -> Vec<String> {
    v["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l[1].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sync_responses_shows_status_function_error_and_payload_in_json_and_text() {
    // docs/lambda-behaviour.md §1.2, §1.11, §1.12, §7.4
    let v = report("sync-responses.toml");
    let resp: Vec<&Value> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["response"])
        .collect();
    assert_eq!(resp[0]["status"], 200);
    assert!(resp[0].get("function_error").is_none());
    let ok: Value = serde_json::from_str(resp[0]["payload"].as_str().unwrap()).unwrap();
    assert_eq!(ok["body"], "order 1");
    assert_eq!(resp[1]["status"], 200);
    assert_eq!(resp[1]["function_error"], "Unhandled");
    let err: Value = serde_json::from_str(resp[1]["payload"].as_str().unwrap()).unwrap();
    assert_eq!(err["errorType"], "OrderNotFound");
    assert_eq!(err["errorMessage"], "no order 2");
    assert_eq!(resp[2]["status"], 200);
    assert_eq!(resp[2]["function_error"], "Unhandled");
    let big: Value = serde_json::from_str(resp[2]["payload"].as_str().unwrap()).unwrap();
    assert_eq!(big["errorType"], "Function.ResponseSizeTooLarge");
    assert_eq!(resp[3]["status"], 404);
    assert!(resp[3]["error"]
        .as_str()
        .unwrap()
        .starts_with("ResourceNotFoundException"));
    assert_eq!(resp[4]["status"], 400);
    assert!(resp[4]["error"]
        .as_str()
        .unwrap()
        .starts_with("InvalidRequestContentException"));
    assert_eq!(resp[5]["status"], 202);
    assert_eq!(resp[6]["status"], 204);
    // every synchronous response the run produced, in `responses`
    assert_eq!(v["responses"].as_array().unwrap().len(), 3);
    let text = run("sync-responses.toml", false);
    assert!(
        text.lines()
            .any(|l| l.contains("<- 200 X-Amz-Function-Error: Unhandled {")
                && l.contains("\"errorMessage\":\"no order 2\"")),
        "{text}"
    );
    assert!(text.contains("<- 200 {\"body\":\"order 1\""), "{text}");
}

#[test]
fn async_partial_settings_default_the_rest_and_dlq_messages_carry_the_attributes() {
    // docs/lambda-behaviour.md §1.7, §1.10
    let v = report("async-partial-settings.toml");
    let attempts = |f: &str| {
        v["records"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["function"] == f)
            .count()
    };
    assert_eq!(
        attempts("billing"),
        3,
        "only the age set: 2 retries by default"
    );
    assert_eq!(attempts("notify"), 1, "retries 0");
    assert_eq!(v["async_outcomes"]["to_dlq"], 2);
    let q = v["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "failed-events")
        .unwrap();
    assert_eq!(q["visible"], 2);
}

#[test]
fn sqs_long_polling_picks_up_the_message_after_idle_at_once_and_caps_concurrency() {
    // docs/lambda-behaviour.md §2.13, §2.6
    let v = report("sqs-long-polling.toml");
    let starts: Vec<u64> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["start_us"].as_u64().unwrap())
        .collect();
    assert_eq!(starts.len(), 12);
    assert!((40_000_000..41_000_000).contains(&starts[1]), "{starts:?}");
    assert_eq!(v["functions"][0]["peak_concurrency"], 2);
    let q = &v["queues"][0];
    assert_eq!(q["deleted"], 12);
}

#[test]
fn stream_records_decode_kinesis_data_read_dynamodb_images_and_report_failures() {
    // docs/lambda-behaviour.md §2.14, §2.15
    let v = report("stream-records.toml");
    let l = logs(&v);
    assert!(
        l.iter()
            .any(|x| x.ends_with("INFO\tclick home (key user-1)")),
        "{l:#?}"
    );
    assert!(
        l.iter()
            .any(|x| x.ends_with("INFO\tINSERT order-1 total 42")),
        "{l:#?}"
    );
    let q = v["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "stream-failures")
        .unwrap();
    assert_eq!(q["visible"], 1);
    let poisoned = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["function"] == "clicks-consumer" && r["outcome"] == "error")
        .count();
    assert_eq!(poisoned, 3, "1 + 2 retries");
}

#[test]
fn caller_policies_allow_and_deny_with_the_message_naming_the_missing_policy() {
    // docs/lambda-behaviour.md §6.10
    let v = report("caller-policies.toml");
    let r: Vec<&str> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["result"].as_str().unwrap())
        .collect();
    assert!(r[0].starts_with("started"), "{r:?}");
    assert!(
        r[1].ends_with("because no identity-based policy allows the lambda:InvokeFunction action"),
        "{r:?}"
    );
    assert!(
        r[2].ends_with("because no resource-based policy allows the lambda:InvokeFunction action"),
        "{r:?}"
    );
    assert_eq!(r[3], "ok");
    assert!(r[4].starts_with("started"), "{r:?}");
}

#[test]
fn quick_invokes_keep_each_invocations_lines_between_its_start_and_report() {
    // docs/lambda-behaviour.md §3.13
    let v = report("log-order.toml");
    let l = logs(&v);
    let mut open = false;
    for x in &l {
        if x.contains(" START RequestId") {
            assert!(!open, "{l:#?}");
            open = true;
        } else if x.contains(" REPORT RequestId") {
            open = false;
        } else if x.contains("\tINFO\t") {
            assert!(open, "line outside its invocation: {x}\n{l:#?}");
        }
    }
    assert_eq!(
        l.iter().filter(|x| x.contains(" START RequestId")).count(),
        3
    );
}

#[test]
fn versions_and_aliases_serves_provisioned_concurrency_only_through_the_alias() {
    // docs/lambda-behaviour.md §10.1–§10.6
    let v = report("versions-and-aliases.toml");
    let records = v["records"].as_array().unwrap();
    let first: Vec<(&str, &str)> = records
        .iter()
        .take(3)
        .map(|r| {
            (
                r["start_type"].as_str().unwrap(),
                r["executed_version"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [("provisioned", "1"), ("cold", "1"), ("cold", "$LATEST")]
    );
    let starts: Vec<String> = logs(&v)
        .into_iter()
        .filter(|l| l.contains("START"))
        .take(3)
        .collect();
    assert!(starts[0].ends_with("Version: 1"), "{starts:?}");
    assert!(starts[2].ends_with("Version: $LATEST"), "{starts:?}");
    let results: Vec<&str> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["result"].as_str().unwrap())
        .collect();
    assert_eq!(results[4], "204 dry run ok", "{results:?}");
    assert!(
        results[5].starts_with("403 AccessDeniedException"),
        "{results:?}"
    );
    // the canary: about 10 % of the 200 requests through `live` ran version 2
    let canary = records
        .iter()
        .filter(|r| r["start_us"].as_u64().unwrap() >= 11_000_000)
        .filter(|r| r["start_us"].as_u64().unwrap() < 30_000_000);
    let (mut v1, mut v2) = (0, 0);
    for r in canary {
        match r["executed_version"].as_str().unwrap() {
            "1" => v1 += 1,
            "2" => v2 += 1,
            other => panic!("{other}"),
        }
    }
    assert_eq!(v1 + v2, 200);
    assert!((8..=35).contains(&v2), "{v2} of 200 to version 2");
    // after the move, the alias runs version 2 in its provisioned environment
    let last = records.last().unwrap();
    assert_eq!(
        (
            last["start_type"].as_str(),
            last["executed_version"].as_str()
        ),
        (Some("provisioned"), Some("2"))
    );
    let text = run("versions-and-aliases.toml", false);
    assert!(text.contains("== executed versions"), "{text}");
    assert!(text.contains("X-Amz-Executed-Version: 1"), "{text}");
}

#[test]
fn destinations_fanout_reaches_the_bus_rule_the_topic_subscribers_and_counts_the_lost_record() {
    // docs/lambda-behaviour.md §1.13–§1.15
    let v = report("destinations-fanout.toml");
    let lines = logs(&v);
    assert!(
        lines.iter().any(|l| l.starts_with("/aws/lambda/ship ")
            && l.ends_with("Lambda Function Invocation Result - Success: shipping A-1")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("/aws/lambda/alert ")
            && l.contains("ALERT from arn:aws:sns:us-east-1:123456789012:order-failures")),
        "{lines:?}"
    );
    let a = &v["async_outcomes"];
    assert_eq!(a["to_on_success"], 1);
    assert_eq!(a["to_on_failure"], 1);
    assert_eq!(a["dropped"]["DestinationDeliveryFailure"], 1);
    assert_eq!(v["topics"][0]["name"], "order-failures");
    assert_eq!(v["topics"][0]["delivered"], 2);
    assert_eq!(v["event_buses"][0]["delivered"], 1);
    let audit = &v["queues"][0];
    assert_eq!(
        (audit["name"].as_str(), audit["visible"].as_u64()),
        (Some("audit"), Some(1))
    );
    let text = run("destinations-fanout.toml", false);
    assert!(text.contains("== topics =="), "{text}");
    assert!(text.contains("== event buses =="), "{text}");
}

#[test]
fn fifo_message_groups_hold_a_failed_group_back_and_let_the_other_go_on() {
    // docs/lambda-behaviour.md §2.17
    let v = report("fifo-message-groups.toml");
    let seen: Vec<String> = logs(&v)
        .into_iter()
        .filter_map(|l| l.split("INFO\t").nth(1).map(str::to_string))
        .collect();
    assert_eq!(
        seen,
        [
            "group a order a-1 receive 1",
            "group b order b-1 receive 1",
            "group b order b-2 receive 1",
            "group a order a-1 receive 2",
            "group a order a-2 receive 1",
        ]
    );
}

#[test]
fn stream_shards_partial_batches_skip_the_old_record_and_retry_from_the_failed_one() {
    // docs/lambda-behaviour.md §2.18–§2.21
    let v = report("stream-shards-partial-batches.toml");
    let seen: Vec<String> = logs(&v)
        .into_iter()
        .filter_map(|l| l.split("INFO\t").nth(1).map(str::to_string))
        .collect();
    assert!(!seen.iter().any(|l| l.ends_with("p-0")), "LATEST: {seen:?}");
    let shard = |s: &str| -> Vec<String> {
        seen.iter()
            .filter(|l| l.starts_with(s))
            .map(|l| l.split(' ').nth(1).unwrap().to_string())
            .collect()
    };
    let (a, b) = (shard("shardId-000000000000"), shard("shardId-000000000001"));
    let (ok, failing) = if a.len() == 3 { (a, b) } else { (b, a) };
    assert_eq!(ok.len(), 3, "{seen:?}");
    // the failing shard: its batch, then twice from the failed record on
    assert_eq!(failing.len(), 7, "{seen:?}");
    assert_eq!(failing[3..5], failing[5..7]);
    assert_eq!(failing[3], "p-3");
    let q = &v["queues"][0];
    assert_eq!(
        (q["name"].as_str(), q["visible"].as_u64()),
        (Some("payment-failures"), Some(1))
    );
}

#[test]
fn mapping_on_alias_runs_the_alias_version_on_its_provisioned_environment() {
    // docs/lambda-behaviour.md §10.8, §7.2
    let v = report("mapping-on-alias.toml");
    let runs: Vec<(&str, &str, &str)> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["trigger"].as_str().unwrap(),
                r["start_type"].as_str().unwrap(),
                r["executed_version"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        runs,
        [("sqs", "provisioned", "1"), ("sqs", "provisioned", "2")]
    );
    let seen: Vec<String> = logs(&v)
        .into_iter()
        .filter_map(|l| l.split("INFO\t").nth(1).map(str::to_string))
        .collect();
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:apply-order:live";
    assert_eq!(
        seen,
        [
            format!("v1 applies order-1 as version 1 via {arn}"),
            format!("v2 applies order-2 as version 2 via {arn}"),
        ]
    );
}

#[test]
fn version_cleanup_deletes_the_old_version_and_refuses_requests_for_it() {
    // docs/lambda-behaviour.md §10.9
    let v = report("version-cleanup.toml");
    let results: Vec<&str> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["result"].as_str().unwrap())
        .collect();
    assert_eq!(results[2], "ok", "{results:?}");
    assert_eq!(
        results[3],
        "404 ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:orders:1"
    );
    let ran: Vec<(&str, &str)> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "success")
        .map(|r| {
            (
                r["executed_version"].as_str().unwrap(),
                r["start_type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(ran, [("1", "provisioned"), ("2", "cold")]);
}

#[test]
fn canary_provisioned_serves_both_versions_of_the_weighted_alias_from_provisioned_environments() {
    // docs/lambda-behaviour.md §10.5
    let v = report("canary-provisioned.toml");
    let records = v["records"].as_array().unwrap();
    let count = |version: &str| {
        records
            .iter()
            .filter(|r| r["executed_version"] == version)
            .filter(|r| r["start_type"] == "provisioned")
            .count()
    };
    let (v1, v2) = (count("1"), count("2"));
    assert_eq!(v1 + v2, records.len(), "every request started provisioned");
    assert!(
        (10..=30).contains(&v2),
        "about 25 of 100 on version 2: {v2}"
    );
    let f = &v["functions"][0];
    assert_eq!(f["cold_starts"], 0);
    assert_eq!(f["provisioned_starts"], 100);
}
