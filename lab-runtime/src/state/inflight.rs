//! An invocation in progress: what started it, where it runs, and the script state an environment
//! keeps between invocations. Running one is in `crate::invoke`.

use crate::environment::StartType;
use crate::handler::FunctionError;
use crate::model::{Outcome, RequestId, Trigger};
use crate::script::FnValue;
use crate::state::versions::Target;
use crate::Micros;

/// Script state living in one environment: the handler closure (with its captured variables) and
/// the files in /tmp.
#[derive(Default)]
pub struct EnvScript {
    pub(crate) handler: Option<FnValue>,
    pub(crate) tmp: crate::host::TmpFiles,
    pub(crate) opened: Vec<crate::services::HeldConnection>,
}

/// What started the invocation and must hear about its end.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Sync,
    Async(u64),
    Sqs {
        mapping: u32,
        ids: Vec<u64>,
        /// The longest chain of requests among the batch's messages.
        chain: u32,
    },
    Stream {
        mapping: u32,
        lane: u32,
        count: usize,
    },
}

/// An invocation in progress.
#[derive(Debug, Clone)]
pub(crate) struct InFlight {
    pub request: RequestId,
    pub function: u32,
    pub slot: usize,
    pub env_id: u64,
    pub trigger: Trigger,
    pub source: Source,
    pub attempt: u32,
    pub arrival_us: Micros,
    pub init_us: Micros,
    pub duration_us: Micros,
    pub outcome: Outcome,
    pub error: Option<Box<FunctionError>>,
    pub response: Option<Box<str>>,
    pub batch_failures: Option<Box<[String]>>,
    pub start_type: StartType,
    pub reset_env: bool,
    /// The version it runs and the qualifier's provisioned lane (docs/lambda-behaviour.md §10.3).
    pub target: Target,
}
