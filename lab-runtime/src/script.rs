//! Rhai handlers run in virtual time. Top-level code is the Init phase (cold starts only); the
//! script's last expression is a closure `|event, context| { ... }`, called per invocation, so
//! variables it captures survive warm starts (lambda-facts §3 "warm start"). Limits turn a runaway
//! script into `Task timed out`, never a hang.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::{Dynamic, Engine, EvalAltResult, FnPtr, Map, Position, Scope, AST};

use crate::handler::{FunctionError, RunResult};
use crate::host::{CallCtx, HostState};

/// Hard cap on operations per call: past it the call is treated as running until its timeout.
pub const MAX_OPERATIONS: u64 = 2_000_000;

/// The context object handed to the handler (lambda-facts §7 "context").
#[derive(Debug, Clone)]
pub struct Context {
    /// `function_name`.
    pub function_name: rhai::ImmutableString,
    /// `invoked_function_arn`.
    pub invoked_function_arn: rhai::ImmutableString,
    /// `memory_limit_in_mb`.
    pub memory_limit_in_mb: i64,
    /// The request (rendered as `aws_request_id` when read).
    pub request: crate::logs::RequestId,
    /// The environment (rendered into `log_stream_name` when read).
    pub env_id: u64,
}

/// A compiled script or the error its Init will report.
pub type Compiled = Result<Rc<AST>, FunctionError>;

/// The script engine, shared by all functions of a simulation.
pub struct ScriptEngine {
    engine: Engine,
    /// State host functions use.
    pub host: Rc<RefCell<HostState>>,
    ops_now: Rc<std::cell::Cell<u64>>,
}

fn pos_text(p: Position) -> String {
    match (p.line(), p.position()) {
        (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
        (Some(l), None) => format!(" (line {l})"),
        _ => String::new(),
    }
}

/// The file name a script's stack trace shows (the `/var/task` of a real deployment).
pub const SCRIPT_FILE: &str = "/var/task/handler.rhai";
/// The module name Init errors name (like `lambda_function` for a Python handler).
pub const SCRIPT_MODULE: &str = "handler";

/// Maps a Rhai error to the error object Lambda would return, or `None` for a timeout. `frame` is
/// the name of the outermost frame (`<module>` at Init, `handler` for an invocation).
fn to_function_error(e: &EvalAltResult, frame: &str) -> Option<FunctionError> {
    let mut fe = error_object(e)?;
    fe.stack_trace = stack_trace(e, frame);
    Some(fe)
}

fn error_object(e: &EvalAltResult) -> Option<FunctionError> {
    use EvalAltResult as E;
    Some(match e {
        E::ErrorTerminated(..) | E::ErrorTooManyOperations(..) => return None,
        E::ErrorRuntime(v, _) => {
            if let Some(m) = v.read_lock::<Map>() {
                let get = |k: &str| m.get(k).map(|x| x.to_string());
                FunctionError::new(
                    &get("errorType").unwrap_or_else(|| "Error".into()),
                    get("errorMessage").unwrap_or_default(),
                )
            } else {
                FunctionError::new("Error", v.to_string())
            }
        }
        E::ErrorInFunctionCall(_, _, inner, _) => return error_object(inner),
        E::ErrorFunctionNotFound(sig, pos) => FunctionError::new(
            "ReferenceError",
            format!("{sig} is not defined{}", pos_text(*pos)),
        ),
        E::ErrorVariableNotFound(name, pos) => FunctionError::new(
            "ReferenceError",
            format!("{name} is not defined{}", pos_text(*pos)),
        ),
        other => FunctionError::new("Runtime.ScriptError", other.to_string()),
    })
}

/// The frames of a script error, outermost first, as Python's runtime writes `stackTrace`
/// entries: `  File "/var/task/handler.rhai", line 3, in handler\n`. Frames without a position
/// (host functions) are left out; [`add_code_lines`] adds each frame's source line.
fn stack_trace(e: &EvalAltResult, outer: &str) -> Vec<String> {
    let mut frames: Vec<(String, usize)> = Vec::new();
    let mut name = outer.to_string();
    let mut cur = e;
    loop {
        match cur {
            EvalAltResult::ErrorInFunctionCall(f, _, inner, pos) => {
                if let Some(l) = pos.line() {
                    frames.push((name.clone(), l));
                }
                if !f.starts_with("anon$") {
                    name = f.to_string();
                }
                cur = inner;
            }
            other => {
                if let Some(l) = other.position().line() {
                    frames.push((name, l));
                }
                break;
            }
        }
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

/// `import "x" as y;` (Rhai modules are not available to handlers) at the line of a parse error:
/// the module's name and the position, reported like a missing Python module.
fn import_at(source: &str, pos: Position) -> Option<String> {
    let line = source
        .lines()
        .nth(pos.line()?.checked_sub(1)?)?
        .trim_start();
    let rest = line.strip_prefix("import")?;
    if !rest.starts_with([' ', '"', '\'', '`']) {
        return None;
    }
    let rest = rest.trim_start();
    let q = rest.chars().next()?;
    if !matches!(q, '"' | '\'' | '`') {
        return None;
    }
    let name = rest[1..].split(q).next()?;
    Some(name.to_string())
}

impl ScriptEngine {
    /// An engine with the host functions registered and the safety limits set.
    pub fn new(host: Rc<RefCell<HostState>>, op_cost_ns: u64) -> Self {
        // The standard library without the bit-field and blob packages, which handlers do not
        // need: a smaller lab bundle.
        let mut engine = Engine::new_raw();
        {
            use rhai::packages::{
                BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, LogicPackage,
                MoreStringPackage, Package,
            };
            engine.register_global_module(CorePackage::new().as_shared_module());
            engine.register_global_module(LogicPackage::new().as_shared_module());
            engine.register_global_module(BasicMathPackage::new().as_shared_module());
            engine.register_global_module(BasicArrayPackage::new().as_shared_module());
            engine.register_global_module(BasicMapPackage::new().as_shared_module());
            engine.register_global_module(MoreStringPackage::new().as_shared_module());
        }
        engine.set_max_operations(MAX_OPERATIONS);
        engine.set_max_string_size(1_000_000);
        engine.set_max_array_size(100_000);
        engine.set_max_map_size(100_000);
        engine.set_max_call_levels(64);
        engine.set_max_expr_depths(64, 32);
        let _ = op_cost_ns;
        let h = host.clone();
        let ops_now = Rc::new(std::cell::Cell::new(0u64));
        let ops_seen = ops_now.clone();
        engine.on_progress(move |ops| {
            ops_seen.set(ops);
            // the full deadline check every 64 operations (host calls check on every charge)
            if ops & 63 != 0 {
                return None;
            }
            let mut st = h.try_borrow_mut().ok()?;
            st.call.ops = ops;
            if st.call.timed_out || st.call.used_us() > st.call.deadline_us {
                st.call.timed_out = true;
                Some(Dynamic::UNIT)
            } else {
                None
            }
        });
        let h = host.clone();
        engine.on_print(move |s| {
            let mut st = h.borrow_mut();
            let t = st.call.used_us();
            st.call.logs.push((t, s.to_string()));
        });
        engine.register_type_with_name::<Context>("Context");
        engine.register_get("function_name", |c: &mut Context| c.function_name.clone());
        engine.register_get("function_version", |_: &mut Context| "$LATEST");
        engine.register_get("invoked_function_arn", |c: &mut Context| {
            c.invoked_function_arn.clone()
        });
        engine.register_get("memory_limit_in_mb", |c: &mut Context| c.memory_limit_in_mb);
        engine.register_get("aws_request_id", |c: &mut Context| c.request.to_string());
        engine.register_get("log_group_name", |c: &mut Context| {
            format!("/aws/lambda/{}", c.function_name)
        });
        engine.register_get("log_stream_name", |c: &mut Context| {
            format!("2026/01/01/[$LATEST]{:032x}", c.env_id)
        });
        let h = host.clone();
        engine.register_fn(
            "get_remaining_time_in_millis",
            move |_: &mut Context| -> i64 { (h.borrow().call.remaining_us() / 1000) as i64 },
        );
        crate::script_api::register(&mut engine, &host);
        Self {
            engine,
            host,
            ops_now,
        }
    }

    /// Compiles a script; a syntax error becomes `Runtime.UserCodeSyntaxError` with line and
    /// column, an `import` of a module `Runtime.ImportModuleError` (lambda-facts §7 "runtime
    /// error types"): handlers have no modules to import.
    pub fn compile(&self, source: &str) -> Compiled {
        self.engine.compile(source).map(Rc::new).map_err(|e| {
            let pos = e.position();
            let mut fe = match import_at(source, pos) {
                Some(m) => FunctionError::new(
                    "Runtime.ImportModuleError",
                    format!(
                        "Unable to import module '{SCRIPT_MODULE}': No module named '{m}'{}",
                        pos_text(pos)
                    ),
                ),
                None => FunctionError::new(
                    "Runtime.UserCodeSyntaxError",
                    format!("SyntaxError: {}{}", e.err_type(), pos_text(pos)),
                ),
            };
            if let Some(l) = pos.line() {
                fe.stack_trace = vec![format!("  File \"{SCRIPT_FILE}\", line {l}\n")];
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
        ast: &AST,
        call: CallCtx,
    ) -> (Result<FnPtr, Option<FunctionError>>, CallCtx) {
        self.begin(call);
        let mut scope = Scope::new();
        let r = self.engine.eval_ast_with_scope::<Dynamic>(&mut scope, ast);
        let call = self.end();
        let out = match r {
            _ if call.timed_out => Err(None),
            Ok(v) => match v.try_cast::<FnPtr>() {
                Some(f) => Ok(f),
                None => Err(Some(FunctionError::new(
                    "Runtime.HandlerNotFound",
                    format!("Handler missing on module '{SCRIPT_MODULE}': the script's last expression must be the handler closure |event, context| {{ ... }}"),
                ))),
            },
            Err(e) => Err(to_function_error(&e, "<module>")),
        };
        (out, call)
    }

    /// Calls the handler closure with an event and a context.
    pub fn invoke(
        &self,
        ast: &AST,
        handler: &FnPtr,
        event: Dynamic,
        ctx: Context,
        call: CallCtx,
    ) -> (RunResult, CallCtx) {
        self.begin(call);
        let r = handler.call::<Dynamic>(&self.engine, ast, (event, ctx));
        let call = self.end();
        let mut out = RunResult {
            elapsed_us: call.used_us(),
            ..Default::default()
        };
        match r {
            _ if call.timed_out => out.timed_out = true,
            Ok(v) => {
                if let Some(m) = v.read_lock::<Map>() {
                    if let Some(arr) = m
                        .get("batchItemFailures")
                        .and_then(|a| a.read_lock::<rhai::Array>())
                    {
                        out.batch_item_failures = Some(
                            arr.iter()
                                .filter_map(|x| {
                                    x.read_lock::<Map>().and_then(|m| {
                                        m.get("itemIdentifier").map(|i| i.to_string())
                                    })
                                })
                                .collect(),
                        );
                    }
                }
                let mut json = String::with_capacity(64);
                match json_into(&v, &mut json, true) {
                    Ok(()) => out.response = Some(json),
                    // lambda-facts §7 "runtime error types": Runtime.MarshalError
                    Err(t) => {
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

/// JSON to a Rhai value (objects become maps, arrays arrays).
pub fn json_to_dynamic(v: &serde_json::Value) -> Dynamic {
    use serde_json::Value as V;
    match v {
        V::Null => Dynamic::UNIT,
        V::Bool(b) => (*b).into(),
        V::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64().unwrap_or(0.0).into(),
        },
        V::String(s) => s.clone().into(),
        V::Array(a) => Dynamic::from_array(a.iter().map(json_to_dynamic).collect()),
        V::Object(o) => {
            let m: Map = o
                .iter()
                .map(|(k, v)| (k.as_str().into(), json_to_dynamic(v)))
                .collect();
            Dynamic::from_map(m)
        }
    }
}

/// A Rhai value to JSON (for responses, items and payloads).
pub fn dynamic_to_json(v: &Dynamic) -> serde_json::Value {
    use serde_json::Value as V;
    if v.is_unit() {
        V::Null
    } else if let Ok(b) = v.as_bool() {
        V::Bool(b)
    } else if let Ok(i) = v.as_int() {
        V::from(i)
    } else if let Ok(f) = v.as_float() {
        serde_json::Number::from_f64(f)
            .map(V::Number)
            .unwrap_or(V::Null)
    } else if let Some(a) = v.read_lock::<rhai::Array>() {
        V::Array(a.iter().map(dynamic_to_json).collect())
    } else if let Some(m) = v.read_lock::<Map>() {
        V::Object(
            m.iter()
                .map(|(k, v)| (k.to_string(), dynamic_to_json(v)))
                .collect(),
        )
    } else {
        V::String(v.to_string())
    }
}

/// Writes a Rhai value as JSON text directly (no intermediate tree: the hot path of a load test).
/// A value JSON cannot represent (a closure, a connection) is written as its text.
pub fn write_json(v: &Dynamic, out: &mut String) {
    let _ = json_into(v, out, false);
}

/// The type name a marshal error shows: the last segment of the Rust path (`Connection`), `Fn` for a
/// closure.
fn short_type_name(v: &Dynamic) -> String {
    let n = v.type_name();
    n.rsplit("::").next().unwrap_or(n).to_string()
}

/// Writes `v` as JSON; when `strict`, fails with the type name of the first value JSON cannot
/// represent (what the runtime's serializer would refuse: a closure, a host object, a blob).
fn json_into(v: &Dynamic, out: &mut String, strict: bool) -> Result<(), String> {
    use std::fmt::Write;
    if v.is_unit() {
        out.push_str("null");
    } else if let Ok(b) = v.as_bool() {
        out.push_str(if b { "true" } else { "false" });
    } else if let Ok(i) = v.as_int() {
        let _ = write!(out, "{i}");
    } else if let Ok(f) = v.as_float() {
        match serde_json::Number::from_f64(f) {
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => out.push_str("null"),
        }
    } else if let Some(a) = v.read_lock::<rhai::Array>() {
        out.push('[');
        for (i, x) in a.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_into(x, out, strict)?;
        }
        out.push(']');
    } else if let Some(m) = v.read_lock::<Map>() {
        out.push('{');
        for (i, (k, x)) in m.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_json_str(k, out);
            out.push(':');
            json_into(x, out, strict)?;
        }
        out.push('}');
    } else if let Some(s) = v.read_lock::<rhai::ImmutableString>() {
        write_json_str(&s, out);
    } else if strict && !v.is_char() {
        return Err(short_type_name(v));
    } else {
        write_json_str(&v.to_string(), out);
    }
    Ok(())
}

fn write_json_str(s: &str, out: &mut String) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}
