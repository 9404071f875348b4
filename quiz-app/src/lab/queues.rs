//! The asynchronous event queue, the SQS queues and dead-letter queues with their messages, and
//! the bill.

use std::rc::Rc;

use lab_runtime::sqs::Message;
use lab_runtime::view::SimView;
use yew::prelude::*;

use super::ui::clock;

/// Props of [`QueueView`].
#[derive(Properties, PartialEq)]
pub struct QueueProps {
    /// The world.
    pub view: Rc<SimView>,
    /// Visible messages per queue.
    pub messages: Rc<Vec<(String, Vec<Message>)>>,
}

/// Async events and queues.
#[function_component(QueueView)]
pub fn queue_view(props: &QueueProps) -> Html {
    let v = &props.view;
    let o = &v.async_outcomes;
    html! {
        <section class="lab-view lab-queues" aria-label="Queues">
            <h4>{ "Asynchronous events" }</h4>
            <p class="lab-async-summary">{ format!(
                "received {}, succeeded {}, to DLQ {}, to on-failure {}, dropped {}",
                o.received, o.succeeded, o.to_dlq, o.to_on_failure, o.dropped.values().sum::<u64>()
            ) }</p>
            if v.async_events.is_empty() {
                <p class="lab-empty">{ "No event waiting." }</p>
            } else {
                <table class="lab-table lab-async-events">
                    <thead><tr><th scope="col">{ "Request" }</th><th scope="col">{ "Attempts" }</th><th scope="col">{ "Next attempt" }</th><th scope="col">{ "Last error" }</th></tr></thead>
                    <tbody>
                        { for v.async_events.iter().map(|e| html! {
                            <tr>
                                <td>{ e.request.to_string() }</td>
                                <td>{ e.attempts }</td>
                                <td>{ clock(e.next_attempt_us) }</td>
                                <td>{ e.last_error.as_ref().map(|x| format!("{}: {}", x.error_type, x.error_message)).unwrap_or_default() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            { for props.messages.iter().map(|(q, msgs)| html! {
                <div class="lab-queue" data-queue={q.clone()}>
                    <h5>{ format!("Queue {q}: {} visible message(s)", msgs.len()) }</h5>
                    <ul class="lab-messages">
                        { for msgs.iter().rev().take(10).map(|m| html! {
                            <li class="lab-message">
                                <code>{ m.body.to_string() }</code>
                                { for m.attributes.iter().map(|(k, val)| html! { <span class="lab-attr">{ format!(" {k}={val}") }</span> }) }
                            </li>
                        }) }
                    </ul>
                </div>
            }) }
        </section>
    }
}

/// Props of [`Bill`].
#[derive(Properties, PartialEq)]
pub struct BillProps {
    /// The world.
    pub view: Rc<SimView>,
}

/// The bill: requests, GB-seconds and dollars per function.
#[function_component(Bill)]
pub fn bill(props: &BillProps) -> Html {
    html! {
        <section class="lab-view lab-bill" aria-label="Bill">
            <h4>{ "Bill (illustrative prices)" }</h4>
            <table class="lab-table">
                <thead><tr><th scope="col">{ "Function" }</th><th scope="col">{ "Requests" }</th><th scope="col">{ "Billed ms" }</th><th scope="col">{ "GB-s" }</th><th scope="col">{ "USD" }</th></tr></thead>
                <tbody>
                    { for props.view.functions.iter().map(|f| html! {
                        <tr>
                            <td>{ f.config.name.clone() }</td>
                            <td>{ f.bill.requests }</td>
                            <td>{ f.bill.billed_ms }</td>
                            <td>{ format!("{:.3}", f.bill.gb_seconds()) }</td>
                            <td class="lab-cost">{ format!("${:.8}", f.cost_usd) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="lab-total">{ format!("Total ${:.8}", props.view.total_cost_usd) }</p>
        </section>
    }
}
