//! Positions in the source: where a token, a node of the syntax tree or an error is.

/// A position in the source: 1-based line and column (in characters); `0` when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub col: u32,
}

impl Pos {
    /// No position (an error raised by a host function before it learns its call site).
    pub const NONE: Pos = Pos { line: 0, col: 0 };

    /// True when the position is known.
    pub fn is_some(self) -> bool {
        self.line > 0
    }

    /// ` (line L, column C)`, or nothing when unknown.
    pub fn suffix(self) -> String {
        if self.is_some() {
            format!(" (line {}, column {})", self.line, self.col)
        } else {
            String::new()
        }
    }
}
