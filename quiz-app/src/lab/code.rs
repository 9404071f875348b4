//! The handler editor: the script with line numbers, a syntax check that points at the line, and
//! "Deploy" (a new version: environments are replaced, as a real deploy does).

use std::rc::Rc;

use course_model::lab::{check_script, Lab, Step};
use lab_runtime::HandlerSpec;
use yew::prelude::*;

use super::console::OnStep;
use super::ui::bind;

/// Props of [`CodePanel`].
#[derive(Properties, PartialEq)]
pub struct CodeProps {
    /// The lab.
    pub lab: Rc<Lab>,
    /// The deployed handler.
    pub handler: HandlerSpec,
    /// A load test is running.
    pub busy: bool,
    /// Sends a step.
    pub on_step: OnStep,
}

/// The editor.
#[function_component(CodePanel)]
pub fn code_panel(props: &CodeProps) -> Html {
    let lab = &props.lab;
    let deployed = match &props.handler {
        HandlerSpec::Script(s) => s.clone(),
        HandlerSpec::Profile(_) => String::new(),
    };
    let source = use_state(|| deployed.clone());
    let problem = use_state(|| None::<(usize, String)>);
    let id = format!("lab-{}-code", lab.id);
    let on_deploy = {
        let (source, problem, on_step, f) = (
            source.clone(),
            problem.clone(),
            props.on_step.clone(),
            lab.function.clone(),
        );
        Callback::from(move |_: MouseEvent| match check_script(&source) {
            Ok(()) => {
                problem.set(None);
                on_step.emit((
                    "code",
                    Step::Deploy {
                        function: f.clone(),
                        script: (*source).clone(),
                    },
                ));
            }
            Err(p) => problem.set(Some((
                p.line,
                format!("Line {}, column {}: {}", p.line, p.col, p.message),
            ))),
        })
    };
    let lines = source.lines().count().max(1) + usize::from(source.ends_with('\n'));
    let bad_line = problem.as_ref().map(|(l, _)| *l).unwrap_or(0);
    let changed = *source != deployed;
    html! {
        <fieldset class="lab-panel lab-code" disabled={props.busy}>
            <legend>{ "Handler code (Rhai)" }</legend>
            if matches!(props.handler, HandlerSpec::Profile(_)) {
                <p>{ "This function runs a statistical profile, not code." }</p>
            } else {
                <label for={id.clone()}>{ "Code: top-level statements are the Init phase; the closure at the end is the handler" }</label>
                <div class="lab-editor">
                    <pre class="lab-gutter" aria-hidden="true">
                        { for (1..=lines).map(|n| html! {
                            <span class={classes!("lab-line-no", (n == bad_line).then_some("is-error"))}>{ format!("{n}\n") }</span>
                        }) }
                    </pre>
                    <textarea id={id.clone()} class="lab-code-input lab-script" rows={lines.clamp(6, 24).to_string()}
                        spellcheck="false" wrap="off" value={(*source).clone()} oninput={bind(&source)}
                        aria-invalid={problem.is_some().to_string()}
                        aria-describedby={format!("{id}-error")} />
                </div>
                <div class="lab-buttons">
                    <button type="button" class="lab-deploy" onclick={on_deploy}>{ if changed { "Deploy" } else { "Deploy (unchanged)" } }</button>
                </div>
                <p class="lab-error" id={format!("{id}-error")} role="alert">
                    { problem.as_ref().map(|(_, m)| m.clone()).unwrap_or_default() }
                </p>
            }
        </fieldset>
    }
}
