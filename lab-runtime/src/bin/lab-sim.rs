//! `lab-sim`: runs a scenario headless and prints its report, or benchmarks the simulator.
//! A thin shell over `lab_runtime`: all the work is in the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use lab_runtime::bench::{standard_load_tests, LoadTest};
use lab_runtime::scenario::Scenario;

/// Runs a Lambda simulator scenario headless and prints its report, or benchmarks the simulator.
#[derive(Debug, Parser)]
#[command(
    name = "lab-sim",
    version,
    after_help = "Examples:
  lab-sim run content/scenarios/cold-vs-warm.toml
  lab-sim run content/scenarios/cold-vs-warm.toml --json --seed 7
  lab-sim bench --quick

Exit status: 0 ok, 1 the scenario has an error (printed as file:line:col), 2 usage error.
Guide: book/src/instructors/scenarios.md"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario: print its logs and a summary table, or the JSON report.
    #[command(after_help = "Examples:
  lab-sim run content/scenarios/cold-vs-warm.toml
  lab-sim run content/scenarios/cold-vs-warm.toml --json > report.json
  lab-sim run content/scenarios/cold-vs-warm.toml --seed 7")]
    Run {
        /// The scenario file (TOML, format_version = 1).
        file: PathBuf,
        /// Override the scenario's seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Print the JSON report (a stable interface) instead of logs and tables.
        #[arg(long)]
        json: bool,
    },
    /// Simulated invocations per second and peak memory of the standard load tests.
    #[command(after_help = "Examples:
  cargo run --release -p lab-runtime --bin lab-sim -- bench
  lab-sim bench --quick --only burst")]
    Bench {
        /// Smaller load tests, for a quick look.
        #[arg(long)]
        quick: bool,
        /// Only the load tests whose name contains this text.
        #[arg(long, value_name = "TEXT")]
        only: Option<String>,
    },
}

fn main() -> ExitCode {
    // Usage errors exit with 2 and `--help`/`--version` with 0, from clap.
    match Cli::parse().command {
        Command::Run { file, seed, json } => run(&file, seed, json),
        Command::Bench { quick, only } => bench(quick, only.as_deref()),
    }
}

fn run(file: &std::path::Path, seed: Option<u64>, json: bool) -> ExitCode {
    let shown = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{shown}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match Scenario::parse(&text).and_then(|s| s.run(&text, seed)) {
        Ok(report) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("report serialises")
                );
            } else {
                print!("{}", lab_runtime::report_text::render(&report));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", e.render(&shown));
            ExitCode::FAILURE
        }
    }
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU time of this process in seconds (Linux: /proc/self/schedstat), to measure under contention.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn bench(quick: bool, only: Option<&str>) -> ExitCode {
    println!(
        "{:<40} {:>11} {:>8} {:>8} {:>13} {:>13} {:>12}",
        "load test", "invocations", "wall s", "cpu s", "inv/s (wall)", "inv/s (cpu)", "peak RSS MB"
    );
    for t in standard_load_tests(quick)
        .into_iter()
        .filter(|t| only.is_none_or(|o| t.name.contains(o)))
    {
        let LoadTest { name, .. } = &t;
        let cpu0 = cpu_seconds();
        let start = Instant::now();
        let (sim, _) = t.run();
        let wall = start.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a).unwrap_or(wall);
        let n = sim.completed_invocations();
        let rss = peak_rss_mb()
            .map(|m| format!("{m:.1}"))
            .unwrap_or_else(|| "n/a".into());
        println!(
            "{name:<40} {n:>11} {wall:>8.3} {cpu:>8.3} {:>13.0} {:>13.0} {rss:>12}",
            n as f64 / wall,
            n as f64 / cpu
        );
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
