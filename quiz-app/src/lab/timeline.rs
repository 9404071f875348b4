//! The execution-environment timeline (SVG): Init, busy and idle time per environment, cold
//! starts marked, reclaimed environments ended; hover (or focus) a segment for details.

use std::collections::BTreeMap;
use std::rc::Rc;

use lab_runtime::environment::StartType;
use lab_runtime::model::InvocationRecord;
use lab_runtime::view::FunctionView;
use lab_runtime::Micros;
use yew::prelude::*;

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// Recent invocations.
    pub records: Rc<Vec<InvocationRecord>>,
    /// The lab's function now.
    pub function: Option<FunctionView>,
    /// Virtual time now.
    pub now: Micros,
    /// Idle keep-alive (to place reclaims).
    pub keep_alive: Micros,
}

const W: f64 = 640.0;
const LABEL: f64 = 70.0;
const ROW: f64 = 18.0;
const MAX_ROWS: usize = 24;
/// Invocations drawn per environment (the latest), to keep the SVG small.
const MAX_PER_ENV: usize = 40;

struct Seg {
    from: Micros,
    to: Micros,
    kind: &'static str,
    title: String,
}

/// The timeline.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let Some(f) = &props.function else {
        return html! {};
    };
    let mut envs: BTreeMap<u64, Vec<&InvocationRecord>> = BTreeMap::new();
    for r in props
        .records
        .iter()
        .filter(|r| *r.function == *f.config.name && r.env != 0)
    {
        envs.entry(r.env).or_default().push(r);
    }
    let live: Vec<u64> = f.environments.iter().map(|e| e.id).collect();
    let ids: Vec<u64> = envs
        .keys()
        .copied()
        .rev()
        .take(MAX_ROWS)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let start = ids
        .iter()
        .filter_map(|id| envs[id].first().map(|r| r.start_us))
        .min()
        .unwrap_or(0);
    let end = props.now.max(start + 1);
    let x = |t: Micros| {
        LABEL + (t.saturating_sub(start)) as f64 / (end - start) as f64 * (W - LABEL - 4.0)
    };
    let (mut cold, mut warm) = (0, 0);
    let rows: Vec<Html> = ids
        .iter()
        .enumerate()
        .map(|(row, id)| {
            let y = row as f64 * ROW + 4.0;
            let mut segs = Vec::new();
            let mut marks = Vec::new();
            let mut last_end = 0;
            let all = &envs[id];
            for r in &all[all.len().saturating_sub(MAX_PER_ENV)..] {
                let begin = r.start_us;
                let busy_from = begin + r.init_us;
                let busy_to = busy_from + r.duration_us;
                if last_end > 0 && begin > last_end {
                    segs.push(Seg { from: last_end, to: begin, kind: "idle", title: "idle (frozen)".into() });
                }
                match r.start_type {
                    Some(StartType::Cold) => {
                        cold += 1;
                        segs.push(Seg { from: begin, to: busy_from, kind: "init", title: format!("Init {:.1} ms", r.init_us as f64 / 1000.0) });
                        marks.push((begin, format!("cold start {}", r.request_id)));
                    }
                    Some(StartType::Warm) => warm += 1,
                    _ => {}
                }
                let kind = if r.start_type == Some(StartType::Warm) { "warm" } else { "busy" };
                segs.push(Seg { from: busy_from, to: busy_to, kind, title: format!("{} {:?} {:.1} ms", r.request_id, r.outcome, r.duration_us as f64 / 1000.0) });
                last_end = last_end.max(busy_to);
            }
            let alive = live.contains(id);
            let stop = if alive { props.now } else { (last_end + props.keep_alive).min(props.now) };
            if stop > last_end {
                segs.push(Seg { from: last_end, to: stop, kind: "idle", title: "idle (frozen)".into() });
            }
            html! {
                <g class={classes!("lab-env", (!alive).then_some("is-reclaimed"))} data-env={id.to_string()}>
                    <text x="2" y={(y + 12.0).to_string()} class="lab-env-label">{ format!("env {id}") }</text>
                    { for segs.iter().map(|s| html! {
                        <rect class={format!("lab-seg lab-seg-{}", s.kind)} x={format!("{:.1}", x(s.from))} y={y.to_string()}
                            width={format!("{:.1}", (x(s.to) - x(s.from)).max(1.0))} height={(ROW - 4.0).to_string()}>
                            <title>{ s.title.clone() }</title>
                        </rect>
                    }) }
                    { for marks.iter().map(|(t, title)| html! {
                        <circle class="lab-cold-mark" cx={format!("{:.1}", x(*t))} cy={(y + 7.0).to_string()} r="4">
                            <title>{ title.clone() }</title>
                        </circle>
                    }) }
                    if !alive {
                        <text class="lab-reclaimed" x={format!("{:.1}", x(stop) + 2.0)} y={(y + 12.0).to_string()}>{ "✕" }<title>{ "reclaimed" }</title></text>
                    }
                </g>
            }
        })
        .collect();
    let height = (ids.len().max(1) as f64) * ROW + 8.0;
    let summary = format!(
        "{} environment(s) shown, {} live; {cold} cold start(s) and {warm} warm start(s) in view",
        ids.len(),
        live.len()
    );
    html! {
        <section class="lab-view lab-timeline" aria-label="Execution environments">
            <h4>{ "Execution environments" }</h4>
            <p class="lab-legend">
                <span class="lab-key lab-key-init">{ "Init" }</span>
                <span class="lab-key lab-key-busy">{ "cold invocation" }</span>
                <span class="lab-key lab-key-warm">{ "warm invocation" }</span>
                <span class="lab-key lab-key-idle">{ "idle (frozen)" }</span>
                <span>{ "● cold start, ✕ reclaimed" }</span>
            </p>
            <svg class="lab-timeline-svg" viewBox={format!("0 0 {W} {height}")} role="img" aria-label={summary.clone()}
                data-cold={cold.to_string()} data-warm={warm.to_string()}>
                { for rows }
            </svg>
            <p class="lab-timeline-summary">{ summary }</p>
        </section>
    }
}
