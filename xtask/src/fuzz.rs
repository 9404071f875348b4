//! `cargo xtask fuzz`: the property tests that generate inputs with extreme values (quiz files,
//! scenario files, handler scripts), with many more cases than `cargo xtask test` runs. Each
//! case must not panic, must end within its work budget, and every refusal must name a place
//! inside the file.

use anyhow::{bail, Context, Result};

use crate::cmd::{self, cargo};

/// The generated-input tests: (package, test target, test name filter).
const SUITES: &[(&str, &str, &str)] = &[
    (
        "course-model",
        "generated_quizzes",
        "generated_quizzes_never_panic",
    ),
    (
        "lab-runtime",
        "generated_scenarios",
        "generated_scenarios_never_panic",
    ),
    ("handler-lang", "--lib", "never_panics"),
];

/// Runs every suite with `--cases N` (default 2,000) from `--seed S` (default 17).
pub fn run(args: &[String]) -> Result<()> {
    let mut cases = 2000u64;
    let mut seed = 17u64;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |what: &str| -> Result<u64> {
            it.next()
                .with_context(|| format!("{a} needs a number"))?
                .parse()
                .with_context(|| format!("{a}: {what} must be a whole number"))
        };
        match a.as_str() {
            "--cases" => cases = value("the case count")?,
            "--seed" => seed = value("the seed")?,
            other => bail!("unknown option {other} (expected --cases N or --seed S)"),
        }
    }
    for (package, target, filter) in SUITES {
        cmd::step(&format!(
            "{package} {target}: {cases} cases from seed {seed}"
        ));
        let mut c = cargo();
        c.args(["test", "--release", "-p", package]);
        if *target == "--lib" {
            c.arg("--lib");
        } else {
            c.args(["--test", target]);
        }
        c.args(["--", filter])
            .env("PROPTEST_CASES", cases.to_string())
            .env("PROPTEST_RNG_SEED", seed.to_string());
        cmd::run(&mut c)?;
    }
    Ok(())
}
