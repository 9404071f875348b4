//! A deployed function: its configuration, code, versions and aliases ([`Versions`]), environments
//! ([`Pool`]), metrics, bill and counters, and the lookups of what `$LATEST` or a version holds.
//! The engine (`crate::control`, `crate::versions`, `crate::invoke` ...) tells it what happened
//! through its methods; it keeps its own fields.

use std::rc::Rc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::billing::FunctionBill;
use crate::environment::{Begun, Environment, Pool, StartType, NO_LANE};
use crate::handler::HandlerSpec;
use crate::host::Identity;
use crate::iam::PolicyDocument;
use crate::metrics::Series;
use crate::model::Outcome;
use crate::script::Compiled;
use crate::state::concurrency::{AccountConcurrency, RateWindow, ScaleCredit, Throttle};
use crate::state::inflight::EnvScript;
use crate::state::shutdown::ShutdownReason;
use crate::state::versions::{Snapshot, Target, Versions, NO_ALIAS};
use crate::{AsyncConfig, FunctionConfig, Micros};

/// Counters per function.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionStats {
    /// Invocations that ran (CloudWatch `Invocations`).
    pub invocations: u64,
    /// Function errors, timeouts and init failures.
    pub errors: u64,
    /// Of which timeouts.
    pub timeouts: u64,
    /// Throttled requests.
    pub throttles: u64,
    /// Calls refused before the code ran for another reason (413, 403, 400): no CloudWatch metric.
    #[serde(default)]
    pub rejected: u64,
    /// Cold starts.
    pub cold_starts: u64,
    /// Warm starts.
    pub warm_starts: u64,
    /// Provisioned starts.
    pub provisioned_starts: u64,
    /// Init failures (error or timeout).
    pub init_failures: u64,
    /// Highest concurrency seen.
    pub peak_concurrency: u32,
    /// Invocations dropped by recursive loop detection (CloudWatch `RecursiveInvocationsDropped`,
    /// docs/lambda-behaviour.md §2.16).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    pub recursive_invocations_dropped: u64,
}

impl FunctionStats {
    /// An invocation started in an environment (`busy`: the function's environments busy now).
    pub fn started(&mut self, start: StartType, busy: u32) {
        self.peak_concurrency = self.peak_concurrency.max(busy);
        match start {
            StartType::Cold => self.cold_starts += 1,
            StartType::Warm => self.warm_starts += 1,
            StartType::Provisioned => self.provisioned_starts += 1,
        }
    }

    /// An invocation ended with `outcome` (CloudWatch `Invocations` and `Errors`, which count
    /// timeouts and Init failures too; docs/lambda-behaviour.md §8.1).
    pub fn ended(&mut self, outcome: Outcome) {
        self.invocations += 1;
        self.errors += (outcome != Outcome::Success) as u64;
        self.timeouts += (outcome == Outcome::Timeout) as u64;
        self.init_failures += (outcome == Outcome::InitError) as u64;
    }
}

/// A deployed function and everything the simulator tracks about it. Its fields are its own: the
/// engine reads them through accessors and changes them through the methods below, each of which
/// says what happened (an invocation started or ended, a throttle, a new revision), so that the
/// counters, metrics and bill that one event touches change together.
pub struct FunctionState {
    /// Configuration of `$LATEST`.
    config: FunctionConfig,
    /// Name, shared with records.
    name: Arc<str>,
    /// Resource-based policy of the unqualified function (who may invoke).
    resource_policy: Option<PolicyDocument>,
    /// Code/config revision of `$LATEST`: a new one replaces its environments.
    revision: u32,
    /// Published versions, aliases and their provisioned concurrency (docs/lambda-behaviour.md §10).
    versions: Versions,
    /// Environments.
    pool: Pool,
    /// Metrics.
    metrics: Series,
    /// Bill.
    bill: FunctionBill,
    /// Counters.
    stats: FunctionStats,
    /// The identity `$LATEST`'s handler runs as.
    identity: Rc<Identity>,
    /// `$LATEST`'s role may write logs.
    logs_allowed: bool,
    /// Credit for new environments (docs/lambda-behaviour.md §4.6).
    scale: ScaleCredit,
    /// Requests per second against its reserved concurrency (docs/lambda-behaviour.md §4.3).
    rate: RateWindow,
    /// When the keep-alive sweep of idle environments is scheduled, if it is.
    sweep_at: Option<Micros>,
    /// `$LATEST`'s compiled handler (a script).
    compiled: Option<Compiled>,
    /// Each environment's script state (its handler, /tmp, open connections), by slot.
    env_scripts: Vec<Option<EnvScript>>,
    /// `$LATEST`'s error rate per million (a profile).
    error_ppm: u32,
    script_name: Rc<str>,
    script_arn: Rc<str>,
    /// `…:function:f:$LATEST`, the ARN a handler sees when invoked as `f:$LATEST`.
    script_latest_arn: Rc<str>,
}

static DEFAULT_ASYNC: AsyncConfig = AsyncConfig {
    maximum_retry_attempts: 2,
    maximum_event_age_s: 21_600,
    on_success: None,
    on_failure: None,
    dead_letter_queue: None,
};

/// How an invocation that started uses provisioned concurrency, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Provisioned {
    /// In a provisioned environment.
    Used,
    /// The qualifier has provisioned concurrency, all of it busy: spillover.
    Spillover,
    /// The qualifier has none.
    None,
}

/// An invocation that ended, as the function's counters, metrics and bill see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ended {
    /// The version that ran.
    pub version: u32,
    /// Its outcome.
    pub outcome: Outcome,
    /// How it started.
    pub start_type: StartType,
    /// Handler duration.
    pub duration_us: Micros,
    /// Init duration, billed with it.
    pub init_us: Micros,
    /// Billed milliseconds.
    pub billed_ms: u64,
}

impl FunctionState {
    /// A function just created (`CreateFunction`): revision 1, no version, no environment.
    pub(crate) fn new(
        config: FunctionConfig,
        arn: String,
        identity: Rc<Identity>,
        logs_allowed: bool,
        metrics: Series,
        now: Micros,
    ) -> Self {
        FunctionState {
            name: Arc::from(config.name.as_str()),
            resource_policy: None,
            revision: 1,
            versions: Versions::new(&arn),
            pool: Pool::default(),
            metrics,
            bill: FunctionBill::default(),
            stats: FunctionStats::default(),
            identity,
            logs_allowed,
            scale: ScaleCredit::full(now),
            rate: RateWindow::default(),
            sweep_at: None,
            compiled: None,
            env_scripts: Vec::new(),
            error_ppm: 0,
            script_name: config.name.as_str().into(),
            script_latest_arn: format!("{arn}:$LATEST").into(),
            script_arn: arn.as_str().into(),
            config,
        }
    }

    // ----- what it is -----

    /// `$LATEST`'s configuration.
    #[inline]
    pub fn config(&self) -> &FunctionConfig {
        &self.config
    }

    /// Name, shared with records.
    #[inline]
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// Unqualified ARN.
    #[inline]
    pub fn arn(&self) -> &str {
        &self.script_arn
    }

    /// `$LATEST`'s code and configuration revision (a new one replaces its environments).
    #[inline]
    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// Its versions, aliases and provisioned concurrency.
    #[inline]
    pub fn versions(&self) -> &Versions {
        &self.versions
    }

    /// Its versions, aliases and provisioned concurrency, for the control plane to change
    /// through [`Versions`]'s rules.
    pub(crate) fn versions_mut(&mut self) -> &mut Versions {
        &mut self.versions
    }

    /// Its environments.
    #[inline]
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Its environments, to change through [`Pool`]'s rules.
    #[inline]
    pub(crate) fn pool_mut(&mut self) -> &mut Pool {
        &mut self.pool
    }

    /// Its metrics.
    #[inline]
    pub fn metrics(&self) -> &Series {
        &self.metrics
    }

    /// Its bill.
    #[inline]
    pub fn bill(&self) -> &FunctionBill {
        &self.bill
    }

    /// Its counters.
    #[inline]
    pub fn stats(&self) -> &FunctionStats {
        &self.stats
    }

    /// The function's name and ARNs as a handler's context shows them.
    #[inline]
    pub(crate) fn script_name(&self) -> &Rc<str> {
        &self.script_name
    }

    /// The resource-based policy a request through `qualifier` is checked against: the
    /// function's own for none (or `$LATEST`), else the version's or alias's
    /// (docs/lambda-behaviour.md §10.6).
    pub(crate) fn policy_for(&self, qualifier: Option<&str>) -> Option<&PolicyDocument> {
        match qualifier {
            None => self.resource_policy.as_ref(),
            Some(q) => self.versions.policy(q),
        }
    }

    /// The resource-based policy of the function (`None`) or of a version or alias, for
    /// `AddPermission`, `RemovePermission` and `PutFunctionPolicy` to edit.
    pub(crate) fn policy_mut(
        &mut self,
        qualifier: Option<&str>,
    ) -> Result<&mut Option<PolicyDocument>, crate::error::ApiError> {
        match qualifier {
            None => Ok(&mut self.resource_policy),
            Some(q) => self.versions.policy_mut(q),
        }
    }

    // ----- what a version holds -----

    /// The configuration of function version `v` (0 = `$LATEST`).
    pub fn config_for(&self, v: u32) -> &FunctionConfig {
        match v {
            0 => &self.config,
            n => self.versions.get(n).config(),
        }
    }

    pub(crate) fn compiled_for(&self, v: u32) -> &Option<Compiled> {
        match v {
            0 => &self.compiled,
            n => self.versions.get(n).compiled(),
        }
    }

    pub(crate) fn error_ppm_for(&self, v: u32) -> u32 {
        match v {
            0 => self.error_ppm,
            n => self.versions.get(n).error_ppm(),
        }
    }

    pub(crate) fn identity_for(&self, v: u32) -> &Rc<Identity> {
        match v {
            0 => &self.identity,
            n => self.versions.get(n).identity(),
        }
    }

    pub(crate) fn logs_allowed_for(&self, v: u32) -> bool {
        match v {
            0 => self.logs_allowed,
            n => self.versions.get(n).logs_allowed(),
        }
    }

    /// The function version of the environment in `slot`.
    pub(crate) fn version_of_slot(&self, slot: usize) -> u32 {
        self.pool.get(slot).map(|e| e.function_version).unwrap_or(0)
    }

    /// The function's ARN with a qualifier (`$LATEST`, a version, an alias) or without.
    pub fn qualified_arn(&self, qualifier: Option<&str>) -> String {
        self.versions.qualified_arn(qualifier)
    }

    /// The ARN the caller invoked, as the handler's `invoked_function_arn` shows it
    /// (docs/lambda-behaviour.md §7.2): the alias's or the version's qualified ARN, `…:$LATEST`
    /// when the caller named `$LATEST`, else the unqualified ARN. Built when the qualifier was
    /// created, so an invocation only clones an `Rc`.
    pub(crate) fn invoked_arn(&self, t: Target) -> &Rc<str> {
        if t.alias != NO_ALIAS {
            self.versions.alias_at(t.alias).arn()
        } else if t.version > 0 {
            self.versions.get(t.version).arn()
        } else if t.qualified {
            &self.script_latest_arn
        } else {
            &self.script_arn
        }
    }

    /// The asynchronous settings of a qualifier (docs/lambda-behaviour.md §10.7): the
    /// unqualified function's (and `$LATEST`'s) own, or a version's or alias's, which take AWS's
    /// defaults until `PutFunctionEventInvokeConfig` sets them for that qualifier.
    pub fn event_invoke_config(&self, qualifier: Option<&str>) -> &AsyncConfig {
        match qualifier {
            None | Some("$LATEST") => &self.config.async_config,
            Some(q) => self.versions.event_invoke(q).unwrap_or(&DEFAULT_ASYNC),
        }
    }

    /// The dead-letter queue of a qualifier: part of the version's configuration, so a
    /// published version keeps the one it was published with (an alias: its primary version's).
    pub fn dead_letter_queue_for(&self, qualifier: Option<&str>) -> Option<&str> {
        let v = match qualifier {
            None => 0,
            Some(q) => self.versions.version_named(q).unwrap_or(0),
        };
        if v > self.versions.count() {
            return None;
        }
        self.config_for(v).async_config.dead_letter_queue.as_deref()
    }

    // ----- the control plane -----

    /// `PublishVersion` (docs/lambda-behaviour.md §10.1): `$LATEST`'s code and configuration
    /// become the next version, unless nothing changed since the last one; its number.
    pub(crate) fn publish_version(&mut self, description: Option<&str>) -> u32 {
        let latest = Snapshot {
            config: &self.config,
            compiled: &self.compiled,
            error_ppm: self.error_ppm,
            identity: &self.identity,
            logs_allowed: self.logs_allowed,
        };
        self.versions.publish(latest, description)
    }

    /// `UpdateFunctionConfiguration`: `$LATEST` takes `config` and runs as `identity`. The
    /// caller starts a new revision ([`FunctionState::new_revision`]).
    pub(crate) fn set_configuration(
        &mut self,
        config: FunctionConfig,
        identity: Rc<Identity>,
        logs_allowed: bool,
    ) {
        self.config = config;
        self.identity = identity;
        self.logs_allowed = logs_allowed;
    }

    /// `UpdateFunctionCode`: `$LATEST`'s handler, compiled (a script) or with the profile's
    /// error rate. The caller starts a new revision.
    pub(crate) fn set_code(
        &mut self,
        handler: HandlerSpec,
        compiled: Option<Compiled>,
        error_ppm: u32,
    ) {
        self.config.handler = handler;
        self.compiled = compiled;
        self.error_ppm = error_ppm;
    }

    /// `$LATEST`'s code or configuration changed: environments of the old revision are
    /// replaced as they become free.
    pub(crate) fn new_revision(&mut self) {
        self.revision += 1;
    }

    /// `PutFunctionConcurrency` / `DeleteFunctionConcurrency`.
    pub(crate) fn set_reserved_concurrency(&mut self, reserved: Option<u32>) {
        self.config.reserved_concurrency = reserved;
    }

    /// `PutFunctionEventInvokeConfig` on the function (and `$LATEST`).
    pub(crate) fn set_async_config(&mut self, config: AsyncConfig) {
        self.config.async_config = config;
    }

    /// Role `role` changed: `$LATEST` and the versions that run as it take the new identity
    /// and log permission.
    pub(crate) fn role_changed(
        &mut self,
        role: &str,
        identity: impl Fn(&str) -> Rc<Identity>,
        logs_allowed: bool,
    ) {
        if self.config.role == role {
            self.identity = identity(&self.config.name);
            self.logs_allowed = logs_allowed;
        }
        self.versions.role_changed(role, identity, logs_allowed);
    }

    // ----- invocations -----

    /// The front door's admission (docs/lambda-behaviour.md §4.2–§4.4): the account's
    /// concurrency, then this function's reservation and request rate.
    #[inline]
    pub(crate) fn admit(
        &mut self,
        account: &mut AccountConcurrency,
        now: Micros,
        limit: u32,
    ) -> Result<(), Throttle> {
        let busy = self.pool.busy().0;
        account.admit(
            now,
            limit,
            self.config.reserved_concurrency,
            busy,
            &mut self.rate,
        )
    }

    /// Chooses the environment for a request that runs `target` (docs/lambda-behaviour.md
    /// §10.2, §10.5, §4.6): its qualifier's provisioned environments first, then the most recent
    /// idle one of the same version, else a new one (`new_id` gives its id) if the scaling
    /// credit allows; otherwise a scaling throttle.
    #[inline]
    pub(crate) fn take_environment(
        &mut self,
        target: Target,
        now: Micros,
        new_id: impl FnOnce() -> u64,
    ) -> Result<(usize, StartType), Throttle> {
        let provisioned = if target.lane == NO_LANE {
            None
        } else {
            self.pool.take_provisioned(target.lane)
        };
        if let Some(s) = provisioned {
            return Ok((s, StartType::Provisioned));
        }
        if let Some(s) = self.pool.take_idle(target.version) {
            return Ok((s, StartType::Warm));
        }
        if !self.scale.take(now) {
            return Err(Throttle::Scaling);
        }
        let env = Environment::new(new_id(), now, self.revision, target.version, None);
        Ok((self.pool.create(env), StartType::Cold))
    }

    /// An invocation starts in `slot`: the pool marks it busy and the counters see the start,
    /// which is cold whenever Init runs first (a new environment, or one reset after a crash or
    /// a timeout, docs/lambda-behaviour.md §3.8).
    #[inline]
    pub(crate) fn invocation_started(
        &mut self,
        slot: usize,
        start: StartType,
    ) -> (Begun, StartType) {
        let begun = self.pool.begin(slot, start == StartType::Cold);
        let start = if begun.needs_init {
            StartType::Cold
        } else {
            start
        };
        self.stats.started(start, self.pool.busy().0);
        (begun, start)
    }

    /// The concurrency metrics of a running invocation (docs/lambda-behaviour.md §8.1).
    #[inline]
    pub(crate) fn invocation_running(&mut self, now: Micros, provisioned: Provisioned) {
        let (busy, busy_provisioned) = self.pool.busy();
        let b = self.metrics.at(now);
        b.concurrent_executions = b.concurrent_executions.max(busy);
        match provisioned {
            Provisioned::Used => {
                let pc_total = self.versions.provisioned_total().max(1);
                b.provisioned_concurrency_invocations += 1;
                b.provisioned_concurrent_executions =
                    b.provisioned_concurrent_executions.max(busy_provisioned);
                b.provisioned_concurrency_utilization_permille = b
                    .provisioned_concurrency_utilization_permille
                    .max(busy_provisioned * 1000 / pc_total);
            }
            Provisioned::Spillover => b.provisioned_concurrency_spillover_invocations += 1,
            Provisioned::None => {}
        }
    }

    /// Whether the environment in `slot`, free again, must go rather than wait for the next
    /// request, and why: a new revision of `$LATEST`, its version deleted, its age
    /// (`recycle_after`), or a provisioned lane that moved to another version or was lowered
    /// (docs/lambda-behaviour.md §3.7, §10.5, §10.9). The bool: its lane is stale, so the
    /// lanes need reconciling.
    #[inline]
    pub(crate) fn retirement(
        &self,
        slot: usize,
        now: Micros,
        recycle_after: Micros,
    ) -> (Option<ShutdownReason>, bool) {
        let Some(env) = self.pool.get(slot) else {
            return (None, false);
        };
        let (lane, env_version) = (env.lane, env.function_version);
        if env_version == 0 && env.version != self.revision {
            return (Some(ShutdownReason::NewVersion), false);
        }
        if env_version > 0 && self.versions.get(env_version).deleted() {
            // docs/lambda-behaviour.md §10.9: its version was deleted while it ran
            return (Some(ShutdownReason::VersionDeleted), false);
        }
        if !env.provisioned {
            let old = now - env.created_us >= recycle_after;
            return (old.then_some(ShutdownReason::Recycled), false);
        }
        match self.versions.lanes().get(lane as usize) {
            // a lane whose alias moved to another version (docs/lambda-behaviour.md §10.5)
            Some(l) if l.version != env_version => (Some(ShutdownReason::NewVersion), true),
            None => (Some(ShutdownReason::NewVersion), true),
            // beyond its lane's amount (lowered while it was busy)
            Some(l) if self.pool.provisioned_live_in(lane) > l.amount => {
                (Some(ShutdownReason::ProvisionedReduced), false)
            }
            _ => (None, false),
        }
    }

    /// An invocation ended: its bill, the counters and the metrics (docs/lambda-behaviour.md
    /// §8.1, §5.4).
    #[inline]
    pub(crate) fn invocation_ended(&mut self, now: Micros, e: Ended) {
        let memory_mb = self.config_for(e.version).memory_mb;
        self.bill.add(memory_mb, e.billed_ms, e.init_us);
        self.stats.ended(e.outcome);
        let b = self.metrics.at(now);
        b.invocations += 1;
        b.errors += (e.outcome != Outcome::Success) as u64;
        b.duration_sum_us += e.duration_us;
        b.duration_count += 1;
        b.duration_max_us = b.duration_max_us.max(e.duration_us);
        b.cold_starts += (e.start_type == StartType::Cold) as u64;
    }

    /// A request was throttled (`Throttles`, docs/lambda-behaviour.md §4.7, §8.1).
    #[inline]
    pub(crate) fn throttled(&mut self, now: Micros) {
        self.stats.throttles += 1;
        self.metrics.at(now).throttles += 1;
    }

    /// A call was refused before the code ran for another reason (413, 403, 400): counted, no
    /// CloudWatch metric.
    pub(crate) fn rejected(&mut self) {
        self.stats.rejected += 1;
    }

    /// Recursive loop detection dropped an invocation (`RecursiveInvocationsDropped`,
    /// docs/lambda-behaviour.md §2.16).
    pub(crate) fn recursion_dropped(&mut self) {
        self.stats.recursive_invocations_dropped += 1;
    }

    /// An asynchronous event was queued (`AsyncEventsReceived`, docs/lambda-behaviour.md §8.1).
    pub(crate) fn async_event_received(&mut self, now: Micros) {
        self.metrics.at(now).async_events_received += 1;
    }

    /// An asynchronous event of age `age` left the queue for the function (`AsyncEventAge`).
    pub(crate) fn async_event_dispatched(&mut self, now: Micros, age: Micros) {
        let b = self.metrics.at(now);
        b.async_event_age_ms = b.async_event_age_ms.max(age / 1000);
    }

    /// An asynchronous event was dropped (`AsyncEventsDropped`).
    pub(crate) fn async_event_dropped(&mut self, now: Micros) {
        self.metrics.at(now).async_events_dropped += 1;
    }

    /// A record could not be sent to a destination (`DestinationDeliveryFailures`).
    pub(crate) fn destination_failed(&mut self, now: Micros) {
        self.metrics.at(now).destination_delivery_failures += 1;
    }

    /// An event could not be sent to the dead-letter queue (`DeadLetterErrors`).
    pub(crate) fn dead_letter_failed(&mut self, now: Micros) {
        self.metrics.at(now).dead_letter_errors += 1;
    }

    /// A stream batch was read with its oldest record `age_ms` old (`IteratorAge`).
    pub(crate) fn iterator_age(&mut self, now: Micros, age_ms: u64) {
        let b = self.metrics.at(now);
        b.iterator_age_ms = b.iterator_age_ms.max(age_ms);
    }

    // ----- environments' upkeep -----

    /// When the next keep-alive sweep should run, if one is needed and none is scheduled: when
    /// the environment idle longest has been idle for `keep_alive` (docs/lambda-behaviour.md
    /// §3.7). The sweep counts as scheduled from then on.
    #[inline]
    pub(crate) fn plan_sweep(&mut self, keep_alive: Micros) -> Option<Micros> {
        if self.sweep_at.is_some() {
            return None;
        }
        let (_, since) = self.pool.oldest_idle()?;
        self.sweep_at = Some(since + keep_alive);
        self.sweep_at
    }

    /// The sweep ran (or the keep-alive changed): none is scheduled.
    #[inline]
    pub(crate) fn sweep_done(&mut self) {
        self.sweep_at = None;
    }

    /// The script state of the environment in `slot`, if it has one.
    #[inline]
    pub(crate) fn env_script_mut(&mut self, slot: usize) -> Option<&mut EnvScript> {
        self.env_scripts.get_mut(slot).and_then(Option::as_mut)
    }

    /// The script state of the environment in `slot`, if it has one.
    #[inline]
    pub(crate) fn env_script(&self, slot: usize) -> Option<&EnvScript> {
        self.env_scripts.get(slot).and_then(Option::as_ref)
    }

    /// Gives the environment in `slot` an empty script state unless it has one (before Init).
    #[inline]
    pub(crate) fn ensure_env_script(&mut self, slot: usize) {
        if self.env_scripts.len() <= slot {
            self.env_scripts.resize_with(slot + 1, || None);
        }
        self.env_scripts[slot].get_or_insert_with(EnvScript::default);
    }

    /// Takes the script state of the environment in `slot` away (it shuts down or is reset).
    #[inline]
    pub(crate) fn take_env_script(&mut self, slot: usize) -> Option<EnvScript> {
        self.env_scripts.get_mut(slot).and_then(Option::take)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counters_follow_starts_and_outcomes() {
        // docs/lambda-behaviour.md §8.1: Errors counts function errors, timeouts and Init failures
        let mut s = FunctionStats::default();
        s.started(StartType::Cold, 1);
        s.started(StartType::Warm, 3);
        s.started(StartType::Provisioned, 2);
        for o in [Outcome::Success, Outcome::Timeout, Outcome::InitError] {
            s.ended(o);
        }
        assert_eq!(
            (s.cold_starts, s.warm_starts, s.provisioned_starts),
            (1, 1, 1)
        );
        assert_eq!(s.peak_concurrency, 3);
        assert_eq!(
            (s.invocations, s.errors, s.timeouts, s.init_failures),
            (3, 2, 1, 1)
        );
    }

    use crate::clock::SEC;
    use crate::handler::HandlerSpec;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    fn function() -> FunctionState {
        let identity = Identity::for_tests();
        let config = FunctionConfig::new("f", "r", HandlerSpec::default());
        FunctionState::new(
            config,
            ARN.into(),
            identity,
            true,
            Series::new(60 * SEC, 10),
            0,
        )
    }

    fn ended(outcome: Outcome, start_type: StartType) -> Ended {
        Ended {
            version: 0,
            outcome,
            start_type,
            duration_us: 120_000,
            init_us: 0,
            billed_ms: 120,
        }
    }

    #[test]
    fn an_invocation_counts_once_in_counters_metrics_and_bill() {
        // docs/lambda-behaviour.md §8.1 (Invocations, Errors, Duration), §5.4 (billed duration)
        let mut f = function();
        let mut id = 0;
        let (slot, start) = f
            .take_environment(Target::LATEST, 0, || {
                id += 1;
                id
            })
            .unwrap();
        assert_eq!(start, StartType::Cold);
        let (begun, start) = f.invocation_started(slot, start);
        assert_eq!((begun.env_id, start), (1, StartType::Cold));
        f.invocation_running(0, Provisioned::None);
        f.pool_mut().end(slot, false);
        f.invocation_ended(SEC, ended(Outcome::Error, StartType::Cold));
        assert_eq!(
            (
                f.stats().invocations,
                f.stats().errors,
                f.stats().cold_starts
            ),
            (1, 1, 1)
        );
        assert_eq!(f.stats().peak_concurrency, 1);
        let m = f.metrics();
        assert_eq!(m.total(|b| b.invocations), 1);
        assert_eq!(m.total(|b| b.errors), 1);
        assert_eq!(m.total(|b| b.cold_starts), 1);
        assert_eq!(m.total(|b| b.concurrent_executions as u64), 1);
        assert_eq!((f.bill().requests, f.bill().billed_ms), (1, 120));
        // a throttle: counted and in the metrics, not billed
        f.throttled(SEC);
        assert_eq!(
            (f.stats().throttles, m_throttles(&f), f.bill().requests),
            (1, 1, 1)
        );
    }

    fn m_throttles(f: &FunctionState) -> u64 {
        f.metrics().total(|b| b.throttles)
    }

    #[test]
    fn a_free_environment_is_reused_before_a_new_one_and_new_ones_spend_scaling_credit() {
        // docs/lambda-behaviour.md §3.6 (warm reuse), §4.6 (1,000 new environments per 10 s)
        let mut f = function();
        let mut id = 0;
        let mut next = || {
            id += 1;
            id
        };
        let (slot, _) = f.take_environment(Target::LATEST, 0, &mut next).unwrap();
        f.invocation_started(slot, StartType::Cold);
        f.pool_mut().end(slot, false);
        f.pool_mut().make_idle(slot, 0);
        assert_eq!(
            f.take_environment(Target::LATEST, 0, &mut next),
            Ok((slot, StartType::Warm))
        );
        // 999 more new environments at the same instant use the credit up; the next is refused
        for _ in 0..999 {
            let (_, start) = f.take_environment(Target::LATEST, 0, &mut next).unwrap();
            assert_eq!(start, StartType::Cold);
        }
        assert_eq!(
            f.take_environment(Target::LATEST, 0, &mut next),
            Err(Throttle::Scaling)
        );
        // 10 ms later the credit has one more
        assert!(f
            .take_environment(Target::LATEST, 10_000, &mut next)
            .is_ok());
    }

    #[test]
    fn an_environment_retires_after_a_new_revision_or_when_it_is_old() {
        // docs/lambda-behaviour.md §3.7 (recycled), §10.1 (a new revision replaces $LATEST's)
        let mut f = function();
        let (slot, _) = f.take_environment(Target::LATEST, 0, || 1).unwrap();
        f.invocation_started(slot, StartType::Cold);
        f.pool_mut().end(slot, false);
        let hour = 3_600 * SEC;
        assert_eq!(f.retirement(slot, SEC, hour), (None, false));
        assert_eq!(
            f.retirement(slot, hour, hour),
            (Some(ShutdownReason::Recycled), false)
        );
        f.new_revision();
        assert_eq!(
            f.retirement(slot, SEC, hour),
            (Some(ShutdownReason::NewVersion), false)
        );
    }

    #[test]
    fn one_sweep_is_planned_at_a_time_for_the_longest_idle_environment() {
        // docs/lambda-behaviour.md §3.7: an idle environment is reclaimed after the keep-alive
        let mut f = function();
        assert_eq!(f.plan_sweep(5 * SEC), None, "nothing idle");
        let (slot, _) = f.take_environment(Target::LATEST, 0, || 1).unwrap();
        f.invocation_started(slot, StartType::Cold);
        f.pool_mut().end(slot, false);
        f.pool_mut().make_idle(slot, 2 * SEC);
        assert_eq!(f.plan_sweep(5 * SEC), Some(7 * SEC));
        assert_eq!(f.plan_sweep(5 * SEC), None, "already planned");
        f.sweep_done();
        assert_eq!(f.plan_sweep(5 * SEC), Some(7 * SEC));
    }

    #[test]
    fn qualifiers_have_their_own_policy_and_async_settings_with_aws_defaults() {
        // docs/lambda-behaviour.md §10.6 (policy per qualifier), §10.7 (async settings per
        // qualifier, AWS's defaults until put)
        let mut f = function();
        assert_eq!(f.publish_version(None), 1);
        f.versions_mut().create_alias("live", 1, None).unwrap();
        *f.policy_mut(Some("live")).unwrap() = Some(PolicyDocument::default());
        assert!(f.policy_for(Some("live")).is_some());
        assert!(f.policy_for(None).is_none());
        assert!(f.policy_mut(Some("$LATEST")).is_err());
        let d = f.event_invoke_config(Some("1"));
        assert_eq!(
            (d.maximum_retry_attempts, d.maximum_event_age_s),
            (2, 21_600)
        );
        let c = AsyncConfig {
            maximum_retry_attempts: 0,
            ..AsyncConfig::default()
        };
        f.versions_mut().put_event_invoke("live", c).unwrap();
        assert_eq!(
            f.event_invoke_config(Some("live")).maximum_retry_attempts,
            0
        );
        assert_eq!(f.event_invoke_config(Some("1")).maximum_retry_attempts, 2);
        assert_eq!(
            &**f.invoked_arn(Target {
                version: 1,
                lane: NO_LANE,
                alias: 0,
                qualified: true
            }),
            "arn:aws:lambda:us-east-1:123456789012:function:f:live"
        );
    }
}
