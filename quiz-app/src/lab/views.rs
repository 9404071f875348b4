//! The views of the simulated world, side by side in `.lab-views`: timeline, logs, metrics,
//! queues and bill. Each is a component whose properties are what it shows, so a view whose
//! content did not change is not rendered again. While a long step runs they stay in the page,
//! hidden and unchanged (the log filter keeps what was typed); after it they are brought up to
//! date one part per task.

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
    /// Parts brought up to date, in order (the others keep what they showed: see
    /// `State::reveal`).
    pub parts: u8,
    /// Hidden (a long step runs).
    pub hidden: bool,
    /// Id prefix.
    pub uid: AttrValue,
}

impl PartialEq for ViewsProps {
    fn eq(&self, other: &Self) -> bool {
        // Hidden views do not change while a long step runs.
        let same_world = Rc::ptr_eq(&self.world, &other.world) && self.uid == other.uid;
        if self.hidden && other.hidden {
            return same_world;
        }
        self.version == other.version
            && self.parts == other.parts
            && self.hidden == other.hidden
            && Rc::ptr_eq(&self.world, &other.world)
            && self.uid == other.uid
    }
}

/// `.lab-views`. A part's properties are computed only when it is brought up to date.
#[function_component(Views)]
pub fn views(p: &ViewsProps) -> Html {
    let lab = &p.lab;
    let s = p.world.borrow();
    let kept = use_mut_ref(|| [None::<Html>, None, None, None]);
    let mut kept = kept.borrow_mut();
    let due = |part: u8, kept: &Option<Html>| p.parts > part || kept.is_none();
    let view = (due(0, &kept[0]) || due(9, &kept[2]) || due(10, &kept[3])).then(|| s.sim.view());
    let records = || Rc::new(s.sim.records().items().iter().cloned().collect::<Vec<_>>());
    let mut part = |i: usize, at: u8, make: &dyn Fn() -> Html| -> Html {
        if due(at, &kept[i]) {
            kept[i] = Some(make());
        }
        kept[i].clone().unwrap_or_default()
    };
    let timeline = part(0, 0, &|| {
        let Some(view) = &view else { return html! {} };
        let function = view
            .functions
            .iter()
            .find(|f| f.config.name == lab.function);
        let now = view.now_us;
        let drawing = Drawing::new(records(), function, now, lab.account.settings.keep_alive_us);
        html! { <Timeline {drawing} {now} /> }
    });
    let logs = part(1, 1, &|| {
        let lines = Rc::new(s.sim.log_tail(LOG_LINES));
        html! { <LogView {lines} uid={p.uid.clone()} /> }
    });
    let queues = part(2, 9, &|| {
        let Some(view) = &view else { return html! {} };
        let messages: Vec<_> = lab
            .queues
            .iter()
            .map(|q| (q.clone(), s.sim.queue_messages(q)))
            .collect();
        html! {
            <QueueView events={Rc::new(view.async_events.clone())} outcomes={Rc::new(view.async_outcomes.clone())} messages={Rc::new(messages)} />
        }
    });
    let bill = part(3, 10, &|| {
        let Some(view) = &view else { return html! {} };
        html! { <Bill functions={Rc::new(view.functions.clone())} total={view.total_cost_usd} /> }
    });
    drop(kept);
    // The charts: the metrics keep the values of the charts not due yet.
    let charts = usize::from(p.parts.saturating_sub(2)).min(CHARTS);
    let (buckets, width) = if charts > 0 {
        s.sim
            .metrics(&lab.function)
            .map(|m| {
                let b: Vec<Bucket> = m.buckets().iter().cloned().collect();
                (
                    b[b.len().saturating_sub(MAX_BUCKETS)..].to_vec(),
                    m.width_us(),
                )
            })
            .unwrap_or_default()
    } else {
        (Vec::new(), 0)
    };
    let records = if charts > 0 { records() } else { Rc::default() };
    html! {
        <div class="lab-views" hidden={p.hidden}>
            { timeline }
            { logs }
            <Metrics buckets={Rc::new(buckets)} {width} {records} {charts} />
            { queues }
            { bill }
        </div>
    }
}
