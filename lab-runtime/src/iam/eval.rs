//! Policy evaluation: default deny, an explicit Deny beats any Allow, `*` and `?` wildcards
//! (docs/lambda-behaviour.md §6.8).

use serde::{Deserialize, Serialize};

use super::policy::{Condition, Effect, PolicyDocument, Principal, Statement};

/// The result of evaluating a request against policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// Some statement allows and none denies.
    Allow,
    /// A statement denies explicitly.
    ExplicitDeny,
    /// No statement allows (default deny).
    ImplicitDeny,
}

/// The request being authorised.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Caller: an ARN, an account id, or a service principal (for resource-based policies).
    pub principal: Option<&'a str>,
    /// Action, e.g. `lambda:InvokeFunction`.
    pub action: &'a str,
    /// Resource ARN.
    pub resource: &'a str,
    /// Condition context: (key, value), keys compared case-insensitively.
    pub context: &'a [(&'a str, &'a str)],
}

/// Glob match with `*` (any run) and `?` (one character).
pub fn wildcard(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let eq = |a: u8, b: u8| {
        if case_insensitive {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (usize::MAX, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || (p[pi] != b'*' && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = pi;
            mark = ti;
            pi += 1;
        } else if star != usize::MAX {
            pi = star + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

fn account_of(arn_or_id: &str) -> Option<&str> {
    if arn_or_id.len() == 12 && arn_or_id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(arn_or_id);
    }
    arn_or_id.split(':').nth(4).filter(|a| !a.is_empty())
}

fn principal_matches(p: &Principal, caller: Option<&str>) -> bool {
    let Some(caller) = caller else { return false };
    match p {
        Principal::Any => true,
        Principal::Service(s) => s.iter().any(|x| x == caller),
        Principal::Aws(list) => list.iter().any(|x| {
            if x == "*" || x == caller {
                return true;
            }
            // an account id or the account's root ARN means any principal of that account
            let is_account = x.len() == 12 || x.ends_with(":root");
            is_account && account_of(x).is_some() && account_of(x) == account_of(caller)
        }),
    }
}

fn condition_holds(c: &Condition, ctx: &[(&str, &str)]) -> bool {
    let value = ctx
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&c.key))
        .map(|(_, v)| *v);
    match c.operator.as_str() {
        "StringNotEquals" => value.is_none_or(|v| c.values.iter().all(|x| x != v)),
        op => {
            let Some(v) = value else { return false };
            c.values.iter().any(|x| match op {
                "StringEquals" | "ArnEquals" => x == v,
                "StringLike" | "ArnLike" => wildcard(x, v, false),
                _ => false,
            })
        }
    }
}

fn statement_applies(s: &Statement, r: &Request<'_>) -> bool {
    if let Some(p) = &s.principal {
        if !principal_matches(p, r.principal) {
            return false;
        }
    }
    s.actions.iter().any(|a| wildcard(a, r.action, true))
        && s.resources.iter().any(|x| wildcard(x, r.resource, false))
        && s.conditions.iter().all(|c| condition_holds(c, r.context))
}

/// Evaluates `request` against all `policies` together.
pub fn evaluate<'p>(
    policies: impl IntoIterator<Item = &'p PolicyDocument>,
    request: &Request<'_>,
) -> Decision {
    let mut allowed = false;
    for doc in policies {
        for s in &doc.statements {
            if statement_applies(s, request) {
                match s.effect {
                    Effect::Deny => return Decision::ExplicitDeny,
                    Effect::Allow => allowed = true,
                }
            }
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}
