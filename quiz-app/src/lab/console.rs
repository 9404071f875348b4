//! The lab console: the [`State`] reducer, the effects that reach the browser (saving completion,
//! the "Run" clock, slices of long work, keys kept from mdBook), and the layout of its parts.

use std::rc::Rc;

use course_model::lab::{Control, Lab};
use gloo_events::EventListener;
use gloo_timers::callback::{Interval, Timeout};
use yew::prelude::*;

use super::clock::Clock;
use super::code::CodePanel;
use super::config::ConfigPanel;
use super::invoke::InvokePanel;
use super::job::Deadline;
use super::objectives::Objectives;
use super::progress::Progress;
use super::state::{Action, Persist, State, VIEW_PARTS};
use super::time::TICK_MS;
use super::ui::OnStep;
use super::views::Views;
use crate::lab_progress::{self, LabSaved};

/// Longest stretch of work between two yields to the browser, in milliseconds.
const SLICE_MS: f64 = 10.0;

/// What the placeholder gives the console.
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The book (progress namespace).
    pub book: AttrValue,
    /// The lab.
    pub lab: Rc<Lab>,
    /// Prefix of every id the console creates, unique in the page (lab id and placement).
    pub uid: AttrValue,
    /// Objectives completed in an earlier visit.
    pub completed: Rc<Vec<String>>,
    /// Why saved progress could not be read, if it could not.
    pub notice: Option<AttrValue>,
}

/// A deadline [`SLICE_MS`] from now. It is asked after each event, and says stop as soon as one
/// more event as long as the longest one so far would pass it (one handler running to its
/// operation limit takes milliseconds), so a slice ends near its budget instead of past it.
fn deadline() -> Deadline {
    let start = js_sys::Date::now();
    let last = std::cell::Cell::new(start);
    let longest = std::cell::Cell::new(0.0f64);
    Rc::new(move || {
        let now = js_sys::Date::now();
        longest.set(longest.get().max(now - last.get()));
        last.set(now);
        now - start + longest.get() >= SLICE_MS
    })
}

/// The console of one lab.
#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let started = {
        let (lab, completed) = (props.lab.clone(), props.completed.clone());
        let notice = props.notice.as_ref().map(ToString::to_string);
        use_memo((), move |_| State::new(lab, (*completed).clone(), notice))
    };
    match &*started {
        Ok(first) => {
            html! { <Running first={Rc::new(first.clone())} book={props.book.clone()} uid={props.uid.clone()} /> }
        }
        Err(e) => html! {
            <p class="course-load-error" role="alert">{ format!("This lab could not start: {e}") }</p>
        },
    }
}

#[derive(Properties)]
struct RunningProps {
    first: Rc<State>,
    book: AttrValue,
    uid: AttrValue,
}

impl PartialEq for RunningProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.first, &other.first) && self.book == other.book && self.uid == other.uid
    }
}

/// Queues the learner records of what was completed since the last save (when records are on).
#[cfg(feature = "xapi")]
fn records(
    lab: &course_model::lab::Lab,
    before: Option<LabSaved>,
    completed: &[String],
    done: bool,
) {
    let before = before.unwrap_or(LabSaved {
        completed: Vec::new(),
        done: false,
    });
    let new: Vec<&String> = completed
        .iter()
        .filter(|id| !before.completed.contains(id))
        .collect();
    let finished = done && !before.done;
    if new.is_empty() && !finished {
        return;
    }
    crate::xapi::sender::record(|base, book| {
        use crate::xapi::statement::{lab_completed, objective_completed};
        let mut out: Vec<_> = new
            .iter()
            .map(|id| objective_completed(base, book, &lab.id, id, id))
            .collect();
        if finished {
            out.push(lab_completed(base, book, &lab.id, &lab.title));
        }
        out
    });
}

/// Saves completion whenever the state asks for it.
#[hook]
fn use_persist(state: &UseReducerHandle<State>, book: &AttrValue) {
    let (book, lab) = (book.to_string(), state.lab.id.clone());
    let (persist, model) = (state.persist.clone(), state.lab.clone());
    use_effect_with(persist.0, move |_| match persist.1 {
        Persist::Nothing => {}
        Persist::Save(completed, done) => {
            #[cfg(feature = "xapi")]
            records(&model, lab_progress::load(&book, &lab), &completed, done);
            #[cfg(not(feature = "xapi"))]
            let _ = &model;
            lab_progress::save(&book, &lab, &LabSaved { completed, done })
        }
        Persist::Clear => lab_progress::clear(&book, &lab),
    });
}

/// Ticks "Run" while it is on and no job runs.
#[hook]
fn use_ticker(state: &UseReducerHandle<State>) {
    let on = state.playing && !state.busy();
    let dispatch = state.dispatcher();
    use_effect_with((on, state.speed), move |_| {
        let ticker = on.then(|| {
            Interval::new(TICK_MS as u32, move || {
                dispatch.dispatch(Action::Tick(deadline()))
            })
        });
        move || drop(ticker)
    });
}

/// Runs the job's next slice in a task of its own, after the browser had its turn.
#[hook]
fn use_slices(state: &UseReducerHandle<State>) {
    let busy = state.busy();
    let dispatch = state.dispatcher();
    use_effect_with(state.version, move |_| {
        let timeout =
            busy.then(|| Timeout::new(0, move || dispatch.dispatch(Action::Slice(deadline()))));
        move || drop(timeout)
    });
}

/// Brings the views back one per task after a long step.
#[hook]
fn use_reveal(state: &UseReducerHandle<State>) {
    let more = !state.busy() && state.reveal < VIEW_PARTS;
    let dispatch = state.dispatcher();
    use_effect_with((state.reveal, more), move |_| {
        let timeout = more.then(|| Timeout::new(0, move || dispatch.dispatch(Action::Reveal)));
        move || drop(timeout)
    });
}

/// Keeps keys pressed in the console from mdBook's shortcuts (it listens on `document`: ← and
/// → change page, `s` opens search), so the lab is not lost.
#[hook]
fn use_own_keys(root: &NodeRef) {
    let root = root.clone();
    use_effect_with((), move |_| {
        let listener = root
            .cast::<web_sys::Element>()
            .map(|el| EventListener::new(&el, "keydown", |e| e.stop_propagation()));
        move || drop(listener)
    });
}

#[function_component(Running)]
fn running(props: &RunningProps) -> Html {
    let state = {
        let first = props.first.clone();
        use_reducer(move || (*first).clone())
    };
    let root = use_node_ref();
    use_persist(&state, &props.book);
    use_ticker(&state);
    use_slices(&state);
    use_reveal(&state);
    use_own_keys(&root);
    let lab = state.lab.clone();
    let uid = props.uid.clone();
    let id = |s: &str| format!("{uid}{s}");
    let on_step: OnStep = {
        let dispatch = state.dispatcher();
        Callback::from(move |(form, step)| dispatch.dispatch(Action::Step(form, step, deadline())))
    };
    let on_invalid = {
        let dispatch = state.dispatcher();
        Callback::from(move |(form, message)| dispatch.dispatch(Action::Invalid(form, message)))
    };
    let send = |action: fn() -> Action| {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(action()))
    };
    let busy = state.busy();
    // A load test reads its values at the end: the panels wait. Other steps refuse new steps
    // while they run, and the focus stays where it was.
    let panels_wait = state.job.as_ref().is_some_and(|j| j.is_load_test());
    let session = state.world.borrow();
    let config = session.sim.function_config(&lab.function).cloned();
    let versions = AttrValue::from(session.sim.versions_line(&lab.function));
    let attached = Rc::new(
        config
            .as_ref()
            .and_then(|c| session.sim.role_managed_policies(&c.role))
            .map(<[String]>::to_vec)
            .unwrap_or_default(),
    );
    let now = session.sim.now();
    drop(session);
    html! {
        <section class="lab" aria-labelledby={id("-title")} id={uid.clone()} ref={root}>
            <h3 id={id("-title")} class="lab-title">{ format!("Lab: {}", lab.title) }</h3>
            <div class="lab-brief">{ Html::from_html_unchecked(lab.brief.clone().into()) }</div>
            if let Some(notice) = &state.notice {
                <p class="lab-notice" role="note">{ notice.clone() }</p>
            }
            <Objectives
                lab={lab.clone()}
                statuses={state.statuses.clone()}
                earlier={state.earlier.clone()}
                hints={state.hints}
                confirm={state.confirm_reset}
                uid={uid.clone()}
                on_hint={send(|| Action::ShowHint)}
                on_reset={send(|| Action::AskReset)}
                on_yes={send(|| Action::Reset)}
                on_no={send(|| Action::KeepLab)}
            />
            <p class="lab-status" role="status" aria-live="polite">{ state.status.clone() }</p>
            <Clock
                now={now}
                controls={lab.allows(Control::Time)}
                busy={busy}
                playing={state.playing}
                speed={state.speed}
                uid={uid.clone()}
                on_step={on_step.clone()}
                on_play={send(|| Action::TogglePlay)}
                on_speed={{
                    let dispatch = state.dispatcher();
                    Callback::from(move |v| dispatch.dispatch(Action::Speed(v)))
                }}
            />
            if let Some(job) = &state.job {
                <Progress label={job.label()} fraction={job.fraction} uid={uid.clone()} on_cancel={send(|| Action::Cancel)} />
            }
            <div class="lab-panels">
                <InvokePanel lab={lab.clone()} uid={uid.clone()} busy={panels_wait} errors={state.errors.clone()} on_step={on_step.clone()} on_invalid={on_invalid.clone()} />
                if let Some(config) = &config {
                    <ConfigPanel lab={lab.clone()} uid={uid.clone()} config={config.clone()} versions={versions.clone()} attached={attached.clone()} busy={panels_wait} errors={state.errors.clone()} on_step={on_step.clone()} on_invalid={on_invalid.clone()} />
                    if lab.allows(Control::Code) {
                        <CodePanel
                            uid={uid.clone()}
                            handler={config.handler.clone()}
                            busy={panels_wait}
                            problem={state.problem.clone()}
                            on_deploy={{
                                let dispatch = state.dispatcher();
                                Callback::from(move |source| dispatch.dispatch(Action::Deploy(source, deadline())))
                            }}
                        />
                    }
                }
            </div>
            if busy {
                <p class="lab-views-paused">{ "The views update when this step ends (or is cancelled)." }</p>
            }
            <Views lab={lab.clone()} world={state.world.clone()} version={state.version} parts={if busy { 0 } else { state.reveal }} hidden={busy} uid={uid.clone()} />
        </section>
    }
}
