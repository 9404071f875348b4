//! The objectives checklist, hints one at a time, and "Reset lab" (after an in-page
//! confirmation).

use std::rc::Rc;

use course_model::lab::{Lab, ObjectiveStatus};
use yew::prelude::*;

/// The checklist's properties.
#[derive(Properties, PartialEq)]
pub struct ObjectivesProps {
    /// The lab.
    pub lab: Rc<Lab>,
    /// Where each objective stands.
    pub statuses: Rc<Vec<ObjectiveStatus>>,
    /// Completed in an earlier visit, not yet in this world.
    pub earlier: Rc<Vec<String>>,
    /// Hints shown.
    pub hints: usize,
    /// "Reset lab" asks for confirmation.
    pub confirm: bool,
    /// Id prefix.
    pub uid: AttrValue,
    /// "Show hint".
    pub on_hint: Callback<MouseEvent>,
    /// "Reset lab".
    pub on_reset: Callback<MouseEvent>,
    /// "Yes, reset".
    pub on_yes: Callback<MouseEvent>,
    /// "Cancel".
    pub on_no: Callback<MouseEvent>,
}

/// One objective: ○ not yet, ✔ completed (in this world or, said so, earlier).
fn item(o: &course_model::lab::Objective, st: Option<&ObjectiveStatus>, earlier: bool) -> Html {
    let ok = st.is_some_and(|s| s.done);
    let (have, need) = st.map(|s| s.progress).unwrap_or((0, 1));
    let (class, hidden, progress) = match (ok, earlier) {
        (true, true) => (
            "lab-objective is-done is-earlier",
            "Completed earlier: ",
            "completed earlier (not yet in this new world)".to_owned(),
        ),
        (true, false) => (
            "lab-objective is-done",
            "Completed: ",
            format!(
                "{have}/{need}{}",
                st.map(|s| format!(" · {}", s.detail)).unwrap_or_default()
            ),
        ),
        _ => (
            "lab-objective",
            "Not yet: ",
            format!(
                "{have}/{need}{}",
                st.map(|s| format!(" · {}", s.detail)).unwrap_or_default()
            ),
        ),
    };
    html! {
        <li class={class} data-objective={o.id.clone()} key={o.id.clone()}>
            <span class="lab-check" aria-hidden="true">{ if ok { "✔" } else { "○" } }</span>
            <span class="visually-hidden">{ hidden }</span>
            <span class="lab-objective-text">{ Html::from_html_unchecked(o.text.clone().into()) }</span>
            <span class="lab-objective-progress">{ progress }</span>
        </li>
    }
}

/// `.lab-objectives`.
#[function_component(Objectives)]
pub fn objectives(p: &ObjectivesProps) -> Html {
    let lab = &p.lab;
    let done = p.statuses.iter().filter(|s| s.done).count();
    let all = lab.objectives.len();
    let earlier = p.earlier.len();
    let summary = match (done == all, earlier) {
        (true, 0) => format!("All {all} objectives completed: lab done."),
        (true, n) => format!("All {all} objectives completed: lab done ({n} completed earlier)."),
        (false, 0) => format!("{done} of {all} objectives completed."),
        (false, n) => format!("{done} of {all} objectives completed ({n} earlier)."),
    };
    let yes = use_node_ref();
    let reset = use_node_ref();
    let was_asking = use_mut_ref(|| false);
    {
        // The focus goes to "Yes, reset" when the question is asked, and back to "Reset lab"
        // once it is answered.
        let (yes, reset) = (yes.clone(), reset.clone());
        use_effect_with(p.confirm, move |confirm| {
            let target = match (*confirm, *was_asking.borrow()) {
                (true, _) => Some(yes),
                (false, true) => Some(reset),
                (false, false) => None,
            };
            if let Some(b) = target.and_then(|t| t.cast::<web_sys::HtmlElement>()) {
                let _ = b.focus();
            }
            *was_asking.borrow_mut() = *confirm;
        });
    }
    let confirm_id = format!("{}-confirm", p.uid);
    html! {
        <div class="lab-objectives">
            <h4>{ "Objectives" }</h4>
            <p class="lab-objectives-summary" aria-live="polite">{ summary }</p>
            <ul class="lab-checklist" aria-live="polite">
                { for lab.objectives.iter().map(|o| {
                    let st = p.statuses.iter().find(|s| s.id == o.id);
                    item(o, st, p.earlier.contains(&o.id))
                }) }
            </ul>
            <div class="lab-hints">
                { for lab.hints.iter().take(p.hints).enumerate().map(|(i, h)| html! {
                    <div class="lab-hint" role="note" aria-label={format!("Hint {}", i + 1)}>
                        { Html::from_html_unchecked(h.clone().into()) }
                    </div>
                }) }
                if p.hints < lab.hints.len() {
                    <button type="button" class="lab-show-hint" onclick={p.on_hint.clone()}>
                        { format!("Show hint {} of {}", p.hints + 1, lab.hints.len()) }
                    </button>
                }
                <button type="button" class="lab-reset" ref={reset} disabled={p.confirm} onclick={p.on_reset.clone()}>{ "Reset lab" }</button>
            </div>
            if p.confirm {
                <div class="lab-confirm course-confirm" role="alertdialog" aria-labelledby={confirm_id.clone()}>
                    <p id={confirm_id}>{ "Reset this lab? Its world starts afresh and every objective is marked not done (in this browser). This cannot be undone." }</p>
                    <button type="button" class="course-button lab-reset-yes" ref={yes} onclick={p.on_yes.clone()}>{ "Yes, reset" }</button>
                    <button type="button" class="course-button lab-reset-no" onclick={p.on_no.clone()}>{ "Cancel" }</button>
                </div>
            }
        </div>
    }
}
