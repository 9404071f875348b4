//! Actions the lab console (or a scenario timeline) applies to a simulation: one serde enum, so
//! that a click, a scenario line and a test all go through the same door.

use serde::{Deserialize, Serialize};

use crate::config::{AsyncConfig, FunctionConfig};
use crate::error::ApiError;
use crate::handler::HandlerSpec;
use crate::model::{InvokeOutcome, InvokeRequest};
use crate::sim::Simulation;
use crate::sqs::Redrive;
use crate::state::sqs_mapping::SqsMappingConfig;
use crate::state::stream_mapping::StreamMappingConfig;
use crate::state::traffic::TrafficSpec;

/// Something the learner (or a scenario) does.
///
/// In JSON (the lab page carries a lab's setup as a list of these), externally tagged:
/// `{"create_queue": {"name": "q", ...}}`. An internally tagged enum makes serde buffer every
/// action through its `Content` type: with this enum, [`crate::state::traffic::Pattern`] and the lab's
/// `Check` internally tagged, the lab bundle's WASM was 38.8 KB gzip larger (512,964 against
/// 474,136 B). Authors never write this form: scenarios and labs have their own TOML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `Invoke` (sync, async or DryRun, as any principal).
    Invoke(InvokeRequest),
    /// Create an execution role.
    CreateRole {
        /// Name.
        name: String,
        /// Trust policy JSON.
        trust_policy: String,
        /// Inline policies JSON.
        policies: Vec<String>,
        /// Managed policy names.
        managed: Vec<String>,
    },
    /// Add an inline policy to a role.
    PutRolePolicy {
        /// Role.
        role: String,
        /// Policy JSON.
        policy: String,
    },
    /// `UpdateAssumeRolePolicy`: replace a role's trust policy.
    UpdateAssumeRolePolicy {
        /// Role.
        role: String,
        /// Trust policy JSON.
        policy: String,
    },
    /// `AttachRolePolicy`: attach an AWS managed policy by name.
    AttachRolePolicy {
        /// Role.
        role: String,
        /// Managed policy name, e.g. `AWSLambdaVPCAccessExecutionRole`.
        managed: String,
    },
    /// `DetachRolePolicy`: detach an AWS managed policy by name (one not attached: AWS's
    /// `NoSuchEntity`, docs/lambda-behaviour.md §6.5).
    DetachRolePolicy {
        /// Role.
        role: String,
        /// Managed policy name, e.g. `AWSLambdaSQSQueueExecutionRole`.
        managed: String,
    },
    /// `CreateFunction`.
    CreateFunction(Box<FunctionConfig>),
    /// `UpdateFunctionConfiguration`.
    UpdateFunctionConfiguration(Box<FunctionConfig>),
    /// `UpdateFunctionCode`: deploy new code (environments are replaced).
    UpdateFunctionCode {
        /// Function.
        function: String,
        /// New handler.
        handler: HandlerSpec,
    },
    /// `PutFunctionConcurrency` / `DeleteFunctionConcurrency`.
    PutFunctionConcurrency {
        /// Function.
        function: String,
        /// Reserved concurrency (None = remove).
        reserved: Option<u32>,
    },
    /// `PutProvisionedConcurrencyConfig` (amount 0 deletes it): only on a version or an alias
    /// (docs/lambda-behaviour.md §10.4).
    PutProvisionedConcurrency {
        /// Function (may carry the qualifier: `fn:live`).
        function: String,
        /// Amount.
        amount: u32,
        /// `Qualifier`: a version number or an alias name (required, as on AWS).
        #[serde(default)]
        qualifier: Option<String>,
    },
    /// `PutFunctionEventInvokeConfig`.
    PutEventInvokeConfig {
        /// Function.
        function: String,
        /// Settings.
        config: AsyncConfig,
        /// `Qualifier`: the settings of one version or alias (docs/lambda-behaviour.md §10.7).
        #[serde(default)]
        qualifier: Option<String>,
    },
    /// `PublishVersion`: snapshot `$LATEST` as the next version (docs/lambda-behaviour.md §10.1).
    PublishVersion {
        /// Function.
        function: String,
        /// `Description`.
        #[serde(default)]
        description: Option<String>,
    },
    /// `CreateAlias` (docs/lambda-behaviour.md §10.2).
    CreateAlias {
        /// Function.
        function: String,
        /// Alias name.
        name: String,
        /// `FunctionVersion`: `$LATEST` or a version number.
        function_version: String,
        /// `RoutingConfig`: one additional version and its weight.
        #[serde(default)]
        routing: Option<crate::state::versions::RoutingConfig>,
    },
    /// `UpdateAlias`.
    UpdateAlias {
        /// Function.
        function: String,
        /// Alias name.
        name: String,
        /// `FunctionVersion`.
        function_version: String,
        /// `RoutingConfig` (None removes it).
        #[serde(default)]
        routing: Option<crate::state::versions::RoutingConfig>,
    },
    /// `DeleteAlias`.
    DeleteAlias {
        /// Function.
        function: String,
        /// Alias name.
        name: String,
    },
    /// `DeleteFunction` with a version `Qualifier`: deletes one published version
    /// (docs/lambda-behaviour.md §10.9).
    DeleteVersion {
        /// Function (may carry the version: `orders:2`).
        function: String,
        /// `Qualifier`: the version number.
        #[serde(default)]
        qualifier: Option<String>,
    },
    /// Replace the resource-based policy (JSON; None removes it).
    PutFunctionPolicy {
        /// Function.
        function: String,
        /// Policy JSON.
        policy: Option<String>,
    },
    /// `AddPermission`.
    AddPermission {
        /// Function.
        function: String,
        /// Statement id.
        sid: String,
        /// Principal (account, ARN or service).
        principal: String,
        /// `AWS:SourceArn`.
        source_arn: Option<String>,
        /// `AWS:SourceAccount`.
        source_account: Option<String>,
        /// `Qualifier`: the statement applies to that version or alias only
        /// (docs/lambda-behaviour.md §10.6).
        #[serde(default)]
        qualifier: Option<String>,
    },
    /// Declare a caller (IAM user or role ARN) with its identity-based policies.
    PutPrincipalPolicies {
        /// The principal's ARN.
        principal: String,
        /// Its identity-based policies (JSON).
        policies: Vec<String>,
    },
    /// Create an SQS queue.
    CreateQueue {
        /// Name.
        name: String,
        /// Visibility timeout.
        visibility_timeout_s: u32,
        /// Redrive policy.
        redrive: Option<Redrive>,
        /// A FIFO queue (docs/lambda-behaviour.md §2.17).
        #[serde(default, skip_serializing_if = "crate::config::is_zero")]
        fifo: bool,
    },
    /// Send messages to a queue.
    SendMessages {
        /// Queue.
        queue: String,
        /// Body.
        body: String,
        /// How many copies.
        count: u64,
        /// `MessageGroupId` (needed by a FIFO queue, docs/lambda-behaviour.md §2.17).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_group_id: Option<String>,
    },
    /// `CreateTopic` with its subscriptions (docs/lambda-behaviour.md §1.14).
    CreateTopic {
        /// Name.
        name: String,
        /// Subscriptions: queue names or `lambda:FUNCTION`.
        subscriptions: Vec<String>,
    },
    /// `CreateEventBus` with its rules (docs/lambda-behaviour.md §1.15).
    CreateEventBus {
        /// Name.
        name: String,
        /// Rules and their targets.
        rules: Vec<crate::state::event_bus::Rule>,
    },
    /// Create a table.
    CreateTable {
        /// Name.
        name: String,
        /// Read units per second (0 = unlimited).
        read_per_s: u64,
        /// Write units per second (0 = unlimited).
        write_per_s: u64,
    },
    /// Create a bucket.
    CreateBucket {
        /// Name.
        name: String,
    },
    /// Create a database.
    CreateDatabase {
        /// Name.
        name: String,
        /// Connection limit.
        max_connections: u32,
        /// Seconds unused before the database closes a connection (0 = never, §3.14).
        #[serde(default)]
        idle_timeout_s: u64,
    },
    /// Create an SQS event source mapping.
    CreateSqsMapping(SqsMappingConfig),
    /// Create a stream mapping.
    CreateStreamMapping(StreamMappingConfig),
    /// Write records to a stream.
    PutRecords {
        /// Stream name.
        stream: String,
        /// Records.
        records: Vec<String>,
        /// Partition keys, one per record (a record without one uses its data as its key).
        #[serde(default)]
        partition_keys: Vec<String>,
    },
    /// Start a traffic generator (burst, rate, ramp, Poisson, backlog: also the load test).
    StartTraffic(TrafficSpec),
    /// Change the simulator's settings (keep-alive, windows, client retries...).
    UpdateSettings(Box<crate::config::SimSettings>),
    /// Stop a generator.
    StopTraffic {
        /// Its index.
        id: u32,
    },
}

/// What applying an action returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum ActionResult {
    /// Done.
    Ok,
    /// The front door's answer.
    Invoked(InvokeOutcome),
    /// Something with an index was created (function, mapping, generator).
    Created {
        /// Index.
        id: u32,
    },
    /// `PublishVersion` answered with this version (a new one, or the last one when nothing
    /// changed).
    Published {
        /// The version.
        version: crate::model::FunctionVersion,
    },
}

impl Simulation {
    /// Applies an action at the current virtual time.
    pub fn apply(&mut self, action: Action) -> Result<ActionResult, ApiError> {
        use Action as A;
        let created = |id: u32| ActionResult::Created { id };
        Ok(match action {
            A::Invoke(r) => ActionResult::Invoked(self.invoke(&r)),
            A::CreateRole {
                name,
                trust_policy,
                policies,
                managed,
            } => {
                self.create_role(&name, &trust_policy, &policies, &managed)?;
                ActionResult::Ok
            }
            A::PutRolePolicy { role, policy } => {
                self.put_role_policy(&role, &policy)?;
                ActionResult::Ok
            }
            A::UpdateAssumeRolePolicy { role, policy } => {
                self.update_assume_role_policy(&role, &policy)?;
                ActionResult::Ok
            }
            A::AttachRolePolicy { role, managed } => {
                self.attach_role_policy(&role, &managed)?;
                ActionResult::Ok
            }
            A::DetachRolePolicy { role, managed } => {
                self.detach_role_policy(&role, &managed)?;
                ActionResult::Ok
            }
            A::CreateFunction(c) => created(self.create_function(*c)?),
            A::UpdateFunctionConfiguration(c) => {
                self.update_function_configuration(*c)?;
                ActionResult::Ok
            }
            A::UpdateFunctionCode { function, handler } => {
                self.update_function_code(&function, handler)?;
                ActionResult::Ok
            }
            A::PutFunctionConcurrency { function, reserved } => {
                self.put_function_concurrency(&function, reserved)?;
                ActionResult::Ok
            }
            A::PutProvisionedConcurrency {
                function,
                amount,
                qualifier,
            } => {
                self.put_provisioned_concurrency(&function, qualifier.as_deref(), amount)?;
                ActionResult::Ok
            }
            A::PutEventInvokeConfig {
                function,
                config,
                qualifier,
            } => {
                self.put_event_invoke_config_qualified(&function, qualifier.as_deref(), config)?;
                ActionResult::Ok
            }
            A::PublishVersion {
                function,
                description,
            } => ActionResult::Published {
                version: self.publish_version(&function, description.as_deref())?,
            },
            A::CreateAlias {
                function,
                name,
                function_version,
                routing,
            } => {
                self.create_alias(&function, &name, &function_version, routing.as_ref())?;
                ActionResult::Ok
            }
            A::UpdateAlias {
                function,
                name,
                function_version,
                routing,
            } => {
                self.update_alias(&function, &name, &function_version, routing.as_ref())?;
                ActionResult::Ok
            }
            A::DeleteAlias { function, name } => {
                self.delete_alias(&function, &name)?;
                ActionResult::Ok
            }
            A::DeleteVersion {
                function,
                qualifier,
            } => {
                self.delete_version(&function, qualifier.as_deref())?;
                ActionResult::Ok
            }
            A::PutFunctionPolicy { function, policy } => {
                self.put_function_policy(&function, policy.as_deref())?;
                ActionResult::Ok
            }
            A::AddPermission {
                function,
                sid,
                principal,
                source_arn,
                source_account,
                qualifier,
            } => {
                self.add_permission_qualified(
                    &function,
                    qualifier.as_deref(),
                    &sid,
                    &principal,
                    source_arn.as_deref(),
                    source_account.as_deref(),
                )?;
                ActionResult::Ok
            }
            A::PutPrincipalPolicies {
                principal,
                policies,
            } => {
                self.put_principal_policies(&principal, &policies)?;
                ActionResult::Ok
            }
            A::CreateQueue {
                name,
                visibility_timeout_s,
                redrive,
                fifo,
            } => {
                self.create_queue_of_kind(&name, visibility_timeout_s, redrive, fifo)?;
                ActionResult::Ok
            }
            A::SendMessages {
                queue,
                body,
                count,
                message_group_id,
            } => {
                self.send_messages_in_group(&queue, &body, count, message_group_id.as_deref())?;
                ActionResult::Ok
            }
            A::CreateTopic {
                name,
                subscriptions,
            } => {
                self.create_topic(&name, &subscriptions)?;
                ActionResult::Ok
            }
            A::CreateEventBus { name, rules } => {
                self.create_event_bus(&name, &rules)?;
                ActionResult::Ok
            }
            A::CreateTable {
                name,
                read_per_s,
                write_per_s,
            } => {
                self.create_table(&name, read_per_s, write_per_s);
                ActionResult::Ok
            }
            A::CreateBucket { name } => {
                self.create_bucket(&name);
                ActionResult::Ok
            }
            A::CreateDatabase {
                name,
                max_connections,
                idle_timeout_s,
            } => {
                self.create_database_with_idle_timeout(&name, max_connections, idle_timeout_s);
                ActionResult::Ok
            }
            A::CreateSqsMapping(c) => created(self.create_sqs_mapping(c)?),
            A::CreateStreamMapping(c) => created(self.create_stream_mapping(c)?),
            A::PutRecords {
                stream,
                records,
                partition_keys,
            } => {
                self.put_records_with_keys(&stream, &records, &partition_keys)?;
                ActionResult::Ok
            }
            A::StartTraffic(t) => created(self.start_traffic(t)?),
            A::UpdateSettings(s) => {
                self.update_settings(*s);
                ActionResult::Ok
            }
            A::StopTraffic { id } => {
                self.stop_traffic(id);
                ActionResult::Ok
            }
        })
    }
}
