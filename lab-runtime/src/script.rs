//! Handler scripts run in virtual time. Top-level code is the Init phase (cold starts only); the
//! script's last expression is a closure `|event, context| { ... }`, called per invocation, so
//! variables it captures survive warm starts (docs/lambda-behaviour.md §3.6). Limits turn a
//! runaway script into `Task timed out`, never a hang. The language is a subset of Rhai's syntax,
//! run by the `handler-lang` crate ([`handler_lang`]); this module and [`crate::script_api`] (the
//! host functions) are the only ones that use it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use handler_lang::{Engine, Error, ErrorKind, HostObject};

use crate::handler::{FunctionError, RunResult};
use crate::host::{CallCtx, HostState};
use crate::script_api::MAX_TEXT_BYTES;

// The language, as the rest of the simulator and its users see it: the values a handler takes and
// returns, and the case mapping a wasm32 host installs (the lab bundle: the browser's).
pub use handler_lang::case::set_case_mapping;
pub use handler_lang::{json_to_value, value_to_json, write_json, FnValue, Program, Value};

/// Hard cap on operations per call: past it the call is treated as running until its timeout.
/// It bounds the real time one runaway call (`loop {}`) takes, which a browser cannot split:
/// 2,000,000 took 28 ms natively; in Chromium, 1,000,000 took up to 47 ms and 500,000 about 20 ms
/// (up to 37), too close to the 50 ms a task may take. 250,000 is 25 ms of work at one full vCPU,
/// 0.36 s at 128 MB; shipped handlers spend their time in `compute`, not in operations.
pub const MAX_OPERATIONS: u64 = 250_000;

/// Bytes of strings one Init or invocation may build in all.
pub const MAX_BUILT_BYTES: u64 = 64 * 1024 * 1024;

/// Longest error message kept from a thrown value, in bytes (the rest is cut with `…`).
pub const MAX_ERROR_MESSAGE_BYTES: usize = 64 * 1024;

/// The context object handed to the handler (docs/lambda-behaviour.md §7.2).
#[derive(Debug, Clone)]
pub struct Context {
    /// `function_name`.
    pub function_name: Rc<str>,
    /// `invoked_function_arn`: the ARN the caller used, with its qualifier if it named one.
    pub invoked_function_arn: Rc<str>,
    /// The version that runs (0 = `$LATEST`), rendered as `function_version` and in
    /// `log_stream_name` when read.
    pub function_version: u32,
    /// `memory_limit_in_mb`.
    pub memory_limit_in_mb: i64,
    /// The request (rendered as `aws_request_id` when read).
    pub request: crate::model::RequestId,
    /// The environment (rendered into `log_stream_name` when read).
    pub env_id: u64,
}

impl HostObject for Context {
    fn type_name(&self) -> &'static str {
        "Context"
    }

    fn get(&self, name: &str) -> Option<Value> {
        Some(match name {
            "function_name" => Value::str(&self.function_name),
            "function_version" => match self.function_version {
                0 => Value::str("$LATEST"),
                v => Value::from(v.to_string()),
            },
            "invoked_function_arn" => Value::str(&self.invoked_function_arn),
            "memory_limit_in_mb" => Value::Int(self.memory_limit_in_mb),
            "aws_request_id" => Value::from(self.request.to_string()),
            "log_group_name" => Value::from(format!("/aws/lambda/{}", self.function_name)),
            "log_stream_name" => Value::from(format!(
                "2026/01/01/[{}]{:032x}",
                crate::model::FunctionVersion(self.function_version),
                self.env_id
            )),
            _ => return None,
        })
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A compiled script or the error its Init will report.
pub type Compiled = Result<Rc<Program>, FunctionError>;

/// The script engine, shared by all functions of a simulation.
pub struct ScriptEngine {
    engine: Engine,
    /// State host functions use.
    pub host: Rc<RefCell<HostState>>,
    ops_now: Rc<Cell<u64>>,
}

/// The file name a script's stack trace shows (the `/var/task` of a real deployment).
pub const SCRIPT_FILE: &str = "/var/task/handler.rhai";
/// The module name Init errors name (like `lambda_function` for a Python handler).
pub const SCRIPT_MODULE: &str = "handler";

/// Maps a script error to the error object Lambda would return, or `None` for a timeout. `frame` is
/// the name of the outermost frame (`<module>` at Init, `handler` for an invocation).
fn to_function_error(e: &Error, frame: &str) -> Option<FunctionError> {
    let mut fe = error_object(e)?;
    fe.stack_trace = stack_trace(e, frame);
    Some(fe)
}

fn error_object(e: &Error) -> Option<FunctionError> {
    let pos = e.pos.suffix();
    Some(match &e.kind {
        ErrorKind::Terminated | ErrorKind::TooManyOperations => return None,
        ErrorKind::Thrown(v) => match v.as_map() {
            Some(m) => {
                let get = |k: &str| m.get(k).map(|x| x.text_lossy(MAX_ERROR_MESSAGE_BYTES));
                FunctionError::new(
                    &get("errorType").unwrap_or_else(|| "Error".into()),
                    get("errorMessage").unwrap_or_default(),
                )
            }
            None => FunctionError::new("Error", v.text_lossy(MAX_ERROR_MESSAGE_BYTES)),
        },
        ErrorKind::FnNotFound(name) | ErrorKind::VarNotFound(name) => {
            FunctionError::new("ReferenceError", format!("{name} is not defined{pos}"))
        }
        _ => FunctionError::new("Runtime.ScriptError", e.to_string()),
    })
}

/// The frames of a script error, outermost first, as Python's runtime writes `stackTrace`
/// entries: `  File "/var/task/handler.rhai", line 3, in handler\n`. Frames without a position
/// (host functions) are left out; [`add_code_lines`] adds each frame's source line.
fn stack_trace(e: &Error, outer: &str) -> Vec<String> {
    let mut frames: Vec<(String, u32)> = Vec::new();
    let mut name = outer.to_string();
    for (callee, pos) in &e.calls {
        if pos.is_some() {
            frames.push((name.clone(), pos.line));
        }
        if let Some(n) = callee {
            name = n.to_string();
        }
    }
    if e.pos.is_some() {
        frames.push((name, e.pos.line));
    }
    frames.dedup();
    frames
        .into_iter()
        .map(|(n, l)| format!("  File \"{SCRIPT_FILE}\", line {l}, in {n}\n"))
        .collect()
}

/// Appends the source line under each stack-trace entry (`    throw ...\n`), as Python does.
pub fn add_code_lines(trace: &mut [String], source: &str) {
    for entry in trace.iter_mut() {
        let line = entry
            .rsplit_once(", line ")
            .and_then(|(_, rest)| rest.split(',').next())
            .and_then(|n| n.trim().parse::<usize>().ok());
        if let Some(code) = line.and_then(|l| source.lines().nth(l.saturating_sub(1))) {
            let code = code.trim();
            if !code.is_empty() && !entry.contains("\n    ") {
                entry.push_str("    ");
                entry.push_str(code);
                entry.push('\n');
            }
        }
    }
}

impl ScriptEngine {
    /// An engine with the host functions registered and the safety limits set.
    pub fn new(host: Rc<RefCell<HostState>>, op_cost_ns: u64) -> Self {
        let mut engine = Engine::new();
        engine.limits.max_operations = MAX_OPERATIONS;
        engine.limits.max_string_size = MAX_TEXT_BYTES;
        engine.limits.max_built_bytes = MAX_BUILT_BYTES;
        engine.limits.max_array_size = 100_000;
        engine.limits.max_map_size = 100_000;
        engine.limits.max_call_levels = 64;
        engine.limits.depths.global = 64;
        engine.limits.depths.function = 32;
        let _ = op_cost_ns;
        let h = host.clone();
        let ops_now = Rc::new(Cell::new(0u64));
        let ops_seen = ops_now.clone();
        engine.on_progress(move |ops| {
            ops_seen.set(ops);
            // the full deadline check every 64 operations (host calls check on every charge)
            if ops & 63 != 0 {
                return false;
            }
            let Ok(mut st) = h.try_borrow_mut() else {
                return false;
            };
            st.call.ops = ops;
            if st.call.timed_out || st.call.used_us() > st.call.deadline_us {
                st.call.timed_out = true;
                true
            } else {
                false
            }
        });
        let h = host.clone();
        engine.on_print(move |s| {
            let mut st = h.borrow_mut();
            let t = st.call.used_us();
            st.call.log(t, s.to_string());
        });
        let h = host.clone();
        engine.register("get_remaining_time_in_millis", move |a| match a {
            [c] if c.host::<Context>().is_some() => {
                Ok(Value::Int((h.borrow().call.remaining_us() / 1000) as i64))
            }
            _ => Err(handler_lang::mismatch()),
        });
        crate::script_api::register(&mut engine, &host);
        Self {
            engine,
            host,
            ops_now,
        }
    }

    /// Compiles a script; a syntax error becomes `Runtime.UserCodeSyntaxError` with line and
    /// column, an `import` of a module `Runtime.ImportModuleError` (docs/lambda-behaviour.md
    /// §7.5): handlers have no modules to import.
    pub fn compile(&self, source: &str) -> Compiled {
        self.engine.compile(source).map(Rc::new).map_err(|e| {
            let pos = e.pos;
            let mut fe = match &e.kind {
                ErrorKind::Import(m) => FunctionError::new(
                    "Runtime.ImportModuleError",
                    format!(
                        "Unable to import module '{SCRIPT_MODULE}': No module named '{m}'{}",
                        pos.suffix()
                    ),
                ),
                _ => FunctionError::new(
                    "Runtime.UserCodeSyntaxError",
                    format!("SyntaxError: {}{}", e.message(), pos.suffix()),
                ),
            };
            if pos.is_some() {
                fe.stack_trace = vec![format!("  File \"{SCRIPT_FILE}\", line {}\n", pos.line)];
                add_code_lines(&mut fe.stack_trace, source);
            }
            fe
        })
    }

    fn begin(&self, call: CallCtx) {
        self.ops_now.set(0);
        self.host.borrow_mut().call = call;
    }

    fn end(&self) -> CallCtx {
        let mut call = std::mem::take(&mut self.host.borrow_mut().call);
        call.ops = self.ops_now.get();
        call
    }

    /// Runs the top-level code (Init). Returns the handler closure, or the Init error, plus the call
    /// account (elapsed time, logs, timeout flag).
    pub fn init(
        &self,
        program: &Program,
        call: CallCtx,
    ) -> (Result<FnValue, Option<FunctionError>>, CallCtx) {
        self.begin(call);
        let r = self.engine.run(program);
        let call = self.end();
        let out = match r {
            _ if call.timed_out => Err(None),
            Ok(Value::Fn(f)) => Ok(f),
            Ok(_) => Err(Some(FunctionError::new(
                "Runtime.HandlerNotFound",
                format!("Handler missing on module '{SCRIPT_MODULE}': the script's last expression must be the handler closure |event, context| {{ ... }}"),
            ))),
            Err(e) => Err(to_function_error(&e, "<module>")),
        };
        (out, call)
    }

    /// Calls the handler closure with an event and a context.
    pub fn invoke(
        &self,
        program: &Program,
        handler: &FnValue,
        event: Value,
        ctx: Context,
        call: CallCtx,
    ) -> (RunResult, CallCtx) {
        self.begin(call);
        let r = self
            .engine
            .call(program, handler, vec![event, Value::Host(Rc::new(ctx))]);
        let call = self.end();
        let mut out = RunResult {
            elapsed_us: call.used_us(),
            ..Default::default()
        };
        match r {
            _ if call.timed_out => out.timed_out = true,
            Ok(v) => {
                if let Some(arr) = v
                    .as_map()
                    .and_then(|m| m.get("batchItemFailures"))
                    .and_then(|a| a.as_array())
                {
                    // an entry without an `itemIdentifier` is kept as "": a stream mapping
                    // fails the whole batch for it (docs/lambda-behaviour.md §2.21)
                    out.batch_item_failures = Some(
                        arr.iter()
                            .map(|x| {
                                x.as_map()
                                    .and_then(|m| m.get("itemIdentifier"))
                                    .map(|i| i.text_lossy(MAX_TEXT_BYTES))
                                    .unwrap_or_default()
                            })
                            .collect(),
                    );
                }
                let mut json = String::with_capacity(64);
                // written up to one byte past the synchronous response limit (docs/lambda-behaviour.md
                // §1.11), so a response of a large string shared many times is never built in full;
                // the front door refuses it as too large
                let cap = crate::model::SYNC_PAYLOAD_LIMIT + 1;
                match handler_lang::write_json_capped(&v, &mut json, cap, true) {
                    Ok(()) | Err(handler_lang::JsonError::TooLarge) => out.response = Some(json),
                    // docs/lambda-behaviour.md §7.5: Runtime.MarshalError
                    Err(handler_lang::JsonError::Unserializable(t)) => {
                        out.error = Some(FunctionError::new(
                            "Runtime.MarshalError",
                            format!("Unable to marshal response: Object of type {t} is not JSON serializable"),
                        ));
                        out.batch_item_failures = None;
                    }
                }
            }
            Err(e) => match to_function_error(&e, "handler") {
                Some(fe) => out.error = Some(fe),
                None => out.timed_out = true,
            },
        }
        if call.exited && out.error.is_none() && !out.timed_out {
            out.error = Some(FunctionError::new(
                "Runtime.ExitError",
                "RequestId: exited before completing request",
            ));
        }
        (out, call)
    }
}
