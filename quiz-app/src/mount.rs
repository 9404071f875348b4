//! Finding the placeholders and mounting a component on each (once: a second call skips them).

use std::rc::Rc;

use course_model::Quiz;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::{BaseComponent, Properties};

use crate::components::progress::{ProgressProps, ProgressView};
use crate::components::quiz::{QuizProps, QuizView};
use crate::overview::Entry;

/// Mounts a [`QuizView`] on each `.course-quiz` and a [`ProgressView`] on each `.course-progress`.
pub fn all() {
    each(".course-quiz", "quiz", |host, book| {
        let quiz: Quiz = read(host)?;
        mount::<QuizView>(
            host,
            QuizProps {
                book,
                quiz: Rc::new(quiz),
            },
        );
        Ok(())
    });
    each(".course-progress", "progress overview", |host, book| {
        let entries: Vec<Entry> = read(host)?;
        mount::<ProgressView>(
            host,
            ProgressProps {
                book,
                entries: Rc::new(entries),
            },
        );
        Ok(())
    });
}

fn each(selector: &str, what: &str, f: impl Fn(&Element, yew::AttrValue) -> Result<(), String>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
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
        if let Err(message) = f(&host, book.into()) {
            show_error(&host, what, &message);
        }
    }
}

fn mount<C: BaseComponent>(host: &Element, props: C::Properties)
where
    C::Properties: Properties,
{
    let Some(root) = host
        .owner_document()
        .and_then(|d| d.create_element("div").ok())
    else {
        return;
    };
    root.set_class_name("course-app");
    let _ = host.append_child(&root);
    yew::Renderer::<C>::with_root_and_props(root, props).render();
}

fn read<T: DeserializeOwned>(host: &Element) -> Result<T, String> {
    let json = host
        .query_selector("script[type='application/json']")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .ok_or("its data is missing from the page")?;
    serde_json::from_str(&json).map_err(|e| format!("its data is unreadable: {e}"))
}

fn show_error(host: &Element, what: &str, message: &str) {
    web_sys::console::error_1(&format!("course: {what}: {message}").into());
    if let Some(doc) = host.owner_document() {
        if let Ok(p) = doc.create_element("p") {
            p.set_class_name("course-load-error");
            let _ = p.set_attribute("role", "alert");
            p.set_text_content(Some(&format!("This {what} could not be shown: {message}.")));
            let _ = host.append_child(&p);
        }
    }
}
