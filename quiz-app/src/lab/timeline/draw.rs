//! Drawing the timeline's shapes: a window of time, the segments of each environment merged
//! where they are too narrow to see, written as one SVG markup string.

use litemap::LiteMap;
use std::fmt::Write as _;
use std::rc::Rc;

use lab_runtime::environment::StartType;
use lab_runtime::model::{InvocationRecord, Outcome};
use lab_runtime::view::FunctionView;
use lab_runtime::Micros;

/// What the timeline's shapes are drawn from (equal drawings need no redraw).
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// Recent invocations.
    records: Rc<Vec<InvocationRecord>>,
    /// The lab's function.
    function: String,
    /// Its live environments.
    live: Vec<u64>,
    /// The drawn window: from the first invocation shown to a little after now.
    pub start: Micros,
    /// Its end.
    pub end: Micros,
    /// Idle keep-alive (to place reclaims).
    keep_alive: Micros,
}

impl Drawing {
    /// The drawing at virtual time `now` (none when the function is missing).
    pub fn new(
        records: Rc<Vec<InvocationRecord>>,
        function: Option<&FunctionView>,
        now: Micros,
        keep_alive: Micros,
    ) -> Option<Drawing> {
        let f = function?;
        let (envs, ids) = by_environment(&records, &f.config.name);
        let start = ids
            .iter()
            .filter_map(|id| envs[id].first().map(|r| r.start_us))
            .min()
            .unwrap_or(0)
            .min(now);
        let end = window_end(start, now);
        let live = f.environments.iter().map(|e| e.id).collect();
        let function = f.config.name.clone();
        Some(Drawing {
            records,
            function,
            live,
            start,
            end,
            keep_alive,
        })
    }
}

/// The end of a window from `start` that shows `now`: the window's length is the first of 1 ms,
/// 1.25 ms, 1.56 ms... (each a quarter longer) that leaves at least 5% after now, so it changes
/// only when now passes its end.
fn window_end(start: Micros, now: Micros) -> Micros {
    let span = now.saturating_sub(start);
    let needed = span + span / 20 + 1;
    let mut length: Micros = 1_000;
    while length < needed {
        length += length.div_ceil(4);
    }
    start + length
}

/// Invocations of `function` by environment, and the environments shown (the latest ones).
fn by_environment<'a>(
    records: &'a [InvocationRecord],
    function: &str,
) -> (LiteMap<u64, Vec<&'a InvocationRecord>>, Vec<u64>) {
    let mut envs: LiteMap<u64, Vec<&InvocationRecord>> = LiteMap::new();
    for r in records
        .iter()
        .filter(|r| *r.function == *function && r.env != 0)
    {
        envs.entry(r.env).or_default().push(r);
    }
    let mut ids: Vec<u64> = envs.keys().copied().rev().take(MAX_ROWS).collect();
    ids.reverse();
    (envs, ids)
}

/// Where time `t` is drawn in a window from `start` to `end`.
pub fn x_at(start: Micros, end: Micros, t: Micros) -> f64 {
    LABEL
        + t.saturating_sub(start) as f64 / end.saturating_sub(start).max(1) as f64
            * (W - LABEL - 4.0)
}

/// Width of the drawing (SVG units).
pub const W: f64 = 640.0;
const LABEL: f64 = 70.0;
/// Height of an environment's row.
pub const ROW: f64 = 18.0;
const MAX_ROWS: usize = 16;
/// Invocations drawn per environment (the latest), to keep the SVG small.
const MAX_PER_ENV: usize = 20;
/// Neighbouring segments that together are narrower than this (SVG units, about pixels) are
/// drawn as one block: after a long load test each run of invocations is far below a pixel, and
/// drawing each one made every clock tick redraw hundreds of rectangles.
const MIN_BLOCK: f64 = 2.0;

#[derive(Debug, Clone, PartialEq)]
struct Seg {
    from: Micros,
    to: Micros,
    kind: &'static str,
    title: String,
    /// Invocations in the segment (busy and warm segments: 1; blocks: how many were merged).
    invocations: usize,
}

/// Merges neighbouring segments narrower together than [`MIN_BLOCK`] at scale `x` into blocks.
/// A block is drawn as warm when all its invocations were warm, as busy when any was not, and
/// as idle when it holds none; its title says how many invocations it holds.
fn coalesce(segs: Vec<Seg>, x: impl Fn(Micros) -> f64) -> Vec<Seg> {
    let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
    for seg in segs {
        match out.last_mut() {
            Some(last) if x(seg.to) - x(last.from) < MIN_BLOCK => {
                let invocations = last.invocations + seg.invocations;
                let kind = match (last.kind, seg.kind) {
                    (a, b) if a == b => a,
                    ("idle", k) | (k, "idle") => k,
                    _ => "busy",
                };
                *last = Seg {
                    from: last.from,
                    to: last.to.max(seg.to),
                    kind,
                    title: format!(
                        "{invocations} invocation(s) over {} ms, too close together to draw apart",
                        Dec1((last.to.max(seg.to) - last.from) as f64 / 1000.0)
                    ),
                    invocations,
                };
            }
            _ => out.push(seg),
        }
    }
    out
}

/// An outcome as the segment's title names it (not `{:?}`: Debug formatting is large in WASM).
fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "Success",
        Outcome::Error => "Error",
        Outcome::Timeout => "Timeout",
        Outcome::InitError => "InitError",
        Outcome::Throttled => "Throttled",
        Outcome::Rejected => "Rejected",
    }
}

/// A number with one decimal, written with integer arithmetic: float formatting (`{:.1}`) is
/// slow in WASM, and a timeline writes thousands of coordinates.
pub struct Dec1(pub f64);

impl std::fmt::Display for Dec1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let t = tenths.unsigned_abs();
        write!(f, "{sign}{}.{}", t / 10, t % 10)
    }
}

/// `text` with the characters that markup gives a meaning escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The shapes of a drawing, made at virtual time `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct Shapes {
    /// The rows' markup.
    pub rows: String,
    /// Height of the drawing.
    pub height: f64,
    /// Cold and warm starts in view.
    pub cold: usize,
    /// Warm starts in view.
    pub warm: usize,
    /// "n environment(s) shown, ...".
    pub summary: String,
}

/// The shapes of `d` (reclaimed environments end by `now`).
pub fn shapes(d: &Drawing, now: Micros) -> Shapes {
    let (envs, ids) = by_environment(&d.records, &d.function);
    let live = &d.live;
    let (start, end) = (d.start, d.end);
    let x = |t: Micros| x_at(start, end, t);
    let (mut cold, mut warm) = (0, 0);
    let mut rows = String::new();
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
                    invocations: 0,
                });
            }
            match r.start_type {
                Some(StartType::Cold) => {
                    cold += 1;
                    segs.push(Seg {
                        from: begin,
                        to: busy_from,
                        kind: "init",
                        title: format!("Init {} ms", Dec1(r.init_us as f64 / 1000.0)),
                        invocations: 0,
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
                    "{} {} {} ms",
                    r.request_id,
                    outcome(r.outcome),
                    Dec1(r.duration_us as f64 / 1000.0)
                ),
                invocations: 1,
            });
            last_end = last_end.max(busy_to);
        }
        let alive = live.contains(id);
        // a live environment idles past now (under the veil); a reclaimed one until it went,
        // which is at most now (it was gone when this drawing was made)
        let stop = if alive {
            end
        } else {
            (last_end + d.keep_alive).min(now)
        };
        if stop > last_end {
            segs.push(Seg {
                from: last_end,
                to: stop,
                kind: "idle",
                title: "idle (frozen)".into(),
                invocations: 0,
            });
        }
        let segs = coalesce(segs, x);
        // One string for all rows, parsed by the browser in one call: building each rectangle
        // through the DOM took 40-57 ms a clock tick with 720 rectangles (after a load test).
        let _ = write!(
            rows,
            r#"<g class="lab-env{}" data-env="{id}"><text x="2" y="{}" class="lab-env-label">env {id}</text>"#,
            if alive { "" } else { " is-reclaimed" },
            Dec1(y + 12.0)
        );
        for s in &segs {
            let _ = write!(
                rows,
                r#"<rect class="lab-seg lab-seg-{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>"#,
                s.kind,
                Dec1(x(s.from)),
                Dec1(y),
                Dec1((x(s.to) - x(s.from)).max(1.0)),
                Dec1(ROW - 4.0),
                escape(&s.title)
            );
        }
        for (t, text) in &marks {
            let _ = write!(
                rows,
                r#"<circle class="lab-cold-mark" cx="{}" cy="{}" r="4"><title>{}</title></circle>"#,
                Dec1(x(*t)),
                Dec1(y + 7.0),
                escape(text)
            );
        }
        if !alive {
            let _ = write!(
                rows,
                r#"<text class="lab-reclaimed" x="{}" y="{}">✕<title>reclaimed</title></text>"#,
                Dec1(x(stop) + 2.0),
                Dec1(y + 12.0)
            );
        }
        rows.push_str("</g>");
    }
    let height = (ids.len().max(1) as f64) * ROW + 8.0;
    let summary = format!(
        "{} environment(s) shown, {} live; {cold} cold start(s) and {warm} warm start(s) in view",
        ids.len(),
        live.len()
    );
    Shapes {
        rows,
        height,
        cold,
        warm,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::{coalesce, window_end, Seg, MIN_BLOCK};

    fn seg(from: u64, to: u64, kind: &'static str) -> Seg {
        Seg {
            from,
            to,
            kind,
            title: kind.to_owned(),
            invocations: usize::from(kind == "busy" || kind == "warm"),
        }
    }

    #[test]
    fn the_window_shows_now_and_changes_only_when_now_passes_its_end() {
        let mut ends = Vec::new();
        for now in (0..=60_000_000u64).step_by(250_000) {
            let end = window_end(0, now);
            assert!(end > now, "{now}: {end}");
            // at least 5% of room after now, at most about a third of the window
            assert!(end - now >= now / 20, "{now}: {end}");
            assert!(
                now == 0 || (end - now) as f64 <= 0.35 * end as f64 + 1_000.0,
                "{now}: {end}"
            );
            if ends.last() != Some(&end) {
                ends.push(end);
            }
        }
        // a minute of 250 ms ticks (241 of them) redraws the shapes about 30 times, not 241
        assert!(ends.len() < 40, "{}", ends.len());
        assert_eq!(window_end(5_000, 5_000), 6_000);
    }

    #[test]
    fn coordinates_are_written_with_one_decimal() {
        let text = |v: f64| super::Dec1(v).to_string();
        assert_eq!(text(70.0), "70.0");
        assert_eq!(text(123.456), "123.5");
        assert_eq!(text(0.04), "0.0");
        assert_eq!(text(-2.25), "-2.3");
        assert_eq!(text(-0.04), "0.0");
    }

    #[test]
    fn titles_are_escaped_for_markup() {
        assert_eq!(
            super::escape(r#"<b class="x">Tom & 'Jerry'</b>"#),
            "&lt;b class=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn segments_wide_enough_to_see_are_drawn_one_by_one() {
        let segs = vec![
            seg(0, 10, "init"),
            seg(10, 20, "busy"),
            seg(20, 30, "idle"),
            seg(30, 40, "warm"),
        ];
        // 1 unit per microsecond: every segment is 10 units wide
        assert_eq!(coalesce(segs.clone(), |t| t as f64), segs);
    }

    #[test]
    fn invocations_too_close_to_draw_apart_become_one_block_that_counts_them() {
        let mut segs = Vec::new();
        for i in 0..100u64 {
            segs.push(seg(i * 10, i * 10 + 5, "warm"));
            segs.push(seg(i * 10 + 5, i * 10 + 10, "idle"));
        }
        // 1,000 µs over 1 unit: all of it fits in one block
        let out = coalesce(segs, |t| t as f64 / 1000.0);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].from, out[0].to), (0, 1000));
        assert_eq!(out[0].kind, "warm");
        assert_eq!(out[0].invocations, 100);
        assert!(
            out[0].title.starts_with("100 invocation(s) over 1.0 ms"),
            "{}",
            out[0].title
        );
    }

    #[test]
    fn a_block_with_a_cold_invocation_is_drawn_busy_and_blocks_stay_narrow() {
        let segs: Vec<Seg> = (0..40u64)
            .map(|i| seg(i, i + 1, if i == 0 { "busy" } else { "warm" }))
            .collect();
        // each segment is 0.5 units wide: blocks hold at most MIN_BLOCK units
        let out = coalesce(segs, |t| t as f64 / 2.0);
        assert!(out.len() >= 10, "{}", out.len());
        assert_eq!(out[0].kind, "busy");
        assert!(out[1..].iter().all(|s| s.kind == "warm"));
        assert!(out
            .iter()
            .all(|s| (s.to - s.from) as f64 / 2.0 <= MIN_BLOCK));
        assert_eq!(out.iter().map(|s| s.invocations).sum::<usize>(), 40);
    }
}
