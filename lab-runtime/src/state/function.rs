//! A deployed function: its configuration, code, versions, aliases, environments, metrics, bill and
//! counters, and the lookups of what `$LATEST` or a version holds. The calls that change it are
//! in `crate::control`, `crate::versions` and `crate::invoke`.

use std::rc::Rc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::billing::FunctionBill;
use crate::environment::{Pool, StartType};
use crate::host::Identity;
use crate::iam::PolicyDocument;
use crate::metrics::Series;
use crate::model::Outcome;
use crate::script::Compiled;
use crate::state::concurrency::{RateWindow, ScaleCredit};
use crate::state::versions::{
    Alias, AliasView, PublishedVersion, QualifierRef, Target, VersionView, NO_ALIAS,
};
use crate::{AsyncConfig, FunctionConfig, FunctionVersion, Micros};

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

/// A deployed function and everything the simulator tracks about it.
pub struct FunctionState {
    /// Configuration.
    pub config: FunctionConfig,
    /// Name, shared with records.
    pub name: Arc<str>,
    /// ARN.
    pub arn: String,
    /// Resource-based policy (who may invoke).
    pub resource_policy: Option<PolicyDocument>,
    /// Code/config revision of `$LATEST`: a new one replaces its environments.
    pub version: u32,
    /// Published versions, version n at index n - 1 (docs/lambda-behaviour.md §10.1).
    pub versions: Vec<crate::state::versions::PublishedVersion>,
    /// Aliases (deleted ones stay, marked, so that indexes stay valid).
    pub aliases: Vec<crate::state::versions::Alias>,
    /// Provisioned concurrency, one lane per version or alias it is configured on.
    pub lanes: Vec<crate::state::versions::ProvisionedLane>,
    /// Environments.
    pub pool: Pool,
    /// Metrics.
    pub metrics: Series,
    /// Bill.
    pub bill: FunctionBill,
    /// Counters.
    pub stats: FunctionStats,
    pub(crate) identity: Rc<Identity>,
    pub(crate) logs_allowed: bool,
    /// Credit for new environments (docs/lambda-behaviour.md §4.6).
    pub(crate) scale: ScaleCredit,
    /// Requests per second against its reserved concurrency (docs/lambda-behaviour.md §4.3).
    pub(crate) rate: RateWindow,
    pub(crate) sweep_at: Option<Micros>,
    pub(crate) compiled: Option<Compiled>,
    pub(crate) env_scripts: Vec<Option<crate::state::inflight::EnvScript>>,
    pub(crate) error_ppm: u32,
    pub(crate) script_name: std::rc::Rc<str>,
    pub(crate) script_arn: std::rc::Rc<str>,
    /// `…:function:f:$LATEST`, the ARN a handler sees when invoked as `f:$LATEST`.
    pub(crate) script_latest_arn: std::rc::Rc<str>,
}

static DEFAULT_ASYNC: AsyncConfig = AsyncConfig {
    maximum_retry_attempts: 2,
    maximum_event_age_s: 21_600,
    on_success: None,
    on_failure: None,
    dead_letter_queue: None,
};

impl FunctionState {
    /// The configuration of function version `v` (0 = `$LATEST`).
    pub fn config_for(&self, v: u32) -> &FunctionConfig {
        match v {
            0 => &self.config,
            n => &self.versions[n as usize - 1].config,
        }
    }

    pub(crate) fn compiled_for(&self, v: u32) -> &Option<Compiled> {
        match v {
            0 => &self.compiled,
            n => &self.versions[n as usize - 1].compiled,
        }
    }

    pub(crate) fn error_ppm_for(&self, v: u32) -> u32 {
        match v {
            0 => self.error_ppm,
            n => self.versions[n as usize - 1].error_ppm,
        }
    }

    pub(crate) fn identity_for(&self, v: u32) -> &Rc<Identity> {
        match v {
            0 => &self.identity,
            n => &self.versions[n as usize - 1].identity,
        }
    }

    pub(crate) fn logs_allowed_for(&self, v: u32) -> bool {
        match v {
            0 => self.logs_allowed,
            n => self.versions[n as usize - 1].logs_allowed,
        }
    }

    /// Published version `v`, unless it does not exist or was deleted.
    pub fn published(&self, v: u32) -> Option<&PublishedVersion> {
        self.versions
            .get((v as usize).wrapping_sub(1))
            .filter(|p| !p.deleted)
    }

    /// The version a qualifier looked up runs (an alias: its primary version).
    pub(crate) fn version_of(&self, q: QualifierRef) -> u32 {
        match q {
            QualifierRef::Unqualified | QualifierRef::Latest => 0,
            QualifierRef::Version(v) => v,
            QualifierRef::Alias(i) => self.aliases[i as usize].version,
        }
    }

    /// The function version of the environment in `slot`.
    pub(crate) fn version_of_slot(&self, slot: usize) -> u32 {
        self.pool.get(slot).map(|e| e.function_version).unwrap_or(0)
    }

    /// The alias called `name`, if it exists.
    pub fn alias(&self, name: &str) -> Option<&Alias> {
        self.aliases.iter().find(|a| a.name == name && !a.deleted)
    }

    pub(crate) fn alias_index(&self, name: &str) -> Option<usize> {
        self.aliases
            .iter()
            .position(|a| a.name == name && !a.deleted)
    }

    /// Total provisioned concurrency configured over all versions and aliases.
    pub fn provisioned_total(&self) -> u32 {
        self.lanes.iter().map(|l| l.amount).sum()
    }

    /// The provisioned concurrency configured on `qualifier` (0 if none).
    pub fn provisioned_on(&self, qualifier: &str) -> u32 {
        // an alias with a routing weight has two lanes, one per version
        self.lanes
            .iter()
            .filter(|l| l.qualifier == qualifier)
            .map(|l| l.amount)
            .sum()
    }

    /// The function's ARN with a qualifier (`$LATEST`, a version, an alias) or without.
    pub fn qualified_arn(&self, qualifier: Option<&str>) -> String {
        match qualifier {
            Some(q) => format!("{}:{q}", self.arn),
            None => self.arn.clone(),
        }
    }

    /// The ARN the caller invoked, as the handler's `invoked_function_arn` shows it
    /// (docs/lambda-behaviour.md §7.2): the alias's or the version's qualified ARN, `…:$LATEST`
    /// when the caller named `$LATEST`, else the unqualified ARN. Built when the qualifier was
    /// created, so an invocation only clones an `Rc`.
    pub(crate) fn invoked_arn(&self, t: Target) -> &Rc<str> {
        if t.alias != NO_ALIAS {
            &self.aliases[t.alias as usize].arn
        } else if t.version > 0 {
            &self.versions[t.version as usize - 1].arn
        } else if t.qualified {
            &self.script_latest_arn
        } else {
            &self.script_arn
        }
    }

    /// Published versions, for the console.
    pub fn version_views(&self) -> Vec<VersionView> {
        self.versions
            .iter()
            .filter(|v| !v.deleted)
            .map(|v| VersionView {
                version: FunctionVersion(v.number),
                description: v.description.clone(),
                memory_mb: v.config.memory_mb,
                timeout_s: v.config.timeout_s,
                provisioned: self.provisioned_on(&v.number.to_string()),
            })
            .collect()
    }

    /// Aliases, for the console.
    pub fn alias_views(&self) -> Vec<AliasView> {
        self.aliases
            .iter()
            .filter(|a| !a.deleted)
            .map(|a| AliasView {
                name: a.name.clone(),
                function_version: FunctionVersion(a.version),
                additional: a.additional.map(|(v, w)| (FunctionVersion(v), w)),
                provisioned: self.provisioned_on(&a.name),
            })
            .collect()
    }

    /// The asynchronous settings of a qualifier (docs/lambda-behaviour.md §10.7): the
    /// unqualified function's (and `$LATEST`'s) own, or a version's or alias's, which take AWS's
    /// defaults until `PutFunctionEventInvokeConfig` sets them for that qualifier.
    pub fn event_invoke_config(&self, qualifier: Option<&str>) -> &AsyncConfig {
        match qualifier {
            None | Some("$LATEST") => &self.config.async_config,
            Some(q) => {
                let cfg = match FunctionVersion::parse(q) {
                    Some(v) => self
                        .versions
                        .get(v.0 as usize - 1)
                        .and_then(|p| p.event_invoke.as_ref()),
                    None => self.alias(q).and_then(|a| a.event_invoke.as_ref()),
                };
                cfg.unwrap_or(&DEFAULT_ASYNC)
            }
        }
    }

    /// The dead-letter queue of a qualifier: part of the version's configuration, so a
    /// published version keeps the one it was published with (an alias: its primary version's).
    pub fn dead_letter_queue_for(&self, qualifier: Option<&str>) -> Option<&str> {
        let v = match qualifier {
            None | Some("$LATEST") => 0,
            Some(q) => match FunctionVersion::parse(q) {
                Some(v) => v.0,
                None => self.alias(q).map_or(0, |a| a.version),
            },
        };
        if v as usize > self.versions.len() {
            return None;
        }
        self.config_for(v).async_config.dead_letter_queue.as_deref()
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
}
