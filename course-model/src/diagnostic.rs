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
        Diagnostic::error_in(file, &LineIndex::new(source), offset, message)
    }

    /// An error at a byte offset of the file `lines` indexes: for the many diagnostics of one file.
    pub fn error_in(
        file: &str,
        lines: &LineIndex<'_>,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = lines.line_col(offset);
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

    /// A warning at a byte offset of the file `lines` indexes.
    pub fn warning_in(
        file: &str,
        lines: &LineIndex<'_>,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error_in(file, lines, offset, message)
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
///
/// Scans `source` up to `offset`: for many positions in one file, build a [`LineIndex`] once.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(offset)
}

/// Where each line of a file starts, computed once per file so that every position is found by
/// binary search, and how many characters precede every [`CHUNK`] bytes, so that a column is
/// counted over at most [`CHUNK`] bytes even on a line of megabytes. Without it, a file with
/// many diagnostics is quadratic.
pub struct LineIndex<'s> {
    source: &'s str,
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
    /// `chars[k]`: the number of characters in the first `k * CHUNK` bytes.
    chars: Vec<usize>,
}

/// The bytes between two character counts a [`LineIndex`] keeps.
pub const CHUNK: usize = 256;

impl<'s> LineIndex<'s> {
    /// Indexes the lines of `source` in one pass.
    pub fn new(source: &'s str) -> Self {
        let mut starts = vec![0];
        let mut chars = Vec::with_capacity(source.len() / CHUNK + 1);
        let mut count = 0;
        for (i, b) in source.bytes().enumerate() {
            if i % CHUNK == 0 {
                chars.push(count);
            }
            count += usize::from(is_char_start(b));
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        // The count at the end, for an offset at the end of a file of whole chunks.
        chars.push(count);
        LineIndex {
            source,
            starts,
            chars,
        }
    }

    /// The number of characters before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        let before = self.chars[chunk];
        let from = chunk * CHUNK;
        let rest = &self.source.as_bytes()[from..offset];
        before + rest.iter().filter(|&&b| is_char_start(b)).count()
    }

    /// The 1-based (line, column) of a byte offset (clamped to the file; an offset inside a
    /// character counts as that character).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = self.chars_before(offset) - self.chars_before(self.starts[line]);
        (line + 1, col + 1)
    }

    /// The number of lines (a file ending in a newline has an empty last line).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }
}

/// Characters begin at every byte that is not a UTF-8 continuation byte.
fn is_char_start(b: u8) -> bool {
    (b & 0xC0) != 0x80
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
        assert_eq!(line_col(src, 100), (3, 1));
    }

    #[test]
    fn the_index_agrees_with_a_scan_from_the_start_at_every_offset() {
        let src = format!("a = 1\nbé = \"ü\"\r\n\n\n{}last", "é🦀x".repeat(300));
        let src = src.as_str();
        let index = LineIndex::new(src);
        for offset in (0..=src.len()).filter(|&o| src.is_char_boundary(o)) {
            let before = &src[..offset];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let col = before[start..].chars().count() + 1;
            assert_eq!(index.line_col(offset), (line, col), "offset {offset}");
        }
        assert_eq!(index.lines(), 5);
        let whole = "é".repeat(CHUNK);
        assert_eq!(LineIndex::new(&whole).line_col(whole.len()), (1, CHUNK + 1));
    }

    #[test]
    fn display_is_file_line_col_then_help() {
        let d = Diagnostic::error_at("q.toml", "x\ny", 2, "bad").with_hint("fix it");
        assert_eq!(d.to_string(), "q.toml:2:1: error: bad\n  help: fix it");
    }
}
