//! Simulated SNS topics: a message published to a topic goes to each of its subscriptions, an SQS
//! queue (the message wrapped in SNS's notification envelope) or a function (invoked
//! asynchronously by `sns.amazonaws.com` with SNS's event), docs/lambda-behaviour.md §1.14.

use crate::esm_stream::js;
use crate::sim::Simulation;
use crate::state::sns_topic::{check_subscription, SnsTopic};
use crate::timefmt::iso8601;

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
        let topic = SnsTopic::new(name, subscriptions);
        // (a Vec, not a map: a scenario has a few topics, and a map's code costs the lab page)
        match self.topics.iter_mut().find(|t| t.name() == name) {
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
        self.topics.iter().find(|t| t.name() == name)
    }

    /// Publishes `message` to a topic: false when the topic does not exist.
    pub(crate) fn publish(
        &mut self,
        topic: &str,
        message: &str,
        attributes: &[(String, String)],
    ) -> bool {
        let Some(ti) = self.topics.iter().position(|t| t.name() == topic) else {
            return false;
        };
        let subscriptions = self.topics[ti].publish().to_vec();
        let topic_arn = format!(
            "arn:aws:sns:{}:{}:{topic}",
            self.account.region, self.account.id
        );
        let message_id = crate::model::RequestId(self.next_id()).to_string();
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
            self.topics[ti].delivery(ok);
        }
        true
    }
}
