//! Steps in slices: every step that runs simulated events (a synchronous invoke waiting for its
//! response, a burst, a clock advance, a load test) can stop between two events when its caller
//! says so and go on later, so a browser never blocks on a step (a burst of 1,000 requests to a
//! handler that loops runs 1,000 scripts to their operation limit). [`LabSession::apply`] runs
//! the same code to the end in one go.

use lab_runtime::clock::SEC;
use lab_runtime::{Action, Micros};

use super::session::{load_message, LabSession, LoadRun, StepResult, WAIT_EVENTS};
use super::step::Step;

/// Events a load test runs between two looks at the caller's clock.
const LOAD_EVENTS: u64 = 200;

/// A step started and not finished: what it waits for.
#[derive(Debug, Clone)]
pub struct Pending {
    wait: Wait,
    /// The step's message once it ends.
    message: String,
    /// Virtual time when it started.
    from: Micros,
    /// Invocations completed (whole world) when it started.
    invocations: u64,
}

#[derive(Debug, Clone)]
enum Wait {
    /// The response of a synchronous call; at most `left` more events.
    Response { id: String, left: u64 },
    /// A burst: the function has nothing in flight and its traffic is sent.
    Drain {
        function: String,
        generator: u32,
        count: u64,
        left: u64,
    },
    /// The clock reaching `t` (every event up to it run).
    Until { t: Micros },
    /// A load test.
    Load(LoadRun),
}

/// What [`LabSession::begin`] did: finished the step, or started it.
#[derive(Debug, Clone)]
pub enum Begun {
    /// The step is done.
    Done(StepResult),
    /// The step goes on with [`LabSession::resume`].
    Pending(Pending),
}

/// A time or duration to the microsecond: `60.080400 s`, `400 µs`.
fn micros_text(us: Micros) -> String {
    if us < 1_000 {
        format!("{us} µs")
    } else {
        format!("{}.{:06} s", us / SEC, us % SEC)
    }
}

impl Pending {
    fn new(s: &LabSession, wait: Wait, message: impl Into<String>) -> Pending {
        Pending {
            wait,
            message: message.into(),
            from: s.sim.now(),
            invocations: s.sim.completed_invocations(),
        }
    }

    /// Share done, 0–1 (an estimate for a progress bar).
    pub fn fraction(&self, s: &LabSession) -> f64 {
        let now = s.sim.now();
        let f = match &self.wait {
            Wait::Load(run) => run.fraction(now),
            Wait::Until { t } => {
                now.saturating_sub(self.from) as f64 / t.saturating_sub(self.from).max(1) as f64
            }
            Wait::Drain { count, .. } => {
                (s.sim.completed_invocations() - self.invocations) as f64 / (*count).max(1) as f64
            }
            Wait::Response { .. } => 0.0,
        };
        f.clamp(0.0, 1.0)
    }

    /// Whether this is a load test (its progress row says so).
    pub fn is_load_test(&self) -> bool {
        matches!(self.wait, Wait::Load(_))
    }
}

impl LabSession {
    /// Applies one step to the end (the console runs steps in slices instead:
    /// [`LabSession::begin`], [`LabSession::resume`]).
    pub fn apply(&mut self, step: &Step) -> StepResult {
        match self.begin(step) {
            Begun::Done(r) => r,
            Begun::Pending(mut p) => loop {
                if let Some(r) = self.resume(&mut p, &|| false) {
                    return r;
                }
            },
        }
    }

    /// Starts a step: steps that run no events end here; the others return [`Begun::Pending`].
    pub fn begin(&mut self, step: &Step) -> Begun {
        let now = self.sim.now();
        let pending =
            |s: &LabSession, wait, message: String| Begun::Pending(Pending::new(s, wait, message));
        match step {
            Step::Invoke { .. } => match self.invoke(step) {
                Ok(Ok(id)) => {
                    let message = format!("request {id} is still running");
                    pending(
                        self,
                        Wait::Response {
                            id,
                            left: WAIT_EVENTS,
                        },
                        message,
                    )
                }
                Ok(Err(done)) => Begun::Done(done),
                Err(e) => Begun::Done(StepResult::err(e)),
            },
            Step::Burst {
                function,
                count,
                payload,
            } => match self.start_burst(function, payload, *count) {
                Ok(generator) => pending(
                    self,
                    Wait::Drain {
                        function: function.clone(),
                        generator,
                        count: *count,
                        left: WAIT_EVENTS,
                    },
                    format!("{count} simultaneous requests sent"),
                ),
                Err(e) => Begun::Done(StepResult::err(e)),
            },
            Step::LoadTest { .. } => match self.start_load(step) {
                Ok(run) => pending(self, Wait::Load(run), String::new()),
                Err(e) => Begun::Done(StepResult::err(e)),
            },
            Step::Advance { seconds } => {
                let t = now + (seconds.max(0.0) * SEC as f64) as Micros;
                pending(
                    self,
                    Wait::Until { t },
                    format!("Clock advanced by {seconds} s"),
                )
            }
            Step::AdvanceToNextEvent => match self.sim.next_event_time() {
                // The time is in the message to the microsecond: events often follow each other
                // within a millisecond (a retry and its completion), which the clock's display
                // cannot show, and the same message twice looked like a press that did nothing.
                Some(t) => {
                    let message = format!(
                        "Advanced to the next event, {} later: now {}",
                        micros_text(t - now),
                        micros_text(t)
                    );
                    pending(self, Wait::Until { t }, message)
                }
                None => Begun::Done(StepResult {
                    message: "Nothing is scheduled".into(),
                    error: None,
                }),
            },
            _ => Begun::Done(self.apply_now(step)),
        }
    }

    /// Goes on with a started step, one event at a time, until it ends (`Some`) or `stop` says
    /// to give the caller its turn (`None`; call again).
    pub fn resume(&mut self, p: &mut Pending, stop: &dyn Fn() -> bool) -> Option<StepResult> {
        loop {
            let ended = match &mut p.wait {
                Wait::Load(run) => run.step(self, LOAD_EVENTS).done,
                Wait::Until { t } => match self.sim.next_event_time() {
                    Some(next) if next <= *t => {
                        self.sim.step();
                        false
                    }
                    _ => {
                        self.sim.advance_to(*t);
                        true
                    }
                },
                Wait::Response { id, left } => {
                    if let Some(r) = self.response(id) {
                        return Some(r);
                    }
                    *left = left.saturating_sub(1);
                    *left == 0 || !self.sim.step()
                }
                Wait::Drain { function, left, .. } => {
                    *left = left.saturating_sub(1);
                    self.drained(function) || *left == 0 || !self.sim.step()
                }
            };
            if ended {
                return Some(self.ended(p, false));
            }
            if stop() {
                return None;
            }
        }
    }

    /// Stops a started step where it is: the rest of a burst or load test is not sent, the clock
    /// stays where it got to.
    pub fn cancel(&mut self, mut p: Pending) -> StepResult {
        match &p.wait {
            Wait::Drain { generator, .. } => {
                self.sim.apply(Action::StopTraffic { id: *generator }).ok();
                p.message = format!(
                    "Burst cancelled: {} of the requests had completed",
                    self.sim.completed_invocations() - p.invocations
                );
            }
            Wait::Until { .. } => {
                p.message = format!(
                    "Clock advance cancelled after {} s",
                    (self.sim.now() - p.from) as f64 / SEC as f64
                );
            }
            _ => {}
        }
        self.ended(&mut p, true)
    }

    fn ended(&mut self, p: &mut Pending, cancelled: bool) -> StepResult {
        let message = match &p.wait {
            Wait::Load(run) => load_message(&run.clone().finish(self, cancelled)),
            _ => std::mem::take(&mut p.message),
        };
        StepResult {
            message,
            error: None,
        }
    }
}
