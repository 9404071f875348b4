//! CloudWatch-style log lines exactly as Lambda writes them (docs/lambda-behaviour.md §3.11,
//! "timeout payload"), kept in a bounded ring and rendered to text only when read.

use std::collections::VecDeque;

use serde::Serialize;

use crate::clock::{fmt_ms2, fmt_secs2, Micros};
use crate::model::RequestId;

/// What a log line says; rendered by [`LogEntry::text`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogKind {
    /// `START RequestId: <id> Version: $LATEST` (or the version number that ran;
    /// docs/lambda-behaviour.md §10.3)
    Start {
        /// Request.
        request: RequestId,
        /// The version that ran.
        version: crate::model::FunctionVersion,
    },
    /// `END RequestId: <id>`
    End {
        /// Request.
        request: RequestId,
    },
    /// `REPORT RequestId: ... Duration ... Billed Duration ... [Init Duration ...]`
    Report {
        /// Request.
        request: RequestId,
        /// Invoke duration.
        duration_us: Micros,
        /// Billed duration in ms.
        billed_ms: u64,
        /// Configured memory.
        memory_mb: u32,
        /// Memory used.
        max_used_mb: u32,
        /// Init duration (cold starts only).
        init_us: Option<Micros>,
    },
    /// `<id> Task timed out after 3.00 seconds`
    Timeout {
        /// Request.
        request: RequestId,
        /// The timeout.
        timeout_us: Micros,
    },
    /// `INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: timeout`
    InitReport {
        /// How long Init ran.
        init_us: Micros,
        /// `timeout` or `error`.
        status: String,
        /// Error type when status is `error`.
        error_type: Option<String>,
    },
    /// A line the function's code logged.
    App {
        /// Request.
        request: RequestId,
        /// The text.
        message: String,
    },
    /// One invocation's platform lines (START, optional timeout line, END, REPORT) in one entry:
    /// expanded by [`LogEntry::lines`]. START is at the entry's time, the rest at time + duration.
    Invocation {
        /// Request.
        request: RequestId,
        /// The version that ran (0 = `$LATEST`).
        version: u32,
        /// Invoke duration.
        duration_us: Micros,
        /// Billed duration in ms.
        billed_ms: u64,
        /// Configured memory.
        memory_mb: u32,
        /// Memory used.
        max_used_mb: u32,
        /// Init duration (cold starts only).
        init_us: Option<Micros>,
        /// Set when the invocation timed out (the timeout).
        timed_out_after_us: Option<Micros>,
    },
    /// The runtime's line for an unhandled error: `<id>\tERROR\tInvoke Error \t{...}`.
    InvokeError {
        /// Request.
        request: RequestId,
        /// The error object JSON.
        payload: String,
    },
    /// A line the function logged during Init (no request yet).
    InitApp {
        /// The text.
        message: String,
    },
}

/// One log line in a function's log group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    /// Virtual time of the line.
    pub time_us: Micros,
    /// Index of the function (log group).
    pub function: u32,
    /// Environment (log stream).
    pub env: u64,
    /// Content.
    pub kind: LogKind,
    /// When the invocation this line belongs to started (its `START` time; for Init lines, the
    /// arrival of the request that ran Init). Lines at equal times sort by it first, so the
    /// `END`/`REPORT` of an invocation that ends at `t` come before the `START` of one that begins
    /// at `t` in the same environment (docs/lambda-behaviour.md §3.11).
    #[serde(skip)]
    pub invocation_start_us: Micros,
}

/// The key a merged log view sorts lines by: (time, start of the line's invocation, [`rank`],
/// position in the ring).
pub type LineKey = (Micros, Micros, u8, usize);

/// The order of a line among the lines of one invocation at the same time: Init lines, `START`,
/// the function's own lines, the runtime's `Invoke Error`, the timeout line, `END`, `REPORT`
/// (docs/lambda-behaviour.md §3.11).
pub mod rank {
    /// A line logged during Init, and `INIT_REPORT`.
    pub const INIT: u8 = 0;
    /// `START`.
    pub const START: u8 = 1;
    /// A line the handler logged.
    pub const APP: u8 = 2;
    /// The runtime's `Invoke Error` line.
    pub const INVOKE_ERROR: u8 = 3;
    /// `Task timed out after ...`.
    pub const TIMEOUT: u8 = 4;
    /// `END`.
    pub const END: u8 = 5;
    /// `REPORT`.
    pub const REPORT: u8 = 6;
}

impl LogEntry {
    /// The lines of this entry as (time, order among equal times, text). Most entries are one line;
    /// an `Invocation` entry is START, the timeout line if it timed out, END and REPORT.
    pub fn lines(&self) -> Vec<(Micros, u8, String)> {
        match &self.kind {
            LogKind::Invocation {
                request,
                version,
                duration_us,
                billed_ms,
                memory_mb,
                max_used_mb,
                init_us,
                timed_out_after_us,
            } => {
                let (t0, t1) = (self.time_us, self.time_us + duration_us);
                let e = |kind| {
                    LogEntry {
                        kind,
                        ..self.clone()
                    }
                    .text()
                };
                let mut v = vec![(
                    t0,
                    rank::START,
                    e(LogKind::Start {
                        request: *request,
                        version: crate::model::FunctionVersion(*version),
                    }),
                )];
                if let Some(t) = timed_out_after_us {
                    v.push((
                        t1,
                        rank::TIMEOUT,
                        e(LogKind::Timeout {
                            request: *request,
                            timeout_us: *t,
                        }),
                    ));
                }
                v.push((t1, rank::END, e(LogKind::End { request: *request })));
                v.push((
                    t1,
                    rank::REPORT,
                    e(LogKind::Report {
                        request: *request,
                        duration_us: *duration_us,
                        billed_ms: *billed_ms,
                        memory_mb: *memory_mb,
                        max_used_mb: *max_used_mb,
                        init_us: *init_us,
                    }),
                ));
                v
            }
            _ => vec![(self.time_us, self.rank(), self.text())],
        }
    }

    /// The (time, order) of each line of [`LogEntry::lines`], in the same order, without
    /// formatting any text: a log view that shows only the newest lines formats only those.
    pub fn line_times(&self) -> Vec<(Micros, u8)> {
        match &self.kind {
            LogKind::Invocation {
                duration_us,
                timed_out_after_us,
                ..
            } => {
                let (t0, t1) = (self.time_us, self.time_us + duration_us);
                let mut v = vec![(t0, rank::START)];
                if timed_out_after_us.is_some() {
                    v.push((t1, rank::TIMEOUT));
                }
                v.push((t1, rank::END));
                v.push((t1, rank::REPORT));
                v
            }
            _ => vec![(self.time_us, self.rank())],
        }
    }

    /// The [`rank`] of a one-line entry.
    fn rank(&self) -> u8 {
        match &self.kind {
            LogKind::Start { .. } => rank::START,
            LogKind::App { .. } => rank::APP,
            LogKind::InvokeError { .. } => rank::INVOKE_ERROR,
            LogKind::Timeout { .. } => rank::TIMEOUT,
            LogKind::End { .. } => rank::END,
            LogKind::Report { .. } => rank::REPORT,
            LogKind::InitReport { .. } | LogKind::InitApp { .. } | LogKind::Invocation { .. } => {
                rank::INIT
            }
        }
    }

    /// The key a merged log view sorts the lines of this entry by, given a line's (time, rank)
    /// and the entry's position in the ring: time, then the start of the line's invocation, then
    /// the rank, then arrival (docs/lambda-behaviour.md §3.11).
    pub fn sort_key(&self, time_us: Micros, rank: u8, index: usize) -> LineKey {
        (time_us, self.invocation_start_us, rank, index)
    }

    /// The line exactly as CloudWatch Logs shows it (all lines, for an `Invocation` entry).
    pub fn text(&self) -> String {
        match &self.kind {
            LogKind::Invocation { .. } => self
                .lines()
                .into_iter()
                .map(|(_, _, t)| t)
                .collect::<Vec<_>>()
                .join("\n"),
            LogKind::Start { request, version } => {
                format!("START RequestId: {request} Version: {version}")
            }
            LogKind::End { request } => format!("END RequestId: {request}"),
            LogKind::Report {
                request,
                duration_us,
                billed_ms,
                memory_mb,
                max_used_mb,
                init_us,
            } => {
                let mut s = format!(
                    "REPORT RequestId: {request} Duration: {} ms Billed Duration: {billed_ms} ms Memory Size: {memory_mb} MB Max Memory Used: {max_used_mb} MB",
                    fmt_ms2(*duration_us)
                );
                if let Some(i) = init_us {
                    s.push_str(&format!(" Init Duration: {} ms", fmt_ms2(*i)));
                }
                s
            }
            LogKind::Timeout {
                request,
                timeout_us,
            } => {
                format!(
                    "{request} Task timed out after {} seconds",
                    fmt_secs2(*timeout_us)
                )
            }
            LogKind::InitReport {
                init_us,
                status,
                error_type,
            } => {
                let mut s = format!(
                    "INIT_REPORT Init Duration: {} ms Phase: init Status: {status}",
                    fmt_ms2(*init_us)
                );
                if let Some(t) = error_type {
                    s.push_str(&format!(" Error Type: {t}"));
                }
                s
            }
            LogKind::App { request, message } => format!("{request}\tINFO\t{message}"),
            LogKind::InvokeError { request, payload } => {
                format!("{request}\tERROR\tInvoke Error \t{payload}")
            }
            LogKind::InitApp { message } => format!("INFO\t{message}"),
        }
    }
}

/// The `errorMessage` of a timeout (docs/lambda-behaviour.md §3.12).
pub fn timeout_message(request: RequestId, timeout_us: Micros) -> String {
    format!(
        "RequestId: {request} Error: Task timed out after {} seconds",
        fmt_secs2(timeout_us)
    )
}

/// A ring of the most recent items: memory stays bounded however long the run.
#[derive(Debug, Clone, Serialize)]
pub struct Ring<T> {
    /// Items, oldest first.
    items: VecDeque<T>,
    /// Capacity (0 = keep nothing).
    capacity: usize,
    /// How many items were pushed out (or not kept).
    dropped: u64,
}

impl<T> Ring<T> {
    /// An empty ring of the given capacity.
    pub fn new(capacity: usize) -> Self {
        Self {
            items: VecDeque::with_capacity(capacity.min(4096)),
            capacity,
            dropped: 0,
        }
    }

    /// Items, oldest first.
    #[inline]
    pub fn items(&self) -> &VecDeque<T> {
        &self.items
    }

    /// Capacity (0 = keep nothing).
    #[inline]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Whether it keeps anything: when not, a caller need not build the item, and says
    /// [`Ring::skip`] instead.
    #[inline]
    pub fn keeps(&self) -> bool {
        self.capacity > 0
    }

    /// How many items were pushed out (or not kept).
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// An item that was not kept, because the ring keeps nothing (see [`Ring::keeps`]).
    #[inline]
    pub fn skip(&mut self) {
        self.dropped += 1;
    }

    /// Changes the capacity, dropping the oldest items if needed.
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        while self.items.len() > capacity {
            self.items.pop_front();
            self.dropped += 1;
        }
    }

    /// Appends, dropping the oldest item when full.
    #[inline]
    pub fn push(&mut self, item: T) {
        if self.capacity == 0 {
            self.dropped += 1;
            return;
        }
        if self.items.len() == self.capacity {
            self.items.pop_front();
            self.dropped += 1;
        }
        self.items.push_back(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(kind: LogKind) -> String {
        LogEntry {
            time_us: 0,
            function: 0,
            env: 0,
            kind,
            invocation_start_us: 0,
        }
        .text()
    }

    #[test]
    fn report_line_has_init_duration_only_on_cold_start() {
        // docs/lambda-behaviour.md §3.11: Init Duration only on a cold start
        let r = RequestId(1);
        let cold = e(LogKind::Report {
            request: r,
            duration_us: 3_004_920,
            billed_ms: 3117,
            memory_mb: 128,
            max_used_mb: 33,
            init_us: Some(111_230),
        });
        assert_eq!(cold, format!("REPORT RequestId: {r} Duration: 3004.92 ms Billed Duration: 3117 ms Memory Size: 128 MB Max Memory Used: 33 MB Init Duration: 111.23 ms"));
        let warm = e(LogKind::Report {
            request: r,
            duration_us: 3_004_920,
            billed_ms: 3005,
            memory_mb: 128,
            max_used_mb: 33,
            init_us: None,
        });
        assert!(!warm.contains("Init Duration"));
        assert_eq!(
            e(LogKind::Start {
                request: r,
                version: crate::model::FunctionVersion::LATEST
            }),
            format!("START RequestId: {r} Version: $LATEST")
        );
        // docs/lambda-behaviour.md §10.3: the START line names the version that ran
        assert_eq!(
            e(LogKind::Start {
                request: r,
                version: crate::model::FunctionVersion(3)
            }),
            format!("START RequestId: {r} Version: 3")
        );
        assert_eq!(
            e(LogKind::End { request: r }),
            format!("END RequestId: {r}")
        );
    }

    #[test]
    fn timeout_and_init_report_lines_match_cloudwatch() {
        // docs/lambda-behaviour.md §3.11 (timeout, INIT_REPORT) and §3.12
        let r = RequestId(2);
        assert_eq!(
            e(LogKind::Timeout {
                request: r,
                timeout_us: 3_000_000
            }),
            format!("{r} Task timed out after 3.00 seconds")
        );
        let ir = e(LogKind::InitReport {
            init_us: 1_236_040,
            status: "timeout".into(),
            error_type: None,
        });
        assert_eq!(
            ir,
            "INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: timeout"
        );
        assert_eq!(
            timeout_message(r, 1_000_000),
            format!("RequestId: {r} Error: Task timed out after 1.00 seconds")
        );
    }

    #[test]
    fn an_ending_invocation_sorts_before_one_starting_at_the_same_instant() {
        // docs/lambda-behaviour.md §3.13
        let entry = |time_us, invocation_start_us, kind| LogEntry {
            time_us,
            function: 0,
            env: 1,
            kind,
            invocation_start_us,
        };
        let first = entry(
            0,
            0,
            LogKind::Invocation {
                request: RequestId(1),
                version: 0,
                duration_us: 100,
                billed_ms: 1,
                memory_mb: 128,
                max_used_mb: 1,
                init_us: None,
                timed_out_after_us: None,
            },
        );
        let second_line = entry(
            100,
            100,
            LogKind::App {
                request: RequestId(2),
                message: "hi".into(),
            },
        );
        let second = entry(
            100,
            100,
            LogKind::Invocation {
                request: RequestId(2),
                version: 0,
                duration_us: 5,
                billed_ms: 1,
                memory_mb: 128,
                max_used_mb: 1,
                init_us: None,
                timed_out_after_us: None,
            },
        );
        // the ring order: the second's app line was pushed before its own Invocation entry
        let ring = [first, second_line, second];
        let mut keys: Vec<(LineKey, String)> = Vec::new();
        for (i, e) in ring.iter().enumerate() {
            for (t, r, text) in e.lines() {
                keys.push((e.sort_key(t, r, i), text));
            }
        }
        keys.sort();
        let order: Vec<String> = keys
            .into_iter()
            .map(|(_, t)| t.split_whitespace().next().unwrap().to_string())
            .collect();
        let r2 = RequestId(2).to_string();
        assert_eq!(
            order,
            [
                "START",
                "END",
                "REPORT",
                "START",
                r2.as_str(),
                "END",
                "REPORT"
            ]
        );
    }

    #[test]
    fn request_ids_look_like_uuids_and_differ() {
        let a = RequestId(1).to_string();
        let b = RequestId(2).to_string();
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
        assert_ne!(a, b);
    }

    #[test]
    fn ring_keeps_only_the_newest_items() {
        let mut r = Ring::new(3);
        for i in 0..10 {
            r.push(i);
        }
        assert_eq!(r.items.iter().copied().collect::<Vec<_>>(), vec![7, 8, 9]);
        assert_eq!(r.dropped, 7);
    }
}
