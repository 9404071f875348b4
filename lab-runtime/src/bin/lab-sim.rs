//! `lab-sim`: runs a scenario headless and prints its report, or benchmarks the simulator.
//! A thin shell over `lab_runtime`: all the work is in the library.

use std::process::ExitCode;
use std::time::Instant;

use lab_runtime::bench::{standard_load_tests, LoadTest};
use lab_runtime::scenario::Scenario;

const USAGE: &str = "usage:
  lab-sim run FILE.toml [--seed N] [--json]   run a scenario, print logs and a summary (or the JSON report)
  lab-sim bench [--quick] [--only TEXT]       simulated invocations per second and peak memory";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("bench") => {
            let only = args
                .iter()
                .position(|a| a == "--only")
                .and_then(|i| args.get(i + 1))
                .cloned();
            bench(args.iter().any(|a| a == "--quick"), only.as_deref())
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut seed = None;
    let mut json = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--seed" => match it.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = Some(s),
                None => {
                    eprintln!("--seed needs a number\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            f if file.is_none() => file = Some(f.to_string()),
            other => {
                eprintln!("unexpected argument {other}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
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
            eprintln!("{}", e.render(&file));
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
