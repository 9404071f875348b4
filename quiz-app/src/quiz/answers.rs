//! An answer as review mode shows it: the learner's, and the correct one.

use course_model::{Answer, Question, QuestionKind};
use yew::prelude::*;

use super::raw;
use crate::text::number;

fn none(text: &str) -> Html {
    html! { <p class="course-none"><em>{text}</em></p> }
}

fn list(items: Vec<Html>, ordered: bool) -> Html {
    let items = items.into_iter().map(|i| html! { <li>{i}</li> });
    if ordered {
        html! { <ol>{for items}</ol> }
    } else {
        html! { <ul>{for items}</ul> }
    }
}

fn rich(text: &str) -> Html {
    html! { <div>{raw(text)}</div> }
}

fn pair(left: &str, right: Option<&str>) -> Html {
    html! {
        <div>
            {raw(left)}<span class="course-arrow">{" → "}</span>
            {right.map_or_else(|| html! { <em>{"no match"}</em> }, raw)}
        </div>
    }
}

/// Properties of [`Yours`].
#[derive(Properties, PartialEq)]
pub struct YoursProps {
    /// The question.
    pub question: Question,
    /// The answer that counted, if any.
    pub answer: Option<Answer>,
}

/// The learner's answer, or "No answer".
#[function_component]
pub fn Yours(p: &YoursProps) -> Html {
    let Some(answer) = &p.answer else {
        return none("No answer");
    };
    match (&p.question.kind, answer) {
        (QuestionKind::Single { options }, Answer::Single(i)) => options
            .get(*i)
            .map_or_else(|| none("No answer"), |o| rich(&o.text)),
        (QuestionKind::Multiple { options, .. }, Answer::Multiple(v)) if !v.is_empty() => list(
            v.iter()
                .filter_map(|&i| options.get(i))
                .map(|o| rich(&o.text))
                .collect(),
            false,
        ),
        (_, Answer::TrueFalse(b)) => html! { <p>{if *b { "True" } else { "False" }}</p> },
        (_, Answer::Short(s) | Answer::Numeric(s)) if !s.trim().is_empty() => {
            html! { <p class="course-typed-answer">{s}</p> }
        }
        (QuestionKind::Ordering { items, .. }, Answer::Ordering(v)) => list(
            v.iter()
                .filter_map(|&i| items.get(i))
                .map(|t| rich(t))
                .collect(),
            true,
        ),
        (kind @ QuestionKind::Matching { pairs, .. }, Answer::Matching(v)) => {
            let choices = kind.matching_choices();
            list(
                pairs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let right = v
                            .get(i)
                            .copied()
                            .flatten()
                            .and_then(|c| choices.get(c).copied());
                        pair(&p.left, right)
                    })
                    .collect(),
                false,
            )
        }
        _ => none("No answer"),
    }
}

/// Properties of [`Correct`].
#[derive(Properties, PartialEq)]
pub struct CorrectProps {
    /// The question.
    pub question: Question,
}

/// The correct answer.
#[function_component]
pub fn Correct(p: &CorrectProps) -> Html {
    match &p.question.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => list(
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| rich(&o.text))
                .collect(),
            false,
        ),
        QuestionKind::TrueFalse { answer, .. } => {
            html! { <p>{if *answer { "True" } else { "False" }}</p> }
        }
        QuestionKind::Short {
            answers, pattern, ..
        } => match (answers.first(), pattern) {
            (Some(a), _) => html! { <p class="course-typed-answer">{a}</p> },
            (None, Some(p)) => html! { <p>{"Any answer matching "}<code>{p}</code></p> },
            _ => none("Not given"),
        },
        QuestionKind::Numeric {
            answer,
            min,
            max,
            unit,
            ..
        } => {
            let unit = unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            let text = match (answer, min, max) {
                (Some(a), _, _) => format!("{}{unit}", number(*a)),
                (None, Some(lo), Some(hi)) => {
                    format!("from {} to {}{unit}", number(*lo), number(*hi))
                }
                _ => String::new(),
            };
            html! { <p class="course-typed-answer">{text}</p> }
        }
        QuestionKind::Ordering { items, .. } => list(items.iter().map(|t| rich(t)).collect(), true),
        QuestionKind::Matching { pairs, .. } => list(
            pairs
                .iter()
                .map(|p| pair(&p.left, Some(&p.right)))
                .collect(),
            false,
        ),
    }
}
