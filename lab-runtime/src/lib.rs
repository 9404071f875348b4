//! A deterministic discrete-event simulator of AWS Lambda, driven step by step by the lab console.
//!
//! The behaviour it models is documented, with sources, in `docs/lambda-behaviour.md` at the root
//! of this repository; code and tests cite its sections (`docs/lambda-behaviour.md §3.2`). The
//! crate is pure (no IO) and builds for wasm32; the same seed and the same actions give the same
//! run, bit for bit, on every target.
//!
//! # Driving it (the lab console)
//! - Build: [`Simulation::new`] with an [`AccountConfig`] and a seed; then control-plane calls or
//!   [`Action`]s through [`Simulation::apply`]: roles, functions, concurrency, async configuration,
//!   resource policies, queues, tables, mappings, traffic generators (bursts, rates, ramps, Poisson,
//!   SQS backlogs: also the load test).
//! - Invoke: [`Simulation::invoke`] (sync, `Event`, `DryRun`, as any principal) answers at once with
//!   an [`InvokeOutcome`]; a sync response appears in [`Simulation::responses`] when it completes.
//! - Time: [`Simulation::advance_by`], [`Simulation::advance_to`],
//!   [`Simulation::advance_to_next_event`], and [`Simulation::run_for`] with a [`RunBudget`] for a
//!   load test in chunks (returns [`Progress`]).
//! - Read: [`Simulation::view`] (functions, environments and their states, in-flight invocations,
//!   queues, async events, mappings, bill), [`Simulation::log_lines`] (CloudWatch lines),
//!   [`Simulation::records`] (per-invocation records, bounded: every `Invoke` call leaves one,
//!   throttled and refused calls included), [`Simulation::shutdowns`] (Shutdown phases),
//!   [`Simulation::metrics`] (time buckets), [`Simulation::report`] (the versioned JSON report
//!   with its digest).
//! - Scenarios: [`scenario::Scenario::setup_actions`] gives the account and the ordered setup
//!   actions that [`scenario::Scenario::build`] applies, for a console that replays them.
//!
//! # Layout
//! - **The models' state** ([`state`], one file per model, plus the older model files
//!   [`environment`] (environments and their pool), [`sqs`], [`services`], [`iam`], [`logs`],
//!   [`metrics`], [`billing`]): each type owns its data, keeps its fields private, is changed
//!   through methods that say what happened, and is tested alone.
//!   [`state::function::FunctionState`] is a function: its configuration and code, its
//!   [`state::versions::Versions`] (published versions, aliases and provisioned concurrency
//!   lanes, with their rules), its [`environment::Pool`], and the counters, metrics and bill
//!   that one invocation updates together. [`state::concurrency`] is the front door's admission
//!   control, [`state::async_event::AsyncQueue`] Lambda's internal queue with its retry rules,
//!   [`state::sqs_mapping::SqsMapping`] and [`state::stream_mapping::StreamMapping`] the event
//!   source mappings with their polling, batching windows, retries and checkpoints,
//!   [`sqs::SqsQueue`] a queue with its visibility timeout, redrive and FIFO groups, and
//!   [`services::Services`] the tables, buckets and databases a handler calls.
//! - **Values** pass between them: configuration read from a scenario, records a model hands
//!   out read-only (a function's counters, an environment, a message), and the arguments and
//!   results of a model's methods; these may have public fields.
//! - **The engine**: [`sim`] (the clock, the event queue, the PRNG and the event loop) and the
//!   files that handle each kind of event in an `impl Simulation` block: [`front_door`]
//!   (permission, throttles, invocation types), [`invoke`] and [`env_lifecycle`] (running an
//!   invocation in an environment), [`async_queue`], [`esm_sqs`], [`esm_stream`], [`destination`],
//!   [`sns`], [`eventbridge`], [`shutdown`], [`traffic`], [`versions`], [`control`] and
//!   [`actions`] (the control plane), [`view`] and [`report`] (what is read). It asks the models
//!   and tells them what happened; it does not write their fields.
//! - The state never names the engine, no file imports itself back through others, and the
//!   models keep their fields to themselves: `tests/structure.rs` checks all three from the
//!   sources.
//!
//! Handlers are a statistical [`Profile`] or a script in a subset of Rhai's syntax
//! ([`HandlerSpec::Script`], run by the `handler-lang` crate through [`script`]): see `book/src/instructors/scenarios.md` for the
//! host functions and the scenario format that `lab-sim` runs.

pub mod actions;
pub mod async_queue;
pub mod b64;
pub mod bench;
pub mod billing;
pub mod clock;
pub mod config;
pub mod control;
pub mod destination;
pub mod determinism;
pub mod env_lifecycle;
pub mod environment;
pub mod error;
pub mod esm_sqs;
pub mod esm_stream;
pub mod eventbridge;
pub mod execute;
pub mod front_door;
pub mod handler;
pub mod host;
pub mod iam;
pub mod invoke;
pub mod limits;
pub mod logs;
pub mod metrics;
pub mod model;
pub mod queue;
pub mod report;
pub mod report_text;
pub mod resources;
pub mod rng;
pub mod scenario;
pub mod scenario_run;
pub mod script;
pub mod script_api;
pub mod script_exec;
pub mod services;
pub mod shutdown;
pub mod sim;
pub mod sns;
pub mod sqs;
pub mod state;
pub mod timefmt;
pub mod traffic;
pub mod versions;
pub mod view;

pub use actions::{Action, ActionResult};
pub use clock::Micros;
pub use config::{AccountConfig, AsyncConfig, FunctionConfig, SimSettings};
pub use error::ApiError;
pub use handler::{Dist, HandlerSpec, Profile};
pub use model::{FunctionVersion, InvocationType, InvokeOutcome, InvokeRequest};
pub use sim::{Progress, RunBudget, Simulation};
