//! Small helpers the components share.

use wasm_bindgen::JsCast;

/// Focuses the element with this id, if there is one.
pub fn focus_id(id: &str) {
    if let Some(e) = gloo_utils::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}
