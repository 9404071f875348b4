//! Handler scripts in virtual time (docs/lambda-behaviour.md §3.1, §3.6, §3.5, §7).

mod common;

use common::*;
use lab_runtime::environment::StartType;
use lab_runtime::model::Outcome;
use lab_runtime::{HandlerSpec, InvokeOutcome};

fn script(src: &str) -> HandlerSpec {
    HandlerSpec::Script(src.to_string())
}

fn response(sim: &lab_runtime::Simulation, i: usize) -> serde_json::Value {
    serde_json::from_str(&sim.responses().items()[i].payload).unwrap()
}

#[test]
fn top_level_runs_once_at_init_and_captured_state_survives_warm_starts() {
    // docs/lambda-behaviour.md §3.6: objects created outside the handler are still there
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script("let count = 0;\nlog(\"init\");\n|event, context| { count += 1; #{count: count} }"),
    );
    for _ in 0..3 {
        sync(&mut sim, "f", "{}");
        secs(&mut sim, 1);
    }
    let counts: Vec<i64> = (0..3)
        .map(|i| response(&sim, i)["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, vec![1, 2, 3]);
    assert_eq!(
        lines(&sim)
            .iter()
            .filter(|l| l.ends_with("INFO\tinit"))
            .count(),
        1,
        "Init ran once"
    );
}

#[test]
fn connection_opened_at_init_is_reused_by_warm_starts() {
    // docs/lambda-behaviour.md §3.6: DB connections still there
    let mut sim = world();
    sim.create_database("orders-db", 10);
    create(
        &mut sim,
        "f",
        script(
            "let db = connect(\"orders-db\");\n|event, context| { db.query(\"select 1\"); db.id }",
        ),
    );
    for _ in 0..3 {
        sync(&mut sim, "f", "{}");
        secs(&mut sim, 1);
    }
    let ids: Vec<i64> = (0..3)
        .map(|i| response(&sim, i).as_i64().unwrap())
        .collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
    let db = &sim.view().databases[0];
    assert_eq!((db.opened_total, db.queries, db.open), (1, 3, 1));
    // the cold start paid for the connection (60 ms) on top of runtime start-up
    let r = &sim.records().items();
    assert!(r[0].init_us >= 140_000, "{}", r[0].init_us);
    assert!(r[1].duration_us < 10_000);
}

#[test]
fn database_closes_an_idle_connection_while_the_environment_is_frozen() {
    // docs/lambda-behaviour.md §3.14: a connection kept from Init is closed by the database after
    // its idle timeout; using it fails with a clear error, ping finds it closed, connect reopens
    let mut sim = world();
    sim.create_database_with_idle_timeout("orders-db", 10, 120);
    // reuses the Init connection without checking it
    create(
        &mut sim,
        "reuse",
        script(
            "let db = connect(\"orders-db\");\n|event, context| { db.query(\"select 1\"); db.id }",
        ),
    );
    sync(&mut sim, "reuse", "{}");
    secs(&mut sim, 60);
    sync(&mut sim, "reuse", "{}"); // 60 s idle: still open
    secs(&mut sim, 121);
    sync(&mut sim, "reuse", "{}"); // 121 s idle: closed during the freeze
    secs(&mut sim, 1);
    let r = &sim.responses().items();
    assert!(r[0].function_error.is_none() && r[1].function_error.is_none());
    assert!(r[2].function_error.is_some(), "{}", r[2].payload);
    assert!(
        r[2].payload.contains("Connection terminated unexpectedly: orders-db closed this connection after it was idle for more than 120 s"),
        "{}",
        r[2].payload
    );
    let starts: Vec<_> = sim.records().items().iter().map(|r| r.start_type).collect();
    assert_eq!(
        starts[2],
        Some(StartType::Warm),
        "the environment was still warm"
    );
    assert!(
        lines(&sim)
            .iter()
            .any(|l| l.contains("Connection terminated unexpectedly")),
        "the learner sees the error in the logs: {:?}",
        lines(&sim)
    );
    let db = &sim.view().databases[0];
    assert_eq!((db.open, db.closed_idle), (0, 1), "the slot is free again");

    // checks the connection and reconnects
    create(
        &mut sim,
        "check",
        script(
            "let db = connect(\"orders-db\");\n|event, context| {\n  if !db.ping() { log(\"reconnecting\"); db = connect(\"orders-db\"); }\n  db.query(\"select 1\");\n  db.id\n}",
        ),
    );
    sync(&mut sim, "check", "{}");
    secs(&mut sim, 1);
    sync(&mut sim, "check", "{}");
    secs(&mut sim, 300);
    sync(&mut sim, "check", "{}");
    secs(&mut sim, 1);
    sync(&mut sim, "check", "{}");
    secs(&mut sim, 1);
    let r: Vec<_> = sim.responses().items().iter().skip(3).collect();
    assert_eq!(r.len(), 4);
    assert!(r.iter().all(|r| r.function_error.is_none()), "{r:?}");
    let ids: Vec<i64> = (3..7)
        .map(|i| response(&sim, i).as_i64().unwrap())
        .collect();
    assert_eq!(ids[0], ids[1], "reused while open");
    assert_ne!(ids[1], ids[2], "a new connection after the idle gap");
    assert_eq!(ids[2], ids[3], "and the new one is reused");
    assert_eq!(
        lines(&sim)
            .iter()
            .filter(|l| l.ends_with("reconnecting"))
            .count(),
        1
    );
    let db = &sim.view().databases[0];
    assert_eq!(
        (db.open, db.closed_idle),
        (1, 2),
        "one connection open, no leak"
    );
    let view = sim.view();
    let check = view.functions.iter().find(|f| f.config.name == "check");
    let held: u32 = check
        .unwrap()
        .environments
        .iter()
        .map(|e| e.open_connections)
        .sum();
    assert_eq!(held, 1, "the closed connection holds no file descriptor");
}

#[test]
fn a_database_without_idle_timeout_keeps_connections_open() {
    // docs/lambda-behaviour.md §3.14: 0 (the default) never closes
    let mut sim = world();
    sim.create_database("orders-db", 10);
    create(
        &mut sim,
        "f",
        script("let db = connect(\"orders-db\");\n|event, context| { db.query(\"select 1\"); db.ping() }"),
    );
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 590);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(response(&sim, 1), serde_json::json!(true));
    assert_eq!(sim.view().databases[0].closed_idle, 0);
}

#[test]
fn database_connection_limit_fails_a_load_before_lambda_does() {
    // issue 4 "Downstream backend capacity": the backend fails first
    let mut sim = world();
    sim.create_database("small-db", 2);
    create(
        &mut sim,
        "f",
        script("let db = connect(\"small-db\");\n|event, context| { sleep(500); 1 }"),
    );
    for _ in 0..4 {
        sync(&mut sim, "f", "{}");
    }
    secs(&mut sim, 2);
    let failed: Vec<_> = sim
        .responses()
        .items()
        .iter()
        .filter(|r| r.function_error.is_some())
        .collect();
    assert_eq!(failed.len(), 2);
    assert!(failed[0].payload.contains("too many clients"));
    assert_eq!(sim.view().databases[0].refused, 2);
}

#[test]
fn sleep_and_compute_charge_virtual_time_and_compute_scales_with_memory() {
    // docs/lambda-behaviour.md §5.2: proportional to memory, 1,769 MB = one vCPU
    let mut sim = world();
    let mut small = function(
        "small",
        script("|event, context| { compute(100); sleep(50); 0 }"),
    );
    small.memory_mb = 1769;
    small.timeout_s = 10;
    sim.create_function(small).unwrap();
    let mut tiny = function("tiny", script("|event, context| { compute(100); 0 }"));
    tiny.memory_mb = 128;
    tiny.timeout_s = 10;
    sim.create_function(tiny).unwrap();
    sync(&mut sim, "small", "{}");
    sync(&mut sim, "tiny", "{}");
    secs(&mut sim, 5);
    let r = &sim.records().items();
    let small_d = r
        .iter()
        .find(|x| &*x.function == "small")
        .unwrap()
        .duration_us;
    let tiny_d = r
        .iter()
        .find(|x| &*x.function == "tiny")
        .unwrap()
        .duration_us;
    assert!((150_000..152_000).contains(&small_d), "{small_d}");
    // 128 MB is 0.072 vCPU: 100 ms of CPU work takes about 1.38 s
    assert!((1_380_000..1_390_000).contains(&tiny_d), "{tiny_d}");
}

#[test]
fn runaway_loop_becomes_task_timed_out_not_a_hang() {
    // docs/lambda-behaviour.md §3.11: Task timed out after X.XX seconds
    let mut sim = world();
    create(&mut sim, "f", script("|event, context| { loop { } }"));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 5);
    let r = &sim.records().items()[0];
    assert_eq!(r.outcome, Outcome::Timeout);
    assert_eq!(r.duration_us, 3_000_000);
    assert!(lines(&sim)
        .iter()
        .any(|l| l.ends_with("Task timed out after 3.00 seconds")));
    assert_eq!(response(&sim, 0)["errorType"], "Sandbox.Timedout");
}

#[test]
fn thrown_error_object_keeps_error_type_and_message() {
    // docs/lambda-behaviour.md §7.3
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script(
            "|event, context| { throw #{errorType: \"OrderError\", errorMessage: \"bad order\"}; }",
        ),
    );
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    let v = response(&sim, 0);
    assert_eq!(
        (v["errorType"].as_str(), v["errorMessage"].as_str()),
        (Some("OrderError"), Some("bad order"))
    );
    assert_eq!(
        sim.responses().items()[0].function_error.as_deref(),
        Some("Unhandled")
    );
}

#[test]
fn syntax_error_fails_init_with_line_and_column() {
    // docs/lambda-behaviour.md §7.5 (Runtime.*), §3.11 INIT_REPORT
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script("let x = 1;\nlet y = ;\n|event, context| { x }"),
    );
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    let v = response(&sim, 0);
    assert_eq!(v["errorType"], "Runtime.UserCodeSyntaxError");
    assert!(
        v["errorMessage"]
            .as_str()
            .unwrap()
            .contains("(line 2, column"),
        "{v}"
    );
    assert!(lines(&sim).iter().any(|l| l.starts_with("INIT_REPORT")
        && l.contains("Status: error Error Type: Runtime.UserCodeSyntaxError")));
    assert_eq!(sim.records().items()[0].outcome, Outcome::InitError);
}

#[test]
fn unknown_function_is_reported_with_its_position() {
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script("|event, context| {\n  let a = 1;\n  nope(a)\n}"),
    );
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    let v = response(&sim, 0);
    assert_eq!(v["errorType"], "ReferenceError");
    assert!(
        v["errorMessage"].as_str().unwrap().contains("line 3"),
        "{v}"
    );
}

#[test]
fn context_exposes_request_id_function_name_memory_and_remaining_time() {
    // docs/lambda-behaviour.md §7.2
    let mut sim = world();
    create(
        &mut sim,
        "ctx-fn",
        script("|event, context| { sleep(1000); #{id: context.aws_request_id, name: context.function_name, mem: context.memory_limit_in_mb, left: context.get_remaining_time_in_millis(), group: context.log_group_name, v: context.function_version} }"),
    );
    let InvokeOutcome::Started { request_id } = sync(&mut sim, "ctx-fn", "{}") else {
        panic!()
    };
    secs(&mut sim, 3);
    let v = response(&sim, 0);
    assert_eq!(v["id"], request_id.to_string());
    assert_eq!(v["name"], "ctx-fn");
    assert_eq!(v["mem"], 128);
    assert_eq!(v["group"], "/aws/lambda/ctx-fn");
    assert_eq!(v["v"], "$LATEST");
    let left = v["left"].as_i64().unwrap();
    assert!((1990..=2000).contains(&left), "{left}");
}

#[test]
fn event_fields_reach_the_handler() {
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script("|event, context| { event.a + event.b.len() }"),
    );
    sync(&mut sim, "f", r#"{"a": 40, "b": [1, 2]}"#);
    secs(&mut sim, 1);
    assert_eq!(response(&sim, 0), 42);
}

#[test]
fn downstream_call_without_permission_is_access_denied_with_aws_text() {
    // docs/lambda-behaviour.md §6.7
    let mut sim = lab_runtime::Simulation::new(Default::default(), 1);
    sim.create_role(
        "orders-role",
        lab_runtime::iam::LAMBDA_TRUST,
        &[],
        &["AWSLambdaBasicExecutionRole".into()],
    )
    .unwrap();
    sim.create_table("orders", 0, 0);
    sim.create_function(lab_runtime::FunctionConfig::new(
        "orders-fn",
        "orders-role",
        script("|event, context| { dynamodb_put(\"orders\", #{pk: \"1\"}); }"),
    ))
    .unwrap();
    sync(&mut sim, "orders-fn", "{}");
    secs(&mut sim, 1);
    let v = response(&sim, 0);
    assert_eq!(v["errorType"], "AccessDeniedException");
    assert_eq!(v["errorMessage"], "User: arn:aws:sts::123456789012:assumed-role/orders-role/orders-fn is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders because no identity-based policy allows the dynamodb:PutItem action");
}

#[test]
fn table_over_capacity_throws_provisioned_throughput_exceeded() {
    let mut sim = world();
    sim.create_table("orders", 0, 2);
    create(
        &mut sim,
        "f",
        script("|event, context| { dynamodb_put(\"orders\", #{pk: event.id}); \"ok\" }"),
    );
    for i in 0..3 {
        sync(&mut sim, "f", &format!(r#"{{"id":"{i}"}}"#));
    }
    secs(&mut sim, 1);
    let errs: Vec<serde_json::Value> = sim
        .responses()
        .items()
        .iter()
        .filter(|r| r.function_error.is_some())
        .map(|r| serde_json::from_str(&r.payload).unwrap())
        .collect();
    assert_eq!(errs.len(), 1);
    assert_eq!(
        errs[0]["errorType"],
        "ProvisionedThroughputExceededException"
    );
    assert_eq!(
        errs[0]["errorMessage"],
        lab_runtime::services::THROUGHPUT_EXCEEDED
    );
    assert_eq!(sim.table_item("orders", "0").unwrap()["pk"], "0");
}

#[test]
fn s3_sqs_and_tmp_work_and_tmp_survives_warm_starts() {
    // docs/lambda-behaviour.md §3.6: /tmp still there
    let mut sim = world();
    sim.create_bucket("b");
    sim.create_queue("out", 30, None).unwrap();
    create(
        &mut sim,
        "f",
        script("|event, context| { let seen = tmp_read(\"/tmp/x\"); tmp_write(\"/tmp/x\", \"cached\"); s3_put(\"b\", \"k\", \"v\"); sqs_send(\"out\", s3_get(\"b\", \"k\")); seen }"),
    );
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(response(&sim, 0), serde_json::Value::Null);
    assert_eq!(response(&sim, 1), "cached");
    assert_eq!(sim.queue_messages("out").len(), 2);
}

#[test]
fn tmp_write_beyond_the_ephemeral_storage_size_fails() {
    // docs/lambda-behaviour.md §3.10: /tmp 512 MB default
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script(
            "|event, context| { let s = \"x\"; s.pad(600000, 'x'); tmp_write(\"/tmp/a\", s); 1 }",
        ),
    );
    sim.update_function_code("f", script("|event, context| { let s = \"\"; s.pad(900000, 'x'); for i in 0..600 { tmp_write(\"/tmp/\" + i, s); } 1 }")).unwrap();
    let mut c = sim.view().functions[0].config.clone();
    c.timeout_s = 900;
    sim.update_function_configuration(c).unwrap();
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 100);
    let v = response(&sim, 0);
    assert_eq!(v["errorMessage"], "ENOSPC: no space left on device, write");
}

#[test]
fn tmp_survives_a_crash_reset_but_the_handler_state_does_not() {
    // docs/lambda-behaviour.md §3.8: Init runs again, /tmp not cleared
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script("let n = 0;\n|event, context| { n += 1; let t = tmp_read(\"/tmp/f\"); tmp_write(\"/tmp/f\", \"kept\"); if event.crash { exit(1); } #{n: n, t: t} }"),
    );
    sync(&mut sim, "f", r#"{"crash": false}"#);
    secs(&mut sim, 1);
    sync(&mut sim, "f", r#"{"crash": true}"#);
    secs(&mut sim, 1);
    sync(&mut sim, "f", r#"{"crash": false}"#);
    secs(&mut sim, 1);
    assert_eq!(response(&sim, 1)["errorType"], "Runtime.ExitError");
    let v = response(&sim, 2);
    assert_eq!(v["n"], 1, "Init ran again: counter restarted");
    assert_eq!(v["t"], "kept", "/tmp kept");
    let st: Vec<_> = sim
        .records()
        .items()
        .iter()
        .map(|r| r.start_type.unwrap())
        .collect();
    assert_eq!(st, vec![StartType::Cold, StartType::Warm, StartType::Cold]);
}

#[test]
fn background_work_is_frozen_when_the_handler_returns_and_resumes_on_thaw() {
    // docs/lambda-behaviour.md §3.5
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script("|event, context| { if event.start { background(200, \"flush\"); } sleep(50); 1 }"),
    );
    sync(&mut sim, "f", r#"{"start": true}"#);
    secs(&mut sim, 60);
    sync(&mut sim, "f", r#"{"start": false}"#);
    sync(&mut sim, "f", r#"{"start": false}"#);
    secs(&mut sim, 60);
    let l = lines(&sim);
    let frozen = l
        .iter()
        .position(|x| {
            x.contains("flush frozen with 149 ms left")
                || x.contains("flush frozen with 150 ms left")
        })
        .expect("frozen");
    let resumed = l
        .iter()
        .position(|x| x.contains("flush resumed after thaw"))
        .expect("resumed");
    assert!(frozen < resumed);
}

#[test]
fn provisioned_script_environments_run_init_ahead_of_time() {
    // docs/lambda-behaviour.md §4.5: provisioned environments are initialised ahead of time
    let mut sim = world();
    create(
        &mut sim,
        "f",
        script("let c = 0;\n|event, context| { c += 1; c }"),
    );
    sim.publish_version("f", None).unwrap();
    sim.put_provisioned_concurrency("f", Some("live"), 1)
        .unwrap_err();
    sim.put_provisioned_concurrency("f", Some("1"), 1).unwrap();
    secs(&mut sim, 1);
    sync(&mut sim, "f:1", "{}");
    secs(&mut sim, 1);
    let r = &sim.records().items()[0];
    assert_eq!(r.start_type, Some(StartType::Provisioned));
    assert_eq!(r.init_us, 0);
    assert_eq!(response(&sim, 0), 1);
}

/// A 512 KiB string and an array holding it 100,000 times (50 GB as text).
const SHARED_BIG: &str =
    "let s = \"x\"; for i in 0..19 { s += s; } let a = []; for i in 0..100000 { a.push(s); }";

fn long_running(sim: &mut lab_runtime::Simulation, src: &str) {
    create(sim, "f", script(src));
    let mut c = sim.view().functions[0].config.clone();
    c.timeout_s = 900;
    sim.update_function_configuration(c).unwrap();
}

#[test]
fn a_response_sharing_one_large_string_is_too_large_without_being_built() {
    // docs/lambda-behaviour.md §1.11: 6 MB response; the JSON stops one byte past it
    let mut sim = world();
    long_running(&mut sim, &format!("|event, context| {{ {SHARED_BIG} a }}"));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 900);
    let v = response(&sim, 0);
    assert_eq!(v["errorType"], "Function.ResponseSizeTooLarge", "{v}");
}

#[test]
fn printing_or_throwing_a_huge_value_is_a_clear_script_error() {
    let mut sim = world();
    long_running(
        &mut sim,
        &format!("|event, context| {{ {SHARED_BIG} if event.log == true {{ log(a) }} else if event.print == true {{ print(a) }} else {{ throw a }} }}"),
    );
    for p in [r#"{"log":true}"#, r#"{"print":true}"#, r#"{}"#] {
        sync(&mut sim, "f", p);
        secs(&mut sim, 900);
    }
    let msgs: Vec<String> = (0..3)
        .map(|i| {
            response(&sim, i)["errorMessage"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(msgs[0].starts_with("logged text too large"), "{}", msgs[0]);
    assert!(msgs[1].starts_with("printed text too large"), "{}", msgs[1]);
    // a thrown value is its message, cut at 64 KiB
    assert!(
        msgs[2].len() <= 64 * 1024 + 3 && msgs[2].ends_with('…'),
        "{}",
        msgs[2].len()
    );
}

#[test]
fn log_output_of_one_call_is_capped_with_a_note() {
    let mut sim = world();
    long_running(
        &mut sim,
        "|event, context| { let s = \"\"; s.pad(100000, 'y'); for i in 0..50 { print(s); } 1 }",
    );
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 900);
    assert_eq!(response(&sim, 0), 1);
    let l = lines(&sim);
    let kept = l.iter().filter(|x| x.contains("yyyy")).count();
    assert_eq!(kept, 10, "1 MiB of 100 KB lines");
    assert!(
        l.iter()
            .any(|x| x.contains("this call logged more than 1 MiB")),
        "{l:?}"
    );
}

#[test]
fn tmp_holds_one_shared_string_once_and_caps_distinct_bytes() {
    // 600 files of one 900 KB string: 540 MB simulated (past 512 MB: ENOSPC, as before), held once
    let mut sim = world();
    long_running(
        &mut sim,
        "|event, context| { let s = \"\"; s.pad(900000, 'x'); if event.distinct == true { for i in 0..30 { tmp_write(\"/tmp/\" + i, s + i); } } else { for i in 0..500 { tmp_write(\"/tmp/\" + i, s); } } tmp_read(\"/tmp/3\").len() }",
    );
    let mut c = sim.view().functions[0].config.clone();
    c.ephemeral_storage_mb = 10240;
    sim.update_function_configuration(c).unwrap();
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 900);
    assert_eq!(response(&sim, 0), 900000);
    sync(&mut sim, "f", r#"{"distinct":true}"#);
    secs(&mut sim, 900);
    let v = response(&sim, 1);
    assert!(
        v["errorMessage"].as_str().unwrap().starts_with(
            "the simulator holds at most 16 MiB in 1000 files of /tmp per environment"
        ),
        "{v}"
    );
}

#[test]
fn sqs_bodies_and_dynamodb_items_keep_aws_size_limits() {
    let mut sim = world();
    sim.create_queue("out", 30, None).unwrap();
    sim.create_table("t", 0, 0);
    long_running(
        &mut sim,
        "|event, context| { let s = \"\"; s.pad(600000, 'x'); if event.sqs == true { sqs_send(\"out\", #{b: s, c: s}) } else { dynamodb_put(\"t\", #{pk: \"1\", a: s, b: s}) } }",
    );
    sync(&mut sim, "f", r#"{"sqs":true}"#);
    secs(&mut sim, 900);
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 900);
    assert_eq!(response(&sim, 0)["errorType"], "InvalidParameterValue");
    assert_eq!(
        response(&sim, 1)["errorType"],
        "ValidationException",
        "{}",
        response(&sim, 1)
    );
    assert!(sim.queue_messages("out").is_empty());
}
