//! The environment lifecycle outside invocations: idle sweeps (keep-alive reclaim), shutdown,
//! reset after a crash or timeout, and provisioned concurrency (docs/lambda-behaviour.md §3, §4).

use crate::environment::{EnvState, Environment};
use crate::handler::HandlerSpec;
use crate::sim::{Ev, Simulation};
use crate::state::shutdown::ShutdownReason;

impl Simulation {
    /// Schedules the next idle sweep of a function if none is pending.
    pub(crate) fn ensure_sweep(&mut self, f: u32) {
        let keep = self.account.settings.keep_alive_us;
        if let Some(at) = self.functions[f as usize].plan_sweep(keep) {
            self.queue.push(at.max(self.now), Ev::Sweep(f));
        }
    }

    /// Reclaims environments idle for longer than the keep-alive (docs/lambda-behaviour.md §3.7).
    pub(crate) fn sweep(&mut self, f: u32) {
        let keep = self.account.settings.keep_alive_us;
        self.functions[f as usize].sweep_done();
        while let Some((slot, since)) = self.functions[f as usize].pool_mut().oldest_idle() {
            if since + keep > self.now {
                break;
            }
            self.remove_env(f as usize, slot, ShutdownReason::Idle);
        }
        self.ensure_sweep(f);
    }

    /// Drops an environment's handler closure and closes its connections (the runtime restarts);
    /// /tmp is kept (docs/lambda-behaviour.md §3.8).
    pub(crate) fn reset_env_script(&mut self, f: usize, slot: usize) {
        let Some(es) = self.functions[f].env_script_mut(slot) else {
            return;
        };
        es.handler = None;
        let opened = std::mem::take(&mut es.opened);
        self.host.borrow_mut().services.close_all(opened);
        self.functions[f].pool_mut().connections_open(slot, 0);
    }

    /// A provisioned environment finished its Init and is ready (no cold start for its users).
    pub(crate) fn provisioned_ready(&mut self, f: u32, slot: u32, id: u64) {
        let slot = slot as usize;
        let fs = &mut self.functions[f as usize];
        match fs.pool().get(slot) {
            Some(e) if e.id == id && e.state == EnvState::Initialising => {
                fs.pool_mut().make_idle(slot, self.now)
            }
            _ => {}
        }
    }

    /// Brings each provisioned concurrency lane to its configured amount, for the version it
    /// runs (docs/lambda-behaviour.md §4.5, §10.5): idle environments of a version the lane no
    /// longer runs (its alias moved) are shut down, busy ones when they finish.
    pub(crate) fn reconcile_provisioned(&mut self, f: u32) {
        let limit = self.account.settings.provisioned_init_limit_us;
        for lane in 0..self.functions[f as usize].versions().lanes().len() as u32 {
            let (want, version) = {
                let l = &self.functions[f as usize].versions().lanes()[lane as usize];
                (l.amount, l.version)
            };
            let stale: Vec<usize> = self.functions[f as usize]
                .pool()
                .live()
                .filter(|(_, e)| {
                    e.provisioned
                        && e.lane == lane
                        && e.function_version != version
                        && e.state == EnvState::Idle
                })
                .map(|(s, _)| s)
                .collect();
            for s in stale {
                self.remove_env(f as usize, s, ShutdownReason::NewVersion);
            }
            let current = |sim: &Self| {
                sim.functions[f as usize]
                    .pool()
                    .live()
                    .filter(|(_, e)| {
                        e.provisioned
                            && e.lane == lane
                            && e.function_version == version
                            && e.state != EnvState::ShuttingDown
                    })
                    .count() as u32
            };
            let mut live = current(self);
            while live < want {
                let fs = &self.functions[f as usize];
                let handler = &fs.config_for(version).handler;
                let is_script = matches!(handler, HandlerSpec::Script(_));
                let profile_init = match handler {
                    HandlerSpec::Profile(p) => p.init_ms.sample_us(&mut self.rng).min(limit),
                    HandlerSpec::Script(_) => 0,
                };
                self.next_id += 1;
                let id = self.next_id;
                let fs = &mut self.functions[f as usize];
                let env = Environment::provisioning(id, self.now, fs.revision(), version, lane);
                let slot = fs.pool_mut().create(env);
                let init = if is_script {
                    // provisioned Init runs now, ahead of any request (docs/lambda-behaviour.md §4.5)
                    let (ok, elapsed) = self.script_init_only(f, slot, limit);
                    self.functions[f as usize]
                        .pool_mut()
                        .provisioned_init_ended(slot, ok);
                    elapsed
                } else {
                    profile_init
                };
                self.functions[f as usize]
                    .pool_mut()
                    .init_ends_at(slot, self.now + init);
                self.queue
                    .push(self.now + init, Ev::ProvisionedReady(f, slot as u32, id));
                live += 1;
            }
            // lower: drop idle provisioned environments beyond the amount
            while live > want {
                match self.functions[f as usize].pool_mut().take_provisioned(lane) {
                    Some(s) => {
                        self.remove_env(f as usize, s, ShutdownReason::ProvisionedReduced);
                        live -= 1;
                    }
                    None => break,
                }
            }
        }
    }
}
