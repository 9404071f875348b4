//! Where Lambda sends what it is done with: an asynchronous invocation's record (on success, on
//! failure), a discarded event (the dead-letter queue) and a stream mapping's on-failure record.
//! A destination is an SQS queue, an SNS topic, an EventBridge event bus or another function, each
//! checked against the execution role when Lambda sends (docs/lambda-behaviour.md §1.13–§1.16).

use crate::error::ApiError;
use crate::logs::RequestId;
use crate::sim::Simulation;
use crate::sqs::Message;

/// A destination, read from the text a scenario or a configuration gives: a queue name (as
/// before), `sqs:NAME`, `sns:TOPIC`, `events:BUS`, `lambda:FUNCTION[:QUALIFIER]`, or the
/// resource's ARN (`arn:aws:sns:REGION:ACCOUNT:TOPIC`, `arn:aws:events:...:event-bus/BUS`,
/// `arn:aws:lambda:...:function:NAME[:QUALIFIER]`, `arn:aws:sqs:...:QUEUE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// An SQS queue, by name.
    Queue(&'a str),
    /// An SNS topic, by name.
    Topic(&'a str),
    /// An EventBridge event bus, by name.
    Bus(&'a str),
    /// A function: its name, possibly qualified (`name:alias`).
    Function(&'a str),
}

impl<'a> Target<'a> {
    /// Reads a destination; the error says which forms are understood.
    pub fn parse(text: &'a str) -> Result<Self, String> {
        let bad = || {
            format!("destination \"{text}\" is not understood: give a queue name, `sns:TOPIC`, `events:BUS`, `lambda:FUNCTION` (optionally `:ALIAS`) or the resource's ARN")
        };
        let (service, rest) = match text.strip_prefix("arn:") {
            Some(arn) => {
                // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE
                let mut parts = arn.splitn(5, ':');
                let (_, service, _, _) = (parts.next(), parts.next(), parts.next(), parts.next());
                let resource = parts.next().ok_or_else(bad)?;
                let service = service.ok_or_else(bad)?;
                let name = match service {
                    "events" => resource.strip_prefix("event-bus/").ok_or_else(bad)?,
                    "lambda" => resource.strip_prefix("function:").ok_or_else(bad)?,
                    _ => resource,
                };
                (service, name)
            }
            None => match text.split_once(':') {
                Some((service, rest)) => (service, rest),
                None => ("sqs", text),
            },
        };
        if rest.is_empty() {
            return Err(bad());
        }
        match service {
            "sqs" => Ok(Target::Queue(rest)),
            "sns" => Ok(Target::Topic(rest)),
            "events" => Ok(Target::Bus(rest)),
            "lambda" => Ok(Target::Function(rest)),
            _ => Err(bad()),
        }
    }

    /// The action the execution role needs to send here (docs/lambda-behaviour.md §1.13).
    pub fn action(self) -> &'static str {
        match self {
            Target::Queue(_) => "sqs:SendMessage",
            Target::Topic(_) => "sns:Publish",
            Target::Bus(_) => "events:PutEvents",
            Target::Function(_) => "lambda:InvokeFunction",
        }
    }

    /// The resource's ARN in `region` and `account`.
    pub fn arn(self, region: &str, account: &str) -> String {
        match self {
            Target::Queue(q) => format!("arn:aws:sqs:{region}:{account}:{q}"),
            Target::Topic(t) => format!("arn:aws:sns:{region}:{account}:{t}"),
            Target::Bus(b) => format!("arn:aws:events:{region}:{account}:event-bus/{b}"),
            Target::Function(f) => format!("arn:aws:lambda:{region}:{account}:function:{f}"),
        }
    }
}

/// What is being sent: it decides which kinds of destination may receive it and, on an event
/// bus, the event's `detail-type` (docs/lambda-behaviour.md §1.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// An asynchronous invocation's record, on success.
    Success,
    /// An asynchronous invocation's record, on failure.
    Failure,
    /// The original event of a discarded asynchronous invocation (a dead-letter queue).
    DeadLetter,
    /// A stream mapping's on-failure record.
    StreamFailure,
}

impl Sent {
    /// The kinds of destination this may go to, or the error that names the ones allowed:
    /// a DLQ is a queue or a topic; a stream's on-failure destination a queue or a topic
    /// (S3 and Kafka are not simulated); an asynchronous record any of the four.
    pub fn check(self, target: Target) -> Result<(), String> {
        let allowed = match self {
            Sent::DeadLetter => "a dead-letter queue must be an SQS queue or an SNS topic",
            Sent::StreamFailure => {
                "a stream mapping's on-failure destination must be an SQS queue or an SNS topic"
            }
            Sent::Success | Sent::Failure => return Ok(()),
        };
        match target {
            Target::Queue(_) | Target::Topic(_) => Ok(()),
            _ => Err(allowed.to_string()),
        }
    }

    /// The `detail-type` of the event Lambda puts on a bus.
    pub fn detail_type(self) -> &'static str {
        match self {
            Sent::Success => "Lambda Function Invocation Result - Success",
            _ => "Lambda Function Invocation Result - Failure",
        }
    }
}

/// Checks a destination's text and kind, as `PutFunctionEventInvokeConfig`,
/// `UpdateFunctionConfiguration` (`DeadLetterConfig`) and `CreateEventSourceMapping` do.
pub fn validate(text: &str, sent: Sent) -> Result<(), ApiError> {
    Target::parse(text)
        .and_then(|t| sent.check(t))
        .map_err(ApiError::invalid)
}

impl Simulation {
    /// Sends `body` (with message `attributes`) from function `f` to a destination, with the
    /// function's execution role: true when it was delivered. A destination that does not exist,
    /// is a FIFO queue, is not allowed for what is sent, or that the role may not send to fails
    /// (docs/lambda-behaviour.md §1.13); the caller counts the failure.
    pub(crate) fn deliver(
        &mut self,
        f: u32,
        dest: &str,
        body: String,
        attributes: Vec<(String, String)>,
        sent: Sent,
    ) -> bool {
        let Ok(target) = Target::parse(dest) else {
            return false;
        };
        if sent.check(target).is_err() {
            return false;
        }
        let arn = target.arn(&self.account.region, &self.account.id);
        let fs = &self.functions[f as usize];
        if fs.identity.role.allows(target.action(), &arn) != crate::iam::Decision::Allow {
            return false;
        }
        match target {
            Target::Queue(q) => self.send_to_queue(q, body.into(), attributes),
            Target::Topic(t) => self.publish(t, &body, &attributes),
            Target::Bus(b) => {
                let source = self.functions[f as usize].arn.clone();
                self.put_lambda_event(b, &body, sent, &source)
            }
            Target::Function(name) => self.invoke_destination(name, body),
        }
    }

    /// Puts a message on a standard queue: false when there is none of that name. A FIFO queue
    /// refuses it: Lambda sends records and dead letters to standard queues only, a standard
    /// topic cannot deliver to one, and a rule would need a message group id
    /// (docs/lambda-behaviour.md §1.13).
    pub(crate) fn send_to_queue(
        &mut self,
        queue: &str,
        body: std::sync::Arc<str>,
        attributes: Vec<(String, String)>,
    ) -> bool {
        let now = self.now;
        let mut host = self.host.borrow_mut();
        host.next_message_id += 1;
        let id = host.next_message_id;
        match host.queues.get_mut(queue) {
            Some(q) if !q.fifo => {
                q.send(Message {
                    id,
                    body,
                    attributes,
                    sent_us: now,
                    receive_count: 0,
                    visible_at_us: now,
                    chain: 0,
                });
                true
            }
            _ => false,
        }
    }

    /// What a topic or a rule delivers to one subscriber: `body` to a queue, or an asynchronous
    /// invoke of a function with `event` by `principal` (`sns.amazonaws.com`,
    /// `events.amazonaws.com`) from `source_arn`, which the function's resource-based policy must
    /// allow (docs/lambda-behaviour.md §1.14, §1.15). True when it was accepted.
    pub(crate) fn deliver_to_subscriber(
        &mut self,
        subscriber: &str,
        body: &str,
        event: impl FnOnce() -> String,
        principal: &str,
        source_arn: String,
    ) -> bool {
        match Target::parse(subscriber) {
            Ok(Target::Queue(q)) => self.send_to_queue(q, body.into(), vec![]),
            Ok(Target::Function(f)) => {
                let o = self.invoke(&crate::model::InvokeRequest {
                    function: f.to_string(),
                    invocation_type: crate::model::InvocationType::Event,
                    payload: event().into(),
                    principal: Some(principal.into()),
                    source_arn: Some(source_arn),
                    source_account: None,
                    qualifier: None,
                });
                matches!(o, crate::model::InvokeOutcome::Queued { .. })
            }
            _ => false,
        }
    }

    /// A function destination: the record is the destination function's event, invoked
    /// asynchronously (docs/lambda-behaviour.md §1.16).
    fn invoke_destination(&mut self, name: &str, record: String) -> bool {
        let (name, qualifier) = crate::versions::split_function_name(name);
        let Some(g) = self.function_index(name) else {
            return false;
        };
        if record.len() > crate::front_door::ASYNC_PAYLOAD_LIMIT {
            return false;
        }
        let request = RequestId(self.next_id());
        self.async_enqueue(g, qualifier.map(str::to_string), record.into(), request);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_queue_names_short_forms_or_arns() {
        // docs/lambda-behaviour.md §1.13
        assert_eq!(Target::parse("jobs"), Ok(Target::Queue("jobs")));
        assert_eq!(Target::parse("sns:alerts"), Ok(Target::Topic("alerts")));
        assert_eq!(
            Target::parse("arn:aws:sns:us-east-1:123456789012:alerts"),
            Ok(Target::Topic("alerts"))
        );
        assert_eq!(
            Target::parse("arn:aws:events:us-east-1:123456789012:event-bus/default"),
            Ok(Target::Bus("default"))
        );
        assert_eq!(
            Target::parse("arn:aws:lambda:us-east-1:123456789012:function:audit:live"),
            Ok(Target::Function("audit:live"))
        );
        assert_eq!(Target::parse("lambda:audit"), Ok(Target::Function("audit")));
        assert!(Target::parse("s3:bucket").is_err());
        assert!(Target::parse("sns:").is_err());
        assert!(Target::parse("arn:aws:events:us-east-1:1:rule/x").is_err());
    }

    #[test]
    fn a_dead_letter_queue_is_a_queue_or_a_topic() {
        // docs/lambda-behaviour.md §1.14
        assert!(validate("sns:alerts", Sent::DeadLetter).is_ok());
        assert!(validate("dlq", Sent::DeadLetter).is_ok());
        let e = validate("lambda:audit", Sent::DeadLetter).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValueException");
        assert!(e.message.contains("SQS queue or an SNS topic"), "{e}");
        assert!(validate("events:default", Sent::StreamFailure).is_err());
        assert!(validate("events:default", Sent::Failure).is_ok());
    }
}
