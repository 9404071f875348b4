//! How an answer reads in review: the learner's and the correct one, for every question type.

use course_model::{Answer, Question, QuestionKind};
use yew::prelude::*;

use super::rich;
use crate::text::number;

fn none(text: &'static str) -> Html {
    html! { <p class="course-none"><em>{ text }</em></p> }
}

fn list(items: Vec<Html>, ordered: bool) -> Html {
    if ordered {
        html! { <ol>{ for items.into_iter().map(|i| html! { <li>{ i }</li> }) }</ol> }
    } else {
        html! { <ul>{ for items.into_iter().map(|i| html! { <li>{ i }</li> }) }</ul> }
    }
}

fn pair(left: &str, right: Option<&str>) -> Html {
    html! {
        <>{ rich(left) }<span class="course-arrow">{ " → " }</span>
        { match right { Some(r) => rich(r), None => html! { <em>{ "no match" }</em> } } }</>
    }
}

/// The learner's answer, or "No answer".
pub fn yours(q: &Question, answer: Option<&Answer>) -> Html {
    let Some(answer) = answer else {
        return none("No answer");
    };
    match (&q.kind, answer) {
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
        (_, Answer::TrueFalse(b)) => html! { <p>{ if *b { "True" } else { "False" } }</p> },
        (_, Answer::Short(s) | Answer::Numeric(s)) if !s.trim().is_empty() => {
            html! { <p class="course-typed-answer">{ s.clone() }</p> }
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

/// The correct answer.
pub fn correct(q: &Question) -> Html {
    match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => list(
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| rich(&o.text))
                .collect(),
            false,
        ),
        QuestionKind::TrueFalse { answer, .. } => {
            html! { <p>{ if *answer { "True" } else { "False" } }</p> }
        }
        QuestionKind::Short {
            answers, pattern, ..
        } => match (answers.first(), pattern) {
            (Some(a), _) => html! { <p class="course-typed-answer">{ a.clone() }</p> },
            (None, Some(p)) => {
                html! { <p>{ "Any answer matching " }<code>{ p.clone() }</code></p> }
            }
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
            html! { <p class="course-typed-answer">{ text }</p> }
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
