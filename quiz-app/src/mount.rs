//! Finding the placeholders and mounting a component on each.

use std::rc::Rc;

use course_model::Quiz;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::components::quiz::{QuizProps, QuizView};

/// Mounts a [`QuizView`] on each `.course-quiz` placeholder.
pub fn quizzes() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(nodes) = document.query_selector_all(".course-quiz") else {
        return;
    };
    for i in 0..nodes.length() {
        let Some(host) = nodes.get(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        match read_quiz(&host) {
            Ok(quiz) => {
                let root = document
                    .create_element("div")
                    .expect("a div can be created");
                root.set_class_name("course-app");
                let _ = host.append_child(&root);
                let book = host.get_attribute("data-book").unwrap_or_default();
                yew::Renderer::<QuizView>::with_root_and_props(
                    root,
                    QuizProps {
                        book: book.into(),
                        quiz: Rc::new(quiz),
                    },
                )
                .render();
            }
            Err(message) => show_error(&host, &message),
        }
    }
}

fn read_quiz(host: &Element) -> Result<Quiz, String> {
    let json = host
        .query_selector("script[type='application/json']")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .ok_or("the quiz data is missing from the page")?;
    serde_json::from_str(&json).map_err(|e| format!("the quiz data is unreadable: {e}"))
}

fn show_error(host: &Element, message: &str) {
    web_sys::console::error_1(&format!("course: {message}").into());
    if let Some(doc) = host.owner_document() {
        if let Ok(p) = doc.create_element("p") {
            p.set_class_name("course-load-error");
            let _ = p.set_attribute("role", "alert");
            p.set_text_content(Some(&format!("This quiz could not be shown: {message}.")));
            let _ = host.append_child(&p);
        }
    }
    let _ = host.dyn_ref::<HtmlElement>();
}
