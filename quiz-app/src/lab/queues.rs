//! The asynchronous event queue, the SQS queues and dead-letter queues with their messages, and
//! the bill.

use std::rc::Rc;

use lab_runtime::sqs::Message;
use lab_runtime::state::async_event::{AsyncEvent, AsyncOutcomes};
use lab_runtime::view::FunctionView;
use yew::prelude::*;

use super::ui::clock;

/// A table with column headers and rows of cells (text), each row's last cell with `last_class`.
fn table(
    class: &'static str,
    heads: &[&'static str],
    rows: Vec<Vec<String>>,
    last_class: Option<&'static str>,
) -> Html {
    html! {
        <table class={class}>
            <thead><tr>{ for heads.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
            <tbody>
                { for rows.into_iter().map(|cells| {
                    let n = cells.len();
                    html! { <tr>{ for cells.into_iter().enumerate().map(|(i, c)| {
                        let class = if i + 1 == n { last_class } else { None };
                        html! { <td class={class}>{ c }</td> }
                    }) }</tr> }
                }) }
            </tbody>
        </table>
    }
}

/// The queue view's properties.
#[derive(Properties, PartialEq)]
pub struct QueueProps {
    /// Async events waiting.
    pub events: Rc<Vec<AsyncEvent>>,
    /// What became of async events.
    pub outcomes: Rc<AsyncOutcomes>,
    /// The visible messages of each queue.
    pub messages: Rc<Vec<(String, Vec<Message>)>>,
}

/// `.lab-queues`.
#[function_component(QueueView)]
pub fn queue_view(p: &QueueProps) -> Html {
    let o = &p.outcomes;
    let events = if p.events.is_empty() {
        html! { <p class="lab-empty">{ "No event waiting." }</p> }
    } else {
        let rows = p
            .events
            .iter()
            .map(|e| {
                vec![
                    e.request().to_string(),
                    e.attempts().to_string(),
                    clock(e.next_attempt_us()),
                    e.last_error()
                        .map(|x| format!("{}: {}", x.error_type, x.error_message))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        table(
            "lab-table lab-async-events",
            &["Request", "Attempts", "Next attempt", "Last error"],
            rows,
            None,
        )
    };
    html! {
        <section class="lab-view lab-queues" aria-label="Queues">
            <h4>{ "Asynchronous events" }</h4>
            <p class="lab-async-summary">{ format!(
                "received {}, succeeded {}, to DLQ {}, to on-failure {}, dropped {}",
                o.received, o.succeeded, o.to_dlq, o.to_on_failure, o.dropped.values().sum::<u64>()
            ) }</p>
            { events }
            { for p.messages.iter().map(|(q, msgs)| html! {
                <div class="lab-queue" data-queue={q.clone()}>
                    <h5>{ format!("Queue {q}: {} visible message(s)", msgs.len()) }</h5>
                    <ul class="lab-messages">
                        { for msgs.iter().rev().take(10).map(|m| html! {
                            <li class="lab-message">
                                <code>{ m.body.to_string() }</code>
                                { for m.attributes.iter().map(|(k, val)| html! {
                                    <span class="lab-attr">{ format!(" {k}={val}") }</span>
                                }) }
                            </li>
                        }) }
                    </ul>
                </div>
            }) }
        </section>
    }
}

/// The bill's properties.
#[derive(Properties, PartialEq)]
pub struct BillProps {
    /// The functions.
    pub functions: Rc<Vec<FunctionView>>,
    /// Total, USD.
    pub total: f64,
}

/// `.lab-bill`: requests, GB-seconds and dollars per function, and the total.
#[function_component(Bill)]
pub fn bill(p: &BillProps) -> Html {
    let rows = p
        .functions
        .iter()
        .map(|f| {
            vec![
                f.config.name.clone(),
                f.bill.requests.to_string(),
                f.bill.billed_ms.to_string(),
                format!("{:.3}", f.bill.gb_seconds()),
                format!("${:.8}", f.cost_usd),
            ]
        })
        .collect();
    html! {
        <section class="lab-view lab-bill" aria-label="Bill">
            <h4>{ "Bill (illustrative prices)" }</h4>
            { table("lab-table", &["Function", "Requests", "Billed ms", "GB-s", "USD"], rows, Some("lab-cost")) }
            <p class="lab-total">{ format!("Total ${:.8}", p.total) }</p>
        </section>
    }
}
