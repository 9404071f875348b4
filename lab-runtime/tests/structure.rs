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
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/` but the binaries and the crate root, by path relative to `src/`.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("read src/") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel != "lib.rs" && !rel.starts_with("bin/") {
                    out.insert(rel, std::fs::read_to_string(&path).expect("read source"));
                }
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The source without comments, string literals and unit-test modules.
fn code_of(src: &str) -> String {
    let body = match src.find("#[cfg(test)]\nmod ") {
        Some(i) => &src[..i],
        None => src,
    };
    let mut out = String::with_capacity(body.len());
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            i += 2;
            while i + 1 < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i..].starts_with(b"r#\"") || b[i..].starts_with(b"r\"") {
            // A raw string: up to the quote followed by as many hashes as opened it.
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            i += 2 + hashes;
            while i < b.len() && !b[i..].starts_with(&close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if b[i] == b'"' && (i == 0 || b[i - 1] != b'\'') {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// The paths a `use` tree names: `a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim_end_matches("::").trim();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let prefix = join(prefix, head);
        let (mut depth, mut start) = (0, 0);
        for (k, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..k], &prefix, out);
                    start = k + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], &prefix, out);
    } else if !tree.is_empty() {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        out.push(join(prefix, path));
    }
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}::{b}"),
    }
}

/// The file a module path (`state::versions::Target`) lives in: the longest prefix that is a file.
fn file_of(path: &str, files: &BTreeMap<String, String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    (1..=parts.len()).rev().find_map(|k| {
        let base = parts[..k].join("/");
        [format!("{base}.rs"), format!("{base}/mod.rs")]
            .into_iter()
            .find(|c| files.contains_key(c))
    })
}

/// The crate root's re-exports (`pub use sim::{Progress, Simulation}`): name → module.
fn reexports() -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    let mut out = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(tree) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let mut paths = Vec::new();
        expand(tree, "", &mut paths);
        for p in paths {
            if let Some((module, name)) = p.rsplit_once("::") {
                out.insert(name.to_string(), module.to_string());
            }
        }
    }
    out
}

/// Each file and the files it names.
fn graph(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let reexp = reexports();
    let mut g = BTreeMap::new();
    for (file, src) in files {
        let code = code_of(src);
        let mut paths = Vec::new();
        // `use crate::...;` and `use super::...;` trees.
        for stmt in code.split(';') {
            let s = stmt.trim_start();
            let s = s
                .strip_prefix("pub(crate) ")
                .or(s.strip_prefix("pub "))
                .unwrap_or(s);
            let Some(tree) = s.strip_prefix("use ") else {
                continue;
            };
            if let Some(rest) = tree.trim().strip_prefix("crate::") {
                expand(rest, "", &mut paths);
            } else if let Some(rest) = tree.trim().strip_prefix("super::") {
                let mut dir: Vec<&str> = file.split('/').collect();
                dir.pop();
                if file.ends_with("mod.rs") {
                    dir.pop();
                }
                expand(rest, &dir.join("::"), &mut paths);
            }
        }
        // Paths written in place: `crate::state::versions::Target::LATEST`.
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            paths.push(rest[..end].trim_end_matches(':').to_string());
        }
        let mut deps = BTreeSet::new();
        for p in paths {
            let p = match reexp.get(&p) {
                Some(module) => format!("{module}::{p}"),
                None => p,
            };
            if let Some(target) = file_of(&p, files) {
                if &target != file {
                    deps.insert(target);
                }
            }
        }
        g.insert(file.clone(), deps);
    }
    g
}

/// The strongly connected components of more than one file (Tarjan's algorithm).
fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in &t.g[v] {
            if !t.index.contains_key(w.as_str()) {
                visit(t, w);
                let lw = t.low[w.as_str()];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w.as_str()) {
                let iw = t.index[w.as_str()];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[test]
fn no_file_of_the_crate_imports_itself_back_through_others() {
    let files = sources();
    let g = graph(&files);
    let found = circles(&g);
    let described: Vec<String> = found
        .iter()
        .map(|c| {
            let edges: Vec<String> = c
                .iter()
                .flat_map(|f| {
                    g[f].iter()
                        .filter(|d| c.contains(d))
                        .map(move |d| format!("{f} -> {d}"))
                })
                .collect();
            format!("{} files: {}", c.len(), edges.join(", "))
        })
        .collect();
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
