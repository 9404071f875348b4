//! The state host functions of a script share with the simulation: the downstream services and the
//! virtual-time account of the call in progress (elapsed time, deadline, logs, /tmp, IAM identity).

use std::rc::Rc;

use litemap::LiteMap;

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

#[cfg(test)]
impl Identity {
    /// Function `f` of account 123456789012 in us-east-1, running as role `r` with no policies:
    /// for the models' unit tests.
    pub(crate) fn for_tests() -> Rc<Identity> {
        Rc::new(Identity {
            account: "123456789012".into(),
            region: "us-east-1".into(),
            function: "f".into(),
            role: Role {
                name: "r".into(),
                trust_policy: crate::iam::PolicyDocument::default(),
                policies: Vec::new(),
                managed: Vec::new(),
            },
        })
    }
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
    pub tmp: TmpFiles,
    /// /tmp size limit in bytes.
    pub tmp_limit_bytes: u64,
    /// Background work started: (label, started at elapsed, length).
    pub background: Option<(String, Micros, Micros)>,
    /// Connections this call opened (database, id).
    pub opened: Vec<crate::services::HeldConnection>,
    /// Connections the environment already held open when the call started (file descriptors).
    pub fds_open: u32,
    /// This invocation's place in its chain of requests: 1 for a request from outside, `n + 1`
    /// for one started by a message of chain `n` (docs/lambda-behaviour.md §2.16).
    pub chain: u32,
    /// Bytes of log text this call holds ([`MAX_LOG_BYTES_PER_CALL`]).
    pub log_bytes: usize,
    /// Set once the call's log output passed the cap (later lines are not kept).
    pub log_cut: bool,
}

/// Log text one Init or invocation keeps: lines past it are dropped after one line that says so
/// (the simulator must not hold what a looping `print` writes).
pub const MAX_LOG_BYTES_PER_CALL: usize = 1024 * 1024;

/// Bytes of /tmp file contents the simulator holds for one execution environment. The simulated
/// limit is the function's `ephemeral_storage_mb` (up to 10,240 MB); a script writing more than
/// this into /tmp gets a clear error instead of the simulator holding gigabytes.
pub const MAX_TMP_HELD_BYTES: u64 = 16 * 1024 * 1024;

pub use crate::services::MAX_SERVICE_HELD_BYTES;

/// Largest DynamoDB item, in bytes of its JSON form (AWS: 400 KB, docs/lambda-behaviour.md §5.7).
pub const MAX_DYNAMODB_ITEM_BYTES: usize = 400 * 1024;

/// Largest SQS message body a handler may send, in bytes (AWS's SendMessage: 1 MiB,
/// docs/lambda-behaviour.md §5.7).
pub const MAX_SQS_MESSAGE_BYTES: usize = 1024 * 1024;

/// The files of one environment's /tmp: path → contents. A file holds the script's string itself
/// (shared, not copied), so writing one string to many files holds its bytes once: the simulated
/// size may be large while the bytes held stay small.
pub type TmpFiles = LiteMap<String, Rc<String>>;

/// Simulated size of /tmp (every file's length) and the bytes the simulator actually holds
/// (each distinct string once).
pub fn tmp_sizes(files: &TmpFiles, except: Option<&str>) -> (u64, u64) {
    let mut seen = std::collections::HashSet::new();
    let (mut simulated, mut held) = (0u64, 0u64);
    for (k, v) in files {
        if Some(k.as_str()) == except {
            continue;
        }
        simulated += v.len() as u64;
        if seen.insert(Rc::as_ptr(v)) {
            held += v.len() as u64;
        }
    }
    (simulated, held)
}

/// Files one environment's /tmp may hold in the simulator.
pub const MAX_TMP_FILES: usize = 1000;

/// File descriptors an environment may hold open (docs/lambda-behaviour.md §5.6: 1,024); each
/// database connection takes one.
pub const MAX_FILE_DESCRIPTORS: u32 = 1024;

impl CallCtx {
    /// Keeps a log line at `t` (offset from the call's start), within the per-call cap.
    pub fn log(&mut self, t: Micros, text: String) {
        if self.log_cut {
            return;
        }
        if self.log_bytes.saturating_add(text.len()) > MAX_LOG_BYTES_PER_CALL {
            self.log_cut = true;
            self.logs.push((
                t,
                format!(
                    "[simulator] this call logged more than {} MiB: later lines are not kept",
                    MAX_LOG_BYTES_PER_CALL / (1024 * 1024)
                ),
            ));
            return;
        }
        self.log_bytes += text.len();
        self.logs.push((t, text));
    }

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
    pub queues: LiteMap<String, SqsQueue>,
    /// The call in progress.
    pub call: CallCtx,
    /// Next SQS message id.
    pub next_message_id: u64,
    /// Set when a handler sent SQS messages that have not arrived yet
    /// ([`SqsQueue::send_during_run`]).
    pub arriving_sends: bool,
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
