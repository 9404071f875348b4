//! Execution environments: a state machine initialising → busy → idle (frozen) → shutting down →
//! reclaimed, and the per-function pool that hands out warm environments first
//! (docs/lambda-behaviour.md §3).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::clock::Micros;

/// Where an environment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvState {
    /// Running the Init phase.
    Initialising,
    /// Running an invocation.
    Busy,
    /// Frozen between invocations, ready for a warm start.
    Idle,
    /// In the Shutdown phase: extensions get up to 500 ms / 2 s, then the environment is killed
    /// (docs/lambda-behaviour.md §3.9). It takes no invocation.
    ShuttingDown,
    /// Shut down (idle too long, recycled, or replaced by a new version).
    Reclaimed,
}

/// How an invocation got its environment (visible per invocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartType {
    /// A new environment ran Init first.
    Cold,
    /// A frozen environment was thawed.
    Warm,
    /// A provisioned (pre-initialised) environment served it.
    Provisioned,
}

/// One execution environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// Unique id (also the log stream).
    pub id: u64,
    /// State (as of the last event that touched it; see [`Environment::state_at`]).
    pub state: EnvState,
    /// Created by provisioned concurrency.
    pub provisioned: bool,
    /// Creation time.
    pub created_us: Micros,
    /// End of the Init phase (for the Initialising view).
    pub init_done_us: Micros,
    /// When it became idle (valid when Idle).
    pub idle_since_us: Micros,
    /// Invocations served.
    pub invocations: u64,
    /// Set after a crash or timeout: the next invocation runs Init again
    /// (docs/lambda-behaviour.md §3.8).
    pub needs_init: bool,
    /// Code revision of `$LATEST` it was initialised with (a new revision replaces it).
    pub version: u32,
    /// The function version it belongs to: 0 = `$LATEST`, n = published version n. A request
    /// for another version never runs in it (docs/lambda-behaviour.md §10.2).
    #[serde(default)]
    pub function_version: u32,
    /// For a provisioned environment, the provisioned concurrency configuration (lane) it serves
    /// ([`NO_LANE`] for on-demand environments; docs/lambda-behaviour.md §10.5).
    #[serde(default = "no_lane")]
    pub lane: u32,
    /// Bytes in `/tmp` (kept across resets, gone on reclaim).
    pub tmp_used_bytes: u64,
    /// Background work frozen when the handler returned: (label, remaining µs).
    pub frozen_background: Option<(String, Micros)>,
    /// Database connections this environment holds open.
    pub open_connections: u32,
}

/// The lane of an on-demand environment (and of a request without provisioned concurrency).
pub const NO_LANE: u32 = u32::MAX;

fn no_lane() -> u32 {
    NO_LANE
}

impl Environment {
    /// A new environment, busy, of `$LATEST` revision `revision` or published version
    /// `function_version`; provisioned when it belongs to a lane.
    pub fn new(
        id: u64,
        now: Micros,
        revision: u32,
        function_version: u32,
        lane: Option<u32>,
    ) -> Self {
        Environment {
            id,
            state: EnvState::Busy,
            provisioned: lane.is_some(),
            created_us: now,
            init_done_us: now,
            idle_since_us: now,
            invocations: 0,
            needs_init: false,
            version: revision,
            function_version,
            lane: lane.unwrap_or(NO_LANE),
            tmp_used_bytes: 0,
            frozen_background: None,
            open_connections: 0,
        }
    }

    /// A new provisioned environment in lane `lane`, Initialising ahead of any request
    /// (docs/lambda-behaviour.md §4.5).
    pub fn provisioning(
        id: u64,
        now: Micros,
        revision: u32,
        function_version: u32,
        lane: u32,
    ) -> Self {
        Environment {
            state: EnvState::Initialising,
            ..Environment::new(id, now, revision, function_version, Some(lane))
        }
    }

    /// The state as seen at time `now` (an environment still in Init shows as Initialising).
    pub fn state_at(&self, now: Micros) -> EnvState {
        if self.state == EnvState::Busy && now < self.init_done_us {
            EnvState::Initialising
        } else {
            self.state
        }
    }
}

/// A function's environments: a slab plus, per function version, an idle list ordered by idle
/// time, and per provisioned concurrency lane, its idle provisioned environments.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Pool {
    /// Slots; `None` = free.
    slots: Vec<Option<Environment>>,
    free: Vec<usize>,
    /// On-demand idle environments (slot, id), oldest idle first, per function version.
    idle: Vec<VecDeque<(usize, u64)>>,
    /// Provisioned idle environments (slot), per lane.
    prov_idle: Vec<Vec<usize>>,
    /// Live provisioned environments per lane.
    prov_live: Vec<u32>,
    /// Environments currently busy (including Init): [`Pool::begin`] and [`Pool::end`] count them.
    busy: u32,
    /// Provisioned environments currently busy.
    busy_provisioned: u32,
    /// Live provisioned environments.
    provisioned_live: u32,
    /// Environments ever reclaimed.
    reclaimed: u64,
}

impl Pool {
    /// Adds a new environment in state Busy (its first job is Init + invoke, or Init alone for
    /// provisioned ones), returning its slot.
    pub fn create(&mut self, env: Environment) -> usize {
        debug_assert_eq!(
            env.provisioned,
            env.lane != NO_LANE,
            "provisioned iff in a lane"
        );
        if env.provisioned {
            self.provisioned_live += 1;
            let l = env.lane as usize;
            if self.prov_live.len() <= l {
                self.prov_live.resize(l + 1, 0);
            }
            self.prov_live[l] += 1;
        }
        if let Some(s) = self.free.pop() {
            self.slots[s] = Some(env);
            s
        } else {
            self.slots.push(Some(env));
            self.slots.len() - 1
        }
    }

    /// The environment in `slot`.
    pub fn get(&self, slot: usize) -> Option<&Environment> {
        self.slots.get(slot).and_then(|e| e.as_ref())
    }

    fn get_mut(&mut self, slot: usize) -> Option<&mut Environment> {
        self.slots.get_mut(slot).and_then(|e| e.as_mut())
    }

    /// Environments ever reclaimed.
    pub fn reclaimed(&self) -> u64 {
        self.reclaimed
    }

    /// Live provisioned environments.
    pub fn provisioned_live(&self) -> u32 {
        self.provisioned_live
    }

    /// The Init phase of the environment in `slot` ends at `at` (it shows as Initialising until
    /// then).
    pub fn init_ends_at(&mut self, slot: usize, at: Micros) {
        if let Some(e) = self.get_mut(slot) {
            e.init_done_us = at;
        }
    }

    /// A provisioned environment's Init, run ahead of requests, ended: if it failed, the first
    /// request runs Init again (docs/lambda-behaviour.md §4.5, §3.8).
    pub fn provisioned_init_ended(&mut self, slot: usize, ok: bool) {
        if let Some(e) = self.get_mut(slot) {
            e.needs_init = !ok;
        }
    }

    /// The environment in `slot` holds `n` database connections open.
    pub fn connections_open(&mut self, slot: usize, n: u32) {
        if let Some(e) = self.get_mut(slot) {
            e.open_connections = n;
        }
    }

    /// The handler returned after running `ran` µs (from `offset` µs after the invocation's
    /// start), with `tmp_bytes` in /tmp and `connections` open, and maybe started background
    /// work (label, start, length). Background work runs only while the environment runs an
    /// invocation: what was frozen resumes now, and what is not finished when the handler
    /// returns freezes until the next one (docs/lambda-behaviour.md §3.5). The lines this
    /// logs go to `logs` with their time from the start.
    #[allow(clippy::too_many_arguments)]
    pub fn handler_returned(
        &mut self,
        slot: usize,
        tmp_bytes: u64,
        connections: u32,
        offset: Micros,
        ran: Micros,
        background: Option<(String, Micros, Micros)>,
        logs: &mut Vec<(Micros, String)>,
    ) {
        let Some(env) = self.get_mut(slot) else {
            return;
        };
        env.tmp_used_bytes = tmp_bytes;
        env.open_connections = connections;
        // background work frozen by the previous invocation resumes now (thaw)
        if let Some((label, rem)) = env.frozen_background.take() {
            logs.push((0, format!("[background] {label} resumed after thaw")));
            if rem <= ran {
                logs.push((rem, format!("[background] {label} finished")));
            } else {
                env.frozen_background = Some((label, rem - ran));
            }
        }
        if let Some((label, at, len)) = background {
            let end = offset + at + len;
            if end <= ran {
                logs.push((end, format!("[background] {label} finished")));
            } else {
                logs.push((
                    ran,
                    format!(
                        "[background] {label} frozen with {} ms left",
                        (end - ran) / 1000
                    ),
                ));
                env.frozen_background = Some((label, end - ran));
            }
        }
    }

    /// Takes an idle provisioned environment of `lane`, if any.
    pub fn take_provisioned(&mut self, lane: u32) -> Option<usize> {
        self.prov_idle.get_mut(lane as usize)?.pop()
    }

    /// Live provisioned environments of `lane` (initialising, busy or idle).
    pub fn provisioned_live_in(&self, lane: u32) -> u32 {
        self.prov_live.get(lane as usize).copied().unwrap_or(0)
    }

    /// Takes the most recently idled on-demand environment of function version `version`
    /// (warmest caches), if any.
    pub fn take_idle(&mut self, version: u32) -> Option<usize> {
        let idle = self.idle.get_mut(version as usize)?;
        while let Some((slot, id)) = idle.pop_back() {
            if let Some(Some(e)) = self.slots.get(slot) {
                if e.id == id && e.state == EnvState::Idle {
                    return Some(slot);
                }
            }
        }
        None
    }

    /// Marks `slot` idle at `now`.
    pub fn make_idle(&mut self, slot: usize, now: Micros) {
        let e = self.slots[slot].as_mut().expect("live env");
        e.state = EnvState::Idle;
        e.idle_since_us = now;
        let (lane, version, id) = (e.lane as usize, e.function_version as usize, e.id);
        if e.provisioned {
            if self.prov_idle.len() <= lane {
                self.prov_idle.resize(lane + 1, Vec::new());
            }
            self.prov_idle[lane].push(slot);
        } else {
            if self.idle.len() <= version {
                self.idle.resize(version + 1, VecDeque::new());
            }
            self.idle[version].push_back((slot, id));
        }
    }

    fn forget_provisioned(&mut self, slot: usize, lane: u32) {
        self.provisioned_live -= 1;
        if let Some(n) = self.prov_live.get_mut(lane as usize) {
            *n -= 1;
        }
        if let Some(l) = self.prov_idle.get_mut(lane as usize) {
            l.retain(|&s| s != slot);
        }
    }

    /// Starts the Shutdown phase of the environment in `slot`: it leaves the idle lists and no
    /// longer counts as a provisioned environment; [`Pool::remove`] ends it.
    pub fn begin_shutdown(&mut self, slot: usize) {
        let Some(e) = self.slots.get_mut(slot).and_then(|e| e.as_mut()) else {
            return;
        };
        if e.state == EnvState::ShuttingDown {
            return;
        }
        e.state = EnvState::ShuttingDown;
        if e.provisioned {
            let lane = e.lane;
            self.forget_provisioned(slot, lane);
        }
    }

    /// Removes the environment in `slot` (reclaim), returning it.
    pub fn remove(&mut self, slot: usize) -> Option<Environment> {
        let e = self.slots.get_mut(slot)?.take()?;
        if e.provisioned && e.state != EnvState::ShuttingDown {
            self.forget_provisioned(slot, e.lane);
        }
        self.free.push(slot);
        self.reclaimed += 1;
        Some(e)
    }

    /// The oldest idle on-demand environment of any version: (slot, idle since), skipping stale
    /// entries.
    pub fn oldest_idle(&mut self) -> Option<(usize, Micros)> {
        let mut best: Option<(usize, Micros)> = None;
        for v in 0..self.idle.len() {
            while let Some(&(slot, id)) = self.idle[v].front() {
                match self.slots.get(slot).and_then(|e| e.as_ref()) {
                    Some(e) if e.id == id && e.state == EnvState::Idle => {
                        if best.is_none_or(|(_, t)| e.idle_since_us < t) {
                            best = Some((slot, e.idle_since_us));
                        }
                        break;
                    }
                    _ => {
                        self.idle[v].pop_front();
                    }
                }
            }
        }
        best
    }

    /// Live environments.
    pub fn live(&self) -> impl Iterator<Item = (usize, &Environment)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (i, e)))
    }

    /// Number of live environments.
    pub fn live_count(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Environment `slot` starts an invocation: busy, one invocation more, and whether Init runs
    /// first (a new environment, or one reset after a crash or a timeout: `cold`, or its own
    /// mark, which this clears; docs/lambda-behaviour.md §3.1, §3.8).
    pub fn begin(&mut self, slot: usize, cold: bool) -> Begun {
        let env = self.slots[slot].as_mut().expect("a live environment");
        let begun = Begun {
            env_id: env.id,
            provisioned: env.provisioned,
            needs_init: cold || env.needs_init,
        };
        env.state = EnvState::Busy;
        env.invocations += 1;
        env.needs_init = false;
        self.busy += 1;
        if begun.provisioned {
            self.busy_provisioned += 1;
        }
        begun
    }

    /// The invocation in `slot` ended; `reset`: its environment must run Init again (a crash or a
    /// timeout). Returns whether the environment was a provisioned one.
    pub fn end(&mut self, slot: usize, reset: bool) -> bool {
        self.busy -= 1;
        let Some(env) = self.get_mut(slot) else {
            return false;
        };
        if reset {
            env.needs_init = true;
        }
        let provisioned = env.provisioned;
        if provisioned {
            self.busy_provisioned -= 1;
        }
        provisioned
    }

    /// Environments busy now, and of them the provisioned ones.
    pub fn busy(&self) -> (u32, u32) {
        (self.busy, self.busy_provisioned)
    }

    /// The slots of `version`'s environments that can be reclaimed now: neither running a
    /// request nor already shutting down (a busy one is reclaimed when its request ends).
    pub fn reclaimable_of(&self, version: u32) -> Vec<usize> {
        self.live()
            .filter(|(_, e)| {
                e.function_version == version
                    && !matches!(e.state, EnvState::Busy | EnvState::ShuttingDown)
            })
            .map(|(s, _)| s)
            .collect()
    }
}

/// What [`Pool::begin`] reports of the environment an invocation starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Begun {
    /// The environment's id.
    pub env_id: u64,
    /// A provisioned environment.
    pub provisioned: bool,
    /// Init runs before the handler.
    pub needs_init: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(id: u64) -> Environment {
        Environment {
            id,
            state: EnvState::Busy,
            provisioned: false,
            created_us: 0,
            init_done_us: 100,
            idle_since_us: 0,
            invocations: 0,
            needs_init: false,
            version: 0,
            function_version: 0,
            lane: NO_LANE,
            tmp_used_bytes: 0,
            frozen_background: None,
            open_connections: 0,
        }
    }

    #[test]
    fn the_pool_counts_busy_environments_and_a_reset_one_runs_init_again() {
        // docs/lambda-behaviour.md §3.1, §3.8: a crash or timeout resets the environment
        let mut p = Pool::default();
        let a = p.create(env(1));
        // a provisioned environment belongs to a lane (it was created with none, so `create`
        // grew the per-lane counts to index u32::MAX: 16 GB)
        let b = p.create(Environment::new(2, 0, 0, 0, Some(0)));
        assert!(p.begin(a, true).needs_init, "a new environment runs Init");
        let begun = p.begin(b, false);
        assert!(begun.provisioned && !begun.needs_init);
        assert_eq!(p.busy(), (2, 1));
        assert!(p.end(b, false));
        assert!(!p.end(a, true));
        assert_eq!(p.busy(), (0, 0));
        assert!(
            p.begin(a, false).needs_init,
            "after a reset, Init runs again"
        );
        assert!(!p.begin(b, false).needs_init);
        assert_eq!(p.get(a).unwrap().invocations, 2);
    }

    #[test]
    fn environment_shows_initialising_until_init_is_done() {
        // docs/lambda-behaviour.md §3.1: Init, then Invoke
        let e = env(1);
        assert_eq!(e.state_at(50), EnvState::Initialising);
        assert_eq!(e.state_at(100), EnvState::Busy);
    }

    #[test]
    fn warm_reuse_takes_the_most_recent_idle_and_reclaim_sees_the_oldest() {
        // docs/lambda-behaviour.md §3.6: a later invocation reuses a frozen environment
        let mut p = Pool::default();
        let a = p.create(env(1));
        let b = p.create(env(2));
        p.make_idle(a, 10);
        p.make_idle(b, 20);
        assert_eq!(p.oldest_idle(), Some((a, 10)));
        assert_eq!(p.take_idle(0), Some(b));
        p.slots[b].as_mut().unwrap().state = EnvState::Busy;
        p.remove(a);
        assert_eq!(p.oldest_idle(), None);
        assert_eq!(p.take_idle(0), None);
        assert_eq!(p.live_count(), 1);
    }

    #[test]
    fn an_idle_environment_serves_only_its_own_version() {
        // docs/lambda-behaviour.md §10.2: environments belong to a version
        let mut p = Pool::default();
        let mut v2 = env(1);
        v2.function_version = 2;
        let a = p.create(v2);
        p.make_idle(a, 10);
        assert_eq!(p.take_idle(0), None);
        assert_eq!(p.take_idle(1), None);
        assert_eq!(p.oldest_idle(), Some((a, 10)), "the sweep still sees it");
        assert_eq!(p.take_idle(2), Some(a));
    }

    #[test]
    fn a_provisioned_environment_serves_only_its_lane() {
        // docs/lambda-behaviour.md §10.5: provisioned concurrency belongs to one qualifier
        let mut p = Pool::default();
        let mut e = env(1);
        e.provisioned = true;
        e.function_version = 1;
        e.lane = 1;
        let a = p.create(e);
        p.make_idle(a, 10);
        assert_eq!((p.provisioned_live_in(0), p.provisioned_live_in(1)), (0, 1));
        assert_eq!(p.take_provisioned(0), None);
        assert_eq!(p.take_idle(1), None, "not an on-demand environment");
        assert_eq!(p.take_provisioned(1), Some(a));
        p.remove(a);
        assert_eq!((p.provisioned_live, p.provisioned_live_in(1)), (0, 0));
    }
}
