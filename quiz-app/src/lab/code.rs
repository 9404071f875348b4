//! The handler editor: the script with line numbers, a syntax check that points at the line, and
//! "Deploy" (a new version: environments are replaced, as a real deploy does).

use lab_runtime::HandlerSpec;
use yew::prelude::*;

use super::ui::event_value;

/// The editor's properties.
#[derive(Properties, PartialEq)]
pub struct CodeProps {
    /// Id prefix.
    pub uid: AttrValue,
    /// The handler deployed now.
    pub handler: HandlerSpec,
    /// Work runs: the editor waits.
    pub busy: bool,
    /// The syntax error of the last deploy: line (from 1), message.
    pub problem: Option<(usize, String)>,
    /// "Deploy" the script typed.
    pub on_deploy: Callback<String>,
}

fn script(handler: &HandlerSpec) -> String {
    match handler {
        HandlerSpec::Script(s) => s.clone(),
        HandlerSpec::Profile(_) => String::new(),
    }
}

/// Lines of the editor (a final newline starts one more).
fn lines(source: &str) -> usize {
    source.lines().count().max(1) + usize::from(source.ends_with('\n'))
}

/// `.lab-code`.
#[function_component(CodePanel)]
pub fn code_panel(p: &CodeProps) -> Html {
    let text = {
        let first = script(&p.handler);
        use_state(move || first)
    };
    if matches!(p.handler, HandlerSpec::Profile(_)) {
        return html! {
            <fieldset class="lab-panel lab-code" disabled={p.busy}>
                <legend>{ "Handler code (script)" }</legend>
                <p>{ "This function runs a statistical profile, not code." }</p>
            </fieldset>
        };
    }
    let id = format!("{}-code", p.uid);
    let error_id = format!("{id}-error");
    let n = lines(&text);
    let bad = p.problem.as_ref().map_or(0, |(l, _)| *l);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(event_value(&e)))
    };
    let onclick = {
        let (text, on_deploy) = (text.clone(), p.on_deploy.clone());
        Callback::from(move |_: MouseEvent| on_deploy.emit((*text).clone()))
    };
    let changed = *text != script(&p.handler);
    html! {
        <fieldset class="lab-panel lab-code" disabled={p.busy}>
            <legend>{ "Handler code (script)" }</legend>
            <label for={id.clone()}>{ "Code: top-level statements are the Init phase; the closure at the end is the handler" }</label>
            <div class="lab-editor">
                <pre class="lab-gutter" aria-hidden="true">
                    { for (1..=n).map(|line| html! {
                        <span class={if line == bad { "lab-line-no is-error" } else { "lab-line-no" }}>{ format!("{line}\n") }</span>
                    }) }
                </pre>
                <textarea id={id} class="lab-code-input lab-script" spellcheck="false" wrap="off"
                    rows={n.clamp(6, 24).to_string()}
                    aria-invalid={p.problem.is_some().to_string()}
                    aria-describedby={error_id.clone()}
                    value={(*text).clone()} {oninput} />
            </div>
            <div class="lab-buttons">
                <button type="button" class="lab-deploy" {onclick}>
                    { if changed { "Deploy" } else { "Deploy (unchanged)" } }
                </button>
            </div>
            <p class="lab-error" id={error_id} role="alert">{ p.problem.as_ref().map(|(_, m)| m.clone()).unwrap_or_default() }</p>
        </fieldset>
    }
}
