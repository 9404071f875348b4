//! An EventBridge bus's state: its rules (patterns and targets) and what it did
//! (docs/lambda-behaviour.md §1.15). Putting events is in `crate::eventbridge`.

use serde::{Deserialize, Serialize};

use crate::state::destination::Target;

/// A rule: an event matches when its `source` is one of `source` and its `detail-type` one of
/// `detail_type` (an empty list matches any), the two fields of an event pattern a destination
/// event is told apart by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Name.
    pub name: String,
    /// Event pattern: `source` values (Lambda's destination events have `lambda`).
    #[serde(default)]
    pub source: Vec<String>,
    /// Event pattern: `detail-type` values, e.g. `Lambda Function Invocation Result - Failure`.
    #[serde(default)]
    pub detail_type: Vec<String>,
    /// Targets: a queue name (or `sqs:NAME`) or `lambda:FUNCTION`.
    pub targets: Vec<String>,
}

impl Rule {
    /// Whether an event with this source and detail-type matches the rule's pattern.
    pub fn matches(&self, source: &str, detail_type: &str) -> bool {
        (self.source.is_empty() || self.source.iter().any(|s| s == source))
            && (self.detail_type.is_empty() || self.detail_type.iter().any(|d| d == detail_type))
    }
}

/// A bus and what it did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventBus {
    /// Name.
    pub name: String,
    /// Rules.
    pub rules: Vec<Rule>,
    /// Events put on the bus.
    pub events: u64,
    /// Deliveries to targets that were accepted.
    pub delivered: u64,
    /// Deliveries refused (a missing queue, a function whose resource-based policy does not
    /// allow `events.amazonaws.com`).
    pub failed: u64,
}

/// Checks a rule target's text: a queue or a function.
pub fn check_target(text: &str) -> Result<(), String> {
    match Target::parse(text)? {
        Target::Queue(_) | Target::Function(_) => Ok(()),
        _ => Err(format!(
            "target \"{text}\": a rule here sends to an SQS queue or a function (`lambda:NAME`)"
        )),
    }
}
