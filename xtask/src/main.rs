//! `cargo xtask`: the developer commands. One place that knows the toolchain.
//!
//! - `cargo xtask serve [--port N]`: installs what is missing, builds everything, serves the book on
//!   127.0.0.1:3000 with live reload.
//! - `cargo xtask build`: the static site in `book/build`.
//! - `cargo xtask test`: formatting, clippy, every test, the book build and the browser tests.
//! - `cargo xtask size`: raw and gzip sizes of what a quiz page and a lab page load.
//! - `cargo xtask bench`: the simulator's speed and memory.
//! - `cargo xtask fuzz [--cases N] [--seed S]`: the property tests that generate quizzes,
//!   scenarios and handler scripts with extreme values, run longer than `cargo xtask test` does.

use std::process::ExitCode;

use anyhow::{bail, Result};

mod book;
mod cmd;
mod fuzz;
mod serve;
mod test;
mod tools;
mod wasm;
mod wasm_bench;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve [--port N]   build everything and serve the book on 127.0.0.1:3000 (default) with live reload
  build              build the static site into book/build
  test               run the whole test suite: fmt, clippy, unit, book build, browser tests
  lrs                install the Ralph LRS (PyPI) into target/tools/ralph for the xAPI browser tests
  size               print raw and gzip sizes of the WASM and JS a quiz page and a lab page load
  bench [--quick]    simulator speed and memory: `lab-sim bench` (release), the wasm32 build
                     under Node, then the criterion benches
  fuzz [--cases N] [--seed S]
                     the generated-input property tests (quizzes, scenarios, scripts) with N cases
                     each (default 2000) from seed S (default 17), in release";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some(command) = args.first() else {
        println!("{USAGE}");
        return Ok(());
    };
    let rest = &args[1..];
    match command.as_str() {
        "serve" => serve::run(parse_port(rest)?),
        "build" => book::build_site().map(|_| ()),
        "test" => test::run(),
        "lrs" => tools::ensure_ralph().map(|_| ()),
        "size" => {
            let site = paths::book_build();
            if !site.join("index.html").exists() {
                bail!(
                    "{} has no built book: run `cargo xtask build` first",
                    site.display()
                );
            }
            print!("{}", xtask::size::report(&site)?);
            Ok(())
        }
        "bench" => bench(rest),
        "fuzz" => fuzz::run(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// Simulated invocations per second and peak memory (`lab-sim bench`), the same load tests in
/// wasm32 under Node, then `cargo bench`.
fn bench(args: &[String]) -> Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    cmd::step("lab-sim bench (release build)");
    let mut sim = cmd::cargo();
    sim.args([
        "run",
        "--release",
        "-p",
        "lab-runtime",
        "--bin",
        "lab-sim",
        "--",
        "bench",
    ]);
    if quick {
        sim.arg("--quick");
    }
    cmd::run(&mut sim)?;
    cmd::step("the simulator in wasm32 under Node (V8, the engine Chromium uses)");
    wasm_bench::run(quick)?;
    cmd::step("first quiz control visible (headless Chromium, built book, median of 7 loads)");
    book::build_site()?;
    let (chromium, chromedriver) = tools::ensure_chromium()?;
    cmd::run(
        cmd::cargo()
            .args(["run", "-p", "e2e", "--bin", "first-control"])
            .env("COURSE_CHROMIUM", chromium)
            .env("COURSE_CHROMEDRIVER", chromedriver),
    )?;
    if !quick {
        cmd::step("criterion benches (cargo bench -p lab-runtime)");
        cmd::run(cmd::cargo().args(["bench", "-p", "lab-runtime"]))?;
    }
    Ok(())
}

fn parse_port(args: &[String]) -> Result<u16> {
    match args {
        [] => Ok(3000),
        [flag, n] if flag == "--port" => n
            .parse()
            .map_err(|_| anyhow::anyhow!("--port takes a number from 1 to 65535, not `{n}`")),
        _ => bail!("usage: cargo xtask serve [--port N]"),
    }
}

use xtask::paths;
