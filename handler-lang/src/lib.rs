//! The handler language of the labs: a small interpreter for a strict subset of Rhai's syntax, so
//! handler scripts written for Rhai keep working, without Rhai's size in the lab bundle.
//!
//! A learner writes a Lambda handler in it: top-level code is the Init phase, the script's last
//! expression is the handler closure `|event, context| { ... }`, and the variables the closure
//! captures live on between calls (warm starts). The crate is pure (no IO, no clock, no
//! randomness), builds for wasm32, and is deterministic: the same program and the same calls give
//! the same values and the same operation counts on every target. The syntax it takes is listed in
//! `README.md` beside this crate; anything else (modules, custom types, `eval`) is a syntax error
//! or `f is not defined`, never a crash.
//!
//! # Embedding it
//! 1. Make an [`Engine`], set its [`Limits`] (`engine.limits`), and register the host's native
//!    functions with [`Engine::register`]: a [`NativeFn`] gets the arguments (the receiver first for
//!    `x.f(a)`, which is `f(x, a)`) and returns a [`Value`] or an [`Error`]; for arguments it does
//!    not take it returns [`mismatch()`], which the script sees as `f (types) is not defined`. A
//!    host function of the same name replaces a built-in one.
//! 2. Give scripts host objects as [`Value::Host`]: a type that implements [`HostObject`] (its
//!    type name, its read-only properties `x.name`, `as_any` so that host functions can downcast
//!    it with [`Value::host`]).
//! 3. [`Engine::compile`] parses the source into a [`Program`] (a syntax error has a line and a
//!    column, [`Pos`]); [`Engine::run`] runs its top-level statements (Init) and returns the value
//!    of the last one, the handler as a [`Value::Fn`]; [`Engine::call`] calls that [`FnValue`] with
//!    the event and the context, as often as the host likes, with the same program.
//! 4. Events go in and results come out as JSON with [`json_to_value`], [`value_to_json`] and the
//!    capped writers ([`write_json_capped`]: a result too large stops at the cap instead of
//!    building gigabytes).
//!
//! # Limits and callbacks
//! Nothing a script does can hang or crash its host. Every run or call counts operations against
//! [`Limits::max_operations`] ([`ErrorKind::TooManyOperations`]); after every operation the
//! progress callback ([`Engine::on_progress`]) sees the count so far and may stop the script
//! ([`ErrorKind::Terminated`]: the host's deadline). Strings, arrays and maps have maximum sizes
//! that are checked before anything is built, as are the bytes of strings one call builds in all
//! ([`ErrorKind::DataTooLarge`]); calls nest at most [`Limits::max_call_levels`] deep
//! ([`ErrorKind::StackOverflow`]), and expressions in the source at most
//! [`parser::DepthLimits`] deep (a syntax error, not a stack overflow). `try`/`catch` cannot catch
//! these ([`Error::is_catchable`]). `print(x)` and `debug(x)` go to [`Engine::on_print`].
//! [`Engine::last_operations`] says what the last run or call cost.
//!
//! Case mapping (`to_upper`, `to_lower`...) is Rust's own Unicode mapping natively; a wasm32 build
//! leaves Rust's case tables out and uses the mapping its host installs with
//! [`case::set_case_mapping`] (ASCII only when none is installed).
//!
//! ```
//! use handler_lang::{json_to_value, mismatch, value_to_json, Engine, Value};
//!
//! let mut engine = Engine::new();
//! engine.limits.max_operations = 10_000;
//! engine.register("double", |args| match args {
//!     [Value::Int(n)] => Ok(Value::Int(*n * 2)),
//!     _ => Err(mismatch()),
//! });
//! let program = engine.compile("let calls = 0;\n|event| { calls += 1; double(event.n) + calls }")?;
//! let Value::Fn(handler) = engine.run(&program)? else { panic!("no handler closure") };
//! let event = json_to_value(&serde_json::json!({ "n": 20 }));
//! let first = engine.call(&program, &handler, vec![event.clone()])?;
//! let second = engine.call(&program, &handler, vec![event])?;
//! assert_eq!(value_to_json(&first), 41);
//! assert_eq!(value_to_json(&second), 42); // `calls` survived the first call
//!
//! let stuck = engine.compile("loop { }")?;
//! assert!(engine.run(&stuck).unwrap_err().is_timeout());
//! # Ok::<(), handler_lang::Error>(())
//! ```

pub mod ast;
pub mod builtins;
pub mod case;
pub mod engine;
pub mod error;
mod interp;
pub mod lexer;
pub mod limits;
pub mod native;
pub mod ops;
pub mod parser;
pub mod pos;
pub mod value;

#[cfg(test)]
mod tests;

// The examples of README.md run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use ast::Program;
pub use engine::Engine;
pub use error::{Error, ErrorKind};
pub use limits::Limits;
pub use native::{mismatch, NativeFn};
pub use pos::Pos;
pub use value::{
    json_to_value, value_to_json, write_json, write_json_capped, write_json_strict, Array,
    CappedText, FnValue, HostObject, JsonError, Map, Value,
};
