//! Invoke controls: test event, sync / async / DryRun, as another principal, SQS messages, burst
//! and load test. The controls keep what the learner typed; a click reads them into a [`Step`].

use course_model::lab::{Control, InvokeKind, Lab, Step};
use web_sys::Element;

use super::console::Errors;
use super::ui::{show_errors, value};
use crate::dom::{button, el, El};

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

/// A labelled input.
fn field(lab: &Lab, name: &str, class: &str, label: &str, value: &str) -> [El; 2] {
    let id = format!("lab-{}-{name}", lab.id);
    [
        el("label").attr("for", &id).text(label),
        el("input")
            .id(&id)
            .class(class)
            .attr("type", "number")
            .attr("value", value),
    ]
}

/// Builds the panel.
pub fn build(lab: &Lab) -> El {
    let id = |s: &str| format!("lab-{}-{s}", lab.id);
    let allows = |c: Control| lab.allows(c);
    let mut panel = el("fieldset")
        .class("lab-panel lab-invoke")
        .child(el("legend").text(&format!("Invoke {}", lab.function)))
        .child(
            el("label")
                .attr("for", &id("event"))
                .text("Test event (JSON)"),
        )
        .child(
            el("textarea")
                .id(&id("event"))
                .class("lab-event")
                .attr("rows", "3")
                .attr("spellcheck", "false")
                .text("{}"),
        )
        .child(
            el("div")
                .class("lab-buttons")
                .maybe(allows(Control::Invoke).then(|| button("lab-invoke-sync", "Invoke")))
                .maybe(
                    allows(Control::InvokeAsync)
                        .then(|| button("lab-invoke-async", "Invoke async (Event)")),
                )
                .maybe(allows(Control::DryRun).then(|| button("lab-invoke-dry", "DryRun"))),
        );
    if allows(Control::Principal) {
        panel = panel
            .child(
                el("label")
                    .attr("for", &id("principal"))
                    .text("Another principal (IAM ARN, account id or service)"),
            )
            .child(
                el("input")
                    .id(&id("principal"))
                    .class("lab-principal")
                    .attr("value", "arn:aws:iam::123456789012:user/developer"),
            )
            .child(button("lab-invoke-as", "Invoke as this principal"));
    }
    if allows(Control::Sqs) && !lab.queues.is_empty() {
        let [count_label, count] = field(lab, "count", "lab-count", "Messages", "1");
        panel = panel.child(
            el("div")
                .class("lab-row")
                .child(el("label").attr("for", &id("queue")).text("Queue"))
                .child(el("select").id(&id("queue")).class("lab-queue").children(
                    lab.queues.iter().enumerate().map(|(i, q)| {
                        el("option")
                            .attr("value", q)
                            .attr_if(i == 0, "selected", "")
                            .text(q)
                    }),
                ))
                .child(count_label)
                .child(count.attr("min", "1"))
                .child(button("lab-send", "Send (test event as body)")),
        );
    }
    if allows(Control::Burst) {
        let [label, input] = field(
            lab,
            "burst",
            "lab-burst-count",
            "Simultaneous requests",
            "10",
        );
        panel = panel.child(
            el("div")
                .class("lab-row")
                .child(label)
                .child(input.attr("min", "1"))
                .child(button("lab-burst", "Send burst")),
        );
    }
    if allows(Control::LoadTest) {
        let [rate_label, rate] = field(
            lab,
            "rate",
            "lab-rate",
            "Requests per second (at the end of a ramp)",
            "100",
        );
        let [from_label, from] = field(
            lab,
            "ramp-from",
            "lab-ramp-from",
            "Ramp from (per second; empty = constant rate)",
            "",
        );
        let [duration_label, duration] = field(lab, "duration", "lab-duration", "Seconds", "60");
        panel = panel.child(
            el("div")
                .class("lab-row")
                .child(rate_label)
                .child(rate.attr("min", "1"))
                .child(from_label)
                .child(from.attr("min", "0"))
                .child(duration_label)
                .child(duration.attr("min", "1"))
                .child(button("lab-load", "Run load test")),
        );
    }
    panel
}

/// The step a click on the button with `class` asks for, with the form whose errors show its
/// outcome; `Err` is a message about the panel's own values; `None` when the button is not one
/// of the panel's.
pub fn step(
    lab: &Lab,
    panel: &Element,
    class: &str,
) -> Option<Result<(&'static str, Step), String>> {
    let v = |class: &str| value(panel, &format!(".{class}"));
    let f = lab.function.clone();
    let event = v("lab-event");
    let invoke = |kind: InvokeKind, as_other: bool| {
        if course_model::json::Json::parse(&event).is_err() {
            return Err("The test event is not valid JSON.".to_owned());
        }
        Ok((
            "invoke",
            Step::Invoke {
                function: f.clone(),
                kind,
                payload: event.clone(),
                principal: as_other.then(|| v("lab-principal")),
                source_arn: None,
                source_account: None,
            },
        ))
    };
    Some(match class {
        "lab-invoke-sync" => invoke(InvokeKind::Sync, false),
        "lab-invoke-async" => invoke(InvokeKind::Async, false),
        "lab-invoke-dry" => invoke(InvokeKind::DryRun, false),
        "lab-invoke-as" => invoke(InvokeKind::Sync, true),
        "lab-send" => match num::<u64>(&v("lab-count")) {
            Some(n) if (1..=10_000).contains(&n) => Ok((
                "sqs",
                Step::SendMessages {
                    queue: v("lab-queue"),
                    body: event,
                    count: n,
                },
            )),
            _ => Err("Send between 1 and 10,000 messages.".to_owned()),
        },
        "lab-burst" => match num::<u64>(&v("lab-burst-count")) {
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
        "lab-load" => load_test(
            f,
            event,
            &v("lab-rate"),
            &v("lab-duration"),
            &v("lab-ramp-from"),
        ),
        _ => return None,
    })
}

/// A load test from the panel's values: rates 0 to 5,000 per second, 1 to 3,600 seconds.
fn load_test(
    function: String,
    payload: String,
    rate: &str,
    duration: &str,
    ramp_from: &str,
) -> Result<(&'static str, Step), String> {
    // An empty start rate means a constant rate.
    let from = match ramp_from.trim() {
        "" => Some(None),
        _ => num::<f64>(ramp_from)
            .filter(|v| *v >= 0.0 && *v <= 5_000.0)
            .map(Some),
    };
    match (num::<f64>(rate), num::<f64>(duration), from) {
        (Some(r), Some(d), Some(from)) if r > 0.0 && r <= 5_000.0 && d > 0.0 && d <= 3_600.0 => {
            Ok((
                "load",
                Step::LoadTest {
                    function,
                    rate_per_s: r,
                    duration_s: d,
                    payload,
                    ramp_from_per_s: from,
                },
            ))
        }
        _ => Err("Rates: 0 to 5,000 requests per second (the final rate at least 1); duration: 1 to 3,600 seconds.".to_owned()),
    }
}

/// Shows the panel's inline errors: the load test's, the panel's own (`local`), and the SQS
/// send's.
pub fn show(lab: &Lab, panel: &Element, local: Option<&str>, errors: &Errors) {
    let id = |s: &str| format!("lab-{}-{s}", lab.id);
    let mut slots = Vec::new();
    if lab.allows(Control::LoadTest) {
        slots.push((id("load-error"), errors.get("load").map(String::as_str)));
    }
    slots.push((id("invoke-error"), local));
    slots.push((id("sqs-error"), errors.get("sqs").map(String::as_str)));
    show_errors(panel, &slots);
}
