//! Traffic generators: single invoke, burst of N, constant rate, ramp, Poisson arrivals, and an
//! SQS backlog (issue 4, "Traffic").

use std::sync::Arc;

use crate::error::ApiError;
use crate::model::{InvokeOutcome, InvokeRequest};
use crate::sim::Simulation;
use crate::sqs::Message;
use crate::state::traffic::{Pattern, TrafficGen, TrafficSpec};

impl Simulation {
    /// Starts a traffic generator; returns its index.
    pub fn start_traffic(&mut self, spec: TrafficSpec) -> Result<u32, ApiError> {
        // rates, durations and request counts within their documented ranges (crate::limits)
        crate::limits::check_pattern(&spec.pattern, spec.max_requests)
            .map_err(ApiError::invalid)?;
        if let Pattern::SqsBacklog { queue, count } = &spec.pattern {
            self.send_messages(queue, &spec.payload, *count)?;
        } else if self
            .function_index(crate::state::versions::split_function_name(&spec.function).0)
            .is_none()
        {
            return Err(ApiError::not_found(&spec.function));
        }
        let request = InvokeRequest {
            function: spec.function.clone(),
            invocation_type: spec.invocation_type,
            payload: Arc::from(spec.payload.as_str()),
            principal: spec.principal.clone(),
            source_arn: None,
            source_account: None,
            qualifier: None,
        };
        let generator = TrafficGen::new(spec, self.now, request);
        let done = generator.progress().done;
        self.traffic.push(generator);
        let g = (self.traffic.len() - 1) as u32;
        if !done {
            self.schedule_traffic(g, self.now);
        }
        Ok(g)
    }

    /// Sends `count` copies of `body` to a queue.
    pub fn send_messages(&mut self, queue: &str, body: &str, count: u64) -> Result<(), ApiError> {
        self.send_messages_in_group(queue, body, count, None)
    }

    /// Sends `count` copies of a message, in message group `group` (`MessageGroupId`): a FIFO
    /// queue needs one, and keeps each group's messages in order (docs/lambda-behaviour.md
    /// §2.17). Each copy is a distinct message (its own deduplication id).
    pub fn send_messages_in_group(
        &mut self,
        queue: &str,
        body: &str,
        count: u64,
        group: Option<&str>,
    ) -> Result<(), ApiError> {
        let now = self.now;
        let body: Arc<str> = body.into();
        let mut host = self.host.borrow_mut();
        let mut next = host.next_message_id;
        let q = host.queues.get_mut(queue).ok_or_else(|| {
            ApiError::new(
                "AWS.SimpleQueueService.NonExistentQueue",
                400,
                "The specified queue does not exist.",
            )
        })?;
        q.check_group(group)?;
        for _ in 0..count {
            next += 1;
            q.send_in_group(Message::new(next, body.clone(), now), group.unwrap_or(""));
        }
        host.next_message_id = next;
        drop(host);
        self.wake_sqs_mappings();
        Ok(())
    }

    /// Stops a generator.
    pub fn stop_traffic(&mut self, g: u32) {
        if let Some(t) = self.traffic.get_mut(g as usize) {
            t.stop();
        }
        if let Some(n) = self.traffic_next.get_mut(g as usize) {
            *n = None;
        }
    }

    /// Generators and their counts.
    pub fn traffic(&self) -> &[TrafficGen] {
        &self.traffic
    }

    /// An arrival of generator `g`: the generator says whether a request goes now and when the
    /// next one comes; the request is invoked here.
    pub(crate) fn traffic_arrival(&mut self, g: u32) {
        let gi = g as usize;
        let now = self.now;
        if let Some(req) = self.traffic[gi].arrival(now) {
            let out = self.invoke(&req);
            let accepted = !matches!(out, InvokeOutcome::Rejected(_));
            self.traffic[gi].answered(req, accepted);
        }
        if let Some(at) = self.traffic[gi].next_arrival(now, &mut self.rng) {
            self.schedule_traffic(g, at);
        }
    }
}
