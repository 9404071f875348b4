//! The engine: host functions, limits and callbacks, and the entry points that run a program or
//! call one of its functions.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use super::ast::Program;
use super::error::Error;
use super::interp::{Env, Interp};
use super::limits::Limits;
use super::native::NativeFn;
use super::parser::parse;
use super::pos::Pos;
use super::value::{FnValue, Value};

type ProgressFn = Box<dyn Fn(u64) -> bool>;
type PrintFn = Box<dyn Fn(&str)>;

/// Runs programs: host functions, limits, the progress and print callbacks.
pub struct Engine {
    natives: HashMap<&'static str, NativeFn>,
    /// The limits.
    pub limits: Limits,
    on_progress: Option<ProgressFn>,
    on_print: Option<PrintFn>,
    last_ops: Cell<u64>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    /// An engine with the built-in functions only and the default limits.
    pub fn new() -> Self {
        Self {
            natives: HashMap::new(),
            limits: Limits::default(),
            on_progress: None,
            on_print: None,
            last_ops: Cell::new(0),
        }
    }

    /// Registers a host function (it replaces a built-in of the same name).
    pub fn register(
        &mut self,
        name: &'static str,
        f: impl Fn(&mut [Value]) -> Result<Value, Error> + 'static,
    ) {
        self.natives.insert(name, Rc::new(f));
    }

    /// Called after every operation with the count so far; returning `true` stops the script
    /// ([`ErrorKind::Terminated`](crate::error::ErrorKind::Terminated)).
    pub fn on_progress(&mut self, f: impl Fn(u64) -> bool + 'static) {
        self.on_progress = Some(Box::new(f));
    }

    /// Receives the text of `print(x)` and `debug(x)`.
    pub fn on_print(&mut self, f: impl Fn(&str) + 'static) {
        self.on_print = Some(Box::new(f));
    }

    /// Parses a script.
    pub fn compile(&self, src: &str) -> Result<Program, Error> {
        parse(src, self.limits.depths)
    }

    /// Runs the top-level statements; returns the value of the last one.
    pub fn run(&self, prog: &Program) -> Result<Value, Error> {
        let mut it = Interp::new(self.env(), prog);
        let r = it.run_top();
        self.last_ops.set(it.ops);
        r
    }

    /// Calls a function value (a closure the program made) with `args`.
    pub fn call(&self, prog: &Program, f: &FnValue, args: Vec<Value>) -> Result<Value, Error> {
        let mut it = Interp::new(self.env(), prog);
        let r = it.call_value(f, args, Pos::NONE);
        self.last_ops.set(it.ops);
        r
    }

    /// What a run or call takes from the engine.
    fn env(&self) -> Env<'_> {
        Env {
            limits: self.limits,
            natives: &self.natives,
            on_progress: self.on_progress.as_deref(),
            on_print: self.on_print.as_deref(),
        }
    }

    /// Operations the last [`Engine::run`] or [`Engine::call`] performed.
    pub fn last_operations(&self) -> u64 {
        self.last_ops.get()
    }
}
