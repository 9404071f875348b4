//! The configuration panel: memory, timeout, ephemeral storage; reserved and provisioned
//! concurrency; async settings; the resource-based and execution-role policies as JSON editors.
//! Values go to the simulator as they are: out-of-range ones come back with the error AWS gives.

use std::rc::Rc;

use course_model::lab::{Action, Control, Lab, Step};
use lab_runtime::FunctionConfig;
use yew::prelude::*;

use super::console::{Errors, OnStep};
use super::ui::{bind, bind_change, field_error};

/// Props of [`ConfigPanel`].
#[derive(Properties, PartialEq)]
pub struct ConfigProps {
    /// The lab.
    pub lab: Rc<Lab>,
    /// The function's current configuration.
    pub function: FunctionConfig,
    /// A load test is running.
    pub busy: bool,
    /// Sends a step.
    pub on_step: OnStep,
    /// Inline errors by form.
    pub errors: Errors,
}

fn int(s: &str) -> Result<u32, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("ValidationException: '{}' is not a whole number", s.trim()))
}

/// The configuration panel.
#[function_component(ConfigPanel)]
pub fn config_panel(props: &ConfigProps) -> Html {
    let lab = &props.lab;
    let c = &props.function;
    let id = |s: &str| format!("lab-{}-{s}", lab.id);
    let memory = use_state(|| c.memory_mb.to_string());
    let timeout = use_state(|| c.timeout_s.to_string());
    let storage = use_state(|| c.ephemeral_storage_mb.to_string());
    let reserved = use_state(|| {
        c.reserved_concurrency
            .map(|r| r.to_string())
            .unwrap_or_default()
    });
    let provisioned = use_state(|| c.provisioned_concurrency.to_string());
    let retries = use_state(|| c.async_config.maximum_retry_attempts.to_string());
    let max_age = use_state(|| c.async_config.maximum_event_age_s.to_string());
    let dlq = use_state(|| c.async_config.dead_letter_queue.clone().unwrap_or_default());
    let on_failure = use_state(|| c.async_config.on_failure.clone().unwrap_or_default());
    let on_success = use_state(|| c.async_config.on_success.clone().unwrap_or_default());
    let policy = use_state(|| {
        lab.setup
            .iter()
            .find_map(|a| match a {
                Action::PutFunctionPolicy { function, policy } if *function == c.name => {
                    policy.clone()
                }
                _ => None,
            })
            .unwrap_or_default()
    });
    let role_policy = use_state(String::new);
    let trust = use_state(|| {
        lab.setup
            .iter()
            .find_map(|a| match a {
                Action::CreateRole {
                    name, trust_policy, ..
                } if *name == c.role => Some(trust_policy.clone()),
                _ => None,
            })
            .unwrap_or_default()
    });
    let managed = use_state(|| MANAGED[0].to_owned());
    let subnets = use_state(|| {
        c.vpc
            .as_ref()
            .map(|v| v.subnet_ids.join(", "))
            .unwrap_or_default()
    });
    let groups = use_state(|| {
        c.vpc
            .as_ref()
            .map(|v| v.security_group_ids.join(", "))
            .unwrap_or_default()
    });
    let local = use_state(|| None::<(&'static str, String)>);
    let f = c.name.clone();

    let submit = |form: &'static str, make: Rc<dyn Fn() -> Result<Step, String>>| {
        let (on_step, local) = (props.on_step.clone(), local.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match make() {
                Ok(step) => {
                    local.set(None);
                    on_step.emit((form, step));
                }
                Err(m) => local.set(Some((form, m))),
            }
        })
    };
    let error = |form: &'static str| {
        let mine = local.as_ref().filter(|(f, _)| *f == form).map(|(_, m)| m);
        field_error(
            &id(&format!("{form}-error")),
            mine.or(props.errors.get(form)),
        )
    };
    let json = |s: &str| -> Result<(), String> {
        serde_json::from_str::<serde_json::Value>(s)
            .map(|_| ())
            .map_err(|e| {
                format!("MalformedPolicyDocumentException: the policy is not valid JSON ({e})")
            })
    };

    let on_config = {
        let (memory, timeout, storage, f) =
            (memory.clone(), timeout.clone(), storage.clone(), f.clone());
        submit(
            "config",
            Rc::new(move || {
                Ok(Step::Configure {
                    function: f.clone(),
                    memory_mb: Some(int(&memory)?),
                    timeout_s: Some(int(&timeout)?),
                    ephemeral_storage_mb: Some(int(&storage)?),
                })
            }),
        )
    };
    let on_reserved = {
        let (reserved, f) = (reserved.clone(), f.clone());
        submit(
            "reserved",
            Rc::new(move || {
                let r = reserved.trim();
                Ok(Step::SetReserved {
                    function: f.clone(),
                    reserved: if r.is_empty() { None } else { Some(int(r)?) },
                })
            }),
        )
    };
    let on_provisioned = {
        let (provisioned, f) = (provisioned.clone(), f.clone());
        submit(
            "provisioned",
            Rc::new(move || {
                Ok(Step::SetProvisioned {
                    function: f.clone(),
                    amount: int(&provisioned)?,
                })
            }),
        )
    };
    let on_async = {
        let (retries, max_age, dlq, f) = (retries.clone(), max_age.clone(), dlq.clone(), f.clone());
        let (on_failure, on_success) = (on_failure.clone(), on_success.clone());
        let chosen = |q: &UseStateHandle<String>| (!q.is_empty()).then(|| (**q).clone());
        submit(
            "async",
            Rc::new(move || {
                Ok(Step::SetAsync {
                    function: f.clone(),
                    maximum_retry_attempts: int(&retries)?,
                    maximum_event_age_s: int(&max_age)?,
                    dead_letter_queue: chosen(&dlq),
                    on_failure: chosen(&on_failure),
                    on_success: chosen(&on_success),
                })
            }),
        )
    };
    let on_policy = {
        let (policy, f) = (policy.clone(), f.clone());
        submit(
            "policy",
            Rc::new(move || {
                let p = policy.trim();
                if !p.is_empty() {
                    json(p)?;
                }
                Ok(Step::PutFunctionPolicy {
                    function: f.clone(),
                    policy: (!p.is_empty()).then(|| p.to_owned()),
                })
            }),
        )
    };
    let on_role = {
        let (role_policy, f) = (role_policy.clone(), f.clone());
        submit(
            "role",
            Rc::new(move || {
                json(role_policy.trim())?;
                Ok(Step::PutRolePolicy {
                    function: f.clone(),
                    policy: role_policy.trim().to_owned(),
                })
            }),
        )
    };
    let on_trust = {
        let (trust, f) = (trust.clone(), f.clone());
        submit(
            "trust",
            Rc::new(move || {
                json(trust.trim())?;
                Ok(Step::PutTrustPolicy {
                    function: f.clone(),
                    policy: trust.trim().to_owned(),
                })
            }),
        )
    };
    let on_managed = {
        let (managed, f) = (managed.clone(), f.clone());
        submit(
            "managed",
            Rc::new(move || {
                Ok(Step::AttachManagedPolicy {
                    function: f.clone(),
                    policy: (*managed).clone(),
                })
            }),
        )
    };
    let on_vpc = {
        let (subnets, groups, f) = (subnets.clone(), groups.clone(), f.clone());
        let ids = |text: &str| -> Vec<String> {
            text.split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        submit(
            "vpc",
            Rc::new(move || {
                Ok(Step::SetVpc {
                    function: f.clone(),
                    subnet_ids: ids(&subnets),
                    security_group_ids: ids(&groups),
                })
            }),
        )
    };
    let described = |form: &str| format!("lab-{}-{form}-error", lab.id);
    html! {
        <fieldset class="lab-panel lab-config" disabled={props.busy}>
            <legend>{ format!("Configuration of {}", c.name) }</legend>
            <p class="lab-current">{ format!(
                "Now: {} MB ({:.2} vCPU), timeout {} s, /tmp {} MB, reserved {}, provisioned {}, retries {}, DLQ {}, on-failure {}, on-success {}",
                c.memory_mb, c.cpu_milli() as f64 / 1000.0, c.timeout_s, c.ephemeral_storage_mb,
                c.reserved_concurrency.map(|r| r.to_string()).unwrap_or_else(|| "none".into()),
                c.provisioned_concurrency, c.async_config.maximum_retry_attempts,
                c.async_config.dead_letter_queue.as_deref().unwrap_or("none"),
                c.async_config.on_failure.as_deref().unwrap_or("none"),
                c.async_config.on_success.as_deref().unwrap_or("none")
            ) }</p>
            if lab.allows(Control::Config) {
                <form class="lab-form lab-form-config" onsubmit={on_config} aria-describedby={described("config")}>
                    <label for={id("memory")}>{ "Memory (MB)" }</label>
                    <input id={id("memory")} class="lab-memory" inputmode="numeric" value={(*memory).clone()} oninput={bind(&memory)} />
                    <label for={id("timeout")}>{ "Timeout (s)" }</label>
                    <input id={id("timeout")} class="lab-timeout" inputmode="numeric" value={(*timeout).clone()} oninput={bind(&timeout)} />
                    <label for={id("storage")}>{ "Ephemeral storage (MB)" }</label>
                    <input id={id("storage")} class="lab-storage" inputmode="numeric" value={(*storage).clone()} oninput={bind(&storage)} />
                    <button type="submit" class="lab-save-config">{ "Save configuration" }</button>
                    { error("config") }
                </form>
            }
            if lab.allows(Control::Concurrency) {
                <form class="lab-form lab-form-reserved" onsubmit={on_reserved} aria-describedby={described("reserved")}>
                    <label for={id("reserved")}>{ "Reserved concurrency (empty = none)" }</label>
                    <input id={id("reserved")} class="lab-reserved" inputmode="numeric" value={(*reserved).clone()} oninput={bind(&reserved)} />
                    <button type="submit" class="lab-save-reserved">{ "Set reserved" }</button>
                    { error("reserved") }
                </form>
                <form class="lab-form lab-form-provisioned" onsubmit={on_provisioned} aria-describedby={described("provisioned")}>
                    <label for={id("provisioned")}>{ "Provisioned concurrency" }</label>
                    <input id={id("provisioned")} class="lab-provisioned" inputmode="numeric" value={(*provisioned).clone()} oninput={bind(&provisioned)} />
                    <button type="submit" class="lab-save-provisioned">{ "Set provisioned" }</button>
                    { error("provisioned") }
                </form>
            }
            if lab.allows(Control::Async) {
                <form class="lab-form lab-form-async" onsubmit={on_async} aria-describedby={described("async")}>
                    <label for={id("retries")}>{ "Retry attempts (0–2)" }</label>
                    <input id={id("retries")} class="lab-retries" inputmode="numeric" value={(*retries).clone()} oninput={bind(&retries)} />
                    <label for={id("max-age")}>{ "Maximum event age (s)" }</label>
                    <input id={id("max-age")} class="lab-max-age" inputmode="numeric" value={(*max_age).clone()} oninput={bind(&max_age)} />
                    <label for={id("dlq")}>{ "Dead-letter queue" }</label>
                    <select id={id("dlq")} class="lab-dlq" onchange={bind_change(&dlq)}>
                        <option value="" selected={dlq.is_empty()}>{ "none" }</option>
                        { for lab.queues.iter().map(|q| html! { <option value={q.clone()} selected={*q == *dlq}>{ q.clone() }</option> }) }
                    </select>
                    { queue_select(&id("on-failure"), "lab-on-failure", "On-failure destination (SQS queue)", &on_failure, &lab.queues) }
                    { queue_select(&id("on-success"), "lab-on-success", "On-success destination (SQS queue)", &on_success, &lab.queues) }
                    <button type="submit" class="lab-save-async">{ "Save async settings" }</button>
                    { error("async") }
                </form>
            }
            if lab.allows(Control::Vpc) {
                <form class="lab-form lab-form-vpc" onsubmit={on_vpc} aria-describedby={described("vpc")}>
                    <p class="lab-vpc-now">{ match &c.vpc {
                        Some(v) => format!("In a VPC: subnets {}, security groups {}", v.subnet_ids.join(", "), v.security_group_ids.join(", ")),
                        None => "Not attached to a VPC".to_owned(),
                    } }</p>
                    <label for={id("subnets")}>{ "Subnet ids (comma-separated; empty both to detach)" }</label>
                    <input id={id("subnets")} class="lab-subnets" value={(*subnets).clone()} oninput={bind(&subnets)} placeholder="subnet-0a1b2c3d" />
                    <label for={id("groups")}>{ "Security group ids (comma-separated)" }</label>
                    <input id={id("groups")} class="lab-security-groups" value={(*groups).clone()} oninput={bind(&groups)} placeholder="sg-0a1b2c3d" />
                    <button type="submit" class="lab-save-vpc">{ "Save VPC settings" }</button>
                    { error("vpc") }
                </form>
            }
            if lab.allows(Control::Policies) {
                <form class="lab-form lab-form-policy" onsubmit={on_policy} aria-describedby={described("policy")}>
                    <label for={id("policy")}>{ "Resource-based policy (JSON; replaces the current one, empty removes it)" }</label>
                    <textarea id={id("policy")} class="lab-policy lab-code-input" rows="6" spellcheck="false" value={(*policy).clone()} oninput={bind(&policy)} />
                    <button type="submit" class="lab-save-policy">{ "Save resource-based policy" }</button>
                    { error("policy") }
                </form>
                <form class="lab-form lab-form-role" onsubmit={on_role} aria-describedby={described("role")}>
                    <label for={id("role")}>{ format!("Add an inline policy to the execution role {} (JSON)", c.role) }</label>
                    <textarea id={id("role")} class="lab-role-policy lab-code-input" rows="6" spellcheck="false" value={(*role_policy).clone()} oninput={bind(&role_policy)} />
                    <button type="submit" class="lab-save-role">{ "Add to execution role" }</button>
                    { error("role") }
                </form>
                <form class="lab-form lab-form-managed" onsubmit={on_managed} aria-describedby={described("managed")}>
                    <label for={id("managed")}>{ format!("Attach an AWS managed policy to {}", c.role) }</label>
                    <select id={id("managed")} class="lab-managed" onchange={bind_change(&managed)}>
                        { for MANAGED.iter().map(|m| html! { <option value={*m} selected={*m == *managed}>{ *m }</option> }) }
                    </select>
                    <button type="submit" class="lab-save-managed">{ "Attach policy" }</button>
                    { error("managed") }
                </form>
                <form class="lab-form lab-form-trust" onsubmit={on_trust} aria-describedby={described("trust")}>
                    <label for={id("trust")}>{ format!("Trust policy of {} (JSON; who may assume the role)", c.role) }</label>
                    <textarea id={id("trust")} class="lab-trust-policy lab-code-input" rows="6" spellcheck="false" value={(*trust).clone()} oninput={bind(&trust)} />
                    <button type="submit" class="lab-save-trust">{ "Replace trust policy" }</button>
                    { error("trust") }
                </form>
            }
        </fieldset>
    }
}

/// The AWS managed policies the simulator knows (lambda-facts §6 "managed policies").
const MANAGED: [&str; 2] = [
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
];

/// A labelled choice of one of the lab's queues, or none.
fn queue_select(
    id: &str,
    class: &'static str,
    label: &'static str,
    value: &UseStateHandle<String>,
    queues: &[String],
) -> Html {
    html! {
        <>
            <label for={id.to_owned()}>{ label }</label>
            <select id={id.to_owned()} class={class} onchange={bind_change(value)}>
                <option value="" selected={value.is_empty()}>{ "none" }</option>
                { for queues.iter().map(|q| html! { <option value={q.clone()} selected={*q == **value}>{ q.clone() }</option> }) }
            </select>
        </>
    }
}
