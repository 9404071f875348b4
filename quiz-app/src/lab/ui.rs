//! Small shared pieces of the console: reading inputs, yielding to the browser, formatting.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The value of the input, select or textarea an event came from.
pub fn value(e: &Event) -> String {
    let Some(t) = e.target() else {
        return String::new();
    };
    if let Some(i) = t.dyn_ref::<HtmlInputElement>() {
        i.value()
    } else if let Some(t) = t.dyn_ref::<HtmlTextAreaElement>() {
        t.value()
    } else if let Some(s) = t.dyn_ref::<HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

/// Whether the checkbox an event came from is checked.
pub fn checked(e: &Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// A callback that stores an input's value in a state.
pub fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| state.set(value(&e)))
}

/// A callback that stores a select's value in a state.
pub fn bind_change(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| state.set(value(&e)))
}

/// Resolves after the browser had a chance to run (a zero-delay timeout).
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Milliseconds since the epoch (for chunk budgets).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
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

/// An inline validation message (announced as an alert).
pub fn field_error(id: &str, message: Option<&String>) -> Html {
    match message {
        Some(m) => html! { <p class="lab-error" id={id.to_owned()} role="alert">{ m.clone() }</p> },
        None => html! {},
    }
}
