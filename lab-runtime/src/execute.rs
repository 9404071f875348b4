//! Running a handler natively for one invocation: a profile draws its numbers, a script runs in
//! virtual time (see `script_exec`). Init over the 10 s limit is retried inside the invoke phase
//! (docs/lambda-behaviour.md §3.2).

use std::sync::Arc;

use crate::clock::Micros;
use crate::handler::{FunctionError, HandlerSpec, RunResult};
use crate::model::{Outcome, RequestId};
use crate::sim::Simulation;

impl Simulation {
    /// Runs Init (if needed) and the handler of function version `v` in environment `slot`,
    /// returning (init phase, invoke duration,
    /// outcome, error) and the run result.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn execute(
        &mut self,
        f: u32,
        target: crate::state::versions::Target,
        slot: usize,
        needs_init: bool,
        init_limit: Micros,
        timeout: Micros,
        payload: &Arc<str>,
        request: RequestId,
    ) -> ((Micros, Micros, Outcome, Option<FunctionError>), RunResult) {
        let v = target.version;
        let fs = &self.functions[f as usize];
        match &fs.config_for(v).handler {
            HandlerSpec::Profile(p) => {
                let mut init = 0;
                if needs_init {
                    init = p.init_ms.sample_us(&mut self.rng);
                }
                let mut dur = p.duration_ms.sample_us(&mut self.rng);
                let mut logs = Vec::new();
                let mut init_phase = init;
                if init > init_limit {
                    // docs/lambda-behaviour.md §3.2: Init retried at the first invocation, under the timeout
                    logs.push((init_limit, "\u{0}INIT_REPORTtimeout|".to_string()));
                    init_phase = init_limit;
                    dur += init;
                }
                let failed = self
                    .rng
                    .chance_ppm(self.functions[f as usize].error_ppm_for(v));
                let p = match &self.functions[f as usize].config_for(v).handler {
                    HandlerSpec::Profile(p) => p,
                    _ => unreachable!(),
                };
                let error =
                    failed.then(|| FunctionError::new(&p.error_type, p.error_message.clone()));
                let outcome = if failed {
                    Outcome::Error
                } else {
                    Outcome::Success
                };
                let r = RunResult {
                    elapsed_us: dur,
                    logs,
                    max_memory_used_mb: p.max_memory_used_mb,
                    ..Default::default()
                };
                let _ = timeout;
                ((init_phase, dur, outcome, error), r)
            }
            HandlerSpec::Script(_) => self.execute_script(
                f, target, slot, needs_init, init_limit, timeout, payload, request,
            ),
        }
    }
}
