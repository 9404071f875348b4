//! The handler editor: the script with line numbers, a syntax check that points at the line, and
//! "Deploy" (a new version: environments are replaced, as a real deploy does).

use course_model::lab::{check_script, Lab, Step};
use lab_runtime::HandlerSpec;
use web_sys::Element;

use super::ui::{find, value};
use crate::dom::{button, el, set_text, El};

/// The editor of one lab: what is deployed, and the line of the last syntax error.
pub struct CodeEditor {
    panel: Element,
    /// The deployed script (empty for a statistical profile).
    deployed: String,
    /// The syntax error shown: its line (from 1) and message.
    problem: Option<(usize, String)>,
    /// Lines in the gutter and the line marked as wrong, as drawn.
    drawn: (usize, usize),
}

fn script(handler: &HandlerSpec) -> String {
    match handler {
        HandlerSpec::Script(s) => s.clone(),
        HandlerSpec::Profile(_) => String::new(),
    }
}

impl CodeEditor {
    /// Builds the panel for the deployed `handler`.
    pub fn build(lab: &Lab, handler: &HandlerSpec) -> (CodeEditor, El) {
        let deployed = script(handler);
        let id = format!("lab-{}-code", lab.id);
        let mut panel = el("fieldset")
            .class("lab-panel lab-code")
            .child(el("legend").text("Handler code (script)"));
        panel = if matches!(handler, HandlerSpec::Profile(_)) {
            panel.child(el("p").text("This function runs a statistical profile, not code."))
        } else {
            panel
                .child(el("label").attr("for", &id).text(
                    "Code: top-level statements are the Init phase; the closure at the end is the handler",
                ))
                .child(
                    el("div")
                        .class("lab-editor")
                        .child(el("pre").class("lab-gutter").attr("aria-hidden", "true"))
                        .child(
                            el("textarea")
                                .id(&id)
                                .class("lab-code-input lab-script")
                                .attr("spellcheck", "false")
                                .attr("wrap", "off")
                                .attr("aria-invalid", "false")
                                .attr("aria-describedby", &format!("{id}-error"))
                                .text(&deployed),
                        ),
                )
                .child(el("div").class("lab-buttons").child(button("lab-deploy", "Deploy (unchanged)")))
                .child(
                    el("p")
                        .class("lab-error")
                        .id(&format!("{id}-error"))
                        .attr("role", "alert"),
                )
        };
        let mut editor = CodeEditor {
            panel: panel.0.clone(),
            deployed,
            problem: None,
            drawn: (0, usize::MAX),
        };
        editor.refresh();
        (editor, panel)
    }

    /// Brings the line numbers, the size, the error and the button's label up to date with
    /// the text (after typing, a check or a deploy).
    pub fn refresh(&mut self) {
        let Some(textarea) = find(&self.panel, ".lab-script") else {
            return;
        };
        let source = super::ui::value_of(&textarea);
        let n = lines(&source);
        let bad = self.problem.as_ref().map_or(0, |(l, _)| *l);
        if self.drawn != (n, bad) {
            if let Some(gutter) = find(&self.panel, ".lab-gutter") {
                draw_gutter(&gutter, n, bad);
            }
            let _ = textarea.set_attribute("rows", &n.clamp(6, 24).to_string());
            self.drawn = (n, bad);
        }
        let _ = textarea.set_attribute("aria-invalid", &self.problem.is_some().to_string());
        if let Some(p) = find(&self.panel, ".lab-error") {
            set_text(&p, self.problem.as_ref().map_or("", |(_, m)| m.as_str()));
        }
        if let Some(b) = find(&self.panel, ".lab-deploy") {
            let changed = source != self.deployed;
            set_text(
                &b,
                if changed {
                    "Deploy"
                } else {
                    "Deploy (unchanged)"
                },
            );
        }
    }

    /// The handler deployed now (after a step or a reset).
    pub fn set_deployed(&mut self, handler: &HandlerSpec) {
        self.deployed = script(handler);
        self.refresh();
    }

    /// "Deploy": the step, or `None` when the script does not parse (the error is shown).
    pub fn deploy(&mut self, lab: &Lab) -> Option<Step> {
        let source = value(&self.panel, ".lab-script");
        let step = match check_script(&source) {
            Ok(()) => {
                self.problem = None;
                Some(Step::Deploy {
                    function: lab.function.clone(),
                    script: source,
                })
            }
            Err(p) => {
                self.problem = Some((
                    p.line,
                    format!("Line {}, column {}: {}", p.line, p.col, p.message),
                ));
                None
            }
        };
        self.refresh();
        step
    }
}

/// Lines of the editor (a final newline starts one more).
fn lines(source: &str) -> usize {
    source.lines().count().max(1) + usize::from(source.ends_with('\n'))
}

/// The line numbers 1 to `n`, line `bad` marked.
fn draw_gutter(gutter: &Element, n: usize, bad: usize) {
    gutter.set_text_content(None);
    for line in 1..=n {
        let class = if line == bad {
            "lab-line-no is-error"
        } else {
            "lab-line-no"
        };
        let _ = gutter.append_child(&el("span").class(class).text(&format!("{line}\n")).0);
    }
}
