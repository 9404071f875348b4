//! Path helpers that work on the path's text alone, never the file system.

use std::path::{Component, Path, PathBuf};

/// Resolves `.` and `..` without touching the file system (the file may not exist).
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
