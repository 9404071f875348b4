//! The lab console (lab bundle only): a live simulated Lambda function on each `.course-lab`
//! placeholder, on Yew. All decisions (steps, objectives) are made by `course_model::lab`; the
//! pure [`state`] turns actions into steps, and the components render the world.

mod clock;
mod code;
mod config;
mod console;
mod field;
mod invoke;
mod job;
mod load;
mod logs;
mod metrics;
mod objectives;
mod progress;
mod queues;
mod settle;
mod state;
mod time;
mod timeline;
mod ui;
mod views;

use std::cell::Cell;
use std::rc::Rc;

use course_model::lab::Lab;
use wasm_bindgen::JsCast;
use web_sys::Element;

use console::{Console, ConsoleProps};

thread_local! {
    /// Consoles mounted in this page: each one's ids carry its number, so two placements of a
    /// lab (the print page holds every chapter) never share an id.
    static MOUNTED: Cell<u32> = const { Cell::new(0) };
}

/// Memory the lab bundle takes at once when it starts, in bytes.
const FIRST_MEMORY: usize = 64 << 20;

/// Mounts a [`Console`] on each `.course-lab` placeholder not mounted yet.
pub fn mount_all() {
    // Grow the WASM memory once, now, and keep it for the allocator: growing it step by step
    // while a burst of 1,000 requests ran blocked the page up to 134 ms at a time.
    thread_local! {
        static GROWN: Cell<bool> = const { Cell::new(false) };
    }
    if !GROWN.with(|g| g.replace(true)) {
        drop(std::hint::black_box(Vec::<u8>::with_capacity(FIRST_MEMORY)));
    }
    // handler scripts change case with the browser's Unicode mapping, so Rust's case tables stay
    // out of the bundle (handler_lang::case, through lab-runtime's adapter)
    lab_runtime::script::set_case_mapping(
        |s| String::from(js_sys::JsString::from(s).to_upper_case()),
        |s| String::from(js_sys::JsString::from(s).to_lower_case()),
    );
    let document = gloo_utils::document();
    let Ok(nodes) = document.query_selector_all(".course-lab:not([data-mounted])") else {
        return;
    };
    for i in 0..nodes.length() {
        let Some(host) = nodes.get(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let _ = host.set_attribute("data-mounted", "");
        match read_lab(&host) {
            Ok(lab) => mount(&document, &host, lab),
            Err(message) => show_error(&host, &message),
        }
    }
}

fn mount(document: &web_sys::Document, host: &Element, lab: Lab) {
    let Ok(root) = document.create_element("div") else {
        return;
    };
    root.set_class_name("course-app lab-console");
    let _ = host.append_child(&root);
    let book = host.get_attribute("data-book").unwrap_or_default();
    let n = MOUNTED.with(|m| {
        m.set(m.get() + 1);
        m.get()
    });
    let loaded = crate::lab_progress::load_checked(&book, &lab.id);
    let props = ConsoleProps {
        book: book.into(),
        uid: format!("lab-{}-{n}", lab.id).into(),
        completed: Rc::new(loaded.saved.map(|s| s.completed).unwrap_or_default()),
        notice: loaded.notice.map(Into::into),
        lab: Rc::new(lab),
    };
    yew::Renderer::<Console>::with_root_and_props(root, props).render();
}

/// The placeholder's lab, read with serde from the browser's `JSON.parse`.
fn read_lab(host: &Element) -> Result<Lab, String> {
    let json = host
        .query_selector("script[type='application/json']")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .ok_or("the lab data is missing from the page")?;
    let value = js_sys::JSON::parse(&json).map_err(|_| "the lab data is not valid JSON")?;
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("the lab data is unreadable: {e}"))
}

/// Shown instead of a console whose lab cannot be read.
#[derive(yew::Properties, PartialEq)]
struct LoadErrorProps {
    message: yew::AttrValue,
}

#[yew::function_component(LoadError)]
fn load_error(props: &LoadErrorProps) -> yew::Html {
    yew::html! {
        <p class="course-load-error" role="alert">{ format!("This lab could not be shown: {}.", props.message) }</p>
    }
}

fn show_error(host: &Element, message: &str) {
    gloo_console::warn!(format!("course: {message}"));
    let props = LoadErrorProps {
        message: message.to_owned().into(),
    };
    yew::Renderer::<LoadError>::with_root_and_props(host.clone(), props).render();
}
