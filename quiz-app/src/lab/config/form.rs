//! Building the panel's forms: labelled inputs, JSON editors and choices with ids
//! `lab-{lab}-{name}`, and a submit button per form.

use course_model::lab::Lab;

use crate::dom::{el, El};

/// The panel's builder: ids are `lab-{lab}-{name}`.
pub struct Form<'a> {
    /// The lab.
    pub lab: &'a Lab,
}

impl Form<'_> {
    /// The id of control `name`.
    pub fn id(&self, name: &str) -> String {
        format!("lab-{}-{name}", self.lab.id)
    }

    /// `<form class="lab-form lab-form-{name}">` with its controls and submit button.
    pub fn form(&self, name: &str, controls: Vec<El>, submit_class: &str, submit: &str) -> El {
        el("form")
            .class(&format!("lab-form lab-form-{name}"))
            .attr("aria-describedby", &self.id(&format!("{name}-error")))
            .children(controls)
            .child(
                el("button")
                    .attr("type", "submit")
                    .class(submit_class)
                    .text(submit),
            )
    }

    /// The label of control `name`.
    pub fn label(&self, name: &str, text: &str) -> El {
        el("label").attr("for", &self.id(name)).text(text)
    }

    /// A labelled text input.
    pub fn input(
        &self,
        name: &str,
        class: &str,
        label: &str,
        value: &str,
        numeric: bool,
    ) -> [El; 2] {
        [
            self.label(name, label),
            el("input")
                .id(&self.id(name))
                .class(class)
                .attr_if(numeric, "inputmode", "numeric")
                .attr("value", value),
        ]
    }

    /// A labelled JSON editor.
    pub fn textarea(&self, name: &str, class: &str, label: &str, value: &str) -> [El; 2] {
        [
            self.label(name, label),
            el("textarea")
                .id(&self.id(name))
                .class(&format!("{class} lab-code-input"))
                .attr("rows", "6")
                .attr("spellcheck", "false")
                .text(value),
        ]
    }

    /// A labelled choice of one of `options` (values and labels), `chosen` selected.
    pub fn select(
        &self,
        name: &str,
        class: &str,
        label: &str,
        options: &[(&str, &str)],
        chosen: &str,
    ) -> [El; 2] {
        [
            self.label(name, label),
            el("select")
                .id(&self.id(name))
                .class(class)
                .children(options.iter().map(|(v, text)| {
                    el("option")
                        .attr("value", v)
                        .attr_if(*v == chosen, "selected", "")
                        .text(text)
                })),
        ]
    }
}
