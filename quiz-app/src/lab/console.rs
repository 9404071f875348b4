//! The lab console: owns the [`LabSession`], applies the steps the panels send, runs load tests in
//! chunks that yield to the browser, evaluates objectives and saves completion.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use course_model::lab::{load_message, Control, Lab, LabSession, LoadRun, ObjectiveStatus, Step};
use yew::prelude::*;

use super::code::CodePanel;
use super::config::ConfigPanel;
use super::invoke::InvokePanel;
use super::logs::LogView;
use super::metrics::MetricCharts;
use super::objectives::Objectives;
use super::queues::{Bill, QueueView};
use super::timeline::Timeline;
use super::{store, ui};

/// What the preprocessor's placeholder gives the console.
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The book (progress namespace).
    pub book: AttrValue,
    /// The lab.
    pub lab: Rc<Lab>,
}

/// A step sent by a panel, with the id of the form whose inline error should show the outcome.
pub type OnStep = Callback<(&'static str, Step)>;

/// Inline errors by form id.
pub type Errors = Rc<BTreeMap<&'static str, String>>;

/// Longest stretch of work between two yields to the browser, in milliseconds.
const CHUNK_MS: f64 = 15.0;

/// Least time between two re-renders while a load test runs, in milliseconds.
const RENDER_MS: f64 = 250.0;

/// How often "Run" advances the clock, in milliseconds.
const TICK_MS: f64 = 250.0;

/// The speeds "Run" offers: simulated seconds per real second, and their labels.
const SPEEDS: [(u32, &str); 4] = [
    (1, "1× (real time)"),
    (10, "10×"),
    (60, "1 min per second"),
    (600, "10 min per second"),
];

/// Calls a function every few milliseconds until dropped.
struct Ticker {
    id: i32,
    _f: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Ticker {
    fn start(every_ms: f64, f: impl FnMut() + 'static) -> Option<Ticker> {
        use wasm_bindgen::JsCast;
        let f = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(f);
        let id = web_sys::window()?
            .set_interval_with_callback_and_timeout_and_arguments_0(
                f.as_ref().unchecked_ref(),
                every_ms as i32,
            )
            .ok()?;
        Some(Ticker { id, _f: f })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_interval_with_handle(self.id);
        }
    }
}

struct Running {
    run: Option<LoadRun>,
    cancel: bool,
}

fn new_session(lab: &Rc<Lab>, completed: Vec<String>) -> Result<LabSession, String> {
    let mut s = LabSession::new(Arc::new((**lab).clone())).map_err(|e| e.to_string())?;
    s.completed.extend(completed);
    Ok(s)
}

/// The console for one lab.
#[function_component(LabConsole)]
pub fn lab_console(props: &ConsoleProps) -> Html {
    let lab = props.lab.clone();
    let book = props.book.to_string();
    let session = {
        let (lab, book) = (lab.clone(), book.clone());
        use_mut_ref(move || new_session(&lab, store::load(&book, &lab.id)))
    };
    let update = use_force_update();
    let status = use_state(String::new);
    let errors = use_state(Errors::default);
    let progress = use_state(|| None::<f64>);
    let running = use_mut_ref(|| Running {
        run: None,
        cancel: false,
    });
    let statuses = {
        let session = session.clone();
        use_state(move || match &mut *session.borrow_mut() {
            Ok(s) => Rc::new(s.evaluate()),
            Err(_) => Rc::new(Vec::new()),
        })
    };

    // State setters run only after the session is released: a render borrows it.
    let publish: Rc<dyn Fn(Settled)> = {
        let (statuses, status) = (statuses.clone(), status.clone());
        Rc::new(move |(now, message): Settled| {
            statuses.set(now);
            status.set(message);
        })
    };

    let on_step: OnStep = {
        let (session, errors, progress, running, update, publish, book) = (
            session.clone(),
            errors.clone(),
            progress.clone(),
            running.clone(),
            update.clone(),
            publish.clone(),
            book.clone(),
        );
        Callback::from(move |(form, step): (&'static str, Step)| {
            let mut map = (**errors).clone();
            map.remove(form);
            if matches!(step, Step::LoadTest { .. }) {
                let started = match &mut *session.borrow_mut() {
                    Ok(s) => s.start_load(&step),
                    Err(_) => return,
                };
                // (the borrow ends here, before any state is set)
                match started {
                    Ok(run) => {
                        *running.borrow_mut() = Running {
                            run: Some(run),
                            cancel: false,
                        };
                        progress.set(Some(0.0));
                        errors.set(Rc::new(map));
                        run_chunks(
                            session.clone(),
                            running.clone(),
                            progress.clone(),
                            update.clone(),
                            publish.clone(),
                            book.clone(),
                        );
                    }
                    Err(e) => {
                        map.insert(form, e.to_string());
                        errors.set(Rc::new(map));
                    }
                }
                return;
            }
            let settled = match &mut *session.borrow_mut() {
                Ok(s) => {
                    let r = s.apply(&step);
                    if let Some(e) = &r.error {
                        if form != "invoke" {
                            map.insert(form, format!("{}: {}", e.code, e.message));
                        }
                    }
                    settle(s, &book, r.message)
                }
                Err(_) => return,
            };
            errors.set(Rc::new(map));
            publish(settled);
            update.force_update();
        })
    };

    let on_cancel = {
        let running = running.clone();
        Callback::from(move |_| running.borrow_mut().cancel = true)
    };
    let on_reset = {
        let (session, lab, book, publish, errors, update) = (
            session.clone(),
            lab.clone(),
            book.clone(),
            publish.clone(),
            errors.clone(),
            update.clone(),
        );
        Callback::from(move |_| {
            let mut fresh = new_session(&lab, Vec::new());
            let message = "Lab reset: a fresh world, no objectives completed.";
            let settled = match &mut fresh {
                Ok(s) => Some(settle(s, &book, message.into())),
                Err(_) => None,
            };
            *session.borrow_mut() = fresh;
            store::clear(&book, &lab.id);
            if let Some(settled) = settled {
                publish(settled);
            }
            errors.set(Errors::default());
            update.force_update();
        })
    };

    // "Run": the clock advances on its own at the chosen speed (simulated seconds per second)
    // until "Pause", or until a load test takes over.
    let speed = use_state(|| 10u32);
    let playing = use_state(|| false);
    {
        let on_step = on_step.clone();
        let (seconds, on) = (
            f64::from(*speed) * TICK_MS / 1000.0,
            *playing && progress.is_none(),
        );
        use_effect_with((on, *speed), move |_| {
            let ticker = on.then(|| {
                Ticker::start(TICK_MS, move || {
                    on_step.emit(("time", Step::Advance { seconds }));
                })
            });
            move || drop(ticker)
        });
    }
    let on_play = {
        let playing = playing.clone();
        Callback::from(move |_: MouseEvent| playing.set(!*playing))
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Ok(v) = value.parse() {
                speed.set(v);
            }
        })
    };

    let guard = session.borrow();
    let s = match &*guard {
        Ok(s) => s,
        Err(e) => {
            return html! { <p class="course-load-error" role="alert">{ format!("This lab could not start: {e}") }</p> }
        }
    };
    let busy = progress.is_some();
    let view = Rc::new(s.sim.view());
    let function = view
        .functions
        .iter()
        .find(|f| f.config.name == lab.function)
        .cloned();
    let records = Rc::new(if busy {
        Vec::new()
    } else {
        s.sim.records().items.iter().cloned().collect::<Vec<_>>()
    });
    // The newest 200 lines, formatted alone (the log window holds thousands).
    let logs = Rc::new(if busy {
        Vec::new()
    } else {
        s.sim.log_tail(200)
    });
    let (buckets, width) = s
        .sim
        .metrics(&lab.function)
        .map(|m| (m.buckets.iter().cloned().collect::<Vec<_>>(), m.width_us))
        .unwrap_or_default();
    let queue_messages: Rc<Vec<(String, Vec<lab_runtime::sqs::Message>)>> = Rc::new(
        lab.queues
            .iter()
            .map(|q| (q.clone(), s.sim.queue_messages(q)))
            .collect(),
    );
    let step = |form: &'static str, st: Step| {
        let on_step = on_step.clone();
        Callback::from(move |_: MouseEvent| on_step.emit((form, st.clone())))
    };
    let time = lab.allows(Control::Time);
    html! {
        <section class="lab" aria-labelledby={format!("lab-{}-title", lab.id)} id={format!("lab-{}", lab.id)}>
            <h3 id={format!("lab-{}-title", lab.id)} class="lab-title">{ format!("Lab: {}", lab.title) }</h3>
            <div class="lab-brief">{ Html::from_html_unchecked(lab.brief.clone().into()) }</div>
            <Objectives lab={lab.clone()} statuses={(*statuses).clone()} on_reset={on_reset} />
            <p class="lab-status" role="status" aria-live="polite">{ (*status).clone() }</p>
            <div class="lab-clock">
                <span class="lab-now">{ format!("Virtual time {}", ui::clock(view.now_us)) }</span>
                if time {
                    <span class="lab-time-controls" role="group" aria-label="Time controls">
                        <button type="button" class="lab-advance-1s" disabled={busy} onclick={step("time", Step::Advance { seconds: 1.0 })}>{ "+1 s" }</button>
                        <button type="button" class="lab-advance-1m" disabled={busy} onclick={step("time", Step::Advance { seconds: 60.0 })}>{ "+1 min" }</button>
                        <button type="button" class="lab-advance-10m" disabled={busy} onclick={step("time", Step::Advance { seconds: 600.0 })}>{ "+10 min" }</button>
                        <button type="button" class="lab-advance-next" disabled={busy} onclick={step("time", Step::AdvanceToNextEvent)}>{ "To next event" }</button>
                        <button type="button" class="lab-play" disabled={busy} aria-pressed={(*playing).to_string()} onclick={on_play}>
                            { if *playing { "Pause" } else { "Run" } }
                        </button>
                        <label class="lab-speed-label" for={format!("lab-{}-speed", lab.id)}>{ "Speed" }</label>
                        <select class="lab-speed" id={format!("lab-{}-speed", lab.id)} onchange={on_speed}>
                            { for SPEEDS.iter().map(|&(v, label)| html! {
                                <option value={v.to_string()} selected={*speed == v}>{ label }</option>
                            }) }
                        </select>
                    </span>
                }
            </div>
            if let Some(p) = *progress {
                <div class="lab-progress">
                    <label for={format!("lab-{}-progress", lab.id)}>{ "Load test" }</label>
                    <progress id={format!("lab-{}-progress", lab.id)} max="100" value={format!("{:.0}", p * 100.0)}>{ format!("{:.0} %", p * 100.0) }</progress>
                    <button type="button" class="lab-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                </div>
            }
            <div class="lab-panels">
                <InvokePanel lab={lab.clone()} busy={busy} on_step={on_step.clone()} errors={(*errors).clone()} />
                if let Some(f) = &function {
                    <ConfigPanel lab={lab.clone()} function={f.config.clone()} busy={busy} on_step={on_step.clone()} errors={(*errors).clone()} />
                    if lab.allows(Control::Code) {
                        <CodePanel lab={lab.clone()} handler={f.config.handler.clone()} busy={busy} on_step={on_step.clone()} />
                    }
                }
            </div>
            if busy {
                <p class="lab-views-paused">{ "The views update when the load test ends (or is cancelled)." }</p>
            } else {
                <div class="lab-views">
                    <Timeline records={records.clone()} function={function.clone()} now={view.now_us} keep_alive={lab.account.settings.keep_alive_us} />
                    <LogView lines={logs} />
                    <MetricCharts buckets={Rc::new(buckets)} width={width} records={records} />
                    <QueueView view={view.clone()} messages={queue_messages} />
                    <Bill view={view.clone()} />
                </div>
            }
        </section>
    }
}

/// Runs the load test in chunks of at most [`CHUNK_MS`], yielding to the browser in between.
fn run_chunks(
    session: Rc<RefCell<Result<LabSession, String>>>,
    running: Rc<RefCell<Running>>,
    progress: UseStateHandle<Option<f64>>,
    update: UseForceUpdateHandle,
    publish: Rc<dyn Fn(Settled)>,
    book: String,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut last_render = ui::now_ms();
        loop {
            ui::yield_to_browser().await;
            let started = ui::now_ms();
            let outcome = {
                let mut guard = session.borrow_mut();
                let Ok(s) = &mut *guard else { break };
                let mut r = running.borrow_mut();
                let cancel = r.cancel;
                let Some(run) = r.run.as_mut() else { break };
                let mut done = cancel;
                while !done && ui::now_ms() - started < CHUNK_MS {
                    done = run.step(s, 200).done;
                }
                if done {
                    let result = r.run.take().map(|run| run.finish(s, cancel));
                    Err(result.map(|result| settle(s, &book, load_message(&result))))
                } else {
                    Ok(run.fraction(s.sim.now()))
                }
            };
            match outcome {
                // re-render (a few ms with the views) at most every RENDER_MS
                Ok(fraction) if ui::now_ms() - last_render >= RENDER_MS => {
                    last_render = ui::now_ms();
                    progress.set(Some(fraction));
                    update.force_update();
                }
                Ok(_) => {}
                Err(settled) => {
                    progress.set(None);
                    if let Some(settled) = settled {
                        publish(settled);
                    }
                    update.force_update();
                    break;
                }
            }
        }
    });
}

/// Objective statuses and the announcement after a step.
type Settled = (Rc<Vec<ObjectiveStatus>>, String);

/// Evaluates objectives, saves completion, and says which objectives were just completed.
fn settle(s: &mut LabSession, book: &str, message: String) -> Settled {
    let before = s.completed.clone();
    let now = s.evaluate();
    let mut message = message;
    for o in &s.lab.objectives {
        if s.completed.contains(&o.id) && !before.contains(&o.id) {
            message.push_str(&format!(" Objective completed: {}.", strip_tags(&o.text)));
        }
    }
    if s.all_done() && before.len() < s.lab.objectives.len() {
        message.push_str(" Lab complete!");
    }
    store::save(
        book,
        &s.lab.id,
        s.completed.iter().cloned().collect(),
        s.all_done(),
    );
    (Rc::new(now), message)
}

/// Text of rendered HTML, for announcements.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}
