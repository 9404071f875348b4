//! Finding the placeholders and mounting a Yew app on each (once: a second call skips them). The
//! placeholder's JSON is read with serde ([`crate::codec`]).

use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::{AttrValue, BaseComponent};

use crate::codec;

/// Mounts a [`QuizView`] on each `.course-quiz` and (in the progress and lab bundles) the
/// progress overview on each `.course-progress`.
pub fn all() {
    #[cfg(feature = "quiz")]
    each(".course-quiz", "quiz", |host, book| {
        use crate::quiz::{QuizProps, QuizView};
        let payload: course_model::QuizPayload = read(host, "script[type='application/json']")?;
        let props = QuizProps {
            book,
            quiz: std::rc::Rc::new(payload.quiz),
            hashes: std::rc::Rc::new(payload.hashes),
        };
        render::<QuizView>(host, props);
        Ok(())
    });
    #[cfg(feature = "progress")]
    each(".course-progress", "progress overview", |host, book| {
        use crate::overview::Entry;
        use crate::progress::{ProgressProps, ProgressView};
        use course_model::{LabIndexEntry, QuizIndexEntry};
        let quizzes: Vec<QuizIndexEntry> = read(host, "script[type='application/json']")?;
        let mut entries: Vec<Entry> = quizzes.into_iter().map(Entry::from).collect();
        if let Ok(labs) = read::<Vec<LabIndexEntry>>(host, "script.course-lab-index") {
            entries.extend(labs.into_iter().map(Entry::from));
        }
        let props = ProgressProps {
            book,
            entries: std::rc::Rc::new(entries),
        };
        render::<ProgressView>(host, props);
        Ok(())
    });
}

/// Calls `f` on each element matching `selector` not mounted yet, with the book id; an error is
/// shown in the element.
pub fn each(selector: &str, what: &str, f: impl Fn(&Element, AttrValue) -> Result<(), String>) {
    let Ok(nodes) = gloo_utils::document().query_selector_all(selector) else {
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

/// The JSON of the script element matching `selector` inside `host`, read as a `T`.
pub fn read<T: DeserializeOwned>(host: &Element, selector: &str) -> Result<T, String> {
    let json = host
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .ok_or("its data is missing from the page")?;
    codec::from_str(&json).map_err(|e| format!("its data is unreadable: {e}"))
}

/// Renders component `C` in a new element at the end of `host`. Keys pressed inside never reach
/// mdBook's page shortcuts (arrows turn the page, `s` opens search): they are stopped at this
/// element, after the app handled them.
pub fn render<C: BaseComponent>(host: &Element, props: C::Properties) {
    let document = gloo_utils::document();
    let Ok(root) = document.create_element("div") else {
        return;
    };
    let _ = host.append_child(&root);
    gloo_events::EventListener::new(&root, "keydown", |e| e.stop_propagation()).forget();
    yew::Renderer::<C>::with_root_and_props(root, props).render();
}

/// Says in `host` that it could not be shown, and why.
pub fn show_error(host: &Element, what: &str, message: &str) {
    web_sys::console::error_1(&format!("course: {what}: {message}").into());
    let document = gloo_utils::document();
    if let Ok(p) = document.create_element("p") {
        p.set_class_name("course-load-error");
        let _ = p.set_attribute("role", "alert");
        p.set_text_content(Some(&format!("This {what} could not be shown: {message}.")));
        let _ = host.append_child(&p);
    }
}
