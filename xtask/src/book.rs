//! Building the preprocessor and the book.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use anyhow::Result;

use crate::cmd::{self, cargo};
use crate::paths;
use crate::tools::{self, Toolchain};
use crate::wasm;

/// Builds the `mdbook-course` preprocessor (debug profile: shares artefacts with `cargo test`).
pub fn build_preprocessor() -> Result<()> {
    cmd::step("Building the mdbook-course preprocessor");
    cmd::run(cargo().args(["build", "-p", "mdbook-course", "--bin", "mdbook-course"]))
}

/// A PATH with the freshly built preprocessor and the project's tools first, for running mdbook.
pub fn tool_path() -> OsString {
    let mut dirs: Vec<PathBuf> = vec![paths::target().join("debug"), paths::tools().join("bin")];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("paths hold no separator")
}

/// An `mdbook` command that finds our preprocessor.
pub fn mdbook(tools: &Toolchain) -> Command {
    let mut cmd = Command::new(&tools.mdbook);
    cmd.env("PATH", tool_path()).current_dir(paths::book());
    cmd
}

/// Runs `mdbook build` into `book/build`.
pub fn build_book(tools: &Toolchain) -> Result<()> {
    cmd::step("Building the book into book/build");
    cmd::run(mdbook(tools).arg("build"))
}

/// Everything: tools, bundles, preprocessor, book. Returns the toolchain for further steps.
pub fn build_site() -> Result<Toolchain> {
    let tools = tools::ensure()?;
    wasm::build(&tools)?;
    build_preprocessor()?;
    build_book(&tools)?;
    eprintln!("\nThe static site is in {}", paths::book_build().display());
    Ok(tools)
}
