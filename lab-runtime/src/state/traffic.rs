//! Traffic generators: the pattern of a generator (single, burst, rate, ramp, Poisson, SQS
//! backlog), and a running generator, which decides when its requests arrive and counts what they
//! got. Sending a request (the invoke) is in `crate::traffic`.

use serde::{Deserialize, Serialize};

use crate::clock::SEC;
use crate::rng::Rng;
use crate::{InvocationType, InvokeRequest, Micros};

/// The shape of the traffic. Externally tagged in JSON, like [`crate::actions::Action`], which
/// carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// One request now.
    Once,
    /// `count` requests at the same instant.
    Burst {
        /// How many.
        count: u64,
    },
    /// Evenly spaced arrivals.
    Constant {
        /// Requests per second.
        rate_per_s: f64,
        /// For how long.
        duration_s: f64,
    },
    /// Rate growing linearly from `from_per_s` to `to_per_s`.
    Ramp {
        /// Starting rate.
        from_per_s: f64,
        /// Final rate.
        to_per_s: f64,
        /// For how long.
        duration_s: f64,
    },
    /// Poisson arrivals (exponential gaps) at a mean rate.
    Poisson {
        /// Mean requests per second.
        rate_per_s: f64,
        /// For how long.
        duration_s: f64,
    },
    /// `count` messages sent at once to a queue (for an SQS mapping).
    SqsBacklog {
        /// Queue name.
        queue: String,
        /// How many messages.
        count: u64,
    },
}

/// A traffic generator to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficSpec {
    /// Function name (ignored for an SQS backlog).
    pub function: String,
    /// Invocation type.
    pub invocation_type: InvocationType,
    /// Payload of every request.
    pub payload: String,
    /// Caller (None = the account's administrator).
    pub principal: Option<String>,
    /// Shape.
    pub pattern: Pattern,
    /// Stop after this many requests.
    pub max_requests: Option<u64>,
}

/// What a running generator's requests got, read with [`TrafficGen::progress`]: only the
/// generator changes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrafficProgress {
    /// Requests sent.
    pub sent: u64,
    /// Requests accepted (started or queued).
    pub accepted: u64,
    /// Requests rejected (413, 403, 429, 404).
    pub rejected: u64,
    /// Finished.
    pub done: bool,
}

/// A running generator and what its requests got. Its counters are a
/// [`TrafficProgress`] (a copy, from [`TrafficGen::progress`]: only this file changes it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficGen {
    /// What it does.
    spec: TrafficSpec,
    /// Start time.
    started_us: Micros,
    #[serde(flatten)]
    progress: TrafficProgress,
    /// Boxed: taken out and put back on every request, a pointer moves instead of the request.
    #[serde(skip)]
    request: Option<Box<InvokeRequest>>,
}

impl TrafficGen {
    /// What it has done so far, as a copy: only its own methods change it.
    #[inline]
    pub fn progress(&self) -> TrafficProgress {
        self.progress
    }

    /// A generator started at `now` that sends `request` (an SQS backlog is sent whole when it
    /// starts: it is done from the start).
    pub fn new(spec: TrafficSpec, now: Micros, request: InvokeRequest) -> Self {
        let done = matches!(spec.pattern, Pattern::SqsBacklog { .. });
        TrafficGen {
            spec,
            started_us: now,
            progress: TrafficProgress {
                done,
                ..TrafficProgress::default()
            },
            request: Some(Box::new(request)),
        }
    }

    /// What it does.
    #[inline]
    pub fn spec(&self) -> &TrafficSpec {
        &self.spec
    }

    /// When it started.
    #[inline]
    pub fn started_us(&self) -> Micros {
        self.started_us
    }

    /// Stops it: no more arrivals.
    #[inline]
    pub fn stop(&mut self) {
        self.progress.done = true;
    }

    /// An arrival at `now`: the request to send now, taken out until [`Self::answered`] puts it
    /// back; `None` when nothing is sent (a burst that sent its count; a rate that reached its
    /// duration or `max_requests`, which ends the generator).
    #[inline]
    pub fn arrival(&mut self, now: Micros) -> Option<Box<InvokeRequest>> {
        if self.progress.done {
            return None;
        }
        let max = self.spec.max_requests.unwrap_or(u64::MAX);
        let send = match self.spec.pattern {
            Pattern::Once => true,
            Pattern::Burst { count } => self.progress.sent < count.min(max),
            Pattern::SqsBacklog { .. } => {
                self.progress.done = true;
                false
            }
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
                let elapsed = now - self.started_us;
                if elapsed >= end_us(duration_s) || self.progress.sent >= max || rate_per_s < 0.0 {
                    self.progress.done = true;
                    false
                } else {
                    true
                }
            }
        };
        if send {
            Some(self.request.take().expect("request"))
        } else {
            None
        }
    }

    /// The request taken by [`Self::arrival`] was sent: `accepted` (started or queued) or
    /// rejected.
    #[inline]
    pub fn answered(&mut self, request: Box<InvokeRequest>, accepted: bool) {
        self.request = Some(request);
        let p = &mut self.progress;
        p.sent += 1;
        if accepted {
            p.accepted += 1;
        } else {
            p.rejected += 1;
        }
    }

    /// After an arrival at `now`: when the next one comes, or `None` when the generator is done
    /// (which it then is). A Poisson gap draws from `rng` (one draw per arrival, after the
    /// request was sent).
    #[inline]
    pub fn next_arrival(&mut self, now: Micros, rng: &mut Rng) -> Option<Micros> {
        if self.progress.done {
            return None;
        }
        let max = self.spec.max_requests.unwrap_or(u64::MAX);
        let k = self.progress.sent;
        let start = self.started_us;
        let next = match self.spec.pattern {
            Pattern::Once | Pattern::SqsBacklog { .. } => None,
            // one request per event, all at the same instant: a caller that runs the world in
            // slices can stop between two of them (each may run a handler to its operation
            // limit: a burst of 1,000 to `loop {}` took 40 s in one go)
            Pattern::Burst { count } => (k < count.min(max)).then_some(now),
            Pattern::Constant {
                rate_per_s,
                duration_s,
            } => {
                let next = start + (k as f64 * SEC as f64 / rate_per_s.max(1e-9)) as u64;
                (next - start < end_us(duration_s) && k < max).then_some(next)
            }
            Pattern::Ramp {
                from_per_s,
                to_per_s,
                duration_s,
            } => {
                let end = end_us(duration_s);
                // k-th arrival where the expected count from*t + (to-from)*t^2/(2D) reaches k
                // (sqrt is correctly rounded: the same bits on every target)
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
                let next = if t.is_finite() && t >= 0.0 {
                    start + (t * SEC as f64) as u64
                } else {
                    start + end
                };
                (next - start < end && k < max).then_some(next)
            }
            Pattern::Poisson {
                rate_per_s,
                duration_s,
            } => {
                let gap = rng.exponential(SEC as f64 / rate_per_s.max(1e-9));
                let next = now + gap as u64;
                (next - start < end_us(duration_s) && k < max).then_some(next)
            }
        };
        if next.is_none() {
            self.progress.done = true;
        }
        next
    }
}

/// A rate pattern's duration, in microseconds from its start.
#[inline]
fn end_us(duration_s: f64) -> Micros {
    (duration_s.max(0.0) * SEC as f64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generator(pattern: Pattern, max_requests: Option<u64>, now: Micros) -> TrafficGen {
        let spec = TrafficSpec {
            function: "f".into(),
            invocation_type: InvocationType::Event,
            payload: "{}".into(),
            principal: None,
            pattern,
            max_requests,
        };
        let request = InvokeRequest {
            function: "f".into(),
            invocation_type: InvocationType::Event,
            payload: "{}".into(),
            principal: None,
            source_arn: None,
            source_account: None,
            qualifier: None,
        };
        TrafficGen::new(spec, now, request)
    }

    /// Runs arrivals from `now`, every request answered `accepted(n)`: the arrival times.
    fn run(g: &mut TrafficGen, now: Micros, accepted: impl Fn(u64) -> bool) -> Vec<Micros> {
        let mut rng = Rng::new(7);
        let mut at = Some(now);
        let mut times = vec![];
        while let Some(t) = at {
            if let Some(req) = g.arrival(t) {
                times.push(t);
                g.answered(req, accepted(g.progress().sent));
            }
            at = g.next_arrival(t, &mut rng);
        }
        times
    }

    #[test]
    fn a_burst_sends_its_count_at_one_instant_capped_by_max_requests() {
        // book/src/instructors/scenarios.md, `[[timeline]]`: `burst` with `count`; a request
        // rejected at the front door (429 and the like, docs/lambda-behaviour.md §1.2) counts as
        // rejected
        let mut g = generator(Pattern::Burst { count: 5 }, Some(3), 10);
        let times = run(&mut g, 10, |n| n != 2);
        assert_eq!(times, [10, 10, 10]);
        assert_eq!(
            (
                g.progress().sent,
                g.progress().accepted,
                g.progress().rejected,
                g.progress().done
            ),
            (3, 2, 1, true)
        );
        assert!(
            g.arrival(10).is_none(),
            "a finished generator sends nothing"
        );
    }

    #[test]
    fn a_constant_rate_spaces_arrivals_evenly_until_its_duration() {
        // 4 per second for 1 s: at 0, 0.25, 0.5 and 0.75 s; the one at 1 s is past the duration
        let mut g = generator(
            Pattern::Constant {
                rate_per_s: 4.0,
                duration_s: 1.0,
            },
            None,
            SEC,
        );
        let times = run(&mut g, SEC, |_| true);
        assert_eq!(
            times,
            [SEC, SEC + SEC / 4, SEC + SEC / 2, SEC + 3 * SEC / 4]
        );
        assert_eq!(
            (g.progress().sent, g.progress().accepted, g.progress().done),
            (4, 4, true)
        );
        assert_eq!(g.started_us(), SEC);
    }

    #[test]
    fn a_ramp_arrives_faster_as_its_rate_grows() {
        // from 0 to 10 per second over 2 s: 10 requests expected, the gaps shrinking
        let mut g = generator(
            Pattern::Ramp {
                from_per_s: 0.0,
                to_per_s: 10.0,
                duration_s: 2.0,
            },
            None,
            0,
        );
        let times = run(&mut g, 0, |_| true);
        assert_eq!(times.len(), 10, "{times:?}");
        let gaps: Vec<Micros> = times.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.windows(2).all(|w| w[1] <= w[0]), "{gaps:?}");
    }

    #[test]
    fn poisson_arrivals_stop_at_max_requests_and_draw_one_gap_each() {
        let mut g = generator(
            Pattern::Poisson {
                rate_per_s: 100.0,
                duration_s: 60.0,
            },
            Some(20),
            0,
        );
        let times = run(&mut g, 0, |_| true);
        assert_eq!(times.len(), 20);
        // the same gaps as drawn from the same seed, one per request sent
        let mut rng = Rng::new(7);
        let mut t = 0;
        for &at in &times {
            assert_eq!(at, t);
            t += rng.exponential(SEC as f64 / 100.0) as u64;
        }
    }

    #[test]
    fn a_backlog_is_done_from_the_start_and_a_stopped_generator_sends_nothing() {
        let g = generator(
            Pattern::SqsBacklog {
                queue: "q".into(),
                count: 3,
            },
            None,
            0,
        );
        assert!(g.progress().done);
        let mut g = generator(Pattern::Once, None, 0);
        assert!(!g.progress().done);
        g.stop();
        assert!(g.arrival(0).is_none());
        assert_eq!(g.next_arrival(0, &mut Rng::new(1)), None);
        assert_eq!(g.progress().sent, 0);
    }

    #[test]
    fn the_counters_serialize_beside_the_spec_as_before() {
        let mut g = generator(Pattern::Once, None, 3);
        run(&mut g, 3, |_| false);
        let json = serde_json::to_string(&g).unwrap();
        assert!(json.starts_with(r#"{"spec":{"function":"f","#), "{json}");
        assert!(
            json.ends_with(r#""started_us":3,"sent":1,"accepted":0,"rejected":1,"done":true}"#),
            "{json}"
        );
        let back: TrafficGen = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (
                back.progress().sent,
                back.progress().done,
                back.started_us()
            ),
            (1, true, 3)
        );
        assert_eq!(back.spec(), g.spec());
    }
}
