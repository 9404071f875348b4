//! Objectives and their evaluation against a simulation and a trace.

use lab_runtime::environment::StartType;
use lab_runtime::model::{InvocationRecord, Outcome, Trigger};
use lab_runtime::Simulation;
use serde::{Deserialize, Serialize};

use super::check::{Check, CountEvent, LoadTestCheck, Performance};
use super::trace::Trace;

/// One objective of a lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Objective {
    /// Id, unique in the lab (saved in progress).
    pub id: String,
    /// What the learner should achieve (Markdown, then HTML).
    pub text: String,
    /// How it is checked: in a lab file, `check = "<name>"` and that check's keys beside `id`
    /// and `text` (read by the lab file reader); in JSON, a `check` object.
    #[cfg_attr(feature = "schema", schemars(flatten))]
    pub check: Check,
}

/// Where an objective stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveStatus {
    /// The objective's id.
    pub id: String,
    /// Achieved.
    pub done: bool,
    /// (so far, needed), e.g. 1 of 2 cold starts.
    pub progress: (u64, u64),
    /// A short measurement for the learner, e.g. "p99 412 ms over 5 invocations".
    pub detail: String,
}

fn records<'a>(
    sim: &'a Simulation,
    function: &'a str,
) -> impl Iterator<Item = &'a InvocationRecord> {
    sim.records()
        .items()
        .iter()
        .filter(move |r| &*r.function == function)
}

fn metric_matches(metric: &str, r: &InvocationRecord) -> bool {
    match metric {
        "invocations" => r.start_type.is_some(),
        "successes" => r.outcome == Outcome::Success,
        "errors" => matches!(
            r.outcome,
            Outcome::Error | Outcome::Timeout | Outcome::InitError
        ),
        "timeouts" => r.outcome == Outcome::Timeout,
        "throttles" => r.outcome == Outcome::Throttled,
        "cold_starts" => r.start_type == Some(StartType::Cold),
        "warm_starts" => r.start_type == Some(StartType::Warm),
        "provisioned_starts" => r.start_type == Some(StartType::Provisioned),
        _ => false,
    }
}

impl Objective {
    /// Evaluates the objective now.
    pub fn evaluate(&self, sim: &Simulation, trace: &Trace) -> ObjectiveStatus {
        let (done, progress, detail) = match &self.check {
            Check::ColdThenWarm { function } => cold_then_warm(sim, function),
            Check::ColdAfterIdle {
                function,
                min_idle_s,
            } => cold_after_idle(sim, function, *min_idle_s),
            Check::WarmAfterIdle {
                function,
                min_idle_s,
                since_change,
            } => {
                let since = match (since_change, trace.changes.get(function)) {
                    (false, _) => 0,
                    (true, Some(t)) => *t,
                    (true, None) => u64::MAX,
                };
                warm_after_idle(sim, function, *min_idle_s, since)
            }
            Check::ConcurrentColdStarts { function, at_least } => {
                let mut by_time: litemap::LiteMap<u64, u64> = litemap::LiteMap::new();
                for r in records(sim, function).filter(|r| r.start_type == Some(StartType::Cold)) {
                    *by_time.entry(r.start_us).or_default() += 1;
                }
                let best = by_time.values().copied().max().unwrap_or(0);
                let detail = format!("{best} cold starts at the same instant");
                (best >= *at_least, (best.min(*at_least), *at_least), detail)
            }
            Check::Count(c) => count(sim, trace, c),
            Check::Rejected { function, error } => {
                let n = trace
                    .rejections
                    .iter()
                    .filter(|r| &r.function == function && &r.code == error)
                    .count() as u64;
                (
                    n > 0,
                    (n.min(1), 1),
                    format!("{n} call(s) refused with {error}"),
                )
            }
            Check::Dlq {
                function,
                queue,
                attempts,
            } => dlq(sim, function, queue, *attempts),
            Check::Response {
                function,
                status,
                function_error,
                payload_contains,
            } => response(
                sim,
                function,
                *status,
                function_error.as_deref(),
                payload_contains.as_deref(),
            ),
            Check::QueueMessages { queue, at_least } => {
                let n = sim.queue_messages(queue).len() as u64;
                (
                    n >= *at_least,
                    (n.min(*at_least), *at_least),
                    format!("{n} message(s) in {queue}"),
                )
            }
            Check::Performance(p) => performance(sim, trace, p),
            Check::LoadTest(l) => load_test(trace, l),
        };
        ObjectiveStatus {
            id: self.id.clone(),
            done,
            progress,
            detail,
        }
    }
}

type Eval = (bool, (u64, u64), String);

fn cold_then_warm(sim: &Simulation, function: &str) -> Eval {
    // environments seen starting cold (a set: LiteMap, far less WASM than a BTreeSet)
    let mut cold_envs = litemap::LiteMap::new_vec();
    for r in records(sim, function) {
        match r.start_type {
            Some(StartType::Cold) => {
                cold_envs.insert(r.env, ());
            }
            Some(StartType::Warm) if cold_envs.contains_key(&r.env) => {
                return (
                    true,
                    (2, 2),
                    format!("environment {} started cold, then warm", r.env),
                );
            }
            _ => {}
        }
    }
    if cold_envs.is_empty() {
        (false, (0, 2), "no cold start yet".into())
    } else {
        (
            false,
            (1, 2),
            "a cold start; now a warm start on that environment".into(),
        )
    }
}

fn cold_after_idle(sim: &Simulation, function: &str, min_idle_s: u64) -> Eval {
    let mut last_end: Option<u64> = None;
    let mut best_idle = 0;
    for r in records(sim, function).filter(|r| r.start_type.is_some()) {
        if let Some(end) = last_end {
            let idle = r.start_us.saturating_sub(end) / 1_000_000;
            if r.start_type == Some(StartType::Cold) && idle >= min_idle_s {
                return (true, (1, 1), format!("cold start after {idle} s idle"));
            }
            best_idle = best_idle.max(idle);
        }
        let end = r.start_us + r.init_us + r.duration_us;
        last_end = Some(last_end.map_or(end, |e: u64| e.max(end)));
    }
    (
        false,
        (0, 1),
        format!("longest idle gap before a call: {best_idle} s"),
    )
}

fn warm_after_idle(sim: &Simulation, function: &str, min_idle_s: u64, since: u64) -> Eval {
    let mut last_end: litemap::LiteMap<u64, u64> = litemap::LiteMap::new();
    let mut failed: Option<(u64, String)> = None;
    let mut best_idle = 0;
    for r in records(sim, function).filter(|r| r.start_type.is_some()) {
        if let (Some(StartType::Warm), Some(end)) = (r.start_type, last_end.get(&r.env)) {
            let idle = r.start_us.saturating_sub(*end) / 1_000_000;
            if r.start_us >= since && idle >= min_idle_s {
                if r.outcome == Outcome::Success {
                    return (
                        true,
                        (1, 1),
                        format!("a warm start after {idle} s idle succeeded"),
                    );
                }
                let why = r.error_type.as_deref().unwrap_or("an error").to_string();
                failed = Some((idle, why));
            } else if r.start_us >= since {
                best_idle = best_idle.max(idle);
            }
        }
        let end = r.start_us + r.init_us + r.duration_us;
        let e = last_end.entry(r.env).or_insert(end);
        *e = (*e).max(end);
    }
    let detail = match failed {
        Some((idle, why)) => {
            format!("a warm start after {idle} s idle failed ({why}): read its log")
        }
        None => format!("longest idle gap before a warm start: {best_idle} s of {min_idle_s} s"),
    };
    (false, (0, 1), detail)
}

fn count(sim: &Simulation, trace: &Trace, c: &CountEvent) -> Eval {
    let since = match (c.since_change, trace.changes.get(&c.function)) {
        (false, _) => 0,
        (true, Some(t)) => *t,
        (true, None) => u64::MAX,
    };
    let n = records(sim, &c.function)
        .filter(|r| r.start_us >= since)
        .filter(|r| c.trigger.is_none_or(|t: Trigger| r.trigger == t))
        .filter(|r| {
            c.error_type
                .as_ref()
                .is_none_or(|e| r.error_type.as_ref() == Some(e))
        })
        .filter(|r| metric_matches(&c.metric, r))
        .count() as u64;
    (
        n >= c.at_least,
        (n.min(c.at_least), c.at_least),
        format!("{n} {}", c.metric.replace('_', " ")),
    )
}

fn response(
    sim: &Simulation,
    function: &str,
    status: Option<u16>,
    function_error: Option<&str>,
    payload_contains: Option<&str>,
) -> Eval {
    let mut last = None;
    for r in sim
        .responses()
        .items()
        .iter()
        .filter(|r| &*r.function == function)
    {
        let fe = r.function_error.as_deref().unwrap_or("");
        let ok = r.error.is_none()
            && status.is_none_or(|s| r.status == s)
            && function_error.is_none_or(|f| fe == f)
            && payload_contains.is_none_or(|p| r.payload.contains(p));
        let header = if fe.is_empty() {
            String::new()
        } else {
            format!(" with X-Amz-Function-Error: {fe}")
        };
        let detail = format!("response {}{header}", r.status);
        if ok {
            return (true, (1, 1), detail);
        }
        last = Some(detail);
    }
    let detail = match last {
        Some(d) => format!("last {d}: not the one asked for"),
        None => "no synchronous response yet".into(),
    };
    (false, (0, 1), detail)
}

fn dlq(sim: &Simulation, function: &str, queue: &str, attempts: u32) -> Eval {
    let messages = sim.queue_messages(queue);
    let mut seen = Vec::new();
    for m in &messages {
        let Some((_, id)) = m.attributes.iter().find(|(k, _)| k == "RequestID") else {
            continue;
        };
        let n = records(sim, function)
            .filter(|r| r.trigger == Trigger::Async && &r.request_id.to_string() == id)
            .count() as u32;
        if n == attempts {
            return (
                true,
                (1, 1),
                format!("event {id} reached {queue} after {n} attempts"),
            );
        }
        seen.push(n);
    }
    let detail = match seen.as_slice() {
        [] => format!("nothing in {queue} yet"),
        s => format!("{queue} holds events after {s:?} attempts"),
    };
    (false, (0, 1), detail)
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn performance(sim: &Simulation, trace: &Trace, p: &Performance) -> Eval {
    let since = trace.changed_at(&p.function);
    let runs: Vec<&InvocationRecord> = records(sim, &p.function)
        .filter(|r| r.start_us >= since && r.start_type.is_some())
        .filter(|r| !p.warm_only || r.start_type == Some(StartType::Warm))
        .collect();
    let n = runs.len() as u64;
    let progress = (n.min(p.min_invocations), p.min_invocations);
    if n == 0 {
        return (
            false,
            progress,
            "no invocations since the last change".into(),
        );
    }
    let mut d: Vec<u64> = runs.iter().map(|r| r.duration_us).collect();
    d.sort_unstable();
    let p99 = percentile(&d, 99.0) as f64 / 1000.0;
    let avg = d.iter().sum::<u64>() as f64 / n as f64 / 1000.0;
    let view = sim.view();
    let (memory, arch) = view
        .functions
        .iter()
        .find(|f| f.config.name == p.function)
        .map(|f| (f.config.memory_mb, f.config.architecture))
        .unwrap_or((128, Default::default()));
    let price = match arch {
        lab_runtime::config::Architecture::X86_64 => sim.prices().per_gb_second_x86,
        lab_runtime::config::Architecture::Arm64 => sim.prices().per_gb_second_arm64,
    };
    let billed: u64 = runs.iter().map(|r| r.billed_ms).sum();
    let cost = billed as f64 / 1000.0 * memory as f64 / 1024.0 * price / n as f64;
    let errors = runs.iter().any(|r| r.outcome != Outcome::Success);
    let ok = n >= p.min_invocations
        && p.max_p99_ms.is_none_or(|m| p99 <= m)
        && p.max_avg_ms.is_none_or(|m| avg <= m)
        && p.max_cost_per_invocation_usd.is_none_or(|m| cost <= m)
        && !(p.no_errors && errors);
    let detail = format!(
        "{n} invocation(s) at {memory} MB: p99 {p99:.0} ms, mean {avg:.0} ms, ${cost:.8} each{}",
        if errors { ", with errors" } else { "" }
    );
    (ok, progress, detail)
}

fn load_test(trace: &Trace, l: &LoadTestCheck) -> Eval {
    let mut detail = "no finished load test yet".to_owned();
    for r in trace.loads.iter().filter(|r| r.function == l.function) {
        let ok = !r.cancelled
            && r.rate_per_s >= l.min_rate_per_s
            && r.duration_s + 1e-9 >= l.min_duration_s
            && l.max_errors.is_none_or(|m| r.errors <= m)
            && l.min_errors.is_none_or(|m| r.errors >= m)
            && l.max_throttles.is_none_or(|m| r.throttles <= m)
            && l.max_cost_usd.is_none_or(|m| r.cost_usd <= m);
        detail = format!(
            "last test: {} rps for {:.0} s, {} errors, {} throttles, ${:.6}",
            r.rate_per_s, r.duration_s, r.errors, r.throttles, r.cost_usd
        );
        if ok {
            return (true, (1, 1), detail);
        }
    }
    (false, (0, 1), detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lab_runtime::iam::LAMBDA_TRUST;
    use lab_runtime::model::{InvocationType, InvokeRequest};
    use lab_runtime::{FunctionConfig, HandlerSpec};

    fn objective(check: Check) -> Objective {
        Objective {
            id: "o".into(),
            text: String::new(),
            check,
        }
    }

    #[test]
    fn a_response_objective_reads_status_function_error_and_payload() {
        let mut sim = Simulation::new(Default::default(), 1);
        sim.create_role("r", LAMBDA_TRUST, &[], &[]).unwrap();
        let script = "|event, context| { if event.fail ?? false { throw #{errorType: \"OrderNotFound\", errorMessage: \"no\"}; } 1 }";
        sim.create_function(FunctionConfig::new(
            "f",
            "r",
            HandlerSpec::Script(script.into()),
        ))
        .unwrap();
        let unhandled = objective(Check::Response {
            function: "f".into(),
            status: Some(200),
            function_error: Some("Unhandled".into()),
            payload_contains: Some("\"errorType\":\"OrderNotFound\"".into()),
        });
        let trace = Trace::default();
        sim.invoke(&InvokeRequest::new(
            "f",
            InvocationType::RequestResponse,
            "{}",
        ));
        sim.run_until_idle(1000);
        let st = unhandled.evaluate(&sim, &trace);
        assert!(!st.done, "a success is not the function error asked for");
        assert_eq!(st.detail, "last response 200: not the one asked for");
        let ok = objective(Check::Response {
            function: "f".into(),
            status: Some(200),
            function_error: Some(String::new()),
            payload_contains: None,
        });
        assert!(ok.evaluate(&sim, &trace).done);
        sim.invoke(&InvokeRequest::new(
            "f",
            InvocationType::RequestResponse,
            "{\"fail\":true}",
        ));
        sim.run_until_idle(1000);
        let st = unhandled.evaluate(&sim, &trace);
        assert!(st.done);
        assert_eq!(
            st.detail,
            "response 200 with X-Amz-Function-Error: Unhandled"
        );
    }
}
