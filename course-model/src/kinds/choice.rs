//! `single` and `multiple`: options, exactly one or at least one of them correct.

use std::ops::Range;

use toml::Spanned;

use super::{duplicates, non_empty, partial, quote, same_text};
use crate::quiz::{Choice, QuestionKind};
use crate::reader::{Ctx, Table};

pub(super) fn read_choice(
    cx: &mut Ctx<'_>,
    t: &Table<'_, '_>,
    single: bool,
) -> Option<QuestionKind> {
    let kind = if single { "single" } else { "multiple" };
    let partial_credit = !single && partial(cx, t);
    let mut options: Vec<(Choice, Range<usize>)> = Vec::new();
    let tables = t.tables(cx, "option");
    // After an unreadable `correct`, "no option is correct" would only repeat that error.
    let mut unsure = false;
    for (map, span) in &tables {
        let o = Table {
            map,
            span: span.clone(),
            what: "an option".into(),
        };
        o.check_keys(cx, &["text", "correct", "why"], &|_| None);
        let text = o.str(cx, "text", true);
        let correct = o.bool(cx, "correct");
        unsure |= correct.is_none() && o.has("correct");
        let correct = correct.is_some_and(Spanned::into_inner);
        let why = o.str(cx, "why", false).map(Spanned::into_inner);
        if let Some(text) = text {
            non_empty(
                cx,
                &text,
                "option `text`",
                "write the option the learner can choose",
            );
            options.push((
                Choice {
                    text: text.into_inner(),
                    correct,
                    why,
                },
                span.clone(),
            ));
        }
    }
    if tables.len() < 2 {
        cx.error(
            &t.span,
            format!("a `{kind}` question needs at least two options, found {}", tables.len()),
            "add `[[question.option]]` sections, each with `text` (and `correct = true` on the right ones)",
        );
    }
    let texts: Vec<String> = options.iter().map(|(c, _)| same_text(&c.text)).collect();
    for (later, first) in duplicates(&texts) {
        let (a, b) = (&options[first], &options[later]);
        let line = cx.line_of(&a.1);
        if a.0.correct != b.0.correct {
            cx.error(
                &b.1,
                format!(
                    "option `{}` is both a correct and a wrong option",
                    quote(&b.0.text)
                ),
                format!(
                    "the same text is at line {line} with the other `correct` value; remove one"
                ),
            );
        } else {
            cx.error(
                &b.1,
                format!("option `{}` appears twice", quote(&b.0.text)),
                format!("first at line {line}; remove one of them"),
            );
        }
    }
    let correct: Vec<&Range<usize>> = options
        .iter()
        .filter(|(c, _)| c.correct)
        .map(|(_, s)| s)
        .collect();
    if correct.is_empty() && !options.is_empty() && !unsure {
        let fix = if single {
            "the right option"
        } else {
            "each right option"
        };
        cx.error(
            &t.span,
            "no option is marked correct",
            format!("mark {fix} with `correct = true`"),
        );
    }
    if single && correct.len() > 1 {
        cx.error(
            correct[1],
            format!("a `single` question has {} correct options", correct.len()),
            "keep `correct = true` on one option, or use `type = \"multiple\"` for several right answers",
        );
    }
    let missing_why: Vec<&Range<usize>> = options
        .iter()
        .filter(|(c, _)| c.why.is_none())
        .map(|(_, s)| s)
        .collect();
    if !missing_why.is_empty() {
        cx.warning(
            missing_why[0],
            format!("{} of {} options have no `why`", missing_why.len(), options.len()),
            "add `why = \"...\"` to each option: learners see why it is right or wrong after checking",
        );
    }
    let options = options.into_iter().map(|(c, _)| c).collect();
    Some(if single {
        QuestionKind::Single { options }
    } else {
        QuestionKind::Multiple {
            options,
            partial_credit,
        }
    })
}
