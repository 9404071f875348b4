//! Code and log excerpts, highlighted by the book's highlight.js when the page has it.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::dom::{el, El};

/// `<pre><code class="language-…">` holding `code` verbatim.
pub fn block(code: &str, lang: &str) -> El {
    el("pre").class("course-code").child(
        el("code")
            .class(&format!("language-{lang}"))
            .attr("data-course-code", "")
            .text(code),
    )
}

/// Highlights every excerpt under `root` with the page's `hljs`, if it has one.
pub fn highlight_all(root: &Element) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let get = |target: &JsValue, name: &str| {
        js_sys::Reflect::get(target, &name.into()).unwrap_or_default()
    };
    let hljs = get(&window, "hljs");
    // highlight.js renamed `highlightBlock` (mdBook ships 10.1) to `highlightElement` (10.7+).
    let Some(f) = ["highlightElement", "highlightBlock"]
        .into_iter()
        .find_map(|name| get(&hljs, name).dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let Ok(blocks) = root.query_selector_all("code[data-course-code]") else {
        return;
    };
    for i in 0..blocks.length() {
        if let Some(block) = blocks.get(i) {
            let _ = f.call1(&hljs, &block);
            // As mdBook does for its own code blocks: the themes style `.hljs`.
            if let Some(block) = block.dyn_ref::<Element>() {
                let _ = block.class_list().add_1("hljs");
            }
        }
    }
}
