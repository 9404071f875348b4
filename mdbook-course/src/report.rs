//! Printing diagnostics for a person: at most [`PER_FILE`] errors and [`PER_FILE`] warnings of
//! each file, then one line counting the rest, so a broken generated file cannot bury the others.

use course_model::{Diagnostic, Severity};

/// How many errors (and, separately, warnings) of one file are printed.
pub const PER_FILE: usize = 50;

/// The lines to print for `diagnostics` of one severity, in their order: each diagnostic up to
/// [`PER_FILE`] per file, then per file with more "`file`: … and 4,321 more errors in this file".
pub fn capped(diagnostics: &[&Diagnostic], severity: Severity) -> Vec<String> {
    let mut lines = Vec::new();
    // (file, how many seen), in the order the files first appear.
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for d in diagnostics.iter().filter(|d| d.severity == severity) {
        let count = match seen.iter_mut().find(|(f, _)| *f == d.file) {
            Some((_, n)) => n,
            None => {
                seen.push((&d.file, 0));
                &mut seen.last_mut().expect("just pushed").1
            }
        };
        *count += 1;
        if *count <= PER_FILE {
            lines.push(d.to_string());
        }
    }
    let noun = match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    for (file, n) in seen {
        if n > PER_FILE {
            let rest = n - PER_FILE;
            let s = if rest == 1 { "" } else { "s" };
            lines.push(format!(
                "{file}: … and {} more {noun}{s} in this file",
                thousands(rest)
            ));
        }
    }
    lines
}

/// `4321` → `4,321`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: &str, line: usize, severity: Severity) -> Diagnostic {
        Diagnostic {
            severity,
            file: file.into(),
            line,
            col: 1,
            message: "bad".into(),
            hint: None,
        }
    }

    #[test]
    fn each_file_prints_its_first_errors_then_counts_the_rest() {
        let mut all: Vec<Diagnostic> = (1..=PER_FILE + 4321)
            .map(|l| at("a.toml", l, Severity::Error))
            .collect();
        all.push(at("b.toml", 1, Severity::Error));
        all.push(at("a.toml", 1, Severity::Warning));
        let refs: Vec<&Diagnostic> = all.iter().collect();
        let lines = capped(&refs, Severity::Error);
        assert_eq!(lines.len(), PER_FILE + 2);
        assert_eq!(lines[0], "a.toml:1:1: error: bad");
        assert_eq!(lines[PER_FILE], "b.toml:1:1: error: bad");
        assert_eq!(
            lines[PER_FILE + 1],
            "a.toml: … and 4,321 more errors in this file"
        );
        assert_eq!(capped(&refs, Severity::Warning).len(), 1);
    }

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
