//! The execution-environment timeline (SVG): Init, busy and idle time per environment, cold
//! starts marked, reclaimed environments ended; hover (or focus) a segment for details.

use std::collections::BTreeMap;

use lab_runtime::environment::StartType;
use lab_runtime::model::InvocationRecord;
use lab_runtime::view::FunctionView;
use lab_runtime::Micros;

use crate::dom::{el, svg, El};

/// What the timeline shows.
pub struct TimelineInput<'a> {
    /// Recent invocations.
    pub records: &'a [InvocationRecord],
    /// The lab's function now.
    pub function: Option<&'a FunctionView>,
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

/// An SVG `<title>`: the details shown on hover.
fn title(text: &str) -> El {
    svg("title").text(text)
}

/// The timeline (nothing when the function is missing).
pub fn view(input: &TimelineInput) -> Option<El> {
    let f = input.function?;
    let mut envs: BTreeMap<u64, Vec<&InvocationRecord>> = BTreeMap::new();
    for r in input
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
    let end = input.now.max(start + 1);
    let x = |t: Micros| {
        LABEL + (t.saturating_sub(start)) as f64 / (end - start) as f64 * (W - LABEL - 4.0)
    };
    let (mut cold, mut warm) = (0, 0);
    let mut rows = Vec::new();
    for (row, id) in ids.iter().enumerate() {
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
                segs.push(Seg {
                    from: last_end,
                    to: begin,
                    kind: "idle",
                    title: "idle (frozen)".into(),
                });
            }
            match r.start_type {
                Some(StartType::Cold) => {
                    cold += 1;
                    segs.push(Seg {
                        from: begin,
                        to: busy_from,
                        kind: "init",
                        title: format!("Init {:.1} ms", r.init_us as f64 / 1000.0),
                    });
                    marks.push((begin, format!("cold start {}", r.request_id)));
                }
                Some(StartType::Warm) => warm += 1,
                _ => {}
            }
            let kind = if r.start_type == Some(StartType::Warm) {
                "warm"
            } else {
                "busy"
            };
            segs.push(Seg {
                from: busy_from,
                to: busy_to,
                kind,
                title: format!(
                    "{} {:?} {:.1} ms",
                    r.request_id,
                    r.outcome,
                    r.duration_us as f64 / 1000.0
                ),
            });
            last_end = last_end.max(busy_to);
        }
        let alive = live.contains(id);
        let stop = if alive {
            input.now
        } else {
            (last_end + input.keep_alive).min(input.now)
        };
        if stop > last_end {
            segs.push(Seg {
                from: last_end,
                to: stop,
                kind: "idle",
                title: "idle (frozen)".into(),
            });
        }
        let g = svg("g")
            .class(if alive {
                "lab-env"
            } else {
                "lab-env is-reclaimed"
            })
            .attr("data-env", &id.to_string())
            .child(
                svg("text")
                    .attr("x", "2")
                    .attr("y", &(y + 12.0).to_string())
                    .class("lab-env-label")
                    .text(&format!("env {id}")),
            )
            .children(segs.iter().map(|s| {
                svg("rect")
                    .class(&format!("lab-seg lab-seg-{}", s.kind))
                    .attr("x", &format!("{:.1}", x(s.from)))
                    .attr("y", &y.to_string())
                    .attr("width", &format!("{:.1}", (x(s.to) - x(s.from)).max(1.0)))
                    .attr("height", &(ROW - 4.0).to_string())
                    .child(title(&s.title))
            }))
            .children(marks.iter().map(|(t, text)| {
                svg("circle")
                    .class("lab-cold-mark")
                    .attr("cx", &format!("{:.1}", x(*t)))
                    .attr("cy", &(y + 7.0).to_string())
                    .attr("r", "4")
                    .child(title(text))
            }))
            .maybe((!alive).then(|| {
                svg("text")
                    .class("lab-reclaimed")
                    .attr("x", &format!("{:.1}", x(stop) + 2.0))
                    .attr("y", &(y + 12.0).to_string())
                    .text("✕")
                    .child(title("reclaimed"))
            }));
        rows.push(g);
    }
    let height = (ids.len().max(1) as f64) * ROW + 8.0;
    let summary = format!(
        "{} environment(s) shown, {} live; {cold} cold start(s) and {warm} warm start(s) in view",
        ids.len(),
        live.len()
    );
    let key = |class: &str, text: &str| el("span").class(class).text(text);
    Some(
        el("section")
            .class("lab-view lab-timeline")
            .attr("aria-label", "Execution environments")
            .child(el("h4").text("Execution environments"))
            .child(
                el("p")
                    .class("lab-legend")
                    .child(key("lab-key lab-key-init", "Init"))
                    .child(key("lab-key lab-key-busy", "cold invocation"))
                    .child(key("lab-key lab-key-warm", "warm invocation"))
                    .child(key("lab-key lab-key-idle", "idle (frozen)"))
                    .child(el("span").text("● cold start, ✕ reclaimed")),
            )
            .child(
                svg("svg")
                    .class("lab-timeline-svg")
                    .attr("viewBox", &format!("0 0 {W} {height}"))
                    .attr("role", "img")
                    .attr("aria-label", &summary)
                    .attr("data-cold", &cold.to_string())
                    .attr("data-warm", &warm.to_string())
                    .children(rows),
            )
            .child(el("p").class("lab-timeline-summary").text(&summary)),
    )
}
