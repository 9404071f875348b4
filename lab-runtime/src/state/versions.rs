//! Versions and aliases as data: published snapshots, aliases with their routing weights,
//! provisioned-concurrency lanes, the target one request resolves to, and the qualifier syntax
//! (docs/lambda-behaviour.md §10), and [`Versions`], the model that owns a function's versions,
//! aliases and lanes and keeps their rules. The control-plane calls that check names and start or
//! stop environments are in `crate::versions`.

use std::rc::Rc;

use litemap::LiteMap;
use serde::{Deserialize, Serialize};

use crate::environment::NO_LANE;
use crate::error::ApiError;
use crate::host::Identity;
use crate::iam::PolicyDocument;
use crate::script::Compiled;
use crate::{AsyncConfig, FunctionConfig, FunctionVersion};

/// No alias: the request named `$LATEST` or a version.
pub const NO_ALIAS: u32 = u32::MAX;

/// What one request runs: the version chosen (an alias resolved), the provisioned concurrency
/// lane the qualifier has ([`NO_LANE`] if none), and the alias it came through ([`NO_ALIAS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target {
    /// Function version: 0 = `$LATEST`.
    pub version: u32,
    /// Provisioned concurrency lane of the qualifier.
    pub lane: u32,
    /// Alias index, or [`NO_ALIAS`].
    pub alias: u32,
    /// The caller named a qualifier (`fn:$LATEST` as well as a version or an alias): the
    /// handler's `invoked_function_arn` then carries it (docs/lambda-behaviour.md §7.2).
    pub qualified: bool,
}

impl Target {
    /// An unqualified request: `$LATEST`, no provisioned concurrency.
    pub const LATEST: Target = Target {
        version: 0,
        lane: NO_LANE,
        alias: NO_ALIAS,
        qualified: false,
    };
}

/// A qualifier looked up once, by an event source mapping at its creation
/// (docs/lambda-behaviour.md §10.8): each batch resolves it without parsing a name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum QualifierRef {
    /// No qualifier: `$LATEST`, unqualified ARN.
    #[default]
    Unqualified,
    /// `$LATEST`, named.
    Latest,
    /// A published version.
    Version(u32),
    /// An alias, by index (deleted aliases keep their index).
    Alias(u32),
}

/// A published version: an immutable snapshot of `$LATEST`'s code and configuration.
pub struct PublishedVersion {
    /// Its number (1, 2, ...).
    number: u32,
    /// The configuration and code at publish time (reserved concurrency stays the function's).
    config: FunctionConfig,
    /// `Description`.
    description: String,
    /// Resource-based policy statements added with this version as qualifier.
    policy: Option<PolicyDocument>,
    /// `PutFunctionEventInvokeConfig` with this version as qualifier (None = AWS's defaults).
    event_invoke: Option<AsyncConfig>,
    /// Its provisioned concurrency lane, if configured.
    lane: Option<u32>,
    /// Its qualified ARN (`…:function:f:3`), built once for the handler's context.
    arn: Rc<str>,
    /// Deleted (`DeleteFunction` with its number, docs/lambda-behaviour.md §10.9): kept so that
    /// version n stays at index n - 1 and numbers are not reused.
    deleted: bool,
    compiled: Option<Compiled>,
    error_ppm: u32,
    identity: Rc<Identity>,
    logs_allowed: bool,
}

/// An alias: a name for a version, with at most one additional version and its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// Name (not all digits).
    name: String,
    /// The version it points to (0 = `$LATEST`).
    version: u32,
    /// `RoutingConfig.AdditionalVersionWeights`: (version, weight 0.0–1.0).
    additional: Option<(u32, f64)>,
    /// Resource-based policy statements added with this alias as qualifier.
    policy: Option<PolicyDocument>,
    /// `PutFunctionEventInvokeConfig` with this alias as qualifier.
    event_invoke: Option<AsyncConfig>,
    /// Its provisioned concurrency lane, if configured: the primary version's share.
    lane: Option<u32>,
    /// The additional (weighted) version's share of its provisioned concurrency, a lane of its
    /// own (docs/lambda-behaviour.md §10.5).
    additional_lane: Option<u32>,
    /// Its qualified ARN (`…:function:f:live`), built once for the handler's context.
    arn: Rc<str>,
    /// Deleted (kept so that indexes held by requests in flight stay valid).
    deleted: bool,
}

/// Provisioned concurrency configured on one qualifier, for the version it resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedLane {
    /// The version or alias it is configured on.
    pub qualifier: String,
    /// The version its environments run (an alias's primary version).
    pub version: u32,
    /// `ProvisionedConcurrentExecutions` (0 once deleted).
    pub amount: u32,
}

/// `RoutingConfig` of `CreateAlias` / `UpdateAlias`: at most one additional version and the
/// share of requests (0.0–1.0) it receives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RoutingConfig {
    /// Version number (as a string, as AWS writes it) → weight.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, f64>")
    )]
    #[serde(default, skip_serializing_if = "litemap::LiteMap::is_empty")]
    pub additional_version_weights: LiteMap<String, f64>,
}

/// An alias as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AliasView {
    /// Name.
    pub name: String,
    /// `FunctionVersion`.
    pub function_version: FunctionVersion,
    /// The additional version and its weight.
    pub additional: Option<(FunctionVersion, f64)>,
    /// Provisioned concurrency configured on it.
    pub provisioned: u32,
}

/// A published version as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionView {
    /// Number.
    pub version: FunctionVersion,
    /// Description.
    pub description: String,
    /// Memory of the snapshot.
    pub memory_mb: u32,
    /// Timeout of the snapshot.
    pub timeout_s: u32,
    /// Provisioned concurrency configured on it.
    pub provisioned: u32,
}

/// Splits `fn`, `fn:q`, `123456789012:function:fn[:q]` or
/// `arn:aws:lambda:region:123456789012:function:fn[:q]` into (name, qualifier).
pub fn split_function_name(s: &str) -> (&str, Option<&str>) {
    let rest = match s.find("function:") {
        Some(i) if s.starts_with("arn:") || s[..i].ends_with(':') => &s[i + "function:".len()..],
        _ => s,
    };
    match rest.split_once(':') {
        Some((n, q)) => (n, Some(q)),
        None => (rest, None),
    }
}

impl PublishedVersion {
    /// Its number (1, 2, ...).
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The configuration and code frozen when it was published.
    pub fn config(&self) -> &FunctionConfig {
        &self.config
    }

    /// Its qualified ARN (`…:function:f:3`).
    pub(crate) fn arn(&self) -> &Rc<str> {
        &self.arn
    }

    /// The handler compiled when it was published (a script), or None (a profile).
    pub(crate) fn compiled(&self) -> &Option<Compiled> {
        &self.compiled
    }

    /// A profile's error rate, per million.
    pub(crate) fn error_ppm(&self) -> u32 {
        self.error_ppm
    }

    /// The identity its handler runs as (its role).
    pub(crate) fn identity(&self) -> &Rc<Identity> {
        &self.identity
    }

    /// Whether its role may write logs.
    pub(crate) fn logs_allowed(&self) -> bool {
        self.logs_allowed
    }

    /// Deleted (`DeleteFunction` with its number).
    pub fn deleted(&self) -> bool {
        self.deleted
    }
}

impl Alias {
    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The version it points to (0 = `$LATEST`).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Its qualified ARN (`…:function:f:live`).
    pub(crate) fn arn(&self) -> &Rc<str> {
        &self.arn
    }
}

/// What `$LATEST` holds when a version is published from it: the snapshot's parts.
pub(crate) struct Snapshot<'a> {
    /// `$LATEST`'s configuration and code.
    pub config: &'a FunctionConfig,
    /// Its compiled handler (a script).
    pub compiled: &'a Option<Compiled>,
    /// A profile's error rate, per million.
    pub error_ppm: u32,
    /// The identity of its role.
    pub identity: &'a Rc<Identity>,
    /// Whether its role may write logs.
    pub logs_allowed: bool,
}

/// A function's published versions, aliases and provisioned concurrency lanes, with their rules
/// (docs/lambda-behaviour.md §10): publishing, alias routing and its split of provisioned
/// concurrency, deleting a version, and resolving a qualifier to what a request runs. Version n
/// is at index n - 1; deleted versions and aliases stay, marked, so that indexes held by requests
/// in flight and event source mappings stay valid.
pub struct Versions {
    /// The function's unqualified ARN, for qualified ARNs and error messages.
    arn: Rc<str>,
    published: Vec<PublishedVersion>,
    aliases: Vec<Alias>,
    lanes: Vec<ProvisionedLane>,
}

impl Versions {
    /// No version, alias or lane yet, for the function with unqualified ARN `arn`.
    pub fn new(arn: &str) -> Self {
        Versions {
            arn: arn.into(),
            published: Vec::new(),
            aliases: Vec::new(),
            lanes: Vec::new(),
        }
    }

    /// The ARN with a qualifier (`$LATEST`, a version, an alias) or without.
    pub fn qualified_arn(&self, qualifier: Option<&str>) -> String {
        match qualifier {
            Some(q) => format!("{}:{q}", self.arn),
            None => self.arn.to_string(),
        }
    }

    /// Version `v` (1, 2, ...) as published, deleted or not; `v` must have been published.
    pub(crate) fn get(&self, v: u32) -> &PublishedVersion {
        &self.published[v as usize - 1]
    }

    /// Published version `v`, unless it does not exist or was deleted.
    pub fn published(&self, v: u32) -> Option<&PublishedVersion> {
        self.published
            .get((v as usize).wrapping_sub(1))
            .filter(|p| !p.deleted)
    }

    /// How many versions were published (deleted ones included): the last number.
    pub fn count(&self) -> u32 {
        self.published.len() as u32
    }

    /// The versions not deleted, oldest first.
    pub fn live(&self) -> impl Iterator<Item = &PublishedVersion> {
        self.published.iter().filter(|v| !v.deleted)
    }

    /// The alias called `name`, if it exists.
    pub fn alias(&self, name: &str) -> Option<&Alias> {
        self.aliases.iter().find(|a| a.name == name && !a.deleted)
    }

    /// The index of the alias called `name` (kept for the alias's life).
    pub fn alias_index(&self, name: &str) -> Option<usize> {
        self.aliases
            .iter()
            .position(|a| a.name == name && !a.deleted)
    }

    /// Alias number `i`, deleted or not.
    pub(crate) fn alias_at(&self, i: u32) -> &Alias {
        &self.aliases[i as usize]
    }

    /// The provisioned concurrency lanes (an amount of 0 once deleted).
    pub fn lanes(&self) -> &[ProvisionedLane] {
        &self.lanes
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

    /// The resource-based policy added with `qualifier`, if any.
    pub(crate) fn policy(&self, qualifier: &str) -> Option<&PolicyDocument> {
        match FunctionVersion::parse(qualifier) {
            Some(v) => self
                .published
                .get((v.0 as usize).wrapping_sub(1))?
                .policy
                .as_ref(),
            None => self.alias(qualifier)?.policy.as_ref(),
        }
    }

    /// The asynchronous settings put on `qualifier` (a version or an alias), if any.
    pub(crate) fn event_invoke(&self, qualifier: &str) -> Option<&AsyncConfig> {
        match FunctionVersion::parse(qualifier) {
            Some(v) => self
                .published
                .get((v.0 as usize).wrapping_sub(1))?
                .event_invoke
                .as_ref(),
            None => self.alias(qualifier)?.event_invoke.as_ref(),
        }
    }

    /// The version `qualifier` runs: `$LATEST` (0), a version, or an alias's primary version;
    /// None for an alias that does not exist.
    pub(crate) fn version_named(&self, qualifier: &str) -> Option<u32> {
        match qualifier {
            "$LATEST" => Some(0),
            q => match FunctionVersion::parse(q) {
                Some(v) => Some(v.0),
                None => self.alias(q).map(|a| a.version),
            },
        }
    }

    /// The version a qualifier looked up runs (an alias: its primary version).
    pub(crate) fn version_of(&self, q: QualifierRef) -> u32 {
        match q {
            QualifierRef::Unqualified | QualifierRef::Latest => 0,
            QualifierRef::Version(v) => v,
            QualifierRef::Alias(i) => self.aliases[i as usize].version,
        }
    }

    /// The ARN of a qualifier looked up: a version's or an alias's, `…:$LATEST` otherwise.
    pub(crate) fn arn_of(&self, q: QualifierRef) -> String {
        match q {
            QualifierRef::Version(v) => self.get(v).arn.to_string(),
            QualifierRef::Alias(i) => self.aliases[i as usize].arn.to_string(),
            _ => format!("{}:$LATEST", self.arn),
        }
    }

    /// `PublishVersion` (docs/lambda-behaviour.md §10.1): the next number, unless nothing that a
    /// version freezes changed since the last one, which is then returned.
    pub(crate) fn publish(&mut self, latest: Snapshot<'_>, description: Option<&str>) -> u32 {
        if let Some(last) = self.published.last().filter(|v| !v.deleted) {
            if versioned(&last.config) == versioned(latest.config) {
                return last.number;
            }
        }
        let number = self.published.len() as u32 + 1;
        self.published.push(PublishedVersion {
            number,
            config: latest.config.clone(),
            description: description.unwrap_or_default().to_string(),
            policy: None,
            event_invoke: None,
            lane: None,
            arn: self.qualified_arn(Some(&number.to_string())).into(),
            deleted: false,
            compiled: latest.compiled.clone(),
            error_ppm: latest.error_ppm,
            identity: latest.identity.clone(),
            logs_allowed: latest.logs_allowed,
        });
        number
    }

    /// A published version's role changed: the versions that run as `role` take the new
    /// identity and log permission (a version keeps its role, not the role's policies).
    pub(crate) fn role_changed(
        &mut self,
        role: &str,
        identity: impl Fn(&str) -> Rc<Identity>,
        logs_allowed: bool,
    ) {
        for v in self.published.iter_mut().filter(|v| v.config.role == role) {
            v.identity = identity(&v.config.name);
            v.logs_allowed = logs_allowed;
        }
    }

    /// A version number given to an API (`field` names it in the message): `$LATEST` (0) or a
    /// published version (docs/lambda-behaviour.md §10.2).
    pub(crate) fn version_number(&self, v: &str, field: &str) -> Result<u32, ApiError> {
        match FunctionVersion::parse(v) {
            Some(n) if n.is_latest() || self.published(n.0).is_some() => Ok(n.0),
            Some(_) => Err(ApiError::new(
                "ResourceNotFoundException",
                404,
                format!("Function not found: {}", self.qualified_arn(Some(v))),
            )),
            None => Err(ApiError::new(
                "ValidationException",
                400,
                format!("1 validation error detected: Value '{v}' at '{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)"),
            )),
        }
    }

    /// A `RoutingConfig` for an alias on `primary`: at most one additional version, another
    /// published one, with a weight from 0.0 to 1.0 (docs/lambda-behaviour.md §10.2).
    pub(crate) fn routing(
        &self,
        primary: u32,
        routing: Option<&RoutingConfig>,
    ) -> Result<Option<(u32, f64)>, ApiError> {
        let Some(r) = routing else {
            return Ok(None);
        };
        let mut it = r.additional_version_weights.iter();
        let Some((v, w)) = it.next() else {
            return Ok(None);
        };
        if it.next().is_some() {
            return Err(ApiError::invalid(
                "Number of items in AdditionalVersionWeights cannot be greater than 1",
            ));
        }
        if !(0.0..=1.0).contains(w) {
            return Err(ApiError::new(
                "ValidationException",
                400,
                format!("1 validation error detected: Value '{w}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]"),
            ));
        }
        if primary == 0 || v == "$LATEST" {
            return Err(ApiError::invalid(
                "$LATEST is not supported for an alias pointing to more than 1 version",
            ));
        }
        let n = self.version_number(v, "routingConfig.additionalVersionWeights")?;
        if n == primary {
            return Err(ApiError::invalid(
                "Function version and additional version must be different",
            ));
        }
        Ok(Some((n, *w)))
    }

    /// `CreateAlias` (docs/lambda-behaviour.md §10.2): `name` for `version`, with an optional
    /// additional version and weight.
    pub(crate) fn create_alias(
        &mut self,
        name: &str,
        version: u32,
        additional: Option<(u32, f64)>,
    ) -> Result<(), ApiError> {
        self.check_new_alias(name)?;
        let arn = self.qualified_arn(Some(name)).into();
        self.aliases.push(Alias {
            name: name.to_string(),
            version,
            additional,
            policy: None,
            event_invoke: None,
            lane: None,
            additional_lane: None,
            arn,
            deleted: false,
        });
        Ok(())
    }

    /// A name `CreateAlias` accepts: the pattern, and no alias of that name yet (AWS checks
    /// these before the version).
    pub(crate) fn check_new_alias(&self, name: &str) -> Result<(), ApiError> {
        if !alias_name_ok(name) {
            return Err(ApiError::new(
                "ValidationException",
                400,
                format!("1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"),
            ));
        }
        if self.alias(name).is_some() {
            return Err(ApiError::new(
                "ResourceConflictException",
                409,
                format!("Alias already exists: {}", self.qualified_arn(Some(name))),
            ));
        }
        Ok(())
    }

    /// `UpdateAlias` (docs/lambda-behaviour.md §10.5): points alias `i` at `version` with
    /// `additional`; its provisioned concurrency follows, divided anew. True when lanes changed
    /// (their environments then need reconciling). An alias with provisioned concurrency may
    /// not point to `$LATEST`.
    pub(crate) fn update_alias(
        &mut self,
        i: usize,
        version: u32,
        additional: Option<(u32, f64)>,
    ) -> Result<bool, ApiError> {
        if version == 0 && self.aliases[i].lane.is_some() {
            return Err(unpublished_pc());
        }
        let a = &mut self.aliases[i];
        a.version = version;
        a.additional = additional;
        if a.lane.is_some() || a.additional_lane.is_some() {
            self.split_alias_lanes(i);
            return Ok(true);
        }
        Ok(false)
    }

    /// `DeleteAlias`: its provisioned concurrency goes with it. True when lanes changed.
    pub(crate) fn delete_alias(&mut self, i: usize) -> bool {
        let a = &mut self.aliases[i];
        a.deleted = true;
        let lanes = [a.lane.take(), a.additional_lane.take()];
        for &l in lanes.iter().flatten() {
            self.lanes[l as usize].amount = 0;
        }
        lanes.iter().any(Option::is_some)
    }

    /// Divides alias `i`'s provisioned concurrency between its versions by the routing weight
    /// (docs/lambda-behaviour.md §10.5): the additional version gets the weight's share, rounded,
    /// in a lane of its own; the primary version the rest. Without a weight (or a share that
    /// rounds to 0) the primary version has it all.
    fn split_alias_lanes(&mut self, i: usize) {
        let a = &self.aliases[i];
        let Some(pl) = a.lane else {
            if let Some(x) = self.aliases[i].additional_lane.take() {
                self.lanes[x as usize].amount = 0;
            }
            return;
        };
        let total = self.lanes[pl as usize].amount
            + a.additional_lane
                .map_or(0, |x| self.lanes[x as usize].amount);
        let (primary, additional, old) = (a.version, a.additional, a.additional_lane);
        let share = match additional {
            Some((_, w)) => ((total as f64 * w).round() as u32).min(total),
            None => 0,
        };
        self.lanes[pl as usize].version = primary;
        self.lanes[pl as usize].amount = total - share;
        match additional {
            Some((v, _)) if share > 0 => {
                let x = match old {
                    Some(x) => x,
                    None => {
                        // a lane of this alias left from an earlier split, or a new one
                        let name = &self.aliases[i].name;
                        match (0..self.lanes.len())
                            .find(|&x| x != pl as usize && self.lanes[x].qualifier == *name)
                        {
                            Some(x) => x as u32,
                            None => {
                                self.lanes.push(ProvisionedLane {
                                    qualifier: name.clone(),
                                    version: v,
                                    amount: 0,
                                });
                                self.lanes.len() as u32 - 1
                            }
                        }
                    }
                };
                self.lanes[x as usize].version = v;
                self.lanes[x as usize].amount = share;
                self.aliases[i].additional_lane = Some(x);
            }
            _ => {
                if let Some(x) = self.aliases[i].additional_lane.take() {
                    self.lanes[x as usize].amount = 0;
                }
            }
        }
    }

    /// Deletes published version `v` (docs/lambda-behaviour.md §10.9) with its provisioned
    /// concurrency, unless an alias points to it or routes a weight to it.
    pub(crate) fn delete_version(&mut self, v: u32) -> Result<(), ApiError> {
        let referencing: Vec<&str> = self
            .aliases
            .iter()
            .filter(|a| !a.deleted && (a.version == v || a.additional.is_some_and(|(x, _)| x == v)))
            .map(|a| a.name.as_str())
            .collect();
        if !referencing.is_empty() {
            return Err(ApiError::new(
                "ResourceConflictException",
                409,
                format!(
                    "Unable to delete version because the following aliases reference it: [{}]",
                    referencing.join(", ")
                ),
            ));
        }
        let p = &mut self.published[v as usize - 1];
        p.deleted = true;
        if let Some(l) = p.lane.take() {
            self.lanes[l as usize].amount = 0;
        }
        Ok(())
    }

    /// Looks a qualifier up (docs/lambda-behaviour.md §10.3): `None`, `$LATEST`, a version
    /// number or an alias; a version or alias that does not exist is `ResourceNotFoundException`.
    pub(crate) fn lookup(&self, qualifier: Option<&str>) -> Result<QualifierRef, ApiError> {
        let q = match qualifier {
            None => return Ok(QualifierRef::Unqualified),
            Some("$LATEST") => return Ok(QualifierRef::Latest),
            Some(q) => q,
        };
        if let Some(v) = FunctionVersion::parse(q) {
            return match self.published(v.0) {
                Some(_) => Ok(QualifierRef::Version(v.0)),
                None => Err(ApiError::not_found(&self.qualified_arn(Some(q)))),
            };
        }
        match self.alias_index(q) {
            Some(i) => Ok(QualifierRef::Alias(i as u32)),
            None => Err(ApiError::not_found(&self.qualified_arn(Some(q)))),
        }
    }

    /// Resolves a qualifier looked up earlier to what one request runs
    /// (docs/lambda-behaviour.md §10.3, §10.5): an alias runs its version, or its additional
    /// version when `chance_ppm` (the simulation's draw, called only for a weighted alias) says
    /// so; each version uses its own share of the alias's provisioned environments. A version or
    /// alias deleted since is `ResourceNotFoundException`.
    pub(crate) fn resolve(
        &self,
        q: QualifierRef,
        chance_ppm: impl FnOnce(u32) -> bool,
    ) -> Result<Target, ApiError> {
        let i = match q {
            QualifierRef::Unqualified => return Ok(Target::LATEST),
            QualifierRef::Latest => {
                return Ok(Target {
                    qualified: true,
                    ..Target::LATEST
                })
            }
            QualifierRef::Version(v) => {
                let p = self.get(v);
                if p.deleted {
                    return Err(ApiError::not_found(&p.arn));
                }
                return Ok(Target {
                    version: v,
                    lane: p.lane.unwrap_or(NO_LANE),
                    alias: NO_ALIAS,
                    qualified: true,
                });
            }
            QualifierRef::Alias(i) => i as usize,
        };
        let a = &self.aliases[i];
        if a.deleted {
            return Err(ApiError::not_found(&a.arn));
        }
        let version = match a.additional {
            // the weight's share of requests goes to the additional version
            Some((v, w)) if w > 0.0 && chance_ppm((w * 1_000_000.0).round() as u32) => v,
            _ => a.version,
        };
        Ok(Target {
            version,
            lane: if version == a.version {
                a.lane
            } else {
                a.additional_lane
            }
            .unwrap_or(NO_LANE),
            alias: i as u32,
            qualified: true,
        })
    }

    /// `PutProvisionedConcurrencyConfig` (`amount` 0 deletes it) on `qualifier`, a published
    /// version or an alias that points to one (docs/lambda-behaviour.md §10.4); the total over
    /// all qualifiers may not exceed `reserved`, the function's reserved concurrency.
    pub(crate) fn put_provisioned(
        &mut self,
        q: &str,
        amount: u32,
        reserved: Option<u32>,
    ) -> Result<(), ApiError> {
        if q == "$LATEST" {
            return Err(unpublished_pc());
        }
        let version = match FunctionVersion::parse(q) {
            Some(v) if self.published(v.0).is_some() => v.0,
            Some(_) => return Err(ApiError::not_found(&self.qualified_arn(Some(q)))),
            None => match self.alias(q) {
                Some(a) if a.version == 0 => return Err(unpublished_pc()),
                Some(a) => a.version,
                None => return Err(self.alias_not_found(q)),
            },
        };
        let others = self.provisioned_total() - self.provisioned_on(q);
        if reserved.is_some_and(|r| others + amount > r) {
            return Err(ApiError::invalid(
                "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function.",
            ));
        }
        let lane = match self.lanes.iter().position(|l| l.qualifier == q) {
            Some(l) => l as u32,
            None => {
                self.lanes.push(ProvisionedLane {
                    qualifier: q.to_string(),
                    version,
                    amount: 0,
                });
                self.lanes.len() as u32 - 1
            }
        };
        self.lanes[lane as usize].amount = amount;
        self.lanes[lane as usize].version = version;
        if FunctionVersion::parse(q).is_some() {
            self.published[version as usize - 1].lane = (amount > 0).then_some(lane);
        } else {
            let i = self.alias_index(q).expect("alias");
            self.aliases[i].lane = (amount > 0).then_some(lane);
            // the amount is the alias's whole; a routing weight divides it anew
            if let Some(x) = self.aliases[i].additional_lane {
                self.lanes[x as usize].amount = 0;
            }
            self.split_alias_lanes(i);
        }
        Ok(())
    }

    /// The resource-based policy of a version or alias, for `AddPermission` and
    /// `RemovePermission` to edit. `$LATEST` takes none (docs/lambda-behaviour.md §10.6).
    pub(crate) fn policy_mut(
        &mut self,
        qualifier: &str,
    ) -> Result<&mut Option<PolicyDocument>, ApiError> {
        if qualifier == "$LATEST" {
            return Err(ApiError::invalid(
                "We currently do not support adding policies for $LATEST.",
            ));
        }
        match FunctionVersion::parse(qualifier) {
            Some(v) if self.published(v.0).is_some() => {
                Ok(&mut self.published[v.0 as usize - 1].policy)
            }
            Some(_) => Err(ApiError::not_found(&self.qualified_arn(Some(qualifier)))),
            None => match self.alias_index(qualifier) {
                Some(i) => Ok(&mut self.aliases[i].policy),
                None => Err(self.alias_not_found(qualifier)),
            },
        }
    }

    /// `PutFunctionEventInvokeConfig` on a version or an alias (docs/lambda-behaviour.md §10.7).
    pub(crate) fn put_event_invoke(
        &mut self,
        qualifier: &str,
        config: AsyncConfig,
    ) -> Result<(), ApiError> {
        let slot = match FunctionVersion::parse(qualifier) {
            Some(v) => match self
                .published
                .get_mut(v.0 as usize - 1)
                .filter(|p| !p.deleted)
            {
                Some(p) => &mut p.event_invoke,
                None => return Err(ApiError::not_found(&self.qualified_arn(Some(qualifier)))),
            },
            None => match self.alias_index(qualifier) {
                Some(i) => &mut self.aliases[i].event_invoke,
                None => return Err(self.alias_not_found(qualifier)),
            },
        };
        *slot = Some(config);
        Ok(())
    }

    /// `ResourceNotFoundException` for the alias `name`.
    pub(crate) fn alias_not_found(&self, name: &str) -> ApiError {
        ApiError::new(
            "ResourceNotFoundException",
            404,
            format!("Alias not found: {}", self.qualified_arn(Some(name))),
        )
    }

    /// Published versions, for the console.
    pub fn version_views(&self) -> Vec<VersionView> {
        self.live()
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

    /// One line for the console: "Versions: 1, 2 · aliases: live → 1 (+ 2 at 10 %) · provisioned:
    /// live 2".
    pub fn line(&self) -> String {
        let versions: Vec<String> = self.live().map(|v| v.number.to_string()).collect();
        let aliases: Vec<String> = self
            .alias_views()
            .iter()
            .map(|a| match a.additional {
                Some((v, w)) => format!(
                    "{} → {} (+ {v} at {:.0} %)",
                    a.name,
                    a.function_version,
                    w * 100.0
                ),
                None => format!("{} → {}", a.name, a.function_version),
            })
            .collect();
        let mut pc: Vec<String> = Vec::new();
        for (i, l) in self.lanes.iter().enumerate() {
            let total = self.provisioned_on(&l.qualifier);
            if total == 0 || self.lanes[..i].iter().any(|o| o.qualifier == l.qualifier) {
                continue;
            }
            let split = self
                .alias(&l.qualifier)
                .and_then(|a| a.additional_lane)
                .map(|x| &self.lanes[x as usize])
                .filter(|x| x.amount > 0);
            pc.push(match split {
                Some(x) => format!(
                    "{} {total} ({} on version {})",
                    l.qualifier, x.amount, x.version
                ),
                None => format!("{} {total}", l.qualifier),
            });
        }
        let none = |v: Vec<String>| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        format!(
            "Versions: {} · aliases: {} · provisioned: {}",
            none(versions),
            none(aliases),
            none(pc)
        )
    }
}

/// Alias names: 1–128 letters, digits, `-` and `_`, not all digits (docs/lambda-behaviour.md
/// §10.2).
fn alias_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.bytes().all(|b| b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The part of a configuration a version freezes: not reserved concurrency (the function's) nor
/// the asynchronous settings (per qualifier), but the dead-letter queue (a function setting).
fn versioned(c: &FunctionConfig) -> FunctionConfig {
    let mut c = c.clone();
    c.reserved_concurrency = None;
    c.async_config = AsyncConfig {
        dead_letter_queue: c.async_config.dead_letter_queue.take(),
        ..AsyncConfig::default()
    };
    c
}

/// Provisioned concurrency on `$LATEST`, or on an alias pointing to it.
pub(crate) fn unpublished_pc() -> ApiError {
    // docs/lambda-behaviour.md §10.4 (the message is [observed])
    ApiError::invalid(
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handler::HandlerSpec;

    /// A model with versions 1..=n published from configurations of 128, 256, ... MB.
    fn with_versions(n: u32) -> Versions {
        let mut vs = Versions::new("arn:aws:lambda:us-east-1:123456789012:function:f");
        let identity = Identity::for_tests();
        for i in 0..n {
            let mut config = FunctionConfig::new("f", "r", HandlerSpec::default());
            config.memory_mb = 128 * (i + 1);
            let latest = Snapshot {
                config: &config,
                compiled: &None,
                error_ppm: 0,
                identity: &identity,
                logs_allowed: true,
            };
            assert_eq!(vs.publish(latest, None), i + 1);
        }
        vs
    }

    fn weights(v: &str, w: f64) -> RoutingConfig {
        RoutingConfig {
            additional_version_weights: [(v.to_string(), w)].into_iter().collect(),
        }
    }

    #[test]
    fn publishing_an_unchanged_latest_returns_the_last_version() {
        // docs/lambda-behaviour.md §10.1: no new version when nothing changed
        let mut vs = with_versions(1);
        let config = vs.get(1).config().clone();
        let identity = Identity::for_tests();
        let same = Snapshot {
            config: &config,
            compiled: &None,
            error_ppm: 0,
            identity: &identity,
            logs_allowed: true,
        };
        assert_eq!(vs.publish(same, Some("again")), 1);
        assert_eq!(vs.count(), 1);
        assert_eq!(
            &**vs.get(1).arn(),
            "arn:aws:lambda:us-east-1:123456789012:function:f:1"
        );
    }

    #[test]
    fn alias_names_are_not_all_digits_and_not_taken() {
        // docs/lambda-behaviour.md §10.2: pattern (?!^[0-9]+$)([a-zA-Z0-9-_]+)
        assert!(alias_name_ok("live"));
        assert!(alias_name_ok("v2-blue_1"));
        assert!(!alias_name_ok("12"));
        assert!(!alias_name_ok("a:b"));
        assert!(!alias_name_ok(""));
        let mut vs = with_versions(1);
        vs.create_alias("live", 1, None).unwrap();
        let e = vs.create_alias("live", 1, None).unwrap_err();
        assert_eq!(e.status, 409);
        assert_eq!(vs.lookup(Some("live")), Ok(QualifierRef::Alias(0)));
        assert_eq!(vs.lookup(Some("7")).unwrap_err().status, 404);
    }

    #[test]
    fn routing_takes_one_other_published_version_with_a_weight_from_0_to_1() {
        // docs/lambda-behaviour.md §10.2
        let vs = with_versions(2);
        assert_eq!(
            vs.routing(1, Some(&weights("2", 0.25))),
            Ok(Some((2, 0.25)))
        );
        assert!(
            vs.routing(1, Some(&weights("1", 0.5))).is_err(),
            "same version"
        );
        assert!(
            vs.routing(1, Some(&weights("2", 1.5))).is_err(),
            "weight > 1"
        );
        assert!(
            vs.routing(0, Some(&weights("2", 0.5))).is_err(),
            "$LATEST primary"
        );
        assert_eq!(
            vs.routing(1, Some(&weights("3", 0.5))).unwrap_err().status,
            404
        );
    }

    #[test]
    fn a_weighted_alias_sends_the_draws_share_to_the_additional_version() {
        // docs/lambda-behaviour.md §10.3, §10.5: the draw decides, with the weight in ppm
        let mut vs = with_versions(2);
        vs.create_alias("live", 1, Some((2, 0.1))).unwrap();
        let q = vs.lookup(Some("live")).unwrap();
        let mut asked = 0;
        let t = vs
            .resolve(q, |ppm| {
                asked = ppm;
                true
            })
            .unwrap();
        assert_eq!(
            (asked, t.version, t.alias, t.qualified),
            (100_000, 2, 0, true)
        );
        assert_eq!(vs.resolve(q, |_| false).unwrap().version, 1);
        // a version, unweighted: no draw at all
        let v = vs.lookup(Some("2")).unwrap();
        assert_eq!(vs.resolve(v, |_| panic!("no draw")).unwrap().version, 2);
    }

    #[test]
    fn an_aliass_provisioned_concurrency_is_split_by_its_weight_and_follows_it() {
        // docs/lambda-behaviour.md §10.4, §10.5
        let mut vs = with_versions(3);
        vs.create_alias("live", 1, Some((2, 0.25))).unwrap();
        vs.put_provisioned("live", 8, None).unwrap();
        assert_eq!(vs.provisioned_on("live"), 8);
        let by_version = |vs: &Versions| {
            let mut v: Vec<(u32, u32)> = vs
                .lanes()
                .iter()
                .filter(|l| l.amount > 0)
                .map(|l| (l.version, l.amount))
                .collect();
            v.sort();
            v
        };
        assert_eq!(by_version(&vs), [(1, 6), (2, 2)]);
        assert_eq!(vs.line(), "Versions: 1, 2, 3 · aliases: live → 1 (+ 2 at 25 %) · provisioned: live 8 (2 on version 2)");
        // UpdateAlias moves it: all on version 3 now, and the lanes changed
        assert_eq!(vs.update_alias(0, 3, None), Ok(true));
        assert_eq!(by_version(&vs), [(3, 8)]);
        // $LATEST takes none, and an alias with some may not point to $LATEST
        assert!(vs.put_provisioned("$LATEST", 1, None).is_err());
        assert!(vs.update_alias(0, 0, None).is_err());
        // the reservation caps the total
        assert!(vs.put_provisioned("2", 3, Some(10)).is_err());
        vs.put_provisioned("2", 2, Some(10)).unwrap();
        assert_eq!(vs.provisioned_total(), 10);
        // DeleteAlias takes its lanes with it
        assert!(vs.delete_alias(0));
        assert_eq!(vs.provisioned_total(), 2);
        assert!(vs.alias("live").is_none());
    }

    #[test]
    fn a_version_an_alias_uses_cannot_be_deleted_and_a_deleted_one_is_not_found() {
        // docs/lambda-behaviour.md §10.9
        let mut vs = with_versions(2);
        vs.create_alias("live", 1, Some((2, 0.5))).unwrap();
        let e = vs.delete_version(2).unwrap_err();
        assert_eq!(e.status, 409);
        assert!(e.message.contains("[live]"), "{}", e.message);
        vs.update_alias(0, 1, None).unwrap();
        let q = vs.lookup(Some("2")).unwrap();
        vs.put_provisioned("2", 3, None).unwrap();
        vs.delete_version(2).unwrap();
        assert_eq!(vs.provisioned_total(), 0);
        assert!(vs.published(2).is_none());
        assert_eq!(vs.resolve(q, |_| false).unwrap_err().status, 404);
        assert_eq!(vs.lookup(Some("2")).unwrap_err().status, 404);
        assert_eq!(vs.count(), 2, "numbers are not reused");
    }
}
