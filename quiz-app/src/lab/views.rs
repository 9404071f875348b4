//! The views of the simulated world, side by side in `.lab-views`: timeline, logs, metrics,
//! queues and bill. Each is a component whose properties are what it shows, so a view whose
//! content did not change is not rendered again.

use std::rc::Rc;

use course_model::lab::Lab;
use lab_runtime::metrics::Bucket;
use yew::prelude::*;

use super::logs::LogView;
use super::metrics::{Metrics, CHARTS, MAX_BUCKETS};
use super::queues::{Bill, QueueView};
use super::state::World;
use super::timeline::{Drawing, Timeline};

/// Log lines shown: the newest, formatted alone (the log window holds thousands).
const LOG_LINES: usize = 200;

/// The views' properties.
#[derive(Properties)]
pub struct ViewsProps {
    /// The lab.
    pub lab: Rc<Lab>,
    /// The world.
    pub world: World,
    /// Its version (the views render again when it changes).
    pub version: u64,
    /// Views shown, in order (the others come back later: see `State::reveal`).
    pub parts: u8,
    /// Id prefix.
    pub uid: AttrValue,
}

impl PartialEq for ViewsProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.parts == other.parts
            && Rc::ptr_eq(&self.world, &other.world)
            && self.uid == other.uid
    }
}

/// `.lab-views`. Each view's properties are computed only when it is shown.
#[function_component(Views)]
pub fn views(p: &ViewsProps) -> Html {
    let lab = &p.lab;
    let s = p.world.borrow();
    let shown = |part: u8| p.parts > part;
    let view = s.sim.view();
    let records = (shown(0) || shown(2))
        .then(|| Rc::new(s.sim.records().items.iter().cloned().collect::<Vec<_>>()));
    let timeline = shown(0).then(|| {
        let function = view
            .functions
            .iter()
            .find(|f| f.config.name == lab.function);
        let now = view.now_us;
        let records = records.clone().unwrap_or_default();
        let drawing = Drawing::new(records, function, now, lab.account.settings.keep_alive_us);
        html! { <Timeline {drawing} {now} /> }
    });
    let logs = shown(1).then(|| {
        let lines = Rc::new(s.sim.log_tail(LOG_LINES));
        html! { <LogView {lines} uid={p.uid.clone()} /> }
    });
    let charts = usize::from(p.parts.saturating_sub(2)).min(CHARTS);
    let metrics = shown(2).then(|| {
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
        let records = records.clone().unwrap_or_default();
        html! { <Metrics buckets={Rc::new(buckets)} {width} {records} {charts} /> }
    });
    let queues = shown(9).then(|| {
        let messages: Vec<_> = lab
            .queues
            .iter()
            .map(|q| (q.clone(), s.sim.queue_messages(q)))
            .collect();
        html! {
            <QueueView events={Rc::new(view.async_events.clone())} outcomes={Rc::new(view.async_outcomes.clone())} messages={Rc::new(messages)} />
        }
    });
    let bill = shown(10).then(|| {
        html! { <Bill functions={Rc::new(view.functions.clone())} total={view.total_cost_usd} /> }
    });
    html! {
        <div class="lab-views">
            { for timeline }
            { for logs }
            { for metrics }
            { for queues }
            { for bill }
        </div>
    }
}
