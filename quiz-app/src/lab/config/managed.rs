//! The managed-policy picker: every AWS managed policy the simulator knows
//! ([`lab_runtime::iam::MANAGED_POLICIES`], the one list), with what the chosen one grants under
//! the choice, and the policies the execution role has now, each with **Detach**.
//!
//! Plain functions of the panel, not a component of their own: a Yew component adds kilobytes to
//! the lab bundle, which has a size ceiling (tests/tests/size_budget.rs).

use lab_runtime::iam::{find_managed, MANAGED_POLICIES};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::form::Form;
use crate::lab::ui::{error_line, event_value};

/// What a managed policy grants, in one line (empty for a name the simulator does not know).
fn summary(name: &str) -> &'static str {
    find_managed(name).map(|m| m.summary).unwrap_or_default()
}

/// The policy offered first: the first one the role does not have yet.
pub fn first_choice(attached: &[String]) -> AttrValue {
    let m = MANAGED_POLICIES
        .iter()
        .find(|m| !attached.iter().any(|a| a == m.name))
        .unwrap_or(&MANAGED_POLICIES[0]);
    AttrValue::Static(m.name)
}

/// `.lab-form-managed` (choose and attach) and `.lab-form-detach` (the role's managed policies).
/// `chosen` is the policy chosen now (the panel's state); **Detach** sends `on_detach`.
pub fn managed_forms(
    f: &Form,
    role: &str,
    attached: &[String],
    chosen: &UseStateHandle<AttrValue>,
    on_detach: &Callback<String>,
) -> Html {
    let (select_id, summary_id, now_id) = (
        f.id("managed"),
        f.id("managed-summary"),
        f.id("managed-now"),
    );
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(event_value(&e).into()))
    };
    let options = MANAGED_POLICIES.iter().map(|m| {
        let text = if attached.iter().any(|a| a == m.name) {
            format!("{} (attached)", m.name)
        } else {
            m.name.to_owned()
        };
        html! { <option value={m.name} selected={**chosen == *m.name}>{ text }</option> }
    });
    let attach = f.form(
        "managed",
        html! { <>
            <label for={select_id.clone()}>{ format!("Attach an AWS managed policy to {role}") }</label>
            <select id={select_id.clone()} class="lab-managed" aria-describedby={summary_id.clone()} {onchange}>
                { for options }
            </select>
            <p class="lab-managed-summary" id={summary_id}>{ summary(chosen) }</p>
        </> },
        "lab-save-managed",
        "Attach policy",
    );
    let items = attached.iter().map(|name| {
        let (on_detach, policy, select_id) = (on_detach.clone(), name.clone(), select_id.clone());
        // Its button goes away: the focus moves to the choice first, not to the page.
        let onclick = Callback::from(move |_: MouseEvent| {
            let select = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&select_id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(s) = select {
                let _ = s.focus();
            }
            on_detach.emit(policy.clone())
        });
        html! {
            <li class="lab-managed-item" data-policy={name.clone()}>
                <span class="lab-managed-name">{ name.clone() }</span>
                <button type="button" class="lab-detach-managed" aria-label={format!("Detach {name}")} {onclick}>{ "Detach" }</button>
                <span class="lab-managed-grants">{ summary(name) }</span>
            </li>
        }
    });
    let detach_error = f.id("detach-error");
    let now = if attached.is_empty() {
        format!("Managed policies of {role}: none")
    } else {
        format!("Managed policies of {role}:")
    };
    html! { <>
        { attach }
        <div class="lab-form lab-form-detach" role="group" aria-labelledby={now_id.clone()} aria-describedby={detach_error.clone()}>
            <p class="lab-managed-now" id={now_id}>{ now }</p>
            if !attached.is_empty() {
                <ul class="lab-managed-list">{ for items }</ul>
            }
            { error_line(detach_error, f.errors.get("detach")) }
        </div>
    </> }
}
