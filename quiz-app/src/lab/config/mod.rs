//! The configuration panel: memory, timeout, ephemeral storage; reserved and provisioned
//! concurrency; async settings; VPC; the resource-based, execution-role and trust policies as
//! JSON editors, and managed policies. Values go to the simulator as they are: out-of-range ones
//! come back with the error AWS gives. The forms keep what the learner typed; a submit reads them
//! into a step ([`step()`]).

mod form;
mod step;

use course_model::lab::{Action, Control, Lab};
use lab_runtime::FunctionConfig;
use web_sys::Element;

use super::console::Errors;
use super::ui::{find, show_errors};
use crate::dom::{el, set_text, El};
use form::Form;
pub use step::step;

/// The forms of the panel, in order: form id, shown when the lab allows this control.
pub(super) const FORMS: [(&str, Control); 9] = [
    ("config", Control::Config),
    ("reserved", Control::Concurrency),
    ("provisioned", Control::Concurrency),
    ("async", Control::Async),
    ("vpc", Control::Vpc),
    ("policy", Control::Policies),
    ("role", Control::Policies),
    ("managed", Control::Policies),
    ("trust", Control::Policies),
];

/// The AWS managed policies the simulator knows (docs/lambda-behaviour.md §6.5).
const MANAGED: [&str; 2] = [
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
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

/// Builds the panel with the function's configuration at the start.
pub fn build(lab: &Lab, c: &FunctionConfig) -> El {
    let f = Form { lab };
    let mut panel = el("fieldset")
        .class("lab-panel lab-config")
        .child(el("legend").text(&format!("Configuration of {}", c.name)))
        .child(el("p").class("lab-current").text(&current(c)));
    if lab.allows(Control::Config) {
        let [a, b] = f.input(
            "memory",
            "lab-memory",
            "Memory (MB)",
            &c.memory_mb.to_string(),
            true,
        );
        let [d, e] = f.input(
            "timeout",
            "lab-timeout",
            "Timeout (s)",
            &c.timeout_s.to_string(),
            true,
        );
        let [g, h] = f.input(
            "storage",
            "lab-storage",
            "Ephemeral storage (MB)",
            &c.ephemeral_storage_mb.to_string(),
            true,
        );
        panel = panel.child(f.form(
            "config",
            vec![a, b, d, e, g, h],
            "lab-save-config",
            "Save configuration",
        ));
    }
    if lab.allows(Control::Concurrency) {
        let reserved = c
            .reserved_concurrency
            .map(|r| r.to_string())
            .unwrap_or_default();
        let [a, b] = f.input(
            "reserved",
            "lab-reserved",
            "Reserved concurrency (empty = none)",
            &reserved,
            true,
        );
        let [d, e] = f.input(
            "provisioned",
            "lab-provisioned",
            "Provisioned concurrency",
            &c.provisioned_concurrency.to_string(),
            true,
        );
        panel = panel
            .child(f.form("reserved", vec![a, b], "lab-save-reserved", "Set reserved"))
            .child(f.form(
                "provisioned",
                vec![d, e],
                "lab-save-provisioned",
                "Set provisioned",
            ));
    }
    if lab.allows(Control::Async) {
        let a = &c.async_config;
        let queues = queue_options(lab);
        let mut controls = Vec::new();
        controls.extend(f.input(
            "retries",
            "lab-retries",
            "Retry attempts (0–2)",
            &a.maximum_retry_attempts.to_string(),
            true,
        ));
        controls.extend(f.input(
            "max-age",
            "lab-max-age",
            "Maximum event age (s)",
            &a.maximum_event_age_s.to_string(),
            true,
        ));
        let chosen = |q: &Option<String>| q.clone().unwrap_or_default();
        controls.extend(f.select(
            "dlq",
            "lab-dlq",
            "Dead-letter queue",
            &queues,
            &chosen(&a.dead_letter_queue),
        ));
        controls.extend(f.select(
            "on-failure",
            "lab-on-failure",
            "On-failure destination (SQS queue)",
            &queues,
            &chosen(&a.on_failure),
        ));
        controls.extend(f.select(
            "on-success",
            "lab-on-success",
            "On-success destination (SQS queue)",
            &queues,
            &chosen(&a.on_success),
        ));
        panel = panel.child(f.form("async", controls, "lab-save-async", "Save async settings"));
    }
    if lab.allows(Control::Vpc) {
        let joined = |get: fn(&lab_runtime::config::VpcConfig) -> &Vec<String>| {
            c.vpc
                .as_ref()
                .map(|v| get(v).join(", "))
                .unwrap_or_default()
        };
        let [a, b] = f.input(
            "subnets",
            "lab-subnets",
            "Subnet ids (comma-separated; empty both to detach)",
            &joined(|v| &v.subnet_ids),
            false,
        );
        let [d, e] = f.input(
            "groups",
            "lab-security-groups",
            "Security group ids (comma-separated)",
            &joined(|v| &v.security_group_ids),
            false,
        );
        let controls = vec![
            el("p").class("lab-vpc-now").text(&vpc_now(c)),
            a,
            b.attr("placeholder", "subnet-0a1b2c3d"),
            d,
            e.attr("placeholder", "sg-0a1b2c3d"),
        ];
        panel = panel.child(f.form("vpc", controls, "lab-save-vpc", "Save VPC settings"));
    }
    if lab.allows(Control::Policies) {
        let managed: Vec<(&str, &str)> = MANAGED.iter().map(|m| (*m, *m)).collect();
        panel = panel
            .child(
                f.form(
                    "policy",
                    f.textarea(
                        "policy",
                        "lab-policy",
                        "Resource-based policy (JSON; replaces the current one, empty removes it)",
                        &setup_policy(lab, c),
                    )
                    .into(),
                    "lab-save-policy",
                    "Save resource-based policy",
                ),
            )
            .child(
                f.form(
                    "role",
                    f.textarea(
                        "role",
                        "lab-role-policy",
                        &format!(
                            "Add an inline policy to the execution role {} (JSON)",
                            c.role
                        ),
                        "",
                    )
                    .into(),
                    "lab-save-role",
                    "Add to execution role",
                ),
            )
            .child(
                f.form(
                    "managed",
                    f.select(
                        "managed",
                        "lab-managed",
                        &format!("Attach an AWS managed policy to {}", c.role),
                        &managed,
                        MANAGED[0],
                    )
                    .into(),
                    "lab-save-managed",
                    "Attach policy",
                ),
            )
            .child(
                f.form(
                    "trust",
                    f.textarea(
                        "trust",
                        "lab-trust-policy",
                        &format!("Trust policy of {} (JSON; who may assume the role)", c.role),
                        &setup_trust(lab, c),
                    )
                    .into(),
                    "lab-save-trust",
                    "Replace trust policy",
                ),
            );
    }
    panel
}

/// "Now: …": the configuration in one line.
fn current(c: &FunctionConfig) -> String {
    format!(
        "Now: {} MB ({:.2} vCPU), timeout {} s, /tmp {} MB, reserved {}, provisioned {}, retries {}, DLQ {}, on-failure {}, on-success {}",
        c.memory_mb,
        c.cpu_milli() as f64 / 1000.0,
        c.timeout_s,
        c.ephemeral_storage_mb,
        c.reserved_concurrency.map(|r| r.to_string()).unwrap_or_else(|| "none".into()),
        c.provisioned_concurrency,
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

/// Shows the function's configuration now (the forms keep what the learner typed).
pub fn update(panel: &Element, c: &FunctionConfig) {
    if let Some(p) = find(panel, ".lab-current") {
        set_text(&p, &current(c));
    }
    if let Some(p) = find(panel, ".lab-vpc-now") {
        set_text(&p, &vpc_now(c));
    }
}

/// Shows each form's inline error: the panel's own (`local`, for one form) or the step's.
pub fn show(lab: &Lab, panel: &Element, local: Option<&(&'static str, String)>, errors: &Errors) {
    for (form, control) in FORMS {
        if !lab.allows(control) {
            continue;
        }
        let Some(parent) = find(panel, &format!(".lab-form-{form}")) else {
            continue;
        };
        let mine = local.filter(|(f, _)| *f == form).map(|(_, m)| m.as_str());
        let id = format!("lab-{}-{form}-error", lab.id);
        show_errors(
            &parent,
            &[(id, mine.or(errors.get(form).map(String::as_str)))],
        );
    }
}
