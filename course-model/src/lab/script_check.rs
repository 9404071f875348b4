//! Checking a handler script before it is deployed, so the editor can show the error at its line.

use std::cell::RefCell;
use std::rc::Rc;

use lab_runtime::host::HostState;
use lab_runtime::script::ScriptEngine;

/// A syntax error in a handler script, at a 1-based line and column (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptProblem {
    /// Line.
    pub line: usize,
    /// Column.
    pub col: usize,
    /// The message, as `Runtime.UserCodeSyntaxError` would carry it.
    pub message: String,
}

/// Compiles `source` with the simulator's script engine; `Err` says where it does not parse.
pub fn check_script(source: &str) -> Result<(), ScriptProblem> {
    let engine = ScriptEngine::new(Rc::new(RefCell::new(HostState::default())), 100);
    match engine.compile(source) {
        Ok(_) => Ok(()),
        Err(e) => {
            let (line, col) = position(&e.error_message);
            Err(ScriptProblem {
                line,
                col,
                message: e.error_message,
            })
        }
    }
}

/// `(line L, column C)` in an error message.
pub fn position(message: &str) -> (usize, usize) {
    let num = |key: &str| {
        message.rfind(key).and_then(|i| {
            message[i + key.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        })
    };
    (num("line ").unwrap_or(0), num("column ").unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_is_reported_at_its_line_and_column() {
        let e = check_script("let a = 1;\nlet b = ;\n|e, c| a").unwrap_err();
        assert_eq!(e.line, 2, "{}", e.message);
        assert!(e.col > 0);
        assert!(check_script("let a = 1;\n|e, c| a").is_ok());
    }
}
