//! Plain data shared by the models: invocation types, requests, outcomes and per-invocation
//! records (all serde-serialisable, for the lab console).

use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};

use crate::clock::Micros;
use crate::environment::StartType;
use crate::error::ApiError;
use crate::rng::mix64;

/// How the function is invoked (docs/lambda-behaviour.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum InvocationType {
    /// Synchronous (default).
    #[default]
    RequestResponse,
    /// Asynchronous: queued, 202.
    Event,
    /// Parameter and permission check only: 204.
    DryRun,
}

/// An `Invoke` call at the front door.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvokeRequest {
    /// Function name.
    pub function: String,
    /// Invocation type.
    pub invocation_type: InvocationType,
    /// JSON payload.
    pub payload: Arc<str>,
    /// Caller: `None` = the account's own administrator (allowed by its identity policy); otherwise
    /// an IAM ARN, an account id, or a service principal such as `s3.amazonaws.com`.
    pub principal: Option<String>,
    /// `AWS:SourceArn` of a service caller.
    pub source_arn: Option<String>,
    /// `AWS:SourceAccount` of a service caller.
    pub source_account: Option<String>,
    /// `Qualifier`: a version number, an alias name or `$LATEST` (docs/lambda-behaviour.md
    /// §10.3). The function name may carry it instead (`fn:live`, a qualified ARN); `None` and no
    /// qualifier in the name invoke `$LATEST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

impl InvokeRequest {
    /// A request from the account owner with the given payload.
    pub fn new(function: &str, invocation_type: InvocationType, payload: &str) -> Self {
        Self {
            function: function.into(),
            invocation_type,
            payload: payload.into(),
            principal: None,
            source_arn: None,
            source_account: None,
            qualifier: None,
        }
    }
}

/// A function version as Lambda names it: `$LATEST` (the unpublished version, 0 here) or a
/// published version number 1, 2, ... (docs/lambda-behaviour.md §10.1). Serialised as AWS writes
/// it, a string: `"$LATEST"`, `"3"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FunctionVersion(pub u32);

impl FunctionVersion {
    /// `$LATEST`.
    pub const LATEST: FunctionVersion = FunctionVersion(0);

    /// True for `$LATEST`.
    pub fn is_latest(self) -> bool {
        self.0 == 0
    }

    /// Reads `$LATEST` or a version number.
    pub fn parse(s: &str) -> Option<Self> {
        if s == "$LATEST" {
            return Some(Self::LATEST);
        }
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(FunctionVersion)
    }
}

impl std::fmt::Display for FunctionVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_latest() {
            f.write_str("$LATEST")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl Serialize for FunctionVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FunctionVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FunctionVersion::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not $LATEST or a version number"))
        })
    }
}

/// What the front door answered at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InvokeOutcome {
    /// Sync call accepted: the response will appear in `responses` when it completes.
    Started {
        /// Request id.
        request_id: RequestId,
    },
    /// Async call queued: HTTP 202.
    Queued {
        /// Request id.
        request_id: RequestId,
        /// 202.
        status: u16,
    },
    /// DryRun passed: HTTP 204.
    DryRunOk {
        /// 204.
        status: u16,
    },
    /// Rejected before the code ran (413, 403, 429, 404).
    Rejected(ApiError),
}

/// The response a synchronous caller receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvokeResponse {
    /// Request id.
    pub request_id: RequestId,
    /// Function.
    pub function: Arc<str>,
    /// HTTP status (200 even for function errors; docs/lambda-behaviour.md §1.2).
    pub status: u16,
    /// `X-Amz-Function-Error: Unhandled` when the function failed.
    pub function_error: Option<String>,
    /// Response payload (or the error object).
    pub payload: Arc<str>,
    /// When the caller got it.
    pub time_us: Micros,
    /// Set when the call was finally rejected (after client retries).
    pub error: Option<ApiError>,
    /// `X-Amz-Executed-Version`: the version that ran (an alias resolved; docs/lambda-behaviour.md §10.3).
    #[serde(default)]
    pub executed_version: FunctionVersion,
}

/// How an invocation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Returned normally.
    Success,
    /// Threw an error.
    Error,
    /// Ran out of time.
    Timeout,
    /// Init failed.
    InitError,
    /// Throttled before running (429 `TooManyRequestsException`; counted in `Throttles`).
    Throttled,
    /// Refused before the code ran by an invocation error other than a throttle: payload too
    /// large (413), permission denied (403), function not found (404), bad request (400).
    /// Counted in no CloudWatch metric (docs/lambda-behaviour.md §7.4, §8.1 `Invocations`).
    Rejected,
}

/// What started an invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Synchronous call.
    Sync,
    /// Async event.
    Async,
    /// SQS event source mapping.
    Sqs,
    /// Kinesis / DynamoDB stream mapping.
    Stream,
    /// A `DryRun` call (only ever recorded when it is refused).
    DryRun,
}

/// One invocation, kept in a bounded window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvocationRecord {
    /// Request id.
    pub request_id: RequestId,
    /// Function.
    pub function: Arc<str>,
    /// Trigger.
    pub trigger: Trigger,
    /// Attempt number (async retries, SQS receives).
    pub attempt: u32,
    /// Environment id (0 when throttled or rejected).
    pub env: u64,
    /// Cold / warm / provisioned (None when throttled or rejected: the code did not run).
    pub start_type: Option<StartType>,
    /// When the invocation arrived.
    pub start_us: Micros,
    /// Init duration (cold starts).
    pub init_us: Micros,
    /// Invoke duration.
    pub duration_us: Micros,
    /// Billed milliseconds.
    pub billed_ms: u64,
    /// Outcome.
    pub outcome: Outcome,
    /// Error type, if any: the function's `errorType`, or the API error code of a throttled or
    /// rejected call (`TooManyRequestsException`, `RequestTooLargeException`, ...).
    pub error_type: Option<String>,
    /// The version that ran (`executedVersion`; an alias resolved to one of its versions;
    /// docs/lambda-behaviour.md §10.3). For a call refused before any version was chosen,
    /// the qualifier's primary version, or `$LATEST`.
    #[serde(default)]
    pub executed_version: FunctionVersion,
}

/// A request id: a counter rendered as a UUID (deterministic, and cheap until rendered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

impl<'de> Deserialize<'de> for RequestId {
    /// Accepts the counter (a number); the UUID text is a rendering only.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        u64::deserialize(d).map(RequestId)
    }
}

impl Serialize for RequestId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Synchronous request and response limit: 6 MB (docs/lambda-behaviour.md §1.11).
pub const SYNC_PAYLOAD_LIMIT: usize = 6 * 1024 * 1024;

/// Asynchronous request limit: 1 MB since Oct 2025 (docs/lambda-behaviour.md §1.11).
pub const ASYNC_PAYLOAD_LIMIT: usize = 1024 * 1024;

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = mix64(self.0);
        let b = mix64(self.0 ^ 0xA5A5_5A5A_DEAD_BEEF);
        write!(
            f,
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a & 0xfff) as u16,
            ((b >> 48) as u16 & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}
