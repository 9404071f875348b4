//! A labelled text or number input that keeps what the learner typed: Yew sets an input's value
//! on every render, so the field holds the text in its own state.

use yew::prelude::*;

use super::ui::event_value;

/// The field's properties.
#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The input's id (the label points at it).
    pub id: AttrValue,
    /// The input's class (the console reads the value by it).
    pub class: &'static str,
    /// The label.
    pub label: AttrValue,
    /// The text at first.
    #[prop_or_default]
    pub initial: AttrValue,
    /// `type="number"` with this minimum.
    #[prop_or_default]
    pub min: Option<&'static str>,
    /// Whole numbers expected (`inputmode="numeric"`).
    #[prop_or_default]
    pub numeric: bool,
    /// A placeholder.
    #[prop_or_default]
    pub placeholder: Option<&'static str>,
}

/// A label and its input.
#[function_component(Field)]
pub fn field(p: &FieldProps) -> Html {
    let text = {
        let initial = p.initial.clone();
        use_state(move || initial)
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(event_value(&e).into()))
    };
    html! {
        <>
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <input id={p.id.clone()} class={p.class}
                type={p.min.map(|_| "number")} min={p.min}
                inputmode={p.numeric.then_some("numeric")} placeholder={p.placeholder}
                value={(*text).clone()} {oninput} />
        </>
    }
}
