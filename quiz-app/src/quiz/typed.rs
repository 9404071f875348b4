//! A labelled text field (a line, a text area or a code area) with the unit beside it. Typing
//! updates the answer; Yew patches only what changed, so the caret stays where it is.

use course_model::{Answer, InputKind, QuestionKind};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::model::Msg;
use super::{is_enter, InputProps};

/// The text of an input or text area an event came from.
fn value_of(e: &InputEvent) -> String {
    let Some(target) = e.target() else {
        return String::new();
    };
    match target.dyn_ref::<HtmlInputElement>() {
        Some(input) => input.value(),
        None => target
            .dyn_ref::<HtmlTextAreaElement>()
            .map(HtmlTextAreaElement::value)
            .unwrap_or_default(),
    }
}

/// A short-answer or numeric field.
#[function_component]
pub fn Typed(p: &InputProps) -> Html {
    let id = format!("{}-input", p.base);
    let (numeric, input, unit) = match &p.kind {
        QuestionKind::Short { input, .. } => (false, *input, None),
        QuestionKind::Numeric { unit, .. } => (true, InputKind::Line, unit.clone()),
        _ => return Html::default(),
    };
    let value = match &p.state.answer {
        Some(Answer::Short(s) | Answer::Numeric(s)) => s.clone(),
        _ => String::new(),
    };
    let label = match &unit {
        Some(u) => format!("Your answer (in {u})"),
        None if numeric => "Your answer (a number)".to_owned(),
        None => "Your answer".to_owned(),
    };
    let q = p.q;
    let oninput =
        p.on.reform(move |e: InputEvent| Msg::Typed(q, value_of(&e)));
    let field = match input {
        InputKind::Line => {
            let on = p.on.clone();
            let onkeydown = Callback::from(move |e: KeyboardEvent| {
                if is_enter(&e) {
                    e.prevent_default();
                    on.emit(Msg::Check(q));
                }
            });
            html! {
                <input type="text" class="course-input" id={id.clone()} {value} autocomplete="off"
                    spellcheck="false" inputmode={numeric.then_some("decimal")} {oninput} {onkeydown} />
            }
        }
        kind => {
            let class = if kind == InputKind::Code {
                "course-input course-input-code"
            } else {
                "course-input"
            };
            html! { <textarea {class} id={id.clone()} rows="4" spellcheck="false" {value} {oninput} /> }
        }
    };
    html! {
        <div class="course-typed">
            <label for={id}>{label}</label>
            <div class="course-typed-field">
                {field}
                if let Some(u) = unit { <span class="course-unit">{u}</span> }
            </div>
        </div>
    }
}
