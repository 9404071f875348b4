//! Reading a quiz file: TOML text in, a [`Quiz`] and every problem found out.
//!
//! Both formats go through here: the native one (`[[question]]`) and mdbook-quiz's
//! (`[[questions]]`), told apart by their keys.

use toml::de::DeTable;

use crate::compat_mdbook_quiz;
use crate::diagnostic::Diagnostic;
use crate::native;
use crate::quiz::Quiz;
use crate::reader::Ctx;
use crate::syntax_place::{self, MAX_KEY_SEGMENTS};

/// The outcome of reading one file: the quiz if it has no errors, and every diagnostic (errors
/// and warnings), sorted by position.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedQuiz {
    /// `Some` exactly when no diagnostic is an error.
    pub quiz: Option<Quiz>,
    /// Errors and warnings, by line and column.
    pub diagnostics: Vec<Diagnostic>,
}

/// Which format a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// This project's format: quiz keys at the top, `[[question]]` sections.
    Native,
    /// mdbook-quiz's format: only `[[questions]]` (and `[multipart]`).
    MdbookQuiz,
}

/// Parses and validates the quiz in `source`; `file` names it in diagnostics. Warnings are
/// dropped on success (see [`parse_quiz_file`] to get them); on failure all diagnostics are
/// returned. An mdbook-quiz file gets its quiz id from the file name.
pub fn parse_quiz(file: &str, source: &str) -> Result<Quiz, Vec<Diagnostic>> {
    let parsed = parse_quiz_file(file, file_stem(file), source);
    parsed.quiz.ok_or(parsed.diagnostics)
}

/// Parses and validates the quiz in `source`, keeping warnings. `default_id` is the quiz id for
/// formats that have none (mdbook-quiz); it also prefixes ids derived for questions without one.
pub fn parse_quiz_file(file: &str, default_id: &str, source: &str) -> ParsedQuiz {
    let mut cx = Ctx::new(file, source);
    let (root, errors) = DeTable::parse_recoverable(source);
    let mut deep_keys = syntax_place::deep_keys(source).into_iter();
    for e in &errors {
        let message = e.message().trim();
        let (span, message, hint) = match e.span() {
            // toml names no place for a key nested too deep.
            None if message == "recursion limit" => {
                let at = deep_keys.next().unwrap_or(0);
                (
                    at..at,
                    format!("TOML syntax: this key has more than {MAX_KEY_SEGMENTS} dotted parts (recursion limit)"),
                    "quiz keys have at most two parts (`[[question.option]]`); write the key with fewer dots".to_owned(),
                )
            }
            span => {
                let span = span.unwrap_or(0..0);
                match syntax_place::unclosed_string_opening(source, &span, message) {
                    Some(opening) => {
                        let delimiter = &source[opening.clone()];
                        (
                            opening,
                            format!("TOML syntax: this `{delimiter}` string is never closed (the file ends inside it)"),
                            format!("close it with `{delimiter}` where the text ends; everything after it was read as text"),
                        )
                    }
                    None => (
                        span,
                        format!("TOML syntax: {message}"),
                        syntax_hint(message).to_owned(),
                    ),
                }
            }
        };
        cx.error(&span, message, hint);
    }
    let quiz = if errors.is_empty() {
        let root = root.get_ref();
        match detect_format(root) {
            Format::Native => native::read_quiz(&mut cx, root),
            Format::MdbookQuiz => compat_mdbook_quiz::read_quiz(&mut cx, root, default_id),
        }
    } else {
        None
    };
    let mut diagnostics = cx.diagnostics;
    diagnostics.sort_by_key(|d| (d.line, d.col));
    let quiz = quiz.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    ParsedQuiz { quiz, diagnostics }
}

/// mdbook-quiz files have `questions` and none of our quiz keys.
pub(crate) fn detect_format(root: &DeTable<'_>) -> Format {
    let has = |key: &str| root.iter().any(|(k, _)| k.get_ref() == key);
    if has("questions") && !has("question") && !has("id") && !has("title") {
        Format::MdbookQuiz
    } else {
        Format::Native
    }
}

/// The file name without directories and extension: `ch02/invocation.toml` → `invocation`.
pub fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.')
        .map_or(name, |(stem, _)| if stem.is_empty() { name } else { stem })
}

fn syntax_hint(message: &str) -> &'static str {
    if message.contains("duplicate key") {
        "a key may appear only once per table; remove or rename one"
    } else if message.contains("string") && message.contains("expected `\"`") {
        "close the string with `\"`; for text over several lines use `\"\"\"...\"\"\"`"
    } else if message.contains("must be quoted") {
        "put text values in quotes: `key = \"text\"`"
    } else if message.contains("recurse") {
        "arrays and inline tables nest at most 80 deep here; a quiz needs two levels at most"
    } else if message.contains("array") {
        "separate array items with commas and close the array with `]`"
    } else {
        "fix the TOML syntax here; the quiz itself is checked once the file parses"
    }
}
