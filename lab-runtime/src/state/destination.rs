//! A destination as data: the text that names one (a queue, a topic, a bus or a function, with its
//! ARN form) and what is being sent, which decides the kinds a destination may be
//! (docs/lambda-behaviour.md §1.13–§1.16). Delivering is in `crate::destination`.

use crate::ApiError;

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
