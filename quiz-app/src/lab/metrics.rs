//! CloudWatch-style metric charts (SVG): invocations, errors, throttles, concurrent executions and
//! duration p50 / p99 per bucket, and the age of asynchronous events.

use std::rc::Rc;

use lab_runtime::metrics::Bucket;
use lab_runtime::model::InvocationRecord;
use lab_runtime::Micros;
use yew::prelude::*;

/// Props of [`MetricCharts`].
#[derive(Properties, PartialEq)]
pub struct MetricProps {
    /// The function's buckets.
    pub buckets: Rc<Vec<Bucket>>,
    /// Bucket width.
    pub width: Micros,
    /// Recent invocations (for duration percentiles).
    pub records: Rc<Vec<InvocationRecord>>,
}

const W: f64 = 300.0;
const H: f64 = 70.0;
const MAX_BUCKETS: usize = 60;

fn chart(name: &str, class: &str, values: &[(Micros, f64)], unit: &str) -> Html {
    let max = values.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let total: f64 = values.iter().map(|(_, v)| *v).sum();
    let n = values.len().max(1) as f64;
    let bw = W / n;
    let label = format!("{name}: max {max:.0}{unit} per bucket, {total:.0} in view");
    html! {
        <figure class={classes!("lab-chart", class.to_owned())} data-total={format!("{total:.0}")} data-max={format!("{max:.0}")}>
            <figcaption>{ label.clone() }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={label}>
                <line class="lab-axis" x1="0" y1={H.to_string()} x2={W.to_string()} y2={H.to_string()} />
                { for values.iter().enumerate().map(|(i, (t, v))| {
                    let h = if max > 0.0 { v / max * (H - 4.0) } else { 0.0 };
                    html! {
                        <rect class="lab-bar" x={format!("{:.1}", i as f64 * bw)} y={format!("{:.1}", H - h)}
                            width={format!("{:.1}", (bw - 1.0).max(1.0))} height={format!("{h:.1}")}>
                            <title>{ format!("{} s: {v:.1}{unit}", t / 1_000_000) }</title>
                        </rect>
                    }
                }) }
            </svg>
        </figure>
    }
}

fn percentile(sorted: &[Micros], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

/// The charts.
#[function_component(MetricCharts)]
pub fn metric_charts(props: &MetricProps) -> Html {
    let skip = props.buckets.len().saturating_sub(MAX_BUCKETS);
    let b: Vec<&Bucket> = props.buckets.iter().skip(skip).collect();
    let series =
        |f: &dyn Fn(&Bucket) -> f64| b.iter().map(|x| (x.start_us, f(x))).collect::<Vec<_>>();
    let width = props.width.max(1);
    // Durations of the invocations that ran, sorted, per bucket: one pass over the records.
    let mut by_bucket: std::collections::HashMap<Micros, Vec<Micros>> =
        std::collections::HashMap::new();
    for r in props.records.iter().filter(|r| r.start_type.is_some()) {
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
    html! {
        <section class="lab-view lab-metrics" aria-label="Metrics">
            <h4>{ format!("Metrics (per {} s)", width / 1_000_000) }</h4>
            <div class="lab-charts">
                { chart("Invocations", "lab-chart-invocations", &series(&|x| x.invocations as f64), "") }
                { chart("Errors", "lab-chart-errors", &series(&|x| x.errors as f64), "") }
                { chart("Throttles", "lab-chart-throttles", &series(&|x| x.throttles as f64), "") }
                { chart("Concurrent executions", "lab-chart-concurrency", &series(&|x| x.concurrent_executions as f64), "") }
                { chart("Duration p50", "lab-chart-p50", &pct(50.0), " ms") }
                { chart("Duration p99", "lab-chart-p99", &pct(99.0), " ms") }
                { chart("Async event age", "lab-chart-event-age", &series(&|x| x.async_event_age_ms as f64), " ms") }
            </div>
        </section>
    }
}
