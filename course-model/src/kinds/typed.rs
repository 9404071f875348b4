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
    for a in &answers {
        let n = a.get_ref().chars().count();
        if n > crate::grade::MAX_ANSWER_CHARS {
            cx.error(
                &a.span(),
                format!(
                    "this accepted answer is {n} characters long: a typed answer longer than {} is graded wrong",
                    crate::grade::MAX_ANSWER_CHARS
                ),
                "shorten it; a short answer is a word or a phrase",
            );
        }
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
        } else if let Some(construct) = backtracking_risk(p.get_ref()) {
            cx.error(
                &p.span(),
                format!("`pattern` repeats {construct}: the browser's RegExp backtracks, and a typed answer could freeze the page for minutes"),
                "repeat single characters or classes only, e.g. `(ab)+` or `[a-z]+`, not `(a+)+` or `(a|ab)*`; or list the accepted answers in `answers`",
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

/// A repeated group that can make a backtracking engine (the browser's `RegExp`, which grades
/// in the player) take exponential time: a group under `*`, `+` or `{n,}`/`{n,m}` that itself
/// holds a repetition or alternatives (`(a+)+`, `(a|ab)*`, `(\s*x)*`). `None` when every repeated
/// group is plain. Conservative: some such patterns are harmless, all are refused.
pub fn backtracking_risk(pattern: &str) -> Option<&'static str> {
    // per open group: (holds a repetition, holds `|`)
    let mut stack: Vec<(bool, bool)> = vec![(false, false)];
    let b = pattern.as_bytes();
    let mut i = 0;
    // what the previous atom was: a closed group's contents, or None for a plain atom
    let mut last_group: Option<(bool, bool)> = None;
    while i < b.len() {
        let c = b[i];
        let repeat = match c {
            b'*' | b'+' => Some(true),
            b'?' => Some(false),
            b'{' => {
                // `{n}` or `{0,1}` repeat at most once more: bounded; anything else is unbounded
                let end = b[i..].iter().position(|&x| x == b'}').map(|e| i + e);
                let body = end.map(|e| &pattern[i + 1..e]).unwrap_or("");
                let bounded = !body.contains(',') || body == "0,1" || body == "1,1";
                Some(!bounded)
            }
            _ => None,
        };
        if let Some(unbounded) = repeat {
            if let Some(top) = stack.last_mut() {
                top.0 |= unbounded;
            }
            if unbounded {
                if let Some((rep, alt)) = last_group {
                    if rep {
                        return Some("a group that holds a repetition");
                    }
                    if alt {
                        return Some("a group of alternatives");
                    }
                }
            }
            if c == b'{' {
                i = b[i..]
                    .iter()
                    .position(|&x| x == b'}')
                    .map_or(b.len(), |e| i + e);
            }
            // a lazy or possessive suffix (`+?`) belongs to the same repetition
            last_group = None;
            i += 1;
            continue;
        }
        last_group = None;
        match c {
            b'\\' => i += 1,
            b'[' => {
                // a class: its characters are literal; `]` right after `[` or `[^` is one of them
                let mut j = i + 1;
                if b.get(j) == Some(&b'^') {
                    j += 1;
                }
                if b.get(j) == Some(&b']') {
                    j += 1;
                }
                while j < b.len() && b[j] != b']' {
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                i = j;
            }
            b'(' => stack.push((false, false)),
            b')' if stack.len() > 1 => {
                let inner = stack.pop().unwrap_or_default();
                if let Some(top) = stack.last_mut() {
                    top.0 |= inner.0;
                }
                last_group = Some(inner);
            }
            b'|' => {
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
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
