//! The objectives checklist (updated live, item by item), hints one at a time, and "reset lab".

use course_model::lab::{Lab, ObjectiveStatus};
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::ui::find;
use crate::dom::{button, el, set_text, El};

/// The checklist, built once; [`Objectives::update`] changes only what changed.
pub struct Objectives {
    root: Element,
    /// Hints shown so far.
    shown: usize,
}

impl Objectives {
    /// Builds the checklist (nothing completed yet: call [`Objectives::update`]), the hint and
    /// reset buttons.
    pub fn build(lab: &Lab) -> (Objectives, El) {
        let items = lab.objectives.iter().map(|o| {
            el("li")
                .class("lab-objective")
                .attr("data-objective", &o.id)
                .child(
                    el("span")
                        .class("lab-check")
                        .attr("aria-hidden", "true")
                        .text("○"),
                )
                .child(el("span").class("visually-hidden").text("Not yet: "))
                .child(el("span").class("lab-objective-text").html(&o.text))
                .child(el("span").class("lab-objective-progress"))
        });
        let root = el("div")
            .class("lab-objectives")
            .child(el("h4").text("Objectives"))
            .child(
                el("p")
                    .class("lab-objectives-summary")
                    .attr("aria-live", "polite"),
            )
            .child(
                el("ul")
                    .class("lab-checklist")
                    .attr("aria-live", "polite")
                    .children(items),
            )
            .child(el("div").class("lab-hints"));
        let objectives = Objectives {
            root: root.0.clone(),
            shown: 0,
        };
        objectives.render_hints(lab);
        (objectives, root)
    }

    /// Shows where each objective stands.
    pub fn update(&self, lab: &Lab, statuses: &[ObjectiveStatus]) {
        let done = statuses.iter().filter(|s| s.done).count();
        let all = lab.objectives.len();
        if let Some(summary) = find(&self.root, ".lab-objectives-summary") {
            set_text(
                &summary,
                &if done == all {
                    format!("All {all} objectives completed: lab done.")
                } else {
                    format!("{done} of {all} objectives completed.")
                },
            );
        }
        let Ok(items) = self.root.query_selector_all(".lab-objective") else {
            return;
        };
        for (i, o) in lab.objectives.iter().enumerate() {
            let Some(li) = items
                .get(i as u32)
                .and_then(|n| n.dyn_into::<Element>().ok())
            else {
                continue;
            };
            let st = statuses.iter().find(|s| s.id == o.id);
            let ok = st.is_some_and(|s| s.done);
            let (have, need) = st.map(|s| s.progress).unwrap_or((0, 1));
            let class = if ok {
                "lab-objective is-done"
            } else {
                "lab-objective"
            };
            if li.get_attribute("class").as_deref() != Some(class) {
                let _ = li.set_attribute("class", class);
            }
            let parts = [
                (".lab-check", if ok { "✔" } else { "○" }.to_owned()),
                (
                    ".visually-hidden",
                    if ok { "Completed: " } else { "Not yet: " }.to_owned(),
                ),
                (
                    ".lab-objective-progress",
                    format!(
                        "{have}/{need}{}",
                        st.map(|s| format!(" · {}", s.detail)).unwrap_or_default()
                    ),
                ),
            ];
            for (selector, text) in parts {
                if let Some(e) = find(&li, selector) {
                    set_text(&e, &text);
                }
            }
        }
    }

    /// "Show hint": one more hint, before the button (which keeps the focus; it goes after the
    /// last hint).
    pub fn show_hint(&mut self, lab: &Lab) {
        let (Some(hints), Some(h)) = (find(&self.root, ".lab-hints"), lab.hints.get(self.shown))
        else {
            return;
        };
        self.shown += 1;
        let more = find(&hints, ".lab-show-hint");
        let _ = hints.insert_before(&hint(self.shown, h).0, more.as_ref().map(AsRef::as_ref));
        if let Some(more) = more {
            if self.shown < lab.hints.len() {
                set_text(&more, &next_hint(self.shown, lab));
            } else {
                more.remove();
            }
        }
    }

    /// The next-hint button while there are hints, and "Reset lab".
    fn render_hints(&self, lab: &Lab) {
        let Some(hints) = find(&self.root, ".lab-hints") else {
            return;
        };
        if !lab.hints.is_empty() {
            let _ = hints.append_child(&button("lab-show-hint", &next_hint(0, lab)).0);
        }
        let _ = hints.append_child(&button("lab-reset", "Reset lab").0);
    }
}

/// Hint `n` (from 1).
fn hint(n: usize, html: &str) -> El {
    el("div")
        .class("lab-hint")
        .attr("role", "note")
        .attr("aria-label", &format!("Hint {n}"))
        .html(html)
}

/// The label of the next-hint button when `shown` hints are shown.
fn next_hint(shown: usize, lab: &Lab) -> String {
    format!("Show hint {} of {}", shown + 1, lab.hints.len())
}
