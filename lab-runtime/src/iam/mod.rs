//! IAM: policy documents, their evaluation, managed policies and execution roles
//! (docs/lambda-behaviour.md §6).

mod eval;
mod managed;
mod policy;

use serde::{Deserialize, Serialize};

pub use eval::{evaluate, wildcard, Decision, Request};
pub use managed::{
    find_managed, managed_policy, ManagedPolicy, BASIC_EXECUTION, LAMBDA_TRUST, MANAGED_POLICIES,
    VPC_ACCESS_EXECUTION,
};
pub use policy::{Condition, Effect, PolicyDocument, PolicyError, Principal, Statement};

/// An execution role: a trust policy (who may assume it) and permission policies.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Role {
    /// Role name.
    pub name: String,
    /// Trust policy.
    pub trust_policy: PolicyDocument,
    /// Attached and inline permission policies.
    pub policies: Vec<PolicyDocument>,
    /// The names of the attached AWS managed policies (their documents are in `policies`).
    #[serde(default)]
    pub managed: Vec<String>,
}

impl Role {
    /// True when the trust policy lets `lambda.amazonaws.com` call `sts:AssumeRole`.
    pub fn trusts_lambda(&self) -> bool {
        let req = Request {
            principal: Some("lambda.amazonaws.com"),
            action: "sts:AssumeRole",
            resource: "*",
            context: &[],
        };
        evaluate([&self.trust_policy], &req) == Decision::Allow
    }

    /// Evaluates an action of the function's code against the role's permission policies.
    pub fn allows(&self, action: &str, resource: &str) -> Decision {
        let req = Request {
            principal: None,
            action,
            resource,
            context: &[],
        };
        evaluate(&self.policies, &req)
    }
}

/// The `AccessDeniedException` text for a call made with an assumed role
/// (docs/lambda-behaviour.md §6.7).
pub fn assumed_role_denied(
    account: &str,
    role: &str,
    function: &str,
    action: &str,
    resource: &str,
    decision: Decision,
) -> String {
    let why = match decision {
        Decision::ExplicitDeny => "with an explicit deny in an identity-based policy".to_string(),
        _ => format!("because no identity-based policy allows the {action} action"),
    };
    format!(
        "User: arn:aws:sts::{account}:assumed-role/{role}/{function} is not authorized to perform: {action} on resource: {resource} {why}"
    )
}

#[cfg(test)]
mod tests;

/// The account of an IAM principal ARN (`arn:aws:iam::ACCOUNT:user/NAME`, `:role/NAME`, or
/// `arn:aws:sts::ACCOUNT:assumed-role/...`); `None` for anything else (an account id, a service).
pub fn principal_account(principal: &str) -> Option<&str> {
    let rest = principal
        .strip_prefix("arn:aws:iam::")
        .or_else(|| principal.strip_prefix("arn:aws:sts::"))?;
    let (account, resource) = rest.split_once(':')?;
    let kind_ok = ["user/", "role/", "assumed-role/"]
        .iter()
        .any(|k| resource.starts_with(k));
    (kind_ok && !account.is_empty()).then_some(account)
}
