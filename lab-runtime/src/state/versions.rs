//! Versions and aliases as data: published snapshots, aliases with their routing weights,
//! provisioned-concurrency lanes, the target one request resolves to, and the qualifier syntax
//! (docs/lambda-behaviour.md §10). The control-plane calls are in `crate::versions`.

use std::rc::Rc;

use litemap::LiteMap;
use serde::{Deserialize, Serialize};

use crate::environment::NO_LANE;
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
    pub number: u32,
    /// The configuration and code at publish time (reserved concurrency stays the function's).
    pub config: FunctionConfig,
    /// `Description`.
    pub description: String,
    /// Resource-based policy statements added with this version as qualifier.
    pub policy: Option<PolicyDocument>,
    /// `PutFunctionEventInvokeConfig` with this version as qualifier (None = AWS's defaults).
    pub event_invoke: Option<AsyncConfig>,
    /// Its provisioned concurrency lane, if configured.
    pub lane: Option<u32>,
    /// Its qualified ARN (`…:function:f:3`), built once for the handler's context.
    pub(crate) arn: Rc<str>,
    /// Deleted (`DeleteFunction` with its number, docs/lambda-behaviour.md §10.9): kept so that
    /// version n stays at index n - 1 and numbers are not reused.
    pub deleted: bool,
    pub(crate) compiled: Option<Compiled>,
    pub(crate) error_ppm: u32,
    pub(crate) identity: Rc<Identity>,
    pub(crate) logs_allowed: bool,
}

/// An alias: a name for a version, with at most one additional version and its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// Name (not all digits).
    pub name: String,
    /// The version it points to (0 = `$LATEST`).
    pub version: u32,
    /// `RoutingConfig.AdditionalVersionWeights`: (version, weight 0.0–1.0).
    pub additional: Option<(u32, f64)>,
    /// Resource-based policy statements added with this alias as qualifier.
    pub policy: Option<PolicyDocument>,
    /// `PutFunctionEventInvokeConfig` with this alias as qualifier.
    pub event_invoke: Option<AsyncConfig>,
    /// Its provisioned concurrency lane, if configured: the primary version's share.
    pub lane: Option<u32>,
    /// The additional (weighted) version's share of its provisioned concurrency, a lane of its
    /// own (docs/lambda-behaviour.md §10.5).
    pub additional_lane: Option<u32>,
    /// Its qualified ARN (`…:function:f:live`), built once for the handler's context.
    pub(crate) arn: Rc<str>,
    /// Deleted (kept so that indexes held by requests in flight stay valid).
    pub deleted: bool,
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
