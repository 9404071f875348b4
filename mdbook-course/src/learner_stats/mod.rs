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

use anyhow::{bail, Context, Result};

/// The usage of the learner statistics.
pub const USAGE: &str = "\
mdbook-course stats --lrs URL [--auth USER:PASSWORD] [--since DATE] [--format text|json] [--html FILE]
mdbook-course stats --statements FILE [--format text|json] [--html FILE]
    Item analysis of the learners' xAPI records: per question attempts, facility, discrimination,
    option shares and mean time, with flags; per quiz reliability and the score distribution.
    URL is the LRS's xAPI endpoint (e.g. http://127.0.0.1:8100/xAPI/); the credential may also
    be given in COURSE_LRS_AUTH. FILE is a JSON array of statements or NDJSON.";

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

/// Whether `stats` was asked about learner records (else it prints content statistics).
pub fn wanted(args: &[String]) -> bool {
    args.iter().any(|a| a == "--lrs" || a == "--statements")
}

/// Reads the options; the error names the option and the fix.
pub fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .with_context(|| format!("`{a}` needs a value\n\n{USAGE}"))
        };
        match a.as_str() {
            "--lrs" => o.lrs = Some(value()?),
            "--auth" => o.auth = Some(value()?),
            "--since" => o.since = Some(value()?),
            "--statements" => o.statements = Some(value()?.into()),
            "--html" => o.html = Some(value()?.into()),
            "--format" => match value()?.as_str() {
                "json" => o.json = true,
                "text" => o.json = false,
                other => bail!("`--format {other}`: the formats are text and json"),
            },
            other => bail!("stats: unknown option `{other}`\n\n{USAGE}"),
        }
    }
    if o.lrs.is_some() == o.statements.is_some() {
        bail!("stats: give either --lrs URL or --statements FILE\n\n{USAGE}");
    }
    if o.auth.is_none() {
        o.auth = std::env::var("COURSE_LRS_AUTH").ok();
    }
    Ok(o)
}

/// Runs the command: reads the statements, prints the analysis, writes the HTML report.
pub fn run(args: &[String]) -> Result<bool> {
    let o = parse(args)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_are_read_and_mistakes_named() {
        let o = parse(&args(
            "--lrs http://x/xAPI/ --auth a:b --since 2026-12-01 --format json --html r.html",
        ))
        .unwrap();
        assert_eq!(o.lrs.as_deref(), Some("http://x/xAPI/"));
        assert_eq!(o.auth.as_deref(), Some("a:b"));
        assert!(o.json);
        assert!(parse(&args("--statements f --lrs u")).is_err());
        let e = parse(&args("--statements f --format xml")).unwrap_err();
        assert!(e.to_string().contains("text and json"), "{e}");
        assert!(parse(&args("--lrs"))
            .unwrap_err()
            .to_string()
            .contains("needs a value"));
        assert!(wanted(&args("--statements f")) && !wanted(&args("book")));
    }
}
