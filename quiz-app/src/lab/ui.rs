//! Small shared pieces of the console: reading controls, inline errors, formatting.

use course_model::lab::Step;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// A step sent by a panel, with the form whose inline error shows the outcome.
pub type OnStep = Callback<(&'static str, Step)>;

/// The value of an input, select or textarea (empty for anything else).
pub fn value_of(e: &Element) -> String {
    if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
        i.value()
    } else if let Some(t) = e.dyn_ref::<HtmlTextAreaElement>() {
        t.value()
    } else if let Some(s) = e.dyn_ref::<HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

/// The value of the control an event came from.
pub fn event_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .map(|t| value_of(&t))
        .unwrap_or_default()
}

/// Whether the checkbox an event came from is checked.
pub fn event_checked(e: &Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// Reads the controls of a panel or form: the value of the control with a class.
pub struct Values(Option<Element>);

impl Values {
    /// The controls inside the element `node` refers to.
    pub fn of(node: &NodeRef) -> Values {
        Values(node.cast::<Element>())
    }

    /// The value of the control with `class` (empty when there is none).
    pub fn get(&self, class: &str) -> String {
        self.0
            .as_ref()
            .and_then(|root| root.query_selector(&format!(".{class}")).ok().flatten())
            .map(|e| value_of(&e))
            .unwrap_or_default()
    }
}

/// An inline error (`<p class="lab-error" role="alert">`) while there is a message; an
/// unchanged message is left alone, so it is not announced again.
pub fn error_line(id: String, message: Option<&String>) -> Html {
    match message {
        Some(m) => html! { <p class="lab-error" id={id} role="alert">{ m.clone() }</p> },
        None => html! {},
    }
}

/// Virtual time as `m:ss.mmm`.
pub fn clock(us: u64) -> String {
    let ms = us / 1000;
    let (m, rest) = (ms / 60_000, ms % 60_000);
    if m >= 60 {
        format!(
            "{}:{:02}:{:02}.{:03}",
            m / 60,
            m % 60,
            rest / 1000,
            rest % 1000
        )
    } else {
        format!("{m}:{:02}.{:03}", rest / 1000, rest % 1000)
    }
}
