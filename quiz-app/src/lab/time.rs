//! Time: the virtual clock, the buttons that advance it, and "Run", which advances it on its own
//! at a chosen speed (simulated seconds per real second) until "Pause".

use course_model::lab::Step;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::ui::{clock, find};
use crate::dom::{button, el, set_text, toggle_attr, El};

/// How often "Run" advances the clock, in milliseconds.
pub const TICK_MS: f64 = 250.0;

/// The speeds "Run" offers: simulated seconds per real second, and their labels.
const SPEEDS: [(u32, &str); 4] = [
    (1, "1× (real time)"),
    (10, "10×"),
    (60, "1 min per second"),
    (600, "10 min per second"),
];

/// The speed chosen at first.
pub const FIRST_SPEED: u32 = 10;

/// The step a time button (by class) asks for.
pub fn step(class: &str) -> Option<Step> {
    Some(match class {
        "lab-advance-1s" => Step::Advance { seconds: 1.0 },
        "lab-advance-1m" => Step::Advance { seconds: 60.0 },
        "lab-advance-10m" => Step::Advance { seconds: 600.0 },
        "lab-advance-next" => Step::AdvanceToNextEvent,
        _ => return None,
    })
}

/// The clock, and the time controls when the lab offers them (`controls`); `lab` is its id.
pub fn build(lab: &str, controls: bool) -> El {
    let speed_id = format!("lab-{lab}-speed");
    let buttons = controls.then(|| {
        el("span")
            .class("lab-time-controls")
            .attr("role", "group")
            .attr("aria-label", "Time controls")
            .child(button("lab-advance-1s", "+1 s"))
            .child(button("lab-advance-1m", "+1 min"))
            .child(button("lab-advance-10m", "+10 min"))
            .child(button("lab-advance-next", "To next event"))
            .child(button("lab-play", "Run").attr("aria-pressed", "false"))
            .child(
                el("label")
                    .class("lab-speed-label")
                    .attr("for", &speed_id)
                    .text("Speed"),
            )
            .child(
                el("select")
                    .class("lab-speed")
                    .id(&speed_id)
                    .children(SPEEDS.iter().map(|&(v, label)| {
                        el("option")
                            .attr("value", &v.to_string())
                            .attr_if(v == FIRST_SPEED, "selected", "")
                            .text(label)
                    })),
            )
    });
    el("div")
        .class("lab-clock")
        .child(el("span").class("lab-now"))
        .maybe(buttons)
}

/// Shows virtual time `now`, and the buttons enabled unless `busy`, "Run" or "Pause" as `playing`.
pub fn update(clock_el: &Element, now: u64, busy: bool, playing: bool) {
    if let Some(n) = find(clock_el, ".lab-now") {
        set_text(&n, &format!("Virtual time {}", clock(now)));
    }
    if let Ok(buttons) = clock_el.query_selector_all(".lab-time-controls button") {
        for i in 0..buttons.length() {
            if let Some(b) = buttons.get(i).and_then(|b| b.dyn_into::<Element>().ok()) {
                toggle_attr(&b, "disabled", busy);
            }
        }
    }
    if let Some(play) = find(clock_el, ".lab-play") {
        let _ = play.set_attribute("aria-pressed", &playing.to_string());
        set_text(&play, if playing { "Pause" } else { "Run" });
    }
}

/// Calls a function every few milliseconds until dropped.
pub struct Ticker {
    id: i32,
    /// The speed it runs at.
    pub speed: u32,
    _f: Closure<dyn FnMut()>,
}

impl Ticker {
    /// Calls `f` every [`TICK_MS`]; `speed` is remembered.
    pub fn start(speed: u32, f: impl FnMut() + 'static) -> Option<Ticker> {
        let f = Closure::<dyn FnMut()>::new(f);
        let id = web_sys::window()?
            .set_interval_with_callback_and_timeout_and_arguments_0(
                f.as_ref().unchecked_ref(),
                TICK_MS as i32,
            )
            .ok()?;
        Some(Ticker { id, speed, _f: f })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_interval_with_handle(self.id);
        }
    }
}
