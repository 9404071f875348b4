//! A CloudWatch-style log console: filter by request id, errors only. The filter controls are
//! built once; the lines are redrawn when they or the filter change.

use lab_runtime::view::LogLine;
use web_sys::Element;

use super::ui::{checked, clock, find, value};
use crate::dom::{el, El};

/// The log console.
pub struct LogView {
    root: Element,
    /// The latest lines, oldest first.
    lines: Vec<LogLine>,
    /// What the lines were last drawn from: the lines, the filter, errors only.
    drawn: Option<(Vec<LogLine>, String, bool)>,
}

fn is_error(text: &str) -> bool {
    text.contains("\tERROR\t")
        || text.contains("Task timed out")
        || text.contains("Status: error")
        || text.contains("Status: timeout")
        || text.contains("errorType")
}

impl LogView {
    /// Builds the console (no lines yet).
    pub fn build() -> (LogView, El) {
        let root = el("section")
            .class("lab-view lab-logs")
            .attr("aria-label", "Log console")
            .child(el("h4").text("Logs"))
            .child(
                el("div")
                    .class("lab-row")
                    .child(
                        el("label")
                            .attr("for", "lab-log-filter")
                            .text("Filter (request id or text)"),
                    )
                    .child(el("input").id("lab-log-filter").class("lab-log-filter"))
                    .child(
                        el("input")
                            .id("lab-log-errors")
                            .class("lab-log-errors")
                            .attr("type", "checkbox"),
                    )
                    .child(
                        el("label")
                            .attr("for", "lab-log-errors")
                            .text("Errors only"),
                    ),
            )
            .child(
                el("div")
                    .class("lab-log")
                    .attr("tabindex", "0")
                    .attr("role", "log")
                    .attr("aria-label", "Log lines"),
            );
        let view = LogView {
            root: root.0.clone(),
            lines: Vec::new(),
            drawn: None,
        };
        (view, root)
    }

    /// New lines (redrawn if they changed).
    pub fn set_lines(&mut self, lines: Vec<LogLine>) {
        self.lines = lines;
        self.draw();
    }

    /// Draws the lines the filter lets through, unless they are drawn already.
    pub fn draw(&mut self) {
        let filter = value(&self.root, ".lab-log-filter").trim().to_owned();
        let errors_only = find(&self.root, ".lab-log-errors").is_some_and(|e| checked(&e));
        if self
            .drawn
            .as_ref()
            .is_some_and(|(l, f, e)| *l == self.lines && *f == filter && *e == errors_only)
        {
            return;
        }
        let Some(log) = find(&self.root, ".lab-log") else {
            return;
        };
        // Redrawn in place: the reader's scroll position stays.
        let scroll = log.scroll_top();
        log.set_text_content(None);
        let mut shown = 0;
        for l in self
            .lines
            .iter()
            .filter(|l| filter.is_empty() || l.text.contains(&filter))
            .filter(|l| !errors_only || is_error(&l.text))
        {
            shown += 1;
            let mut class = String::from("lab-log-line");
            if is_error(&l.text) {
                class.push_str(" is-error");
            }
            if l.text.starts_with("REPORT") {
                class.push_str(" is-report");
            }
            let line = el("div")
                .class(&class)
                .child(el("span").class("lab-log-time").text(&clock(l.time_us)))
                .child(
                    el("span")
                        .class("lab-log-stream")
                        .text(&format!("env {}", l.env)),
                )
                .child(el("span").class("lab-log-text").text(&l.text));
            let _ = log.append_child(&line.0);
        }
        if shown == 0 {
            let _ = log.append_child(&el("p").class("lab-empty").text("No log lines yet.").0);
        }
        log.set_scroll_top(scroll);
        self.drawn = Some((self.lines.clone(), filter, errors_only));
    }
}
