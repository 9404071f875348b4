//! `cargo xtask serve`: build everything, serve the book with live reload, rebuild on Rust changes.
//!
//! mdBook's own server reloads the page when `book/src`, `book.toml` or `content/` (an
//! `extra-watch-dirs` entry) change. This loop adds what mdBook cannot know: when Rust sources change,
//! it rebuilds the WASM bundles (written into `book/src/course/pkg`, which mdBook then picks up) or the
//! preprocessor (then it touches `book.toml` so mdBook rebuilds with the new one).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};

use crate::book;
use crate::cmd;
use crate::paths;
use crate::wasm;

/// Builds everything and serves the book on 127.0.0.1:`port` until interrupted.
pub fn run(port: u16) -> Result<()> {
    let tools = book::build_site()?;
    cmd::step(&format!("Serving the book on http://127.0.0.1:{port}"));
    eprintln!("    live reload watches book/, content/ and the Rust sources; Ctrl-C stops");
    let mut server = book::mdbook(&tools)
        .args(["serve", "-n", "127.0.0.1", "-p", &port.to_string()])
        .spawn()
        .context("could not start `mdbook serve`")?;

    let root = paths::root();
    let app_sources = ["course-model", "lab-runtime", "quiz-app"].map(|c| root.join(c));
    let preprocessor_sources = ["course-model", "mdbook-course"].map(|c| root.join(c));
    let mut app_seen = fingerprint(&app_sources);
    let mut pre_seen = fingerprint(&preprocessor_sources);
    loop {
        std::thread::sleep(Duration::from_millis(800));
        if let Some(status) = server.try_wait()? {
            anyhow::bail!(
                "`mdbook serve` stopped ({status}); is port {port} in use? Try `cargo xtask serve --port 3001`"
            );
        }
        let app_now = fingerprint(&app_sources);
        if app_now != app_seen {
            app_seen = app_now;
            if let Err(e) = wasm::build(&tools) {
                eprintln!(
                    "xtask: the bundles did not build, the page keeps the last good ones: {e:#}"
                );
            }
        }
        let pre_now = fingerprint(&preprocessor_sources);
        if pre_now != pre_seen {
            pre_seen = pre_now;
            match book::build_preprocessor() {
                Ok(()) => touch(&paths::book().join("book.toml")),
                Err(e) => eprintln!("xtask: the preprocessor did not build: {e:#}"),
            }
        }
    }
}

/// The newest modification time and the file count under `dirs`: changes when a file is saved,
/// added or removed.
fn fingerprint(dirs: &[PathBuf]) -> (Option<SystemTime>, usize) {
    let mut newest = None;
    let mut count = 0;
    for dir in dirs {
        walk(dir, &mut |p| {
            count += 1;
            if let Ok(t) = p.metadata().and_then(|m| m.modified()) {
                newest = newest.max(Some(t));
            }
        });
    }
    (newest, count)
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, f);
        } else {
            f(&path);
        }
    }
}

fn touch(path: &Path) {
    if let Ok(file) = std::fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}
