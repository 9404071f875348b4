//! The environment lifecycle outside invocations: idle sweeps (keep-alive reclaim), shutdown,
//! reset after a crash or timeout, and provisioned concurrency (docs/lambda-behaviour.md §3, §4).

use crate::clock::Micros;
use crate::environment::{EnvState, Environment};
use crate::handler::HandlerSpec;
use crate::shutdown::ShutdownReason;
use crate::sim::{Ev, Simulation};

impl Simulation {
    /// Schedules the next idle sweep of a function if none is pending.
    pub(crate) fn ensure_sweep(&mut self, f: u32) {
        let keep = self.account.settings.keep_alive_us;
        let fs = &mut self.functions[f as usize];
        if fs.sweep_at.is_some() {
            return;
        }
        if let Some((_, since)) = fs.pool.oldest_idle() {
            let at = since + keep;
            fs.sweep_at = Some(at);
            self.queue.push(at.max(self.now), Ev::Sweep(f));
        }
    }

    /// Reclaims environments idle for longer than the keep-alive (docs/lambda-behaviour.md §3.7).
    pub(crate) fn sweep(&mut self, f: u32) {
        let keep = self.account.settings.keep_alive_us;
        self.functions[f as usize].sweep_at = None;
        while let Some((slot, since)) = self.functions[f as usize].pool.oldest_idle() {
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
        let Some(Some(es)) = self.functions[f].env_scripts.get_mut(slot) else {
            return;
        };
        es.handler = None;
        let opened = std::mem::take(&mut es.opened);
        let mut host = self.host.borrow_mut();
        for db in opened {
            if let Some(d) = host.services.databases.get_mut(&db) {
                d.open = d.open.saturating_sub(1);
            }
        }
        if let Some(e) = self.functions[f].pool.get_mut(slot) {
            e.open_connections = 0;
        }
    }

    /// A provisioned environment finished its Init and is ready (no cold start for its users).
    pub(crate) fn provisioned_ready(&mut self, f: u32, slot: u32, id: u64) {
        let slot = slot as usize;
        let fs = &mut self.functions[f as usize];
        match fs.pool.get(slot) {
            Some(e) if e.id == id && e.state == EnvState::Initialising => {
                fs.pool.make_idle(slot, self.now)
            }
            _ => {}
        }
    }

    /// Brings the number of provisioned environments to the configured amount.
    pub(crate) fn reconcile_provisioned(&mut self, f: u32) {
        let limit = self.account.settings.provisioned_init_limit_us;
        let want = self.functions[f as usize].config.provisioned_concurrency;
        loop {
            let fs = &mut self.functions[f as usize];
            let live = fs.pool.provisioned_live;
            if live >= want {
                break;
            }
            let is_script = matches!(fs.config.handler, HandlerSpec::Script(_));
            let profile_init = match &fs.config.handler {
                HandlerSpec::Profile(p) => p.init_ms.sample_us(&mut self.rng).min(limit),
                HandlerSpec::Script(_) => 0,
            };
            self.next_id += 1;
            let id = self.next_id;
            let fs = &mut self.functions[f as usize];
            let mut env = new_env(id, self.now, fs.version, true);
            env.state = EnvState::Initialising;
            let slot = fs.pool.create(env);
            let init = if is_script {
                // provisioned Init runs now, ahead of any request (docs/lambda-behaviour.md §4.5)
                let (ok, elapsed) = self.script_init_only(f, slot, limit);
                if let Some(e) = self.functions[f as usize].pool.get_mut(slot) {
                    e.needs_init = !ok;
                }
                elapsed
            } else {
                profile_init
            };
            if let Some(e) = self.functions[f as usize].pool.get_mut(slot) {
                e.init_done_us = self.now + init;
            }
            self.queue
                .push(self.now + init, Ev::ProvisionedReady(f, slot as u32, id));
        }
        // lower: drop idle provisioned environments beyond the amount
        loop {
            let fs = &mut self.functions[f as usize];
            if fs.pool.provisioned_live <= want {
                break;
            }
            match fs.pool.take_provisioned() {
                Some(s) => self.remove_env(f as usize, s, ShutdownReason::ProvisionedReduced),
                None => break,
            }
        }
    }
}

pub(crate) fn new_env(id: u64, now: Micros, version: u32, provisioned: bool) -> Environment {
    Environment {
        id,
        state: EnvState::Busy,
        provisioned,
        created_us: now,
        init_done_us: now,
        idle_since_us: now,
        invocations: 0,
        needs_init: false,
        version,
        tmp_used_bytes: 0,
        frozen_background: None,
        open_connections: 0,
    }
}
