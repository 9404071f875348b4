//! The configuration panel: memory, timeout, ephemeral storage; reserved and provisioned
//! concurrency (on a version or an alias); publishing and deleting versions, pointing aliases; async
//! settings; VPC; the resource-based, execution-role and trust policies as
//! JSON editors, and managed policies. Values go to the simulator as they are: out-of-range ones
//! come back with the error AWS gives. The forms keep what the learner typed; a submit reads them
//! into a step ([`step()`]).

mod form;
mod managed;
mod step;

use litemap::LiteMap;
use std::rc::Rc;

use course_model::lab::{Action, Control, Lab};
use lab_runtime::FunctionConfig;
use yew::prelude::*;

use super::field::Field;
use super::ui::{OnStep, Values};
use form::Form;

/// The forms of the panel, in order: form id, shown when the lab allows this control.
pub(super) const FORMS: [(&str, Control); 13] = [
    ("config", Control::Config),
    ("reserved", Control::Concurrency),
    ("provisioned", Control::Concurrency),
    ("publish", Control::Versions),
    ("alias", Control::Versions),
    ("delete-version", Control::Versions),
    ("async", Control::Async),
    ("vpc", Control::Vpc),
    ("policy", Control::Policies),
    ("role", Control::Policies),
    ("managed", Control::Policies),
    ("detach", Control::Policies),
    ("trust", Control::Policies),
];

/// The lab's queues as choices, after "none".
fn queue_options(lab: &Lab) -> Vec<(&str, &str)> {
    std::iter::once(("", "none"))
        .chain(lab.queues.iter().map(|q| (q.as_str(), q.as_str())))
        .collect()
}

/// The policy a setup action gives, if any.
fn setup_policy(lab: &Lab, c: &FunctionConfig) -> String {
    lab.setup
        .iter()
        .find_map(|a| match a {
            Action::PutFunctionPolicy { function, policy } if *function == c.name => policy.clone(),
            _ => None,
        })
        .unwrap_or_default()
}

/// The trust policy the setup gives the role, if any.
fn setup_trust(lab: &Lab, c: &FunctionConfig) -> String {
    lab.setup
        .iter()
        .find_map(|a| match a {
            Action::CreateRole {
                name, trust_policy, ..
            } if *name == c.role => Some(trust_policy.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The configuration panel's properties.
#[derive(Properties, PartialEq)]
pub struct ConfigProps {
    /// The lab.
    pub lab: Rc<Lab>,
    /// Id prefix.
    pub uid: AttrValue,
    /// The function's configuration now.
    pub config: FunctionConfig,
    /// Its versions, aliases and provisioned concurrency in one line.
    pub versions: AttrValue,
    /// The managed policies attached to its execution role.
    pub attached: Rc<Vec<String>>,
    /// Work runs: the panel waits.
    pub busy: bool,
    /// Inline errors by form.
    pub errors: Rc<LiteMap<&'static str, String>>,
    /// A step.
    pub on_step: OnStep,
    /// A form's values are not valid.
    pub on_invalid: Callback<(&'static str, String)>,
}

/// `.lab-config`: the forms the lab allows.
#[function_component(ConfigPanel)]
pub fn config_panel(p: &ConfigProps) -> Html {
    let panel = use_node_ref();
    let chosen = {
        let attached = p.attached.clone();
        use_state(move || managed::first_choice(&attached))
    };
    let on_submit = {
        let (lab, panel, on_step, on_invalid) = (
            p.lab.clone(),
            panel.clone(),
            p.on_step.clone(),
            p.on_invalid.clone(),
        );
        Callback::from(move |form: &'static str| {
            match step::step(&lab, &Values::of(&panel), form) {
                Some((form, Ok(step))) => on_step.emit((form, step)),
                Some((form, Err(message))) => on_invalid.emit((form, message)),
                None => {}
            }
        })
    };
    let (lab, c) = (&*p.lab, &p.config);
    let f = Form {
        uid: &p.uid,
        errors: &p.errors,
        on_submit: &on_submit,
    };
    let s = |v: &str| v.to_owned();
    html! {
        <fieldset class="lab-panel lab-config" disabled={p.busy} ref={panel}>
            <legend>{ format!("Configuration of {}", c.name) }</legend>
            <p class="lab-current">{ current(c) }</p>
            if lab.allows(Control::Config) {
                { f.form("config", html! { <>
                    { f.input("memory", "lab-memory", s("Memory (MB)"), c.memory_mb.to_string(), true) }
                    { f.input("timeout", "lab-timeout", s("Timeout (s)"), c.timeout_s.to_string(), true) }
                    { f.input("storage", "lab-storage", s("Ephemeral storage (MB)"), c.ephemeral_storage_mb.to_string(), true) }
                </> }, "lab-save-config", "Save configuration") }
            }
            if lab.allows(Control::Concurrency) {
                { f.form("reserved", f.input("reserved", "lab-reserved", s("Reserved concurrency (empty = none)"),
                    c.reserved_concurrency.map(|r| r.to_string()).unwrap_or_default(), true), "lab-save-reserved", "Set reserved") }
                { f.form("provisioned", html! { <>
                    { f.input("provisioned", "lab-provisioned", s("Provisioned concurrency"), s("1"), true) }
                    { f.input("provisioned-on", "lab-provisioned-qualifier", s("On version or alias"), s(""), false) }
                </> }, "lab-save-provisioned", "Set provisioned") }
            }
            if lab.allows(Control::Versions) || lab.allows(Control::Concurrency) {
                <p class="lab-versions">{ p.versions.clone() }</p>
            }
            if lab.allows(Control::Versions) {
                { f.form("publish", html! {}, "lab-publish", "Publish version") }
                { f.form("alias", html! { <>
                    { f.input("alias", "lab-alias", s("Alias"), s("live"), false) }
                    { f.input("alias-version", "lab-alias-version", s("Points to version"), s("1"), false) }
                    { f.input("alias-extra", "lab-alias-extra", s("Second version (optional)"), s(""), false) }
                    { f.input("alias-weight", "lab-alias-weight", s("Its weight, 0–1"), s(""), false) }
                </> }, "lab-save-alias", "Point alias") }
                { f.form("delete-version", html! {
                    { f.input("delete-version", "lab-delete-version", s("Version to delete"), s(""), false) }
                }, "lab-save-delete-version", "Delete version") }
            }
            if lab.allows(Control::Async) {
                { async_form(&f, lab, c) }
            }
            if lab.allows(Control::Vpc) {
                { vpc_form(&f, c) }
            }
            if lab.allows(Control::Policies) {
                { policy_forms(&f, p, &chosen) }
            }
        </fieldset>
    }
}

/// Retries, event age, DLQ and destinations.
fn async_form(f: &Form, lab: &Lab, c: &FunctionConfig) -> Html {
    let a = &c.async_config;
    let queues = queue_options(lab);
    let chosen = |q: &Option<String>| q.clone().unwrap_or_default();
    f.form("async", html! { <>
        { f.input("retries", "lab-retries", "Retry attempts (0–2)".into(), a.maximum_retry_attempts.to_string(), true) }
        { f.input("max-age", "lab-max-age", "Maximum event age (s)".into(), a.maximum_event_age_s.to_string(), true) }
        { f.select("dlq", "lab-dlq", "Dead-letter queue".into(), &queues, &chosen(&a.dead_letter_queue), None) }
        { f.select("on-failure", "lab-on-failure", "On-failure destination (SQS queue)".into(), &queues, &chosen(&a.on_failure), None) }
        { f.select("on-success", "lab-on-success", "On-success destination (SQS queue)".into(), &queues, &chosen(&a.on_success), None) }
    </> }, "lab-save-async", "Save async settings")
}

/// Subnets and security groups.
fn vpc_form(f: &Form, c: &FunctionConfig) -> Html {
    let joined = |get: fn(&lab_runtime::config::VpcConfig) -> &Vec<String>| {
        c.vpc
            .as_ref()
            .map(|v| get(v).join(", "))
            .unwrap_or_default()
    };
    f.form("vpc", html! { <>
        <p class="lab-vpc-now">{ vpc_now(c) }</p>
        <Field id={f.id("subnets")} class="lab-subnets" label="Subnet ids (comma-separated; empty both to detach)"
            initial={joined(|v| &v.subnet_ids)} placeholder="subnet-0a1b2c3d" />
        <Field id={f.id("groups")} class="lab-security-groups" label="Security group ids (comma-separated)"
            initial={joined(|v| &v.security_group_ids)} placeholder="sg-0a1b2c3d" />
    </> }, "lab-save-vpc", "Save VPC settings")
}

/// The resource-based policy, the execution role's inline and managed policies, its trust.
fn policy_forms(f: &Form, p: &ConfigProps, chosen: &UseStateHandle<AttrValue>) -> Html {
    let (lab, c) = (&*p.lab, &p.config);
    html! { <>
        { f.form("policy", f.textarea("policy", "lab-policy",
            "Resource-based policy (JSON; replaces the current one, empty removes it)".into(), setup_policy(lab, c)),
            "lab-save-policy", "Save resource-based policy") }
        { f.form("role", f.textarea("role", "lab-role-policy",
            format!("Add an inline policy to the execution role {} (JSON)", c.role), String::new()),
            "lab-save-role", "Add to execution role") }
        { managed::managed_forms(f, &c.role, &p.attached, chosen) }
        { f.form("trust", f.textarea("trust", "lab-trust-policy",
            format!("Trust policy of {} (JSON; who may assume the role)", c.role), setup_trust(lab, c)),
            "lab-save-trust", "Replace trust policy") }
    </> }
}

/// "Now: …": the configuration in one line.
fn current(c: &FunctionConfig) -> String {
    format!(
        "Now: {} MB ({:.2} vCPU), timeout {} s, /tmp {} MB, reserved {}, retries {}, DLQ {}, on-failure {}, on-success {}",
        c.memory_mb,
        c.cpu_milli() as f64 / 1000.0,
        c.timeout_s,
        c.ephemeral_storage_mb,
        c.reserved_concurrency.map(|r| r.to_string()).unwrap_or_else(|| "none".into()),
        c.async_config.maximum_retry_attempts,
        c.async_config.dead_letter_queue.as_deref().unwrap_or("none"),
        c.async_config.on_failure.as_deref().unwrap_or("none"),
        c.async_config.on_success.as_deref().unwrap_or("none")
    )
}

/// Where the function is attached.
fn vpc_now(c: &FunctionConfig) -> String {
    match &c.vpc {
        Some(v) => format!(
            "In a VPC: subnets {}, security groups {}",
            v.subnet_ids.join(", "),
            v.security_group_ids.join(", ")
        ),
        None => "Not attached to a VPC".to_owned(),
    }
}
