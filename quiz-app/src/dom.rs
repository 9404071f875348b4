//! A few lines of DOM building: the quiz player, the progress page and the lab console create
//! their elements with [`el`] (and [`svg`]) and react to events delegated to their root
//! ([`listen`]), so no framework and no per-element closures enter the bundles.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement};

thread_local! {
    /// The page's document, looked up once: building a view creates thousands of elements.
    static DOCUMENT: Option<Document> = web_sys::window().and_then(|w| w.document());
}

/// The page's document.
pub fn document() -> Option<Document> {
    DOCUMENT.with(Clone::clone)
}

/// The SVG namespace.
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// An element under construction.
pub struct El(pub Element);

/// Starts a `<tag>` element.
pub fn el(tag: &str) -> El {
    El(DOCUMENT
        .with(|d| d.as_ref().and_then(|d| d.create_element(tag).ok()))
        .expect("a page can create elements"))
}

/// Starts an SVG `<tag>` element (in the SVG namespace, so the browser draws it).
pub fn svg(tag: &str) -> El {
    El(DOCUMENT
        .with(|d| {
            d.as_ref()
                .and_then(|d| d.create_element_ns(Some(SVG_NS), tag).ok())
        })
        .expect("a page can create SVG elements"))
}

impl El {
    /// Sets the class attribute (several classes separated by spaces; works on SVG elements too).
    pub fn class(self, class: &str) -> El {
        let _ = self.0.set_attribute("class", class);
        self
    }

    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> El {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets an attribute only when `on`.
    pub fn attr_if(self, on: bool, name: &str, value: &str) -> El {
        if on {
            self.attr(name, value)
        } else {
            self
        }
    }

    /// Sets the id.
    pub fn id(self, id: &str) -> El {
        self.0.set_id(id);
        self
    }

    /// Appends text (never parsed as HTML).
    pub fn text(self, text: &str) -> El {
        let _ = self.0.append_with_str_1(text);
        self
    }

    /// Appends trusted HTML: rendered and sanitised by the preprocessor at build time.
    pub fn html(self, html: &str) -> El {
        let _ = self.0.insert_adjacent_html("beforeend", html);
        self
    }

    /// Appends a child.
    pub fn child(self, child: El) -> El {
        let _ = self.0.append_child(&child.0);
        self
    }

    /// Appends a child when there is one.
    pub fn maybe(self, child: Option<El>) -> El {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// Appends every child.
    pub fn children(self, children: impl IntoIterator<Item = El>) -> El {
        for c in children {
            let _ = self.0.append_child(&c.0);
        }
        self
    }

    /// Marks the element as the source of an action: `data-act`, and the question index `data-q`.
    pub fn act(self, act: &str, question: usize) -> El {
        self.attr("data-act", act)
            .attr("data-q", &question.to_string())
    }

    /// Sets `data-{name}` to a number.
    pub fn data(self, name: &str, value: usize) -> El {
        self.attr(&format!("data-{name}"), &value.to_string())
    }
}

/// Sets the text of `e` unless it already shows `text` (so a live region is not re-announced).
pub fn set_text(e: &Element, text: &str) {
    if e.text_content().as_deref() != Some(text) {
        e.set_text_content(Some(text));
    }
}

/// Replaces the children of `parent` with `child`.
pub fn replace_children(parent: &Element, child: El) {
    parent.set_text_content(None);
    let _ = parent.append_child(&child.0);
}

/// Sets or removes a boolean attribute (`disabled`, `hidden`).
pub fn toggle_attr(e: &Element, name: &str, on: bool) {
    if on != e.has_attribute(name) {
        if on {
            let _ = e.set_attribute(name, "");
        } else {
            let _ = e.remove_attribute(name);
        }
    }
}

/// Calls `handler` for every `event` inside `target`, with the app it belongs to (skipped when
/// the app is busy handling another event). The closure lives as long as the page.
pub fn listen<T: 'static>(
    target: &Element,
    event: &str,
    app: &Rc<RefCell<T>>,
    handler: fn(&mut T, &Event),
) {
    let app = app.clone();
    let f = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
        if let Ok(mut app) = app.try_borrow_mut() {
            handler(&mut app, &e);
        }
    });
    let _ = target.add_event_listener_with_callback(event, f.as_ref().unchecked_ref());
    f.forget();
}

/// A `<button type="button">` with a class and a label.
pub fn button(class: &str, label: &str) -> El {
    el("button").attr("type", "button").class(class).text(label)
}

/// Focuses the element with this id, if there is one.
pub fn focus_id(id: &str) {
    if let Some(e) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}

/// The id of the focused element when it lies inside `root` (to restore it after a re-render).
pub fn focused_id_within(root: &Element) -> Option<String> {
    let active = document()?.active_element()?;
    (root.contains(Some(&active)) && !active.id().is_empty()).then(|| active.id())
}

/// Reads `data-{name}` of `e` as a number.
pub fn data_num(e: &Element, name: &str) -> Option<usize> {
    e.get_attribute(&format!("data-{name}"))?.parse().ok()
}
