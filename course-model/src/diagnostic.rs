//! Diagnostics that point at a place in an author's file and say how to fix it.

use std::fmt;

use serde::Serialize;

/// How bad a diagnostic is: errors fail the build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be published as it is.
    Error,
    /// The file works, but something is probably unintended (a question without an explanation).
    Warning,
}

/// One problem in one file, with its 1-based line and column.
///
/// Serialises to JSON as-is for editors (`mdbook-course check --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Whether the problem fails the build.
    pub severity: Severity,
    /// The file as the author would type it (relative to where they run the command).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a byte offset of `source`, converted to line and column.
    pub fn error_at(file: &str, source: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(source, offset);
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line,
            col,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at a byte offset of `source`: printed, but the build goes on.
    pub fn warning_at(file: &str, source: &str, offset: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error_at(file, source, offset, message)
        }
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same diagnostic with a hint saying how to fix it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Converts a byte offset into a 1-based (line, column) pair; columns count characters.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {kind}: {}",
            self.file, self.line, self.col, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_line_and_column() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 3));
    }

    #[test]
    fn display_is_file_line_col_then_help() {
        let d = Diagnostic::error_at("q.toml", "x\ny", 2, "bad").with_hint("fix it");
        assert_eq!(d.to_string(), "q.toml:2:1: error: bad\n  help: fix it");
    }
}
