//! The execution-environment timeline (SVG): Init, busy and idle time per environment, cold
//! starts marked, reclaimed environments ended; hover (or focus) a segment for details.
//!
//! The shapes are drawn for a time window that ends a little after "now"; the part after now is
//! veiled and a line marks now. A clock tick only moves the veil and the line (two elements Yew
//! patches); the shapes are drawn again (a new `<svg>`, keyed by its window) when an invocation
//! is recorded, an environment comes or goes, or now passes the end of the window (which then
//! grows by a quarter). The shapes are one markup string the browser parses in one call:
//! building each rectangle as its own node took 40-57 ms a clock tick with 720 rectangles
//! (after a load test), when the plain-DOM console measured it.

mod draw;

pub use draw::Drawing;
use draw::{shapes, x_at, Dec1, W};
use lab_runtime::Micros;
use yew::prelude::*;

/// The timeline's properties.
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// What the shapes are drawn from (none: the function is missing).
    pub drawing: Option<Drawing>,
    /// Virtual time now.
    pub now: Micros,
}

/// `.lab-timeline`.
#[function_component(Timeline)]
pub fn timeline(p: &TimelineProps) -> Html {
    let now = p.now;
    let drawn = use_memo(p.drawing.clone(), move |d| {
        d.as_ref().map(|d| {
            let s = shapes(d, now);
            (AttrValue::from(s.rows.clone()), s)
        })
    });
    let (Some(d), Some((rows, s))) = (&p.drawing, &*drawn) else {
        return html! { <section hidden=true /> };
    };
    let (start, end) = (d.start, d.end);
    let now_x = x_at(start, end, now.clamp(start, end));
    let (nx, h) = (Dec1(now_x).to_string(), Dec1(s.height).to_string());
    let key =
        |class: &'static str, text: &'static str| html! { <span class={class}>{ text }</span> };
    html! {
        <section class="lab-view lab-timeline" aria-label="Execution environments">
            <h4>{ "Execution environments" }</h4>
            <p class="lab-legend">
                { key("lab-key lab-key-init", "Init") }
                { key("lab-key lab-key-busy", "cold invocation") }
                { key("lab-key lab-key-warm", "warm invocation") }
                { key("lab-key lab-key-idle", "idle (frozen)") }
                <span>{ "● cold start, ✕ reclaimed, ┊ now" }</span>
            </p>
            <svg class="lab-timeline-svg" key={format!("{start}-{end}")}
                viewBox={format!("0 0 {W} {}", s.height)} role="img" aria-label={s.summary.clone()}
                data-cold={s.cold.to_string()} data-warm={s.warm.to_string()}
                data-start={start.to_string()} data-end={end.to_string()} data-now={now.to_string()}>
                { Html::from_html_unchecked(rows.clone()) }
                <rect class="lab-future" x={nx.clone()} y="0" width={Dec1(W - now_x).to_string()} height={h.clone()} />
                <line class="lab-now-line" x1={nx.clone()} x2={nx} y1="0" y2={h} />
            </svg>
            <p class="lab-timeline-summary">{ s.summary.clone() }</p>
        </section>
    }
}
