//! The simulator's speed in wasm32 under Node: V8 is the engine Chromium runs the lab bundle on,
//! so this is the simulator's share of a browser load test (the console's rendering is not in it).

use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::cmd::{self, cargo};
use crate::paths;

/// The Node script: times each load test and prints one line per test.
const TIMER_JS: &str = r#"
const [wasmPath, ...tests] = process.argv.slice(1);
const m = new WebAssembly.Module(require('fs').readFileSync(wasmPath));
const sim = new WebAssembly.Instance(m, {}).exports;
for (const t of tests) {
  const [kind, n] = t.split(':').map(Number);
  const start = performance.now();
  const done = Number(sim.load_test(kind, BigInt(n)));
  const secs = (performance.now() - start) / 1000;
  console.log(`${kind === 0 ? 'profile' : 'script'} ${n} ${done} ${secs.toFixed(3)}`);
}
"#;

/// Builds the simulator's wasm32 module (the same one the cross-target test uses) and times the
/// standard load tests in it: 1M profile-mode invocations and 200k script invocations (1/100 of
/// each with `quick`).
pub fn run(quick: bool) -> Result<()> {
    if cmd::output(Command::new("node").arg("--version")).is_none() {
        eprintln!("    node is not installed: skipped (apt-get install -y nodejs)");
        return Ok(());
    }
    let target_dir = paths::root().join("target").join("lab-wasm-digest");
    cmd::run(
        cargo()
            .args([
                "build",
                "--release",
                "-p",
                "lab-runtime",
                "--example",
                "wasm_digest",
            ])
            .args(["--target", "wasm32-unknown-unknown", "--target-dir"])
            .arg(&target_dir),
    )?;
    let wasm = target_dir.join("wasm32-unknown-unknown/release/examples/wasm_digest.wasm");
    let k = if quick { 100 } else { 1 };
    let tests = [(0, 1_000_000 / k), (1, 200_000 / k)];
    let out = Command::new("node")
        .arg("-e")
        .arg(TIMER_JS)
        .arg(&wasm)
        .args(tests.iter().map(|(kind, n)| format!("{kind}:{n}")))
        .output()
        .context("could not start node")?;
    if !out.status.success() {
        bail!(
            "the wasm32 load tests failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!(
        "{:<40} {:>11} {:>8} {:>13}",
        "load test (wasm32, Node)", "completed", "wall s", "inv/s (wall)"
    );
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let [kind, asked, done, secs] = f[..] else {
            bail!("unexpected line from the wasm32 load test: {line}");
        };
        let secs: f64 = secs.parse().context("seconds")?;
        let done: u64 = done.parse().context("invocations")?;
        if done == 0 {
            bail!("the wasm32 {kind} load test completed no invocation of {asked}");
        }
        println!(
            "{:<40} {done:>11} {secs:>8.3} {:>13.0}",
            format!("{kind}, {asked} inv"),
            done as f64 / secs
        );
    }
    Ok(())
}
