//! Building the browser bundles: cargo (wasm32, size profile) → wasm-bindgen → wasm-opt.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use xtask::size::Page;

use crate::cmd::{self, cargo};
use crate::paths;
use crate::tools::Toolchain;

/// Measured on the quiz bundle (gzip of the optimised WASM): `-Os` with these passes 179,422 B,
/// `-Oz` with them 179,584, plain `-Oz` 181,698, plain `-Os` 182,174. `-Oz` shrinks the raw
/// file more but compresses worse.
const WASM_OPT_PASSES: &[&str] = &[
    "-Os",
    "--converge",
    "--low-memory-unused",
    "--zero-filled-memory",
    "--strip-producers",
    "--strip-target-features",
];

const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-multivalue",
];

/// Builds both bundles into `book/src/course/pkg`: the quiz bundle (quiz pages) and the lab bundle
/// (lab pages; it adds the simulator). Unchanged bundles are not post-processed again.
pub fn build(tools: &Toolchain) -> Result<()> {
    for page in Page::ALL {
        build_one(tools, page.bundle(), page.features())?;
        build_one(
            tools,
            &page.bundle_with_records(),
            &page.features_with_records(),
        )?;
    }
    Ok(())
}

fn build_one(tools: &Toolchain, name: &str, features: &str) -> Result<()> {
    cmd::step(&format!("Building the {name} bundle (WASM)"));
    let mut build = cargo();
    build.args([
        "build",
        "-p",
        "quiz-app",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]);
    build.args(["--no-default-features", "--features", features]);
    cmd::run(&mut build)?;

    let input = paths::target()
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join("quiz_app.wasm");
    let out_dir = paths::bundle_dir();
    let stamp = paths::target()
        .join("wasm-stamps")
        .join(format!("{name}.wasm"));
    let outputs_exist = out_dir.join(format!("{name}_bg.wasm")).exists()
        && out_dir.join(format!("{name}.js")).exists();
    if outputs_exist && same_file_contents(&input, &stamp) {
        eprintln!("    {name}: unchanged, kept");
        return Ok(());
    }
    cmd::run(
        Command::new(&tools.wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                name,
                "--out-dir",
            ])
            .arg(&out_dir)
            .arg(&input),
    )?;
    let bg = out_dir.join(format!("{name}_bg.wasm"));
    match &tools.wasm_opt {
        Some(wasm_opt) => cmd::run(
            Command::new(wasm_opt)
                .args(WASM_OPT_PASSES)
                .args(WASM_OPT_FEATURES)
                .arg("-o")
                .arg(&bg)
                .arg(&bg),
        )?,
        None => {
            eprintln!("    {name}: wasm-opt is not installed, the bundle is not size-optimised")
        }
    }
    let js = out_dir.join(format!("{name}.js"));
    match &tools.terser {
        Some(terser) => cmd::run(
            Command::new(terser)
                .arg(&js)
                .args(["--module", "--compress", "--mangle", "-o"])
                .arg(&js),
        )?,
        None => eprintln!("    {name}: terser is not installed, the JS glue is not minified"),
    }
    std::fs::create_dir_all(stamp.parent().expect("stamp has a parent"))?;
    std::fs::copy(&input, &stamp).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(())
}

fn same_file_contents(a: &Path, b: &Path) -> bool {
    match (std::fs::read(a), std::fs::read(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
