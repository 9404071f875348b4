//! The panel's form parts: labelled inputs, JSON editors and choices with ids `{uid}-{name}`,
//! and a form per setting with its submit button and inline error.

use litemap::LiteMap;

use yew::prelude::*;

use crate::lab::field::Field;
use crate::lab::ui::error_line;

/// Builds the panel's parts: ids are `{uid}-{name}`.
pub struct Form<'a> {
    /// Id prefix.
    pub uid: &'a str,
    /// Inline errors by form.
    pub errors: &'a LiteMap<&'static str, String>,
    /// A form was submitted (its name).
    pub on_submit: &'a Callback<&'static str>,
}

impl Form<'_> {
    /// The id of control `name`.
    pub fn id(&self, name: &str) -> String {
        format!("{}-{name}", self.uid)
    }

    /// `<form class="lab-form lab-form-{name}">` with its controls, submit button and error.
    pub fn form(
        &self,
        name: &'static str,
        controls: Html,
        submit_class: &'static str,
        submit: &'static str,
    ) -> Html {
        let on_submit = self.on_submit.clone();
        let onsubmit = Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_submit.emit(name);
        });
        let error = self.id(&format!("{name}-error"));
        html! {
            <form class={format!("lab-form lab-form-{name}")} aria-describedby={error.clone()} {onsubmit}>
                { controls }
                <button type="submit" class={submit_class}>{ submit }</button>
                { error_line(error, self.errors.get(name)) }
            </form>
        }
    }

    /// A labelled text input (it keeps what the learner typed).
    pub fn input(
        &self,
        name: &str,
        class: &'static str,
        label: String,
        value: String,
        numeric: bool,
    ) -> Html {
        html! { <Field id={self.id(name)} {class} label={label} initial={value} {numeric} /> }
    }

    /// A labelled JSON editor.
    pub fn textarea(&self, name: &str, class: &'static str, label: String, value: String) -> Html {
        html! {
            <>
                <label for={self.id(name)}>{ label }</label>
                <textarea id={self.id(name)} class={classes!(class, "lab-code-input")} rows="6" spellcheck="false" defaultvalue={value} />
            </>
        }
    }

    /// A labelled choice of one of `options` (values and labels), `chosen` selected; `follow`
    /// names the element describing the choice and is told of each change.
    pub fn select(
        &self,
        name: &str,
        class: &'static str,
        label: String,
        options: &[(&str, &str)],
        chosen: &str,
        follow: Option<(String, Callback<Event>)>,
    ) -> Html {
        let (described, onchange) = follow.unzip();
        html! {
            <>
                <label for={self.id(name)}>{ label }</label>
                <select id={self.id(name)} class={class} aria-describedby={described} {onchange}>
                    { for options.iter().map(|(v, text)| html! {
                        <option value={v.to_string()} selected={*v == chosen}>{ text.to_string() }</option>
                    }) }
                </select>
            </>
        }
    }
}
