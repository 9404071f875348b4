//! The Yew components, one per file.

use yew::{AttrValue, Html};

pub mod choices;
pub mod code;
pub mod feedback;
pub mod matching;
pub mod ordering;
pub mod progress;
pub mod question;
pub mod quiz;
pub mod review;
pub mod review_answer;
pub mod typed;

/// Trusted HTML: rendered and sanitised by the preprocessor at build time.
pub fn rich(html: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(html.to_owned()))
}

/// Focuses the element with this id, if there is one.
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
