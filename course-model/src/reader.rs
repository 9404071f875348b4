//! Typed reads from toml's spanned value tree, collecting every problem as a [`Diagnostic`].
//!
//! Serde would stop at the first error and cannot suggest keys; walking the tree ourselves lets a
//! file report all its problems at once, each at the exact key or value.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::suggest::closest;

/// Where diagnostics go while one file is read.
pub(crate) struct Ctx<'s> {
    pub file: &'s str,
    pub source: &'s str,
    pub diagnostics: Vec<Diagnostic>,
    /// Line starts of `source`, computed once: positions are found by binary search.
    pub lines: LineIndex<'s>,
}

impl<'s> Ctx<'s> {
    pub fn new(file: &'s str, source: &'s str) -> Self {
        Ctx {
            file,
            source,
            diagnostics: Vec::new(),
            lines: LineIndex::new(source),
        }
    }

    pub fn error(
        &mut self,
        span: &Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = Diagnostic::error_in(self.file, &self.lines, span.start, message);
        self.diagnostics.push(d.with_hint(hint));
    }

    pub fn warning(
        &mut self,
        span: &Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = Diagnostic::warning_in(self.file, &self.lines, span.start, message);
        self.diagnostics.push(d.with_hint(hint));
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The 1-based line of a byte offset, for "first at line N" hints.
    pub fn line_of(&self, span: &Range<usize>) -> usize {
        self.lines.line_col(span.start).0
    }
}

/// What a value must be, for "must be …, found …" messages.
#[derive(Clone, Copy)]
pub(crate) enum Expect {
    Str,
    Bool,
    Int,
    Number,
    StrArray,
    Table,
    TableArray,
}

impl Expect {
    fn describe(self) -> &'static str {
        match self {
            Expect::Str => "a string",
            Expect::Bool => "a boolean",
            Expect::Int => "a whole number",
            Expect::Number => "a number",
            Expect::StrArray => "an array of strings",
            Expect::Table => "a table",
            Expect::TableArray => "an array of tables",
        }
    }

    fn example(self, key: &str) -> String {
        match self {
            Expect::Str => format!("write `{key} = \"...\"`, with quotes"),
            Expect::Bool => format!("write `{key} = true` or `{key} = false`, without quotes"),
            Expect::Int => format!("write a whole number without quotes, e.g. `{key} = 3`"),
            Expect::Number => format!("write a number without quotes, e.g. `{key} = 2.5`"),
            Expect::StrArray => format!("write `{key} = [\"...\", \"...\"]`"),
            Expect::Table => format!("write `{key}.<field> = ...` or a `[{key}]` section"),
            Expect::TableArray => {
                let header = if key == "option" || key == "pair" {
                    format!("question.{key}")
                } else {
                    key.to_owned()
                };
                format!("write each entry as a `[[{header}]]` section")
            }
        }
    }
}

/// "a string", "an integer": what a TOML value is, for messages.
pub(crate) fn found(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A table being read, with the span to point at when one of its keys is missing.
#[derive(Clone)]
pub(crate) struct Table<'a, 'i> {
    pub map: &'a DeTable<'i>,
    pub span: Range<usize>,
    /// "question `q1`", "an option", "the quiz": names the table in messages.
    pub what: String,
}

/// For a key that belongs elsewhere (another question type), the hint of a "does not apply"
/// message; `None` reports it as an unknown key.
pub(crate) type Elsewhere<'f> = &'f dyn Fn(&str) -> Option<String>;

impl<'a, 'i> Table<'a, 'i> {
    pub fn entry(&self, key: &str) -> Option<(Range<usize>, &'a Spanned<DeValue<'i>>)> {
        let (k, v) = self.map.iter().find(|(k, _)| k.get_ref() == key)?;
        Some((k.span(), v))
    }

    pub fn has(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// True unless `key` holds something other than an array (already reported as a type error).
    pub fn is_array_or_missing(&self, key: &str) -> bool {
        self.entry(key)
            .is_none_or(|(_, v)| v.get_ref().as_array().is_some())
    }

    /// Reports every key not in `allowed`: as not applying here when `elsewhere` has a hint for
    /// it, otherwise as unknown with the closest allowed key.
    pub fn check_keys(&self, cx: &mut Ctx<'_>, allowed: &[&str], elsewhere: Elsewhere<'_>) {
        let mut keys: Vec<_> = self.map.iter().map(|(k, _)| k).collect();
        keys.sort_by_key(|k| k.span().start);
        for key in keys {
            let name = key.get_ref().as_ref();
            if allowed.contains(&name) {
                continue;
            }
            if let Some(hint) = elsewhere(name) {
                cx.error(
                    &key.span(),
                    format!("`{name}` does not apply to {}", self.what),
                    hint,
                );
                continue;
            }
            let hint = match closest(name, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("keys allowed here: {}", tick_list(allowed)),
            };
            cx.error(
                &key.span(),
                format!("unknown key `{name}` in {}", self.what),
                hint,
            );
        }
    }

    fn typed<T>(
        &self,
        cx: &mut Ctx<'_>,
        key: &str,
        required: bool,
        expect: Expect,
        convert: impl FnOnce(&'a DeValue<'i>) -> Option<T>,
    ) -> Option<Spanned<T>> {
        let Some((_, value)) = self.entry(key) else {
            if required {
                cx.error(
                    &self.span,
                    format!("missing required key `{key}` in {}", self.what),
                    format!("add it: {}", expect.example(key)),
                );
            }
            return None;
        };
        match convert(value.get_ref()) {
            Some(v) => Some(Spanned::new(value.span(), v)),
            None => {
                let message = format!(
                    "`{key}` must be {}, found {}",
                    expect.describe(),
                    found(value.get_ref())
                );
                cx.error(&value.span(), message, expect.example(key));
                None
            }
        }
    }

    pub fn str(&self, cx: &mut Ctx<'_>, key: &str, required: bool) -> Option<Spanned<String>> {
        self.typed(cx, key, required, Expect::Str, |v| {
            v.as_str().map(str::to_owned)
        })
    }

    pub fn bool(&self, cx: &mut Ctx<'_>, key: &str) -> Option<Spanned<bool>> {
        self.typed(cx, key, false, Expect::Bool, DeValue::as_bool)
    }

    pub fn req_bool(&self, cx: &mut Ctx<'_>, key: &str) -> Option<Spanned<bool>> {
        self.typed(cx, key, true, Expect::Bool, DeValue::as_bool)
    }

    pub fn int(&self, cx: &mut Ctx<'_>, key: &str) -> Option<Spanned<i64>> {
        self.typed(cx, key, false, Expect::Int, |v| {
            let i = v.as_integer()?;
            i64::from_str_radix(i.as_str(), i.radix()).ok()
        })
    }

    /// An integer or a float; infinities and NaN are reported as not finite.
    pub fn number(&self, cx: &mut Ctx<'_>, key: &str) -> Option<Spanned<f64>> {
        let n = self.typed(cx, key, false, Expect::Number, |v| match v {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|i| i as f64),
            DeValue::Float(f) => f.as_str().parse().ok(),
            _ => None,
        })?;
        if n.get_ref().is_finite() {
            Some(n)
        } else {
            cx.error(
                &n.span(),
                format!("`{key}` must be a finite number"),
                Expect::Number.example(key),
            );
            None
        }
    }

    pub fn str_array(
        &self,
        cx: &mut Ctx<'_>,
        key: &str,
        required: bool,
    ) -> Option<Vec<Spanned<String>>> {
        let items = self.typed(cx, key, required, Expect::StrArray, DeValue::as_array)?;
        let mut out = Vec::new();
        for item in items.get_ref().iter() {
            match item.get_ref().as_str() {
                Some(s) => out.push(Spanned::new(item.span(), s.to_owned())),
                None => cx.error(
                    &item.span(),
                    format!(
                        "items of `{key}` must be strings, found {}",
                        found(item.get_ref())
                    ),
                    "put each item in quotes",
                ),
            }
        }
        Some(out)
    }

    pub fn table(
        &self,
        cx: &mut Ctx<'_>,
        key: &str,
        required: bool,
    ) -> Option<Spanned<&'a DeTable<'i>>> {
        self.typed(cx, key, required, Expect::Table, DeValue::as_table)
    }

    /// The tables of an array of tables (`[[question.option]]`), each with its span.
    pub fn tables(&self, cx: &mut Ctx<'_>, key: &str) -> Vec<(&'a DeTable<'i>, Range<usize>)> {
        let Some(items) = self.typed(cx, key, false, Expect::TableArray, DeValue::as_array) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.into_inner().iter() {
            match item.get_ref().as_table() {
                Some(t) => out.push((t, item.span())),
                None => cx.error(
                    &item.span(),
                    format!(
                        "entries of `{key}` must be tables, found {}",
                        found(item.get_ref())
                    ),
                    Expect::TableArray.example(key),
                ),
            }
        }
        out
    }
}

/// "`a`, `b`, `c`": a list of names for hints.
pub(crate) fn tick_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An enumerated string value (`layout`, `input`): unknown values get a did-you-mean.
pub(crate) fn one_of<T: Copy>(
    cx: &mut Ctx<'_>,
    key: &str,
    value: &Spanned<String>,
    names: &[(&'static str, T)],
) -> Option<T> {
    if let Some((_, v)) = names.iter().find(|(n, _)| *n == value.get_ref()) {
        return Some(*v);
    }
    let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
    let hint = match closest(value.get_ref(), all.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Allowed: {}", tick_list(&all)),
        None => format!("allowed: {}", tick_list(&all)),
    };
    cx.error(
        &value.span(),
        format!("unknown {key} `{}`", value.get_ref()),
        hint,
    );
    None
}
