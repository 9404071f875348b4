//! Scenario files (TOML, `format_version = 1`): account, roles, resources, functions, mappings and
//! a timeline of actions. Parse errors and semantic errors carry `line:col` (toml spans).

use serde::Deserialize;
use toml::Spanned;

use crate::config::{Architecture, AsyncConfig, Extensions, RecursiveLoop};
use crate::handler::Profile;
use crate::state::sqs_mapping::SqsMappingConfig;
use crate::state::stream_mapping::StreamMappingConfig;

/// Version of the scenario format.
pub const SCENARIO_FORMAT_VERSION: u32 = 1;

/// A scenario error with its position (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// Line (1-based).
    pub line: usize,
    /// Column (1-based).
    pub col: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ScenarioError {
    /// `file:line:col: message`.
    pub fn render(&self, file: &str) -> String {
        format!("{file}:{}:{}: {}", self.line, self.col, self.message)
    }

    pub(crate) fn at(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let mut off = offset.min(text.len());
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        let before = &text[..off];
        let line = before.matches('\n').count() + 1;
        let col = before
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        Self {
            line,
            col,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// The account section.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// Account id.
    pub id: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Concurrency limit (default 1,000).
    pub concurrency_limit: Option<u32>,
    /// Idle keep-alive in seconds (default 600).
    pub keep_alive_s: Option<u64>,
    /// Recycle age in seconds (default 14,400).
    pub recycle_after_s: Option<u64>,
    /// SDK retries of throttled sync calls (default 0).
    pub client_retries: Option<u32>,
    /// Log lines kept (default 2,000).
    pub log_window: Option<usize>,
    /// Records kept (default 1,000).
    pub record_window: Option<usize>,
    /// Metric bucket width in seconds (default 60).
    pub metrics_bucket_s: Option<u64>,
    /// `Retry-After` of throttles, in seconds (default 1).
    pub throttle_retry_after_s: Option<u32>,
}

/// An execution role.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// Name.
    pub name: String,
    /// `"lambda"` for the standard trust policy (another word names another service); or give
    /// `trust_policy`.
    pub trust: Option<String>,
    /// Trust policy JSON.
    pub trust_policy: Option<String>,
    /// Managed policy names.
    #[serde(default)]
    pub managed: Vec<String>,
    /// Inline policies (JSON).
    #[serde(default)]
    pub policies: Vec<String>,
}

/// A caller (IAM user or role) with its identity-based policies: its `Invoke` calls are then
/// decided by them together with the function's resource-based policy.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PrincipalSpec {
    /// The principal's ARN, e.g. `arn:aws:iam::123456789012:user/analyst`.
    pub arn: String,
    /// Identity-based policies (JSON).
    #[serde(default)]
    pub policies: Vec<String>,
}

/// An SQS queue.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// Name.
    pub name: String,
    /// Visibility timeout (default 30 s).
    #[serde(default = "thirty")]
    pub visibility_timeout_s: u32,
    /// Dead-letter queue name.
    pub dlq: Option<String>,
    /// `maxReceiveCount` (default 5 with a DLQ).
    pub max_receive_count: Option<u32>,
    /// A FIFO queue: its name must end in `.fifo`; messages are sent with a
    /// `message_group_id` and processed in order within a group (docs/lambda-behaviour.md §2.17).
    #[serde(default)]
    pub fifo: bool,
}

/// An SNS topic: what is published to it goes to each subscription (docs/lambda-behaviour.md
/// §1.14).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    /// Name.
    pub name: String,
    /// Subscriptions: queue names of this scenario, or `lambda:FUNCTION` (invoked
    /// asynchronously by `sns.amazonaws.com`: its resource-based policy must allow that).
    #[serde(default)]
    pub subscriptions: Vec<String>,
}

/// An EventBridge event bus with its rules (docs/lambda-behaviour.md §1.15).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EventBusSpec {
    /// Name (`default` is the account's default bus).
    pub name: String,
    /// Rules: an event pattern on `source` and `detail_type`, and targets.
    #[serde(default)]
    pub rules: Vec<crate::state::event_bus::Rule>,
}

fn thirty() -> u32 {
    30
}

/// A table.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Name.
    pub name: String,
    /// Read units per second (0 = unlimited).
    #[serde(default)]
    pub read_per_s: u64,
    /// Write units per second (0 = unlimited).
    #[serde(default)]
    pub write_per_s: u64,
}

/// A database.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DatabaseSpec {
    /// Name.
    pub name: String,
    /// Connection limit.
    pub max_connections: u32,
    /// Seconds a connection may stay unused before the database closes it (0 or absent = never;
    /// docs/lambda-behaviour.md §3.14).
    #[serde(default)]
    pub idle_timeout_s: u64,
}

/// A function.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FunctionSpec {
    /// Name.
    pub name: String,
    /// Role name.
    pub role: String,
    /// Memory (default 128).
    pub memory_mb: Option<u32>,
    /// Timeout (default 3).
    pub timeout_s: Option<u32>,
    /// /tmp (default 512).
    pub ephemeral_storage_mb: Option<u32>,
    /// Reserved concurrency.
    pub reserved_concurrency: Option<u32>,
    /// Refused with a hint: provisioned concurrency belongs to a version or an alias (set it in
    /// `[[functions.versions]]` or `[[functions.aliases]]`; docs/lambda-behaviour.md §10.4).
    pub provisioned_concurrency: Option<u32>,
    /// `x86_64` or `arm64`.
    pub architecture: Option<Architecture>,
    /// Handler script (a subset of Rhai's syntax: see the instructor guide, `book/src/instructors/scenarios.md`).
    pub script: Option<String>,
    /// Profile handler.
    pub profile: Option<Profile>,
    /// Resource-based policy JSON.
    pub policy: Option<String>,
    /// Async invocation settings.
    #[serde(rename = "async")]
    pub async_config: Option<AsyncConfig>,
    /// VPC subnets (with `security_group_ids`).
    pub subnet_ids: Option<Vec<String>>,
    /// VPC security groups.
    pub security_group_ids: Option<Vec<String>>,
    /// `none` (default), `internal` or `external`: how long the Shutdown phase may last.
    pub extensions: Option<Extensions>,
    /// Recursive loop detection: `terminate` (default) drops the invocation after about 16 in
    /// one chain of requests (a function feeding its own queue); `allow` lets the loop run.
    pub recursive_loop: Option<RecursiveLoop>,
    /// Versions published at setup, in order (version 1, 2, ...): each may first change the
    /// code or configuration of `$LATEST` (docs/lambda-behaviour.md §10.1).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<VersionSpec>"))]
    pub versions: Vec<Spanned<VersionSpec>>,
    /// Aliases created at setup, after the versions (docs/lambda-behaviour.md §10.2).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<AliasSpec>"))]
    pub aliases: Vec<Spanned<AliasSpec>>,
}

/// A version published at setup: what changes in `$LATEST` before `PublishVersion`, and what is
/// configured on the version afterwards.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VersionSpec {
    /// `Description` of the version.
    pub description: Option<String>,
    /// New handler script for this version (`UpdateFunctionCode` before publishing).
    pub script: Option<String>,
    /// New profile for this version.
    pub profile: Option<Profile>,
    /// New memory for this version (`UpdateFunctionConfiguration` before publishing).
    pub memory_mb: Option<u32>,
    /// New timeout for this version.
    pub timeout_s: Option<u32>,
    /// Provisioned concurrency on this version.
    pub provisioned_concurrency: Option<u32>,
    /// Asynchronous settings of this version (`PutFunctionEventInvokeConfig` with its number).
    #[serde(rename = "async")]
    pub async_config: Option<AsyncConfig>,
}

/// An alias created at setup.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AliasSpec {
    /// Name (letters, digits, `-`, `_`; not all digits).
    pub name: String,
    /// The version it points to: `"1"`, `"2"`, ... or `"$LATEST"`.
    pub function_version: String,
    /// `RoutingConfig`: at most one other version and the share of requests it gets, e.g.
    /// `{ "2" = 0.1 }`.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, f64>")
    )]
    #[serde(default, skip_serializing_if = "litemap::LiteMap::is_empty")]
    pub additional_version_weights: litemap::LiteMap<String, f64>,
    /// Provisioned concurrency on the alias.
    pub provisioned_concurrency: Option<u32>,
    /// Asynchronous settings of the alias.
    #[serde(rename = "async")]
    pub async_config: Option<AsyncConfig>,
}

/// One timeline entry: `do` names the action; the other keys are its parameters.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// Time in milliseconds (or use `at_s`).
    pub at_ms: Option<u64>,
    /// Time in seconds.
    pub at_s: Option<f64>,
    /// Action: invoke, invoke_async, dry_run, burst, constant, ramp, poisson, send_messages,
    /// put_records, set_memory, set_timeout, set_reserved, set_provisioned, deploy, add_permission,
    /// put_policy, publish_version, create_alias, update_alias, delete_alias, delete_version,
    /// advance.
    #[serde(rename = "do")]
    pub action: String,
    /// Function (may carry a qualifier: `orders:live`, `orders:2`, a qualified ARN).
    pub function: Option<String>,
    /// Version number, alias name or `$LATEST` (invoke, traffic, set_provisioned,
    /// add_permission; delete_version: the version number).
    pub qualifier: Option<String>,
    /// Alias name (create_alias, update_alias, delete_alias).
    pub alias: Option<String>,
    /// The version an alias points to (create_alias, update_alias).
    pub function_version: Option<String>,
    /// An alias's additional version and weight, e.g. `{ "2" = 0.1 }`.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<std::collections::BTreeMap<String, f64>>")
    )]
    pub additional_version_weights: Option<litemap::LiteMap<String, f64>>,
    /// Version description (publish_version).
    pub description: Option<String>,
    /// Payload JSON.
    pub payload: Option<String>,
    /// Caller principal.
    pub principal: Option<String>,
    /// `AWS:SourceArn`.
    pub source_arn: Option<String>,
    /// `AWS:SourceAccount`.
    pub source_account: Option<String>,
    /// `sync` (default), `async`, `dry_run` for traffic actions.
    #[serde(rename = "type")]
    pub invocation_type: Option<String>,
    /// Count (burst, send_messages).
    pub count: Option<u64>,
    /// Rate (constant, poisson).
    pub rate_per_s: Option<f64>,
    /// Ramp start rate.
    pub from_per_s: Option<f64>,
    /// Ramp end rate.
    pub to_per_s: Option<f64>,
    /// Duration of traffic.
    pub duration_s: Option<f64>,
    /// Stop after this many requests.
    pub max_requests: Option<u64>,
    /// Queue.
    pub queue: Option<String>,
    /// Message body.
    pub body: Option<String>,
    /// `MessageGroupId` of the messages (send_messages; a FIFO queue needs it).
    pub message_group_id: Option<String>,
    /// Stream.
    pub stream: Option<String>,
    /// Stream records.
    pub records: Option<Vec<String>>,
    /// Their partition keys (put_records; default: each record's data).
    pub partition_keys: Option<Vec<String>>,
    /// New memory.
    pub memory_mb: Option<u32>,
    /// New timeout.
    pub timeout_s: Option<u32>,
    /// Reserved concurrency (-1 removes it).
    pub reserved: Option<i64>,
    /// Provisioned amount.
    pub amount: Option<u32>,
    /// New script (deploy).
    pub script: Option<String>,
    /// New profile (deploy).
    pub profile: Option<Profile>,
    /// Policy JSON (put_policy).
    pub policy: Option<String>,
    /// Statement id (add_permission).
    pub sid: Option<String>,
}

/// A whole scenario.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "lab-sim scenario file"))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Must be 1.
    #[cfg_attr(feature = "schema", schemars(with = "u32"))]
    pub format_version: Spanned<u32>,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Seed (overridable with `--seed`).
    #[serde(default)]
    pub seed: u64,
    /// Stop at this time (default: when nothing is left to do).
    pub end_s: Option<f64>,
    /// Account and settings.
    #[serde(default)]
    pub account: AccountSpec,
    /// Roles.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<RoleSpec>"))]
    pub roles: Vec<Spanned<RoleSpec>>,
    /// Callers with identity-based policies.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<PrincipalSpec>"))]
    pub principals: Vec<Spanned<PrincipalSpec>>,
    /// Queues.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<QueueSpec>"))]
    pub queues: Vec<Spanned<QueueSpec>>,
    /// SNS topics.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<TopicSpec>"))]
    pub topics: Vec<Spanned<TopicSpec>>,
    /// EventBridge event buses.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<EventBusSpec>"))]
    pub event_buses: Vec<Spanned<EventBusSpec>>,
    /// Tables.
    #[serde(default)]
    pub tables: Vec<TableSpec>,
    /// Buckets.
    #[serde(default)]
    pub buckets: Vec<String>,
    /// Databases.
    #[serde(default)]
    pub databases: Vec<DatabaseSpec>,
    /// Functions.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<FunctionSpec>"))]
    pub functions: Vec<Spanned<FunctionSpec>>,
    /// SQS mappings.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<SqsMappingConfig>"))]
    pub sqs_mappings: Vec<Spanned<SqsMappingConfig>>,
    /// Stream mappings.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<StreamMappingConfig>"))]
    pub stream_mappings: Vec<Spanned<StreamMappingConfig>>,
    /// Timeline.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<TimelineEntry>"))]
    pub timeline: Vec<Spanned<TimelineEntry>>,
}

/// The JSON Schema of scenario files (feature `schema`), from the types that read them.
#[cfg(feature = "schema")]
pub fn schema() -> schemars::Schema {
    schema_generator().into_root_schema_for::<Scenario>()
}

/// The schema generator of every author's file (scenarios, labs, quizzes): JSON Schema draft 7,
/// the draft Taplo and most editors validate best, and no `null` (TOML has none: an optional
/// key is one that may be left out).
#[cfg(feature = "schema")]
pub fn schema_generator() -> schemars::SchemaGenerator {
    schemars::generate::SchemaSettings::draft07()
        .with_transform(no_null)
        .into_generator()
}

/// Removes `null` from `type` lists and `{"type": "null"}` from `anyOf`, everywhere.
#[cfg(feature = "schema")]
fn no_null(schema: &mut schemars::Schema) {
    use serde_json::Value;
    schemars::transform::transform_subschemas(&mut no_null, schema);
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            object.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(any)) = object.get_mut("anyOf") {
        any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
        if any.len() == 1 {
            let only = any.remove(0);
            object.remove("anyOf");
            if let Value::Object(inner) = only {
                for (k, v) in inner {
                    object.entry(k).or_insert(v);
                }
            }
        }
    }
}

impl Scenario {
    /// Parses a scenario; errors carry line and column.
    pub fn parse(text: &str) -> Result<Self, ScenarioError> {
        let s: Scenario = toml::from_str(text).map_err(|e| {
            let off = e.span().map(|r| r.start).unwrap_or(0);
            ScenarioError::at(text, off, e.message().trim().to_string())
        })?;
        if *s.format_version.get_ref() != SCENARIO_FORMAT_VERSION {
            return Err(ScenarioError::at(
                text,
                s.format_version.span().start,
                format!(
                    "unsupported format_version {} (this lab-sim reads 1)",
                    s.format_version.get_ref()
                ),
            ));
        }
        Ok(s)
    }
}
