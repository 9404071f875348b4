//! The views of the simulated world, side by side in `.lab-views`: timeline, logs, metrics,
//! queues and bill. After a step each view is redrawn only when what it shows changed; while a
//! load test runs they are replaced by a note and drawn again when it ends.

use std::rc::Rc;

use course_model::lab::{Lab, LabSession};
use lab_runtime::async_queue::{AsyncEvent, AsyncOutcomes};
use lab_runtime::metrics::Bucket;
use lab_runtime::model::InvocationRecord;
use lab_runtime::sqs::Message;
use lab_runtime::view::{FunctionView, SimView};
use lab_runtime::Micros;
use web_sys::Element;

use super::logs::LogView;
use super::metrics::{self, MAX_BUCKETS};
use super::queues;
use super::timeline::{self, Drawing};
use crate::dom::{el, El};

/// Log lines shown: the newest, formatted alone (the log window holds thousands).
const LOG_LINES: usize = 200;

/// The parts [`Views::update_part`] draws.
pub const PARTS: usize = 4;

/// What the queue view shows: events waiting, their outcomes, messages by queue.
type QueueKey = (Vec<AsyncEvent>, AsyncOutcomes, Vec<(String, Vec<Message>)>);

/// One view drawn in place: its element and what it was drawn from.
struct Drawn<K> {
    element: Element,
    from: Option<K>,
}

impl<K: PartialEq> Drawn<K> {
    fn new(placeholder: &El) -> Self {
        Drawn {
            element: placeholder.0.clone(),
            from: None,
        }
    }

    /// Draws the view from `key` with `draw`, unless it is drawn from an equal key already.
    fn update(&mut self, key: K, draw: impl FnOnce(&K) -> El) {
        if self.from.as_ref() == Some(&key) {
            return;
        }
        let fresh = draw(&key).0;
        let _ = self.element.replace_with_with_node_1(&fresh);
        self.element = fresh;
        self.from = Some(key);
    }
}

/// The views of one console.
pub struct Views {
    /// `.lab-views`, in the page unless a load test runs.
    root: Element,
    /// The note shown instead while a load test runs.
    paused: Element,
    timeline: Drawn<Option<Drawing>>,
    /// The log console.
    pub logs: LogView,
    metrics: Drawn<(Vec<Bucket>, Micros, Rc<Vec<InvocationRecord>>)>,
    queues: Drawn<QueueKey>,
    bill: Drawn<(Vec<FunctionView>, f64)>,
}

/// A hidden section holding a view's place until it is first drawn.
fn placeholder() -> El {
    el("section").attr("hidden", "")
}

impl Views {
    /// Builds the views (empty until [`Views::update`]).
    pub fn build() -> (Views, El) {
        let (logs, log_el) = LogView::build();
        let [t, m, q, b] = [placeholder(), placeholder(), placeholder(), placeholder()];
        let views = Views {
            root: el("div").0,
            paused: el("p")
                .class("lab-views-paused")
                .text("The views update when the load test ends (or is cancelled).")
                .0,
            timeline: Drawn::new(&t),
            logs,
            metrics: Drawn::new(&m),
            queues: Drawn::new(&q),
            bill: Drawn::new(&b),
        };
        let root = El(views.root.clone())
            .class("lab-views")
            .child(t)
            .child(log_el)
            .child(m)
            .child(q)
            .child(b);
        (views, root)
    }

    /// Shows the note instead of the views while `busy`, the views otherwise.
    pub fn set_busy(&self, busy: bool) {
        let (shown, hidden) = if busy {
            (&self.paused, &self.root)
        } else {
            (&self.root, &self.paused)
        };
        if hidden.is_connected() {
            let _ = hidden.replace_with_with_node_1(shown);
        }
    }

    /// Redraws the views whose content changed.
    pub fn update(&mut self, lab: &Lab, s: &LabSession, view: &SimView) {
        for part in 0..PARTS {
            self.update_part(part, lab, s, view);
        }
    }

    /// Redraws one part of the views (0 to [`PARTS`] - 1) if its content changed: the timeline,
    /// the logs, the metrics, or the queues and the bill. After a load test the parts are drawn
    /// in separate tasks, so the page is never blocked long.
    pub fn update_part(&mut self, part: usize, lab: &Lab, s: &LabSession, view: &SimView) {
        let records = || -> Rc<Vec<InvocationRecord>> {
            Rc::new(s.sim.records().items.iter().cloned().collect())
        };
        match part {
            0 => {
                let function = view
                    .functions
                    .iter()
                    .find(|f| f.config.name == lab.function);
                let keep_alive = lab.account.settings.keep_alive_us;
                let now = view.now_us;
                let drawing = Drawing::new(records(), function, now, keep_alive);
                self.timeline.update(drawing, |d| {
                    d.as_ref()
                        .map_or_else(placeholder, |d| timeline::view(d, now))
                });
                if let Some(Some(d)) = &self.timeline.from {
                    timeline::show_now(&self.timeline.element, d, now);
                }
            }
            1 => self.logs.set_lines(s.sim.log_tail(LOG_LINES)),
            2 => {
                let (buckets, width) = s
                    .sim
                    .metrics(&lab.function)
                    .map(|m| {
                        let b: Vec<Bucket> = m.buckets.iter().cloned().collect();
                        (
                            b[b.len().saturating_sub(MAX_BUCKETS)..].to_vec(),
                            m.width_us,
                        )
                    })
                    .unwrap_or_default();
                self.metrics
                    .update((buckets, width, records()), |(b, w, r)| {
                        metrics::view(b, *w, r)
                    });
            }
            _ => {
                let messages = lab
                    .queues
                    .iter()
                    .map(|q| (q.clone(), s.sim.queue_messages(q)))
                    .collect();
                self.queues.update(
                    (
                        view.async_events.clone(),
                        view.async_outcomes.clone(),
                        messages,
                    ),
                    |(events, outcomes, messages)| queues::queue_view(events, outcomes, messages),
                );
                self.bill.update(
                    (view.functions.clone(), view.total_cost_usd),
                    |(functions, total)| queues::bill(functions, *total),
                );
            }
        }
    }
}
