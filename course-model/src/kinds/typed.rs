//! `short` and `numeric`: answers the learner types.

use toml::Spanned;

use super::{duplicates, non_empty, quote};
use crate::grade::{normalize_answer, pattern_regex};
use crate::quiz::{InputKind, QuestionKind};
use crate::reader::{one_of, Ctx, Table};

pub(super) fn read_short(cx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Option<QuestionKind> {
    let answers = t.str_array(cx, "answers", false).unwrap_or_default();
    let case_sensitive = t
        .bool(cx, "case_sensitive")
        .is_some_and(Spanned::into_inner);
    let pattern = t.str(cx, "pattern", false);
    let input = t
        .str(cx, "input", false)
        .and_then(|v| one_of(cx, "input", &v, &InputKind::NAMES));
    if answers.is_empty() && pattern.is_none() {
        cx.error(
            &t.span,
            "a `short` question needs `answers` or a `pattern`",
            "add `answers = [\"...\"]` listing every accepted answer",
        );
    }
    for a in &answers {
        non_empty(
            cx,
            a,
            "an accepted answer",
            "remove it, or write the answer",
        );
    }
    let normalized: Vec<String> = answers
        .iter()
        .map(|a| normalize_answer(a.get_ref(), case_sensitive))
        .collect();
    for (later, first) in duplicates(&normalized) {
        let spacing = if case_sensitive {
            "extra spaces"
        } else {
            "case and extra spaces"
        };
        cx.warning(
            &answers[later].span(),
            format!(
                "accepted answer `{}` repeats `{}`",
                quote(answers[later].get_ref()),
                quote(answers[first].get_ref())
            ),
            format!("answers are compared ignoring {spacing}; remove one"),
        );
    }
    if let Some(p) = &pattern {
        if let Err(e) = pattern_regex(p.get_ref(), case_sensitive) {
            let first = e
                .to_string()
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_owned();
            cx.error(
                &p.span(),
                format!("`pattern` is not a valid regular expression: {first}"),
                "use regex-lite syntax (like Rust's `regex`), e.g. `pattern = '''\\d+\\s*ms'''`; it must match the whole answer",
            );
        } else if let Some(construct) = browser_unsupported(p.get_ref()) {
            cx.error(
                &p.span(),
                format!("`pattern` uses {construct}, which browsers' regular expressions do not support"),
                "the player matches with the browser's RegExp: use `case_sensitive` instead of inline flags and plain `(...)` groups; no anchors are needed (the pattern must match the whole answer)",
            );
        }
    }
    Some(QuestionKind::Short {
        answers: answers.into_iter().map(Spanned::into_inner).collect(),
        case_sensitive,
        pattern: pattern.map(Spanned::into_inner),
        input: input.unwrap_or_default(),
    })
}

pub(super) fn read_numeric(cx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Option<QuestionKind> {
    let answer = t.number(cx, "answer");
    let tolerance = t.number(cx, "tolerance");
    let min = t.number(cx, "min");
    let max = t.number(cx, "max");
    let unit = t.str(cx, "unit", false).map(Spanned::into_inner);
    let (has_min, has_max) = (t.has("min"), t.has("max"));
    if let Some(tol) = &tolerance {
        if *tol.get_ref() < 0.0 {
            cx.error(
                &tol.span(),
                "`tolerance` must not be negative",
                "write the accepted distance from `answer` as a positive number",
            );
        }
        if has_min || has_max {
            cx.error(
                &tol.span(),
                "`tolerance` cannot be combined with `min`/`max`",
                "use either `answer` with `tolerance`, or a range with `min` and `max`",
            );
        }
    }
    match (&min, &max) {
        (Some(lo), None) if !has_max => {
            cx.error(
                &lo.span(),
                "`min` needs `max` too",
                "give both ends of the accepted range",
            );
        }
        (None, Some(hi)) if !has_min => {
            cx.error(
                &hi.span(),
                "`max` needs `min` too",
                "give both ends of the accepted range",
            );
        }
        (Some(lo), Some(hi)) if lo.get_ref() > hi.get_ref() => {
            cx.error(
                &lo.span(),
                format!(
                    "`min` ({}) is greater than `max` ({})",
                    lo.get_ref(),
                    hi.get_ref()
                ),
                "swap the two values",
            );
        }
        (Some(lo), Some(hi)) => {
            if let Some(a) = answer
                .as_ref()
                .filter(|a| a.get_ref() < lo.get_ref() || a.get_ref() > hi.get_ref())
            {
                cx.error(
                    &a.span(),
                    format!(
                        "`answer` ({}) is outside `min`..`max` ({} to {})",
                        a.get_ref(),
                        lo.get_ref(),
                        hi.get_ref()
                    ),
                    "the answer shown in review must itself be accepted; fix `answer` or the range",
                );
            }
        }
        _ => {}
    }
    if !t.has("answer") && !has_min && !has_max {
        cx.error(
            &t.span,
            "a `numeric` question needs `answer`, or `min` and `max`",
            "write `answer = 42` (optionally with `tolerance = 0.5`), or `min = 40` and `max = 44`",
        );
    }
    Some(QuestionKind::Numeric {
        answer: answer.map(Spanned::into_inner),
        tolerance: tolerance.map(Spanned::into_inner),
        min: min.map(Spanned::into_inner),
        max: max.map(Spanned::into_inner),
        unit,
    })
}

/// The first construct in `pattern` that regex-lite accepts but JavaScript's `RegExp` (which
/// grades in the browser) does not: inline flags, `(?P<name>...)` groups, `\A` / `\z` anchors.
pub fn browser_unsupported(pattern: &str) -> Option<&'static str> {
    let b = pattern.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1), b.get(i + 2), b.get(i + 3)) {
            (b'\\', Some(b'A' | b'z' | b'Z'), _, _) => return Some("a `\\A` or `\\z` anchor"),
            (b'\\', _, _, _) => i += 1,
            (b'(', Some(b'?'), Some(b':' | b'=' | b'!'), _) => {}
            (b'(', Some(b'?'), Some(b'<'), Some(b'=' | b'!')) => {}
            (b'(', Some(b'?'), Some(b'P'), _) => return Some("a `(?P<name>...)` group"),
            (b'(', Some(b'?'), Some(b'<'), _) => {}
            (b'(', Some(b'?'), _, _) => return Some("an inline flag such as `(?i)`"),
            _ => {}
        }
        i += 1;
    }
    None
}
