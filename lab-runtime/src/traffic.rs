//! Traffic generators: single invoke, burst of N, constant rate, ramp, Poisson arrivals, and an
//! SQS backlog (issue 4, "Traffic").

use std::sync::Arc;

use crate::clock::SEC;
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
        let done = matches!(spec.pattern, Pattern::SqsBacklog { .. });
        self.traffic.push(TrafficGen {
            spec,
            started_us: self.now,
            sent: 0,
            accepted: 0,
            rejected: 0,
            done,
            request: Some(Box::new(request)),
        });
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
            t.done = true;
        }
        if let Some(n) = self.traffic_next.get_mut(g as usize) {
            *n = None;
        }
    }

    /// Generators and their counts.
    pub fn traffic(&self) -> &[TrafficGen] {
        &self.traffic
    }

    fn send_one(&mut self, g: usize) {
        let req = self.traffic[g].request.take().expect("request");
        let out = self.invoke(&req);
        let t = &mut self.traffic[g];
        t.request = Some(req);
        t.sent += 1;
        match out {
            InvokeOutcome::Rejected(_) => t.rejected += 1,
            _ => t.accepted += 1,
        }
    }

    pub(crate) fn traffic_arrival(&mut self, g: u32) {
        let gi = g as usize;
        if self.traffic[gi].done {
            return;
        }
        let now = self.now;
        let pattern = self.traffic[gi].spec.pattern.clone();
        let max = self.traffic[gi].spec.max_requests.unwrap_or(u64::MAX);
        match pattern {
            Pattern::Once => {
                self.send_one(gi);
                self.traffic[gi].done = true;
            }
            Pattern::Burst { count } => {
                // One request per event, all at the same instant: a caller that runs the world
                // in slices can stop between two of them (each may run a handler to its
                // operation limit: a burst of 1,000 to `loop {}` took 40 s in one go).
                let count = count.min(max);
                if self.traffic[gi].sent < count {
                    self.send_one(gi);
                }
                if self.traffic[gi].sent >= count {
                    self.traffic[gi].done = true;
                } else {
                    self.schedule_traffic(g, now);
                }
            }
            Pattern::SqsBacklog { .. } => self.traffic[gi].done = true,
            Pattern::Constant {
                rate_per_s,
                duration_s,
            }
            | Pattern::Ramp {
                from_per_s: rate_per_s,
                duration_s,
                ..
            }
            | Pattern::Poisson {
                rate_per_s,
                duration_s,
            } => {
                let elapsed = now - self.traffic[gi].started_us;
                let end = (duration_s.max(0.0) * SEC as f64) as u64;
                if elapsed >= end || self.traffic[gi].sent >= max || rate_per_s < 0.0 {
                    self.traffic[gi].done = true;
                    return;
                }
                self.send_one(gi);
                let start = self.traffic[gi].started_us;
                let k = self.traffic[gi].sent;
                let next = match pattern {
                    Pattern::Constant { rate_per_s, .. } => {
                        start + (k as f64 * SEC as f64 / rate_per_s.max(1e-9)) as u64
                    }
                    Pattern::Ramp {
                        from_per_s,
                        to_per_s,
                        duration_s,
                    } => {
                        // k-th arrival where the expected count from*t + (to-from)*t^2/(2D)
                        // reaches k (sqrt is correctly rounded: the same bits on every target)
                        let a = (to_per_s - from_per_s) / (2.0 * duration_s.max(1e-9));
                        let b = from_per_s.max(0.0);
                        let kf = k as f64;
                        let t = if a.abs() < 1e-12 {
                            if b > 0.0 {
                                kf / b
                            } else {
                                f64::INFINITY
                            }
                        } else {
                            (-b + (b * b + 4.0 * a * kf).max(0.0).sqrt()) / (2.0 * a)
                        };
                        if t.is_finite() && t >= 0.0 {
                            start + (t * SEC as f64) as u64
                        } else {
                            start + end
                        }
                    }
                    _ => {
                        let gap = self.rng.exponential(SEC as f64 / rate_per_s.max(1e-9));
                        now + gap as u64
                    }
                };
                if next - start >= end || k >= max {
                    self.traffic[gi].done = true;
                } else {
                    self.schedule_traffic(g, next);
                }
            }
        }
    }
}
