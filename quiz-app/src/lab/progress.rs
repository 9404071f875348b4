//! The progress row of long work: its label, a progress bar and "Cancel".

use yew::prelude::*;

/// The progress row's properties.
#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// What runs ("Load test").
    pub label: AttrValue,
    /// Share done, 0–1.
    pub fraction: f64,
    /// Id prefix.
    pub uid: AttrValue,
    /// "Cancel".
    pub on_cancel: Callback<MouseEvent>,
}

/// `.lab-progress`.
#[function_component(Progress)]
pub fn progress(p: &ProgressProps) -> Html {
    let id = format!("{}-progress", p.uid);
    let percent = format!("{:.0}", p.fraction * 100.0);
    html! {
        <div class="lab-progress">
            <label for={id.clone()}>{ p.label.clone() }</label>
            <progress id={id} max="100" value={percent.clone()}>{ format!("{percent} %") }</progress>
            <button type="button" class="lab-cancel" onclick={p.on_cancel.clone()}>{ "Cancel" }</button>
        </div>
    }
}
