//! Hands-on labs: a simulated Lambda world, the controls a learner may use, objectives checked
//! against the simulation, hints, and a reference solution that proves the lab solvable.
//!
//! The preprocessor calls [`parse_lab_file`] and [`Lab::map_markdown`]; the lab console and the
//! native tests drive a [`LabSession`], so both grade with the same code.

mod check;
mod objective;
mod parse;
mod prove;
mod script_check;
mod session;
mod sliced;
mod step;
mod trace;

use serde::{Deserialize, Serialize};

pub use check::{Check, CountEvent, LoadTestCheck, Performance, METRICS};
pub use lab_runtime::{AccountConfig, Action};
pub use objective::{Objective, ObjectiveStatus};
#[cfg(feature = "schema")]
pub(crate) use parse::file_schema;
pub use parse::{parse_lab_file, ParsedLab};
pub use script_check::{check_script, ScriptProblem};
pub use session::{load_message, LabSession, LoadRun, StepResult};
pub use sliced::{Begun, Pending};
pub use step::{InvokeKind, Step};
pub use trace::{LoadResult, Rejection, Trace};

/// Version of the lab file format (`format_version`).
pub const LAB_FORMAT_VERSION: u32 = 1;

/// A validated lab, as the preprocessor embeds it (JSON) and the console reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lab {
    /// Unique id in the book: the progress key `course:{book}:lab:{id}`.
    pub id: String,
    /// Title shown above the console.
    pub title: String,
    /// What the learner is asked to do (Markdown; HTML once the preprocessor rendered it).
    pub brief: String,
    /// The function the console's panels act on.
    pub function: String,
    /// Controls the learner may use; others are not shown.
    pub controls: Vec<Control>,
    /// Seed of the simulation (the same actions give the same run).
    pub seed: u64,
    /// The account of the starting world.
    pub account: AccountConfig,
    /// The actions that build the starting world (roles, queues, tables, functions…).
    pub setup: Vec<Action>,
    /// Queues of the world (for the queue views and the "send messages" control).
    pub queues: Vec<String>,
    /// Checks that tick themselves off.
    pub objectives: Vec<Objective>,
    /// Hints, shown one at a time (Markdown, then HTML).
    pub hints: Vec<String>,
    /// A sequence of steps that completes every objective (proved by a native test). The
    /// browser never replays it, so a WASM build does not read it: that leaves out the
    /// deserializer of [`Step`], an internally tagged enum whose buffering costs size.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub solution: Vec<Step>,
}

/// A group of console controls a lab can enable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// Memory, timeout, ephemeral storage.
    Config,
    /// Reserved and provisioned concurrency.
    Concurrency,
    /// Async settings: retries, event age, DLQ.
    Async,
    /// Resource-based policy and execution-role policy editors.
    Policies,
    /// VPC attachment (subnets and security groups).
    Vpc,
    /// The handler editor and "Deploy".
    Code,
    /// Synchronous invoke with a test event.
    Invoke,
    /// Asynchronous invoke.
    InvokeAsync,
    /// DryRun invoke.
    DryRun,
    /// Invoke as another principal.
    Principal,
    /// Send N messages to an SQS queue.
    Sqs,
    /// N simultaneous requests.
    Burst,
    /// Constant-rate load test (chunked, with progress and cancel).
    LoadTest,
    /// Advance the clock.
    Time,
    /// Publish a version, point an alias at one, choose the qualifier of an invoke
    /// (docs/lambda-behaviour.md §10).
    Versions,
}

/// Every control, with its name in lab files.
pub const CONTROLS: [(&str, Control); 15] = [
    ("config", Control::Config),
    ("concurrency", Control::Concurrency),
    ("async", Control::Async),
    ("policies", Control::Policies),
    ("vpc", Control::Vpc),
    ("code", Control::Code),
    ("invoke", Control::Invoke),
    ("invoke_async", Control::InvokeAsync),
    ("dry_run", Control::DryRun),
    ("principal", Control::Principal),
    ("sqs", Control::Sqs),
    ("burst", Control::Burst),
    ("load_test", Control::LoadTest),
    ("time", Control::Time),
    ("versions", Control::Versions),
];

impl Lab {
    /// Rewrites every Markdown field (brief, objective texts, hints), e.g. to rendered HTML.
    pub fn map_markdown(&mut self, mut render: impl FnMut(&str) -> String) {
        self.brief = render(&self.brief);
        for o in &mut self.objectives {
            o.text = render(&o.text);
        }
        for h in &mut self.hints {
            *h = render(h);
        }
    }

    /// Whether the learner may use a control.
    pub fn allows(&self, control: Control) -> bool {
        self.controls.contains(&control)
    }
}
