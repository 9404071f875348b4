//! Invoke controls: test event, sync / async / DryRun, as another principal, SQS messages, burst
//! and load test. The controls keep what the learner typed; a click reads them into a [`Step`].

use litemap::LiteMap;
use std::rc::Rc;

use course_model::lab::{Action, Control, InvokeKind, Lab, Step};
use yew::prelude::*;

use super::field::Field;
use super::ui::{error_line, OnStep, Values};

/// The invoke panel's properties.
#[derive(Properties, PartialEq)]
pub struct InvokeProps {
    /// The lab.
    pub lab: Rc<Lab>,
    /// Id prefix.
    pub uid: AttrValue,
    /// Work runs: the panel waits.
    pub busy: bool,
    /// Inline errors by form.
    pub errors: Rc<LiteMap<&'static str, String>>,
    /// A step.
    pub on_step: OnStep,
    /// The panel's values are not valid.
    pub on_invalid: Callback<(&'static str, String)>,
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

/// The queue to send to first: one that is nobody's dead-letter queue or destination (the
/// source queue), else the first.
pub fn first_queue(lab: &Lab) -> Option<&str> {
    let mut targets: Vec<&str> = Vec::new();
    for a in &lab.setup {
        match a {
            Action::CreateQueue {
                redrive: Some(r), ..
            } => targets.push(&r.dead_letter_queue),
            Action::CreateFunction(c) => {
                let a = &c.async_config;
                targets.extend(
                    [&a.dead_letter_queue, &a.on_failure, &a.on_success]
                        .into_iter()
                        .flatten()
                        .map(String::as_str),
                );
            }
            _ => {}
        }
    }
    lab.queues
        .iter()
        .find(|q| !targets.contains(&q.as_str()))
        .or(lab.queues.first())
        .map(String::as_str)
}

/// The step a button (by class) asks for, from the panel's values `v`: the form whose errors
/// show its outcome, or a message about the values.
fn step(lab: &Lab, v: &Values, class: &str) -> Result<(&'static str, Step), String> {
    let f = lab.function.clone();
    let event = v.get("lab-event");
    let invoke = |kind: InvokeKind, as_other: bool| {
        if js_sys::JSON::parse(&event).is_err() {
            return Err("The test event is not valid JSON.".to_owned());
        }
        Ok((
            "invoke",
            Step::Invoke {
                function: f.clone(),
                kind,
                payload: event.clone(),
                principal: as_other.then(|| v.get("lab-principal")),
                source_arn: None,
                source_account: None,
                qualifier: Some(v.get("lab-qualifier").trim().to_owned()).filter(|q| !q.is_empty()),
            },
        ))
    };
    match class {
        "lab-invoke-async" => invoke(InvokeKind::Async, false),
        "lab-invoke-dry" => invoke(InvokeKind::DryRun, false),
        "lab-invoke-as" => invoke(InvokeKind::Sync, true),
        "lab-send" => match num::<u64>(&v.get("lab-count")) {
            Some(n) if (1..=10_000).contains(&n) => Ok((
                "sqs",
                Step::SendMessages {
                    queue: v.get("lab-queue"),
                    body: event,
                    count: n,
                },
            )),
            _ => Err("Send between 1 and 10,000 messages.".to_owned()),
        },
        "lab-burst" => match num::<u64>(&v.get("lab-burst-count")) {
            Some(n) if (1..=1_000).contains(&n) => Ok((
                "burst",
                Step::Burst {
                    function: f,
                    count: n,
                    payload: event,
                },
            )),
            _ => Err("A burst is 1 to 1,000 requests.".to_owned()),
        },
        "lab-load" => super::load::load_test(
            f,
            event,
            &v.get("lab-rate"),
            &v.get("lab-duration"),
            &v.get("lab-ramp-from"),
        ),
        _ => invoke(InvokeKind::Sync, false),
    }
}

/// `.lab-invoke`.
#[function_component(InvokePanel)]
pub fn invoke_panel(p: &InvokeProps) -> Html {
    let panel = use_node_ref();
    let lab = &p.lab;
    let id = |s: &str| format!("{}-{s}", p.uid);
    let allows = |c: Control| lab.allows(c);
    let button = |class: &'static str, label: &'static str| {
        let (lab, panel, on_step, on_invalid) = (
            p.lab.clone(),
            panel.clone(),
            p.on_step.clone(),
            p.on_invalid.clone(),
        );
        let onclick =
            Callback::from(
                move |_: MouseEvent| match step(&lab, &Values::of(&panel), class) {
                    Ok(step) => on_step.emit(step),
                    Err(message) => on_invalid.emit(("invoke", message)),
                },
            );
        html! { <button type="button" class={class} {onclick}>{ label }</button> }
    };
    let number = |name: &str,
                  class: &'static str,
                  label: &'static str,
                  value: &'static str,
                  min: &'static str| {
        html! { <Field id={id(name)} {class} {label} initial={value} min={min} /> }
    };
    let sqs = (allows(Control::Sqs) && !lab.queues.is_empty()).then(|| {
        let first = first_queue(lab);
        html! {
            <div class="lab-row">
                <label for={id("queue")}>{ "Queue" }</label>
                <select id={id("queue")} class="lab-queue">
                    { for lab.queues.iter().map(|q| html! {
                        <option value={q.clone()} selected={Some(q.as_str()) == first}>{ q.clone() }</option>
                    }) }
                </select>
                { number("count", "lab-count", "Messages", "1", "1") }
                { button("lab-send", "Send (test event as body)") }
            </div>
        }
    });
    html! {
        <fieldset class="lab-panel lab-invoke" disabled={p.busy} ref={panel.clone()}>
            <legend>{ format!("Invoke {}", lab.function) }</legend>
            <label for={id("event")}>{ "Test event (JSON)" }</label>
            <textarea id={id("event")} class="lab-event" rows="3" spellcheck="false" defaultvalue="{}" />
            if allows(Control::Versions) {
                <Field id={id("qualifier")} class="lab-qualifier" label="Version or alias (empty = $LATEST)" initial="" />
            }
            <div class="lab-buttons">
                if allows(Control::Invoke) { { button("lab-invoke-sync", "Invoke") } }
                if allows(Control::InvokeAsync) { { button("lab-invoke-async", "Invoke async (Event)") } }
                if allows(Control::DryRun) { { button("lab-invoke-dry", "DryRun") } }
            </div>
            if allows(Control::Principal) {
                <Field id={id("principal")} class="lab-principal" label="Another principal (IAM ARN, account id or service)"
                    initial="arn:aws:iam::123456789012:user/developer" />
                { button("lab-invoke-as", "Invoke as this principal") }
            }
            { for sqs }
            if allows(Control::Burst) {
                <div class="lab-row">
                    { number("burst", "lab-burst-count", "Simultaneous requests", "10", "1") }
                    { button("lab-burst", "Send burst") }
                </div>
            }
            if allows(Control::LoadTest) {
                <div class="lab-row">
                    { number("rate", "lab-rate", "Requests per second (at the end of a ramp)", "100", "1") }
                    { number("ramp-from", "lab-ramp-from", "Ramp from (per second; empty = constant rate)", "", "0") }
                    { number("duration", "lab-duration", "Seconds", "60", "1") }
                    { button("lab-load", "Run load test") }
                </div>
                { error_line(id("load-error"), p.errors.get("load")) }
            }
            { error_line(id("invoke-error"), p.errors.get("invoke")) }
            { error_line(id("sqs-error"), p.errors.get("sqs")) }
            { error_line(id("burst-error"), p.errors.get("burst")) }
        </fieldset>
    }
}
