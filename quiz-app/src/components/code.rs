//! A code or log excerpt, highlighted by the book's highlight.js when the page has it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The excerpt and its language.
#[derive(Properties, PartialEq)]
pub struct CodeProps {
    /// The code, verbatim.
    pub code: AttrValue,
    /// Its language (`text` when unknown).
    pub lang: AttrValue,
}

/// `<pre><code class="language-…">`; Yew does not manage the code's children, so highlighting
/// may rewrite them.
#[function_component]
pub fn CodeBlock(props: &CodeProps) -> Html {
    let code_ref = use_node_ref();
    {
        let code_ref = code_ref.clone();
        use_effect_with(props.code.clone(), move |code| {
            if let Some(el) = code_ref.cast::<web_sys::HtmlElement>() {
                el.set_text_content(Some(code));
                highlight(&el);
            }
        });
    }
    html! {
        <pre class="course-code"><code class={format!("language-{}", props.lang)} ref={code_ref}></code></pre>
    }
}

fn highlight(el: &web_sys::HtmlElement) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let get = |target: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(target, &name.into()).unwrap_or_default()
    };
    let hljs = get(&window, "hljs");
    if hljs.is_object() {
        if let Ok(f) = get(&hljs, "highlightElement").dyn_into::<js_sys::Function>() {
            let _ = f.call1(&hljs, el);
        }
    }
}
