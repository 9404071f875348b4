//! CloudWatch-style metric charts (SVG): invocations, errors, throttles, concurrent executions and
//! duration p50 / p99 per bucket, and the age of asynchronous events. Counts are summed over the
//! view; concurrency, durations and ages are not (their caption gives the peak).

use std::collections::HashMap;
use std::rc::Rc;

use lab_runtime::metrics::Bucket;
use lab_runtime::model::InvocationRecord;
use lab_runtime::Micros;
use yew::prelude::*;

const W: f64 = 300.0;
const H: f64 = 70.0;
/// Buckets shown (the latest).
pub const MAX_BUCKETS: usize = 60;

/// Whether a series adds up over time (a count) or not (a level: concurrency, a duration).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Count,
    Level,
}

/// The charts' properties.
#[derive(Properties, PartialEq)]
pub struct MetricsProps {
    /// The latest buckets (at most [`MAX_BUCKETS`]).
    pub buckets: Rc<Vec<Bucket>>,
    /// Bucket width, µs.
    pub width: Micros,
    /// Recent invocations (for the duration percentiles).
    pub records: Rc<Vec<InvocationRecord>>,
    /// Charts brought up to date (the first ones; the others keep what they showed: after a
    /// long step they are updated one per task).
    pub charts: usize,
}

/// Charts in the view.
pub const CHARTS: usize = 7;

/// A chart to draw: name, class, values per bucket, unit, kind.
type ChartSpec = (
    &'static str,
    &'static str,
    Vec<(Micros, f64)>,
    &'static str,
    Kind,
);

/// A whole number for a caption: never "-0".
fn whole(v: f64) -> String {
    format!("{:.0}", v.max(0.0) + 0.0)
}

/// One chart's properties.
#[derive(Properties, PartialEq)]
struct ChartProps {
    name: &'static str,
    class: &'static str,
    /// (bucket start, value) per bucket.
    values: Rc<Vec<(Micros, f64)>>,
    unit: &'static str,
    kind: Kind,
}

/// `.lab-chart`: a bar per bucket; a chart whose values did not change is not drawn again.
#[function_component(Chart)]
fn chart(p: &ChartProps) -> Html {
    let (name, unit, values) = (p.name, p.unit, &p.values);
    let max = values.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let total: f64 = values.iter().map(|(_, v)| *v).fold(0.0, |a, b| a + b);
    let n = values.len().max(1) as f64;
    let bw = W / n;
    let label = match p.kind {
        Kind::Count => format!(
            "{name}: {} in view, at most {} per bucket",
            whole(total),
            whole(max)
        ),
        Kind::Level => format!("{name}: peak {}{unit}", whole(max)),
    };
    let bars = values.iter().enumerate().map(|(i, (t, v))| {
        let h = if max > 0.0 { v / max * (H - 4.0) } else { 0.0 };
        html! {
            <rect class="lab-bar" x={format!("{:.1}", i as f64 * bw)} y={format!("{:.1}", H - h)}
                width={format!("{:.1}", (bw - 1.0).max(1.0))} height={format!("{h:.1}")}>
                <title>{ format!("{} s: {v:.1}{unit}", t / 1_000_000) }</title>
            </rect>
        }
    });
    html! {
        <figure class={format!("lab-chart {}", p.class)}
            data-total={(p.kind == Kind::Count).then(|| whole(total))} data-max={whole(max)}>
            <figcaption>{ label.clone() }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={label}>
                <line class="lab-axis" x1="0" y1={H.to_string()} x2={W.to_string()} y2={H.to_string()} />
                { for bars }
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

/// `.lab-metrics`.
#[function_component(Metrics)]
pub fn metrics(p: &MetricsProps) -> Html {
    let b = &p.buckets[p.buckets.len().saturating_sub(MAX_BUCKETS)..];
    let series =
        |f: &dyn Fn(&Bucket) -> f64| b.iter().map(|x| (x.start_us, f(x))).collect::<Vec<_>>();
    let width = p.width.max(1);
    // Durations of the invocations that ran, sorted, per bucket: one pass over the records.
    let mut by_bucket: HashMap<Micros, Vec<Micros>> = HashMap::new();
    for r in p.records.iter().filter(|r| r.start_type.is_some()) {
        by_bucket
            .entry(r.start_us / width * width)
            .or_default()
            .push(r.duration_us);
    }
    for d in by_bucket.values_mut() {
        d.sort_unstable();
    }
    let pct = |q: f64| {
        b.iter()
            .map(|x| {
                let d = by_bucket.get(&x.start_us).map_or(&[][..], Vec::as_slice);
                (x.start_us, percentile(d, q))
            })
            .collect::<Vec<_>>()
    };
    let charts: [ChartSpec; CHARTS] = [
        (
            "Invocations",
            "lab-chart-invocations",
            series(&|x| x.invocations as f64),
            "",
            Kind::Count,
        ),
        (
            "Errors",
            "lab-chart-errors",
            series(&|x| x.errors as f64),
            "",
            Kind::Count,
        ),
        (
            "Throttles",
            "lab-chart-throttles",
            series(&|x| x.throttles as f64),
            "",
            Kind::Count,
        ),
        (
            "Concurrent executions",
            "lab-chart-concurrency",
            series(&|x| x.concurrent_executions as f64),
            "",
            Kind::Level,
        ),
        (
            "Duration p50",
            "lab-chart-p50",
            pct(50.0),
            " ms",
            Kind::Level,
        ),
        (
            "Duration p99",
            "lab-chart-p99",
            pct(99.0),
            " ms",
            Kind::Level,
        ),
        (
            "Async event age",
            "lab-chart-event-age",
            series(&|x| x.async_event_age_ms as f64),
            " ms",
            Kind::Level,
        ),
    ];
    // The charts not due yet keep their values (an equal chart is not drawn again).
    let kept = use_mut_ref(|| vec![None::<Rc<Vec<(Micros, f64)>>>; CHARTS]);
    let mut kept = kept.borrow_mut();
    let charts: Vec<Html> = charts
        .into_iter()
        .enumerate()
        .map(|(j, (name, class, values, unit, kind))| {
            let values = match &kept[j] {
                Some(old) if j >= p.charts => old.clone(),
                _ => Rc::new(values),
            };
            kept[j] = Some(values.clone());
            html! { <Chart {name} {class} {values} {unit} {kind} /> }
        })
        .collect();
    let kept_width = use_mut_ref(|| width);
    if p.charts > 0 {
        *kept_width.borrow_mut() = width;
    }
    let width = *kept_width.borrow();
    html! {
        <section class="lab-view lab-metrics" aria-label="Metrics">
            <h4>{ format!("Metrics (per {} s)", width / 1_000_000) }</h4>
            <div class="lab-charts">{ for charts }</div>
        </section>
    }
}
