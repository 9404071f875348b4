//! Account and function configuration, with the validation rules and the real AWS error messages
//! (docs/lambda-behaviour.md §4.4, §5.1, §5.3, §3.10, §1.7).

use serde::{Deserialize, Serialize};

use crate::clock::{secs, Micros, HOUR, MIN, SEC};
use crate::error::ApiError;
use crate::handler::HandlerSpec;

/// The account and the simulator's own settings (where AWS publishes no figure).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccountConfig {
    /// 12-digit account id.
    pub id: String,
    /// Region, used in ARNs.
    pub region: String,
    /// Concurrent executions per Region (docs/lambda-behaviour.md §4.2: 1,000 by default).
    pub concurrency_limit: u32,
    /// Settings of the simulator itself.
    pub settings: SimSettings,
}

impl Default for AccountConfig {
    fn default() -> Self {
        Self {
            id: "123456789012".into(),
            region: "us-east-1".into(),
            concurrency_limit: 1000,
            settings: SimSettings::default(),
        }
    }
}

/// Behaviour AWS does not publish as a number, or that the lab wants to tune. Each default is
/// documented here and in the instructor guide.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SimSettings {
    /// How long an idle environment is kept before it is reclaimed. AWS publishes no figure
    /// (docs/lambda-behaviour.md §3.7); default 10 min like LocalStack's `LAMBDA_KEEPALIVE_MS`.
    pub keep_alive_us: Micros,
    /// Environments are recycled after this age even when busy (docs/lambda-behaviour.md §3.7:
    /// "every few hours"); default 4 h. The environment is replaced when it next becomes idle.
    pub recycle_after_us: Micros,
    /// Init phase limit for on-demand environments (docs/lambda-behaviour.md §3.2: 10 s).
    pub init_limit_us: Micros,
    /// Init phase limit for provisioned environments (docs/lambda-behaviour.md §3.2: up to 130 s).
    pub provisioned_init_limit_us: Micros,
    /// How many log lines are kept (a ring): memory must not grow with run length.
    pub log_window: usize,
    /// How many per-invocation records are kept (a ring).
    pub record_window: usize,
    /// Width of a metrics bucket (CloudWatch's standard resolution is 1 minute).
    pub metrics_bucket_us: Micros,
    /// How many metric buckets are kept per series (oldest dropped first).
    pub metrics_max_buckets: usize,
    /// Client-side (SDK) retries of throttled synchronous calls; 0 = the caller decides
    /// (docs/lambda-behaviour.md §1.3).
    pub client_retries: u32,
    /// Delay between an async event being queued and the poller picking it up.
    pub async_dispatch_delay_us: Micros,
    /// Virtual CPU time one script operation costs at 1 vCPU (runaway loops end as timeouts).
    pub script_op_cost_ns: u64,
    /// The `Retry-After` a throttle answers with, in seconds. docs/lambda-behaviour.md §4.7
    /// documents the header but AWS publishes no value; default 1 s (the request-rate window).
    #[serde(default = "default_retry_after_s")]
    pub throttle_retry_after_s: u32,
}

fn default_retry_after_s() -> u32 {
    1
}

impl Default for SimSettings {
    fn default() -> Self {
        Self {
            keep_alive_us: 10 * MIN,
            recycle_after_us: 4 * HOUR,
            init_limit_us: 10 * SEC,
            provisioned_init_limit_us: 130 * SEC,
            log_window: 2_000,
            record_window: 1_000,
            metrics_bucket_us: MIN,
            metrics_max_buckets: 1_440,
            client_retries: 0,
            async_dispatch_delay_us: 0,
            script_op_cost_ns: 100,
            throttle_retry_after_s: default_retry_after_s(),
        }
    }
}

/// What Lambda does when it detects the function in a recursive loop
/// (`PutFunctionRecursionConfig`, docs/lambda-behaviour.md §2.16).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecursiveLoop {
    /// The default: the invocation after about 16 in one chain of requests is dropped.
    #[default]
    Terminate,
    /// Nothing is dropped (for designs that loop on purpose).
    Allow,
}

impl RecursiveLoop {
    /// The default (`Terminate`): left out of JSON, so reports and digests of runs that do not
    /// set it stay as they were.
    pub fn is_default(&self) -> bool {
        *self == Self::Terminate
    }
}

/// Whether a counter is zero: such counters are left out of JSON, so reports and digests of
/// runs without them stay as they were.
pub fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
}

/// Instruction set architecture: it changes the price (docs/lambda-behaviour.md §5.5).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// x86_64 (default).
    #[default]
    X86_64,
    /// arm64 (Graviton), cheaper per GB-second.
    Arm64,
}

/// The extensions a function runs with: they set how long its Shutdown phase may last
/// (docs/lambda-behaviour.md §3.9: 0 ms without extensions, 500 ms with an internal extension,
/// 2,000 ms with external extensions, then SIGKILL).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Extensions {
    /// No extension (default): Shutdown takes no time.
    #[default]
    None,
    /// An internal extension (in the runtime process): up to 500 ms.
    Internal,
    /// One or more external extensions (their own processes): up to 2,000 ms.
    External,
}

impl Extensions {
    /// The Shutdown phase's limit. The simulator assumes extensions use all of it (AWS publishes
    /// only the limit), after which the environment is killed.
    pub fn shutdown_limit_us(self) -> Micros {
        match self {
            Extensions::None => 0,
            Extensions::Internal => 500 * crate::clock::MS,
            Extensions::External => 2_000 * crate::clock::MS,
        }
    }
}

/// VPC attachment: needs subnets, security groups, and the ENI permissions in the role.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct VpcConfig {
    /// Subnet ids.
    pub subnet_ids: Vec<String>,
    /// Security group ids.
    pub security_group_ids: Vec<String>,
}

/// Where an async outcome or a stream failure record goes: a queue name, `sns:TOPIC`,
/// `events:BUS`, `lambda:FUNCTION` or the resource's ARN ([`crate::state::destination::Target`]).
pub type Destination = String;

/// Asynchronous invocation configuration (docs/lambda-behaviour.md §1.7, §1.8). A setting left
/// out takes AWS's default, as `PutFunctionEventInvokeConfig` does: 2 retries, 21,600 s.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct AsyncConfig {
    /// `MaximumRetryAttempts` 0–2 (default 2).
    pub maximum_retry_attempts: u32,
    /// `MaximumEventAgeInSeconds` 60–21,600 (default 21,600 = 6 h).
    pub maximum_event_age_s: u32,
    /// On-success destination: a queue name, `sns:TOPIC`, `events:BUS`, `lambda:FUNCTION` or
    /// an ARN (docs/lambda-behaviour.md §1.13).
    pub on_success: Option<Destination>,
    /// On-failure destination: a queue name, `sns:TOPIC`, `events:BUS`, `lambda:FUNCTION` or
    /// an ARN (docs/lambda-behaviour.md §1.13).
    pub on_failure: Option<Destination>,
    /// Dead-letter queue: a queue name or `sns:TOPIC` (docs/lambda-behaviour.md §1.14).
    pub dead_letter_queue: Option<Destination>,
}

impl Default for AsyncConfig {
    fn default() -> Self {
        Self {
            maximum_retry_attempts: 2,
            maximum_event_age_s: 21_600,
            on_success: None,
            on_failure: None,
            dead_letter_queue: None,
        }
    }
}

impl AsyncConfig {
    /// Checks the ranges with the AWS `ValidationException` wording.
    pub fn validate(&self) -> Result<(), ApiError> {
        check_range(
            "maximumRetryAttempts",
            self.maximum_retry_attempts as i64,
            0,
            2,
        )?;
        check_range(
            "maximumEventAgeInSeconds",
            self.maximum_event_age_s as i64,
            60,
            21_600,
        )?;
        // docs/lambda-behaviour.md §1.13, §1.14: the kinds of destination
        use crate::state::destination::{validate, Sent};
        for (d, sent) in [
            (&self.on_success, Sent::Success),
            (&self.on_failure, Sent::Failure),
            (&self.dead_letter_queue, Sent::DeadLetter),
        ] {
            if let Some(d) = d {
                validate(d, sent)?;
            }
        }
        Ok(())
    }
}

/// A function's configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FunctionConfig {
    /// Function name.
    pub name: String,
    /// Memory 128–10,240 MB (default 128).
    pub memory_mb: u32,
    /// Timeout 1–900 s (default 3).
    pub timeout_s: u32,
    /// `/tmp` size 512–10,240 MB (default 512).
    pub ephemeral_storage_mb: u32,
    /// Reserved concurrency; `Some(0)` throttles every invocation. Provisioned concurrency is
    /// not here: it belongs to a version or an alias (docs/lambda-behaviour.md §10.4).
    pub reserved_concurrency: Option<u32>,
    /// Name of the execution role.
    pub role: String,
    /// Architecture (price).
    pub architecture: Architecture,
    /// VPC attachment.
    pub vpc: Option<VpcConfig>,
    /// Async invocation configuration.
    pub async_config: AsyncConfig,
    /// The handler: a profile or a script.
    pub handler: HandlerSpec,
    /// Extensions (they make the Shutdown phase last up to 500 ms or 2 s).
    #[serde(default)]
    pub extensions: Extensions,
    /// Recursive loop detection: `terminate` (the default) or `allow`.
    #[serde(default, skip_serializing_if = "RecursiveLoop::is_default")]
    pub recursive_loop: RecursiveLoop,
}

impl FunctionConfig {
    /// A function with the AWS defaults (128 MB, 3 s, 512 MB /tmp) and the given handler.
    pub fn new(name: &str, role: &str, handler: HandlerSpec) -> Self {
        Self {
            name: name.into(),
            memory_mb: 128,
            timeout_s: 3,
            ephemeral_storage_mb: 512,
            reserved_concurrency: None,
            role: role.into(),
            architecture: Architecture::X86_64,
            vpc: None,
            async_config: AsyncConfig::default(),
            handler,
            extensions: Extensions::None,
            recursive_loop: RecursiveLoop::Terminate,
        }
    }

    /// Checks the per-function ranges (not those that depend on the account).
    pub fn validate(&self) -> Result<(), ApiError> {
        check_range("memorySize", self.memory_mb as i64, 128, 10_240)?;
        check_range("timeout", self.timeout_s as i64, 1, 900)?;
        check_range(
            "ephemeralStorage.size",
            self.ephemeral_storage_mb as i64,
            512,
            10_240,
        )?;
        self.async_config.validate()?;
        check_code_size(&self.handler)?;
        if let Some(vpc) = &self.vpc {
            if vpc.subnet_ids.is_empty() || vpc.security_group_ids.is_empty() {
                return Err(ApiError::invalid(
                    "A VPC configuration needs at least one subnet ID and one security group ID.",
                ));
            }
        }
        Ok(())
    }

    /// The timeout in microseconds.
    pub fn timeout_us(&self) -> Micros {
        secs(self.timeout_s as u64)
    }

    /// CPU share in thousandths of a vCPU (docs/lambda-behaviour.md §5.2).
    pub fn cpu_milli(&self) -> u32 {
        cpu_milli(self.memory_mb)
    }
}

/// CPU share in thousandths of a vCPU: proportional to memory, 1,769 MB = 1,000 (one vCPU),
/// capped at 6,000 (docs/lambda-behaviour.md §5.2). At 10,240 MB the proportional figure is 5,788.
pub fn cpu_milli(memory_mb: u32) -> u32 {
    ((memory_mb as u64 * 1000 / 1769) as u32).clamp(1, 6000)
}

/// A `ValidationException` when `value` is outside `min..=max`.
pub fn check_range(field: &str, value: i64, min: i64, max: i64) -> Result<(), ApiError> {
    if value < min || value > max {
        Err(ApiError::range(field, value, min, max))
    } else {
        Ok(())
    }
}

/// Deployment package limit, unzipped: 250 MB (docs/lambda-behaviour.md §5.6).
pub const MAX_UNZIPPED_CODE_BYTES: usize = 262_144_000;

/// A script is the function's deployment package: over 250 MB it is refused with AWS's text.
pub fn check_code_size(handler: &HandlerSpec) -> Result<(), ApiError> {
    match handler {
        HandlerSpec::Script(src) if src.len() >= MAX_UNZIPPED_CODE_BYTES => Err(ApiError::invalid(
            format!("Unzipped size must be smaller than {MAX_UNZIPPED_CODE_BYTES} bytes"),
        )),
        _ => Ok(()),
    }
}

/// The unreserved pool floor (docs/lambda-behaviour.md §4.4: it must keep ≥ 100).
pub const UNRESERVED_FLOOR: u32 = 100;

/// Checks that reserving `wanted` for a function keeps the account's unreserved pool ≥ 100, given
/// what other functions already reserve.
pub fn check_reserved(
    account_limit: u32,
    others_reserved: u32,
    wanted: u32,
) -> Result<(), ApiError> {
    let unreserved = account_limit as i64 - others_reserved as i64 - wanted as i64;
    if unreserved < UNRESERVED_FLOOR as i64 {
        return Err(ApiError::invalid(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handler::HandlerSpec;

    fn f() -> FunctionConfig {
        FunctionConfig::new("f", "r", HandlerSpec::default())
    }

    #[test]
    fn defaults_are_128_mb_3_s_512_mb_tmp() {
        // docs/lambda-behaviour.md §5.1: memory default 128 MB; §5.3: timeout default 3 s; §3.10: /tmp 512 MB default
        let c = f();
        assert_eq!(
            (c.memory_mb, c.timeout_s, c.ephemeral_storage_mb),
            (128, 3, 512)
        );
        assert!(c.validate().is_ok());
    }

    #[test]
    fn memory_outside_128_to_10240_is_a_validation_exception() {
        // docs/lambda-behaviour.md §5.1: memory 128–10,240 MB
        let mut c = f();
        c.memory_mb = 64;
        let e = c.validate().unwrap_err();
        assert_eq!(e.code, "ValidationException");
        assert_eq!(e.message, "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128");
        c.memory_mb = 10_241;
        assert!(c
            .validate()
            .unwrap_err()
            .message
            .contains("less than or equal to 10240"));
        c.memory_mb = 10_240;
        assert!(c.validate().is_ok());
    }

    #[test]
    fn timeout_outside_1_to_900_is_rejected() {
        // docs/lambda-behaviour.md §5.3: timeout 1–900 s
        let mut c = f();
        c.timeout_s = 0;
        assert!(c.validate().unwrap_err().message.contains("at 'timeout'"));
        c.timeout_s = 901;
        assert!(c
            .validate()
            .unwrap_err()
            .message
            .contains("less than or equal to 900"));
    }

    #[test]
    fn tmp_outside_512_to_10240_is_rejected() {
        // docs/lambda-behaviour.md §3.10: /tmp configurable 512–10,240 MB
        let mut c = f();
        c.ephemeral_storage_mb = 511;
        assert!(c
            .validate()
            .unwrap_err()
            .message
            .contains("ephemeralStorage.size"));
        c.ephemeral_storage_mb = 10_241;
        assert!(c.validate().is_err());
    }

    #[test]
    fn async_settings_ranges_follow_put_function_event_invoke_config() {
        // docs/lambda-behaviour.md §1.7: MaximumRetryAttempts 0–2, MaximumEventAgeInSeconds 60–21,600
        let mut a = AsyncConfig {
            maximum_retry_attempts: 3,
            ..Default::default()
        };
        assert!(a
            .validate()
            .unwrap_err()
            .message
            .contains("maximumRetryAttempts"));
        a.maximum_retry_attempts = 0;
        a.maximum_event_age_s = 59;
        assert!(a
            .validate()
            .unwrap_err()
            .message
            .contains("maximumEventAgeInSeconds"));
        a.maximum_event_age_s = 21_601;
        assert!(a.validate().is_err());
        a.maximum_event_age_s = 60;
        assert!(a.validate().is_ok());
    }

    #[test]
    fn reserving_below_the_unreserved_floor_gives_the_real_message() {
        // docs/lambda-behaviour.md §4.4: unreserved pool must keep >= 100
        assert!(check_reserved(1000, 0, 900).is_ok());
        let e = check_reserved(1000, 0, 901).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValueException");
        assert_eq!(e.message, "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
        assert!(check_reserved(1000, 500, 401).is_err());
    }

    #[test]
    fn cpu_share_is_proportional_with_one_vcpu_at_1769_mb() {
        // docs/lambda-behaviour.md §5.2: 1,769 MB = one vCPU, up to 6 vCPUs
        assert_eq!(cpu_milli(1769), 1000);
        assert_eq!(cpu_milli(3538), 2000);
        assert!(cpu_milli(128) < 100);
        assert!(cpu_milli(10_240) <= 6000 && cpu_milli(10_240) > 5000);
    }
}
