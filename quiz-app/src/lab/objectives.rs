//! The objectives checklist (updated live), hints one at a time, and "reset lab".

use std::rc::Rc;

use course_model::lab::{Lab, ObjectiveStatus};
use yew::prelude::*;

/// Props of [`Objectives`].
#[derive(Properties, PartialEq)]
pub struct ObjectivesProps {
    /// The lab.
    pub lab: Rc<Lab>,
    /// Where each objective stands.
    pub statuses: Rc<Vec<ObjectiveStatus>>,
    /// "Reset lab".
    pub on_reset: Callback<MouseEvent>,
}

/// The checklist.
#[function_component(Objectives)]
pub fn objectives(props: &ObjectivesProps) -> Html {
    let shown = use_state(|| 0usize);
    let lab = &props.lab;
    let done = props.statuses.iter().filter(|s| s.done).count();
    let all = lab.objectives.len();
    let more_hints = *shown < lab.hints.len();
    let on_hint = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + 1))
    };
    html! {
        <div class="lab-objectives">
            <h4>{ "Objectives" }</h4>
            <p class="lab-objectives-summary" aria-live="polite">
                { if done == all { format!("All {all} objectives completed: lab done.") } else { format!("{done} of {all} objectives completed.") } }
            </p>
            <ul class="lab-checklist" aria-live="polite">
                { for lab.objectives.iter().map(|o| {
                    let st = props.statuses.iter().find(|s| s.id == o.id);
                    let ok = st.is_some_and(|s| s.done);
                    let (have, need) = st.map(|s| s.progress).unwrap_or((0, 1));
                    html! {
                        <li class={classes!("lab-objective", ok.then_some("is-done"))} data-objective={o.id.clone()}>
                            <span class="lab-check" aria-hidden="true">{ if ok { "✔" } else { "○" } }</span>
                            <span class="visually-hidden">{ if ok { "Completed: " } else { "Not yet: " } }</span>
                            <span class="lab-objective-text">{ Html::from_html_unchecked(o.text.clone().into()) }</span>
                            <span class="lab-objective-progress">
                                { format!("{have}/{need}") }
                                { st.map(|s| format!(" · {}", s.detail)).unwrap_or_default() }
                            </span>
                        </li>
                    }
                }) }
            </ul>
            <div class="lab-hints">
                { for lab.hints.iter().take(*shown).enumerate().map(|(i, h)| html! {
                    <div class="lab-hint" role="note" aria-label={format!("Hint {}", i + 1)}>{ Html::from_html_unchecked(h.clone().into()) }</div>
                }) }
                if more_hints {
                    <button type="button" class="lab-show-hint" onclick={on_hint}>{ format!("Show hint {} of {}", *shown + 1, lab.hints.len()) }</button>
                }
                <button type="button" class="lab-reset" onclick={props.on_reset.clone()}>{ "Reset lab" }</button>
            </div>
        </div>
    }
}
