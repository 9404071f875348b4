//! Running external commands with a visible trace and errors that say what failed.

use std::ffi::OsStr;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// A step title, printed so that a long run reads as a list of what happened.
pub fn step(title: &str) {
    eprintln!("\n==> {title}");
}

/// Runs `cmd` with inherited output; fails naming the command when it exits non-zero.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("    $ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs `cmd` quietly and returns its stdout, or `None` when it cannot start or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `cargo` as the one that runs us (so the toolchain matches).
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}
