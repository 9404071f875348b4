//! Callers' identity-based policies together with the function's resource-based policy
//! (docs/lambda-behaviour.md §6.10).

mod common;

use common::*;
use lab_runtime::model::{InvocationType, InvokeOutcome, InvokeRequest};
use lab_runtime::Simulation;

const ALICE: &str = "arn:aws:iam::123456789012:user/alice";
const PARTNER: &str = "arn:aws:iam::444455556666:role/partner";
const FN_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:orders";

fn allow_invoke(effect: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Action":"lambda:InvokeFunction","Resource":"{FN_ARN}"}}]}}"#
    )
}

fn resource_policy_for(principal: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"lambda:InvokeFunction","Resource":"{FN_ARN}"}}]}}"#
    )
}

fn invoke_as(sim: &mut Simulation, principal: &str) -> Result<(), String> {
    let mut r = InvokeRequest::new("orders", InvocationType::DryRun, "{}");
    r.principal = Some(principal.into());
    match sim.invoke(&r) {
        InvokeOutcome::DryRunOk { status: 204 } => Ok(()),
        InvokeOutcome::Rejected(e) => {
            assert_eq!((e.code.as_str(), e.status), ("AccessDeniedException", 403));
            Err(e.message)
        }
        o => panic!("{o:?}"),
    }
}

fn orders() -> Simulation {
    let mut sim = world();
    create(&mut sim, "orders", profile(0.0, 10.0, 0.0));
    sim
}

#[test]
fn same_account_caller_is_allowed_by_its_own_policy_or_by_the_resource_policy() {
    let mut sim = orders();
    sim.put_principal_policies(ALICE, &[]).unwrap();
    let e = invoke_as(&mut sim, ALICE).unwrap_err();
    assert_eq!(e, format!("User: {ALICE} is not authorized to perform: lambda:InvokeFunction on resource: orders because no identity-based policy allows the lambda:InvokeFunction action"));
    // its own identity-based policy is enough
    sim.put_principal_policies(ALICE, &[allow_invoke("Allow")])
        .unwrap();
    invoke_as(&mut sim, ALICE).unwrap();
    // ... and so is the resource-based policy alone
    sim.put_principal_policies(ALICE, &[]).unwrap();
    sim.put_function_policy("orders", Some(&resource_policy_for(ALICE)))
        .unwrap();
    invoke_as(&mut sim, ALICE).unwrap();
    // an explicit deny in the identity-based policy wins over the resource policy's allow
    sim.put_principal_policies(ALICE, &[allow_invoke("Deny")])
        .unwrap();
    let e = invoke_as(&mut sim, ALICE).unwrap_err();
    assert!(
        e.ends_with("with an explicit deny in an identity-based policy"),
        "{e}"
    );
}

#[test]
fn cross_account_caller_needs_both_policies_and_the_message_says_which_is_missing() {
    let mut sim = orders();
    sim.put_principal_policies(PARTNER, &[allow_invoke("Allow")])
        .unwrap();
    let e = invoke_as(&mut sim, PARTNER).unwrap_err();
    assert!(
        e.ends_with("because no resource-based policy allows the lambda:InvokeFunction action"),
        "{e}"
    );
    sim.put_principal_policies(PARTNER, &[]).unwrap();
    sim.put_function_policy("orders", Some(&resource_policy_for(PARTNER)))
        .unwrap();
    let e = invoke_as(&mut sim, PARTNER).unwrap_err();
    assert!(
        e.ends_with("because no identity-based policy allows the lambda:InvokeFunction action"),
        "{e}"
    );
    sim.put_principal_policies(PARTNER, &[allow_invoke("Allow")])
        .unwrap();
    invoke_as(&mut sim, PARTNER).unwrap();
}

#[test]
fn an_undeclared_caller_is_decided_by_the_resource_policy_alone() {
    let mut sim = orders();
    let bob = "arn:aws:iam::123456789012:user/bob";
    let e = invoke_as(&mut sim, bob).unwrap_err();
    assert!(
        e.ends_with("because no resource-based policy allows the lambda:InvokeFunction action"),
        "{e}"
    );
    sim.put_function_policy("orders", Some(&resource_policy_for(bob)))
        .unwrap();
    invoke_as(&mut sim, bob).unwrap();
}

#[test]
fn only_iam_user_and_role_arns_can_be_declared() {
    let mut sim = orders();
    for bad in [
        "123456789012",
        "s3.amazonaws.com",
        "arn:aws:iam::123456789012:group/g",
    ] {
        let e = sim.put_principal_policies(bad, &[]).unwrap_err();
        assert_eq!(e.code, "ValidationException", "{bad}");
    }
    let e = sim
        .put_principal_policies(ALICE, &["{not json".into()])
        .unwrap_err();
    assert_eq!(e.code, "MalformedPolicyDocumentException");
}
