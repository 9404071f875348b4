//! Control plane: roles, trust policy, VPC, policies, logs permission (docs/lambda-behaviour.md §6).

mod common;

use common::*;
use lab_runtime::config::VpcConfig;
use lab_runtime::iam::LAMBDA_TRUST;
use lab_runtime::{Action, ActionResult, FunctionConfig, Simulation};

#[test]
fn role_that_does_not_trust_lambda_cannot_be_used() {
    // docs/lambda-behaviour.md §6.4
    let mut sim = Simulation::new(Default::default(), 1);
    let ec2_trust = LAMBDA_TRUST.replace("lambda.amazonaws.com", "ec2.amazonaws.com");
    sim.create_role("ec2-role", &ec2_trust, &[], &[]).unwrap();
    let e = sim
        .create_function(FunctionConfig::new("f", "ec2-role", profile(1.0, 1.0, 0.0)))
        .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
    assert_eq!(
        e.message,
        "The role defined for the function cannot be assumed by Lambda."
    );
}

#[test]
fn vpc_function_needs_the_eni_permissions() {
    // docs/lambda-behaviour.md §6.6, §6.5
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "basic",
        LAMBDA_TRUST,
        &[],
        &["AWSLambdaBasicExecutionRole".into()],
    )
    .unwrap();
    sim.create_role(
        "vpc",
        LAMBDA_TRUST,
        &[],
        &["AWSLambdaVPCAccessExecutionRole".into()],
    )
    .unwrap();
    let vpc = VpcConfig {
        subnet_ids: vec!["subnet-1".into()],
        security_group_ids: vec!["sg-1".into()],
    };
    let mut c = FunctionConfig::new("f", "basic", profile(1.0, 1.0, 0.0));
    c.vpc = Some(vpc.clone());
    let e = sim.create_function(c.clone()).unwrap_err();
    assert_eq!(e.message, "The provided execution role does not have permissions to call CreateNetworkInterface on EC2");
    c.role = "vpc".into();
    assert!(sim.create_function(c.clone()).is_ok());
    let mut bad = FunctionConfig::new("g", "vpc", profile(1.0, 1.0, 0.0));
    bad.vpc = Some(VpcConfig {
        subnet_ids: vec![],
        ..vpc
    });
    assert_eq!(
        sim.create_function(bad).unwrap_err().code,
        "InvalidParameterValueException"
    );
}

#[test]
fn function_without_logs_permissions_writes_no_logs() {
    // docs/lambda-behaviour.md §6.5: AWSLambdaBasicExecutionRole grants the log actions
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role("none", LAMBDA_TRUST, &[], &[]).unwrap();
    sim.create_function(FunctionConfig::new("f", "none", profile(1.0, 1.0, 0.0)))
        .unwrap();
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert!(lines(&sim).is_empty());
    assert_eq!(sim.records().items().len(), 1, "it still ran");
    sim.attach_role_policy("none", "AWSLambdaBasicExecutionRole")
        .unwrap();
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert!(!lines(&sim).is_empty());
}

#[test]
fn malformed_policies_are_rejected_with_where_and_why() {
    let mut sim = world();
    create(&mut sim, "f", profile(1.0, 1.0, 0.0));
    let e = sim
        .put_function_policy(
            "f",
            Some(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"lambda:*"}]}"#,
            ),
        )
        .unwrap_err();
    assert_eq!(e.code, "MalformedPolicyDocumentException");
    assert!(e
        .message
        .starts_with("Statement[0].Effect: unknown value \"Permit\""));
    let big = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[],\"Id\":\"{}\"}}",
        "x".repeat(21_000)
    );
    assert_eq!(
        sim.put_function_policy("f", Some(&big)).unwrap_err().code,
        "PolicyLengthExceededException"
    );
}

#[test]
fn actions_round_trip_as_json_for_the_console() {
    let mut sim = world();
    let a: Action = serde_json::from_str(
        r#"{"create_queue":{"name":"q","visibility_timeout_s":30,"redrive":null}}"#,
    )
    .unwrap();
    assert_eq!(sim.apply(a).unwrap(), ActionResult::Ok);
    let create = Action::CreateFunction(Box::new(function("f", profile(1.0, 1.0, 0.0))));
    let json = serde_json::to_string(&create).unwrap();
    let back: Action = serde_json::from_str(&json).unwrap();
    assert_eq!(back, create);
    assert_eq!(sim.apply(back).unwrap(), ActionResult::Created { id: 0 });
    let view = serde_json::to_value(sim.view()).unwrap();
    assert_eq!(view["functions"][0]["config"]["name"], "f");
    assert_eq!(view["queues"][0]["name"], "q");
}

#[test]
fn memory_change_creates_new_environments_and_changes_the_cpu_share() {
    // docs/lambda-behaviour.md §5.2
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 10.0, 0.0));
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    let mut c = sim.view().functions[0].config.clone();
    c.memory_mb = 1769;
    sim.update_function_configuration(c).unwrap();
    let v = sim.view();
    assert_eq!(v.functions[0].cpu_milli, 1000);
    assert!(v.functions[0].environments.is_empty());
}

#[test]
fn script_over_250_mb_unzipped_is_refused_with_the_aws_text() {
    // docs/lambda-behaviour.md §5.6: deployment package 250 MB unzipped
    let mut sim = world();
    let big = lab_runtime::HandlerSpec::Script(format!(
        "|e, c| 1\n//{}",
        "x".repeat(lab_runtime::config::MAX_UNZIPPED_CODE_BYTES)
    ));
    let e = sim.create_function(function("f", big.clone())).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
    assert_eq!(
        e.message,
        "Unzipped size must be smaller than 262144000 bytes"
    );
    create(
        &mut sim,
        "f",
        lab_runtime::HandlerSpec::Script("|e, c| 1".into()),
    );
    let e = sim.update_function_code("f", big).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
}

#[test]
fn bill_after_the_free_tier_is_zero_for_a_small_run() {
    // docs/lambda-behaviour.md §5.5: free tier 1M requests and 400,000 GB-s a month
    let mut sim = world();
    create(&mut sim, "f", profile(10.0, 100.0, 0.0));
    for _ in 0..10 {
        sync(&mut sim, "f", "{}");
        secs(&mut sim, 1);
    }
    assert!(sim.view().total_cost_usd > 0.0);
    assert_eq!(sim.cost_after_free_tier_usd(), 0.0);
}

#[test]
fn a_trust_policy_that_stops_trusting_lambda_blocks_configuration_updates_until_restored() {
    // docs/lambda-behaviour.md §6.4: Lambda must be able to assume the role; updates check it.
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role("r", LAMBDA_TRUST, &[], &[]).unwrap();
    let c = FunctionConfig::new("f", "r", profile(1.0, 1.0, 0.0));
    sim.create_function(c.clone()).unwrap();
    let ec2_trust = LAMBDA_TRUST.replace("lambda.amazonaws.com", "ec2.amazonaws.com");
    sim.apply(Action::UpdateAssumeRolePolicy {
        role: "r".into(),
        policy: ec2_trust,
    })
    .unwrap();
    let mut bigger = c.clone();
    bigger.memory_mb = 256;
    let e = sim
        .apply(Action::UpdateFunctionConfiguration(Box::new(
            bigger.clone(),
        )))
        .unwrap_err();
    assert_eq!(
        e.message,
        "The role defined for the function cannot be assumed by Lambda."
    );
    let bad = sim
        .apply(Action::UpdateAssumeRolePolicy {
            role: "r".into(),
            policy: "{not json".into(),
        })
        .unwrap_err();
    assert_eq!(bad.code, "MalformedPolicyDocumentException");
    sim.apply(Action::UpdateAssumeRolePolicy {
        role: "r".into(),
        policy: LAMBDA_TRUST.into(),
    })
    .unwrap();
    assert!(sim
        .apply(Action::UpdateFunctionConfiguration(Box::new(bigger)))
        .is_ok());
}

#[test]
fn attaching_the_vpc_managed_policy_grants_the_eni_permissions() {
    // docs/lambda-behaviour.md §6.5: AWSLambdaVPCAccessExecutionRole
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "r",
        LAMBDA_TRUST,
        &[],
        &["AWSLambdaBasicExecutionRole".into()],
    )
    .unwrap();
    let mut c = FunctionConfig::new("f", "r", profile(1.0, 1.0, 0.0));
    sim.create_function(c.clone()).unwrap();
    c.vpc = Some(VpcConfig {
        subnet_ids: vec!["subnet-1".into()],
        security_group_ids: vec!["sg-1".into()],
    });
    assert!(sim
        .apply(Action::UpdateFunctionConfiguration(Box::new(c.clone())))
        .is_err());
    let unknown = sim
        .apply(Action::AttachRolePolicy {
            role: "r".into(),
            managed: "AWSLambdaEverything".into(),
        })
        .unwrap_err();
    assert_eq!(unknown.code, "NoSuchEntityException");
    sim.apply(Action::AttachRolePolicy {
        role: "r".into(),
        managed: "AWSLambdaVPCAccessExecutionRole".into(),
    })
    .unwrap();
    assert!(sim
        .apply(Action::UpdateFunctionConfiguration(Box::new(c)))
        .is_ok());
}

#[test]
fn every_managed_policy_in_the_list_is_attachable_by_name_and_by_arn() {
    // docs/lambda-behaviour.md §6.5: the one list the console offers
    use lab_runtime::iam::{managed_policy, MANAGED_POLICIES};
    let names: Vec<&str> = MANAGED_POLICIES.iter().map(|m| m.name).collect();
    assert_eq!(
        names,
        [
            "AWSLambdaBasicExecutionRole",
            "AWSLambdaVPCAccessExecutionRole",
            "AWSLambdaSQSQueueExecutionRole",
            "AWSLambdaKinesisExecutionRole",
            "AWSLambdaDynamoDBExecutionRole",
        ]
    );
    for m in &MANAGED_POLICIES {
        assert!(managed_policy(m.name).is_some(), "{} parses", m.name);
        assert!(managed_policy(&m.arn()).is_some(), "{}", m.arn());
        assert!(!m.summary.is_empty());
        let mut sim = Simulation::new(Default::default(), 1);
        sim.create_role("r", LAMBDA_TRUST, &[], &[]).unwrap();
        sim.apply(Action::AttachRolePolicy {
            role: "r".into(),
            managed: m.arn(),
        })
        .unwrap();
        assert_eq!(
            sim.role_managed_policies("r").unwrap(),
            [m.name.to_string()],
            "attached by ARN, listed by name"
        );
    }
}

#[test]
fn attaching_a_managed_policy_twice_lists_it_once() {
    // docs/lambda-behaviour.md §6.5: AttachRolePolicy of an attached policy changes nothing
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "r",
        LAMBDA_TRUST,
        &[],
        &["AWSLambdaBasicExecutionRole".into()],
    )
    .unwrap();
    for _ in 0..2 {
        sim.attach_role_policy("r", "AWSLambdaSQSQueueExecutionRole")
            .unwrap();
    }
    assert_eq!(
        sim.role_managed_policies("r").unwrap(),
        [
            "AWSLambdaBasicExecutionRole".to_string(),
            "AWSLambdaSQSQueueExecutionRole".to_string()
        ]
    );
    // one detach removes it: no second copy keeps granting
    sim.apply(Action::DetachRolePolicy {
        role: "r".into(),
        managed: "AWSLambdaSQSQueueExecutionRole".into(),
    })
    .unwrap();
    sim.create_function(FunctionConfig::new("f", "r", profile(1.0, 1.0, 0.0)))
        .unwrap();
    sim.create_queue("jobs", 30, None).unwrap();
    let e = sim
        .create_sqs_mapping(lab_runtime::state::sqs_mapping::SqsMappingConfig {
            queue: "jobs".into(),
            function: "f".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        e.message,
        "The function execution role does not have permissions to call ReceiveMessage on SQS"
    );
}

#[test]
fn detaching_the_sqs_policy_refuses_a_new_mapping_and_attaching_it_again_allows_it() {
    // docs/lambda-behaviour.md §6.5 (DetachRolePolicy), §2.12 (the mapping's permissions)
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "r",
        LAMBDA_TRUST,
        &[],
        &[
            "AWSLambdaBasicExecutionRole".into(),
            "AWSLambdaSQSQueueExecutionRole".into(),
        ],
    )
    .unwrap();
    sim.create_function(FunctionConfig::new("f", "r", profile(1.0, 1.0, 0.0)))
        .unwrap();
    sim.create_queue("jobs", 30, None).unwrap();
    let mapping = || lab_runtime::state::sqs_mapping::SqsMappingConfig {
        queue: "jobs".into(),
        function: "f".into(),
        ..Default::default()
    };
    let detach = Action::DetachRolePolicy {
        role: "r".into(),
        managed: "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole".into(),
    };
    assert_eq!(sim.apply(detach.clone()).unwrap(), ActionResult::Ok);
    assert_eq!(
        sim.role_managed_policies("r").unwrap(),
        ["AWSLambdaBasicExecutionRole".to_string()]
    );
    let refused = sim.create_sqs_mapping(mapping()).unwrap_err();
    assert_eq!(refused.code, "InvalidParameterValueException");
    // detaching it again: AWS's NoSuchEntity, with the policy's ARN
    let again = sim.apply(detach).unwrap_err();
    assert_eq!(again.code, "NoSuchEntityException");
    assert_eq!(again.status, 404);
    assert_eq!(
        again.message,
        "Policy arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole was not found."
    );
    sim.apply(Action::AttachRolePolicy {
        role: "r".into(),
        managed: "AWSLambdaSQSQueueExecutionRole".into(),
    })
    .unwrap();
    sim.create_sqs_mapping(mapping()).unwrap();
}

#[test]
fn detaching_refuses_a_policy_never_attached_an_unknown_one_and_an_unknown_role() {
    // docs/lambda-behaviour.md §6.5
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "r",
        LAMBDA_TRUST,
        &[],
        &["AWSLambdaBasicExecutionRole".into()],
    )
    .unwrap();
    let detach = |sim: &mut Simulation, role: &str, managed: &str| {
        sim.apply(Action::DetachRolePolicy {
            role: role.into(),
            managed: managed.into(),
        })
        .unwrap_err()
    };
    let never = detach(&mut sim, "r", "AWSLambdaKinesisExecutionRole");
    assert_eq!(never.code, "NoSuchEntityException");
    assert_eq!(
        never.message,
        "Policy arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole was not found."
    );
    let unknown = detach(&mut sim, "r", "AWSLambdaEverything");
    assert_eq!(unknown.message, "Policy AWSLambdaEverything was not found.");
    let no_role = detach(&mut sim, "nobody", "AWSLambdaBasicExecutionRole");
    assert_eq!(
        no_role.message,
        "The role with name nobody cannot be found."
    );
    assert_eq!(
        sim.role_managed_policies("r").unwrap(),
        ["AWSLambdaBasicExecutionRole".to_string()],
        "nothing changed"
    );
}

#[test]
fn detaching_the_basic_policy_stops_the_logs_of_a_running_environment() {
    // docs/lambda-behaviour.md §6.5: the log actions come from AWSLambdaBasicExecutionRole
    let mut sim = Simulation::new(Default::default(), 1);
    sim.create_role(
        "r",
        LAMBDA_TRUST,
        &[],
        &["AWSLambdaBasicExecutionRole".into()],
    )
    .unwrap();
    sim.create_function(FunctionConfig::new("f", "r", profile(1.0, 1.0, 0.0)))
        .unwrap();
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    let before = lines(&sim).len();
    assert!(before > 0);
    sim.detach_role_policy("r", "AWSLambdaBasicExecutionRole")
        .unwrap();
    sync(&mut sim, "f", "{}");
    secs(&mut sim, 1);
    assert_eq!(lines(&sim).len(), before, "no new log lines");
    assert_eq!(sim.records().items().len(), 2, "it still ran");
}
