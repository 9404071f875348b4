//! The handler language: a small interpreter for a strict subset of Rhai's syntax, so handler
//! scripts written for Rhai keep working, without Rhai's size in the lab bundle.
//!
//! [`Engine::compile`] parses a script into a [`Program`]; [`Engine::run`] runs its top-level
//! statements and [`Engine::call`] calls a closure the program made. Every run counts operations
//! against a limit and reports progress to a callback (which can stop it), so no script can hang
//! its host; sizes of strings, arrays and maps, call depth and source nesting are limited too.

pub mod ast;
pub mod builtins;
pub mod case;
pub mod engine;
pub mod error;
mod interp;
pub mod lexer;
pub mod ops;
pub mod parser;
pub mod value;

#[cfg(test)]
mod tests;

pub use ast::Program;
pub use engine::{mismatch, Engine, Limits, NativeFn};
pub use error::{Error, ErrorKind, Pos};
pub use value::{
    json_to_value, value_to_json, write_json, write_json_capped, write_json_strict, Array,
    CappedText, FnValue, HostObject, JsonError, Map, Value,
};
