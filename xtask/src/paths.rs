//! Where things are in the workspace.

use std::path::PathBuf;

/// The workspace root (the folder holding the top `Cargo.toml`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in a folder of the workspace")
        .to_path_buf()
}

/// Cargo's target folder, honouring `CARGO_TARGET_DIR`.
pub fn target() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Project-local tools (mdbook, wasm-bindgen, wasm-opt) live here, so that a second run installs nothing.
pub fn tools() -> PathBuf {
    root().join("target").join("tools")
}

/// The mdBook source folder.
pub fn book() -> PathBuf {
    root().join("book")
}

/// The built static site, ready for any static host.
pub fn book_build() -> PathBuf {
    book().join("build")
}

/// Where the WASM bundles and their JS glue go, inside the book sources so mdBook copies them.
pub fn bundle_dir() -> PathBuf {
    book().join("src").join("course").join("pkg")
}

/// The `ralph` command of the Ralph LRS the browser tests start (a Python virtual environment
/// under target/tools, installed by `cargo xtask test` or `cargo xtask lrs`).
pub fn ralph() -> PathBuf {
    tools().join("ralph").join("bin").join("ralph")
}
