//! The state host functions of a script share with the simulation: the downstream services and the
//! virtual-time account of the call in progress (elapsed time, deadline, logs, /tmp, IAM identity).

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::clock::Micros;
use crate::iam::{assumed_role_denied, Decision, Role};
use crate::services::Services;
use crate::sqs::SqsQueue;

/// Who the code runs as, for downstream IAM checks.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Account id.
    pub account: String,
    /// Region.
    pub region: String,
    /// Function name.
    pub function: String,
    /// The execution role.
    pub role: Role,
}

/// The virtual-time account of one Init or one invocation.
#[derive(Debug, Clone, Default)]
pub struct CallCtx {
    /// Absolute virtual time the call started.
    pub start_us: Micros,
    /// Time charged by host calls so far.
    pub elapsed_us: Micros,
    /// Time available (timeout or init limit).
    pub deadline_us: Micros,
    /// CPU share in thousandths of a vCPU (single-threaded code uses at most 1,000).
    pub cpu_milli: u32,
    /// Cost of one script operation at 1 vCPU, in ns.
    pub op_cost_ns: u64,
    /// Script operations so far.
    pub ops: u64,
    /// Lines logged (offset from start, text).
    pub logs: Vec<(Micros, String)>,
    /// Set when the deadline passed.
    pub timed_out: bool,
    /// Set when the code called `exit` (the runtime process dies: Runtime.ExitError).
    pub exited: bool,
    /// Identity for IAM checks.
    pub identity: Option<Rc<Identity>>,
    /// The environment's /tmp files (moved in and out around the call).
    pub tmp: BTreeMap<String, String>,
    /// /tmp size limit in bytes.
    pub tmp_limit_bytes: u64,
    /// Background work started: (label, started at elapsed, length).
    pub background: Option<(String, Micros, Micros)>,
    /// Databases this call opened a connection to.
    pub opened: Vec<String>,
    /// Connections the environment already held open when the call started (file descriptors).
    pub fds_open: u32,
}

/// File descriptors an environment may hold open (docs/lambda-behaviour.md §5.6: 1,024); each
/// database connection takes one.
pub const MAX_FILE_DESCRIPTORS: u32 = 1024;

impl CallCtx {
    /// Time used: host charges plus script operations scaled by the CPU share.
    pub fn used_us(&self) -> Micros {
        let milli = self.cpu_milli.clamp(1, 1000) as u64;
        self.elapsed_us + self.ops * self.op_cost_ns / milli
    }

    /// Time left before the deadline.
    pub fn remaining_us(&self) -> Micros {
        self.deadline_us.saturating_sub(self.used_us())
    }

    /// Absolute virtual time now, inside the call.
    pub fn now_us(&self) -> Micros {
        self.start_us + self.used_us()
    }
}

/// What host functions can reach.
#[derive(Debug, Default)]
pub struct HostState {
    /// Downstream services.
    pub services: Services,
    /// SQS queues by name.
    pub queues: BTreeMap<String, SqsQueue>,
    /// The call in progress.
    pub call: CallCtx,
    /// Next SQS message id.
    pub next_message_id: u64,
    /// Next database connection id.
    pub next_connection_id: i64,
    /// Memo of IAM decisions by a hash of (role, function, action, resource); cleared whenever a
    /// role or a function's role changes.
    pub iam_cache: std::collections::HashMap<u64, Decision>,
    /// The last allowed (identity, action) and table: a one-entry fast path for load tests.
    pub last_allowed: Option<((usize, usize), String)>,
}

impl HostState {
    /// Checks an action of the code against the execution role; the error text is AWS's.
    pub fn authorize(&self, action: &str, resource: &str) -> Result<(), String> {
        let Some(id) = &self.call.identity else {
            return Ok(());
        };
        match id.role.allows(action, resource) {
            Decision::Allow => Ok(()),
            d => Err(assumed_role_denied(
                &id.account,
                &id.role.name,
                &id.function,
                action,
                resource,
                d,
            )),
        }
    }

    /// Checks an action on a resource given in parts (joined only when needed), memoising the
    /// decision: the hot path of a load test makes no allocation here.
    pub fn authorize_parts(&mut self, action: &str, parts: &[&str]) -> Result<(), String> {
        let Some(id) = self.call.identity.clone() else {
            return Ok(());
        };
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for p in [id.role.name.as_str(), id.function.as_str(), action]
            .iter()
            .chain(parts.iter())
        {
            for b in p.bytes().chain(std::iter::once(0xff)) {
                h ^= b as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        let decision = match self.iam_cache.get(&h) {
            Some(d) => *d,
            None => {
                let d = id.role.allows(action, &parts.concat());
                if self.iam_cache.len() > 4096 {
                    self.iam_cache.clear();
                }
                self.iam_cache.insert(h, d);
                d
            }
        };
        match decision {
            Decision::Allow => Ok(()),
            d => Err(assumed_role_denied(
                &id.account,
                &id.role.name,
                &id.function,
                action,
                &parts.concat(),
                d,
            )),
        }
    }

    /// ARN prefix helper: `arn:aws:<svc>:<region>:<account>:`.
    pub fn arn(&self, service: &str) -> String {
        let (region, account) = match &self.call.identity {
            Some(id) => (id.region.as_str(), id.account.as_str()),
            None => ("us-east-1", "123456789012"),
        };
        let mut s = String::with_capacity(48);
        for part in ["arn:aws:", service, ":", region, ":", account, ":"] {
            s.push_str(part);
        }
        s
    }
}
