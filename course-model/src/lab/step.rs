//! Steps: what a learner does in the console and what a reference solution lists, in one format.

use serde::{Deserialize, Serialize};

/// How an `invoke` step calls the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvokeKind {
    /// `RequestResponse`: the step waits for the response, like a real caller.
    #[default]
    Sync,
    /// `Event`: queued (202); advance the clock to see it run and retry.
    Async,
    /// `DryRun`: parameters and permission only (204).
    DryRun,
}

fn empty_event() -> String {
    "{}".into()
}

fn one() -> u64 {
    1
}

/// One thing the learner (or the reference solution) does. In a lab file, `do = "<name>"`;
/// `function` defaults to the lab's function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// `Invoke`.
    Invoke {
        /// Function.
        #[serde(default)]
        function: String,
        /// Sync, async or DryRun.
        #[serde(default, rename = "type")]
        kind: InvokeKind,
        /// The test event (JSON).
        #[serde(default = "empty_event")]
        payload: String,
        /// Caller: an IAM ARN, an account id or a service principal (none = the account's admin).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        principal: Option<String>,
        /// `AWS:SourceArn` of a service caller.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_arn: Option<String>,
        /// `AWS:SourceAccount` of a service caller.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_account: Option<String>,
        /// `Qualifier`: a version number, an alias or `$LATEST` (none = `$LATEST`;
        /// docs/lambda-behaviour.md §10.3).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qualifier: Option<String>,
    },
    /// `UpdateFunctionConfiguration` of the fields given.
    Configure {
        /// Function.
        #[serde(default)]
        function: String,
        /// Memory (MB).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        memory_mb: Option<u32>,
        /// Timeout (s).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_s: Option<u32>,
        /// `/tmp` size (MB).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ephemeral_storage_mb: Option<u32>,
    },
    /// `PutFunctionConcurrency` (absent `reserved` = `DeleteFunctionConcurrency`).
    SetReserved {
        /// Function.
        #[serde(default)]
        function: String,
        /// Reserved concurrency.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reserved: Option<u32>,
    },
    /// `PutProvisionedConcurrencyConfig` on a version or an alias (docs/lambda-behaviour.md
    /// §10.4; without a qualifier, or on `$LATEST`, AWS's error).
    SetProvisioned {
        /// Function.
        #[serde(default)]
        function: String,
        /// Environments kept initialised (0 removes the configuration).
        amount: u32,
        /// `Qualifier`: a version number or an alias.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qualifier: Option<String>,
    },
    /// `PublishVersion`: snapshot the code and configuration as the next version
    /// (docs/lambda-behaviour.md §10.1).
    PublishVersion {
        /// Function.
        #[serde(default)]
        function: String,
        /// Description of the version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    /// `DeleteFunction` with a version number: delete that one version, its environments and its
    /// provisioned concurrency (docs/lambda-behaviour.md §10.9). Refused for a version an alias
    /// references, and for `$LATEST`.
    DeleteVersion {
        /// Function.
        #[serde(default)]
        function: String,
        /// The version number, e.g. `"1"`.
        version: String,
    },
    /// Point an alias at a version: `CreateAlias` when it does not exist, else `UpdateAlias`
    /// (docs/lambda-behaviour.md §10.2).
    SetAlias {
        /// Function.
        #[serde(default)]
        function: String,
        /// Alias name.
        alias: String,
        /// The version: `"1"`, `"2"`, ... or `"$LATEST"`.
        function_version: String,
        /// One other version and its share of requests, e.g. `{ "2" = 0.1 }`.
        #[serde(default, skip_serializing_if = "litemap::LiteMap::is_empty")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "std::collections::BTreeMap<String, f64>")
        )]
        additional_version_weights: litemap::LiteMap<String, f64>,
    },
    /// `PutFunctionEventInvokeConfig`.
    SetAsync {
        /// Function.
        #[serde(default)]
        function: String,
        /// 0–2.
        maximum_retry_attempts: u32,
        /// 60–21,600.
        maximum_event_age_s: u32,
        /// Dead-letter queue.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dead_letter_queue: Option<String>,
        /// On-failure destination.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_failure: Option<String>,
        /// On-success destination.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_success: Option<String>,
    },
    /// `UpdateFunctionCode` with a new script (environments are replaced).
    Deploy {
        /// Function.
        #[serde(default)]
        function: String,
        /// The Rhai handler script.
        script: String,
    },
    /// Replace the resource-based policy (absent = remove it).
    PutFunctionPolicy {
        /// Function.
        #[serde(default)]
        function: String,
        /// Policy JSON.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
    },
    /// `AddPermission`.
    AddPermission {
        /// Function.
        #[serde(default)]
        function: String,
        /// Statement id.
        sid: String,
        /// Principal allowed to invoke.
        principal: String,
        /// `AWS:SourceArn` condition.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_arn: Option<String>,
        /// `AWS:SourceAccount` condition.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_account: Option<String>,
        /// `Qualifier`: the statement allows only that version or alias
        /// (docs/lambda-behaviour.md §10.6).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qualifier: Option<String>,
    },
    /// `UpdateFunctionConfiguration` of the VPC settings: attach to these subnets and security
    /// groups, or detach when both lists are empty. Attaching needs the ENI permissions in the
    /// execution role (e.g. `AWSLambdaVPCAccessExecutionRole`).
    SetVpc {
        /// Function.
        #[serde(default)]
        function: String,
        /// Subnet ids.
        #[serde(default)]
        subnet_ids: Vec<String>,
        /// Security group ids.
        #[serde(default)]
        security_group_ids: Vec<String>,
    },
    /// Add an inline policy to an execution role (default: the function's role).
    PutRolePolicy {
        /// Function whose role gets the policy.
        #[serde(default)]
        function: String,
        /// Policy JSON.
        policy: String,
    },
    /// Replace the trust policy of the function's execution role (`UpdateAssumeRolePolicy`).
    PutTrustPolicy {
        /// Function whose role it is.
        #[serde(default)]
        function: String,
        /// Trust policy JSON.
        policy: String,
    },
    /// Attach an AWS managed policy to the function's execution role (`AttachRolePolicy`).
    AttachManagedPolicy {
        /// Function whose role it is.
        #[serde(default)]
        function: String,
        /// Policy name, e.g. `AWSLambdaVPCAccessExecutionRole`.
        policy: String,
    },
    /// Detach an AWS managed policy from the function's execution role (`DetachRolePolicy`; one
    /// the role does not have is refused with AWS's `NoSuchEntity`).
    DetachManagedPolicy {
        /// Function whose role it is.
        #[serde(default)]
        function: String,
        /// Policy name, e.g. `AWSLambdaBasicExecutionRole`.
        policy: String,
    },
    /// Send messages to an SQS queue.
    SendMessages {
        /// Queue.
        queue: String,
        /// Body.
        #[serde(default = "empty_event")]
        body: String,
        /// How many copies.
        #[serde(default = "one")]
        count: u64,
    },
    /// `count` simultaneous synchronous requests; the step waits until they finish.
    Burst {
        /// Function.
        #[serde(default)]
        function: String,
        /// How many.
        count: u64,
        /// Event.
        #[serde(default = "empty_event")]
        payload: String,
    },
    /// Synchronous load test at a constant rate, or ramping up; the step ends when the last
    /// request finished.
    LoadTest {
        /// Function.
        #[serde(default)]
        function: String,
        /// Requests per second (with `ramp_from_per_s`, the rate reached at the end).
        rate_per_s: f64,
        /// Seconds.
        duration_s: f64,
        /// Ramp: start at this rate and rise linearly to `rate_per_s` over the duration.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ramp_from_per_s: Option<f64>,
        /// Event.
        #[serde(default = "empty_event")]
        payload: String,
    },
    /// Move the clock forward, running what happens on the way.
    Advance {
        /// Seconds.
        seconds: f64,
    },
    /// Jump to the next scheduled event.
    AdvanceToNextEvent,
}

impl Step {
    /// The function the step acts on, if any.
    pub fn function(&self) -> Option<&str> {
        match self {
            Step::Invoke { function, .. }
            | Step::Configure { function, .. }
            | Step::SetReserved { function, .. }
            | Step::SetProvisioned { function, .. }
            | Step::PublishVersion { function, .. }
            | Step::DeleteVersion { function, .. }
            | Step::SetAlias { function, .. }
            | Step::SetAsync { function, .. }
            | Step::Deploy { function, .. }
            | Step::PutFunctionPolicy { function, .. }
            | Step::AddPermission { function, .. }
            | Step::PutRolePolicy { function, .. }
            | Step::SetVpc { function, .. }
            | Step::PutTrustPolicy { function, .. }
            | Step::AttachManagedPolicy { function, .. }
            | Step::DetachManagedPolicy { function, .. }
            | Step::Burst { function, .. }
            | Step::LoadTest { function, .. } => Some(function),
            _ => None,
        }
    }

    /// Fills an empty `function` with the lab's function.
    pub fn with_default_function(mut self, default: &str) -> Self {
        if let Some(f) = self.function_mut() {
            if f.is_empty() {
                *f = default.to_owned();
            }
        }
        self
    }

    fn function_mut(&mut self) -> Option<&mut String> {
        match self {
            Step::Invoke { function, .. }
            | Step::Configure { function, .. }
            | Step::SetReserved { function, .. }
            | Step::SetProvisioned { function, .. }
            | Step::PublishVersion { function, .. }
            | Step::DeleteVersion { function, .. }
            | Step::SetAlias { function, .. }
            | Step::SetAsync { function, .. }
            | Step::Deploy { function, .. }
            | Step::PutFunctionPolicy { function, .. }
            | Step::AddPermission { function, .. }
            | Step::PutRolePolicy { function, .. }
            | Step::SetVpc { function, .. }
            | Step::PutTrustPolicy { function, .. }
            | Step::AttachManagedPolicy { function, .. }
            | Step::DetachManagedPolicy { function, .. }
            | Step::Burst { function, .. }
            | Step::LoadTest { function, .. } => Some(function),
            _ => None,
        }
    }

    /// The queues the step names.
    pub fn queues(&self) -> Vec<&str> {
        match self {
            Step::SendMessages { queue, .. } => vec![queue],
            Step::SetAsync {
                dead_letter_queue,
                on_failure,
                on_success,
                ..
            } => [dead_letter_queue, on_failure, on_success]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect(),
            _ => Vec::new(),
        }
    }
}
