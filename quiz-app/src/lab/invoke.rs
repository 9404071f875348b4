//! Invoke controls: test event, sync / async / DryRun, as another principal, SQS messages, burst
//! and load test.

use std::rc::Rc;

use course_model::lab::{Control, InvokeKind, Lab, Step};
use yew::prelude::*;

use super::console::{Errors, OnStep};
use super::ui::{bind, bind_change, field_error};

/// Props of [`InvokePanel`].
#[derive(Properties, PartialEq)]
pub struct InvokeProps {
    /// The lab.
    pub lab: Rc<Lab>,
    /// A load test is running.
    pub busy: bool,
    /// Sends a step.
    pub on_step: OnStep,
    /// Inline errors.
    pub errors: Errors,
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

/// The invoke panel.
#[function_component(InvokePanel)]
pub fn invoke_panel(props: &InvokeProps) -> Html {
    let lab = &props.lab;
    let id = |s: &str| format!("lab-{}-{s}", lab.id);
    let event = use_state(|| "{}".to_owned());
    let principal = use_state(|| "arn:aws:iam::123456789012:user/developer".to_owned());
    let queue = use_state(|| lab.queues.first().cloned().unwrap_or_default());
    let count = use_state(|| "1".to_owned());
    let burst = use_state(|| "10".to_owned());
    let rate = use_state(|| "100".to_owned());
    let duration = use_state(|| "60".to_owned());
    let ramp_from = use_state(String::new);
    let local_error = use_state(|| None::<String>);
    let f = lab.function.clone();
    let invoke = |kind: InvokeKind, as_other: bool| {
        let (event, principal, on_step, f, local_error) = (
            event.clone(),
            principal.clone(),
            props.on_step.clone(),
            f.clone(),
            local_error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if serde_json::from_str::<serde_json::Value>(&event).is_err() {
                local_error.set(Some("The test event is not valid JSON.".into()));
                return;
            }
            local_error.set(None);
            on_step.emit((
                "invoke",
                Step::Invoke {
                    function: f.clone(),
                    kind,
                    payload: (*event).clone(),
                    principal: as_other.then(|| (*principal).clone()),
                    source_arn: None,
                    source_account: None,
                },
            ))
        })
    };
    let send = {
        let (queue, count, event, on_step, local_error) = (
            queue.clone(),
            count.clone(),
            event.clone(),
            props.on_step.clone(),
            local_error.clone(),
        );
        Callback::from(move |_: MouseEvent| match num::<u64>(&count) {
            Some(n) if (1..=10_000).contains(&n) => {
                local_error.set(None);
                on_step.emit((
                    "sqs",
                    Step::SendMessages {
                        queue: (*queue).clone(),
                        body: (*event).clone(),
                        count: n,
                    },
                ))
            }
            _ => local_error.set(Some("Send between 1 and 10,000 messages.".into())),
        })
    };
    let on_burst = {
        let (burst, event, on_step, f, local_error) = (
            burst.clone(),
            event.clone(),
            props.on_step.clone(),
            f.clone(),
            local_error.clone(),
        );
        Callback::from(move |_: MouseEvent| match num::<u64>(&burst) {
            Some(n) if (1..=1_000).contains(&n) => {
                local_error.set(None);
                on_step.emit((
                    "burst",
                    Step::Burst {
                        function: f.clone(),
                        count: n,
                        payload: (*event).clone(),
                    },
                ))
            }
            _ => local_error.set(Some("A burst is 1 to 1,000 requests.".into())),
        })
    };
    let on_load = {
        let (rate, duration, ramp_from, event, on_step, f, local_error) = (
            rate.clone(),
            duration.clone(),
            ramp_from.clone(),
            event.clone(),
            props.on_step.clone(),
            f.clone(),
            local_error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            // An empty start rate means a constant rate.
            let from = match ramp_from.trim() {
                "" => Some(None),
                _ => num::<f64>(&ramp_from)
                    .filter(|v| *v >= 0.0 && *v <= 5_000.0)
                    .map(Some),
            };
            match (num::<f64>(&rate), num::<f64>(&duration), from) {
                (Some(r), Some(d), Some(from))
                    if r > 0.0 && r <= 5_000.0 && d > 0.0 && d <= 3_600.0 =>
                {
                    local_error.set(None);
                    on_step.emit((
                        "load",
                        Step::LoadTest {
                            function: f.clone(),
                            rate_per_s: r,
                            duration_s: d,
                            payload: (*event).clone(),
                            ramp_from_per_s: from,
                        },
                    ))
                }
                _ => local_error.set(Some(
                    "Rates: 0 to 5,000 requests per second (the final rate at least 1); duration: 1 to 3,600 seconds.".into(),
                )),
            }
        })
    };
    let busy = props.busy;
    html! {
        <fieldset class="lab-panel lab-invoke" disabled={busy}>
            <legend>{ format!("Invoke {}", lab.function) }</legend>
            <label for={id("event")}>{ "Test event (JSON)" }</label>
            <textarea id={id("event")} class="lab-event" rows="3" value={(*event).clone()} oninput={bind(&event)} spellcheck="false" />
            <div class="lab-buttons">
                if lab.allows(Control::Invoke) {
                    <button type="button" class="lab-invoke-sync" onclick={invoke(InvokeKind::Sync, false)}>{ "Invoke" }</button>
                }
                if lab.allows(Control::InvokeAsync) {
                    <button type="button" class="lab-invoke-async" onclick={invoke(InvokeKind::Async, false)}>{ "Invoke async (Event)" }</button>
                }
                if lab.allows(Control::DryRun) {
                    <button type="button" class="lab-invoke-dry" onclick={invoke(InvokeKind::DryRun, false)}>{ "DryRun" }</button>
                }
            </div>
            if lab.allows(Control::Principal) {
                <label for={id("principal")}>{ "Another principal (IAM ARN, account id or service)" }</label>
                <input id={id("principal")} class="lab-principal" value={(*principal).clone()} oninput={bind(&principal)} />
                <button type="button" class="lab-invoke-as" onclick={invoke(InvokeKind::Sync, true)}>{ "Invoke as this principal" }</button>
            }
            if lab.allows(Control::Sqs) && !lab.queues.is_empty() {
                <div class="lab-row">
                    <label for={id("queue")}>{ "Queue" }</label>
                    <select id={id("queue")} class="lab-queue" onchange={bind_change(&queue)}>
                        { for lab.queues.iter().map(|q| html! { <option value={q.clone()} selected={*q == *queue}>{ q.clone() }</option> }) }
                    </select>
                    <label for={id("count")}>{ "Messages" }</label>
                    <input id={id("count")} class="lab-count" type="number" min="1" value={(*count).clone()} oninput={bind(&count)} />
                    <button type="button" class="lab-send" onclick={send}>{ "Send (test event as body)" }</button>
                </div>
            }
            if lab.allows(Control::Burst) {
                <div class="lab-row">
                    <label for={id("burst")}>{ "Simultaneous requests" }</label>
                    <input id={id("burst")} class="lab-burst-count" type="number" min="1" value={(*burst).clone()} oninput={bind(&burst)} />
                    <button type="button" class="lab-burst" onclick={on_burst}>{ "Send burst" }</button>
                </div>
            }
            if lab.allows(Control::LoadTest) {
                <div class="lab-row">
                    <label for={id("rate")}>{ "Requests per second (at the end of a ramp)" }</label>
                    <input id={id("rate")} class="lab-rate" type="number" min="1" value={(*rate).clone()} oninput={bind(&rate)} />
                    <label for={id("ramp-from")}>{ "Ramp from (per second; empty = constant rate)" }</label>
                    <input id={id("ramp-from")} class="lab-ramp-from" type="number" min="0" value={(*ramp_from).clone()} oninput={bind(&ramp_from)} />
                    <label for={id("duration")}>{ "Seconds" }</label>
                    <input id={id("duration")} class="lab-duration" type="number" min="1" value={(*duration).clone()} oninput={bind(&duration)} />
                    <button type="button" class="lab-load" onclick={on_load}>{ "Run load test" }</button>
                </div>
                { field_error(&id("load-error"), props.errors.get("load")) }
            }
            { field_error(&id("invoke-error"), (*local_error).as_ref()) }
            { field_error(&id("sqs-error"), props.errors.get("sqs")) }
        </fieldset>
    }
}
