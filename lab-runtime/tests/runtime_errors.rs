//! The runtime's own errors and the error object: `Runtime.ImportModuleError`,
//! `Runtime.HandlerNotFound`, `Runtime.MarshalError`, and `stackTrace` (docs/lambda-behaviour.md §7;
//! `Runtime.HandlerNotFound`, which it does not list, is the type AWS's own Python runtime gives a
//! missing handler: https://github.com/aws/aws-lambda-python-runtime-interface-client/blob/main/awslambdaric/lambda_runtime_exception.py).

mod common;

use common::*;
use lab_runtime::model::Outcome;
use lab_runtime::HandlerSpec;

fn script(src: &str) -> HandlerSpec {
    HandlerSpec::Script(src.to_string())
}

/// Invokes `src` once and returns the response payload and the record's outcome.
fn run(src: &str) -> (serde_json::Value, Outcome, Vec<String>) {
    let mut sim = world();
    create(&mut sim, "f", script(src));
    sync(&mut sim, "f", r#"{"n": 1}"#);
    secs(&mut sim, 5);
    let r = &sim.responses().items()[0];
    let v = serde_json::from_str(&r.payload).unwrap();
    (v, sim.records().items()[0].outcome, lines(&sim))
}

#[test]
fn importing_a_module_fails_init_with_runtime_import_module_error() {
    // docs/lambda-behaviour.md §7.5: Runtime.ImportModuleError
    let (v, outcome, lines) = run("import \"requests\" as r;\n|event, context| { 1 }");
    assert_eq!(v["errorType"], "Runtime.ImportModuleError", "{v}");
    assert_eq!(
        v["errorMessage"],
        "Unable to import module 'handler': No module named 'requests' (line 1, column 1)"
    );
    assert_eq!(outcome, Outcome::InitError);
    assert!(
        lines.iter().any(|l| l.starts_with("INIT_REPORT")
            && l.ends_with("Status: error Error Type: Runtime.ImportModuleError")),
        "{lines:?}"
    );
}

#[test]
fn script_without_a_handler_closure_fails_init_with_runtime_handler_not_found() {
    // docs/lambda-behaviour.md §7.5 (Runtime.*): the handler the configuration names is missing;
    // Runtime.HandlerNotFound itself: AWS's Python runtime, https://github.com/aws/aws-lambda-python-runtime-interface-client/blob/main/awslambdaric/lambda_runtime_exception.py
    let (v, outcome, _) = run("let x = 1;\nx + 1");
    assert_eq!(v["errorType"], "Runtime.HandlerNotFound");
    assert!(v["errorMessage"]
        .as_str()
        .unwrap()
        .starts_with("Handler missing on module 'handler'"));
    assert_eq!(outcome, Outcome::InitError);
}

#[test]
fn syntax_error_payload_has_a_stack_trace_with_the_offending_line() {
    // docs/lambda-behaviour.md §7.3: {"errorMessage", "errorType", "stackTrace": [...]}
    let (v, _, _) = run("let x = 1;\nlet y = ;\n|event, context| { x }");
    assert_eq!(v["errorType"], "Runtime.UserCodeSyntaxError");
    assert_eq!(
        v["stackTrace"],
        serde_json::json!(["  File \"/var/task/handler.rhai\", line 2\n    let y = ;\n"])
    );
}

#[test]
fn unserialisable_response_is_a_runtime_marshal_error() {
    // docs/lambda-behaviour.md §7.5: Runtime.MarshalError
    let (v, outcome, _) = run("|event, context| { #{handler: |x| x} }");
    assert_eq!(v["errorType"], "Runtime.MarshalError");
    assert_eq!(
        v["errorMessage"],
        "Unable to marshal response: Object of type Fn is not JSON serializable"
    );
    assert_eq!(outcome, Outcome::Error, "a function error: the code ran");
    let (v, _, _) = run("|event, context| { #{ctx: context} }");
    assert_eq!(
        v["errorMessage"],
        "Unable to marshal response: Object of type Context is not JSON serializable"
    );
    let (v, outcome, _) = run("|event, context| { #{ok: true, n: event.n, c: 'x'} }");
    assert_eq!(v, serde_json::json!({"ok": true, "n": 1, "c": "x"}));
    assert_eq!(outcome, Outcome::Success);
}

#[test]
fn thrown_error_carries_a_stack_trace_outermost_call_first() {
    // docs/lambda-behaviour.md §7.3: stackTrace
    let src = "fn charge(order) {\n  throw #{errorType: \"PaymentDeclined\", errorMessage: \"declined\"};\n}\n|event, context| {\n  charge(event.n)\n}";
    let (v, outcome, lines) = run(src);
    assert_eq!(outcome, Outcome::Error);
    assert_eq!(v["errorType"], "PaymentDeclined");
    assert_eq!(
        v["stackTrace"],
        serde_json::json!([
            "  File \"/var/task/handler.rhai\", line 5, in handler\n    charge(event.n)\n",
            "  File \"/var/task/handler.rhai\", line 2, in charge\n    throw #{errorType: \"PaymentDeclined\", errorMessage: \"declined\"};\n",
        ]),
        "{v}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Invoke Error") && l.contains("stackTrace")),
        "the runtime's ERROR line carries the whole object"
    );
}

#[test]
fn init_error_stack_trace_names_the_module_frame() {
    // docs/lambda-behaviour.md §7.3: stackTrace; an error in the code outside the handler fails Init
    let (v, outcome, _) = run("let a = 1;\nlet b = missing_fn(a);\n|event, context| { b }");
    assert_eq!(outcome, Outcome::InitError);
    assert_eq!(v["errorType"], "ReferenceError");
    let st = v["stackTrace"][0].as_str().unwrap();
    assert!(st.contains("line 2, in <module>"), "{st}");
}

#[test]
fn timeout_and_profile_errors_have_no_stack_trace() {
    // docs/lambda-behaviour.md §3.12: errorMessage and errorType only
    let (v, outcome, _) = run("|event, context| { sleep(10000); 1 }");
    assert_eq!(outcome, Outcome::Timeout);
    assert!(v.get("stackTrace").is_none(), "{v}");
}
