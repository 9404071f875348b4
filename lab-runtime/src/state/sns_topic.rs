//! An SNS topic's state: its subscriptions and what it delivered (docs/lambda-behaviour.md §1.14).
//! Publishing is in `crate::sns`.

use serde::{Deserialize, Serialize};

use crate::state::destination::Target;

/// A standard topic and what it delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnsTopic {
    /// Name.
    pub name: String,
    /// Subscriptions, as destinations: a queue name (or `sqs:NAME`) or `lambda:FUNCTION`.
    pub subscriptions: Vec<String>,
    /// Messages published.
    pub published: u64,
    /// Deliveries to subscriptions that were accepted.
    pub delivered: u64,
    /// Deliveries refused (a missing queue, a function whose resource-based policy does not
    /// allow `sns.amazonaws.com`).
    pub failed: u64,
}

/// Checks a subscription's text: a queue or a function (docs/lambda-behaviour.md §1.14).
pub fn check_subscription(text: &str) -> Result<(), String> {
    match Target::parse(text)? {
        Target::Queue(_) | Target::Function(_) => Ok(()),
        _ => Err(format!(
            "subscription \"{text}\": a topic delivers to an SQS queue or a function (`lambda:NAME`)"
        )),
    }
}
