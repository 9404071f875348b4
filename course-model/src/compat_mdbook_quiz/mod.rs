//! mdbook-quiz compatibility: its TOML files are accepted unchanged and converted to our types.
//!
//! Its schema (crate `mdbook-quiz-schema`): `[[questions]]` with `type` = `MultipleChoice`,
//! `ShortAnswer` or `Tracing`, optional `id`, `context` (our explanation), `multipart` (a key of
//! the top-level `[multipart]` table) and `promptExplanation`; `prompt` and `answer` are tables
//! whose keys depend on the type. Keys are camelCase.
//!
//! Mapping: `MultipleChoice` with `answer.answer` a string → `single`, a list → `multiple`
//! (all or nothing, as in mdbook-quiz); `ShortAnswer` → `short`; `Tracing` → `short` with the
//! program as `code`, accepting its exact stdout, or "does not compile" (see [`TRACING_PROMPT`]).

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::DeTable;
use toml::Spanned;

use crate::id::{check_id, is_id_char, ID_CHARS};
use crate::native::{read_parts, report_duplicate_ids, resolve_part, string_entry};
use crate::quiz::{InputKind, Layout, Question, QuestionKind, Quiz};
use crate::reader::{one_of, Ctx, Table};

mod multiple_choice;
mod tracing;

pub use tracing::{DOES_NOT_COMPILE, TRACING_PROMPT};

const TOP_KEYS: [&str; 2] = ["questions", "multipart"];
const QUESTION_KEYS: [&str; 7] = [
    "id",
    "type",
    "prompt",
    "answer",
    "context",
    "multipart",
    "promptExplanation",
];
const TYPES: [(&str, &str); 3] = [
    ("MultipleChoice", "MultipleChoice"),
    ("ShortAnswer", "ShortAnswer"),
    ("Tracing", "Tracing"),
];

/// `(type, prompt keys, answer keys)`.
const TYPE_KEYS: [(&str, &[&str], &[&str]); 3] = [
    (
        "MultipleChoice",
        &["prompt", "distractors", "answerIndex", "sortAnswers"],
        &["answer"],
    ),
    (
        "ShortAnswer",
        &["prompt", "response"],
        &["answer", "alternatives"],
    ),
    (
        "Tracing",
        &["program"],
        &["doesCompile", "stdout", "lineNumber"],
    ),
];

/// Reads an mdbook-quiz file; the quiz id is `default_id` and its title is derived from it.
pub(crate) fn read_quiz(cx: &mut Ctx<'_>, root: &DeTable<'_>, default_id: &str) -> Option<Quiz> {
    let top = Table {
        map: root,
        span: 0..0,
        what: "an mdbook-quiz file".into(),
    };
    top.check_keys(cx, &TOP_KEYS, &|key| {
        crate::native::QUIZ_KEYS.contains(&key).then(|| {
            "this file is read as an mdbook-quiz file (it has `[[questions]]` and no `id` or `title`); \
             for quiz settings, write a native quiz with `id`, `title` and `[[question]]` sections"
                .to_owned()
        })
    });
    if default_id.is_empty() || !default_id.chars().all(is_id_char) {
        cx.error(
            &(0..0),
            format!(
                "the file name gives this mdbook-quiz file the quiz id `{}`, but an id may use only {ID_CHARS}",
                default_id.escape_default()
            ),
            "rename the file, e.g. `invocation.toml`",
        );
    }
    let parts = read_parts(cx, &top, "multipart");
    let tables = top.tables(cx, "questions");
    if tables.is_empty() && top.is_array_or_missing("questions") {
        cx.error(
            &(0..0),
            "the quiz has no questions",
            "add at least one `[[questions]]` section",
        );
    }
    let mut questions = Vec::new();
    let mut ids: Vec<(String, Range<usize>)> = Vec::new();
    for (index, (map, span)) in tables.iter().enumerate() {
        let derived = format!("{default_id}-{}", index + 1);
        // Ids are collected even from questions with errors, so duplicates show up at once.
        ids.push(string_entry(map, "id").unwrap_or_else(|| (derived.clone(), span.clone())));
        if let Some(q) = read_question(cx, map, span, &derived, &parts) {
            questions.push(q);
        }
    }
    report_duplicate_ids(cx, &ids);
    if cx.has_errors() {
        return None;
    }
    Some(Quiz {
        id: default_id.to_owned(),
        title: humanize(default_id),
        pass_mark: 70,
        layout: Layout::OneAtATime,
        shuffle_options: true,
        shuffle_questions: false,
        draw: None,
        questions,
    })
}

/// `rust-variables` → `Rust variables`.
fn humanize(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Quiz".to_owned(),
    }
}

fn read_question(
    cx: &mut Ctx<'_>,
    map: &DeTable<'_>,
    span: &Range<usize>,
    derived_id: &str,
    parts: &BTreeMap<String, String>,
) -> Option<Question> {
    let t = Table {
        map,
        span: span.clone(),
        what: "a question".into(),
    };
    t.check_keys(cx, &QUESTION_KEYS, &|_| None);
    let id = t.str(cx, "id", false);
    if let Some(id) = &id {
        check_id(cx, "question id", id.get_ref(), &id.span());
    }
    let kind = t
        .str(cx, "type", true)
        .and_then(|v| one_of(cx, "question type", &v, &TYPES));
    let context = t.str(cx, "context", false).map(Spanned::into_inner);
    let part = t.str(cx, "multipart", false);
    let part = resolve_part(cx, part, parts, "multipart");
    if let Some(p) = t.bool(cx, "promptExplanation").filter(|p| *p.get_ref()) {
        cx.warning(
            &p.span(),
            "`promptExplanation` is not supported and is ignored",
            "learners are not asked to justify their answer; remove the key to silence this warning",
        );
    }
    let id = match id {
        Some(id) => id.into_inner(),
        None => {
            cx.warning(
                span,
                format!("question has no `id`; using `{derived_id}`"),
                format!("add `id = \"{derived_id}\"` (or any id unique in the book): a derived id changes when questions move, which resets saved answers"),
            );
            derived_id.to_owned()
        }
    };
    if context.is_none() {
        cx.warning(
            span,
            format!("question `{id}` has no `context`"),
            "add `context = \"...\"`: it is shown after checking, right or wrong",
        );
    }
    let kind = kind?;
    let (_, prompt_keys, answer_keys) = TYPE_KEYS.iter().find(|(k, _, _)| *k == kind)?;
    let prompt = sub_table(cx, &t, "prompt", kind, prompt_keys);
    let answer = sub_table(cx, &t, "answer", kind, answer_keys);
    let (prompt, answer) = (prompt?, answer?);
    let mut question = Question {
        id,
        prompt: String::new(),
        code: None,
        code_lang: None,
        explanation: context,
        hint: None,
        objective: None,
        pool: None,
        part,
        shuffle_options: None,
        kind: QuestionKind::Single {
            options: Vec::new(),
        },
    };
    match kind {
        "MultipleChoice" => multiple_choice::multiple_choice(cx, &prompt, &answer, &mut question)?,
        "ShortAnswer" => {
            question.prompt = prompt.str(cx, "prompt", true)?.into_inner();
            let responses = [
                ("short", InputKind::Line),
                ("long", InputKind::Text),
                ("code", InputKind::Code),
            ];
            let input = prompt
                .str(cx, "response", false)
                .and_then(|v| one_of(cx, "response", &v, &responses));
            let first = answer.str(cx, "answer", true);
            let alternatives = answer
                .str_array(cx, "alternatives", false)
                .unwrap_or_default();
            let mut answers = vec![first?.into_inner()];
            answers.extend(alternatives.into_iter().map(Spanned::into_inner));
            question.kind = QuestionKind::Short {
                answers,
                case_sensitive: false,
                pattern: None,
                input: input.unwrap_or_default(),
            };
        }
        _ => tracing::tracing(cx, &prompt, &answer, &mut question)?,
    }
    Some(question)
}

fn sub_table<'a, 'i>(
    cx: &mut Ctx<'_>,
    t: &Table<'a, 'i>,
    key: &str,
    kind: &str,
    allowed: &[&str],
) -> Option<Table<'a, 'i>> {
    let table = t.table(cx, key, true)?;
    let sub = Table {
        map: table.get_ref(),
        span: table.span(),
        what: format!("the `{key}` of a `{kind}` question"),
    };
    let other_owner = |k: &str| {
        let owners: Vec<String> = TYPE_KEYS
            .iter()
            .filter(|(_, p, a)| {
                if key == "prompt" {
                    p.contains(&k)
                } else {
                    a.contains(&k)
                }
            })
            .map(|(name, _, _)| format!("`{name}`"))
            .collect();
        (!owners.is_empty()).then(|| {
            format!(
                "`{k}` belongs to {} questions; remove it or change `type`",
                owners.join(" and ")
            )
        })
    };
    sub.check_keys(cx, allowed, &other_owner);
    Some(sub)
}
