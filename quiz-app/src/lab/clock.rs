//! The virtual clock and, when the lab offers them, the time controls.

use yew::prelude::*;

use super::time::{buttons, SPEEDS};
use super::ui::{self, OnStep};

/// The clock's properties.
#[derive(Properties, PartialEq)]
pub struct ClockProps {
    /// Virtual time, µs.
    pub now: u64,
    /// The lab offers time controls.
    pub controls: bool,
    /// Work runs: the buttons wait.
    pub busy: bool,
    /// "Run" is on.
    pub playing: bool,
    /// "Run"'s speed.
    pub speed: u32,
    /// Id prefix.
    pub uid: AttrValue,
    /// A time step.
    pub on_step: OnStep,
    /// "Run" / "Pause".
    pub on_play: Callback<MouseEvent>,
    /// A speed chosen.
    pub on_speed: Callback<u32>,
}

/// `.lab-clock`: "Virtual time m:ss.mmm" and the controls.
#[function_component(Clock)]
pub fn clock(p: &ClockProps) -> Html {
    let speed_id = format!("{}-speed", p.uid);
    let on_speed = {
        let on_speed = p.on_speed.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = ui::event_value(&e).parse() {
                on_speed.emit(v);
            }
        })
    };
    let controls = p.controls.then(|| {
        html! {
            <span class="lab-time-controls" role="group" aria-label="Time controls">
                { for buttons().into_iter().map(|(class, label, step)| {
                    let on_step = p.on_step.clone();
                    let onclick = Callback::from(move |_: MouseEvent| on_step.emit(("time", step.clone())));
                    html! { <button type="button" class={class} disabled={p.busy} {onclick}>{ label }</button> }
                }) }
                <button type="button" class="lab-play" disabled={p.busy} aria-pressed={p.playing.to_string()} onclick={p.on_play.clone()}>
                    { if p.playing { "Pause" } else { "Run" } }
                </button>
                <label class="lab-speed-label" for={speed_id.clone()}>{ "Speed" }</label>
                <select class="lab-speed" id={speed_id} onchange={on_speed}>
                    { for SPEEDS.iter().map(|&(v, label)| html! {
                        <option value={v.to_string()} selected={p.speed == v}>{ label }</option>
                    }) }
                </select>
            </span>
        }
    });
    html! {
        <div class="lab-clock">
            <span class="lab-now">{ format!("Virtual time {}", ui::clock(p.now)) }</span>
            { for controls }
        </div>
    }
}
