//! The state of each model of the simulated world, one file per model.
//!
//! Every type here owns its data and is changed through its own methods; none of these files knows
//! the [`Simulation`](crate::sim::Simulation) or any file that holds the engine's handling of
//! events (`impl Simulation` blocks), so each model can be read and tested alone. The engine files
//! (`crate::front_door`, `crate::invoke`, `crate::esm_sqs`, ...) depend on these, never the other
//! way round; `tests/structure.rs` keeps it so (no import circle among the crate's files).

pub mod async_event;
pub mod concurrency;
pub mod destination;
pub mod event_bus;
pub mod function;
pub mod inflight;
pub mod shutdown;
pub mod sns_topic;
pub mod sqs_mapping;
pub mod stream_mapping;
pub mod traffic;
pub mod versions;
