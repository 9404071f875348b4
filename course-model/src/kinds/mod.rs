//! The type-specific keys of a native `[[question]]` and their checks, one reader per type.

mod arrange;
mod choice;
mod typed;

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use toml::Spanned;

use crate::quiz::QuestionKind;
use crate::reader::{Ctx, Table};

/// Keys every question type accepts.
pub(crate) const COMMON_KEYS: [&str; 11] = [
    "id",
    "type",
    "prompt",
    "code",
    "code_lang",
    "explanation",
    "hint",
    "objective",
    "pool",
    "lint_allow",
    "part",
];

/// The keys of each type, besides [`COMMON_KEYS`].
pub(crate) const KIND_KEYS: [(&str, &[&str]); 7] = [
    ("single", &["option", "shuffle_options"]),
    ("multiple", &["option", "partial_credit", "shuffle_options"]),
    ("true-false", &["answer", "why_true", "why_false"]),
    ("short", &["answers", "case_sensitive", "pattern", "input"]),
    ("numeric", &["answer", "tolerance", "min", "max", "unit"]),
    ("ordering", &["items", "partial_credit"]),
    ("matching", &["pair", "distractors", "partial_credit"]),
];

/// Every key allowed for `kind`.
pub(crate) fn allowed_keys(kind: &str) -> Vec<&'static str> {
    let own = KIND_KEYS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[][..], |(_, keys)| keys);
    COMMON_KEYS.iter().chain(own).copied().collect()
}

/// Every key any question type accepts.
pub(crate) fn all_keys() -> Vec<&'static str> {
    let mut keys: Vec<&str> = COMMON_KEYS.to_vec();
    for (_, own) in KIND_KEYS {
        keys.extend(own.iter().filter(|k| !keys.contains(k)).collect::<Vec<_>>());
    }
    keys
}

/// The hint for a key of other question types: which types it belongs to.
pub(crate) fn owner_of(key: &str) -> Option<String> {
    let owners: Vec<String> = KIND_KEYS
        .iter()
        .filter(|(_, keys)| keys.contains(&key))
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    (!owners.is_empty()).then(|| {
        format!(
            "`{key}` belongs to {} questions; remove it or change `type`",
            owners.join(" and ")
        )
    })
}

/// Reads the type-specific keys of a question whose `type` is `kind` (a known name).
pub(crate) fn read(cx: &mut Ctx<'_>, t: &Table<'_, '_>, kind: &str) -> Option<QuestionKind> {
    match kind {
        "single" | "multiple" => choice::read_choice(cx, t, kind == "single"),
        "true-false" => Some(QuestionKind::TrueFalse {
            answer: *t.req_bool(cx, "answer")?.get_ref(),
            why_true: t.str(cx, "why_true", false).map(Spanned::into_inner),
            why_false: t.str(cx, "why_false", false).map(Spanned::into_inner),
        }),
        "short" => typed::read_short(cx, t),
        "numeric" => typed::read_numeric(cx, t),
        "ordering" => arrange::read_ordering(cx, t),
        "matching" => arrange::read_matching(cx, t),
        _ => None,
    }
}

/// Markdown compared for duplicates: surrounding and repeated whitespace ignored.
pub(crate) fn same_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short quote of author text for messages.
pub(crate) fn quote(s: &str) -> String {
    let s = same_text(s);
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(39).collect::<String>())
    } else {
        s
    }
}

/// For each item equal to an earlier one, `(later, earliest)` indices. One hash lookup per item:
/// linear in the number of items (50,000 options compared pairwise took minutes).
pub(crate) fn duplicates(keys: &[String]) -> Vec<(usize, usize)> {
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        match first.entry(k) {
            Entry::Occupied(e) => out.push((i, *e.get())),
            Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    out
}

pub(crate) fn partial(cx: &mut Ctx<'_>, t: &Table<'_, '_>) -> bool {
    t.bool(cx, "partial_credit")
        .is_some_and(Spanned::into_inner)
}

pub(crate) fn non_empty(cx: &mut Ctx<'_>, s: &Spanned<String>, what: &str, hint: &str) -> bool {
    let ok = !s.get_ref().trim().is_empty();
    if !ok {
        cx.error(&s.span(), format!("{what} is empty"), hint);
    }
    ok
}
