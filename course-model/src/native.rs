//! The native quiz format: quiz keys, `[parts]` and the keys every `[[question]]` shares.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::DeTable;
use toml::Spanned;

use crate::id::check_id;
use crate::kinds;
use crate::quiz::{Layout, Part, Question, QuestionKind, Quiz};
use crate::reader::{found, one_of, Ctx, Table};
use crate::suggest::closest;

/// The keys of the quiz itself (the top of the file).
pub(crate) const QUIZ_KEYS: [&str; 9] = [
    "id",
    "title",
    "pass_mark",
    "layout",
    "shuffle_options",
    "shuffle_questions",
    "draw",
    "parts",
    "question",
];

/// Reads a native quiz; `None` when an error was reported.
pub(crate) fn read_quiz(cx: &mut Ctx<'_>, root: &DeTable<'_>) -> Option<Quiz> {
    let top = Table {
        map: root,
        span: 0..0,
        what: "the quiz".into(),
    };
    top.check_keys(cx, &QUIZ_KEYS, &|key| {
        (key == "questions").then(|| {
            "`[[questions]]` is mdbook-quiz's format, which has no `id` or `title`; here write `[[question]]`".into()
        })
    });
    let id = top.str(cx, "id", true);
    if let Some(id) = &id {
        check_id(cx, "quiz id", id.get_ref(), &id.span());
    }
    let title = top.str(cx, "title", true);
    let pass_mark = top.int(cx, "pass_mark").and_then(|p| {
        let v = *p.get_ref();
        let ok = (0..=100).contains(&v);
        if !ok {
            cx.error(
                &p.span(),
                format!("`pass_mark` must be between 0 and 100, found {v}"),
                "it is the percentage of the total score needed to pass",
            );
        }
        ok.then_some(v as u8)
    });
    let layout = top
        .str(cx, "layout", false)
        .and_then(|v| one_of(cx, "layout", &v, &Layout::NAMES));
    let shuffle_options = top
        .bool(cx, "shuffle_options")
        .is_none_or(Spanned::into_inner);
    let shuffle_questions = top
        .bool(cx, "shuffle_questions")
        .is_some_and(Spanned::into_inner);
    let draw = top.int(cx, "draw");
    let parts = read_parts(cx, &top, "parts");

    let mut questions = Vec::new();
    let mut ids: Vec<(String, Range<usize>)> = Vec::new();
    let tables = top.tables(cx, "question");
    for (map, span) in &tables {
        // Ids are collected even from questions with errors, so duplicates show up at once.
        if let Some(id) = string_entry(map, "id") {
            ids.push(id);
        }
        if let Some(q) = read_question(cx, map, span, &parts) {
            questions.push(q);
        }
    }
    report_duplicate_ids(cx, &ids);
    if tables.is_empty() && top.is_array_or_missing("question") {
        cx.error(
            &(0..0),
            "the quiz has no questions",
            "add at least one `[[question]]` section",
        );
    }
    if let Some(d) = &draw {
        let n = *d.get_ref();
        if n < 1 {
            cx.error(
                &d.span(),
                format!("`draw` must be at least 1, found {n}"),
                "remove `draw` to ask every question",
            );
        } else if n as usize > tables.len() && !tables.is_empty() {
            cx.error(
                &d.span(),
                format!(
                    "`draw = {n}` but the quiz has only {}",
                    plural(tables.len(), "question")
                ),
                format!(
                    "lower `draw` to at most {}, or add questions to the pool",
                    tables.len()
                ),
            );
        }
    }
    if cx.has_errors() {
        return None;
    }
    Some(Quiz {
        id: id?.into_inner(),
        title: title?.into_inner(),
        pass_mark: pass_mark.unwrap_or(70),
        layout: layout.unwrap_or_default(),
        shuffle_options,
        shuffle_questions,
        draw: draw.map(|d| *d.get_ref() as usize),
        questions,
    })
}

/// A table of named Markdown contexts (`[parts]`, mdbook-quiz's `[multipart]`).
pub(crate) fn read_parts(
    cx: &mut Ctx<'_>,
    top: &Table<'_, '_>,
    key: &str,
) -> BTreeMap<String, String> {
    let mut parts = BTreeMap::new();
    let Some(table) = top.table(cx, key, false) else {
        return parts;
    };
    for (name, value) in table.get_ref().iter() {
        match value.get_ref().as_str() {
            Some(text) => {
                parts.insert(name.get_ref().to_string(), text.to_owned());
            }
            None => cx.error(
                &value.span(),
                format!(
                    "part `{}` must be a string (Markdown), found {}",
                    name.get_ref(),
                    found(value.get_ref())
                ),
                format!("write `{} = \"...\"` under `[{key}]`", name.get_ref()),
            ),
        }
    }
    parts
}

/// Resolves a question's reference to a part, reporting unknown names.
pub(crate) fn resolve_part(
    cx: &mut Ctx<'_>,
    name: Option<Spanned<String>>,
    parts: &BTreeMap<String, String>,
    key: &str,
) -> Option<Part> {
    let name = name?;
    if let Some(context) = parts.get(name.get_ref()) {
        return Some(Part {
            name: name.into_inner(),
            context: context.clone(),
        });
    }
    let hint = match closest(name.get_ref(), parts.keys().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("define it under `[{key}]`: `{} = \"...\"`", name.get_ref()),
    };
    cx.error(
        &name.span(),
        format!(
            "unknown part `{}`: `[{key}]` does not define it",
            name.get_ref()
        ),
        hint,
    );
    None
}

/// Reports every question id already used earlier in the same file.
pub(crate) fn report_duplicate_ids(cx: &mut Ctx<'_>, ids: &[(String, Range<usize>)]) {
    let keys: Vec<String> = ids.iter().map(|(id, _)| id.clone()).collect();
    for (later, first) in kinds::duplicates(&keys) {
        let line = cx.line_of(&ids[first].1);
        cx.error(
            &ids[later].1,
            format!("duplicate question id `{}`", ids[later].0),
            format!("first used at line {line}; ids must be unique across the whole book"),
        );
    }
}

fn read_question(
    cx: &mut Ctx<'_>,
    map: &DeTable<'_>,
    span: &Range<usize>,
    parts: &BTreeMap<String, String>,
) -> Option<Question> {
    let t = Table {
        map,
        span: span.clone(),
        what: "a question".into(),
    };
    let id = t.str(cx, "id", true);
    if let Some(id) = &id {
        check_id(cx, "question id", id.get_ref(), &id.span());
    }
    let names: Vec<(&str, &str)> = QuestionKind::NAMES.iter().map(|n| (*n, *n)).collect();
    let kind = t
        .str(cx, "type", true)
        .and_then(|v| one_of(cx, "question type", &v, &names));
    match kind {
        Some(k) => {
            let what = format!("a `{k}` question");
            Table { what, ..t.clone() }
                .check_keys(cx, &kinds::allowed_keys(k), &|key| kinds::owner_of(key))
        }
        None => t.check_keys(cx, &kinds::all_keys(), &|_| None),
    }
    let prompt = t.str(cx, "prompt", true);
    if let Some(p) = &prompt {
        if p.get_ref().trim().is_empty() {
            cx.error(
                &p.span(),
                "`prompt` is empty",
                "write the question the learner must answer",
            );
        }
    }
    let code = t.str(cx, "code", false).map(Spanned::into_inner);
    let code_lang = t.str(cx, "code_lang", false);
    if let (Some(lang), None) = (&code_lang, &code) {
        cx.warning(
            &lang.span(),
            "`code_lang` has no effect without `code`",
            "add `code = '''...'''`, or remove `code_lang`",
        );
    }
    let explanation = t.str(cx, "explanation", false).map(Spanned::into_inner);
    if explanation.is_none() {
        let who = id.as_ref().map_or("a question".to_owned(), |i| {
            format!("question `{}`", i.get_ref())
        });
        cx.warning(
            span,
            format!("{who} has no `explanation`"),
            "add `explanation = \"...\"`: learners see it after checking, right or wrong",
        );
    }
    let hint = t.str(cx, "hint", false).map(Spanned::into_inner);
    let objective = t.str(cx, "objective", false).map(Spanned::into_inner);
    let pool = t.str(cx, "pool", false).map(Spanned::into_inner);
    for name in t.str_array(cx, "lint_allow", false).unwrap_or_default() {
        if !crate::lint::NAMES.contains(&name.get_ref().as_str()) {
            cx.error(
                &name.span(),
                format!("unknown lint `{}` in `lint_allow`", name.get_ref()),
                format!(
                    "the lints are {}",
                    crate::reader::tick_list(&crate::lint::NAMES)
                ),
            );
        }
    }
    let part = t.str(cx, "part", false);
    let part = resolve_part(cx, part, parts, "parts");
    let shuffle_options = t.bool(cx, "shuffle_options").map(Spanned::into_inner);
    let kind = kinds::read(cx, &t, kind?)?;
    Some(Question {
        id: id?.into_inner(),
        prompt: prompt?.into_inner(),
        code,
        code_lang: code_lang.map(Spanned::into_inner),
        explanation,
        hint,
        objective,
        pool,
        part,
        shuffle_options,
        kind,
    })
}

/// A string value of `table` with its span, if `key` holds one.
pub(crate) fn string_entry(table: &DeTable<'_>, key: &str) -> Option<(String, Range<usize>)> {
    let (_, value) = table.iter().find(|(k, _)| k.get_ref() == key)?;
    Some((value.get_ref().as_str()?.to_owned(), value.span()))
}

/// "1 question", "3 questions".
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
