//! Small shared pieces of the console: reading controls, inline errors, yielding to the browser,
//! formatting.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::dom::{el, set_text};

/// The element matching `selector` inside `root`.
pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

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

/// The value of the control matching `selector` inside `root` (empty when there is none).
pub fn value(root: &Element, selector: &str) -> String {
    find(root, selector)
        .map(|e| value_of(&e))
        .unwrap_or_default()
}

/// Whether the checkbox `e` is checked.
pub fn checked(e: &Element) -> bool {
    e.dyn_ref::<HtmlInputElement>()
        .is_some_and(HtmlInputElement::checked)
}

/// Shows the inline errors of a form or panel: for each `(id, message)` in order, a
/// `<p class="lab-error" role="alert">` at the end of `parent` while there is a message. An
/// unchanged message is left alone (not announced again); the others are added, changed or removed
/// in place, keeping the order given.
pub fn show_errors(parent: &Element, slots: &[(String, Option<&str>)]) {
    let doc = parent.owner_document();
    let mut later: Option<Element> = None;
    // From the last slot backwards, so each new paragraph goes before the next one shown.
    for (id, message) in slots.iter().rev() {
        let existing = doc.as_ref().and_then(|d| d.get_element_by_id(id));
        match (existing, message) {
            (Some(p), Some(m)) => {
                set_text(&p, m);
                later = Some(p);
            }
            (Some(p), None) => p.remove(),
            (None, Some(m)) => {
                let p = el("p")
                    .class("lab-error")
                    .id(id)
                    .attr("role", "alert")
                    .text(m)
                    .0;
                let _ = parent.insert_before(&p, later.as_ref().map(|l| l.as_ref()));
                later = Some(p);
            }
            (None, None) => {}
        }
    }
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
