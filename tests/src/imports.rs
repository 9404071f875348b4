//! The file-level import graph of a crate, read from its sources, and its circles: file A
//! depends on file B when A names an item of B through a `use crate::...` / `use super::...`
//! tree or a `crate::...` path written in place (after the crate root's re-exports). Comments,
//! string literals and unit-test modules (`#[cfg(test)] mod ...`) are left out; `mod x;`
//! declarations are not dependencies. The project's standard is "no import circles": the
//! workspace test `tests/tests/structure.rs` checks every crate with it, and lab-runtime's
//! `tests/structure.rs` includes this file (`#[path]`) for its own checks of the simulator.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `src` but the binaries and the crate root (`lib.rs`, `main.rs`), by
/// path relative to `src`.
pub fn sources(src: &Path) -> BTreeMap<String, String> {
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
                if rel != "lib.rs" && rel != "main.rs" && !rel.starts_with("bin/") {
                    out.insert(rel, std::fs::read_to_string(&path).expect("read source"));
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, src, &mut out);
    out
}

/// The source without comments, string literals and unit-test modules.
pub fn code_of(src: &str) -> String {
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
pub fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
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
pub fn file_of(path: &str, files: &BTreeMap<String, String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    (1..=parts.len()).rev().find_map(|k| {
        let base = parts[..k].join("/");
        [format!("{base}.rs"), format!("{base}/mod.rs")]
            .into_iter()
            .find(|c| files.contains_key(c))
    })
}

/// The crate root's re-exports (`pub use sim::{Progress, Simulation}`): name → module.
fn reexports(src: &Path) -> BTreeMap<String, String> {
    let lib = ["lib.rs", "main.rs"]
        .iter()
        .find_map(|root| std::fs::read_to_string(src.join(root)).ok())
        .unwrap_or_default();
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

/// Each file of the crate whose sources are `files` (from [`sources`] of `src`) and the files
/// it names.
pub fn graph(src: &Path, files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let reexp = reexports(src);
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
        // ... and `super::sender::Sender::new()`, from the parent module (`super::super::` from
        // its parent).
        let parent: Vec<&str> = {
            let mut dir: Vec<&str> = file.trim_end_matches(".rs").split('/').collect();
            dir.pop();
            if file.ends_with("mod.rs") {
                dir.pop();
            }
            dir
        };
        for (at, _) in code.match_indices("super::") {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue; // the second `super::` of `super::super::`, or part of a word
            }
            let mut rest = &code[at + "super::".len()..];
            let mut dir = parent.clone();
            while let Some(r) = rest.strip_prefix("super::") {
                dir.pop();
                rest = r;
            }
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            paths.push(join(&dir.join("::"), rest[..end].trim_end_matches(':')));
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
pub fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
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

/// The circles, each described by its edges: "3 files: a.rs -> b.rs, b.rs -> c.rs, c.rs -> a.rs".
pub fn describe(g: &BTreeMap<String, BTreeSet<String>>, found: &[Vec<String>]) -> Vec<String> {
    found
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
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_from_the_parent_module_written_in_place_is_an_import() {
        // `super::b::f()` in `m/a.rs` names `m/b.rs`; `super::super::c::C` names `c.rs`
        let mut files = BTreeMap::new();
        files.insert(
            "m/a.rs".to_string(),
            "fn g() { super::b::f(); let _ = super::super::c::C; }".to_string(),
        );
        files.insert(
            "m/b.rs".to_string(),
            "pub fn f() { super::a::g2() }".to_string(),
        );
        files.insert("c.rs".to_string(), "pub const C: u8 = 0;".to_string());
        let g = graph(Path::new("/nonexistent"), &files);
        assert_eq!(
            g["m/a.rs"],
            BTreeSet::from(["m/b.rs".to_string(), "c.rs".to_string()])
        );
        assert_eq!(
            circles(&g),
            vec![vec!["m/a.rs".to_string(), "m/b.rs".to_string()]]
        );
    }
}
