//! Finding the placeholders and mounting the player or the overview on each (once: a second call
//! skips them). The placeholder's JSON is read with `course-model`'s small JSON reader.

use course_model::json::Json;
use course_model::Quiz;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::overview::{lab_entries, quiz_entries};
use crate::{player, progress_page};

/// Mounts a quiz player on each `.course-quiz` and the overview on each `.course-progress`.
pub fn all() {
    each(".course-quiz", "quiz", |host, book| {
        let quiz = Quiz::from_json(&read(host, "script[type='application/json']")?)?;
        player::mount(host, book, quiz);
        Ok(())
    });
    each(".course-progress", "progress overview", |host, book| {
        let mut entries = quiz_entries(&read(host, "script[type='application/json']")?)?;
        if let Ok(labs) = read(host, "script.course-lab-index") {
            entries.extend(lab_entries(&labs)?);
        }
        progress_page::mount(host, book, entries);
        Ok(())
    });
}

fn each(selector: &str, what: &str, f: impl Fn(&Element, String) -> Result<(), String>) {
    let Some(document) = crate::dom::document() else {
        return;
    };
    let Ok(nodes) = document.query_selector_all(selector) else {
        return;
    };
    for i in 0..nodes.length() {
        let Some(host) = nodes.get(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        if host.has_attribute("data-mounted") {
            continue;
        }
        let _ = host.set_attribute("data-mounted", "");
        let book = host.get_attribute("data-book").unwrap_or_default();
        if let Err(message) = f(&host, book) {
            show_error(&host, what, &message);
        }
    }
}

fn read(host: &Element, selector: &str) -> Result<Json, String> {
    let json = host
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .ok_or("its data is missing from the page")?;
    Json::parse(&json).map_err(|e| format!("its data is unreadable: {e}"))
}

fn show_error(host: &Element, what: &str, message: &str) {
    web_sys::console::error_1(&format!("course: {what}: {message}").into());
    let p = crate::dom::el("p")
        .class("course-load-error")
        .attr("role", "alert")
        .text(&format!("This {what} could not be shown: {message}."));
    let _ = host.append_child(&p.0);
}
