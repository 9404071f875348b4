//! The Shutdown phase: when an environment is reclaimed (idle past the keep-alive, recycled,
//! replaced by a new version, or no longer needed for provisioned concurrency), its extensions get
//! up to 0 ms, 500 ms or 2,000 ms, then it is killed (docs/lambda-behaviour.md §3.1, §3.9).
//! Lambda writes no log line for it (docs/lambda-behaviour.md §3.11 lists none), so the phase is
//! visible in the environment's state (`shutting_down`) and in the shutdown history.

use crate::environment::EnvState;
use crate::sim::{Ev, Simulation};
use crate::state::shutdown::{ShutdownReason, ShutdownRecord};

impl Simulation {
    /// Shuts an environment down: the runtime stops (its connections close, its /tmp is gone),
    /// then the Shutdown phase runs for the extensions' limit and the environment is removed.
    pub(crate) fn remove_env(&mut self, f: usize, slot: usize, reason: ShutdownReason) {
        let now = self.now;
        let limit = {
            let fs = &self.functions[f];
            fs.config_for(fs.version_of_slot(slot))
                .extensions
                .shutdown_limit_us()
        };
        let Some(e) = self.functions[f].pool().get(slot) else {
            return;
        };
        if e.state == EnvState::ShuttingDown {
            return;
        }
        let (id, provisioned, invocations) = (e.id, e.provisioned, e.invocations);
        self.reset_env_script(f, slot);
        let fs = &mut self.functions[f];
        fs.take_env_script(slot);
        self.shutdowns.push(ShutdownRecord {
            function: fs.config().name.clone(),
            env: id,
            reason,
            start_us: now,
            duration_us: limit,
            provisioned,
            invocations,
        });
        if limit == 0 {
            if let Some(mut e) = fs.pool_mut().remove(slot) {
                e.state = EnvState::Reclaimed;
            }
        } else {
            fs.pool_mut().begin_shutdown(slot);
            self.schedule(now + limit, Ev::ShutdownDone(f as u32, slot as u32, id));
        }
    }

    /// The Shutdown phase ended: the environment is gone.
    pub(crate) fn shutdown_done(&mut self, f: u32, slot: u32, id: u64) {
        let fs = &mut self.functions[f as usize];
        match fs.pool().get(slot as usize) {
            Some(e) if e.id == id && e.state == EnvState::ShuttingDown => {
                fs.pool_mut().remove(slot as usize);
            }
            _ => {}
        }
    }

    /// Shutdown phases so far (the most recent, bounded like the invocation records).
    pub fn shutdowns(&self) -> &crate::logs::Ring<ShutdownRecord> {
        &self.shutdowns
    }
}
