//! Versions and aliases: publishing, qualifiers, routing weights, provisioned concurrency,
//! qualified permissions and asynchronous settings per qualifier (docs/lambda-behaviour.md §10).

mod common;

use common::*;
use lab_runtime::clock::SEC;
use lab_runtime::config::AsyncConfig;
use lab_runtime::environment::StartType;
use lab_runtime::model::{FunctionVersion, InvocationType, InvokeRequest};
use lab_runtime::state::shutdown::ShutdownReason;
use lab_runtime::state::versions::RoutingConfig;
use lab_runtime::{InvokeOutcome, Simulation};

fn last(sim: &Simulation) -> &lab_runtime::model::InvocationRecord {
    sim.records().items().back().expect("a record")
}

fn rejected(o: InvokeOutcome) -> lab_runtime::ApiError {
    match o {
        InvokeOutcome::Rejected(e) => e,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn weights(v: &str, w: f64) -> RoutingConfig {
    RoutingConfig {
        additional_version_weights: [(v.to_string(), w)].into_iter().collect(),
    }
}

/// `f` with version 1 (100 ms) and version 2 (200 ms); `$LATEST` is version 2's code.
fn two_versions() -> Simulation {
    let mut sim = world();
    create(&mut sim, "f", profile(50.0, 100.0, 0.0));
    assert_eq!(sim.publish_version("f", None).unwrap(), FunctionVersion(1));
    sim.update_function_code("f", profile(50.0, 200.0, 0.0))
        .unwrap();
    assert_eq!(sim.publish_version("f", None).unwrap(), FunctionVersion(2));
    sim
}

#[test]
fn a_published_version_is_a_snapshot_numbered_from_1() {
    // docs/lambda-behaviour.md §10.1: an immutable snapshot of code and configuration
    let mut sim = two_versions();
    let mut c = sim.function_config("f").unwrap().clone();
    c.memory_mb = 1024;
    sim.update_function_configuration(c).unwrap();
    for (q, want_ms, want_mem) in [("f:1", 100, 128), ("f:2", 200, 128), ("f", 200, 1024)] {
        sync(&mut sim, q, "{}");
        sim.advance_by(2 * SEC);
        let r = last(&sim);
        assert_eq!(r.duration_us, want_ms * 1000, "{q}");
        let report = lines(&sim)
            .into_iter()
            .rev()
            .find(|l| l.starts_with("REPORT"))
            .unwrap();
        assert!(
            report.contains(&format!("Memory Size: {want_mem} MB")),
            "{q}: {report}"
        );
    }
    let v: Vec<_> = sim
        .records()
        .items()
        .iter()
        .map(|r| r.executed_version.to_string())
        .collect();
    assert_eq!(v, ["1", "2", "$LATEST"]);
}

#[test]
fn publishing_unchanged_code_and_configuration_returns_the_last_version() {
    // docs/lambda-behaviour.md §10.1: no new version when nothing changed
    let mut sim = world();
    create(&mut sim, "f", profile(50.0, 100.0, 0.0));
    assert_eq!(sim.publish_version("f", None).unwrap(), FunctionVersion(1));
    assert_eq!(sim.publish_version("f", None).unwrap(), FunctionVersion(1));
    // reserved concurrency and asynchronous settings are not part of a version
    sim.put_function_concurrency("f", Some(5)).unwrap();
    sim.put_event_invoke_config(
        "f",
        AsyncConfig {
            maximum_retry_attempts: 0,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(sim.publish_version("f", None).unwrap(), FunctionVersion(1));
    let mut c = sim.function_config("f").unwrap().clone();
    c.timeout_s = 10;
    sim.update_function_configuration(c).unwrap();
    assert_eq!(sim.publish_version("f", None).unwrap(), FunctionVersion(2));
    assert_eq!(sim.view().functions[0].versions.len(), 2);
}

#[test]
fn a_request_for_version_2_never_runs_in_a_version_1_environment() {
    // docs/lambda-behaviour.md §10.2: environments belong to a version
    let mut sim = two_versions();
    sync(&mut sim, "f:1", "{}");
    sim.advance_by(SEC);
    let env1 = last(&sim).env;
    sync(&mut sim, "f:2", "{}");
    sim.advance_by(SEC);
    let r = last(&sim);
    assert_eq!(r.start_type, Some(StartType::Cold));
    assert_ne!(r.env, env1);
    sync(&mut sim, "f", "{}");
    sim.advance_by(SEC);
    assert_eq!(last(&sim).start_type, Some(StartType::Cold), "$LATEST too");
    sync(&mut sim, "f:1", "{}");
    sim.advance_by(SEC);
    let r = last(&sim);
    assert_eq!((r.start_type, r.env), (Some(StartType::Warm), env1));
}

#[test]
fn deploying_to_latest_keeps_the_environments_of_published_versions() {
    // docs/lambda-behaviour.md §10.1: a published version does not change
    let mut sim = two_versions();
    sync(&mut sim, "f:1", "{}");
    sync(&mut sim, "f", "{}");
    sim.advance_by(SEC);
    sim.update_function_code("f", profile(50.0, 300.0, 0.0))
        .unwrap();
    assert_eq!(
        sim.shutdowns()
            .items()
            .iter()
            .filter(|s| s.reason == ShutdownReason::NewVersion)
            .count(),
        1,
        "only the $LATEST environment is replaced"
    );
    sync(&mut sim, "f:1", "{}");
    sim.advance_by(SEC);
    assert_eq!(last(&sim).start_type, Some(StartType::Warm));
}

#[test]
fn every_way_of_naming_a_qualifier_invokes_the_same_version() {
    // docs/lambda-behaviour.md §10.3: Qualifier, name:qualifier, qualified (partial) ARNs
    let mut sim = two_versions();
    let mut req = InvokeRequest::new("f", InvocationType::RequestResponse, "{}");
    req.qualifier = Some("1".into());
    for r in [
        req.clone(),
        InvokeRequest::new("f:1", InvocationType::RequestResponse, "{}"),
        InvokeRequest::new(
            "arn:aws:lambda:us-east-1:123456789012:function:f:1",
            InvocationType::RequestResponse,
            "{}",
        ),
        InvokeRequest::new(
            "123456789012:function:f:1",
            InvocationType::RequestResponse,
            "{}",
        ),
    ] {
        assert!(matches!(sim.invoke(&r), InvokeOutcome::Started { .. }));
        sim.advance_by(SEC);
        assert_eq!(last(&sim).executed_version, FunctionVersion(1), "{r:?}");
    }
    // $LATEST is the default, and can be named
    sync(&mut sim, "f:$LATEST", "{}");
    sim.advance_by(SEC);
    assert_eq!(last(&sim).executed_version, FunctionVersion::LATEST);
    let resp = sim.responses().items().back().unwrap();
    assert_eq!(resp.executed_version, FunctionVersion::LATEST);
    // a qualifier in the name and a different Qualifier
    let mut bad = InvokeRequest::new("f:1", InvocationType::RequestResponse, "{}");
    bad.qualifier = Some("2".into());
    let e = rejected(sim.invoke(&bad));
    assert_eq!(e.code, "InvalidParameterValueException");
    assert!(e.message.contains("does not match"), "{}", e.message);
    // versions and aliases that do not exist
    let e = rejected(sync(&mut sim, "f:9", "{}"));
    assert_eq!(
        (e.code.as_str(), e.status, e.message.as_str()),
        (
            "ResourceNotFoundException",
            404,
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f:9"
        )
    );
    let e = rejected(sync(&mut sim, "f:nope", "{}"));
    assert_eq!(e.code, "ResourceNotFoundException");
}

#[test]
fn the_start_line_names_the_version_that_ran() {
    // docs/lambda-behaviour.md §10.3, §3.11
    let mut sim = two_versions();
    sim.create_alias("f", "live", "2", None).unwrap();
    sync(&mut sim, "f:live", "{}");
    sim.advance_by(SEC);
    sync(&mut sim, "f", "{}");
    sim.advance_by(SEC);
    let starts: Vec<String> = lines(&sim)
        .into_iter()
        .filter(|l| l.starts_with("START"))
        .map(|l| l.split(" Version: ").nth(1).unwrap().to_string())
        .collect();
    assert_eq!(starts, ["2", "$LATEST"]);
}

#[test]
fn an_alias_runs_the_version_it_points_to_until_it_is_moved() {
    // docs/lambda-behaviour.md §10.2: CreateAlias, UpdateAlias, DeleteAlias
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", None).unwrap();
    sync(&mut sim, "f:live", "{}");
    sim.advance_by(SEC);
    assert_eq!(last(&sim).executed_version, FunctionVersion(1));
    sim.update_alias("f", "live", "2", None).unwrap();
    sync(&mut sim, "f:live", "{}");
    sim.advance_by(SEC);
    assert_eq!(last(&sim).executed_version, FunctionVersion(2));
    let view = &sim.view().functions[0].aliases;
    assert_eq!(
        (view[0].name.as_str(), view[0].function_version),
        ("live", FunctionVersion(2))
    );
    sim.delete_alias("f", "live").unwrap();
    assert_eq!(
        rejected(sync(&mut sim, "f:live", "{}")).code,
        "ResourceNotFoundException"
    );
}

#[test]
fn a_weighted_alias_sends_its_weight_of_requests_to_the_additional_version() {
    // docs/lambda-behaviour.md §10.2: RoutingConfig AdditionalVersionWeights
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", Some(&weights("2", 0.2)))
        .unwrap();
    let mut to_2 = 0;
    for _ in 0..1000 {
        sync(&mut sim, "f:live", "{}");
        sim.advance_by(SEC);
        if last(&sim).executed_version == FunctionVersion(2) {
            to_2 += 1;
        }
    }
    assert!(
        (150..=250).contains(&to_2),
        "{to_2} of 1000 went to version 2"
    );
    // weight 0: every request to the primary version
    sim.update_alias("f", "live", "1", Some(&weights("2", 0.0)))
        .unwrap();
    for _ in 0..50 {
        sync(&mut sim, "f:live", "{}");
        sim.advance_by(SEC);
        assert_eq!(last(&sim).executed_version, FunctionVersion(1));
    }
}

#[test]
fn aliases_follow_aws_rules_for_names_and_routing() {
    // docs/lambda-behaviour.md §10.2
    let mut sim = two_versions();
    let code = |r: Result<(), lab_runtime::ApiError>| r.unwrap_err().code;
    assert_eq!(
        code(sim.create_alias("f", "12", "1", None)),
        "ValidationException"
    );
    assert_eq!(
        code(sim.create_alias("f", "live", "7", None)),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(sim.create_alias("f", "live", "$LATEST", Some(&weights("1", 0.5)))),
        "InvalidParameterValueException"
    );
    assert_eq!(
        code(sim.create_alias("f", "live", "1", Some(&weights("1", 0.5)))),
        "InvalidParameterValueException"
    );
    assert_eq!(
        code(sim.create_alias("f", "live", "1", Some(&weights("2", 1.5)))),
        "ValidationException"
    );
    let two = RoutingConfig {
        additional_version_weights: [("2".to_string(), 0.1), ("3".to_string(), 0.1)]
            .into_iter()
            .collect(),
    };
    assert_eq!(
        code(sim.create_alias("f", "live", "1", Some(&two))),
        "InvalidParameterValueException"
    );
    sim.create_alias("f", "dev", "$LATEST", None).unwrap();
    let e = sim.create_alias("f", "dev", "1", None).unwrap_err();
    assert_eq!(e.code, "ResourceConflictException");
    assert!(e.message.ends_with("function:f:dev"), "{}", e.message);
}

#[test]
fn provisioned_concurrency_is_refused_on_latest_and_without_a_qualifier() {
    // docs/lambda-behaviour.md §10.4: only a published version or an alias
    let mut sim = two_versions();
    sim.create_alias("f", "dev", "$LATEST", None).unwrap();
    let e = sim.put_provisioned_concurrency("f", None, 2).unwrap_err();
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("'qualifier'"), "{}", e.message);
    for q in ["$LATEST", "dev"] {
        let e = sim
            .put_provisioned_concurrency("f", Some(q), 2)
            .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "InvalidParameterValueException",
                "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
            ),
            "{q}"
        );
    }
    // nor can an alias with provisioned concurrency be moved to $LATEST
    sim.create_alias("f", "live", "1", None).unwrap();
    sim.put_provisioned_concurrency("f:live", None, 1).unwrap();
    assert_eq!(
        sim.update_alias("f", "live", "$LATEST", None)
            .unwrap_err()
            .code,
        "InvalidParameterValueException"
    );
    // the total over all qualifiers stays within reserved concurrency (§4.5)
    sim.put_function_concurrency("f", Some(3)).unwrap();
    sim.put_provisioned_concurrency("f", Some("2"), 2).unwrap();
    let e = sim
        .put_provisioned_concurrency("f", Some("1"), 1)
        .unwrap_err();
    assert!(
        e.message.contains("reservedConcurrentExecution"),
        "{}",
        e.message
    );
    assert_eq!(sim.view().functions[0].provisioned_total, 3);
}

#[test]
fn provisioned_concurrency_on_an_alias_serves_only_requests_through_the_alias() {
    // docs/lambda-behaviour.md §10.5: other qualifiers start on demand
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", None).unwrap();
    sim.put_provisioned_concurrency("f", Some("live"), 1)
        .unwrap();
    sim.advance_by(SEC);
    for (q, want) in [
        ("f:1", StartType::Cold),
        ("f", StartType::Cold),
        ("f:live", StartType::Provisioned),
    ] {
        sync(&mut sim, q, "{}");
        sim.advance_by(SEC);
        let r = last(&sim);
        assert_eq!(r.start_type, Some(want), "{q}");
    }
    assert_eq!(last(&sim).executed_version, FunctionVersion(1));
    // a second request through the alias while the first runs spills over to on-demand
    sync(&mut sim, "f:live", "{}");
    sync(&mut sim, "f:live", "{}");
    sim.advance_by(SEC);
    let kinds: Vec<_> = sim
        .records()
        .items()
        .iter()
        .rev()
        .take(2)
        .map(|r| r.start_type.unwrap())
        .collect();
    assert!(kinds.contains(&StartType::Provisioned), "{kinds:?}");
    assert!(
        kinds.contains(&StartType::Warm),
        "the spillover takes version 1's warm environment: {kinds:?}"
    );
    let t = sim.metric_totals("f").unwrap();
    assert_eq!(t.provisioned_concurrency_spillover_invocations, 1);
}

#[test]
fn moving_an_alias_moves_its_provisioned_environments_to_the_new_version() {
    // docs/lambda-behaviour.md §10.5
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", None).unwrap();
    sim.put_provisioned_concurrency("f", Some("live"), 2)
        .unwrap();
    sim.advance_by(SEC);
    sim.update_alias("f", "live", "2", None).unwrap();
    let replaced = sim
        .shutdowns()
        .items()
        .iter()
        .filter(|s| s.provisioned && s.reason == ShutdownReason::NewVersion)
        .count();
    assert_eq!(replaced, 2);
    sim.advance_by(SEC);
    sync(&mut sim, "f:live", "{}");
    sim.advance_by(SEC);
    let r = last(&sim);
    assert_eq!(
        (r.start_type, r.executed_version),
        (Some(StartType::Provisioned), FunctionVersion(2))
    );
}

#[test]
fn a_permission_added_with_a_qualifier_allows_only_that_qualifier() {
    // docs/lambda-behaviour.md §10.6: AddPermission --qualifier
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", None).unwrap();
    sim.add_permission_qualified("f", Some("live"), "s3", "s3.amazonaws.com", None, None)
        .unwrap();
    let call = |sim: &mut Simulation, name: &str| {
        let mut r = InvokeRequest::new(name, InvocationType::DryRun, "{}");
        r.principal = Some("s3.amazonaws.com".into());
        sim.invoke(&r)
    };
    assert_eq!(
        call(&mut sim, "f:live"),
        InvokeOutcome::DryRunOk { status: 204 }
    );
    for other in ["f", "f:1", "f:$LATEST"] {
        let e = rejected(call(&mut sim, other));
        assert_eq!(
            (e.code.as_str(), e.status),
            ("AccessDeniedException", 403),
            "{other}"
        );
    }
    // an unqualified statement does not cover the alias
    sim.add_permission("f", "s3-all", "s3.amazonaws.com", None, None)
        .unwrap();
    assert_eq!(call(&mut sim, "f"), InvokeOutcome::DryRunOk { status: 204 });
    let e = rejected(call(&mut sim, "f:1"));
    assert!(e.message.contains("on resource: f:1"), "{}", e.message);
    // no policies on $LATEST
    assert_eq!(
        sim.add_permission_qualified("f", Some("$LATEST"), "x", "s3.amazonaws.com", None, None)
            .unwrap_err()
            .code,
        "InvalidParameterValueException"
    );
}

#[test]
fn asynchronous_settings_and_destinations_belong_to_their_qualifier() {
    // docs/lambda-behaviour.md §10.7: PutFunctionEventInvokeConfig with a Qualifier
    let mut sim = world();
    sim.create_queue("failures", 30, None).unwrap();
    create(&mut sim, "f", profile(10.0, 10.0, 1.0));
    sim.publish_version("f", None).unwrap();
    sim.create_alias("f", "live", "1", None).unwrap();
    sim.put_event_invoke_config_qualified(
        "f",
        Some("live"),
        AsyncConfig {
            maximum_retry_attempts: 0,
            on_failure: Some("failures".into()),
            ..Default::default()
        },
    )
    .unwrap();
    event(&mut sim, "f:live", "{}");
    event(&mut sim, "f", "{}");
    settle(&mut sim);
    let o = sim.async_outcomes();
    assert_eq!(o.to_on_failure, 1, "the alias's destination");
    assert_eq!(
        o.dropped.values().sum::<u64>(),
        1,
        "the unqualified call has none"
    );
    let attempts = |v: FunctionVersion| {
        sim.records()
            .items()
            .iter()
            .filter(|r| r.executed_version == v)
            .count()
    };
    assert_eq!(
        attempts(FunctionVersion(1)),
        1,
        "no retries through the alias"
    );
    assert_eq!(
        attempts(FunctionVersion::LATEST),
        3,
        "AWS's default 2 retries"
    );
    let view = sim.view();
    let q = view.queues.iter().find(|q| q.name == "failures").unwrap();
    let record: serde_json::Value = serde_json::from_str(&q.recent[0].0).unwrap();
    assert_eq!(
        record["requestContext"]["functionArn"],
        "arn:aws:lambda:us-east-1:123456789012:function:f:live"
    );
    assert_eq!(record["responseContext"]["executedVersion"], "1");
}

#[test]
fn the_handler_context_names_the_version_that_runs_and_the_arn_the_caller_used() {
    // docs/lambda-behaviour.md §7.2, §10.3: `function_version` is the version that runs (an
    // alias resolved), `invoked_function_arn` the ARN invoked, with its qualifier
    let mut sim = world();
    create(
        &mut sim,
        "f",
        lab_runtime::HandlerSpec::Script(
            "|event, context| { log(`arn=${context.invoked_function_arn}`); #{v: context.function_version, arn: context.invoked_function_arn, stream: context.log_stream_name} }".into(),
        ),
    );
    sim.publish_version("f", None).unwrap();
    sim.create_alias("f", "live", "1", None).unwrap();
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:f";
    let cases = [
        ("f", "$LATEST", arn.to_string()),
        ("f:$LATEST", "$LATEST", format!("{arn}:$LATEST")),
        ("f:1", "1", format!("{arn}:1")),
        ("f:live", "1", format!("{arn}:live")),
        (&format!("{arn}:live"), "1", format!("{arn}:live")),
    ];
    for (i, (name, version, want_arn)) in cases.iter().enumerate() {
        sync(&mut sim, name, "{}");
        sim.advance_by(SEC);
        let v: serde_json::Value =
            serde_json::from_str(&sim.responses().items()[i].payload).unwrap();
        assert_eq!(v["v"], *version, "{name}");
        assert_eq!(v["arn"], *want_arn, "{name}");
        let stream = v["stream"].as_str().unwrap();
        assert!(
            stream.starts_with(&format!("2026/01/01/[{version}]")),
            "{name}: {stream}"
        );
    }
    // an asynchronous request through the alias: the same ARN
    event(&mut sim, "f:live", "{}");
    sim.advance_by(SEC);
    let logged = lines(&sim)
        .into_iter()
        .rfind(|l| l.contains("arn="))
        .unwrap();
    assert!(logged.ends_with(&format!("arn={arn}:live")), "{logged}");
}

#[test]
fn an_sqs_mapping_on_an_alias_invokes_the_alias_and_uses_its_provisioned_concurrency() {
    // docs/lambda-behaviour.md §10.8: CreateEventSourceMapping with `name:alias`
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", None).unwrap();
    sim.put_provisioned_concurrency("f", Some("live"), 1)
        .unwrap();
    sim.create_queue("jobs", 30, None).unwrap();
    sim.create_sqs_mapping(lab_runtime::state::sqs_mapping::SqsMappingConfig {
        queue: "jobs".into(),
        function: "f:live".into(),
        batch_size: 1,
        ..Default::default()
    })
    .unwrap();
    secs(&mut sim, 5);
    sim.send_messages("jobs", "job", 1).unwrap();
    secs(&mut sim, 5);
    let r = last(&sim);
    assert_eq!(
        (r.executed_version, r.start_type),
        (FunctionVersion(1), Some(StartType::Provisioned))
    );
    // the alias moves: the mapping follows it
    sim.update_alias("f", "live", "2", None).unwrap();
    secs(&mut sim, 5);
    sim.send_messages("jobs", "job", 1).unwrap();
    secs(&mut sim, 5);
    assert_eq!(last(&sim).executed_version, FunctionVersion(2));
    // a qualifier that does not exist is refused when the mapping is created
    let e = sim
        .create_sqs_mapping(lab_runtime::state::sqs_mapping::SqsMappingConfig {
            queue: "jobs".into(),
            function: "f:nope".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f:nope"
        )
    );
}

#[test]
fn a_stream_mapping_on_a_version_invokes_that_version_and_names_it_on_failure() {
    // docs/lambda-behaviour.md §10.8: a qualified function ARN as FunctionName
    let mut sim = world();
    create(
        &mut sim,
        "f",
        lab_runtime::HandlerSpec::Script(
            "|event, context| { throw #{errorType: \"Boom\", errorMessage: context.invoked_function_arn} }".into(),
        ),
    );
    sim.publish_version("f", None).unwrap();
    sim.update_function_code("f", profile(0.0, 10.0, 0.0))
        .unwrap();
    sim.create_queue("failed", 30, None).unwrap();
    sim.create_stream_mapping(lab_runtime::state::stream_mapping::StreamMappingConfig {
        stream: "clicks".into(),
        function: "arn:aws:lambda:us-east-1:123456789012:function:f:1".into(),
        maximum_retry_attempts: 1,
        on_failure: Some("failed".into()),
        ..Default::default()
    })
    .unwrap();
    sim.put_records("clicks", &["a".to_string()]).unwrap();
    secs(&mut sim, 10);
    let versions: Vec<String> = sim
        .records()
        .items()
        .iter()
        .map(|r| r.executed_version.to_string())
        .collect();
    assert_eq!(
        versions,
        ["1", "1"],
        "version 1's code (it fails), never $LATEST's"
    );
    let msgs = sim.queue_messages("failed");
    let body: serde_json::Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(
        body["requestContext"]["functionArn"],
        "arn:aws:lambda:us-east-1:123456789012:function:f:1"
    );
    assert_eq!(body["responseContext"]["executedVersion"], "1");
}

#[test]
fn deleting_a_version_removes_it_its_environments_and_its_provisioned_concurrency() {
    // docs/lambda-behaviour.md §10.9: DeleteFunction with a version Qualifier
    let mut sim = two_versions();
    sim.put_provisioned_concurrency("f", Some("1"), 2).unwrap();
    secs(&mut sim, 2);
    sync(&mut sim, "f:1", "{}");
    secs(&mut sim, 1);
    assert_eq!(last(&sim).start_type, Some(StartType::Provisioned));
    sync(&mut sim, "f:2", "{}");
    secs(&mut sim, 1);
    let envs = |sim: &Simulation, v: u32| {
        sim.view().functions[0]
            .environments
            .iter()
            .filter(|e| e.function_version == FunctionVersion(v))
            .count()
    };
    assert_eq!((envs(&sim, 1), envs(&sim, 2)), (2, 1));
    sim.delete_version("f", Some("1")).unwrap();
    assert_eq!((envs(&sim, 1), envs(&sim, 2)), (0, 1), "version 2's stays");
    assert_eq!(sim.view().functions[0].versions.len(), 1);
    assert!(
        sim.versions_line("f").starts_with("Versions: 2 ·"),
        "{}",
        sim.versions_line("f")
    );
    assert!(
        sim.versions_line("f").ends_with("provisioned: none"),
        "{}",
        sim.versions_line("f")
    );
    // invoking it now: ResourceNotFoundException
    let e = rejected(sync(&mut sim, "f:1", "{}"));
    assert_eq!(
        (e.code.as_str(), e.status, e.message.as_str()),
        (
            "ResourceNotFoundException",
            404,
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f:1"
        )
    );
    // numbers are not reused
    sim.update_function_code("f", profile(50.0, 300.0, 0.0))
        .unwrap();
    assert_eq!(sim.publish_version("f", None).unwrap(), FunctionVersion(3));
    // and it cannot be deleted twice, nor be the target of an alias
    let e = sim.delete_version("f:1", None).unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
    assert_eq!(
        sim.create_alias("f", "old", "1", None).unwrap_err().code,
        "ResourceNotFoundException"
    );
}

#[test]
fn a_version_an_alias_references_and_latest_cannot_be_deleted() {
    // docs/lambda-behaviour.md §10.9
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", Some(&weights("2", 0.1)))
        .unwrap();
    sim.create_alias("f", "blue", "1", None).unwrap();
    for (q, code, status, msg) in [
        (
            "1",
            "ResourceConflictException",
            409,
            "Unable to delete version because the following aliases reference it: [live, blue]",
        ),
        (
            "2",
            "ResourceConflictException",
            409,
            "Unable to delete version because the following aliases reference it: [live]",
        ),
        (
            "$LATEST",
            "InvalidParameterValueException",
            400,
            "$LATEST version cannot be deleted without deleting the function.",
        ),
        (
            "live",
            "InvalidParameterValueException",
            400,
            "Deletion of aliases is not currently supported.",
        ),
    ] {
        let e = sim.delete_version("f", Some(q)).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.status, e.message.as_str()),
            (code, status, msg),
            "{q}"
        );
    }
    // once no alias points to it, it goes
    sim.update_alias("f", "live", "1", None).unwrap();
    sim.delete_version("f", Some("2")).unwrap();
    assert_eq!(
        rejected(sync(&mut sim, "f:2", "{}")).code,
        "ResourceNotFoundException"
    );
}

#[test]
fn a_weighted_alias_provisions_both_versions_by_its_weight() {
    // docs/lambda-behaviour.md §10.5: the alias's provisioned concurrency is divided between its
    // two versions by the routing weight
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", Some(&weights("2", 0.25)))
        .unwrap();
    sim.put_provisioned_concurrency("f", Some("live"), 4)
        .unwrap();
    sim.advance_by(SEC);
    let provisioned = |sim: &Simulation, v: u32| {
        sim.view().functions[0]
            .environments
            .iter()
            .filter(|e| e.provisioned && e.function_version == FunctionVersion(v))
            .count()
    };
    assert_eq!((provisioned(&sim, 1), provisioned(&sim, 2)), (3, 1));
    assert!(
        sim.versions_line("f")
            .ends_with("provisioned: live 4 (1 on version 2)"),
        "{}",
        sim.versions_line("f")
    );
    assert_eq!(sim.view().functions[0].provisioned_total, 4);
    // requests through the alias that run version 2 use its provisioned environment
    let mut starts = Vec::new();
    for _ in 0..40 {
        sync(&mut sim, "f:live", "{}");
        sim.advance_by(SEC);
        let r = last(&sim);
        starts.push((r.executed_version, r.start_type.unwrap()));
    }
    assert!(
        starts.contains(&(FunctionVersion(2), StartType::Provisioned)),
        "{starts:?}"
    );
    assert!(
        starts.iter().all(|(_, s)| *s == StartType::Provisioned),
        "one at a time: every request has a provisioned environment of its version: {starts:?}"
    );
    // without the weight, the primary version has all of it again
    sim.update_alias("f", "live", "1", None).unwrap();
    sim.advance_by(SEC);
    assert_eq!((provisioned(&sim, 1), provisioned(&sim, 2)), (4, 0));
    assert!(sim.versions_line("f").ends_with("provisioned: live 4"));
}

#[test]
fn an_environment_busy_when_its_version_is_deleted_finishes_its_request_then_shuts_down() {
    // docs/lambda-behaviour.md §10.9
    let mut sim = two_versions();
    sync(&mut sim, "f:1", "{}");
    sim.advance_by(20 * lab_runtime::clock::MS); // in its Init (50 ms)
    sim.delete_version("f", Some("1")).unwrap();
    sim.advance_by(SEC);
    let r = last(&sim);
    assert_eq!(
        (r.executed_version, r.outcome),
        (FunctionVersion(1), lab_runtime::model::Outcome::Success),
        "the request in progress completes"
    );
    let gone: Vec<_> = sim
        .shutdowns()
        .items()
        .iter()
        .filter(|s| s.reason == ShutdownReason::VersionDeleted)
        .map(|s| s.env)
        .collect();
    assert_eq!(gone, [r.env]);
}

#[test]
fn an_sqs_mapping_whose_alias_is_deleted_invokes_nothing_and_its_messages_come_back() {
    // docs/lambda-behaviour.md §10.8 [setting]: a deleted qualifier fails the batch
    let mut sim = two_versions();
    sim.create_alias("f", "live", "1", None).unwrap();
    sim.create_queue("jobs", 30, None).unwrap();
    sim.create_sqs_mapping(lab_runtime::state::sqs_mapping::SqsMappingConfig {
        queue: "jobs".into(),
        function: "f:live".into(),
        batch_size: 1,
        ..Default::default()
    })
    .unwrap();
    sim.delete_alias("f", "live").unwrap();
    sim.send_messages("jobs", "job", 1).unwrap();
    secs(&mut sim, 5);
    assert!(sim.records().items().is_empty(), "nothing ran");
    let view = sim.view();
    assert!(view.sqs_mappings[0].batches_failed >= 1);
    let q = view.queues.iter().find(|q| q.name == "jobs").unwrap();
    assert_eq!(q.in_flight, 1, "hidden until the visibility timeout");
}
