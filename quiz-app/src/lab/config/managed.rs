//! The managed-policy picker: every AWS managed policy the simulator knows
//! ([`lab_runtime::iam::MANAGED_POLICIES`], the one list), with what the chosen one grants under
//! the choice, and the policies the execution role has now, each with **Detach**.

use std::rc::Rc;

use lab_runtime::iam::{find_managed, MANAGED_POLICIES};
use litemap::LiteMap;
use yew::prelude::*;

use super::form::Form;
use crate::lab::ui::{error_line, event_value};

/// The picker's properties.
#[derive(Properties, PartialEq)]
pub struct ManagedProps {
    /// Id prefix.
    pub uid: AttrValue,
    /// The execution role.
    pub role: AttrValue,
    /// The managed policies attached to it now, in the order attached.
    pub attached: Rc<Vec<String>>,
    /// Inline errors by form (`managed` for attaching, `detach` for detaching).
    pub errors: Rc<LiteMap<&'static str, String>>,
    /// A form was submitted (the panel reads it into a step).
    pub on_submit: Callback<&'static str>,
    /// **Detach** was pressed for this policy.
    pub on_detach: Callback<String>,
}

/// What a managed policy grants, in one line (empty for a name the simulator does not know).
fn summary(name: &str) -> &'static str {
    find_managed(name).map(|m| m.summary).unwrap_or_default()
}

/// `.lab-form-managed` (choose and attach) and `.lab-form-detach` (the role's managed policies).
#[function_component(ManagedPolicies)]
pub fn managed_policies(p: &ManagedProps) -> Html {
    // The first policy the role does not have yet is offered first.
    let chosen = {
        let attached = p.attached.clone();
        use_state(move || {
            MANAGED_POLICIES
                .iter()
                .find(|m| !attached.iter().any(|a| a == m.name))
                .unwrap_or(&MANAGED_POLICIES[0])
                .name
                .to_owned()
        })
    };
    let f = Form {
        uid: &p.uid,
        errors: &p.errors,
        on_submit: &p.on_submit,
    };
    let (select_id, summary_id, now_id) = (
        f.id("managed"),
        f.id("managed-summary"),
        f.id("managed-now"),
    );
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(event_value(&e)))
    };
    // After **Detach** its button is gone: the focus goes to the choice, not to the page.
    let select = use_node_ref();
    // (`detached` holds how many were attached when it was pressed.)
    let detached = use_mut_ref(|| None::<usize>);
    {
        let (select, detached) = (select.clone(), detached.clone());
        let now = p.attached.len();
        let error = p.errors.get("detach").cloned();
        use_effect_with((now, error), move |_| {
            let before = detached.borrow_mut().take();
            if before.is_some_and(|b| now < b) {
                if let Some(s) = select.cast::<web_sys::HtmlElement>() {
                    let _ = s.focus();
                }
            }
        });
    }
    let is_attached = |name: &str| p.attached.iter().any(|a| a == name);
    let options = MANAGED_POLICIES.iter().map(|m| {
        let text = if is_attached(m.name) {
            format!("{} (attached)", m.name)
        } else {
            m.name.to_owned()
        };
        html! { <option value={m.name} selected={*chosen == m.name}>{ text }</option> }
    });
    let attach = f.form(
        "managed",
        html! { <>
            <label for={select_id.clone()}>{ format!("Attach an AWS managed policy to {}", p.role) }</label>
            <select id={select_id} class="lab-managed" ref={select} aria-describedby={summary_id.clone()} {onchange}>
                { for options }
            </select>
            <p class="lab-managed-summary" id={summary_id}>{ summary(&chosen) }</p>
        </> },
        "lab-save-managed",
        "Attach policy",
    );
    let items = p.attached.iter().map(|name| {
        let (on_detach, detached) = (p.on_detach.clone(), detached.clone());
        let policy = name.clone();
        let count = p.attached.len();
        let onclick = Callback::from(move |_: MouseEvent| {
            *detached.borrow_mut() = Some(count);
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
    html! { <>
        { attach }
        <div class="lab-form lab-form-detach" role="group" aria-labelledby={now_id.clone()} aria-describedby={detach_error.clone()}>
            <p class="lab-managed-now" id={now_id}>{
                if p.attached.is_empty() {
                    format!("Managed policies of {}: none", p.role)
                } else {
                    format!("Managed policies of {}:", p.role)
                }
            }</p>
            if !p.attached.is_empty() {
                <ul class="lab-managed-list">{ for items }</ul>
            }
            { error_line(detach_error, p.errors.get("detach")) }
        </div>
    </> }
}
