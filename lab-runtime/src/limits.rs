//! What a scenario or a lab may ask of the simulator: every author-given time, count and rate has
//! a documented range (AWS's range where AWS has one), checked at its line before the simulation
//! starts, so that arithmetic on it cannot overflow and no run asks for unbounded work. The
//! scenario guide (`book/src/instructors/scenarios.md`, "Limits") lists them.

use crate::state::traffic::Pattern;

/// Latest virtual time a timeline entry, `end_s` or an advance may name: 7 days, in seconds.
pub const MAX_TIME_S: u64 = 7 * 86_400;
/// Highest request rate of a traffic generator (the account's default request-rate quota:
/// 10 × the 1,000 concurrency, docs/lambda-behaviour.md §4.3).
pub const MAX_RATE_PER_S: f64 = 10_000.0;
/// Longest traffic generator, in seconds (one day).
pub const MAX_TRAFFIC_DURATION_S: f64 = 86_400.0;
/// Most requests one traffic generator may send (rate × duration, a burst's count, `max_requests`).
pub const MAX_REQUESTS_PER_TRAFFIC: u64 = 1_000_000;
/// Most messages one `send_messages` may send.
pub const MAX_MESSAGES_PER_SEND: u64 = 100_000;
/// Most records one `put_records` may put.
pub const MAX_RECORDS_PER_PUT: usize = 10_000;
/// Events one scenario run may process in all: past it the run stops with an error naming the
/// time it reached (a handler feeding its own queue, a retry storm), never a hang.
pub const MAX_RUN_EVENTS: u64 = 10_000_000;

/// An integer setting's range: `(key, min, max, why)`.
pub type IntRange = (&'static str, u64, u64, &'static str);

/// The account settings' ranges.
pub const ACCOUNT_RANGES: [IntRange; 8] = [
    (
        "concurrency_limit",
        1,
        100_000,
        "the simulator's ceiling for an account's concurrency",
    ),
    ("keep_alive_s", 1, 86_400, "at most one day"),
    ("recycle_after_s", 1, 604_800, "at most seven days"),
    (
        "client_retries",
        0,
        10,
        "an SDK retries a few times, not thousands",
    ),
    ("log_window", 1, 100_000, "log lines the simulator keeps"),
    ("record_window", 1, 100_000, "records the simulator keeps"),
    (
        "metrics_bucket_s",
        1,
        86_400,
        "CloudWatch periods run from 1 second to 1 day",
    ),
    ("throttle_retry_after_s", 0, 3_600, "at most one hour"),
];

/// A queue's `visibility_timeout_s` (AWS: 0 to 12 hours, docs/lambda-behaviour.md §5.7).
pub const VISIBILITY_TIMEOUT_S: IntRange = (
    "visibility_timeout_s",
    0,
    43_200,
    "SQS allows 0 to 43,200 seconds (12 hours)",
);
/// A redrive policy's `max_receive_count` (AWS: 1 to 1,000, docs/lambda-behaviour.md §5.7).
pub const MAX_RECEIVE_COUNT: IntRange = ("max_receive_count", 1, 1_000, "SQS allows 1 to 1,000");
/// A table's read or write units per second (AWS's default per-table quota: 40,000, §5.7).
pub const TABLE_UNITS: u64 = 40_000;
/// A database's `idle_timeout_s` (0 = never; at most 8 hours, MySQL's default `wait_timeout`,
/// docs/lambda-behaviour.md §3.14).
pub const DATABASE_IDLE_TIMEOUT: IntRange = (
    "idle_timeout_s",
    0,
    28_800,
    "0 is never; the ceiling is MySQL's default wait_timeout, 8 hours",
);
/// A database's `max_connections`.
pub const DATABASE_CONNECTIONS: IntRange = (
    "max_connections",
    0,
    100_000,
    "the simulator's ceiling for a database",
);

/// `key = v` within `(min, max)`, or the message naming the key, the value and the range.
pub fn check_int(r: IntRange, v: u64) -> Result<(), String> {
    let (key, min, max, why) = r;
    if v < min || v > max {
        return Err(format!(
            "`{key}` = {v} is out of range: {min} to {max} ({why})"
        ));
    }
    Ok(())
}

/// A number as messages show it: large ones in exponent form (`1e300`, not 301 digits).
fn num(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A time in seconds: finite, not negative, at most [`MAX_TIME_S`].
pub fn check_time_s(key: &str, v: f64) -> Result<(), String> {
    if !v.is_finite() || v < 0.0 {
        return Err(format!(
            "`{key}` = {} is not a time: give a number of seconds from 0 to {MAX_TIME_S}",
            num(v)
        ));
    }
    if v > MAX_TIME_S as f64 {
        return Err(format!(
            "`{key}` = {} is out of range: at most {MAX_TIME_S} seconds (7 days)",
            num(v)
        ));
    }
    Ok(())
}

fn check_rate(key: &str, v: f64) -> Result<(), String> {
    if !v.is_finite() || v < 0.0 {
        return Err(format!(
            "`{key}` = {} is not a rate: give requests per second from 0 to {MAX_RATE_PER_S}",
            num(v)
        ));
    }
    if v > MAX_RATE_PER_S {
        return Err(format!(
            "`{key}` = {} is out of range: at most {MAX_RATE_PER_S} requests per second (the account's request-rate quota)", num(v)
        ));
    }
    Ok(())
}

fn check_duration(v: f64) -> Result<(), String> {
    if !v.is_finite() || v <= 0.0 || v > MAX_TRAFFIC_DURATION_S {
        return Err(format!(
            "`duration_s` = {} is out of range: more than 0 and at most {MAX_TRAFFIC_DURATION_S} seconds", num(v)
        ));
    }
    Ok(())
}

fn check_requests(key: &str, n: f64) -> Result<(), String> {
    if n > MAX_REQUESTS_PER_TRAFFIC as f64 {
        return Err(format!(
            "`{key}` asks for {n:.0} requests: at most {MAX_REQUESTS_PER_TRAFFIC} per traffic generator"
        ));
    }
    Ok(())
}

/// Checks a traffic pattern and its `max_requests`: rates, durations and the number of requests
/// it would send. The message starts with the key at fault, in back quotes.
pub fn check_pattern(p: &Pattern, max_requests: Option<u64>) -> Result<(), String> {
    if let Some(m) = max_requests {
        check_requests("max_requests", m as f64)?;
    }
    match p {
        Pattern::Once => Ok(()),
        Pattern::Burst { count } => check_requests("count", *count as f64),
        Pattern::SqsBacklog { count, .. } => {
            if *count > MAX_MESSAGES_PER_SEND {
                return Err(format!(
                    "`count` = {count} is out of range: at most {MAX_MESSAGES_PER_SEND} messages at once"
                ));
            }
            Ok(())
        }
        Pattern::Constant {
            rate_per_s,
            duration_s,
        }
        | Pattern::Poisson {
            rate_per_s,
            duration_s,
        } => {
            check_rate("rate_per_s", *rate_per_s)?;
            check_duration(*duration_s)?;
            if max_requests.is_none() {
                check_requests("rate_per_s", rate_per_s * duration_s)?;
            }
            Ok(())
        }
        Pattern::Ramp {
            from_per_s,
            to_per_s,
            duration_s,
        } => {
            check_rate("from_per_s", *from_per_s)?;
            check_rate("to_per_s", *to_per_s)?;
            check_duration(*duration_s)?;
            if max_requests.is_none() {
                check_requests("to_per_s", (from_per_s + to_per_s) / 2.0 * duration_s)?;
            }
            Ok(())
        }
    }
}

/// The byte offset of `key = …` inside `within` of `text` (the first one), or `within.start`.
pub fn key_offset(text: &str, within: std::ops::Range<usize>, key: &str) -> usize {
    let end = within.end.min(text.len());
    let start = within.start.min(end);
    let Some(hay) = text.get(start..end) else {
        return start;
    };
    let mut from = 0;
    while let Some(i) = hay[from..].find(key) {
        let pos = from + i;
        let before_ok = hay[..pos]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if before_ok && hay[pos + key.len()..].trim_start().starts_with('=') {
            return start + pos;
        }
        from = pos + key.len();
    }
    start
}

/// The lines of the table whose span is `span`: from its header to the next header (the span of
/// a table in an array of tables may cover its header only).
fn table_lines(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    lines_until(text, span, "\n[")
}

/// The lines of an array-of-tables entry with its sub-tables (`[functions.async]`): from its
/// header to the next `[[` header.
pub(crate) fn with_subtables(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    lines_until(text, span, "\n[[")
}

/// From the table's header to the next line that starts with `next` (or the span's end, if
/// further).
fn lines_until(text: &str, span: std::ops::Range<usize>, next: &str) -> std::ops::Range<usize> {
    let rest = text.get(span.start..).unwrap_or("");
    let first_nl = rest.find('\n').map_or(rest.len(), |n| n + 1);
    let end = rest[first_nl..]
        .find(next)
        .map_or(rest.len(), |n| first_nl + n);
    span.start..span.start + end.max(span.end.saturating_sub(span.start)).min(rest.len())
}

/// The key a limit message names first (between back quotes).
fn named_key(msg: &str) -> Option<&str> {
    let rest = msg.strip_prefix('`')?;
    rest.split('`').next()
}

/// Checks every author-given number of a scenario against its range, and its dead-letter queues
/// for loops; the error points at the key's line in `text` (the scenario's source, or the lab
/// file holding it).
pub fn check_scenario(
    s: &crate::scenario::Scenario,
    text: &str,
) -> Result<(), crate::scenario::ScenarioError> {
    use crate::scenario::ScenarioError;
    let err = |within: std::ops::Range<usize>, msg: String| {
        let within = table_lines(text, within);
        let off = named_key(&msg).map_or(within.start, |k| key_offset(text, within, k));
        ScenarioError::at(text, off, msg)
    };
    let all = 0..text.len();
    let a = &s.account;
    let account = [
        a.concurrency_limit.map(u64::from),
        a.keep_alive_s,
        a.recycle_after_s,
        a.client_retries.map(u64::from),
        a.log_window.map(|v| v as u64),
        a.record_window.map(|v| v as u64),
        a.metrics_bucket_s,
        a.throttle_retry_after_s.map(u64::from),
    ];
    for (r, v) in ACCOUNT_RANGES.iter().zip(account) {
        if let Some(v) = v {
            check_int(*r, v).map_err(|m| err(all.clone(), m))?;
        }
    }
    if let Some(e) = s.end_s {
        check_time_s("end_s", e).map_err(|m| err(all.clone(), m))?;
    }
    for q in &s.queues {
        let spec = q.get_ref();
        check_int(VISIBILITY_TIMEOUT_S, spec.visibility_timeout_s.into())
            .map_err(|m| err(q.span(), m))?;
        if let Some(n) = spec.max_receive_count {
            check_int(MAX_RECEIVE_COUNT, n.into()).map_err(|m| err(q.span(), m))?;
        }
        // a dead-letter queue that leads back to this queue: messages would circle for ever
        let mut chain = vec![spec.name.as_str()];
        let mut next = spec.dlq.as_deref();
        while let Some(d) = next {
            if chain.contains(&d) {
                chain.push(d);
                return Err(err(
                    q.span(),
                    format!(
                        "`dlq` makes a loop of dead-letter queues: {}",
                        chain.join(" → ")
                    ),
                ));
            }
            chain.push(d);
            next = s
                .queues
                .iter()
                .find(|o| o.get_ref().name == d)
                .and_then(|o| o.get_ref().dlq.as_deref());
        }
    }
    let named = |name: &str| {
        let at = text.find(&format!("\"{name}\"")).unwrap_or(0);
        at..text.len()
    };
    for t in &s.tables {
        for (key, v) in [("read_per_s", t.read_per_s), ("write_per_s", t.write_per_s)] {
            check_int(
                (key, 0, TABLE_UNITS, "DynamoDB's default per-table quota"),
                v,
            )
            .map_err(|m| err(named(&t.name), m))?;
        }
    }
    for d in &s.databases {
        check_int(DATABASE_CONNECTIONS, d.max_connections.into())
            .map_err(|m| err(named(&d.name), m))?;
        check_int(DATABASE_IDLE_TIMEOUT, d.idle_timeout_s).map_err(|m| err(named(&d.name), m))?;
    }
    for e in &s.timeline {
        let t = e.get_ref();
        check_entry(t).map_err(|m| err(e.span(), m))?;
    }
    Ok(())
}

fn check_entry(t: &crate::scenario::TimelineEntry) -> Result<(), String> {
    if t.at_ms.is_some() && t.at_s.is_some() {
        return Err("`at_s` and `at_ms` both given: keep one".into());
    }
    if let Some(ms) = t.at_ms {
        if ms > MAX_TIME_S * 1000 {
            return Err(format!(
                "`at_ms` = {ms} is out of range: at most {} (7 days)",
                MAX_TIME_S * 1000
            ));
        }
    }
    if let Some(s) = t.at_s {
        check_time_s("at_s", s)?;
    }
    let f = |v: Option<f64>| v.unwrap_or(1.0);
    let pattern = match t.action.as_str() {
        "burst" => Some(Pattern::Burst {
            count: t.count.unwrap_or(0),
        }),
        "constant" => Some(Pattern::Constant {
            rate_per_s: f(t.rate_per_s),
            duration_s: f(t.duration_s),
        }),
        "poisson" => Some(Pattern::Poisson {
            rate_per_s: f(t.rate_per_s),
            duration_s: f(t.duration_s),
        }),
        "ramp" => Some(Pattern::Ramp {
            from_per_s: f(t.from_per_s),
            to_per_s: f(t.to_per_s),
            duration_s: f(t.duration_s),
        }),
        _ => None,
    };
    if let Some(p) = pattern {
        check_pattern(&p, t.max_requests)?;
    }
    if t.action == "send_messages" {
        if let Some(n) = t.count.filter(|n| *n > MAX_MESSAGES_PER_SEND) {
            return Err(format!(
                "`count` = {n} is out of range: at most {MAX_MESSAGES_PER_SEND} messages at once"
            ));
        }
    }
    if let Some(r) = t.records.as_ref().filter(|r| r.len() > MAX_RECORDS_PER_PUT) {
        return Err(format!(
            "`records` holds {} records: at most {MAX_RECORDS_PER_PUT} at once",
            r.len()
        ));
    }
    if let Some(r) = t.reserved.filter(|r| !(-1..=100_000).contains(r)) {
        return Err(format!(
            "`reserved` = {r} is out of range: -1 (remove) or 0 to 100000"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_outside_their_ranges_are_refused_naming_the_key() {
        let c = |rate_per_s, duration_s| Pattern::Constant {
            rate_per_s,
            duration_s,
        };
        for (p, key) in [
            (c(1e12, 1.0), "`rate_per_s` = 1000000000000"),
            (c(f64::NAN, 1.0), "`rate_per_s` = NaN"),
            (c(-1.0, 1.0), "`rate_per_s` = -1"),
            (c(10.0, f64::INFINITY), "`duration_s` = inf"),
            (c(10.0, 0.0), "`duration_s` = 0"),
            (c(10_000.0, 86_400.0), "`rate_per_s` asks for 864000000"),
            (
                Pattern::Burst {
                    count: 1_000_000_000,
                },
                "`count` asks for",
            ),
        ] {
            let e = check_pattern(&p, None).unwrap_err();
            assert!(e.starts_with(key), "{e}");
        }
        assert!(check_pattern(&c(100.0, 60.0), None).is_ok());
        assert!(check_pattern(&c(10_000.0, 86_400.0), Some(1000)).is_ok());
        assert!(check_time_s("at_s", f64::NAN).is_err());
        assert!(check_time_s("at_s", 1e300).is_err());
        assert!(check_int(ACCOUNT_RANGES[1], u64::MAX).is_err());
    }
}
