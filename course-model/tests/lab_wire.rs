//! The browser reads a lab's JSON with `lab_from_json`, by hand (serde's readers cost the lab page
//! 67 KB gzip). These tests prove it reads back exactly what serde writes: every action,
//! check, traffic pattern, handler, distribution and setting, with every optional field set and
//! unset. The `match`es below are exhaustive, so a new variant does not compile until it is here.
#![cfg(feature = "labs")]

use course_model::lab::{
    lab_from_json, AccountConfig, Action, Check, CountEvent, Lab, LoadTestCheck, Objective,
    Performance, Step, CONTROLS,
};
use lab_runtime::config::{Architecture, AsyncConfig, Extensions, SimSettings, VpcConfig};
use lab_runtime::esm_sqs::SqsMappingConfig;
use lab_runtime::esm_stream::StreamMappingConfig;
use lab_runtime::handler::{Dist, HandlerSpec, Profile};
use lab_runtime::model::{InvocationType, InvokeRequest, Trigger};
use lab_runtime::sqs::Redrive;
use lab_runtime::traffic::{Pattern, TrafficSpec};
use lab_runtime::FunctionConfig;

fn s(text: &str) -> String {
    text.to_owned()
}

fn settings() -> SimSettings {
    SimSettings {
        keep_alive_us: 11,
        recycle_after_us: 12,
        init_limit_us: 13,
        provisioned_init_limit_us: 14,
        log_window: 15,
        record_window: 16,
        metrics_bucket_us: 17,
        metrics_max_buckets: 18,
        client_retries: 19,
        async_dispatch_delay_us: 20,
        script_op_cost_ns: 21,
        throttle_retry_after_s: 22,
    }
}

fn profile() -> Profile {
    Profile {
        init_ms: Dist::Uniform([1.5, 2.25]),
        duration_ms: Dist::Normal([30.0, 0.1]),
        error_rate: 0.125,
        error_type: s("Boom"),
        error_message: s("it \"broke\"\n"),
        max_memory_used_mb: 77,
    }
}

fn function(name: &str, handler: HandlerSpec, full: bool) -> FunctionConfig {
    FunctionConfig {
        name: s(name),
        memory_mb: 1769,
        timeout_s: 900,
        ephemeral_storage_mb: 10_240,
        reserved_concurrency: full.then_some(0),
        provisioned_concurrency: 3,
        role: s("role-é"),
        architecture: if full {
            Architecture::Arm64
        } else {
            Architecture::X86_64
        },
        vpc: full.then(|| VpcConfig {
            subnet_ids: vec![s("subnet-1"), s("subnet-2")],
            security_group_ids: vec![s("sg-1")],
        }),
        async_config: AsyncConfig {
            maximum_retry_attempts: 1,
            maximum_event_age_s: 60,
            on_success: full.then(|| s("ok")),
            on_failure: full.then(|| s("bad")),
            dead_letter_queue: full.then(|| s("dlq")),
        },
        handler,
        extensions: if full {
            Extensions::External
        } else {
            Extensions::Internal
        },
    }
}

fn traffic(pattern: Pattern, invocation_type: InvocationType, full: bool) -> Action {
    Action::StartTraffic(TrafficSpec {
        function: s("f"),
        invocation_type,
        payload: s("{\"n\":1}"),
        principal: full.then(|| s("arn:aws:iam::111122223333:user/eve")),
        pattern,
        max_requests: full.then_some(9_007_199_254_740_992),
    })
}

/// Every action, with optional fields set and unset.
fn actions() -> Vec<Action> {
    vec![
        Action::Invoke(InvokeRequest::new(
            "f",
            InvocationType::RequestResponse,
            "{}",
        )),
        Action::Invoke(InvokeRequest {
            function: s("f"),
            invocation_type: InvocationType::DryRun,
            payload: "[1,2]".into(),
            principal: Some(s("s3.amazonaws.com")),
            source_arn: Some(s("arn:aws:s3:::b")),
            source_account: Some(s("123456789012")),
        }),
        Action::CreateRole {
            name: s("r"),
            trust_policy: s("{\"Version\":\"2012-10-17\"}"),
            policies: vec![s("{}"), s("{\"a\":1}")],
            managed: vec![s("AWSLambdaBasicExecutionRole")],
        },
        Action::PutRolePolicy {
            role: s("r"),
            policy: s("{}"),
        },
        Action::UpdateAssumeRolePolicy {
            role: s("r"),
            policy: s("{}"),
        },
        Action::AttachRolePolicy {
            role: s("r"),
            managed: s("AWSLambdaVPCAccessExecutionRole"),
        },
        Action::CreateFunction(Box::new(function(
            "a",
            HandlerSpec::Profile(profile()),
            true,
        ))),
        Action::CreateFunction(Box::new(function(
            "b",
            HandlerSpec::Script(s("let n = 0;\n|e, c| `n=${n}`")),
            false,
        ))),
        Action::UpdateFunctionConfiguration(Box::new(function("a", HandlerSpec::default(), false))),
        Action::UpdateFunctionCode {
            function: s("a"),
            handler: HandlerSpec::Profile(Profile {
                init_ms: Dist::Fixed(0.5),
                duration_ms: Dist::Exponential(12.75),
                ..profile()
            }),
        },
        Action::PutFunctionConcurrency {
            function: s("a"),
            reserved: Some(7),
        },
        Action::PutFunctionConcurrency {
            function: s("a"),
            reserved: None,
        },
        Action::PutProvisionedConcurrency {
            function: s("a"),
            amount: 2,
        },
        Action::PutEventInvokeConfig {
            function: s("a"),
            config: AsyncConfig::default(),
        },
        Action::PutFunctionPolicy {
            function: s("a"),
            policy: Some(s("{}")),
        },
        Action::PutFunctionPolicy {
            function: s("a"),
            policy: None,
        },
        Action::AddPermission {
            function: s("a"),
            sid: s("s3"),
            principal: s("s3.amazonaws.com"),
            source_arn: Some(s("arn:aws:s3:::b")),
            source_account: None,
        },
        Action::CreateQueue {
            name: s("q"),
            visibility_timeout_s: 30,
            redrive: Some(Redrive {
                dead_letter_queue: s("dlq"),
                max_receive_count: 3,
            }),
        },
        Action::CreateQueue {
            name: s("dlq"),
            visibility_timeout_s: 0,
            redrive: None,
        },
        Action::SendMessages {
            queue: s("q"),
            body: s("hi"),
            count: 1_000_000,
        },
        Action::CreateTable {
            name: s("t"),
            read_per_s: 5,
            write_per_s: 0,
        },
        Action::CreateBucket { name: s("b") },
        Action::CreateDatabase {
            name: s("db"),
            max_connections: 100,
        },
        Action::CreateSqsMapping(SqsMappingConfig {
            queue: s("q"),
            function: s("a"),
            batch_size: 100,
            batching_window_s: 5,
            report_batch_item_failures: true,
            maximum_concurrency: Some(2),
        }),
        Action::CreateSqsMapping(SqsMappingConfig::default()),
        Action::CreateStreamMapping(StreamMappingConfig {
            stream: s("st"),
            function: s("a"),
            batch_size: 10,
            maximum_retry_attempts: 2,
            maximum_record_age_s: 604_800,
            bisect_batch_on_function_error: true,
            on_failure: Some(s("dlq")),
            parallelization_factor: 10,
        }),
        Action::CreateStreamMapping(StreamMappingConfig::default()),
        Action::PutRecords {
            stream: s("st"),
            records: vec![s("r1"), s("r2")],
            partition_keys: vec![s("k1")],
        },
        traffic(Pattern::Once, InvocationType::Event, true),
        traffic(
            Pattern::Burst { count: 50 },
            InvocationType::RequestResponse,
            false,
        ),
        traffic(
            Pattern::Constant {
                rate_per_s: 500.0,
                duration_s: 60.5,
            },
            InvocationType::RequestResponse,
            false,
        ),
        traffic(
            Pattern::Ramp {
                from_per_s: 0.1,
                to_per_s: 1e6,
                duration_s: 3.0,
            },
            InvocationType::Event,
            false,
        ),
        traffic(
            Pattern::Poisson {
                rate_per_s: 1.0 / 3.0,
                duration_s: 10.0,
            },
            InvocationType::DryRun,
            false,
        ),
        traffic(
            Pattern::SqsBacklog {
                queue: s("q"),
                count: 10,
            },
            InvocationType::RequestResponse,
            false,
        ),
        Action::UpdateSettings(Box::new(settings())),
        Action::StopTraffic { id: 4 },
    ]
}

/// Every check, with optional fields set and unset.
fn checks() -> Vec<Check> {
    let f = || s("a");
    vec![
        Check::ColdThenWarm { function: f() },
        Check::ColdAfterIdle {
            function: f(),
            min_idle_s: 600,
        },
        Check::ConcurrentColdStarts {
            function: f(),
            at_least: 3,
        },
        Check::Count(CountEvent {
            function: f(),
            metric: s("errors"),
            at_least: 2,
            error_type: Some(s("Sandbox.Timedout")),
            trigger: Some(Trigger::Async),
            since_change: true,
        }),
        Check::Count(CountEvent {
            function: f(),
            metric: s("throttles"),
            at_least: 1,
            error_type: None,
            trigger: None,
            since_change: false,
        }),
        Check::Rejected {
            function: f(),
            error: s("AccessDeniedException"),
        },
        Check::Dlq {
            function: f(),
            queue: s("dlq"),
            attempts: 3,
        },
        Check::QueueMessages {
            queue: s("q"),
            at_least: 1,
        },
        Check::Performance(Performance {
            function: f(),
            min_invocations: 20,
            warm_only: true,
            max_p99_ms: Some(200.0),
            max_avg_ms: Some(0.001),
            max_cost_per_invocation_usd: Some(0.000_002_1),
            no_errors: true,
        }),
        Check::Performance(Performance {
            function: f(),
            min_invocations: 1,
            warm_only: false,
            max_p99_ms: None,
            max_avg_ms: None,
            max_cost_per_invocation_usd: None,
            no_errors: false,
        }),
        Check::LoadTest(LoadTestCheck {
            function: f(),
            min_rate_per_s: 500.0,
            min_duration_s: 60.0,
            max_errors: Some(0),
            min_errors: Some(1),
            max_throttles: Some(0),
            max_cost_usd: Some(0.05),
        }),
        Check::LoadTest(LoadTestCheck {
            function: f(),
            min_rate_per_s: 1.0,
            min_duration_s: 1.0,
            max_errors: None,
            min_errors: None,
            max_throttles: None,
            max_cost_usd: None,
        }),
    ]
}

fn full_lab() -> Lab {
    Lab {
        id: s("every-part"),
        title: s("Every \"part\" <of> a lab"),
        brief: s("<p>Line one\nline two \u{2014} \u{1F600}</p>"),
        function: s("a"),
        controls: CONTROLS.iter().map(|(_, c)| *c).collect(),
        seed: 1 << 53,
        account: AccountConfig {
            id: s("111122223333"),
            region: s("eu-west-3"),
            concurrency_limit: 10,
            settings: settings(),
        },
        setup: actions(),
        queues: vec![s("q"), s("dlq")],
        objectives: checks()
            .into_iter()
            .enumerate()
            .map(|(i, check)| Objective {
                id: format!("o{i}"),
                text: format!("<em>objective</em> {i}"),
                check,
            })
            .collect(),
        hints: vec![s("one"), s("two")],
        solution: vec![Step::AdvanceToNextEvent],
    }
}

/// What the browser must read back: the lab without its reference solution.
fn browser_view(lab: &Lab) -> Lab {
    Lab {
        solution: Vec::new(),
        ..lab.clone()
    }
}

#[test]
fn every_part_of_a_lab_reads_back_exactly_as_serde_wrote_it() {
    let lab = full_lab();
    let json = serde_json::to_string(&lab).unwrap();
    assert_eq!(lab_from_json(&json).unwrap(), browser_view(&lab));
    let pretty = serde_json::to_string_pretty(&lab).unwrap();
    assert_eq!(lab_from_json(&pretty).unwrap(), browser_view(&lab));
}

#[test]
fn the_fixture_covers_every_variant() {
    fn action(a: &Action) -> usize {
        match a {
            Action::Invoke(_) => 0,
            Action::CreateRole { .. } => 1,
            Action::PutRolePolicy { .. } => 2,
            Action::UpdateAssumeRolePolicy { .. } => 3,
            Action::AttachRolePolicy { .. } => 4,
            Action::CreateFunction(_) => 5,
            Action::UpdateFunctionConfiguration(_) => 6,
            Action::UpdateFunctionCode { .. } => 7,
            Action::PutFunctionConcurrency { .. } => 8,
            Action::PutProvisionedConcurrency { .. } => 9,
            Action::PutEventInvokeConfig { .. } => 10,
            Action::PutFunctionPolicy { .. } => 11,
            Action::AddPermission { .. } => 12,
            Action::CreateQueue { .. } => 13,
            Action::SendMessages { .. } => 14,
            Action::CreateTable { .. } => 15,
            Action::CreateBucket { .. } => 16,
            Action::CreateDatabase { .. } => 17,
            Action::CreateSqsMapping(_) => 18,
            Action::CreateStreamMapping(_) => 19,
            Action::PutRecords { .. } => 20,
            Action::StartTraffic(_) => 21,
            Action::UpdateSettings(_) => 22,
            Action::StopTraffic { .. } => 23,
        }
    }
    fn pattern(p: &Pattern) -> usize {
        match p {
            Pattern::Once => 0,
            Pattern::Burst { .. } => 1,
            Pattern::Constant { .. } => 2,
            Pattern::Ramp { .. } => 3,
            Pattern::Poisson { .. } => 4,
            Pattern::SqsBacklog { .. } => 5,
        }
    }
    fn dist(d: &Dist) -> usize {
        match d {
            Dist::Fixed(_) => 0,
            Dist::Uniform(_) => 1,
            Dist::Normal(_) => 2,
            Dist::Exponential(_) => 3,
        }
    }
    fn check(c: &Check) -> usize {
        match c {
            Check::ColdThenWarm { .. } => 0,
            Check::ColdAfterIdle { .. } => 1,
            Check::ConcurrentColdStarts { .. } => 2,
            Check::Count(_) => 3,
            Check::Rejected { .. } => 4,
            Check::Dlq { .. } => 5,
            Check::QueueMessages { .. } => 6,
            Check::Performance(_) => 7,
            Check::LoadTest(_) => 8,
        }
    }
    fn all(seen: impl Iterator<Item = usize>, n: usize, what: &str) {
        let mut seen: Vec<usize> = seen.collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen, (0..n).collect::<Vec<_>>(), "{what}");
    }
    let lab = full_lab();
    all(lab.setup.iter().map(action), 24, "actions");
    all(lab.objectives.iter().map(|o| check(&o.check)), 9, "checks");
    let specs = || {
        lab.setup.iter().filter_map(|a| match a {
            Action::StartTraffic(t) => Some(t),
            _ => None,
        })
    };
    all(specs().map(|t| pattern(&t.pattern)), 6, "patterns");
    let invocation = |t: InvocationType| match t {
        InvocationType::RequestResponse => 0,
        InvocationType::Event => 1,
        InvocationType::DryRun => 2,
    };
    all(
        specs().map(|t| invocation(t.invocation_type)),
        3,
        "invocation types",
    );
    let handlers: Vec<&HandlerSpec> = lab
        .setup
        .iter()
        .filter_map(|a| match a {
            Action::CreateFunction(f) | Action::UpdateFunctionConfiguration(f) => Some(&f.handler),
            Action::UpdateFunctionCode { handler, .. } => Some(handler),
            _ => None,
        })
        .collect();
    let profiles = || {
        handlers.iter().filter_map(|h| match h {
            HandlerSpec::Profile(p) => Some(p),
            HandlerSpec::Script(_) => None,
        })
    };
    assert!(handlers.iter().any(|h| matches!(h, HandlerSpec::Script(_))));
    all(
        profiles().flat_map(|p| [dist(&p.init_ms), dist(&p.duration_ms)]),
        4,
        "distributions",
    );
    let functions = || {
        lab.setup.iter().filter_map(|a| match a {
            Action::CreateFunction(f) | Action::UpdateFunctionConfiguration(f) => Some(f),
            _ => None,
        })
    };
    let arch = |a: Architecture| match a {
        Architecture::X86_64 => 0,
        Architecture::Arm64 => 1,
    };
    all(
        functions().map(|f| arch(f.architecture)),
        2,
        "architectures",
    );
}

#[test]
fn every_trigger_and_extension_reads_back() {
    for t in [
        Trigger::Sync,
        Trigger::Async,
        Trigger::Sqs,
        Trigger::Stream,
        Trigger::DryRun,
    ] {
        let mut lab = full_lab();
        for o in &mut lab.objectives {
            if let Check::Count(c) = &mut o.check {
                c.trigger = Some(t);
            }
        }
        let json = serde_json::to_string(&lab).unwrap();
        assert_eq!(lab_from_json(&json).unwrap(), browser_view(&lab), "{t:?}");
    }
    for e in [Extensions::None, Extensions::Internal, Extensions::External] {
        let mut lab = full_lab();
        for a in &mut lab.setup {
            if let Action::CreateFunction(f) = a {
                f.extensions = e;
            }
        }
        let json = serde_json::to_string(&lab).unwrap();
        assert_eq!(lab_from_json(&json).unwrap(), browser_view(&lab), "{e:?}");
    }
}

#[test]
fn broken_lab_data_names_the_field_that_is_wrong() {
    let json = serde_json::to_string(&full_lab()).unwrap();
    let err = |from: &str, to: &str| {
        assert!(json.contains(from), "{from}");
        lab_from_json(&json.replacen(from, to, 1)).unwrap_err()
    };
    assert_eq!(
        err("\"memory_mb\":1769", "\"memory_mb\":-1"),
        "`setup`: item 6: `memory_mb`: expected a whole number from 0 to 4294967295"
    );
    assert_eq!(
        err("\"check\":\"dlq\"", "\"check\":\"dql\""),
        "`objectives`: item 6: unknown check `dql`"
    );
    assert_eq!(
        err("\"region\":\"eu-west-3\",", ""),
        "`account`: `region`: missing"
    );
    assert_eq!(err("{\"id\"", "[\"id\""), "expected `,` or `]` at byte 5");
    assert_eq!(lab_from_json("[]").unwrap_err(), "expected an object");
}
