//! The cmi5 session of a course an LMS launched (cmi5 §9.3, §10): when the launch URL names the
//! AU (`activityId`) and a `registration`, the page sends the "cmi5 defined" `initialized` when
//! the session starts and `terminated` (with its duration) when the learner leaves the course,
//! each with the registration, the cmi5 category and the session id (cmi5 §9.6).
//!
//! One session lasts while the learner moves between pages of the course in the tab: the
//! session (id and start) is kept in sessionStorage, and a navigation the page starts towards
//! another page of the same site (a link, mdBook's arrow keys; seen through the Navigation API's
//! `navigate` event) does not end it. Any other `pagehide` (closing the tab, another site typed
//! in, a reload) ends it: `terminated` is queued (localStorage) and sent at once with
//! `keepalive`; if the page goes before the LRS answers, the next page of the course sends it
//! again. A page shown again from the back-forward cache starts a new session.

use std::cell::Cell;

use wasm_bindgen::JsValue;

use super::sender;
use super::statement::{cmi5, verbs};

/// sessionStorage: `{registration} {session id} {start ms}`.
const KEY: &str = "course:xapi-cmi5";

thread_local! {
    /// A navigation to another page of the course has started: the session goes on there.
    static STAYING: Cell<bool> = const { Cell::new(false) };
}

fn store() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The AU and registration, when the launch names both.
fn launch() -> Option<(String, String)> {
    let s = sender::session()?;
    Some((s.activity?, s.registration?))
}

/// Starts (or, on another page of the launch, continues) the session and listens for the
/// learner leaving. Does nothing unless an LMS launched the course with cmi5 parameters.
pub fn start() {
    if launch().is_none() {
        return;
    }
    begin();
    let Some(w) = web_sys::window() else { return };
    gloo_events::EventListener::new(&w, "pagehide", |_| {
        if !STAYING.with(Cell::get) {
            end();
        }
    })
    .forget();
    gloo_events::EventListener::new(&w, "pageshow", |e| {
        let persisted = js_sys::Reflect::get(e, &"persisted".into()).ok();
        if persisted.is_some_and(|p| p.is_truthy()) {
            STAYING.with(|s| s.set(false));
            begin();
        }
    })
    .forget();
    let navigation = js_sys::Reflect::get(&w, &"navigation".into()).ok();
    if let Some(nav) = navigation.filter(JsValue::is_object) {
        let target: web_sys::EventTarget = wasm_bindgen::JsCast::unchecked_into(nav);
        gloo_events::EventListener::new(&target, "navigate", |e| {
            let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
            let destination = get(e, "destination").unwrap_or_default();
            let url = get(&destination, "url").and_then(|u| u.as_string());
            let origin = gloo_utils::window().location().origin().unwrap_or_default();
            // Another page of this site (a jump within the page is no leaving at all).
            let other_page = !get(&destination, "sameDocument").is_some_and(|s| s.is_truthy());
            STAYING.with(|s| {
                s.set(other_page && url.is_some_and(|u| u.starts_with(&format!("{origin}/"))))
            });
        })
        .forget();
    }
}

/// Sends `initialized` unless this tab's session for the registration goes on.
fn begin() {
    let Some((au, registration)) = launch() else {
        return;
    };
    let saved = store().and_then(|s| s.get_item(KEY).ok().flatten());
    if saved.is_some_and(|v| v.split(' ').next() == Some(registration.as_str())) {
        return;
    }
    let session = sender::uuid();
    // Whole milliseconds: reading an integer back costs the bundle no float parser (13 KB).
    let now = js_sys::Date::now() as u64;
    if let Some(s) = store() {
        let _ = s.set_item(KEY, &format!("{registration} {session} {now}"));
    }
    sender::record(|_, _| vec![cmi5(verbs::INITIALIZED, &au, &registration, &session, None)]);
}

/// Sends `terminated` (the session ends) and forgets the session.
fn end() {
    let Some((au, registration)) = launch() else {
        return;
    };
    let Some(saved) = store().and_then(|s| s.get_item(KEY).ok().flatten()) else {
        return;
    };
    let mut parts = saved.split(' ');
    let (Some(reg), Some(session), Some(start)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    if reg != registration {
        return;
    }
    let ms = js_sys::Date::now() - start.parse::<u64>().unwrap_or(0) as f64;
    if let Some(s) = store() {
        let _ = s.remove_item(KEY);
    }
    sender::record(|_, _| {
        vec![cmi5(
            verbs::TERMINATED,
            &au,
            &registration,
            session,
            Some(ms),
        )]
    });
    sender::send_now();
}
