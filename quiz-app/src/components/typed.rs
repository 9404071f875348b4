//! Typed answers: short answer (a line, a text area or a code area) and numeric (with its unit).

use std::rc::Rc;

use course_model::{Answer, InputKind, QuestionKind, Quiz};
use yew::prelude::*;

/// What a typed answer needs.
#[derive(Properties, PartialEq)]
pub struct TypedProps {
    /// The quiz.
    pub quiz: Rc<Quiz>,
    /// Which question.
    pub index: usize,
    /// The current answer.
    pub answer: Option<Answer>,
    /// Called with the text as typed.
    pub on_select: Callback<Answer>,
    /// Called when Enter is pressed in a one-line field.
    pub on_check: Callback<()>,
}

/// A labelled text field.
#[function_component]
pub fn Typed(props: &TypedProps) -> Html {
    let question = &props.quiz.questions[props.index];
    let id = format!("{}-{}-input", props.quiz.id, question.id);
    let (numeric, input, unit) = match &question.kind {
        QuestionKind::Short { input, .. } => (false, *input, None),
        QuestionKind::Numeric { unit, .. } => (true, InputKind::Line, unit.clone()),
        _ => return html! {},
    };
    let value = match &props.answer {
        Some(Answer::Short(s) | Answer::Numeric(s)) => s.clone(),
        _ => String::new(),
    };
    let oninput = {
        let on_select = props.on_select.clone();
        Callback::from(move |e: InputEvent| {
            // Inputs and text areas both have a `value` property.
            let v = e
                .target()
                .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            on_select.emit(if numeric {
                Answer::Numeric(v)
            } else {
                Answer::Short(v)
            });
        })
    };
    let onkeydown = {
        let on_check = props.on_check.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                on_check.emit(());
            }
        })
    };
    let label = match &unit {
        Some(u) => format!("Your answer (in {u})"),
        None if numeric => "Your answer (a number)".to_owned(),
        None => "Your answer".to_owned(),
    };
    let field = match input {
        InputKind::Line => html! {
            <input type="text" class="course-input" id={id.clone()} {value} {oninput} {onkeydown}
                autocomplete="off" spellcheck="false" inputmode={numeric.then_some("decimal")} />
        },
        InputKind::Text | InputKind::Code => html! {
            <textarea id={id.clone()} rows="4" spellcheck="false" {value} {oninput}
                class={classes!("course-input", (input == InputKind::Code).then_some("course-input-code"))} />
        },
    };
    html! {
        <div class="course-typed">
            <label for={id}>{ label }</label>
            <div class="course-typed-field">
                { field }
                if let Some(u) = unit { <span class="course-unit">{ u }</span> }
            </div>
        </div>
    }
}
