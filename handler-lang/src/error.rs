//! Errors of the handler language: where they happened (line and column) and what they are.

use std::fmt;
use std::rc::Rc;

use super::pos::Pos;
use super::value::Value;

/// What went wrong.
#[derive(Debug, Clone)]
pub enum ErrorKind {
    /// The source does not parse (the message says what was expected).
    Syntax(String),
    /// An `import` statement: handlers have no modules (the module's name).
    Import(String),
    /// `throw value` (or an error a host function raised as a thrown value).
    Thrown(Value),
    /// A function that does not exist, or not for these argument types (its signature).
    FnNotFound(String),
    /// A variable that does not exist.
    VarNotFound(String),
    /// A type error, an arithmetic error, a bad index, assigning a constant...
    Runtime(String),
    /// The progress callback stopped the script (its deadline passed).
    Terminated,
    /// The script ran more operations than the limit allows.
    TooManyOperations,
    /// Calls nested deeper than the limit.
    StackOverflow,
    /// A string, array or map grew past its limit (which one).
    DataTooLarge(&'static str),
}

/// An error with its position and the script calls it unwound through.
#[derive(Debug, Clone)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where (the innermost position).
    pub pos: Pos,
    /// The script-function calls the error went through, outermost first: the called function's
    /// name (`None` for an anonymous closure) and the position of the call.
    pub calls: Vec<(Option<Rc<str>>, Pos)>,
}

impl Error {
    /// A new error at `pos`.
    pub fn new(kind: ErrorKind, pos: Pos) -> Self {
        Self {
            kind,
            pos,
            calls: Vec::new(),
        }
    }

    /// A syntax error at `pos`.
    pub fn syntax(msg: impl Into<String>, pos: Pos) -> Self {
        Self::new(ErrorKind::Syntax(msg.into()), pos)
    }

    /// A runtime error (type mismatch, bad index...) at `pos`.
    pub fn runtime(msg: impl Into<String>, pos: Pos) -> Self {
        Self::new(ErrorKind::Runtime(msg.into()), pos)
    }

    /// `throw value` at `pos`.
    pub fn thrown(v: Value, pos: Pos) -> Self {
        Self::new(ErrorKind::Thrown(v), pos)
    }

    /// True for the errors `try { } catch { }` can catch: not the limits, which must stop the
    /// script whatever it does.
    pub fn is_catchable(&self) -> bool {
        !matches!(
            self.kind,
            ErrorKind::Terminated
                | ErrorKind::TooManyOperations
                | ErrorKind::StackOverflow
                | ErrorKind::DataTooLarge(_)
                | ErrorKind::Syntax(_)
                | ErrorKind::Import(_)
        )
    }

    /// True when the error means the call ran out of time (the deadline or the operation cap).
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Terminated | ErrorKind::TooManyOperations
        )
    }

    /// The message without the position.
    pub fn message(&self) -> String {
        match &self.kind {
            ErrorKind::Syntax(m) => m.clone(),
            ErrorKind::Import(m) => format!("no module named '{m}'"),
            ErrorKind::Thrown(v) => v.text_lossy(64 * 1024),
            ErrorKind::FnNotFound(s) | ErrorKind::VarNotFound(s) => format!("{s} is not defined"),
            ErrorKind::Runtime(m) => m.clone(),
            ErrorKind::Terminated => "script terminated".into(),
            ErrorKind::TooManyOperations => "too many operations".into(),
            ErrorKind::StackOverflow => "stack overflow: calls nested too deeply".into(),
            ErrorKind::DataTooLarge(what) => format!("{what} too large"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.message(), self.pos.suffix())
    }
}

impl std::error::Error for Error {}
