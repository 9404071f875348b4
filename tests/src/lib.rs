//! The end-to-end harness: the built book (`book/build`) served from an in-process static server,
//! driven in a real headless Chromium through ChromeDriver and the fantoccini WebDriver client.
//!
//! Each test runs inside [`browser_test`], which starts everything, fails the test if the browser
//! console shows an error, saves a screenshot and the console log under `target/e2e-artifacts/` when
//! the test fails, and stops every process it started whatever happens.

mod browser;
pub mod imports;
pub mod labs;
pub mod lrs;
pub mod quizzes;
mod server;
pub mod themes;

pub use browser::{browser_test, Page};
pub use server::StaticServer;

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    xtask::paths::root()
}

/// The built book (`COURSE_SITE` names another built site, e.g. an older build to compare
/// with); the harness builds nothing itself.
pub fn book_build() -> PathBuf {
    let dir = std::env::var_os("COURSE_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(xtask::paths::book_build);
    assert!(
        dir.join("index.html").exists(),
        "{} holds no built book: run `cargo xtask build` (or `cargo xtask test`, which builds it) first",
        dir.display()
    );
    dir
}
