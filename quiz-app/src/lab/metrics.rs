//! CloudWatch-style metric charts (SVG): invocations, errors, throttles, concurrent executions and
//! duration p50 / p99 per bucket, and the age of asynchronous events.

use std::collections::HashMap;

use lab_runtime::metrics::Bucket;
use lab_runtime::model::InvocationRecord;
use lab_runtime::Micros;

use crate::dom::{el, svg, El};

const W: f64 = 300.0;
const H: f64 = 70.0;
/// Buckets shown (the latest).
pub const MAX_BUCKETS: usize = 60;

fn chart(name: &str, class: &str, values: &[(Micros, f64)], unit: &str) -> El {
    let max = values.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let total: f64 = values.iter().map(|(_, v)| *v).sum();
    let n = values.len().max(1) as f64;
    let bw = W / n;
    let label = format!("{name}: max {max:.0}{unit} per bucket, {total:.0} in view");
    let bars = values.iter().enumerate().map(|(i, (t, v))| {
        let h = if max > 0.0 { v / max * (H - 4.0) } else { 0.0 };
        svg("rect")
            .class("lab-bar")
            .attr("x", &format!("{:.1}", i as f64 * bw))
            .attr("y", &format!("{:.1}", H - h))
            .attr("width", &format!("{:.1}", (bw - 1.0).max(1.0)))
            .attr("height", &format!("{h:.1}"))
            .child(svg("title").text(&format!("{} s: {v:.1}{unit}", t / 1_000_000)))
    });
    el("figure")
        .class(&format!("lab-chart {class}"))
        .attr("data-total", &format!("{total:.0}"))
        .attr("data-max", &format!("{max:.0}"))
        .child(el("figcaption").text(&label))
        .child(
            svg("svg")
                .attr("viewBox", &format!("0 0 {W} {H}"))
                .attr("role", "img")
                .attr("aria-label", &label)
                .child(
                    svg("line")
                        .class("lab-axis")
                        .attr("x1", "0")
                        .attr("y1", &H.to_string())
                        .attr("x2", &W.to_string())
                        .attr("y2", &H.to_string()),
                )
                .children(bars),
        )
}

fn percentile(sorted: &[Micros], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

/// The charts of the latest `buckets` (at most [`MAX_BUCKETS`]), `width` apart; the duration
/// percentiles come from `records`.
pub fn view(buckets: &[Bucket], width: Micros, records: &[InvocationRecord]) -> El {
    let b = &buckets[buckets.len().saturating_sub(MAX_BUCKETS)..];
    let series =
        |f: &dyn Fn(&Bucket) -> f64| b.iter().map(|x| (x.start_us, f(x))).collect::<Vec<_>>();
    let width = width.max(1);
    // Durations of the invocations that ran, sorted, per bucket: one pass over the records.
    let mut by_bucket: HashMap<Micros, Vec<Micros>> = HashMap::new();
    for r in records.iter().filter(|r| r.start_type.is_some()) {
        by_bucket
            .entry(r.start_us / width * width)
            .or_default()
            .push(r.duration_us);
    }
    for d in by_bucket.values_mut() {
        d.sort_unstable();
    }
    let pct = |p: f64| {
        b.iter()
            .map(|x| {
                let d = by_bucket.get(&x.start_us).map_or(&[][..], Vec::as_slice);
                (x.start_us, percentile(d, p))
            })
            .collect::<Vec<_>>()
    };
    el("section")
        .class("lab-view lab-metrics")
        .attr("aria-label", "Metrics")
        .child(el("h4").text(&format!("Metrics (per {} s)", width / 1_000_000)))
        .child(
            el("div")
                .class("lab-charts")
                .child(chart(
                    "Invocations",
                    "lab-chart-invocations",
                    &series(&|x| x.invocations as f64),
                    "",
                ))
                .child(chart(
                    "Errors",
                    "lab-chart-errors",
                    &series(&|x| x.errors as f64),
                    "",
                ))
                .child(chart(
                    "Throttles",
                    "lab-chart-throttles",
                    &series(&|x| x.throttles as f64),
                    "",
                ))
                .child(chart(
                    "Concurrent executions",
                    "lab-chart-concurrency",
                    &series(&|x| x.concurrent_executions as f64),
                    "",
                ))
                .child(chart("Duration p50", "lab-chart-p50", &pct(50.0), " ms"))
                .child(chart("Duration p99", "lab-chart-p99", &pct(99.0), " ms"))
                .child(chart(
                    "Async event age",
                    "lab-chart-event-age",
                    &series(&|x| x.async_event_age_ms as f64),
                    " ms",
                )),
        )
}
