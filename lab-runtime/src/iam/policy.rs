//! IAM policy documents parsed from the JSON AWS writes, with precise errors
//! (docs/lambda-behaviour.md §6.2, §6.8).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A parsed policy document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct PolicyDocument {
    /// `Version`, e.g. `2012-10-17`.
    pub version: String,
    /// The statements.
    pub statements: Vec<Statement>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Denies, and wins over any Allow.
    Deny,
}

/// Who a resource-based statement applies to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`: anyone.
    Any,
    /// `{"AWS": ...}`: account ids, account root ARNs or IAM ARNs.
    Aws(Vec<String>),
    /// `{"Service": ...}`: service principals such as `s3.amazonaws.com`.
    Service(Vec<String>),
}

/// One condition test, e.g. `ArnLike` `AWS:SourceArn` `arn:aws:s3:::bucket`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Condition {
    /// Operator: `StringEquals`, `StringNotEquals`, `StringLike`, `ArnLike`, `ArnEquals`.
    pub operator: String,
    /// Context key, e.g. `AWS:SourceArn` (case-insensitive).
    pub key: String,
    /// Values (any may match).
    pub values: Vec<String>,
}

/// One statement.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Statement {
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` (resource-based and trust policies only).
    pub principal: Option<Principal>,
    /// `Action` patterns.
    pub actions: Vec<String>,
    /// `Resource` patterns (absent in trust policies: matches any).
    pub resources: Vec<String>,
    /// `Condition` tests, all of which must hold.
    pub conditions: Vec<Condition>,
}

/// A policy that does not parse: the message says where (`Statement[1].Effect`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    /// `MalformedPolicyDocument` (IAM's error code).
    pub code: String,
    /// What is wrong and where.
    pub message: String,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for PolicyError {}

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "ArnLike",
    "ArnEquals",
];

fn err(message: String) -> PolicyError {
    PolicyError {
        code: "MalformedPolicyDocument".into(),
        message,
    }
}

fn strings(v: &Value, at: &str) -> Result<Vec<String>, PolicyError> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| match x {
                Value::String(s) => Ok(s.clone()),
                _ => Err(err(format!("{at}[{i}]: expected a string"))),
            })
            .collect(),
        _ => Err(err(format!(
            "{at}: expected a string or an array of strings"
        ))),
    }
}

impl PolicyDocument {
    /// Parses a policy document from JSON text. JSON syntax errors give line and column.
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let v: Value = serde_json::from_str(text).map_err(|e| {
            err(format!(
                "invalid JSON at line {}, column {}: {}",
                e.line(),
                e.column(),
                e
            ))
        })?;
        Self::from_value(&v)
    }

    /// Parses a policy document from a JSON value.
    pub fn from_value(v: &Value) -> Result<Self, PolicyError> {
        let obj = v
            .as_object()
            .ok_or_else(|| err("the policy must be a JSON object".into()))?;
        for k in obj.keys() {
            if !["Version", "Id", "Statement"].contains(&k.as_str()) {
                return Err(err(format!(
                    "unknown top-level key \"{k}\" (expected Version, Id, Statement)"
                )));
            }
        }
        let version = match obj.get("Version") {
            None => "2008-10-17".to_string(),
            Some(Value::String(s)) if s == "2012-10-17" || s == "2008-10-17" => s.clone(),
            Some(other) => {
                return Err(err(format!(
                    "Version: unsupported value {other} (expected \"2012-10-17\")"
                )))
            }
        };
        let stmts = match obj.get("Statement") {
            Some(Value::Array(a)) => a.clone(),
            Some(o @ Value::Object(_)) => vec![o.clone()],
            Some(_) => {
                return Err(err(
                    "Statement: expected an object or an array of objects".into()
                ))
            }
            None => return Err(err("missing required key \"Statement\"".into())),
        };
        let statements = stmts
            .iter()
            .enumerate()
            .map(|(i, s)| parse_statement(s, &format!("Statement[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            version,
            statements,
        })
    }
}

fn parse_statement(v: &Value, at: &str) -> Result<Statement, PolicyError> {
    let obj = v
        .as_object()
        .ok_or_else(|| err(format!("{at}: expected an object")))?;
    for k in obj.keys() {
        if ![
            "Sid",
            "Effect",
            "Principal",
            "Action",
            "Resource",
            "Condition",
        ]
        .contains(&k.as_str())
        {
            return Err(err(format!(
                "{at}: unknown key \"{k}\" (expected Sid, Effect, Principal, Action, Resource, Condition)"
            )));
        }
    }
    let effect = match obj.get("Effect") {
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(err(format!(
                "{at}.Effect: unknown value {other} (expected \"Allow\" or \"Deny\")"
            )))
        }
        None => return Err(err(format!("{at}: missing required key \"Effect\""))),
    };
    let actions = match obj.get("Action") {
        Some(a) => strings(a, &format!("{at}.Action"))?,
        None => return Err(err(format!("{at}: missing required key \"Action\""))),
    };
    for (i, a) in actions.iter().enumerate() {
        if a != "*" && !a.contains(':') {
            return Err(err(format!(
                "{at}.Action[{i}]: \"{a}\" is not of the form service:Action (e.g. \"lambda:InvokeFunction\")"
            )));
        }
    }
    let resources = match obj.get("Resource") {
        Some(r) => strings(r, &format!("{at}.Resource"))?,
        None => vec!["*".into()],
    };
    let principal = match obj.get("Principal") {
        None => None,
        Some(Value::String(s)) if s == "*" => Some(Principal::Any),
        Some(Value::Object(p)) => {
            if let Some(aws) = p.get("AWS") {
                Some(Principal::Aws(strings(
                    aws,
                    &format!("{at}.Principal.AWS"),
                )?))
            } else if let Some(svc) = p.get("Service") {
                Some(Principal::Service(strings(
                    svc,
                    &format!("{at}.Principal.Service"),
                )?))
            } else {
                return Err(err(format!(
                    "{at}.Principal: expected \"AWS\" or \"Service\""
                )));
            }
        }
        Some(_) => return Err(err(format!("{at}.Principal: expected \"*\" or an object"))),
    };
    let mut conditions = Vec::new();
    if let Some(c) = obj.get("Condition") {
        let c = c
            .as_object()
            .ok_or_else(|| err(format!("{at}.Condition: expected an object")))?;
        for (op, tests) in c {
            if !OPERATORS.contains(&op.as_str()) {
                return Err(err(format!(
                    "{at}.Condition: unsupported operator \"{op}\" (supported: {})",
                    OPERATORS.join(", ")
                )));
            }
            let tests = tests
                .as_object()
                .ok_or_else(|| err(format!("{at}.Condition.{op}: expected an object")))?;
            for (key, vals) in tests {
                conditions.push(Condition {
                    operator: op.clone(),
                    key: key.clone(),
                    values: strings(vals, &format!("{at}.Condition.{op}.{key}"))?,
                });
            }
        }
    }
    let sid = obj.get("Sid").and_then(|s| s.as_str()).map(str::to_string);
    Ok(Statement {
        sid,
        effect,
        principal,
        actions,
        resources,
        conditions,
    })
}
