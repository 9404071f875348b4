//! One labelled select per left item; the right-hand choices shuffled.

use course_model::{Mark, QuestionKind};
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::inputs::matched_now;
use super::model::Msg;
use super::{raw, InputProps};
use crate::text::plain;

/// A matching question's pairs.
#[function_component]
pub fn Matching(p: &InputProps) -> Html {
    let QuestionKind::Matching { pairs, .. } = &p.kind else {
        return Html::default();
    };
    let choices = p.kind.matching_choices();
    let chosen = matched_now(&p.kind, &p.state.answer);
    let marks: &[Mark] = match (&p.state.grade, p.state.checked) {
        (Some(g), true) => &g.marks,
        _ => &[],
    };
    let order: Vec<usize> = if p.order.len() == choices.len() {
        p.order.clone()
    } else {
        (0..choices.len()).collect()
    };
    let rows = pairs.iter().enumerate().map(|(i, pair)| {
        let id = format!("{}-match-{i}", p.base);
        let q = p.q;
        let onchange = p.on.reform(move |e: Event| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default();
            Msg::Match(q, i, value.parse().ok())
        });
        let options = order.iter().map(|&c| {
            html! {
                <option value={c.to_string()} selected={chosen[i] == Some(c)}>{plain(choices[c])}</option>
            }
        });
        let mark = marks.get(i).copied();
        let class = match mark {
            Some(Mark::Right) => "course-match is-correct",
            Some(Mark::Wrong | Mark::Missed) => "course-match is-wrong",
            _ => "course-match",
        };
        let feedback = mark.map(|m| {
            if m == Mark::Right {
                html! {
                    <div class="course-option-feedback">
                        <span class="course-badge course-badge-correct">{"Right"}</span>
                    </div>
                }
            } else {
                html! {
                    <div class="course-option-feedback">
                        <span class="course-badge">{"Correct answer"}</span>{raw(&pair.right)}
                    </div>
                }
            }
        });
        html! {
            <li key={i} {class}>
                <label for={id.clone()} class="course-match-left">{raw(&pair.left)}</label>
                <select {id} {onchange}>
                    <option value="" selected={chosen[i].is_none()}>{"Choose…"}</option>
                    {for options}
                </select>
                {feedback}
            </li>
        }
    });
    html! { <ul class="course-matching" role="list">{for rows}</ul> }
}
