//! `MultipleChoice` → `single` or `multiple`, honouring `answerIndex` and `sortAnswers`.

use std::collections::HashSet;

use toml::de::DeValue;
use toml::Spanned;

use crate::kinds::{duplicates, quote, same_text};
use crate::quiz::{Choice, Question, QuestionKind};
use crate::reader::{found, Ctx, Table};

pub(super) fn multiple_choice(
    cx: &mut Ctx<'_>,
    prompt: &Table<'_, '_>,
    answer: &Table<'_, '_>,
    q: &mut Question,
) -> Option<()> {
    let text = prompt.str(cx, "prompt", true);
    let distractors = prompt.str_array(cx, "distractors", true);
    let answer_index = prompt.int(cx, "answerIndex");
    let sort_answers = prompt.bool(cx, "sortAnswers");
    let (answers, multi) = mc_answers(cx, answer)?;
    let distractors = distractors?;
    q.prompt = text?.into_inner();

    let keys: Vec<String> = distractors.iter().map(|d| same_text(d.get_ref())).collect();
    for (later, first) in duplicates(&keys) {
        let line = cx.line_of(&distractors[first].span());
        cx.error(
            &distractors[later].span(),
            format!(
                "distractor `{}` appears twice",
                quote(distractors[later].get_ref())
            ),
            format!("first at line {line}; remove one of them"),
        );
    }
    let correct: HashSet<String> = answers.iter().map(|a| same_text(a.get_ref())).collect();
    for (d, key) in distractors.iter().zip(&keys) {
        if correct.contains(key) {
            cx.error(
                &d.span(),
                format!(
                    "the correct answer `{}` is also listed in `distractors`",
                    quote(d.get_ref())
                ),
                "remove it from `distractors`: an option cannot be both right and wrong",
            );
        }
    }
    if let (Some(i), Some(s)) = (&answer_index, &sort_answers) {
        let later = if i.span().start > s.span().start {
            i.span()
        } else {
            s.span()
        };
        cx.error(
            &later,
            "`answerIndex` and `sortAnswers` cannot be used together",
            "remove one: `answerIndex` fixes where the answer goes, `sortAnswers` sorts all options",
        );
    }
    let wrong = distractors.into_iter().map(|d| Choice {
        text: d.into_inner(),
        correct: false,
        why: None,
    });
    let right: Vec<Choice> = answers
        .into_iter()
        .map(|a| Choice {
            text: a.into_inner(),
            correct: true,
            why: None,
        })
        .collect();
    let mut options: Vec<Choice> = wrong.collect();
    if let Some(i) = answer_index {
        let k = *i.get_ref();
        if k < 0 || k as usize > options.len() {
            let n = options.len() + right.len();
            cx.error(
                &i.span(),
                format!("`answerIndex` is {k}, but there are only {n} options"),
                format!(
                    "use a position from 0 to {} (0 is the first option)",
                    options.len()
                ),
            );
            return None;
        }
        let tail = options.split_off(k as usize);
        options.extend(right);
        options.extend(tail);
        q.shuffle_options = Some(false);
    } else if sort_answers.is_some_and(Spanned::into_inner) {
        options.extend(right);
        options.sort_by(|a, b| a.text.cmp(&b.text));
        q.shuffle_options = Some(false);
    } else {
        let mut all = right;
        all.extend(options);
        options = all;
    }
    q.kind = if multi {
        QuestionKind::Multiple {
            options,
            partial_credit: false,
        }
    } else {
        QuestionKind::Single { options }
    };
    Some(())
}

/// `answer.answer`: one string (single choice) or a list of strings (select all that apply).
fn mc_answers(cx: &mut Ctx<'_>, answer: &Table<'_, '_>) -> Option<(Vec<Spanned<String>>, bool)> {
    let Some((_, value)) = answer.entry("answer") else {
        return answer.str(cx, "answer", true).map(|s| (vec![s], false));
    };
    match value.get_ref() {
        DeValue::String(s) => Some((vec![Spanned::new(value.span(), s.to_string())], false)),
        DeValue::Array(_) => {
            let list = answer.str_array(cx, "answer", true)?;
            if list.is_empty() {
                cx.error(
                    &value.span(),
                    "`answer` lists no correct answer",
                    "list at least one correct answer",
                );
                return None;
            }
            Some((list, true))
        }
        other => {
            cx.error(
                &value.span(),
                format!("`answer` must be a string or an array of strings, found {}", found(other)),
                "write `answer.answer = \"...\"`, or a list `[\"...\", \"...\"]` when several options are right",
            );
            None
        }
    }
}
