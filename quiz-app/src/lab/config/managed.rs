//! The managed-policy picker: every AWS managed policy the simulator knows
//! ([`lab_runtime::iam::MANAGED_POLICIES`], the one list), with what the chosen one grants under
//! the choice, and the policies the execution role has now, with a choice of one to detach.
//!
//! Plain functions of the panel, not a component of their own: a Yew component adds kilobytes to
//! the lab bundle, which has a size ceiling (tests/tests/size_budget.rs).

use lab_runtime::iam::{find_managed, MANAGED_POLICIES};
use yew::prelude::*;

use super::form::Form;
use crate::lab::ui::event_value;

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

/// `.lab-form-managed` (choose and attach) and `.lab-form-detach` (the role's managed policies
/// and a choice of one to detach). `chosen` is the policy chosen to attach (the panel's state).
pub fn managed_forms(
    f: &Form,
    role: &str,
    attached: &[String],
    chosen: &UseStateHandle<AttrValue>,
) -> Html {
    let summary_id = f.id("managed-summary");
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(event_value(&e).into()))
    };
    let options: Vec<(&str, &str)> = MANAGED_POLICIES.iter().map(|m| (m.name, m.name)).collect();
    let attach = html! { <>
        { f.select("managed", "lab-managed", format!("Attach an AWS managed policy to {role}"),
            &options, chosen, Some((summary_id.clone(), onchange))) }
        <p class="lab-managed-summary" id={summary_id}>{ summary(chosen) }</p>
    </> };
    let now = if attached.is_empty() {
        format!("Managed policies of {role}: none")
    } else {
        format!("Managed policies of {role}: {}", attached.join(", "))
    };
    // With none attached the choice says so, and Detach explains (the button stays, so the
    // focus is not lost when the last one goes).
    let mut detachable: Vec<(&str, &str)> =
        attached.iter().map(|a| (a.as_str(), a.as_str())).collect();
    if detachable.is_empty() {
        detachable.push(("", "none attached"));
    }
    let detach = html! { <>
        <p class="lab-managed-now">{ now }</p>
        { f.select("detach", "lab-detach", format!("Detach a managed policy from {role}"),
            &detachable, detachable[0].0, None) }
    </> };
    html! { <>
        { f.form("managed", attach, "lab-save-managed", "Attach policy") }
        { f.form("detach", detach, "lab-detach-managed", "Detach policy") }
    </> }
}
