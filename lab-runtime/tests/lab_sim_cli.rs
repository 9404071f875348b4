//! The `lab-sim` command line: help with examples, version, and usage errors that exit with 2
//! and suggest the right flag. Runs the real binary.

use std::process::Command;

fn lab_sim(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lab-sim"))
        .args(args)
        .output()
        .expect("lab-sim runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_on_every_subcommand_has_examples() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["run", "--help"],
        &["run", "-h"],
        &["bench", "--help"],
        &["help", "run"],
    ] {
        let (code, out, err) = lab_sim(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("Usage: lab-sim"), "{args:?}:\n{out}");
        assert!(out.contains("Examples:"), "{args:?}:\n{out}");
    }
    let (_, out, _) = lab_sim(&["--help"]);
    assert!(out.contains("0 ok, 1 the scenario has an error"), "{out}");
}

#[test]
fn version_prints_the_crate_version() {
    let (code, out, _) = lab_sim(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("lab-sim {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_with_2_and_suggest_the_right_spelling() {
    let (code, _, err) = lab_sim(&["run", "x.toml", "--jsn"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("similar argument exists: '--json'"), "{err}");
    let (code, _, err) = lab_sim(&["benhc"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("similar subcommand exists: 'bench'"), "{err}");
    let (code, _, err) = lab_sim(&["run", "x.toml", "--seed", "seven"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("invalid value 'seven'"), "{err}");
    let (code, _, err) = lab_sim(&[]);
    assert_eq!(code, 2, "no subcommand: {err}");
    assert!(err.contains("Usage: lab-sim"), "{err}");
}

#[test]
fn a_missing_scenario_file_exits_with_1() {
    let (code, _, err) = lab_sim(&["run", "no-such-scenario.toml"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("no-such-scenario.toml: "), "{err}");
}
