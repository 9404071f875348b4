//! Proving a lab: its reference solution's steps are within the simulator's limits and parse, the
//! solution completes every objective, and doing nothing completes none. `mdbook-course check`
//! and the build both read labs through [`super::parse_lab_file`], which calls this.

use std::ops::Range;
use std::sync::Arc;

use lab_runtime::limits::{
    check_pattern, check_time_s, MAX_MESSAGES_PER_SEND, MAX_REQUESTS_PER_TRAFFIC,
};
use lab_runtime::state::traffic::Pattern;

use super::session::LabSession;
use super::step::Step;
use super::{check_script, Lab};
use crate::reader::Ctx;

/// How long the doing-nothing run waits before it looks at the objectives.
pub const IDLE_RUN_S: f64 = 3600.0;

/// The key a limit message names first (between back quotes).
fn named_key(msg: &str) -> Option<&str> {
    msg.strip_prefix('`')?.split('`').next()
}

/// Checks one solution step's numbers and script; `key_at(key)` is the span of `key = …` in the
/// step's table. Returns false when the step was refused.
pub(super) fn check_step(
    cx: &mut Ctx<'_>,
    step: &Step,
    key_at: &dyn Fn(&str) -> Range<usize>,
) -> bool {
    let refuse = |cx: &mut Ctx<'_>, msg: String| {
        let at = named_key(&msg).map(key_at).unwrap_or_else(|| key_at("do"));
        cx.error(
            &at,
            msg,
            "see book/src/instructors/labs.md, \"Limits\", for the ranges a lab step may use",
        );
        false
    };
    match step {
        Step::Advance { seconds } => match check_time_s("seconds", *seconds) {
            Ok(()) => true,
            Err(m) => refuse(cx, m),
        },
        Step::LoadTest {
            rate_per_s,
            duration_s,
            ramp_from_per_s,
            ..
        } => {
            let p = match ramp_from_per_s {
                Some(from) => Pattern::Ramp {
                    from_per_s: *from,
                    to_per_s: *rate_per_s,
                    duration_s: *duration_s,
                },
                None => Pattern::Constant {
                    rate_per_s: *rate_per_s,
                    duration_s: *duration_s,
                },
            };
            match check_pattern(&p, None) {
                Ok(()) => true,
                Err(m) => refuse(cx, m.replace("`from_per_s`", "`ramp_from_per_s`").replace("`to_per_s`", "`rate_per_s`")),
            }
        }
        Step::Burst { count, .. } if *count > MAX_REQUESTS_PER_TRAFFIC => refuse(
            cx,
            format!("`count` = {count} is out of range: at most {MAX_REQUESTS_PER_TRAFFIC} requests"),
        ),
        Step::SendMessages { count, .. } if *count > MAX_MESSAGES_PER_SEND => refuse(
            cx,
            format!("`count` = {count} is out of range: at most {MAX_MESSAGES_PER_SEND} messages at once"),
        ),
        Step::Deploy { script, .. } => match check_script(script) {
            Ok(()) => true,
            Err(p) => {
                // the line inside the file: the script's first line is the one after `script = '''`
                let at = key_at("script");
                let key_line = cx.source[..at.start.min(cx.source.len())].matches('\n').count();
                let line_start = line_offset(cx.source, key_line + p.line.max(1));
                let at = line_start.unwrap_or(at.start);
                cx.error(
                    &(at..at),
                    format!("the solution's script does not parse: {}", p.message),
                    "fix the script; the learner would deploy it as written",
                );
                false
            }
        },
        _ => true,
    }
}

/// The byte offset where 0-based line `n` starts.
fn line_offset(source: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    source
        .match_indices('\n')
        .nth(n - 1)
        .map(|(i, _)| i + 1)
        .filter(|i| *i < source.len())
}

/// Replays the solution and the doing-nothing run; reports each objective the solution leaves
/// undone and each one already done without acting, at `objective_at(id)`.
pub(super) fn prove(cx: &mut Ctx<'_>, lab: &Lab, objective_at: &dyn Fn(&str) -> Range<usize>) {
    let lab = Arc::new(lab.clone());
    let Ok(mut s) = LabSession::new(lab.clone()) else {
        return;
    };
    let mut log = Vec::new();
    for step in &lab.solution {
        let r = s.apply(step);
        log.push(r.message);
        s.evaluate();
    }
    for o in s.evaluate().iter().filter(|o| !o.done) {
        let last = log.last().cloned().unwrap_or_default();
        cx.error(
            &objective_at(&o.id),
            format!(
                "the reference solution does not complete objective `{}` ({}; the last step said: {last})",
                o.id, o.detail
            ),
            "change the [[solution]] steps or the objective so that the solution completes it: a lab must be solvable",
        );
    }
    let Ok(mut idle) = LabSession::new(lab.clone()) else {
        return;
    };
    idle.apply(&Step::Advance {
        seconds: IDLE_RUN_S,
    });
    for o in idle.evaluate().iter().filter(|o| o.done) {
        cx.error(
            &objective_at(&o.id),
            format!(
                "objective `{}` is complete without the learner doing anything (after {IDLE_RUN_S} s of waiting)",
                o.id
            ),
            "make the objective ask for what the lab teaches: a step the learner must take",
        );
    }
}
