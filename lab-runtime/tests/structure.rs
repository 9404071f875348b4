//! The crate's structure, checked from its sources (issue #13, "Structure"):
//! - no import circle among lab-runtime's files: a file that names another (a `use crate::...`
//!   or a `crate::...` path) depends on it, and following those edges never comes back;
//! - the models' state (`src/state/`) knows nothing of the engine: no file there names the
//!   `Simulation` or depends on a file that holds the engine's handling of events
//!   (an `impl Simulation` block);
//! - the models keep their fields to themselves: in the files that hold a model's state, every
//!   struct with a `pub` or `pub(crate)` field is a value named below (configuration read from a
//!   scenario, a record a model hands out read-only, an argument or result passed to or from a
//!   model), and the models named below have none.
//!
//! Unit-test modules (`#[cfg(test)] mod ...`) are left out: a test may reach anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[path = "../../tests/src/imports.rs"]
mod imports;

use imports::{circles, code_of, describe};

/// lab-runtime's `src/`.
fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Its files, by path relative to `src/`.
fn sources() -> BTreeMap<String, String> {
    imports::sources(&src())
}

/// Each file and the files it names.
fn graph(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    imports::graph(&src(), files)
}

#[test]
fn no_file_of_the_crate_imports_itself_back_through_others() {
    let files = sources();
    let g = graph(&files);
    let found = circles(&g);
    let described = describe(&g, &found);
    assert!(
        found.is_empty(),
        "import circles among lab-runtime/src files (move the shared type to a file both can \
         name, e.g. src/state/):\n{}",
        described.join("\n")
    );
}

#[test]
fn the_models_state_knows_nothing_of_the_engine() {
    let files = sources();
    let g = graph(&files);
    let engine: BTreeSet<&String> = files
        .iter()
        .filter(|(_, src)| {
            let code = code_of(src);
            code.contains("impl Simulation") || code.contains("impl crate::sim::Simulation")
        })
        .map(|(f, _)| f)
        .collect();
    assert!(
        engine.contains(&"sim.rs".to_string()),
        "the engine files were not found: {engine:?}"
    );
    assert!(
        engine.len() > 10,
        "expected the engine's many files, found {engine:?}"
    );
    let state: Vec<&String> = files.keys().filter(|f| f.starts_with("state/")).collect();
    assert!(
        state.len() >= 10,
        "expected the models' state files, found {state:?}"
    );
    let mut wrong = Vec::new();
    for f in state {
        if code_of(&files[f]).contains("Simulation") {
            wrong.push(format!("{f} names the Simulation"));
        }
        for d in &g[f] {
            if engine.contains(d) {
                wrong.push(format!("{f} depends on the engine file {d}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The files that hold models' state: `state/`, the environments, the SQS service, the
/// downstream services, logs, metrics, billing and IAM.
fn model_files(files: &BTreeMap<String, String>) -> Vec<&String> {
    const OTHERS: [&str; 6] = [
        "environment.rs",
        "sqs.rs",
        "services.rs",
        "logs.rs",
        "metrics.rs",
        "billing.rs",
    ];
    files
        .keys()
        .filter(|f| {
            f.starts_with("state/") || f.starts_with("iam/") || OTHERS.contains(&f.as_str())
        })
        .collect()
}

/// Each struct with named fields that `code` declares, with the names of its fields that are
/// visible outside the file (`pub`, `pub(crate)`, `pub(super)`, `pub(in ...)`).
fn structs_and_open_fields(code: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("struct ") {
        let before = &rest[..at];
        rest = &rest[at + "struct ".len()..];
        if before
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue; // part of a longer word
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // named fields only: a tuple struct, a unit struct or a `where` clause ends otherwise
        let Some(open) = rest.find(['{', ';', '(']) else {
            break;
        };
        if !rest[open..].starts_with('{') {
            continue;
        }
        let body = &rest[open + 1..];
        let mut depth = 1;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' | '(' | '[' | '<' => depth += 1,
                '}' | ')' | ']' => depth -= 1,
                '>' if !body[..i].ends_with('-') => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = i;
                break;
            }
        }
        let mut open_fields = Vec::new();
        // fields are separated by commas at depth 0 of the body
        let mut d = 0;
        let mut start = 0;
        let fields = &body[..end];
        let mut pieces = Vec::new();
        for (i, c) in fields.char_indices() {
            match c {
                '{' | '(' | '[' | '<' => d += 1,
                '}' | ')' | ']' => d -= 1,
                '>' if !fields[..i].ends_with('-') => d -= 1,
                ',' if d == 0 => {
                    pieces.push(&fields[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        pieces.push(&fields[start..]);
        for piece in pieces {
            // attributes (`#[serde(...)]`) come before the visibility
            let mut f = piece.trim();
            while f.starts_with("#[") {
                let close = f.find(']').map_or(f.len(), |c| c + 1);
                f = f[close..].trim_start();
            }
            if f.starts_with("pub ") || f.starts_with("pub(") {
                let after = f[3..].trim_start();
                let after = if after.starts_with('(') {
                    after[after.find(')').map_or(0, |c| c + 1)..].trim_start()
                } else {
                    after
                };
                let field: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                open_fields.push(field);
            }
        }
        out.push((name, open_fields));
        rest = &body[end..];
    }
    out
}

/// The models: state that changes during a run, changed only by the model's own methods, by
/// file and name.
const MODELS: [(&str, &str); 26] = [
    ("state/function.rs", "FunctionState"),
    ("state/versions.rs", "Versions"),
    ("state/versions.rs", "PublishedVersion"),
    ("state/versions.rs", "Alias"),
    ("environment.rs", "Pool"),
    ("state/concurrency.rs", "AccountConcurrency"),
    ("state/concurrency.rs", "RateWindow"),
    ("state/concurrency.rs", "ScaleCredit"),
    ("state/async_event.rs", "AsyncQueue"),
    ("state/async_event.rs", "AsyncEvent"),
    ("state/sqs_mapping.rs", "SqsMapping"),
    ("state/stream_mapping.rs", "StreamMapping"),
    ("state/stream_mapping.rs", "Lane"),
    ("state/traffic.rs", "TrafficGen"),
    ("state/sns_topic.rs", "SnsTopic"),
    ("state/event_bus.rs", "EventBus"),
    ("sqs.rs", "SqsQueue"),
    ("sqs.rs", "DeadLetter"),
    ("services.rs", "Services"),
    ("services.rs", "Table"),
    ("services.rs", "Bucket"),
    ("services.rs", "Database"),
    ("services.rs", "Capacity"),
    ("services.rs", "HeldBytes"),
    ("logs.rs", "Ring"),
    ("metrics.rs", "Series"),
];

/// Structs whose fields may be visible, by file and name: values, not models.
const VALUES: [(&str, &str); 38] = [
    // configuration read from a scenario or given to an API
    ("state/sqs_mapping.rs", "SqsMappingConfig"),
    ("state/stream_mapping.rs", "StreamMappingConfig"),
    ("state/traffic.rs", "TrafficSpec"),
    ("state/event_bus.rs", "Rule"),
    ("sqs.rs", "Redrive"),
    ("state/versions.rs", "RoutingConfig"),
    ("services.rs", "Latencies"),
    ("billing.rs", "PriceTable"),
    // IAM documents, parsed once and evaluated by pure functions, and their arguments
    ("iam/mod.rs", "Role"),
    ("iam/policy.rs", "PolicyDocument"),
    ("iam/policy.rs", "Statement"),
    ("iam/policy.rs", "Condition"),
    ("iam/managed.rs", "ManagedPolicy"),
    ("iam/policy.rs", "PolicyError"),
    ("iam/eval.rs", "Request"),
    // records a model hands out read-only (a copy, or a shared reference)
    ("state/function.rs", "FunctionStats"),
    ("billing.rs", "FunctionBill"),
    ("environment.rs", "Environment"),
    ("state/async_event.rs", "AsyncOutcomes"),
    ("state/traffic.rs", "TrafficProgress"),
    ("state/sns_topic.rs", "TopicCounts"),
    ("state/event_bus.rs", "BusCounts"),
    ("state/sqs_mapping.rs", "SqsBatches"),
    ("state/versions.rs", "ProvisionedLane"),
    ("sqs.rs", "Message"),
    ("state/stream_mapping.rs", "StreamRecord"),
    ("state/shutdown.rs", "ShutdownRecord"),
    ("logs.rs", "LogEntry"),
    ("metrics.rs", "Bucket"),
    ("state/stream_mapping.rs", "Discarded"),
    ("state/versions.rs", "AliasView"),
    ("state/versions.rs", "VersionView"),
    // arguments and results of a model's methods
    ("state/function.rs", "Ended"),
    ("state/versions.rs", "Snapshot"),
    ("environment.rs", "Begun"),
    ("state/versions.rs", "Target"),
    // the engine's own records of work in progress
    ("state/inflight.rs", "InFlight"),
    ("state/inflight.rs", "EnvScript"),
];

#[test]
fn the_models_keep_their_fields_to_themselves() {
    let files = sources();
    let mut found: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for f in model_files(&files) {
        for (name, open) in structs_and_open_fields(&code_of(&files[f])) {
            found.insert((f.clone(), name), open);
        }
    }
    let key = |(f, n): (&str, &str)| (f.to_string(), n.to_string());
    let values: BTreeSet<(String, String)> = VALUES.into_iter().map(key).collect();
    let models: BTreeSet<(String, String)> = MODELS.into_iter().map(key).collect();
    let mut wrong = Vec::new();
    for ((file, name), open) in &found {
        let k = (file.clone(), name.clone());
        if !open.is_empty() && !values.contains(&k) {
            wrong.push(format!(
                "{file}: {name} has fields others can reach ({}): make them private and give it \
                 methods that say what happened, or, if it is a value, add it to VALUES",
                open.join(", ")
            ));
        }
        if models.contains(&k) && values.contains(&k) {
            wrong.push(format!(
                "{file}: {name} is listed as a model and as a value"
            ));
        }
    }
    for k in models.iter().chain(&values) {
        if !found.contains_key(k) {
            wrong.push(format!(
                "{} is not declared in {} any more: update the lists",
                k.1, k.0
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_field_checker_sees_open_fields_of_named_structs_only() {
    let code = "pub struct Model { pub(crate) a: u32, b: Vec<(u8, u8)>, #[serde(default)] pub c: Option<Box<str>> }\n\
                pub struct Tuple(pub u32);\n\
                struct Private<T> where T: Copy { d: T, f: fn(u8) -> u8 }\n";
    assert_eq!(
        structs_and_open_fields(code),
        [
            ("Model".to_string(), vec!["a".to_string(), "c".to_string()]),
            ("Private".to_string(), vec![]),
        ]
    );
}

#[test]
fn the_checker_finds_a_circle_and_a_path_in_a_use_tree() {
    // The checker itself: a circle of three files is found, and nested use trees resolve.
    let mut files = BTreeMap::new();
    files.insert("a.rs".to_string(), "use crate::b::{X, c::Y};".to_string());
    files.insert("b.rs".to_string(), "pub struct X;".to_string());
    files.insert(
        "b/c.rs".to_string(),
        "fn f() { crate::a::g(); }".to_string(),
    );
    files.insert(
        "d.rs".to_string(),
        "// use crate::a::Z;\nconst S: &str = \"crate::a\";\nconst R: &str = r#\"{\"k\":\"crate::a\"}\"#;"
            .to_string(),
    );
    let g = graph(&files);
    assert_eq!(
        g["a.rs"],
        BTreeSet::from(["b.rs".to_string(), "b/c.rs".to_string()])
    );
    assert!(
        g["d.rs"].is_empty(),
        "comments and strings are not imports: {:?}",
        g["d.rs"]
    );
    assert_eq!(
        circles(&g),
        vec![vec!["a.rs".to_string(), "b/c.rs".to_string()]]
    );
}
