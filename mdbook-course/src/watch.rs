//! `mdbook-course check --watch`: checks, then checks again each time a quiz, lab, scenario or
//! chapter under the given paths changes, until interrupted.
//!
//! Changes come from the operating system's file events (the `notify` crate: inotify on Linux),
//! not from polling, so an idle watch costs no CPU and a save is seen at once; bursts of events
//! (an editor's write-then-rename) are gathered for [`SETTLE`] and checked once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};

use crate::check::{check_paths, print, BookConfig};
use crate::cli::{CheckArgs, Format};

/// How long events are gathered after the first one before checking again.
pub const SETTLE: Duration = Duration::from_millis(150);

/// What is watched: folders (recursively or not), and the files among the events that matter.
struct Plan {
    /// (folder, recursive).
    folders: Vec<(PathBuf, bool)>,
    /// Single files given on the command line (their folder is watched: editors often replace
    /// a file by renaming a new one over it, which ends a watch on the file itself).
    files: BTreeSet<PathBuf>,
}

impl Plan {
    fn new(paths: &[PathBuf]) -> Result<Self> {
        let mut folders = Vec::new();
        let mut files = BTreeSet::new();
        for path in paths {
            let abs = std::path::absolute(path)?;
            if abs.is_dir() {
                folders.push((abs.clone(), true));
                if let Ok(config) = BookConfig::load(&abs) {
                    for dir in config.roots().folders() {
                        if dir.is_dir() && !dir.starts_with(&abs) {
                            folders.push((dir.to_path_buf(), true));
                        }
                    }
                }
            } else {
                let dir = abs
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                folders.push((dir, false));
                files.insert(abs);
            }
        }
        folders.sort();
        folders.dedup();
        Ok(Plan { folders, files })
    }

    /// Whether a change to `path` calls for a new check: a file given on the command line, or a
    /// `.toml` or `.md` file in a watched book (not the built site, which mdBook rewrites).
    fn matters(&self, path: &Path) -> bool {
        if self.files.contains(path) {
            return true;
        }
        let content = path.extension().is_some_and(|e| e == "toml" || e == "md");
        content
            && self.folders.iter().any(|(dir, recursive)| {
                *recursive
                    && path.starts_with(dir)
                    && !path.components().any(|c| c.as_os_str() == "build")
            })
    }
}

/// Checks `paths`, then again after every change, until interrupted; returns only on an error
/// setting up the watch.
pub fn run(args: &CheckArgs, paths: &[PathBuf]) -> Result<bool> {
    let plan = Plan::new(paths)?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("starting the file watcher")?;
    for (dir, recursive) in &plan.folders {
        let mode = if *recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        watcher
            .watch(dir, mode)
            .with_context(|| format!("watching {}", dir.display()))?;
    }
    loop {
        match check_paths(paths, args.fix_ids) {
            Ok(diagnostics) => {
                print(&diagnostics, args.format, true);
            }
            Err(e) => eprintln!("mdbook-course: error: {e:#}"),
        }
        if args.format == Format::Text {
            eprintln!("watching for changes (Ctrl-C to stop)");
        }
        // Wait for a change that matters, then let the burst settle.
        let mut changed: Option<PathBuf> = None;
        while changed.is_none() {
            let event = rx.recv().context("the file watcher stopped")?;
            changed = relevant(&plan, event);
        }
        while let Ok(event) = rx.recv_timeout(SETTLE) {
            let _ = relevant(&plan, event);
        }
        if args.format == Format::Text {
            if let Some(path) = changed {
                eprintln!("\n{} changed: checking again", path.display());
            }
        }
    }
}

fn relevant(plan: &Plan, event: notify::Result<notify::Event>) -> Option<PathBuf> {
    let event = event.ok()?;
    if event.kind.is_access() {
        return None;
    }
    event.paths.into_iter().find(|p| plan.matters(p))
}
