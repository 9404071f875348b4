//! A CloudWatch-style log console: filter by request id, errors only. The filter controls are
//! built once; the lines are redrawn in place when they or the filter change.

use lab_runtime::view::LogLine;
use web_sys::Element;

use super::ui::{checked, clock, find, value};
use crate::dom::{el, set_text, El};

/// The log console.
pub struct LogView {
    root: Element,
    /// The latest lines, oldest first.
    lines: Vec<LogLine>,
    /// What the lines were last drawn from: the lines, the filter, errors only.
    drawn: Option<(Vec<LogLine>, String, bool)>,
}

/// Shows `l` in the line element `line` (a `div` with time, stream and text spans).
fn draw_line(line: &Element, l: &LogLine) {
    let mut class = String::from("lab-log-line");
    if is_error(&l.text) {
        class.push_str(" is-error");
    }
    if l.text.starts_with("REPORT") {
        class.push_str(" is-report");
    }
    if line.get_attribute("class").as_deref() != Some(class.as_str()) {
        let _ = line.set_attribute("class", &class);
    }
    let texts = [clock(l.time_us), format!("env {}", l.env)];
    let mut span = line.first_element_child();
    for text in texts.iter().map(String::as_str).chain([l.text.as_str()]) {
        if let Some(s) = span {
            set_text(&s, text);
            span = s.next_element_sibling();
        }
    }
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
        let shown: Vec<&LogLine> = self
            .lines
            .iter()
            .filter(|l| filter.is_empty() || l.text.contains(&filter))
            .filter(|l| !errors_only || is_error(&l.text))
            .collect();
        if shown.is_empty() {
            log.set_text_content(None);
            let _ = log.append_child(&el("p").class("lab-empty").text("No log lines yet.").0);
        } else {
            // The line elements are reused in order (their texts change): the reader's scroll
            // position stays, and no layout is forced.
            if let Some(empty) = find(&log, ".lab-empty") {
                empty.remove();
            }
            let mut next = log.first_element_child();
            for l in shown {
                match next {
                    Some(line) => {
                        draw_line(&line, l);
                        next = line.next_element_sibling();
                    }
                    None => {
                        let line = el("div")
                            .child(el("span").class("lab-log-time"))
                            .child(el("span").class("lab-log-stream"))
                            .child(el("span").class("lab-log-text"))
                            .0;
                        draw_line(&line, l);
                        let _ = log.append_child(&line);
                    }
                }
            }
            while let Some(extra) = next {
                next = extra.next_element_sibling();
                extra.remove();
            }
        }
        self.drawn = Some((self.lines.clone(), filter, errors_only));
    }
}
