//! Where Lambda sends what it is done with: an asynchronous invocation's record (on success, on
//! failure), a discarded event (the dead-letter queue) and a stream mapping's on-failure record.
//! A destination is an SQS queue, an SNS topic, an EventBridge event bus or another function, each
//! checked against the execution role when Lambda sends (docs/lambda-behaviour.md §1.13–§1.16).

use crate::model::RequestId;
use crate::sim::Simulation;
use crate::sqs::Message;
use crate::state::destination::{Sent, Target};

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
        if fs.identity_for(0).role.allows(target.action(), &arn) != crate::iam::Decision::Allow {
            return false;
        }
        match target {
            Target::Queue(q) => self.send_to_queue(q, body.into(), attributes),
            Target::Topic(t) => self.publish(t, &body, &attributes),
            Target::Bus(b) => {
                let source = self.functions[f as usize].arn().to_string();
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
            Some(q) => q.send_from_service(Message::new(id, body, now).with_attributes(attributes)),
            None => false,
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
        let (name, qualifier) = crate::state::versions::split_function_name(name);
        let Some(g) = self.function_index(name) else {
            return false;
        };
        if record.len() > crate::model::ASYNC_PAYLOAD_LIMIT {
            return false;
        }
        let request = RequestId(self.next_id());
        self.async_enqueue(g, qualifier.map(str::to_string), record.into(), request);
        true
    }
}
