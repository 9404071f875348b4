//! The asynchronous event queue, the SQS queues and dead-letter queues with their messages, and
//! the bill.

use lab_runtime::async_queue::{AsyncEvent, AsyncOutcomes};
use lab_runtime::sqs::Message;
use lab_runtime::view::FunctionView;

use super::ui::clock;
use crate::dom::{el, El};

/// A table with column headers and rows of cells (text), each row's last cell with `last_class`.
fn table(class: &str, heads: &[&str], rows: Vec<Vec<String>>, last_class: Option<&str>) -> El {
    let head = el("tr").children(heads.iter().map(|h| el("th").attr("scope", "col").text(h)));
    let body = rows.into_iter().map(|cells| {
        let n = cells.len();
        el("tr").children(cells.into_iter().enumerate().map(|(i, c)| {
            let td = el("td");
            match last_class {
                Some(class) if i + 1 == n => td.class(class),
                _ => td,
            }
            .text(&c)
        }))
    });
    el("table")
        .class(class)
        .child(el("thead").child(head))
        .child(el("tbody").children(body))
}

/// Async events waiting, what became of them, and the visible messages of each queue.
pub fn queue_view(
    events: &[AsyncEvent],
    o: &AsyncOutcomes,
    messages: &[(String, Vec<Message>)],
) -> El {
    let events = if events.is_empty() {
        el("p").class("lab-empty").text("No event waiting.")
    } else {
        let rows = events
            .iter()
            .map(|e| {
                vec![
                    e.request.to_string(),
                    e.attempts.to_string(),
                    clock(e.next_attempt_us),
                    e.last_error
                        .as_ref()
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
    let queues = messages.iter().map(|(q, msgs)| {
        el("div")
            .class("lab-queue")
            .attr("data-queue", q)
            .child(el("h5").text(&format!("Queue {q}: {} visible message(s)", msgs.len())))
            .child(
                el("ul")
                    .class("lab-messages")
                    .children(msgs.iter().rev().take(10).map(|m| {
                        el("li")
                            .class("lab-message")
                            .child(el("code").text(m.body.as_ref()))
                            .children(m.attributes.iter().map(|(k, val)| {
                                el("span").class("lab-attr").text(&format!(" {k}={val}"))
                            }))
                    })),
            )
    });
    el("section")
        .class("lab-view lab-queues")
        .attr("aria-label", "Queues")
        .child(el("h4").text("Asynchronous events"))
        .child(el("p").class("lab-async-summary").text(&format!(
            "received {}, succeeded {}, to DLQ {}, to on-failure {}, dropped {}",
            o.received,
            o.succeeded,
            o.to_dlq,
            o.to_on_failure,
            o.dropped.values().sum::<u64>()
        )))
        .child(events)
        .children(queues)
}

/// The bill: requests, GB-seconds and dollars per function, and the total.
pub fn bill(functions: &[FunctionView], total: f64) -> El {
    let rows = functions
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
    el("section")
        .class("lab-view lab-bill")
        .attr("aria-label", "Bill")
        .child(el("h4").text("Bill (illustrative prices)"))
        .child(table(
            "lab-table",
            &["Function", "Requests", "Billed ms", "GB-s", "USD"],
            rows,
            Some("lab-cost"),
        ))
        .child(
            el("p")
                .class("lab-total")
                .text(&format!("Total ${total:.8}")),
        )
}
