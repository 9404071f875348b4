//! A CloudWatch-style log console: filter by request id or text, errors only. The line elements
//! are reused in order when the lines change (their texts change), so the reader's scroll
//! position stays.

use std::rc::Rc;

use lab_runtime::view::LogLine;
use yew::prelude::*;

use super::ui::{clock, event_checked, event_value};

/// The log console's properties.
#[derive(Properties, PartialEq)]
pub struct LogProps {
    /// The latest lines, oldest first.
    pub lines: Rc<Vec<LogLine>>,
    /// Id prefix.
    pub uid: AttrValue,
}

fn is_error(text: &str) -> bool {
    text.contains("\tERROR\t")
        || text.contains("Task timed out")
        || text.contains("Status: error")
        || text.contains("Status: timeout")
        || text.contains("errorType")
}

fn line(l: &LogLine) -> Html {
    let class = classes!(
        "lab-log-line",
        is_error(&l.text).then_some("is-error"),
        l.text.starts_with("REPORT").then_some("is-report")
    );
    html! {
        <div {class}>
            <span class="lab-log-time">{ clock(l.time_us) }</span>
            <span class="lab-log-stream">{ format!("env {}", l.env) }</span>
            <span class="lab-log-text">{ l.text.clone() }</span>
        </div>
    }
}

/// `.lab-logs`.
#[function_component(LogView)]
pub fn log_view(p: &LogProps) -> Html {
    let filter = use_state(String::new);
    let errors_only = use_state(|| false);
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(event_value(&e).trim().to_owned()))
    };
    let onchange = {
        let errors_only = errors_only.clone();
        Callback::from(move |e: Event| errors_only.set(event_checked(&e)))
    };
    let shown: Vec<&LogLine> = p
        .lines
        .iter()
        .filter(|l| filter.is_empty() || l.text.contains(filter.as_str()))
        .filter(|l| !*errors_only || is_error(&l.text))
        .collect();
    let (filter_id, errors_id) = (
        format!("{}-log-filter", p.uid),
        format!("{}-log-errors", p.uid),
    );
    html! {
        <section class="lab-view lab-logs" aria-label="Log console">
            <h4>{ "Logs" }</h4>
            <div class="lab-row">
                <label for={filter_id.clone()}>{ "Filter (request id or text)" }</label>
                <input id={filter_id} class="lab-log-filter" {oninput} />
                <input id={errors_id.clone()} class="lab-log-errors" type="checkbox" {onchange} />
                <label for={errors_id}>{ "Errors only" }</label>
            </div>
            <div class="lab-log" tabindex="0" role="log" aria-label="Log lines">
                if shown.is_empty() {
                    <p class="lab-empty">{ "No log lines yet." }</p>
                } else {
                    { for shown.into_iter().map(line) }
                }
            </div>
        </section>
    }
}
