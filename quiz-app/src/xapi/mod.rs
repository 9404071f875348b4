//! Learner records over xAPI 1.0.3: off unless the book configures a Learning Record Store
//! (`[preprocessor.course.xapi]`) or the page is launched from an LMS with cmi5 parameters.
//!
//! - [`statement`]: the statements and their pure builders (stable activity ids).
//! - [`config`]: the book's configuration and the cmi5 launch parameters, resolved to a session.
//! - [`queue`]: the bounded queue in localStorage, batching, backoff, refused statements.
//! - [`sender`]: the page's one sender (`fetch`), started by [`crate::mount_all`].
//! - [`status`]: what the learner sees (sync status, queue full).
//! - [`cmi5`]: the cmi5 session of a page an LMS launched (`initialized`, `terminated`).

pub mod cmi5;
pub mod config;
pub mod queue;
pub mod sender;
pub mod statement;
pub mod status;
