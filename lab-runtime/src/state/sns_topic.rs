//! An SNS topic: its subscriptions, and the count of what it published and delivered, which the
//! topic keeps itself (docs/lambda-behaviour.md §1.14). Building the notification and delivering
//! it to each subscription is in `crate::sns`.

use serde::{Deserialize, Serialize};

use crate::state::destination::Target;

/// What a topic did, read with [`SnsTopic::counts`]: only the topic changes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicCounts {
    /// Messages published.
    pub published: u64,
    /// Deliveries to subscriptions that were accepted.
    pub delivered: u64,
    /// Deliveries refused (a missing queue, a function whose resource-based policy does not
    /// allow `sns.amazonaws.com`).
    pub failed: u64,
}

/// A standard topic and what it delivered. Its counters are a
/// [`TopicCounts`] (a copy, from [`SnsTopic::counts`]: only this file changes it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnsTopic {
    /// Name.
    name: String,
    /// Subscriptions, as destinations: a queue name (or `sqs:NAME`) or `lambda:FUNCTION`.
    subscriptions: Vec<String>,
    #[serde(flatten)]
    counts: TopicCounts,
}

impl SnsTopic {
    /// What it has done so far, as a copy: only its own methods change it.
    #[inline]
    pub fn counts(&self) -> TopicCounts {
        self.counts
    }

    /// A topic that has published nothing yet (its subscriptions checked by
    /// [`check_subscription`]).
    pub fn new(name: &str, subscriptions: &[String]) -> Self {
        SnsTopic {
            name: name.into(),
            subscriptions: subscriptions.to_vec(),
            counts: TopicCounts::default(),
        }
    }

    /// Name.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Subscriptions, as destinations: a queue name (or `sqs:NAME`) or `lambda:FUNCTION`.
    #[inline]
    pub fn subscriptions(&self) -> &[String] {
        &self.subscriptions
    }

    /// A message is published: one copy goes to each subscription, in order; each delivery's
    /// result is told to [`Self::delivery`] (docs/lambda-behaviour.md §1.14).
    #[inline]
    pub fn publish(&mut self) -> &[String] {
        self.counts.published += 1;
        &self.subscriptions
    }

    /// A copy was delivered to a subscription (`accepted`) or refused.
    #[inline]
    pub fn delivery(&mut self, accepted: bool) {
        if accepted {
            self.counts.delivered += 1;
        } else {
            self.counts.failed += 1;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publish_counts_once_and_each_subscription_delivery_once() {
        // docs/lambda-behaviour.md §1.14: one copy to each subscription
        let subs = ["orders".to_string(), "lambda:audit".to_string()];
        let mut t = SnsTopic::new("events", &subs);
        assert_eq!(
            (
                t.counts().published,
                t.counts().delivered,
                t.counts().failed
            ),
            (0, 0, 0)
        );
        assert_eq!(t.publish(), &subs);
        t.delivery(true);
        t.delivery(false);
        assert_eq!(t.publish().len(), 2);
        t.delivery(true);
        t.delivery(true);
        assert_eq!(
            (
                t.counts().published,
                t.counts().delivered,
                t.counts().failed
            ),
            (2, 3, 1)
        );
        assert_eq!(t.name(), "events");
        assert_eq!(t.subscriptions(), &subs);
    }

    #[test]
    fn a_subscription_is_a_queue_or_a_function() {
        // docs/lambda-behaviour.md §1.14: SQS queues and functions; no e-mail, HTTP, ...
        assert!(check_subscription("orders").is_ok());
        assert!(check_subscription("sqs:orders").is_ok());
        assert!(check_subscription("lambda:audit").is_ok());
        assert!(check_subscription("sns:other").is_err());
    }

    #[test]
    fn the_counters_serialize_beside_the_name() {
        let mut t = SnsTopic::new("t", &["q".to_string()]);
        t.publish();
        t.delivery(true);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"name":"t","subscriptions":["q"],"published":1,"delivered":1,"failed":0}"#
        );
        assert_eq!(serde_json::from_str::<SnsTopic>(&json).unwrap(), t);
    }
}
