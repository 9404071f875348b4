//! `mdbook-course stats --lrs URL [--auth user:pass] [--since DATE]` or
//! `stats --statements FILE`: item analysis of the learners' xAPI records for the instructor.
//! `--format json` prints JSON; `--html FILE` also writes an HTML report with small charts.
//!
//! [`records`] reads statements, [`analysis`] computes the figures, [`report`] prints them.

pub mod analysis;
pub mod records;
pub mod report;
pub mod source;

use std::path::PathBuf;

use anyhow::{Context, Result};

/// What the command was asked.
#[derive(Debug, Default, PartialEq)]
pub struct Options {
    /// The LRS's xAPI endpoint.
    pub lrs: Option<String>,
    /// `user:password` to read with.
    pub auth: Option<String>,
    /// Only statements stored since then.
    pub since: Option<String>,
    /// An exported file instead.
    pub statements: Option<PathBuf>,
    /// Print JSON instead of the text table.
    pub json: bool,
    /// Also write the HTML report here.
    pub html: Option<PathBuf>,
}

/// Runs the command with options already read (by the command line's `stats` arguments).
pub fn run_with(o: &Options) -> Result<bool> {
    let statements = match (&o.lrs, &o.statements) {
        (Some(url), _) => source::from_lrs(url, o.auth.as_deref(), o.since.as_deref())?,
        (_, Some(file)) => source::from_file(file)?,
        _ => unreachable!("parse requires one"),
    };
    let analysis = analysis::analyse(&records::read(&statements), statements.len());
    if o.json {
        println!("{}", report::json(&analysis));
    } else {
        print!("{}", report::text(&analysis));
    }
    if let Some(path) = &o.html {
        std::fs::write(path, report::html(&analysis))
            .with_context(|| format!("writing the HTML report {}", path.display()))?;
        eprintln!("HTML report written to {}", path.display());
    }
    Ok(true)
}
