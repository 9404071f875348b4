//! Running a handler script inside an environment: Init on cold starts (10 s limit, suppressed
//! re-init under the timeout), the handler call, /tmp and connections kept in the environment, and
//! background work frozen between invocations (docs/lambda-behaviour.md §3.5).

use std::sync::Arc;

use crate::clock::Micros;
use crate::handler::{FunctionError, HandlerSpec, RunResult};
use crate::invoke::call_ctx;
use crate::model::{Outcome, RequestId};
use crate::script::{json_to_value, Context};
use crate::sim::Simulation;

/// Runtime start-up before the script's own top-level code (part of every Init).
pub const RUNTIME_INIT_US: Micros = 80_000;
/// Memory a script handler reports as used (a runtime baseline).
pub const SCRIPT_BASE_MEMORY_MB: u32 = 48;

type Exec = ((Micros, Micros, Outcome, Option<FunctionError>), RunResult);

enum InitEnd {
    Ok(Micros),
    Timeout,
    Failed(Micros, FunctionError),
}

impl Simulation {
    /// Adds the script's source lines under a script error's stack-trace entries.
    fn with_code_lines(&self, f: u32, slot: usize, mut e: FunctionError) -> FunctionError {
        if !e.stack_trace.is_empty() {
            let fs = &self.functions[f as usize];
            if let HandlerSpec::Script(src) = &fs.config_for(fs.version_of_slot(slot)).handler {
                crate::script::add_code_lines(&mut e.stack_trace, src);
            }
        }
        e
    }

    /// Runs the script's top-level code in environment `slot`, storing the handler closure.
    fn run_init(
        &mut self,
        f: u32,
        slot: usize,
        start: Micros,
        deadline: Micros,
        logs: &mut Vec<(Micros, String)>,
    ) -> InitEnd {
        self.functions[f as usize].ensure_env_script(slot);
        let compiled = {
            let fs = &self.functions[f as usize];
            fs.compiled_for(fs.version_of_slot(slot)).clone()
        };
        let ast = match compiled {
            Some(Ok(a)) => a,
            Some(Err(e)) => return InitEnd::Failed(RUNTIME_INIT_US, e),
            None => {
                return InitEnd::Failed(0, FunctionError::new("Runtime.HandlerNotFound", "no code"))
            }
        };
        let mut call = call_ctx(self, f, slot, start, deadline);
        call.elapsed_us = RUNTIME_INIT_US;
        let es = self.functions[f as usize]
            .env_script_mut(slot)
            .expect("env script");
        call.tmp = std::mem::take(&mut es.tmp);
        // docs/lambda-behaviour.md §3.14: connections the database closed hold no descriptor
        self.host
            .borrow_mut()
            .services
            .keep_open(&mut es.opened, start);
        call.fds_open = es.opened.len() as u32;
        let (r, call) = self.scripts.init(&ast, call);
        let es = self.functions[f as usize]
            .env_script_mut(slot)
            .expect("env script");
        es.tmp = call.tmp;
        es.opened.extend(call.opened.iter().cloned());
        let n_open = es.opened.len() as u32;
        self.functions[f as usize]
            .pool_mut()
            .connections_open(slot, n_open);
        logs.extend(call.logs.into_iter().map(|(_, m)| (u64::MAX, m)));
        let used =
            call.elapsed_us + call.ops * call.op_cost_ns / call.cpu_milli.clamp(1, 1000) as u64;
        match r {
            Ok(h) => {
                self.functions[f as usize]
                    .env_script_mut(slot)
                    .expect("env script")
                    .handler = Some(h);
                InitEnd::Ok(used.min(deadline))
            }
            Err(None) => InitEnd::Timeout,
            Err(Some(e)) => InitEnd::Failed(used.min(deadline), self.with_code_lines(f, slot, e)),
        }
    }

    /// Init alone (provisioned concurrency): returns (succeeded, duration).
    pub(crate) fn script_init_only(
        &mut self,
        f: u32,
        slot: usize,
        limit: Micros,
    ) -> (bool, Micros) {
        let mut logs = Vec::new();
        match self.run_init(f, slot, self.now, limit, &mut logs) {
            InitEnd::Ok(d) => (true, d),
            InitEnd::Timeout => (false, limit),
            InitEnd::Failed(d, _) => (false, d),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn execute_script(
        &mut self,
        f: u32,
        target: crate::state::versions::Target,
        slot: usize,
        needs_init: bool,
        init_limit: Micros,
        timeout: Micros,
        payload: &Arc<str>,
        request: RequestId,
    ) -> Exec {
        let now = self.now;
        let mut logs: Vec<(Micros, String)> = Vec::new();
        let mut init_phase = 0;
        let mut offset = 0; // suppressed re-init time inside the invoke phase
        let mem = SCRIPT_BASE_MEMORY_MB;
        let fail = |init: Micros, inv: Micros, o: Outcome, e: Option<FunctionError>, logs| {
            (
                (init, inv, o, e),
                RunResult {
                    logs,
                    max_memory_used_mb: mem,
                    ..Default::default()
                },
            )
        };
        self.functions[f as usize].ensure_env_script(slot);
        let has_handler = self.functions[f as usize]
            .env_script(slot)
            .is_some_and(|e| e.handler.is_some());
        if needs_init || !has_handler {
            match self.run_init(f, slot, now, init_limit, &mut logs) {
                InitEnd::Ok(d) => init_phase = d,
                InitEnd::Failed(d, e) => {
                    logs.push((d, format!("\u{0}INIT_REPORTerror|{}", e.error_type)));
                    return fail(d, 0, Outcome::InitError, Some(e), logs);
                }
                InitEnd::Timeout => {
                    // docs/lambda-behaviour.md §3.2: Init retried at the first invocation, under the timeout
                    logs.push((init_limit, "\u{0}INIT_REPORTtimeout|".to_string()));
                    init_phase = init_limit;
                    match self.run_init(f, slot, now + init_limit, timeout, &mut logs) {
                        InitEnd::Ok(d) => offset = d,
                        InitEnd::Timeout => {
                            return fail(init_phase, timeout + 1, Outcome::Timeout, None, logs)
                        }
                        InitEnd::Failed(d, e) => {
                            return fail(init_phase, d, Outcome::InitError, Some(e), logs)
                        }
                    }
                }
            }
        }
        let compiled = {
            let fs = &self.functions[f as usize];
            fs.compiled_for(fs.version_of_slot(slot)).clone()
        };
        let ast = match compiled {
            Some(Ok(a)) => a,
            _ => return fail(init_phase, 0, Outcome::InitError, None, logs),
        };
        let event = match &self.event_cache {
            Some((p, d)) if Arc::ptr_eq(p, payload) => d.clone(),
            _ => {
                let v: serde_json::Value =
                    serde_json::from_str(payload).unwrap_or(serde_json::Value::Null);
                let d = json_to_value(&v);
                self.event_cache = Some((payload.clone(), d.clone()));
                d
            }
        };
        let fs = &self.functions[f as usize];
        let env_id = fs.pool().get(slot).map(|e| e.id).unwrap_or(0);
        let version = fs.version_of_slot(slot);
        let ctx = Context {
            function_name: fs.script_name().clone(),
            // the ARN the caller used, the version that runs (docs/lambda-behaviour.md §7.2)
            invoked_function_arn: fs.invoked_arn(target).clone(),
            function_version: version,
            memory_limit_in_mb: fs.config_for(version).memory_mb as i64,
            request,
            env_id,
        };
        let mut call = call_ctx(
            self,
            f,
            slot,
            now + init_phase + offset,
            timeout.saturating_sub(offset),
        );
        call.chain = self.call_chain;
        let fs = &mut self.functions[f as usize];
        let es = fs.env_script_mut(slot).expect("env script");
        call.tmp = std::mem::take(&mut es.tmp);
        // docs/lambda-behaviour.md §3.14: connections the database closed hold no descriptor
        let call_start = call.start_us;
        self.host
            .borrow_mut()
            .services
            .keep_open(&mut es.opened, call_start);
        call.fds_open = es.opened.len() as u32;
        // taken out and put back (no clone of the closure and its captured variables)
        let handler = es.handler.take().expect("handler after init");
        let (mut r, call) = self.scripts.invoke(&ast, &handler, event, ctx, call);
        let fs = &mut self.functions[f as usize];
        let es = fs.env_script_mut(slot).expect("env script");
        es.handler = Some(handler);
        es.tmp = call.tmp;
        es.opened.extend(call.opened.iter().cloned());
        let tmp_bytes: u64 = es.tmp.values().map(|v| v.len() as u64).sum();
        let n_open = es.opened.len() as u32;
        let elapsed = if r.timed_out {
            timeout + 1
        } else {
            offset + r.elapsed_us
        };
        for (t, m) in call.logs {
            logs.push((offset + t, m));
        }
        let ran = elapsed.min(timeout);
        fs.pool_mut().handler_returned(
            slot,
            tmp_bytes,
            n_open,
            offset,
            ran,
            call.background,
            &mut logs,
        );
        logs.sort_by_key(|(t, _)| if *t == u64::MAX { 0 } else { *t });
        let (outcome, error) = match (&r.error, r.timed_out) {
            (_, true) => (Outcome::Timeout, None),
            (Some(e), _) => (
                Outcome::Error,
                Some(self.with_code_lines(f, slot, e.clone())),
            ),
            _ => (Outcome::Success, None),
        };
        r.logs = logs;
        r.max_memory_used_mb = mem + (tmp_bytes / (1024 * 1024)) as u32;
        ((init_phase, elapsed, outcome, error), r)
    }
}
