//! Matching: for each left item, a `<select>` of the right-hand choices (shuffled).

use std::rc::Rc;

use course_model::{grade, Answer, Mark, QuestionKind, Quiz};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::rich;
use crate::text::plain;

/// What a matching question needs.
#[derive(Properties, PartialEq)]
pub struct MatchingProps {
    /// The quiz.
    pub quiz: Rc<Quiz>,
    /// Which question.
    pub index: usize,
    /// Display order of the choices (indices into `matching_choices()`).
    pub order: Vec<usize>,
    /// The current answer.
    pub answer: Option<Answer>,
    /// Whether it was checked.
    pub checked: bool,
    /// Called with the new pairing.
    pub on_select: Callback<Answer>,
}

/// One labelled select per left item.
#[function_component]
pub fn Matching(props: &MatchingProps) -> Html {
    let question = &props.quiz.questions[props.index];
    let base = format!("{}-{}", props.quiz.id, question.id);
    let QuestionKind::Matching { pairs, .. } = &question.kind else {
        return html! {};
    };
    let choices = question.kind.matching_choices();
    let chosen: Vec<Option<usize>> = match &props.answer {
        Some(Answer::Matching(v)) => (0..pairs.len())
            .map(|i| v.get(i).copied().flatten())
            .collect(),
        _ => vec![None; pairs.len()],
    };
    let marks = match (&props.answer, props.checked) {
        (Some(a), true) => grade(question, a).marks,
        _ => Vec::new(),
    };
    let order: Vec<usize> = if props.order.len() == choices.len() {
        props.order.clone()
    } else {
        (0..choices.len()).collect()
    };
    let rows = pairs.iter().enumerate().map(|(i, pair)| {
        let id = format!("{base}-match-{i}");
        let onchange = {
            let (on_select, chosen) = (props.on_select.clone(), chosen.clone());
            Callback::from(move |e: Event| {
                let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                let mut next = chosen.clone();
                next[i] = value.parse().ok();
                on_select.emit(Answer::Matching(next));
            })
        };
        let options = order.iter().map(|&c| {
            html! { <option value={c.to_string()} selected={chosen[i] == Some(c)}>{ plain(choices[c]) }</option> }
        });
        let mark = marks.get(i).copied();
        let class = classes!(
            "course-match",
            (mark == Some(Mark::Right)).then_some("is-correct"),
            matches!(mark, Some(Mark::Wrong | Mark::Missed)).then_some("is-wrong"),
        );
        html! {
            <li {class}>
                <label for={id.clone()} class="course-match-left">{ rich(&pair.left) }</label>
                <select {id} {onchange}>
                    <option value="" selected={chosen[i].is_none()}>{ "Choose…" }</option>
                    { for options }
                </select>
                if let Some(m) = mark {
                    <div class="course-option-feedback">
                        if m == Mark::Right {
                            <span class="course-badge course-badge-correct">{ "Right" }</span>
                        } else {
                            <span class="course-badge">{ "Correct answer" }</span>
                            { rich(&pair.right) }
                        }
                    </div>
                }
            </li>
        }
    });
    html! { <ul class="course-matching" role="list">{ for rows }</ul> }
}
