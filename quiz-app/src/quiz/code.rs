//! Code and log excerpts, highlighted by the book's highlight.js when the page has it.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;
use yew::prelude::*;

/// Properties of [`CodeBlock`].
#[derive(Properties, PartialEq)]
pub struct CodeBlockProps {
    /// The excerpt, verbatim.
    pub code: AttrValue,
    /// Its language, for highlighting.
    pub lang: AttrValue,
}

/// `<pre><code class="language-…">` holding the excerpt, highlighted once it is in the page.
/// The highlighted `<code>` is outside Yew's diff (raw HTML), so highlighting it cannot confuse
/// a later render.
#[function_component]
pub fn CodeBlock(p: &CodeBlockProps) -> Html {
    let pre = use_node_ref();
    {
        let pre = pre.clone();
        use_effect_with((p.code.clone(), p.lang.clone()), move |_| {
            if let Some(pre) = pre.cast::<Element>() {
                if let Ok(Some(code)) = pre.query_selector("code") {
                    highlight(&code);
                }
            }
        });
    }
    let escaped = p
        .code
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let code = format!(
        "<code class=\"language-{}\" data-course-code=\"\">{escaped}</code>",
        p.lang
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    html! { <pre class="course-code" ref={pre}>{super::raw(&code)}</pre> }
}

/// Highlights `block` with the page's `hljs`, if it has one.
fn highlight(block: &Element) {
    let get = |target: &JsValue, name: &str| {
        js_sys::Reflect::get(target, &name.into()).unwrap_or_default()
    };
    let hljs = get(&gloo_utils::window(), "hljs");
    // highlight.js renamed `highlightBlock` (mdBook ships 10.1) to `highlightElement` (10.7+).
    let Some(f) = ["highlightElement", "highlightBlock"]
        .into_iter()
        .find_map(|name| get(&hljs, name).dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let _ = f.call1(&hljs, block);
    // As mdBook does for its own code blocks: the themes style `.hljs`.
    let _ = block.class_list().add_1("hljs");
}
