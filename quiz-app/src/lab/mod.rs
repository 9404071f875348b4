//! The lab console (lab bundle only): a live simulated Lambda function on each `.course-lab`
//! placeholder. All decisions (steps, objectives) are made by `course_model::lab`; this module
//! renders the simulation and turns clicks into steps.

mod code;
mod config;
mod console;
mod invoke;
mod load;
mod logs;
mod metrics;
mod objectives;
mod queues;
mod settle;
mod store;
mod time;
mod timeline;
mod ui;
mod views;

use course_model::lab::Lab;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Mounts a console on each `.course-lab` placeholder not mounted yet.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(nodes) = document.query_selector_all(".course-lab:not([data-mounted])") else {
        return;
    };
    for i in 0..nodes.length() {
        let Some(host) = nodes.get(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let _ = host.set_attribute("data-mounted", "");
        match read_lab(&host) {
            Ok(lab) => {
                let book = host.get_attribute("data-book").unwrap_or_default();
                console::mount(&host, book, lab);
            }
            Err(message) => show_error(&host, &message),
        }
    }
}

fn read_lab(host: &Element) -> Result<Lab, String> {
    let json = host
        .query_selector("script[type='application/json']")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .ok_or("the lab data is missing from the page")?;
    course_model::lab::lab_from_json(&json).map_err(|e| format!("the lab data is unreadable: {e}"))
}

fn show_error(host: &Element, message: &str) {
    web_sys::console::warn_1(&format!("course: {message}").into());
    if let Some(doc) = host.owner_document() {
        if let Ok(p) = doc.create_element("p") {
            p.set_class_name("course-load-error");
            let _ = p.set_attribute("role", "alert");
            p.set_text_content(Some(&format!("This lab could not be shown: {message}.")));
            let _ = host.append_child(&p);
        }
    }
}
