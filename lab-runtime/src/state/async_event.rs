//! The async queue: an event waiting in Lambda's internal queue with its retry rules, the record
//! it sends to a destination or a DLQ, the tally of how events ended, and the retry delays
//! (docs/lambda-behaviour.md §1.4–§1.10). The engine's handling of the queue (dispatching an
//! event, delivering its record) is in `crate::async_queue`.

use std::sync::Arc;

use indexmap::IndexMap;
use litemap::LiteMap;
use serde::{Deserialize, Serialize};

use crate::clock::{HOUR, MIN, SEC};
use crate::handler::FunctionError;
use crate::model::{FunctionVersion, RequestId};
use crate::timefmt::iso8601;
use crate::Micros;

/// An event waiting in (or being processed from) the internal queue. Its attempts, retries and
/// last error change only through the [`AsyncQueue`] that holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AsyncEvent {
    /// Event id.
    id: u64,
    /// Request id (the same across retries).
    request: RequestId,
    /// Function index.
    function: u32,
    /// Payload.
    payload: Arc<str>,
    /// When Lambda accepted it.
    received_us: Micros,
    /// Function invocations so far.
    attempts: u32,
    /// Throttle / system-error retries so far.
    throttle_retries: u32,
    /// Last function error.
    last_error: Option<FunctionError>,
    /// Next attempt time.
    next_attempt_us: Micros,
    /// The version or alias the caller invoked (None = unqualified): its asynchronous settings
    /// apply (docs/lambda-behaviour.md §10.7).
    #[serde(default)]
    qualifier: Option<String>,
    /// The version the last attempt ran (`executedVersion` in the invocation record).
    #[serde(default)]
    executed_version: FunctionVersion,
}

impl AsyncEvent {
    /// An event of `function` accepted at `now` (the caller got 202), first tried at
    /// `first_attempt_us` (docs/lambda-behaviour.md §1.4).
    pub fn new(
        id: u64,
        request: RequestId,
        function: u32,
        qualifier: Option<String>,
        payload: Arc<str>,
        now: Micros,
        first_attempt_us: Micros,
    ) -> Self {
        AsyncEvent {
            id,
            request,
            function,
            payload,
            received_us: now,
            attempts: 0,
            throttle_retries: 0,
            last_error: None,
            next_attempt_us: first_attempt_us,
            qualifier,
            executed_version: FunctionVersion::default(),
        }
    }

    /// Event id.
    #[inline]
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Request id (the same across retries).
    #[inline]
    pub fn request(&self) -> RequestId {
        self.request
    }

    /// Function index.
    #[inline]
    pub fn function(&self) -> u32 {
        self.function
    }

    /// Payload.
    #[inline]
    pub fn payload(&self) -> &Arc<str> {
        &self.payload
    }

    /// How long ago, at `now`, Lambda accepted it.
    #[inline]
    pub fn age(&self, now: Micros) -> Micros {
        now - self.received_us
    }

    /// Function invocations so far.
    #[inline]
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The error of the last attempt that failed.
    #[inline]
    pub fn last_error(&self) -> Option<&FunctionError> {
        self.last_error.as_ref()
    }

    /// When the next attempt is due.
    #[inline]
    pub fn next_attempt_us(&self) -> Micros {
        self.next_attempt_us
    }

    /// The version or alias the caller invoked (None = unqualified).
    #[inline]
    pub fn qualifier(&self) -> Option<&str> {
        self.qualifier.as_deref()
    }

    /// The version the last attempt ran.
    #[inline]
    pub fn executed_version(&self) -> FunctionVersion {
        self.executed_version
    }

    /// The invocation record sent to a destination at `now` (docs/lambda-behaviour.md §1.9):
    /// `function_arn` is the function's ARN qualified as invoked, `condition` how the event
    /// ended, with the last attempt's `error` or `response`.
    pub fn invocation_record(
        &self,
        now: Micros,
        function_arn: &str,
        condition: &str,
        error: Option<&FunctionError>,
        response: Option<&str>,
    ) -> String {
        let payload: serde_json::Value =
            serde_json::from_str(&self.payload).unwrap_or(serde_json::Value::Null);
        let mut response_context = serde_json::json!({
            "statusCode": 200,
            "executedVersion": self.executed_version.to_string(),
        });
        if error.is_some() {
            response_context["functionError"] = "Unhandled".into();
        }
        let response_payload = match (error, response) {
            (Some(e), _) => serde_json::to_value(e).unwrap_or_default(),
            (None, Some(r)) => serde_json::from_str(r).unwrap_or(serde_json::Value::Null),
            _ => serde_json::Value::Null,
        };
        serde_json::json!({
            "version": "1.0",
            "timestamp": iso8601(now),
            "requestContext": {
                "requestId": self.request.to_string(),
                "functionArn": function_arn,
                "condition": condition,
                "approximateInvokeCount": self.attempts,
            },
            "requestPayload": payload,
            "responseContext": response_context,
            "responsePayload": response_payload,
        })
        .to_string()
    }

    /// The message attributes of the event on a dead-letter queue (docs/lambda-behaviour.md
    /// §1.10): `RequestID`, `ErrorCode` (the status `code`) and `ErrorMessage`.
    pub fn dead_letter_attributes(
        &self,
        code: u16,
        error: Option<&FunctionError>,
    ) -> Vec<(String, String)> {
        vec![
            ("RequestID".to_string(), self.request.to_string()),
            ("ErrorCode".to_string(), code.to_string()),
            (
                "ErrorMessage".to_string(),
                error.map(|e| e.error_message.clone()).unwrap_or_default(),
            ),
        ]
    }
}

/// How async events ended: each ends in exactly one of succeeded, delivered on failure, or dropped
/// (docs/lambda-behaviour.md §1.8). A record: the live tally is kept by its [`AsyncQueue`], which
/// hands it out read-only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsyncOutcomes {
    /// Events accepted (202).
    pub received: u64,
    /// Succeeded (possibly after retries).
    pub succeeded: u64,
    /// Sent to the on-failure destination.
    pub to_on_failure: u64,
    /// Sent to the dead-letter queue.
    pub to_dlq: u64,
    /// Dropped, by reason.
    pub dropped: LiteMap<String, u64>,
    /// Success records sent to the on-success destination.
    pub to_on_success: u64,
}

impl AsyncOutcomes {
    /// Events that reached an end.
    pub fn finished(&self) -> u64 {
        self.succeeded + self.to_on_failure + self.to_dlq + self.dropped.values().sum::<u64>()
    }

    /// Counts where an event that ended went.
    fn count(&mut self, ending: Ending<'_>) {
        match ending {
            Ending::OnSuccess => self.to_on_success += 1,
            Ending::OnFailure => self.to_on_failure += 1,
            Ending::DeadLetter => self.to_dlq += 1,
            Ending::Dropped(reason) => *self.dropped.entry(reason.to_string()).or_insert(0) += 1,
        }
    }
}

/// Retry delay after the n-th function error: about 1 min, then about 2 min.
pub fn function_error_delay(attempts: u32) -> Micros {
    if attempts <= 1 {
        MIN
    } else {
        2 * MIN
    }
}

/// Retry delay after the n-th throttle: 1 s doubling up to 5 min.
pub fn throttle_delay(n: u32) -> Micros {
    (SEC << (n.saturating_sub(1)).min(20)).min(5 * MIN)
}

/// The absolute cap on event age: 6 h.
pub const MAX_EVENT_AGE: Micros = 6 * HOUR;

/// What comes after an attempt that did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again at this time.
    Retry(Micros),
    /// The retry would come after the event's maximum age (`EventAgeExceeded`).
    Expired,
    /// The retries are used up (`RetriesExhausted`).
    Exhausted,
}

/// Lambda's internal queue of asynchronous events, and the tally of how they ended
/// (docs/lambda-behaviour.md §1.4–§1.10). Removal is `swap_remove`: order is kept by id where it
/// is read ([`AsyncQueue::in_id_order`]).
#[derive(Debug, Clone, Default)]
pub struct AsyncQueue {
    events: IndexMap<u64, AsyncEvent>,
    outcomes: AsyncOutcomes,
}

/// Where an event that ended went, for the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending<'a> {
    /// A success record reached the on-success destination.
    OnSuccess,
    /// The failure record reached the on-failure destination.
    OnFailure,
    /// The event reached the dead-letter queue.
    DeadLetter,
    /// Dropped, for this reason.
    Dropped(&'a str),
}

impl AsyncQueue {
    /// Accepts an event (the caller got 202).
    pub fn receive(&mut self, event: AsyncEvent) {
        self.outcomes.received += 1;
        self.events.insert(event.id, event);
    }

    /// The event `id`, while it waits or runs.
    pub fn get(&self, id: u64) -> Option<&AsyncEvent> {
        self.events.get(&id)
    }

    /// The next attempt of `id` runs `version`.
    pub fn runs(&mut self, id: u64, version: FunctionVersion) {
        if let Some(e) = self.events.get_mut(&id) {
            e.executed_version = version;
        }
    }

    /// An attempt of `id` started: the function is invoked once more.
    pub fn attempt_started(&mut self, id: u64) {
        if let Some(e) = self.events.get_mut(&id) {
            e.attempts += 1;
        }
    }

    /// An attempt of `id` was throttled at `now`: the next retry waits 1 s, doubling up to
    /// 5 min (§1.6), unless it would come after `max_age` of the event's life.
    pub fn after_throttle(&mut self, id: u64, now: Micros, max_age: Micros) -> Next {
        let Some(e) = self.events.get_mut(&id) else {
            return Next::Exhausted;
        };
        let n = e.throttle_retries + 1;
        let delay = throttle_delay(n);
        if now - e.received_us + delay > max_age {
            return Next::Expired;
        }
        e.throttle_retries = n;
        e.next_attempt_us = now + delay;
        Next::Retry(now + delay)
    }

    /// An attempt of `id` failed at `now` with `error`: retried after about 1 and then 2 min
    /// while fewer than `max_retries` retries were made (§1.5) and the retry comes within
    /// `max_age` of the event's life (§1.7).
    pub fn after_error(
        &mut self,
        id: u64,
        now: Micros,
        error: Option<FunctionError>,
        max_retries: u32,
        max_age: Micros,
    ) -> Next {
        let Some(e) = self.events.get_mut(&id) else {
            return Next::Exhausted;
        };
        e.last_error = error;
        if e.attempts.saturating_sub(1) >= max_retries {
            return Next::Exhausted;
        }
        let delay = function_error_delay(e.attempts);
        if now + delay - e.received_us > max_age {
            return Next::Expired;
        }
        e.next_attempt_us = now + delay;
        Next::Retry(now + delay)
    }

    /// Takes `id` out of the queue, succeeded.
    pub fn succeeded(&mut self, id: u64) -> Option<AsyncEvent> {
        let e = self.events.swap_remove(&id)?;
        self.outcomes.succeeded += 1;
        Some(e)
    }

    /// Takes `id` out of the queue, failed for good: where it goes is counted by [`Self::ended`].
    pub fn failed(&mut self, id: u64) -> Option<AsyncEvent> {
        self.events.swap_remove(&id)
    }

    /// Counts where an event that ended went.
    pub fn ended(&mut self, ending: Ending<'_>) {
        self.outcomes.count(ending);
    }

    /// The events waiting or running, oldest id first.
    pub fn in_id_order(&self) -> impl Iterator<Item = &AsyncEvent> {
        let mut ids: Vec<u64> = self.events.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter().map(|id| &self.events[&id])
    }

    /// How events ended so far.
    pub fn outcomes(&self) -> &AsyncOutcomes {
        &self.outcomes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u64, received_us: Micros) -> AsyncEvent {
        AsyncEvent {
            id,
            request: RequestId(id),
            function: 0,
            payload: Arc::from("{}"),
            received_us,
            attempts: 0,
            throttle_retries: 0,
            last_error: None,
            next_attempt_us: received_us,
            qualifier: None,
            executed_version: FunctionVersion::default(),
        }
    }

    #[test]
    fn a_failing_event_is_retried_twice_then_its_retries_are_exhausted() {
        // docs/lambda-behaviour.md §1.5: 2 retries by default, about 1 then 2 min apart
        let mut q = AsyncQueue::default();
        q.receive(event(7, 0));
        let err = || Some(FunctionError::new("Error", "boom"));
        q.attempt_started(7);
        assert_eq!(q.after_error(7, 0, err(), 2, 6 * HOUR), Next::Retry(MIN));
        q.attempt_started(7);
        assert_eq!(
            q.after_error(7, MIN, err(), 2, 6 * HOUR),
            Next::Retry(3 * MIN)
        );
        q.attempt_started(7);
        assert_eq!(
            q.after_error(7, 3 * MIN, err(), 2, 6 * HOUR),
            Next::Exhausted
        );
        assert_eq!(q.get(7).unwrap().last_error, err());
        q.failed(7).unwrap();
        q.ended(Ending::Dropped("RetriesExhausted"));
        assert_eq!(q.outcomes().received, 1);
        assert_eq!(q.outcomes().finished(), 1);
        assert_eq!(q.outcomes().dropped.get("RetriesExhausted"), Some(&1));
    }

    #[test]
    fn a_retry_past_the_maximum_age_expires_the_event() {
        // docs/lambda-behaviour.md §1.7: a 90 s maximum age leaves no room for the 2-minute retry
        let mut q = AsyncQueue::default();
        q.receive(event(1, 0));
        q.attempt_started(1);
        assert_eq!(q.after_error(1, 0, None, 2, 90 * SEC), Next::Retry(MIN));
        q.attempt_started(1);
        assert_eq!(q.after_error(1, MIN, None, 2, 90 * SEC), Next::Expired);
        // throttles back off 1 s, 2 s, 4 s ... and stop at the age too
        q.receive(event(2, 0));
        assert_eq!(q.after_throttle(2, 0, 4 * SEC), Next::Retry(SEC));
        assert_eq!(q.after_throttle(2, SEC, 4 * SEC), Next::Retry(3 * SEC));
        assert_eq!(q.after_throttle(2, 3 * SEC, 4 * SEC), Next::Expired);
    }

    #[test]
    fn events_are_read_in_id_order_whatever_was_removed() {
        let mut q = AsyncQueue::default();
        for id in [1, 2, 3, 4] {
            q.receive(event(id, 0));
        }
        q.succeeded(1).unwrap();
        let ids: Vec<u64> = q.in_id_order().map(|e| e.id).collect();
        assert_eq!(ids, [2, 3, 4]);
        assert_eq!(q.outcomes().succeeded, 1);
    }

    #[test]
    fn throttle_retry_interval_grows_from_1_s_to_at_most_5_min() {
        // docs/lambda-behaviour.md §1.6: 1 s growing exponentially to at most 5 min
        assert_eq!(throttle_delay(1), SEC);
        assert_eq!(throttle_delay(2), 2 * SEC);
        assert_eq!(throttle_delay(9), 256 * SEC);
        assert_eq!(throttle_delay(10), 5 * MIN);
        assert_eq!(throttle_delay(40), 5 * MIN);
    }

    #[test]
    fn function_error_retries_wait_one_then_two_minutes() {
        // docs/lambda-behaviour.md §1.5
        assert_eq!(function_error_delay(1), MIN);
        assert_eq!(function_error_delay(2), 2 * MIN);
    }

    #[test]
    fn each_event_ends_in_one_place_and_an_on_success_record_is_counted_beside_it() {
        // docs/lambda-behaviour.md §1.8: success (optionally on to the on-success destination),
        // or on-failure destination, or DLQ, or dropped
        let mut q = AsyncQueue::default();
        for id in 1..=5 {
            q.receive(event(id, 0));
        }
        q.succeeded(1).unwrap();
        q.ended(Ending::OnSuccess);
        q.succeeded(2).unwrap();
        q.failed(3).unwrap();
        q.ended(Ending::OnFailure);
        q.failed(4).unwrap();
        q.ended(Ending::DeadLetter);
        q.failed(5).unwrap();
        q.ended(Ending::Dropped("EventAgeExceeded"));
        assert!(q.failed(5).is_none(), "an event ends once");
        let o = q.outcomes();
        assert_eq!((o.received, o.succeeded, o.to_on_success), (5, 2, 1));
        assert_eq!((o.to_on_failure, o.to_dlq), (1, 1));
        assert_eq!(o.dropped.get("EventAgeExceeded"), Some(&1));
        assert_eq!(o.finished(), 5);
        assert_eq!(q.in_id_order().count(), 0);
    }

    #[test]
    fn an_event_keeps_its_request_its_age_and_the_version_it_ran() {
        // docs/lambda-behaviour.md §1.4: accepted with 202, tried later from the queue
        let mut q = AsyncQueue::default();
        q.receive(AsyncEvent::new(
            3,
            RequestId(9),
            1,
            Some("live".into()),
            Arc::from("{}"),
            5 * SEC,
            6 * SEC,
        ));
        q.runs(3, FunctionVersion(2));
        let e = q.get(3).unwrap();
        assert_eq!((e.id(), e.request(), e.function()), (3, RequestId(9), 1));
        assert_eq!(
            (e.qualifier(), e.executed_version()),
            (Some("live"), FunctionVersion(2))
        );
        assert_eq!(
            (e.age(65 * SEC), e.next_attempt_us(), e.attempts()),
            (MIN, 6 * SEC, 0)
        );
    }

    #[test]
    fn the_invocation_record_has_the_fields_a_destination_receives() {
        // docs/lambda-behaviour.md §1.9
        let mut q = AsyncQueue::default();
        q.receive(AsyncEvent::new(
            1,
            RequestId(1),
            0,
            None,
            Arc::from(r#"{"order":7}"#),
            0,
            0,
        ));
        q.attempt_started(1);
        q.attempt_started(1);
        q.runs(1, FunctionVersion(3));
        let e = q.failed(1).unwrap();
        let err = FunctionError::new("Error", "boom");
        let rec = e.invocation_record(
            2 * SEC,
            "arn:f:$LATEST",
            "RetriesExhausted",
            Some(&err),
            None,
        );
        let v: serde_json::Value = serde_json::from_str(&rec).unwrap();
        assert_eq!(v["version"], "1.0");
        assert_eq!(v["timestamp"], iso8601(2 * SEC));
        let c = &v["requestContext"];
        assert_eq!(c["requestId"], RequestId(1).to_string());
        assert_eq!(c["functionArn"], "arn:f:$LATEST");
        assert_eq!(c["condition"], "RetriesExhausted");
        assert_eq!(c["approximateInvokeCount"], 2);
        assert_eq!(v["requestPayload"]["order"], 7);
        assert_eq!(v["responseContext"]["statusCode"], 200);
        assert_eq!(v["responseContext"]["executedVersion"], "3");
        assert_eq!(v["responseContext"]["functionError"], "Unhandled");
        assert_eq!(v["responsePayload"], serde_json::to_value(&err).unwrap());
        // a success record carries the response and no functionError
        let ok = e.invocation_record(0, "arn:f", "Success", None, Some(r#"{"ok":true}"#));
        let v: serde_json::Value = serde_json::from_str(&ok).unwrap();
        assert_eq!(v["responsePayload"]["ok"], true);
        assert!(v["responseContext"].get("functionError").is_none());
    }

    #[test]
    fn a_dead_letter_message_carries_request_id_error_code_and_message() {
        // docs/lambda-behaviour.md §1.10
        let e = event(4, 0);
        let err = FunctionError::new("TooManyRequestsException", "Rate Exceeded.");
        let attrs = e.dead_letter_attributes(429, Some(&err));
        let want = [
            ("RequestID", RequestId(4).to_string()),
            ("ErrorCode", "429".to_string()),
            ("ErrorMessage", "Rate Exceeded.".to_string()),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        assert_eq!(attrs, want);
        assert_eq!(e.dead_letter_attributes(200, None)[2].1, "");
    }
}
