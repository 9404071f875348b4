//! A lab in progress: the simulation, the trace, and the objectives completed so far. The console
//! and the native tests both drive this type, so a lab is graded the same way everywhere.

use std::sync::Arc;

use lab_runtime::clock::SEC;
use lab_runtime::config::AsyncConfig;
use lab_runtime::model::{InvocationType, InvokeOutcome, InvokeRequest};
use lab_runtime::state::traffic::{Pattern, TrafficSpec};
use lab_runtime::view::FunctionView;
use lab_runtime::{Action, ApiError, HandlerSpec, Micros, Progress, RunBudget, Simulation};

use super::objective::ObjectiveStatus;
use super::step::{InvokeKind, Step};
use super::trace::{LoadResult, Rejection, Trace};
use super::Lab;

/// Events processed at most while a step waits for its requests to finish.
pub(super) const WAIT_EVENTS: u64 = 200_000;

/// What a step did, for the console's status line and inline errors.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    /// One line for the learner (and the screen reader).
    pub message: String,
    /// The AWS error, when the call was refused.
    pub error: Option<ApiError>,
}

impl StepResult {
    pub(super) fn ok(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            error: None,
        }
    }

    pub(super) fn err(e: ApiError) -> Self {
        Self {
            message: format!("{} ({}): {}", e.code, e.status, e.message),
            error: Some(e),
        }
    }
}

/// A lab being worked on.
pub struct LabSession {
    /// The lab.
    pub lab: Arc<Lab>,
    /// The simulated world.
    pub sim: Simulation,
    /// What the simulation does not record.
    pub trace: Trace,
    /// Objectives completed, each once (they stay completed).
    pub completed: Vec<String>,
}

/// A load test running in chunks (the console yields to the browser between chunks).
#[derive(Debug, Clone)]
pub struct LoadRun {
    function: String,
    generator: u32,
    rate_per_s: f64,
    started_us: Micros,
    until_us: Micros,
    before: (u64, u64, u64, f64),
    traffic_done: bool,
}

impl LabSession {
    /// Builds the starting world of a lab.
    pub fn new(lab: Arc<Lab>) -> Result<Self, ApiError> {
        let mut sim = Simulation::new(lab.account.clone(), lab.seed);
        for a in &lab.setup {
            sim.apply(a.clone())?;
        }
        Ok(Self {
            lab,
            sim,
            trace: Trace::default(),
            completed: Vec::new(),
        })
    }

    /// A function's current state.
    pub fn function(&self, name: &str) -> Option<FunctionView> {
        self.sim
            .view()
            .functions
            .into_iter()
            .find(|f| f.config.name == name)
    }

    /// Applies a step that runs no events.
    pub(super) fn apply_now(&mut self, step: &Step) -> StepResult {
        match self.try_apply(step) {
            Ok(r) => r,
            Err(e) => StepResult::err(e),
        }
    }

    /// Sends an invoke step: `Ok(Ok(id))` when a synchronous call started (its response comes
    /// later: [`LabSession::response`]), `Ok(Err(result))` when the call is answered already.
    pub(super) fn invoke(&mut self, step: &Step) -> Result<Result<String, StepResult>, ApiError> {
        let sim = &mut self.sim;
        let Step::Invoke {
            function,
            kind,
            payload,
            principal,
            source_arn,
            source_account,
            qualifier,
        } = step
        else {
            return Err(ApiError::invalid("not an invoke"));
        };
        let req = InvokeRequest {
            function: function.clone(),
            invocation_type: match kind {
                InvokeKind::Sync => InvocationType::RequestResponse,
                InvokeKind::Async => InvocationType::Event,
                InvokeKind::DryRun => InvocationType::DryRun,
            },
            payload: Arc::from(payload.as_str()),
            principal: principal.clone(),
            source_arn: source_arn.clone(),
            source_account: source_account.clone(),
            qualifier: qualifier.clone(),
        };
        Ok(match sim.invoke(&req) {
            InvokeOutcome::Started { request_id } => Ok(request_id.to_string()),
            InvokeOutcome::Queued { request_id, status } => {
                sim.advance_by(0);
                Err(StepResult::ok(format!(
                    "{status} Accepted: event {request_id} queued"
                )))
            }
            InvokeOutcome::DryRunOk { status } => Err(StepResult::ok(format!(
                "{status} No Content: DryRun passed"
            ))),
            InvokeOutcome::Rejected(e) => {
                self.trace.rejections.push(Rejection {
                    function: function.clone(),
                    code: e.code.clone(),
                    principal: principal.clone(),
                });
                Err(StepResult::err(e))
            }
        })
    }

    fn try_apply(&mut self, step: &Step) -> Result<StepResult, ApiError> {
        let sim = &mut self.sim;
        Ok(match step {
            Step::Configure {
                function,
                memory_mb,
                timeout_s,
                ephemeral_storage_mb,
            } => {
                let mut c = self.config(function)?;
                c.memory_mb = memory_mb.unwrap_or(c.memory_mb);
                c.timeout_s = timeout_s.unwrap_or(c.timeout_s);
                c.ephemeral_storage_mb = ephemeral_storage_mb.unwrap_or(c.ephemeral_storage_mb);
                self.sim
                    .apply(Action::UpdateFunctionConfiguration(Box::new(c)))?;
                self.changed(function);
                StepResult::ok("Configuration updated: new environments will use it")
            }
            Step::SetReserved { function, reserved } => {
                sim.apply(Action::PutFunctionConcurrency {
                    function: function.clone(),
                    reserved: *reserved,
                })?;
                StepResult::ok(match reserved {
                    Some(r) => format!("Reserved concurrency set to {r}"),
                    None => "Reserved concurrency removed".into(),
                })
            }
            Step::SetProvisioned {
                function,
                amount,
                qualifier,
            } => {
                sim.apply(Action::PutProvisionedConcurrency {
                    function: function.clone(),
                    amount: *amount,
                    qualifier: qualifier.clone(),
                })?;
                let on = qualifier.as_deref().unwrap_or_default();
                StepResult::ok(format!("Provisioned concurrency of {on} set to {amount}"))
            }
            Step::PublishVersion {
                function,
                description,
            } => match sim.apply(Action::PublishVersion {
                function: function.clone(),
                description: description.clone(),
            })? {
                lab_runtime::ActionResult::Published { version } => {
                    StepResult::ok(format!("Version {version} published"))
                }
                _ => StepResult::ok("Version published"),
            },
            Step::DeleteVersion { function, version } => {
                sim.apply(Action::DeleteVersion {
                    function: function.clone(),
                    qualifier: Some(version.trim().to_owned()),
                })?;
                StepResult::ok(format!("Version {} deleted", version.trim()))
            }
            Step::SetAlias {
                function,
                alias,
                function_version,
                additional_version_weights,
            } => {
                let routing = (!additional_version_weights.is_empty()).then(|| {
                    lab_runtime::state::versions::RoutingConfig {
                        additional_version_weights: additional_version_weights.clone(),
                    }
                });
                let exists = sim.alias_version(function, alias).is_some();
                let action = if exists {
                    Action::UpdateAlias {
                        function: function.clone(),
                        name: alias.clone(),
                        function_version: function_version.clone(),
                        routing,
                    }
                } else {
                    Action::CreateAlias {
                        function: function.clone(),
                        name: alias.clone(),
                        function_version: function_version.clone(),
                        routing,
                    }
                };
                sim.apply(action)?;
                let extra: String = additional_version_weights
                    .iter()
                    .map(|(v, w)| format!(", {:.0} % to version {v}", w * 100.0))
                    .collect();
                StepResult::ok(format!(
                    "Alias {alias} points to version {function_version}{extra}"
                ))
            }
            Step::SetAsync {
                function,
                maximum_retry_attempts,
                maximum_event_age_s,
                dead_letter_queue,
                on_failure,
                on_success,
            } => {
                sim.apply(Action::PutEventInvokeConfig {
                    function: function.clone(),
                    config: AsyncConfig {
                        maximum_retry_attempts: *maximum_retry_attempts,
                        maximum_event_age_s: *maximum_event_age_s,
                        on_success: on_success.clone(),
                        on_failure: on_failure.clone(),
                        dead_letter_queue: dead_letter_queue.clone(),
                    },
                    qualifier: None,
                })?;
                StepResult::ok("Asynchronous invocation settings saved")
            }
            Step::Deploy { function, script } => {
                sim.apply(Action::UpdateFunctionCode {
                    function: function.clone(),
                    handler: HandlerSpec::Script(script.clone()),
                })?;
                self.changed(function);
                StepResult::ok("Deployed: new code runs in new environments")
            }
            Step::PutFunctionPolicy { function, policy } => {
                sim.apply(Action::PutFunctionPolicy {
                    function: function.clone(),
                    policy: policy.clone(),
                })?;
                StepResult::ok("Resource-based policy saved")
            }
            Step::AddPermission {
                function,
                sid,
                principal,
                source_arn,
                source_account,
                qualifier,
            } => {
                sim.apply(Action::AddPermission {
                    function: function.clone(),
                    sid: sid.clone(),
                    principal: principal.clone(),
                    source_arn: source_arn.clone(),
                    source_account: source_account.clone(),
                    qualifier: qualifier.clone(),
                })?;
                StepResult::ok(format!("Statement {sid} added"))
            }
            Step::SetVpc {
                function,
                subnet_ids,
                security_group_ids,
            } => {
                let mut c = self.config(function)?;
                let detach = subnet_ids.is_empty() && security_group_ids.is_empty();
                c.vpc = (!detach).then(|| lab_runtime::config::VpcConfig {
                    subnet_ids: subnet_ids.clone(),
                    security_group_ids: security_group_ids.clone(),
                });
                self.sim
                    .apply(Action::UpdateFunctionConfiguration(Box::new(c)))?;
                self.changed(function);
                StepResult::ok(if detach {
                    "Detached from the VPC".to_owned()
                } else {
                    format!("Attached to the VPC ({})", subnet_ids.join(", "))
                })
            }
            Step::PutTrustPolicy { function, policy } => {
                let role = self.config(function)?.role;
                self.sim.apply(Action::UpdateAssumeRolePolicy {
                    role: role.clone(),
                    policy: policy.clone(),
                })?;
                StepResult::ok(format!("Trust policy of role {role} replaced"))
            }
            Step::AttachManagedPolicy { function, policy } => {
                let role = self.config(function)?.role;
                self.sim.apply(Action::AttachRolePolicy {
                    role: role.clone(),
                    managed: policy.clone(),
                })?;
                StepResult::ok(format!("{policy} attached to role {role}"))
            }
            Step::DetachManagedPolicy { function, policy } => {
                let role = self.config(function)?.role;
                self.sim.apply(Action::DetachRolePolicy {
                    role: role.clone(),
                    managed: policy.clone(),
                })?;
                StepResult::ok(format!("{policy} detached from role {role}"))
            }
            Step::PutRolePolicy { function, policy } => {
                let role = self.config(function)?.role;
                self.sim.apply(Action::PutRolePolicy {
                    role: role.clone(),
                    policy: policy.clone(),
                })?;
                StepResult::ok(format!("Inline policy added to role {role}"))
            }
            Step::SendMessages { queue, body, count } => {
                sim.apply(Action::SendMessages {
                    queue: queue.clone(),
                    body: body.clone(),
                    count: *count,
                    message_group_id: None,
                })?;
                sim.advance_by(0);
                StepResult::ok(format!("{count} message(s) sent to {queue}"))
            }
            // They run events: see `begin`.
            Step::Invoke { .. }
            | Step::Burst { .. }
            | Step::LoadTest { .. }
            | Step::Advance { .. }
            | Step::AdvanceToNextEvent => return Ok(self.apply(step)),
        })
    }

    fn config(&self, function: &str) -> Result<lab_runtime::FunctionConfig, ApiError> {
        self.function(function)
            .map(|f| f.config)
            .ok_or_else(|| ApiError::not_found(function))
    }

    fn changed(&mut self, function: &str) {
        self.trace
            .changes
            .insert(function.to_owned(), self.sim.now());
    }

    /// The response to the synchronous call `id`, once it came.
    pub(super) fn response(&self, id: &str) -> Option<StepResult> {
        let r = self
            .sim
            .responses()
            .items()
            .iter()
            .rev()
            .find(|r| r.request_id.to_string() == id)?;
        Some(match (&r.error, &r.function_error) {
            (Some(e), _) => StepResult::err(e.clone()),
            (None, Some(fe)) => StepResult::ok(format!(
                "{} with X-Amz-Function-Error: {fe}: {}",
                r.status, r.payload
            )),
            (None, None) => StepResult::ok(format!("{} OK: {}", r.status, r.payload)),
        })
    }

    /// Sends `count` simultaneous requests; returns the traffic generator's id.
    pub(super) fn start_burst(
        &mut self,
        function: &str,
        payload: &str,
        count: u64,
    ) -> Result<u32, ApiError> {
        let r = self.sim.apply(Action::StartTraffic(traffic(
            function,
            payload,
            Pattern::Burst { count },
        )))?;
        Ok(match r {
            lab_runtime::ActionResult::Created { id } => id,
            _ => 0,
        })
    }

    /// Whether the function has nothing in flight and all traffic is sent.
    pub(super) fn drained(&self, function: &str) -> bool {
        let busy = self.sim.function_in_flight(function).unwrap_or(0) > 0;
        let sending = self.sim.traffic().iter().any(|g| !g.progress().done);
        !busy && !sending
    }

    /// Starts a `load_test` step to be run in chunks.
    pub fn start_load(&mut self, step: &Step) -> Result<LoadRun, ApiError> {
        let Step::LoadTest {
            function,
            rate_per_s,
            duration_s,
            payload,
            ramp_from_per_s,
        } = step
        else {
            return Err(ApiError::invalid("not a load test"));
        };
        let before = self.counters(function)?;
        let pattern = match ramp_from_per_s {
            Some(from) => Pattern::Ramp {
                from_per_s: *from,
                to_per_s: *rate_per_s,
                duration_s: *duration_s,
            },
            None => Pattern::Constant {
                rate_per_s: *rate_per_s,
                duration_s: *duration_s,
            },
        };
        // Objectives ask for "at least N per second": a ramp sustains only its lower end.
        let sustained = ramp_from_per_s.map_or(*rate_per_s, |from| from.min(*rate_per_s));
        let r = self
            .sim
            .apply(Action::StartTraffic(traffic(function, payload, pattern)))?;
        let generator = match r {
            lab_runtime::ActionResult::Created { id } => id,
            _ => 0,
        };
        let now = self.sim.now();
        Ok(LoadRun {
            function: function.clone(),
            generator,
            rate_per_s: sustained,
            started_us: now,
            until_us: now + (duration_s.max(0.0) * SEC as f64) as Micros,
            before,
            traffic_done: false,
        })
    }

    /// (invocations, errors, throttles, cost) of a function so far.
    fn counters(&self, function: &str) -> Result<(u64, u64, u64, f64), ApiError> {
        let f = self
            .function(function)
            .ok_or_else(|| ApiError::not_found(function))?;
        Ok((
            f.stats.invocations,
            f.stats.errors,
            f.stats.throttles,
            f.cost_usd,
        ))
    }

    /// Evaluates every objective, keeping completed ones completed.
    pub fn evaluate(&mut self) -> Vec<ObjectiveStatus> {
        let lab = self.lab.clone();
        lab.objectives
            .iter()
            .map(|o| {
                let mut s = o.evaluate(&self.sim, &self.trace);
                if s.done {
                    self.mark_completed(&o.id);
                } else if self.completed.contains(&o.id) {
                    s.done = true;
                    s.progress.0 = s.progress.1;
                }
                s
            })
            .collect()
    }

    /// Records objective `id` as completed (once: a second call changes nothing).
    pub fn mark_completed(&mut self, id: &str) {
        if !self.completed.iter().any(|c| c == id) {
            self.completed.push(id.to_owned());
        }
    }

    /// Whether every objective is completed.
    pub fn all_done(&self) -> bool {
        self.lab
            .objectives
            .iter()
            .all(|o| self.completed.contains(&o.id))
    }
}

impl LoadRun {
    /// Runs at most `max_events` events; `done` once the traffic ended and nothing is in flight.
    pub fn step(&mut self, s: &mut LabSession, max_events: u64) -> Progress {
        if !self.traffic_done {
            let p = s.sim.run_for(RunBudget {
                max_events,
                until_us: Some(self.until_us),
            });
            self.traffic_done = p.done;
            return Progress { done: false, ..p };
        }
        let mut events = 0;
        let mut done = false;
        while events < max_events {
            if s.sim.function_in_flight(&self.function).unwrap_or(0) == 0
                || s.sim.advance_to_next_event().is_none()
            {
                done = true;
                break;
            }
            events += 1;
        }
        Progress {
            now_us: s.sim.now(),
            events,
            invocations: s.sim.completed_invocations(),
            done,
        }
    }

    /// Share of the traffic window elapsed, 0–1.
    pub fn fraction(&self, now: Micros) -> f64 {
        let span = (self.until_us - self.started_us).max(1) as f64;
        ((now.saturating_sub(self.started_us)) as f64 / span).clamp(0.0, 1.0)
    }

    /// Ends the test (stopping its traffic if `cancelled`) and records what it measured.
    pub fn finish(self, s: &mut LabSession, cancelled: bool) -> LoadResult {
        if cancelled {
            s.sim.apply(Action::StopTraffic { id: self.generator }).ok();
        }
        let after = s.counters(&self.function).unwrap_or(self.before);
        let end = s.sim.now().min(self.until_us);
        let r = LoadResult {
            function: self.function,
            rate_per_s: self.rate_per_s,
            duration_s: (end - self.started_us) as f64 / SEC as f64,
            invocations: after.0 - self.before.0,
            errors: after.1 - self.before.1,
            throttles: after.2 - self.before.2,
            cost_usd: after.3 - self.before.3,
            cancelled,
        };
        s.trace.loads.push(r.clone());
        r
    }
}

/// The learner-facing summary of a load test.
pub fn load_message(r: &LoadResult) -> String {
    format!(
        "Load test{}: {} invocations in {:.0} s, {} errors, {} throttles, ${:.6}",
        if r.cancelled {
            " cancelled"
        } else {
            " finished"
        },
        r.invocations,
        r.duration_s,
        r.errors,
        r.throttles,
        r.cost_usd
    )
}

fn traffic(function: &str, payload: &str, pattern: Pattern) -> TrafficSpec {
    TrafficSpec {
        function: function.to_owned(),
        invocation_type: InvocationType::RequestResponse,
        payload: payload.to_owned(),
        principal: None,
        pattern,
        max_requests: None,
    }
}
