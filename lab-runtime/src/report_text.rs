//! The human-readable report `lab-sim run` prints: log lines, timeline results, a summary table.

use std::fmt::Write;

use crate::report::Report;

fn t(us: u64) -> String {
    format!("{:>4}.{:03}s", us / 1_000_000, us / 1000 % 1000)
}

/// Renders a report as text.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "scenario {} (seed {}, format {})",
        r.scenario, r.seed, r.format_version
    );
    let _ = writeln!(s, "\n== logs ==");
    for (time, line) in &r.logs {
        let _ = writeln!(s, "[{}] {line}", t(*time));
    }
    let _ = writeln!(s, "\n== timeline ==");
    for a in &r.actions {
        let _ = writeln!(s, "[{}] {:<28} -> {}", t(a.at_us), a.action, a.result);
        // a synchronous call's response comes later: shown with the time it came
        if let (Some(resp), true) = (&a.response, a.result.starts_with("started")) {
            let _ = writeln!(s, "[{}] {:<28} <- {}", t(resp.time_us), "", resp.text());
        }
    }
    if !r.responses.is_empty() {
        let errors = r
            .responses
            .iter()
            .filter(|x| x.function_error.is_some())
            .count();
        let _ = writeln!(
            s,
            "\n== synchronous responses ==\n{} received, {} with X-Amz-Function-Error (all in --json: responses)",
            r.responses.len(),
            errors
        );
    }
    let _ = writeln!(s, "\n== functions ==");
    let _ = writeln!(
        s,
        "{:<20} {:>8} {:>7} {:>8} {:>9} {:>6} {:>6} {:>6} {:>6} {:>11} {:>12}",
        "function",
        "invokes",
        "errors",
        "timeouts",
        "throttles",
        "cold",
        "warm",
        "prov",
        "peak",
        "billed ms",
        "cost USD"
    );
    for f in &r.functions {
        let _ = writeln!(
            s,
            "{:<20} {:>8} {:>7} {:>8} {:>9} {:>6} {:>6} {:>6} {:>6} {:>11} {:>12.8}",
            f.name,
            f.invocations,
            f.errors,
            f.timeouts,
            f.throttles,
            f.cold_starts,
            f.warm_starts,
            f.provisioned_starts,
            f.peak_concurrency,
            f.billed_ms,
            f.cost_usd
        );
    }
    for f in r
        .functions
        .iter()
        .filter(|f| f.recursive_invocations_dropped > 0)
    {
        let _ = writeln!(
            s,
            "{}: recursive loop detected, {} invocations dropped (RecursiveInvocationsDropped)",
            f.name, f.recursive_invocations_dropped
        );
    }
    // per version that ran (docs/lambda-behaviour.md §10.3), once a published version ran
    if r.records.iter().any(|x| !x.executed_version.is_latest()) {
        let mut by: std::collections::BTreeMap<(String, crate::model::FunctionVersion), [u64; 4]> =
            Default::default();
        for x in r.records.iter().filter(|x| x.start_type.is_some()) {
            let c = by
                .entry((x.function.to_string(), x.executed_version))
                .or_default();
            c[0] += 1;
            match x.start_type {
                Some(crate::environment::StartType::Cold) => c[1] += 1,
                Some(crate::environment::StartType::Warm) => c[2] += 1,
                _ => c[3] += 1,
            }
        }
        let _ = writeln!(
            s,
            "\n== executed versions (kept records) ==\n{:<24} {:>8} {:>6} {:>6} {:>6}",
            "function:version", "invokes", "cold", "warm", "prov"
        );
        for ((f, v), c) in by {
            let name = format!("{f}:{v}");
            let _ = writeln!(
                s,
                "{name:<24} {:>8} {:>6} {:>6} {:>6}",
                c[0], c[1], c[2], c[3]
            );
        }
    }
    if !r.queues.is_empty() {
        let _ = writeln!(s, "\n== queues ==");
        for q in &r.queues {
            let _ = writeln!(
                s,
                "{:<20} visible {:>6}  in flight {:>6}  sent {:>6}  deleted {:>6}  to DLQ {:>6}",
                q.name, q.visible, q.in_flight, q.sent, q.deleted, q.redriven
            );
        }
    }
    for (title, what, list) in [
        ("topics", "published", &r.topics),
        ("event buses", "events", &r.event_buses),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "\n== {title} ==");
            for t in list {
                let _ = writeln!(
                    s,
                    "{:<20} {what} {:>6}  delivered {:>6}  failed {:>6}",
                    t.name, t.received, t.delivered, t.failed
                );
            }
        }
    }
    let a = &r.async_outcomes;
    if a.received > 0 {
        let _ = writeln!(
            s,
            "\n== async events ==\nreceived {}  succeeded {}  on-success {}  on-failure {}  DLQ {}  dropped {:?}",
            a.received, a.succeeded, a.to_on_success, a.to_on_failure, a.to_dlq, a.dropped
        );
    }
    let _ = writeln!(s, "\nend {}  digest {}", t(r.end_us), r.digest);
    s
}
