//! A "skip to" link, first in the page's tab order, so a keyboard user reaches the page's first
//! quiz, lab or progress overview without tabbing through mdBook's whole table of contents.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The id given to the first activity on the page (the link's target).
const TARGET: &str = "course-first-activity";

/// Properties of [`SkipLink`].
#[derive(Properties, PartialEq)]
struct SkipLinkProps {
    label: AttrValue,
}

/// The link: hidden until it has the focus.
#[function_component]
fn SkipLink(p: &SkipLinkProps) -> Html {
    let onclick = Callback::from(|e: MouseEvent| {
        // Move the focus, not only the scroll position, so the next Tab is inside the activity.
        e.prevent_default();
        if let Some(target) = gloo_utils::document()
            .get_element_by_id(TARGET)
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            target.scroll_into_view();
            let _ = target.focus();
        }
    });
    html! { <a class="course-skip" href={format!("#{TARGET}")} {onclick}>{p.label.clone()}</a> }
}

/// Adds the link at the top of the page once, pointing at its first activity, if it has one.
pub fn add_link() {
    let document = gloo_utils::document();
    if document.get_element_by_id(TARGET).is_some() {
        return;
    }
    let first = [
        (".course-quiz", "Skip to the quiz"),
        (".course-lab", "Skip to the lab"),
        (".course-progress", "Skip to your progress"),
    ]
    .into_iter()
    .filter_map(|(selector, label)| Some((document.query_selector(selector).ok()??, label)))
    .min_by(|(a, _), (b, _)| {
        // Earliest in the document.
        if a.compare_document_position(b) & web_sys::Node::DOCUMENT_POSITION_FOLLOWING != 0 {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        }
    });
    let (Some((target, label)), Some(body)) = (first, document.body()) else {
        return;
    };
    target.set_id(TARGET);
    let _ = target.set_attribute("tabindex", "-1");
    let Ok(holder) = document.create_element("div") else {
        return;
    };
    let _ = body.insert_before(&holder, body.first_child().as_ref());
    yew::Renderer::<SkipLink>::with_root_and_props(
        holder,
        SkipLinkProps {
            label: label.into(),
        },
    )
    .render();
}
