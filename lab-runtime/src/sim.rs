//! The simulation: the event loop over the virtual clock and the step API the lab console drives
//! (`apply` an action, `advance_by`, `advance_to_next_event`, `run_for` a budget, read views).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use litemap::LiteMap;
use serde::{Deserialize, Serialize};

use crate::billing::PriceTable;
use crate::clock::Micros;
use crate::config::AccountConfig;
use crate::host::HostState;
use crate::iam::{PolicyDocument, Role};
use crate::logs::{LogEntry, Ring};
use crate::metrics::Series;
use crate::model::{InvocationRecord, InvokeResponse};
use crate::queue::EventQueue;
use crate::rng::Rng;
use crate::script::ScriptEngine;
use crate::state::async_event::AsyncQueue;
use crate::state::concurrency::AccountConcurrency;
use crate::state::function::FunctionState;
use crate::state::inflight::InFlight;
use crate::state::sqs_mapping::SqsMapping;
use crate::state::stream_mapping::StreamMapping;
use crate::state::traffic::TrafficGen;

/// Scheduled events.
#[derive(Debug, Clone)]
pub(crate) enum Ev {
    /// An invocation (in-flight slot) finishes.
    Complete(u32),
    /// Reclaim idle environments of a function whose keep-alive ran out.
    Sweep(u32),
    /// A provisioned environment finished Init: (function, slot, env id).
    ProvisionedReady(u32, u32, u64),
    /// An environment's Shutdown phase ends: (function, slot, env id).
    ShutdownDone(u32, u32, u64),
    /// The async poller picks up an event (id).
    AsyncDispatch(u64),
    /// The SDK retries a throttled synchronous call (pending id).
    ClientRetry(u64),
    /// An SQS mapping polls its queue.
    SqsPoll(u32),
    /// A stream mapping polls one lane of its shard: (mapping, lane).
    StreamPoll(u32, u32),
}

/// A pending client-side retry of a throttled synchronous call.
#[derive(Debug, Clone)]
pub(crate) struct PendingSync {
    pub function: u32,
    pub target: crate::state::versions::Target,
    pub payload: Arc<str>,
    pub request: crate::model::RequestId,
    pub attempt: u32,
}

/// How far `run_for` may go in one chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunBudget {
    /// Events to process at most in this chunk.
    pub max_events: u64,
    /// Do not go past this virtual time.
    pub until_us: Option<Micros>,
}

/// Where a chunked run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Virtual time now.
    pub now_us: Micros,
    /// Events processed in this chunk.
    pub events: u64,
    /// Invocations completed so far (whole run).
    pub invocations: u64,
    /// True when nothing is left to do before `until_us` (or at all).
    pub done: bool,
}

/// The whole simulated world.
pub struct Simulation {
    pub(crate) now: Micros,
    pub(crate) queue: EventQueue<Ev>,
    pub(crate) rng: Rng,
    pub(crate) seed: u64,
    pub(crate) account: AccountConfig,
    pub(crate) roles: LiteMap<String, Role>,
    /// Declared callers and their identity-based policies (docs/lambda-behaviour.md §6.10).
    pub(crate) principals: LiteMap<String, Vec<PolicyDocument>>,
    pub(crate) functions: Vec<FunctionState>,
    pub(crate) by_name: LiteMap<String, u32>,
    pub(crate) inflight: Vec<Option<InFlight>>,
    pub(crate) inflight_free: Vec<usize>,
    /// Lambda's internal queue of asynchronous events (docs/lambda-behaviour.md §1.4).
    pub(crate) async_queue: AsyncQueue,
    pub(crate) pending_sync: IndexMap<u64, PendingSync>,
    pub(crate) sqs_mappings: Vec<SqsMapping>,
    pub(crate) stream_mappings: Vec<StreamMapping>,
    pub(crate) traffic: Vec<TrafficGen>,
    /// SNS topics (docs/lambda-behaviour.md §1.14).
    pub(crate) topics: Vec<crate::state::sns_topic::SnsTopic>,
    /// EventBridge event buses (docs/lambda-behaviour.md §1.15).
    pub(crate) buses: Vec<crate::state::event_bus::EventBus>,
    pub(crate) host: Rc<RefCell<HostState>>,
    pub(crate) scripts: ScriptEngine,
    pub(crate) logs: Ring<LogEntry>,
    pub(crate) records: Ring<InvocationRecord>,
    pub(crate) shutdowns: Ring<crate::state::shutdown::ShutdownRecord>,
    pub(crate) responses: Ring<InvokeResponse>,
    pub(crate) account_metrics: Series,
    pub(crate) prices: PriceTable,
    pub(crate) next_id: u64,
    /// The chain of requests of the invocation being run (docs/lambda-behaviour.md §2.16).
    pub(crate) call_chain: u32,
    /// The front door's admission control: reserved and unreserved concurrency, request rate.
    pub(crate) concurrency: AccountConcurrency,
    pub(crate) completed: u64,
    pub(crate) events_processed: u64,
    pub(crate) event_cache: Option<(Arc<str>, crate::script::Value)>,
    pub(crate) null_payload: Arc<str>,
    /// The last payload found to be valid JSON (load tests reuse one payload).
    pub(crate) valid_payload: Option<Arc<str>>,
    /// Next arrival (time, seq) of each traffic generator, kept out of the heap: arrivals are
    /// already in order, and skipping the heap for them makes load tests faster.
    pub(crate) traffic_next: Vec<Option<(Micros, u64)>>,
}

impl Simulation {
    /// A new, empty world. The same seed and the same actions give the same run.
    pub fn new(account: AccountConfig, seed: u64) -> Self {
        let host = Rc::new(RefCell::new(HostState::default()));
        let s = &account.settings;
        Self {
            now: 0,
            queue: EventQueue::default(),
            rng: Rng::new(seed),
            seed,
            logs: Ring::new(s.log_window),
            records: Ring::new(s.record_window),
            shutdowns: Ring::new(s.record_window),
            responses: Ring::new(s.record_window),
            account_metrics: Series::new(s.metrics_bucket_us, s.metrics_max_buckets),
            scripts: ScriptEngine::new(host.clone(), s.script_op_cost_ns),
            host,
            account,
            roles: LiteMap::new(),
            principals: LiteMap::new(),
            functions: Vec::new(),
            by_name: LiteMap::new(),
            inflight: Vec::new(),
            inflight_free: Vec::new(),
            async_queue: AsyncQueue::default(),
            pending_sync: IndexMap::new(),
            sqs_mappings: Vec::new(),
            stream_mappings: Vec::new(),
            traffic: Vec::new(),
            topics: Vec::new(),
            buses: Vec::new(),
            prices: PriceTable::default(),
            next_id: 0,
            call_chain: 0,
            concurrency: AccountConcurrency::default(),
            completed: 0,
            events_processed: 0,
            event_cache: None,
            null_payload: Arc::from("null"),
            valid_payload: None,
            traffic_next: Vec::new(),
        }
    }

    /// Virtual time now.
    pub fn now(&self) -> Micros {
        self.now
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The account configuration.
    pub fn account(&self) -> &AccountConfig {
        &self.account
    }

    pub(crate) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn schedule(&mut self, at: Micros, ev: Ev) {
        self.queue.push(at.max(self.now), ev);
    }

    /// Index of a function by name.
    pub fn function_index(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// Schedules traffic generator `g`'s next arrival (outside the heap, same FIFO order).
    pub(crate) fn schedule_traffic(&mut self, g: u32, at: Micros) {
        let seq = self.queue.alloc_seq();
        let gi = g as usize;
        if self.traffic_next.len() <= gi {
            self.traffic_next.resize(gi + 1, None);
        }
        self.traffic_next[gi] = Some((at.max(self.now), seq));
    }

    fn next_traffic(&self) -> Option<(Micros, u64, u32)> {
        let mut best: Option<(Micros, u64, u32)> = None;
        for (g, n) in self.traffic_next.iter().enumerate() {
            if let Some((t, s)) = n {
                if best.is_none_or(|(bt, bs, _)| (*t, *s) < (bt, bs)) {
                    best = Some((*t, *s, g as u32));
                }
            }
        }
        best
    }

    /// Time of the next scheduled event (heap or traffic).
    pub fn next_event_time(&self) -> Option<Micros> {
        match (self.queue.peek_key(), self.next_traffic()) {
            (Some((a, _)), Some((b, _, _))) => Some(a.min(b)),
            (Some((a, _)), None) => Some(a),
            (None, Some((b, _, _))) => Some(b),
            (None, None) => None,
        }
    }

    /// Processes the next event, if any. Returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        if let Some((t, s, g)) = self.next_traffic() {
            if self.queue.peek_key().is_none_or(|k| (t, s) < k) {
                self.traffic_next[g as usize] = None;
                self.now = t;
                self.deliver_arriving();
                self.events_processed += 1;
                self.traffic_arrival(g);
                if !self.sqs_mappings.is_empty() {
                    self.wake_sqs_mappings();
                }
                return true;
            }
        }
        let Some((t, ev)) = self.queue.pop() else {
            return false;
        };
        self.now = t;
        self.deliver_arriving();
        self.events_processed += 1;
        match ev {
            Ev::Complete(slot) => self.complete(slot),
            Ev::Sweep(f) => self.sweep(f),
            Ev::ProvisionedReady(f, slot, id) => self.provisioned_ready(f, slot, id),
            Ev::ShutdownDone(f, slot, id) => self.shutdown_done(f, slot, id),
            Ev::AsyncDispatch(id) => self.async_dispatch(id),
            Ev::ClientRetry(id) => self.client_retry(id),
            Ev::SqsPoll(m) => self.sqs_poll(m),
            Ev::StreamPoll(m, lane) => self.stream_poll(m, lane),
        }
        if !self.sqs_mappings.is_empty() {
            self.wake_sqs_mappings();
        }
        true
    }

    /// Runs every event up to and including time `t`, then sets the clock to `t`.
    pub fn advance_to(&mut self, t: Micros) {
        while let Some(nt) = self.next_event_time() {
            if nt > t {
                break;
            }
            self.step();
        }
        self.now = self.now.max(t);
        self.deliver_arriving();
    }

    /// Makes the messages handlers sent by now visible in their queues (a handler's run is
    /// computed at once; its messages exist from the time it sent them).
    fn deliver_arriving(&mut self) {
        let mut host = self.host.borrow_mut();
        if !host.arriving_sends {
            return;
        }
        let now = self.now;
        let mut left = false;
        for (_, q) in host.queues.iter_mut() {
            left |= q.deliver_arrived(now);
        }
        host.arriving_sends = left;
    }

    /// Advances the clock by `d`, running the events on the way.
    pub fn advance_by(&mut self, d: Micros) {
        self.advance_to(self.now + d);
    }

    /// Jumps to the next scheduled time and runs every event at that time. Returns the new time.
    pub fn advance_to_next_event(&mut self) -> Option<Micros> {
        let t = self.next_event_time()?;
        self.advance_to(t);
        Some(t)
    }

    /// Runs a chunk of at most `budget.max_events` events (for a progress bar that never blocks
    /// the page for long); call again until `done`.
    pub fn run_for(&mut self, budget: RunBudget) -> Progress {
        let mut events = 0;
        let mut done = false;
        while events < budget.max_events {
            match self.next_event_time() {
                None => {
                    done = true;
                    break;
                }
                Some(t) if budget.until_us.is_some_and(|u| t > u) => {
                    done = true;
                    break;
                }
                _ => {}
            }
            self.step();
            events += 1;
        }
        if done {
            if let Some(u) = budget.until_us {
                self.now = self.now.max(u);
                self.deliver_arriving();
            }
        }
        Progress {
            now_us: self.now,
            events,
            invocations: self.completed,
            done,
        }
    }

    /// Runs until nothing is scheduled (or `max_events` were processed). Returns events processed.
    pub fn run_until_idle(&mut self, max_events: u64) -> u64 {
        let mut n = 0;
        while n < max_events && self.step() {
            n += 1;
        }
        n
    }

    /// Price table used for the bill.
    pub fn prices(&self) -> &PriceTable {
        &self.prices
    }
}
