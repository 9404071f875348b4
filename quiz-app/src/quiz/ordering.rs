//! The reorderable list: move up / move down buttons (no dragging needed), with per-item marks
//! once checked.

use course_model::{Mark, QuestionKind};
use yew::prelude::*;

use super::inputs::current_order;
use super::model::Msg;
use super::{raw, InputProps};
use crate::text::plain;

/// An ordering question's items.
#[function_component]
pub fn Ordering(p: &InputProps) -> Html {
    let QuestionKind::Ordering { items, .. } = &p.kind else {
        return Html::default();
    };
    let order = current_order(&p.state.answer, &p.order, items.len());
    let marks: &[Mark] = match (&p.state.grade, p.state.checked) {
        (Some(g), true) => &g.marks,
        _ => &[],
    };
    let n = order.len();
    let rows = order.iter().enumerate().map(|(pos, &item)| {
        let name = plain(&items[item]);
        let button = |up: bool| {
            let target = if up { pos.wrapping_sub(1) } else { pos + 1 };
            let (dir, text, label) = if up {
                ("up", "↑ Up", format!("Move “{name}” up"))
            } else {
                ("down", "↓ Down", format!("Move “{name}” down"))
            };
            let q = p.q;
            let onclick = p.on.reform(move |_: MouseEvent| Msg::Move(q, pos, target));
            html! {
                <button type="button" class="course-move" id={format!("{}-item-{item}-{dir}", p.base)}
                    aria-label={label} disabled={target >= n} {onclick}>{text}</button>
            }
        };
        let mark = marks.get(item).copied();
        let class = match mark {
            Some(Mark::Right) => "course-order-item is-correct",
            Some(Mark::Wrong) => "course-order-item is-wrong",
            _ => "course-order-item",
        };
        html! {
            <li key={item} {class}>
                <span class="course-order-text">{raw(&items[item])}</span>
                <span class="course-order-buttons">{button(true)}{button(false)}</span>
                if let Some(m) = mark {
                    <span class="course-badge">
                        {if m == Mark::Right { "In the right place" } else { "Not in the right place" }}
                    </span>
                }
            </li>
        }
    });
    html! { <ol class="course-ordering">{for rows}</ol> }
}
