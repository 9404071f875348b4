//! Simulated SNS topics: a message published to a topic goes to each of its subscriptions, an SQS
//! queue (the message wrapped in SNS's notification envelope) or a function (invoked
//! asynchronously by `sns.amazonaws.com` with SNS's event), docs/lambda-behaviour.md §1.14.

use serde::{Deserialize, Serialize};

use crate::destination::Target;
use crate::esm_stream::js;
use crate::sim::Simulation;
use crate::timefmt::iso8601;

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

/// SNS's `MessageAttributes` object for Lambda's DLQ attributes (all strings).
fn attributes_json(attributes: &[(String, String)]) -> String {
    let parts: Vec<String> = attributes
        .iter()
        .map(|(k, v)| format!(r#"{}:{{"Type":"String","Value":{}}}"#, js(k), js(v)))
        .collect();
    format!("{{{}}}", parts.join(","))
}

impl Simulation {
    /// `CreateTopic` with its subscriptions (checked when the topic delivers).
    pub fn create_topic(
        &mut self,
        name: &str,
        subscriptions: &[String],
    ) -> Result<(), crate::error::ApiError> {
        for s in subscriptions {
            check_subscription(s).map_err(crate::error::ApiError::invalid)?;
        }
        let topic = SnsTopic {
            name: name.into(),
            subscriptions: subscriptions.to_vec(),
            ..Default::default()
        };
        // (a Vec, not a map: a scenario has a few topics, and a map's code costs the lab page)
        match self.topics.iter_mut().find(|t| t.name == name) {
            Some(t) => *t = topic,
            None => self.topics.push(topic),
        }
        Ok(())
    }

    /// The topics, in the order created.
    pub fn topics(&self) -> &[SnsTopic] {
        &self.topics
    }

    /// A topic by name.
    pub fn topic(&self, name: &str) -> Option<&SnsTopic> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// Publishes `message` to a topic: false when the topic does not exist.
    pub(crate) fn publish(
        &mut self,
        topic: &str,
        message: &str,
        attributes: &[(String, String)],
    ) -> bool {
        let Some(ti) = self.topics.iter().position(|t| t.name == topic) else {
            return false;
        };
        let t = &mut self.topics[ti];
        t.published += 1;
        let subscriptions = t.subscriptions.clone();
        let topic_arn = format!(
            "arn:aws:sns:{}:{}:{topic}",
            self.account.region, self.account.id
        );
        let message_id = crate::logs::RequestId(self.next_id()).to_string();
        let notification = format!(
            r#"{{"Type":"Notification","MessageId":"{message_id}","TopicArn":{},"Subject":null,"Message":{},"Timestamp":"{}","SignatureVersion":"1","MessageAttributes":{}}}"#,
            js(&topic_arn),
            js(message),
            iso8601(self.now),
            attributes_json(attributes),
        );
        for (i, s) in subscriptions.iter().enumerate() {
            let event = || {
                format!(
                    r#"{{"Records":[{{"EventSource":"aws:sns","EventVersion":"1.0","EventSubscriptionArn":{},"Sns":{notification}}}]}}"#,
                    js(&format!("{topic_arn}:sub-{}", i + 1)),
                )
            };
            let ok = self.deliver_to_subscriber(
                s,
                &notification,
                event,
                "sns.amazonaws.com",
                topic_arn.clone(),
            );
            let t = &mut self.topics[ti];
            if ok {
                t.delivered += 1;
            } else {
                t.failed += 1;
            }
        }
        true
    }
}
