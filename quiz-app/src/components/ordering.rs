//! Ordering: the items as a list, each with "Move up" and "Move down" buttons (keyboard and
//! screen-reader friendly; no dragging needed).

use std::rc::Rc;

use course_model::{grade, Answer, Mark, QuestionKind, Quiz};
use yew::prelude::*;

use super::{focus_id, rich};
use crate::text::plain;

/// What an ordering question needs.
#[derive(Properties, PartialEq)]
pub struct OrderingProps {
    /// The quiz.
    pub quiz: Rc<Quiz>,
    /// Which question.
    pub index: usize,
    /// The shuffled order shown before the learner moves anything.
    pub order: Vec<usize>,
    /// The current answer.
    pub answer: Option<Answer>,
    /// Whether it was checked.
    pub checked: bool,
    /// Called with the new order.
    pub on_select: Callback<Answer>,
}

/// The order currently shown: the learner's, or the shuffled start.
pub fn current_order(answer: &Option<Answer>, start: &[usize], n: usize) -> Vec<usize> {
    match answer {
        Some(Answer::Ordering(v)) if v.len() == n => v.clone(),
        _ if start.len() == n => start.to_vec(),
        _ => (0..n).collect(),
    }
}

/// The reorderable list.
#[function_component]
pub fn Ordering(props: &OrderingProps) -> Html {
    let question = &props.quiz.questions[props.index];
    let base = format!("{}-{}", props.quiz.id, question.id);
    let QuestionKind::Ordering { items, .. } = &question.kind else {
        return html! {};
    };
    let moved = use_state(|| None::<String>);
    {
        use_effect_with((*moved).clone(), move |id| {
            if let Some(id) = id {
                focus_id(id);
            }
        });
    }
    let order = current_order(&props.answer, &props.order, items.len());
    let marks = match (&props.answer, props.checked) {
        (Some(a), true) => grade(question, a).marks,
        _ => Vec::new(),
    };
    let n = order.len();
    let rows = order.iter().enumerate().map(|(pos, &item)| {
        let name = plain(&items[item]);
        let button = |up: bool| {
            let target = if up { pos.wrapping_sub(1) } else { pos + 1 };
            let disabled = target >= n;
            let id = format!("{base}-item-{item}-{}", if up { "up" } else { "down" });
            let other = format!("{base}-item-{item}-{}", if up { "down" } else { "up" });
            let onclick = {
                let (on_select, moved, order) = (props.on_select.clone(), moved.clone(), order.clone());
                let (id, other) = (id.clone(), other.clone());
                Callback::from(move |_: MouseEvent| {
                    let mut next = order.clone();
                    next.swap(pos, target);
                    // Keep the focus on the moved item; at an end, on its other button.
                    let at_end = if up { target == 0 } else { target + 1 == n };
                    moved.set(Some(if at_end { other.clone() } else { id.clone() }));
                    on_select.emit(Answer::Ordering(next));
                })
            };
            let (label, text) = if up {
                (format!("Move “{name}” up"), "↑ Up")
            } else {
                (format!("Move “{name}” down"), "↓ Down")
            };
            html! {
                <button type="button" class="course-move" {id} aria-label={label} {disabled} {onclick}>{ text }</button>
            }
        };
        let mark = marks.get(item).copied();
        let class = classes!(
            "course-order-item",
            (mark == Some(Mark::Right)).then_some("is-correct"),
            (mark == Some(Mark::Wrong)).then_some("is-wrong"),
        );
        html! {
            <li key={item} {class}>
                <span class="course-order-text">{ rich(&items[item]) }</span>
                <span class="course-order-buttons">{ button(true) }{ button(false) }</span>
                if let Some(m) = mark {
                    <span class="course-badge">{ if m == Mark::Right { "In the right place" } else { "Not in the right place" } }</span>
                }
            </li>
        }
    });
    html! { <ol class="course-ordering">{ for rows }</ol> }
}
