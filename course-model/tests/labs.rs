//! Lab files: every shipped lab validates, its reference solution completes every objective, doing
//! nothing completes none, objectives report progress, and bad files get exact diagnostics.
#![cfg(feature = "labs")]

use std::path::PathBuf;
use std::sync::Arc;

use course_model::lab::{parse_lab_file, Lab, LabSession, Step};

fn labs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content/labs")
}

fn shipped() -> Vec<(String, String)> {
    let mut v: Vec<_> = std::fs::read_dir(labs_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

fn load(name: &str, source: &str) -> Lab {
    let parsed = parse_lab_file(name, source);
    let text: Vec<String> = parsed.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(text.is_empty(), "{name}: {}", text.join("\n"));
    parsed.lab.unwrap()
}

#[test]
fn the_six_planned_labs_are_shipped() {
    let names: Vec<String> = shipped().into_iter().map(|(n, _)| n).collect();
    for id in [
        "cold-warm-starts",
        "warm-start-practices",
        "errors-and-retries",
        "permission-denials",
        "memory-cost",
        "load-test-peak",
    ] {
        assert!(
            names.contains(&format!("{id}.toml")),
            "{id} missing: {names:?}"
        );
    }
}

#[test]
fn every_shipped_lab_file_validates_without_diagnostics() {
    for (name, source) in shipped() {
        let lab = load(&name, &source);
        assert_eq!(format!("{}.toml", lab.id), name);
    }
}

#[test]
fn each_reference_solution_completes_every_objective() {
    for (name, source) in shipped() {
        let lab = Arc::new(load(&name, &source));
        let mut s = LabSession::new(lab.clone()).unwrap();
        let mut log = Vec::new();
        for step in &lab.solution {
            let r = s.apply(step);
            log.push(format!("{step:?} -> {}", r.message));
            s.evaluate();
        }
        let status = s.evaluate();
        let missing: Vec<_> = status.iter().filter(|o| !o.done).collect();
        assert!(
            missing.is_empty(),
            "{name}: not completed {missing:#?}\nsteps:\n{}",
            log.join("\n")
        );
        assert!(s.all_done());
    }
}

#[test]
fn doing_nothing_completes_no_objective() {
    for (name, source) in shipped() {
        let lab = Arc::new(load(&name, &source));
        let mut s = LabSession::new(lab).unwrap();
        s.apply(&Step::Advance { seconds: 3600.0 });
        let done: Vec<_> = s.evaluate().into_iter().filter(|o| o.done).collect();
        assert!(
            done.is_empty(),
            "{name}: completed without acting: {done:?}"
        );
    }
}

#[test]
fn objectives_report_progress_as_steps_happen() {
    let (name, source) = shipped()
        .into_iter()
        .find(|(n, _)| n == "cold-warm-starts.toml")
        .unwrap();
    let lab = Arc::new(load(&name, &source));
    let mut s = LabSession::new(lab.clone()).unwrap();
    let cold_warm = |s: &mut LabSession| {
        s.evaluate()
            .into_iter()
            .find(|o| o.id == "cold-then-warm")
            .unwrap()
    };
    assert_eq!(cold_warm(&mut s).progress, (0, 2));
    s.apply(&lab.solution[0]);
    let one = cold_warm(&mut s);
    assert_eq!((one.done, one.progress), (false, (1, 2)));
    s.apply(&lab.solution[1]);
    let two = cold_warm(&mut s);
    assert_eq!((two.done, two.progress), (true, (2, 2)), "{}", two.detail);
    let burst = s.evaluate().into_iter().find(|o| o.id == "burst").unwrap();
    assert_eq!(burst.progress, (1, 5), "{}", burst.detail);
}

#[test]
fn a_lab_survives_the_trip_through_json_to_the_browser() {
    // the preprocessor writes with serde; the lab console reads with the same derives
    for (name, source) in shipped() {
        let lab = load(&name, &source);
        let json = serde_json::to_string(&lab).unwrap();
        let back: Lab = serde_json::from_str(&json).unwrap();
        assert_eq!(back, lab, "{name}");
    }
}

#[test]
fn markdown_fields_are_mapped_by_map_markdown() {
    let (name, source) = shipped().into_iter().next().unwrap();
    let mut lab = load(&name, &source);
    lab.map_markdown(|s| format!("<p>{}</p>", s.len()));
    assert!(lab.brief.starts_with("<p>"));
    assert!(lab.objectives.iter().all(|o| o.text.starts_with("<p>")));
    assert!(lab.hints.iter().all(|h| h.starts_with("<p>")));
}

fn lab(id: &str) -> Arc<Lab> {
    let (name, source) = shipped()
        .into_iter()
        .find(|(n, _)| *n == format!("{id}.toml"))
        .unwrap();
    Arc::new(load(&name, &source))
}

fn done(s: &mut LabSession, id: &str) -> bool {
    s.evaluate().into_iter().find(|o| o.id == id).unwrap().done
}

#[test]
fn meeting_the_target_with_more_memory_than_needed_is_not_the_cheapest() {
    let mut s = LabSession::new(lab("memory-cost")).unwrap();
    s.apply(&Step::Configure {
        function: "resize-image".into(),
        memory_mb: Some(3008),
        timeout_s: None,
        ephemeral_storage_mb: None,
    });
    for _ in 0..3 {
        s.apply(&s.lab.solution[0].clone());
    }
    assert!(done(&mut s, "meets-target"));
    assert!(!done(&mut s, "cheapest"));
}

#[test]
fn an_out_of_range_memory_comes_back_with_the_aws_validation_error() {
    let mut s = LabSession::new(lab("memory-cost")).unwrap();
    let r = s.apply(&Step::Configure {
        function: "resize-image".into(),
        memory_mb: Some(64),
        timeout_s: None,
        ephemeral_storage_mb: None,
    });
    let e = r.error.expect("refused");
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("at 'memorySize'"), "{}", e.message);
}

#[test]
fn a_load_test_run_in_small_chunks_measures_the_same_as_one_run() {
    let step = Step::LoadTest {
        function: "checkout".into(),
        rate_per_s: 50.0,
        duration_s: 20.0,
        payload: "{}".into(),
        ramp_from_per_s: None,
    };
    let mut whole = LabSession::new(lab("load-test-peak")).unwrap();
    whole.apply(&step);
    let mut chunked = LabSession::new(lab("load-test-peak")).unwrap();
    let mut run = chunked.start_load(&step).unwrap();
    let mut chunks = 0;
    while !run.step(&mut chunked, 50).done {
        chunks += 1;
    }
    run.finish(&mut chunked, false);
    assert!(chunks > 10, "{chunks} chunks");
    assert_eq!(whole.trace.loads, chunked.trace.loads);
}

#[test]
fn a_cancelled_load_test_does_not_complete_a_load_test_objective() {
    let mut s = LabSession::new(lab("load-test-peak")).unwrap();
    let mut run = s.start_load(&s.lab.solution[0].clone()).unwrap();
    for _ in 0..20 {
        run.step(&mut s, 100);
    }
    let r = run.finish(&mut s, true);
    assert!(r.cancelled && r.duration_s < 60.0);
    assert!(!done(&mut s, "peak-breaks"));
}

/// docs/lambda-behaviour.md §6.6: attaching needs the ENI permissions in the execution role.
#[test]
fn attaching_a_vpc_needs_the_eni_permissions_in_the_execution_role() {
    let mut s = LabSession::new(lab("permission-denials")).unwrap();
    let attach = Step::SetVpc {
        function: "orders-fn".into(),
        subnet_ids: vec!["subnet-0a1".into()],
        security_group_ids: vec!["sg-0b2".into()],
    };
    let denied = s.apply(&attach);
    let e = denied.error.expect("no ENI permissions yet");
    assert_eq!(e.code, "InvalidParameterValueException");
    assert!(
        e.message.contains("CreateNetworkInterface"),
        "{}",
        e.message
    );
    assert!(s.function("orders-fn").unwrap().config.vpc.is_none());
    let eni = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DeleteNetworkInterface"],"Resource":"*"}]}"#;
    assert!(s
        .apply(&Step::PutRolePolicy {
            function: "orders-fn".into(),
            policy: eni.into(),
        })
        .error
        .is_none());
    let attached = s.apply(&attach);
    assert!(attached.error.is_none(), "{:?}", attached.error);
    assert!(attached.message.contains("Attached to the VPC"));
    let vpc = s.function("orders-fn").unwrap().config.vpc.unwrap();
    assert_eq!(vpc.subnet_ids, ["subnet-0a1"]);
    let detached = s.apply(&Step::SetVpc {
        function: "orders-fn".into(),
        subnet_ids: vec![],
        security_group_ids: vec![],
    });
    assert!(detached.message.contains("Detached"));
    assert!(s.function("orders-fn").unwrap().config.vpc.is_none());
}

#[test]
fn a_ramped_load_test_sends_fewer_requests_than_a_constant_one_and_counts_as_its_lower_rate() {
    let constant = Step::LoadTest {
        function: "checkout".into(),
        rate_per_s: 40.0,
        duration_s: 20.0,
        payload: "{}".into(),
        ramp_from_per_s: None,
    };
    let ramp = Step::LoadTest {
        function: "checkout".into(),
        rate_per_s: 40.0,
        duration_s: 20.0,
        payload: "{}".into(),
        ramp_from_per_s: Some(10.0),
    };
    let sent = |step: &Step| {
        let mut s = LabSession::new(lab("load-test-peak")).unwrap();
        let r = s.apply(step);
        assert!(r.error.is_none(), "{:?}", r.error);
        let f = s.function("checkout").unwrap();
        (
            f.stats.invocations + f.stats.throttles,
            s.trace.loads[0].rate_per_s,
        )
    };
    let (constant_n, constant_rate) = sent(&constant);
    let (ramp_n, ramp_rate) = sent(&ramp);
    assert!((790..=810).contains(&constant_n), "{constant_n}");
    // 10 rising to 40 per second over 20 s: about (10 + 40) / 2 × 20 = 500 requests.
    assert!((480..=520).contains(&ramp_n), "{ramp_n}");
    assert_eq!((constant_rate, ramp_rate), (40.0, 10.0));
}

/// docs/lambda-behaviour.md §6.4 and §6.5, through the lab's steps.
#[test]
fn a_role_that_no_longer_trusts_lambda_blocks_changes_and_the_vpc_policy_allows_attaching() {
    let mut s = LabSession::new(lab("permission-denials")).unwrap();
    let attach = Step::SetVpc {
        function: "orders-fn".into(),
        subnet_ids: vec!["subnet-0a1".into()],
        security_group_ids: vec!["sg-0b2".into()],
    };
    let managed = s.apply(&Step::AttachManagedPolicy {
        function: "orders-fn".into(),
        policy: "AWSLambdaVPCAccessExecutionRole".into(),
    });
    assert!(managed.error.is_none(), "{:?}", managed.error);
    let lambda = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let trust = |s: &mut LabSession, p: &str| {
        s.apply(&Step::PutTrustPolicy {
            function: "orders-fn".into(),
            policy: p.into(),
        })
    };
    assert!(trust(&mut s, &lambda.replace("lambda.", "ec2."))
        .error
        .is_none());
    let e = s
        .apply(&attach)
        .error
        .expect("Lambda cannot assume the role");
    assert_eq!(
        e.message,
        "The role defined for the function cannot be assumed by Lambda."
    );
    assert!(trust(&mut s, lambda).error.is_none());
    let ok = s.apply(&attach);
    assert!(ok.error.is_none(), "{:?}", ok.error);
}

fn session_of(id: &str) -> LabSession {
    let (name, source) = shipped()
        .into_iter()
        .find(|(n, _)| n == &format!("{id}.toml"))
        .unwrap();
    LabSession::new(Arc::new(load(&name, &source))).unwrap()
}

#[test]
fn to_next_event_moves_the_clock_on_every_press_until_nothing_is_scheduled() {
    let mut s = session_of("errors-and-retries");
    let function = s.lab.function.clone();
    s.apply(&Step::Invoke {
        function,
        kind: course_model::lab::InvokeKind::Async,
        payload: "{}".into(),
        principal: None,
        source_arn: None,
        source_account: None,
        qualifier: None,
    });
    let mut times = vec![s.sim.now()];
    for _ in 0..50 {
        let r = s.apply(&Step::AdvanceToNextEvent);
        if r.message == "Nothing is scheduled" {
            break;
        }
        assert!(
            s.sim.now() > *times.last().unwrap(),
            "a press that did not move the clock: {times:?} then {}",
            s.sim.now()
        );
        times.push(s.sim.now());
    }
    assert!(times.len() >= 3, "{times:?}");
}

#[test]
fn a_burst_runs_in_slices_and_ends_as_in_one_go() {
    let burst = |s: &mut LabSession| Step::Burst {
        function: s.lab.function.clone(),
        count: 20,
        payload: "{}".into(),
    };
    let mut whole = session_of("cold-warm-starts");
    let step = burst(&mut whole);
    let one_go = whole.apply(&step);
    let mut sliced = session_of("cold-warm-starts");
    let course_model::lab::Begun::Pending(mut p) = sliced.begin(&step) else {
        panic!("a burst runs events");
    };
    let mut slices = 1;
    let result = loop {
        // stop after every event
        if let Some(r) = sliced.resume(&mut p, &|| true) {
            break r;
        }
        slices += 1;
    };
    assert_eq!(result, one_go);
    assert!(slices > 20, "{slices}");
    assert_eq!(sliced.sim.now(), whole.sim.now());
    assert_eq!(
        sliced.sim.completed_invocations(),
        whole.sim.completed_invocations()
    );
}

#[test]
fn provisioned_concurrency_goes_on_an_alias_and_serves_only_requests_through_it() {
    // docs/lambda-behaviour.md §10.4, §10.5: the console's steps on the cold-warm lab
    let mut s = session_of("cold-warm-starts");
    let function = s.lab.function.clone();
    let invoke = |qualifier: Option<&str>| Step::Invoke {
        function: function.clone(),
        kind: course_model::lab::InvokeKind::Sync,
        payload: "{}".into(),
        principal: None,
        source_arn: None,
        source_account: None,
        qualifier: qualifier.map(str::to_owned),
    };
    let provision = |qualifier: Option<&str>| Step::SetProvisioned {
        function: function.clone(),
        amount: 1,
        qualifier: qualifier.map(str::to_owned),
    };
    let r = s.apply(&provision(None));
    assert_eq!(
        r.error.map(|e| e.code).as_deref(),
        Some("ValidationException")
    );
    let r = s.apply(&provision(Some("$LATEST")));
    assert_eq!(
        r.error.map(|e| e.code).as_deref(),
        Some("InvalidParameterValueException")
    );
    let r = s.apply(&Step::PublishVersion {
        function: function.clone(),
        description: None,
    });
    assert_eq!(r.message, "Version 1 published");
    let alias = |weights: &[(&str, f64)]| Step::SetAlias {
        function: function.clone(),
        alias: "live".into(),
        function_version: "1".into(),
        additional_version_weights: weights.iter().map(|(v, w)| (v.to_string(), *w)).collect(),
    };
    assert_eq!(
        s.apply(&alias(&[])).message,
        "Alias live points to version 1"
    );
    // pointing it again updates it (an unpublished second version is refused as AWS does)
    let r = s.apply(&alias(&[("2", 0.5)]));
    assert_eq!(
        r.error.map(|e| e.code).as_deref(),
        Some("ResourceNotFoundException")
    );
    assert_eq!(
        s.apply(&alias(&[])).message,
        "Alias live points to version 1"
    );
    let r = s.apply(&provision(Some("live")));
    assert!(r.error.is_none(), "{}", r.message);
    s.apply(&Step::Advance { seconds: 5.0 });
    s.apply(&invoke(None));
    s.apply(&invoke(Some("1")));
    assert!(
        !done(&mut s, "provisioned"),
        "neither $LATEST nor version 1 uses the alias's"
    );
    s.apply(&invoke(Some("live")));
    assert!(done(&mut s, "provisioned"));
}

#[test]
fn reusing_the_init_connection_without_a_check_fails_after_an_idle_gap() {
    // docs/lambda-behaviour.md §3.14: the lab's `check-connection` objective fails for a handler
    // that reuses the Init connection without checking it, and passes once it pings and reconnects
    let (name, source) = shipped()
        .into_iter()
        .find(|(n, _)| n == "warm-start-practices.toml")
        .unwrap();
    let lab = Arc::new(load(&name, &source));
    let last_deploy = lab
        .solution
        .iter()
        .rposition(|s| matches!(s, Step::Deploy { .. }))
        .unwrap();
    let objective = |with_check: bool| {
        let mut s = LabSession::new(lab.clone()).unwrap();
        for (i, step) in lab.solution.iter().enumerate() {
            if i != last_deploy || with_check {
                s.apply(step);
                s.evaluate();
            }
        }
        s.evaluate()
            .into_iter()
            .find(|o| o.id == "check-connection")
            .unwrap()
    };
    let without = objective(false);
    assert!(!without.done, "{without:?}");
    assert_eq!(
        without.detail, "a warm start after 180 s idle failed (Error): read its log",
        "the learner is told why"
    );
    let with = objective(true);
    assert!(with.done, "{with:?}");
    assert_eq!(with.detail, "a warm start after 180 s idle succeeded");
}

/// docs/lambda-behaviour.md §6.5: `detach_managed_policy` in a lab file, and through the session
/// (the role then writes no logs; detaching it again is AWS's `NoSuchEntity`).
#[test]
fn a_solution_can_detach_a_managed_policy_and_detaching_one_not_attached_is_refused() {
    let source = std::fs::read_to_string(labs_dir().join("permission-denials.toml")).unwrap();
    let source = format!(
        "{source}\n[[solution]]\ndo = \"detach_managed_policy\"\npolicy = \"AWSLambdaBasicExecutionRole\"\n"
    );
    let lab = load("permission-denials.toml", &source);
    let detach = Step::DetachManagedPolicy {
        function: "orders-fn".into(),
        policy: "AWSLambdaBasicExecutionRole".into(),
    };
    assert_eq!(lab.solution.last(), Some(&detach));
    let mut s = LabSession::new(Arc::new(lab)).unwrap();
    let ok = s.apply(&detach);
    assert!(ok.error.is_none(), "{:?}", ok.error);
    assert_eq!(
        ok.message,
        "AWSLambdaBasicExecutionRole detached from role orders-role"
    );
    assert_eq!(
        s.sim.role_managed_policies("orders-role").unwrap(),
        [] as [String; 0]
    );
    let again = s.apply(&detach).error.expect("no longer attached");
    assert_eq!(again.code, "NoSuchEntityException");
    assert_eq!(
        again.message,
        "Policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole was not found."
    );
}
