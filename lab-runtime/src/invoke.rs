//! Running one invocation in an environment: Init when needed (with the 10 s limit and the
//! suppressed re-init), the handler, the timeout, then completion: logs, metrics, bill, record and
//! the environment going back to idle (docs/lambda-behaviour.md §3).

use std::sync::Arc;

use crate::billing::billed_ms;
use crate::clock::Micros;
use crate::environment::StartType;
use crate::handler::FunctionError;
use crate::host::CallCtx;
use crate::logs::{timeout_message, LogEntry, LogKind};
use crate::model::{InvocationRecord, Outcome, RequestId, Trigger};
use crate::sim::{Ev, Simulation};
use crate::state::function::{Ended, Provisioned};
use crate::state::inflight::{InFlight, Source};
use crate::state::versions::Target;

/// Result of handing a request to an environment: `Err` carries the throttle.
pub(crate) type StartResult = Result<(), crate::error::ApiError>;

impl Simulation {
    /// Throttle checks, environment choice, handler run; schedules the completion.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn try_start(
        &mut self,
        f: u32,
        target: Target,
        trigger: Trigger,
        source: Source,
        payload: &Arc<str>,
        request: RequestId,
        attempt: u32,
    ) -> StartResult {
        let now = self.now;
        let limit = self.account.concurrency_limit;
        // concurrency, then the request rate (docs/lambda-behaviour.md §4.2–§4.4)
        let fs = &mut self.functions[f as usize];
        if let Err(t) = fs.admit(&mut self.concurrency, now, limit) {
            return Err(self.throttle(f, target.version, t.code(), trigger, request, attempt));
        }
        let next_id = &mut self.next_id;
        let taken = self.functions[f as usize].take_environment(target, now, || {
            *next_id += 1;
            *next_id
        });
        let (slot, start_type) = match taken {
            Ok(t) => t,
            Err(t) => {
                return Err(self.throttle(f, target.version, t.code(), trigger, request, attempt))
            }
        };
        self.run_in_env(
            f, target, slot, start_type, trigger, source, payload, request, attempt,
        );
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn run_in_env(
        &mut self,
        f: u32,
        target: Target,
        slot: usize,
        mut start_type: StartType,
        trigger: Trigger,
        source: Source,
        payload: &Arc<str>,
        request: RequestId,
        attempt: u32,
    ) {
        let now = self.now;
        let settings_init_limit = self.account.settings.init_limit_us;
        let fs = &mut self.functions[f as usize];
        let timeout = fs.config_for(target.version).timeout_us();
        let (begun, start) = fs.invocation_started(slot, start_type);
        start_type = start;
        let (env_id, provisioned, needs_init) = (begun.env_id, begun.provisioned, begun.needs_init);
        let unreserved = fs.config().reserved_concurrency.is_none();
        self.concurrency.started(!unreserved);
        self.call_chain = match &source {
            Source::Sqs { chain, .. } => chain.saturating_add(1),
            _ => 1,
        };
        let run = self.execute(
            f,
            target,
            slot,
            needs_init,
            settings_init_limit,
            timeout,
            payload,
            request,
        );
        let fs = &mut self.functions[f as usize];
        let (init_phase, invoke_us, mut outcome, mut error) = run.0;
        let mut result = run.1;
        let mut reset = false;
        fs.pool_mut().init_ends_at(slot, now + init_phase);
        if result.timed_out || invoke_us > timeout {
            outcome = Outcome::Timeout;
            error = Some(FunctionError::new(
                "Sandbox.Timedout",
                timeout_message(request, timeout),
            ));
            reset = true;
        } else if outcome == Outcome::InitError
            || error
                .as_ref()
                .is_some_and(|e| e.error_type == "Runtime.ExitError")
        {
            reset = true;
        }
        let duration = invoke_us.min(timeout);
        let billed = billed_ms(duration, init_phase);
        // log lines (all pushed now with their own timestamps; views show those <= now)
        if fs.logs_allowed_for(target.version) && self.logs.keeps() {
            let fi = f;
            let t0 = now + init_phase;
            let mem = fs.config_for(target.version).memory_mb;
            let logs = &mut self.logs;
            // each line carries the start of its invocation, so that a merged view keeps every
            // line of an invocation between its START and its END (docs/lambda-behaviour.md §3.11)
            let mut push = |t: Micros, group: Micros, kind: LogKind| {
                logs.push(LogEntry {
                    time_us: t,
                    function: fi,
                    env: env_id,
                    kind,
                    invocation_start_us: group,
                })
            };
            for (off, m) in result.logs.drain(..) {
                if off == u64::MAX {
                    push(now, now, LogKind::InitApp { message: m });
                } else if let Some(rest) = m.strip_prefix("\u{0}INIT_REPORT") {
                    let (status, et) = rest.split_once('|').unwrap_or((rest, ""));
                    let et = (!et.is_empty()).then(|| et.to_string());
                    push(
                        now + off,
                        now,
                        LogKind::InitReport {
                            init_us: off,
                            status: status.into(),
                            error_type: et,
                        },
                    );
                } else {
                    // a line is never later than the invocation's END
                    push(
                        t0 + off.min(duration),
                        t0,
                        LogKind::App {
                            request,
                            message: m,
                        },
                    );
                }
            }
            let init = (start_type == StartType::Cold).then_some(init_phase);
            push(
                t0,
                t0,
                LogKind::Invocation {
                    request,
                    version: target.version,
                    duration_us: duration,
                    billed_ms: billed,
                    memory_mb: mem,
                    max_used_mb: result.max_memory_used_mb.min(mem),
                    init_us: init,
                    timed_out_after_us: (outcome == Outcome::Timeout).then_some(timeout),
                },
            );
            if let (Some(e), false) = (&error, outcome == Outcome::Timeout) {
                push(
                    t0 + duration,
                    t0,
                    LogKind::InvokeError {
                        request,
                        payload: e.payload(),
                    },
                );
            }
        }
        fs.invocation_running(
            now,
            if provisioned {
                Provisioned::Used
            } else if target.lane != crate::environment::NO_LANE {
                Provisioned::Spillover
            } else {
                Provisioned::None
            },
        );
        let ab = self.account_metrics.at(now);
        let (total_busy, unreserved_busy) = self.concurrency.busy();
        ab.concurrent_executions = ab.concurrent_executions.max(total_busy);
        ab.unreserved_concurrent_executions =
            ab.unreserved_concurrent_executions.max(unreserved_busy);
        let inf = InFlight {
            request,
            function: f,
            slot,
            env_id,
            trigger,
            source,
            attempt,
            arrival_us: now,
            init_us: init_phase,
            duration_us: duration,
            outcome,
            error: error.map(Box::new),
            response: result.response.take().map(String::into_boxed_str),
            batch_failures: result.batch_item_failures.take().map(Vec::into_boxed_slice),
            start_type,
            reset_env: reset,
            target,
        };
        let at = now + init_phase + duration;
        let islot = match self.inflight_free.pop() {
            Some(i) => {
                self.inflight[i] = Some(inf);
                i
            }
            None => {
                self.inflight.push(Some(inf));
                self.inflight.len() - 1
            }
        };
        self.queue.push(at, Ev::Complete(islot as u32));
    }

    /// Finishes an invocation: environment back to idle (or reset/reclaimed), metrics, bill,
    /// record, and the caller or poller told.
    pub(crate) fn complete(&mut self, islot: u32) {
        let islot = islot as usize;
        let Some(mut inf) = self.inflight[islot].take() else {
            return;
        };
        self.inflight_free.push(islot);
        self.completed += 1;
        let now = self.now;
        let recycle_after = self.account.settings.recycle_after_us;
        let fi = inf.function as usize;
        let fs = &mut self.functions[fi];
        fs.pool_mut().end(inf.slot, inf.reset_env);
        self.concurrency
            .finished(fs.config().reserved_concurrency.is_some());
        let (remove, stale_lane) = fs.retirement(inf.slot, now, recycle_after);
        if inf.reset_env {
            self.reset_env_script(fi, inf.slot);
        }
        if let Some(reason) = remove {
            self.remove_env(fi, inf.slot, reason);
            if stale_lane {
                self.reconcile_provisioned(inf.function);
            }
        } else {
            self.functions[fi].pool_mut().make_idle(inf.slot, now);
            self.ensure_sweep(inf.function);
        }
        let fs = &mut self.functions[fi];
        let billed = billed_ms(inf.duration_us, inf.init_us);
        fs.invocation_ended(
            now,
            Ended {
                version: inf.target.version,
                outcome: inf.outcome,
                start_type: inf.start_type,
                duration_us: inf.duration_us,
                init_us: inf.init_us,
                billed_ms: billed,
            },
        );
        if self.records.keeps() {
            let name = fs.name().clone();
            self.records.push(InvocationRecord {
                request_id: inf.request,
                function: name,
                trigger: inf.trigger,
                attempt: inf.attempt,
                env: inf.env_id,
                start_type: Some(inf.start_type),
                start_us: inf.arrival_us,
                init_us: inf.init_us,
                duration_us: inf.duration_us,
                billed_ms: billed,
                outcome: inf.outcome,
                error_type: inf.error.as_ref().map(|e| e.error_type.clone()),
                executed_version: crate::model::FunctionVersion(inf.target.version),
            });
        } else {
            self.records.skip();
        }
        match std::mem::replace(&mut inf.source, Source::Sync) {
            Source::Sync => self.sync_complete(&inf),
            Source::Async(id) => self.async_complete(id, &inf),
            Source::Sqs { mapping, ids, .. } => self.sqs_complete(mapping, &ids, &inf),
            Source::Stream {
                mapping,
                lane,
                count,
            } => self.stream_complete(mapping, lane, count, &inf),
        }
    }
}

/// Builds the call account for a script run.
pub(crate) fn call_ctx(
    sim: &Simulation,
    f: u32,
    slot: usize,
    start_us: Micros,
    deadline_us: Micros,
) -> CallCtx {
    let fs = &sim.functions[f as usize];
    let v = fs.version_of_slot(slot);
    let config = fs.config_for(v);
    CallCtx {
        start_us,
        deadline_us,
        cpu_milli: config.cpu_milli(),
        op_cost_ns: sim.account.settings.script_op_cost_ns,
        identity: Some(fs.identity_for(v).clone()),
        tmp_limit_bytes: config.ephemeral_storage_mb as u64 * 1024 * 1024,
        ..Default::default()
    }
}
