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
    /// Code version it was initialised with.
    pub version: u32,
    /// Bytes in `/tmp` (kept across resets, gone on reclaim).
    pub tmp_used_bytes: u64,
    /// Background work frozen when the handler returned: (label, remaining µs).
    pub frozen_background: Option<(String, Micros)>,
    /// Database connections this environment holds open.
    pub open_connections: u32,
}

impl Environment {
    /// The state as seen at time `now` (an environment still in Init shows as Initialising).
    pub fn state_at(&self, now: Micros) -> EnvState {
        if self.state == EnvState::Busy && now < self.init_done_us {
            EnvState::Initialising
        } else {
            self.state
        }
    }
}

/// A function's environments: a slab plus an idle list ordered by idle time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Pool {
    /// Slots; `None` = free.
    pub slots: Vec<Option<Environment>>,
    free: Vec<usize>,
    /// On-demand idle environments (slot, id), oldest idle first.
    idle: VecDeque<(usize, u64)>,
    /// Provisioned idle environments (slot).
    prov_idle: Vec<usize>,
    /// Environments currently busy (including Init).
    pub busy: u32,
    /// Provisioned environments currently busy.
    pub busy_provisioned: u32,
    /// Live provisioned environments.
    pub provisioned_live: u32,
    /// Environments ever reclaimed.
    pub reclaimed: u64,
}

impl Pool {
    /// Adds a new environment in state Busy (its first job is Init + invoke, or Init alone for
    /// provisioned ones), returning its slot.
    pub fn create(&mut self, env: Environment) -> usize {
        if env.provisioned {
            self.provisioned_live += 1;
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

    /// The environment in `slot`, mutably.
    pub fn get_mut(&mut self, slot: usize) -> Option<&mut Environment> {
        self.slots.get_mut(slot).and_then(|e| e.as_mut())
    }

    /// Takes a provisioned idle environment, if any.
    pub fn take_provisioned(&mut self) -> Option<usize> {
        self.prov_idle.pop()
    }

    /// Takes the most recently idled on-demand environment (warmest caches), if any.
    pub fn take_idle(&mut self) -> Option<usize> {
        while let Some((slot, id)) = self.idle.pop_back() {
            if let Some(e) = self.get(slot) {
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
        if e.provisioned {
            self.prov_idle.push(slot);
        } else {
            self.idle.push_back((slot, e.id));
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
            self.provisioned_live -= 1;
            self.prov_idle.retain(|&s| s != slot);
        }
    }

    /// Removes the environment in `slot` (reclaim), returning it.
    pub fn remove(&mut self, slot: usize) -> Option<Environment> {
        let e = self.slots.get_mut(slot)?.take()?;
        if e.provisioned && e.state != EnvState::ShuttingDown {
            self.provisioned_live -= 1;
            self.prov_idle.retain(|&s| s != slot);
        }
        self.free.push(slot);
        self.reclaimed += 1;
        Some(e)
    }

    /// The oldest idle on-demand environment: (slot, idle since), skipping stale entries.
    pub fn oldest_idle(&mut self) -> Option<(usize, Micros)> {
        while let Some(&(slot, id)) = self.idle.front() {
            match self.get(slot) {
                Some(e) if e.id == id && e.state == EnvState::Idle => {
                    return Some((slot, e.idle_since_us))
                }
                _ => {
                    self.idle.pop_front();
                }
            }
        }
        None
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
            tmp_used_bytes: 0,
            frozen_background: None,
            open_connections: 0,
        }
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
        assert_eq!(p.take_idle(), Some(b));
        p.slots[b].as_mut().unwrap().state = EnvState::Busy;
        p.remove(a);
        assert_eq!(p.oldest_idle(), None);
        assert_eq!(p.take_idle(), None);
        assert_eq!(p.live_count(), 1);
    }
}
