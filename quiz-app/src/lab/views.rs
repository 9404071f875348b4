//! The views of the simulated world, side by side in `.lab-views`: timeline, logs, metrics,
//! queues and bill. Each is a component whose properties are what it shows, so a view whose
//! content did not change is not rendered again.

use std::rc::Rc;

use course_model::lab::Lab;
use lab_runtime::metrics::Bucket;
use yew::prelude::*;

use super::logs::LogView;
use super::metrics::{Metrics, MAX_BUCKETS};
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
    /// Id prefix.
    pub uid: AttrValue,
}

impl PartialEq for ViewsProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && Rc::ptr_eq(&self.world, &other.world)
            && self.uid == other.uid
    }
}

/// `.lab-views`.
#[function_component(Views)]
pub fn views(p: &ViewsProps) -> Html {
    let lab = &p.lab;
    let s = p.world.borrow();
    let view = s.sim.view();
    let records = Rc::new(s.sim.records().items.iter().cloned().collect::<Vec<_>>());
    let function = view
        .functions
        .iter()
        .find(|f| f.config.name == lab.function);
    let now = view.now_us;
    let drawing = Drawing::new(
        records.clone(),
        function,
        now,
        lab.account.settings.keep_alive_us,
    );
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
    let messages: Vec<_> = lab
        .queues
        .iter()
        .map(|q| (q.clone(), s.sim.queue_messages(q)))
        .collect();
    let lines = Rc::new(s.sim.log_tail(LOG_LINES));
    html! {
        <div class="lab-views">
            <Timeline {drawing} {now} />
            <LogView {lines} uid={p.uid.clone()} />
            <Metrics buckets={Rc::new(buckets)} {width} {records} />
            <QueueView events={Rc::new(view.async_events.clone())} outcomes={Rc::new(view.async_outcomes.clone())} messages={Rc::new(messages)} />
            <Bill functions={Rc::new(view.functions.clone())} total={view.total_cost_usd} />
        </div>
    }
}
