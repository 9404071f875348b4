//! A CloudWatch-style log console: filter by request id, errors only.

use std::rc::Rc;

use lab_runtime::view::LogLine;
use yew::prelude::*;

use super::ui::{bind, checked, clock};

/// Props of [`LogView`].
#[derive(Properties, PartialEq)]
pub struct LogProps {
    /// The latest lines, oldest first.
    pub lines: Rc<Vec<LogLine>>,
}

fn is_error(text: &str) -> bool {
    text.contains("\tERROR\t")
        || text.contains("Task timed out")
        || text.contains("Status: error")
        || text.contains("Status: timeout")
        || text.contains("errorType")
}

/// The log console.
#[function_component(LogView)]
pub fn log_view(props: &LogProps) -> Html {
    let filter = use_state(String::new);
    let errors_only = use_state(|| false);
    let on_errors = {
        let errors_only = errors_only.clone();
        Callback::from(move |e: Event| errors_only.set(checked(&e)))
    };
    let f = filter.trim().to_owned();
    let shown: Vec<&LogLine> = props
        .lines
        .iter()
        .filter(|l| f.is_empty() || l.text.contains(&f))
        .filter(|l| !*errors_only || is_error(&l.text))
        .collect();
    html! {
        <section class="lab-view lab-logs" aria-label="Log console">
            <h4>{ "Logs" }</h4>
            <div class="lab-row">
                <label for="lab-log-filter">{ "Filter (request id or text)" }</label>
                <input id="lab-log-filter" class="lab-log-filter" value={(*filter).clone()} oninput={bind(&filter)} />
                <input id="lab-log-errors" class="lab-log-errors" type="checkbox" checked={*errors_only} onchange={on_errors} />
                <label for="lab-log-errors">{ "Errors only" }</label>
            </div>
            <div class="lab-log" tabindex="0" role="log" aria-label="Log lines">
                if shown.is_empty() {
                    <p class="lab-empty">{ "No log lines yet." }</p>
                }
                { for shown.iter().map(|l| html! {
                    <div class={classes!("lab-log-line", is_error(&l.text).then_some("is-error"), l.text.starts_with("REPORT").then_some("is-report"))}>
                        <span class="lab-log-time">{ clock(l.time_us) }</span>
                        <span class="lab-log-stream">{ format!("env {}", l.env) }</span>
                        <span class="lab-log-text">{ l.text.clone() }</span>
                    </div>
                }) }
            </div>
        </section>
    }
}
