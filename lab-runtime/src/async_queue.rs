//! Asynchronous invocation: the internal queue, retries (about 1 and 2 minutes after function
//! errors; exponential 1 s → 5 min for throttles), event age, destinations and the DLQ
//! (docs/lambda-behaviour.md §1.4–§1.10; the kinds of destination: §1.13–§1.16).

use std::sync::Arc;

use crate::clock::{Micros, SEC};
use crate::handler::FunctionError;
use crate::model::{Outcome, RequestId, Trigger};
use crate::sim::{Ev, Simulation};
use crate::state::async_event::{AsyncEvent, AsyncOutcomes, Ending, Next, MAX_EVENT_AGE};
use crate::state::destination::Sent;
use crate::state::inflight::{InFlight, Source};

impl Simulation {
    pub(crate) fn async_enqueue(
        &mut self,
        f: u32,
        qualifier: Option<String>,
        payload: Arc<str>,
        request: RequestId,
    ) {
        let id = self.next_id();
        let now = self.now;
        self.functions[f as usize].async_event_received(now);
        let at = now + self.account.settings.async_dispatch_delay_us;
        self.async_queue
            .receive(AsyncEvent::new(id, request, f, qualifier, payload, now, at));
        self.schedule(at, Ev::AsyncDispatch(id));
    }

    fn max_age(&self, f: u32, qualifier: Option<&str>) -> Micros {
        (self.functions[f as usize]
            .event_invoke_config(qualifier)
            .maximum_event_age_s as u64
            * SEC)
            .min(MAX_EVENT_AGE)
    }

    pub(crate) fn async_dispatch(&mut self, id: u64) {
        let Some(ev) = self.async_queue.get(id).cloned() else {
            return;
        };
        let now = self.now;
        let f = ev.function();
        let age = ev.age(now);
        self.functions[f as usize].async_event_dispatched(now, age);
        if self.functions[f as usize].config().reserved_concurrency == Some(0) {
            // docs/lambda-behaviour.md §1.8: reserved 0 -> straight to DLQ / on-failure, no retries
            // ... and each such event counts as a throttle (docs/lambda-behaviour.md §8.1 `Throttles`)
            self.throttle(
                f,
                ev.executed_version().0,
                "ReservedFunctionConcurrentInvocationLimitExceeded",
                Trigger::Async,
                ev.request(),
                ev.attempts() + 1,
            );
            let e = FunctionError::new("TooManyRequestsException", "Rate Exceeded.");
            self.async_fail(id, "RetriesExhausted", Some(e), 429);
            return;
        }
        let q = ev.qualifier();
        if age > self.max_age(f, q) {
            self.async_fail(id, "EventAgeExceeded", ev.last_error().cloned(), 200);
            return;
        }
        let target = match self.resolve(f, q) {
            Ok(t) => t,
            Err(e) => {
                // the alias was deleted while the event waited
                let e = FunctionError::new(&e.code, e.message);
                self.async_fail(id, "RetriesExhausted", Some(e), 404);
                return;
            }
        };
        self.async_queue
            .runs(id, crate::model::FunctionVersion(target.version));
        let attempt = ev.attempts() + 1;
        match self.try_start(
            f,
            target,
            Trigger::Async,
            Source::Async(id),
            ev.payload(),
            ev.request(),
            attempt,
        ) {
            Ok(()) => self.async_queue.attempt_started(id),
            Err(_) => {
                let max_age = self.max_age(f, q);
                match self.async_queue.after_throttle(id, now, max_age) {
                    Next::Retry(at) => self.schedule(at, Ev::AsyncDispatch(id)),
                    Next::Expired | Next::Exhausted => {
                        let e = FunctionError::new("TooManyRequestsException", "Rate Exceeded.");
                        self.async_fail(id, "EventAgeExceeded", Some(e), 429);
                    }
                }
            }
        }
    }

    pub(crate) fn async_complete(&mut self, id: u64, inf: &InFlight) {
        if inf.outcome == Outcome::Success {
            let Some(ev) = self.async_queue.succeeded(id) else {
                return;
            };
            let (f, now) = (ev.function(), self.now);
            if let Some(dest) = self.functions[f as usize]
                .event_invoke_config(ev.qualifier())
                .on_success
                .clone()
            {
                let rec = self.invocation_record(
                    &ev,
                    "Success",
                    inf.error.as_deref(),
                    inf.response.as_deref(),
                );
                if self.deliver(f, &dest, rec, vec![], Sent::Success) {
                    self.async_queue.ended(Ending::OnSuccess);
                } else {
                    self.functions[f as usize].destination_failed(now);
                }
            }
            return;
        }
        let Some(ev) = self.async_queue.get(id) else {
            return;
        };
        let f = ev.function();
        let q = ev.qualifier().map(str::to_string);
        let error = inf
            .error
            .as_deref()
            .cloned()
            .or_else(|| Some(FunctionError::new("Unhandled", "")));
        let max_retries = self.functions[f as usize]
            .event_invoke_config(q.as_deref())
            .maximum_retry_attempts;
        let max_age = self.max_age(f, q.as_deref());
        let now = self.now;
        match self
            .async_queue
            .after_error(id, now, error.clone(), max_retries, max_age)
        {
            Next::Retry(at) => self.schedule(at, Ev::AsyncDispatch(id)),
            Next::Expired => self.async_fail(id, "EventAgeExceeded", error, 200),
            Next::Exhausted => self.async_fail(id, "RetriesExhausted", error, 200),
        }
    }

    /// The event failed for good: on-failure destination, else DLQ, else dropped with a reason.
    fn async_fail(&mut self, id: u64, condition: &str, error: Option<FunctionError>, code: u16) {
        let Some(ev) = self.async_queue.failed(id) else {
            return;
        };
        let f = ev.function();
        let now = self.now;
        let fs = &self.functions[f as usize];
        let q = ev.qualifier();
        let on_failure = fs.event_invoke_config(q).on_failure.clone();
        let dead_letter_queue = match q {
            None => fs.config().async_config.dead_letter_queue.clone(),
            // a version keeps the DLQ it was published with (docs/lambda-behaviour.md §10.7)
            Some(_) => fs.dead_letter_queue_for(q).map(str::to_string),
        };
        if let Some(dest) = on_failure {
            let rec = self.invocation_record(&ev, condition, error.as_ref(), None);
            if self.deliver(f, &dest, rec, vec![], Sent::Failure) {
                self.async_queue.ended(Ending::OnFailure);
                return;
            }
            self.functions[f as usize].destination_failed(now);
            self.drop_event(f, "DestinationDeliveryFailure");
        } else if let Some(dlq) = dead_letter_queue {
            let attrs = ev.dead_letter_attributes(code, error.as_ref());
            if self.deliver(f, &dlq, ev.payload().to_string(), attrs, Sent::DeadLetter) {
                self.async_queue.ended(Ending::DeadLetter);
                return;
            }
            self.functions[f as usize].dead_letter_failed(now);
            self.drop_event(f, "DeadLetterError");
        } else {
            self.drop_event(f, condition);
        }
    }

    fn drop_event(&mut self, f: u32, reason: &str) {
        self.async_queue.ended(Ending::Dropped(reason));
        self.functions[f as usize].async_event_dropped(self.now);
    }

    /// The invocation record sent to destinations (docs/lambda-behaviour.md §1.9).
    fn invocation_record(
        &self,
        ev: &AsyncEvent,
        condition: &str,
        error: Option<&FunctionError>,
        response: Option<&str>,
    ) -> String {
        let fs = &self.functions[ev.function() as usize];
        let arn = fs.qualified_arn(Some(ev.qualifier().unwrap_or("$LATEST")));
        ev.invocation_record(self.now, &arn, condition, error, response)
    }

    /// Events in the internal queue or in flight, oldest first.
    pub fn async_events(&self) -> impl Iterator<Item = &AsyncEvent> {
        self.async_queue.in_id_order()
    }

    /// How async events ended so far.
    pub fn async_outcomes(&self) -> &AsyncOutcomes {
        self.async_queue.outcomes()
    }
}
