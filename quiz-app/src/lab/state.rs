//! The console's state and the actions that change it: a pure reducer (no web APIs), as in Yew's
//! `function_todomvc`. The simulated world is one [`LabSession`] that the states share
//! ([`World`]): a step changes it in place and bumps [`State::version`], so Yew re-renders.
//! Long work (a load test, a burst, a clock advance) is a [`Job`] run in slices
//! ([`Action::Slice`]), each ending when its deadline says so.

use std::cell::RefCell;

use litemap::LiteMap;
use std::rc::Rc;

use course_model::lab::{Lab, LabSession, ObjectiveStatus, Step};
use yew::Reducible;

use super::job::{Deadline, End, Job};
use super::settle::{new_session, settle};
use super::time::FIRST_SPEED;

/// The simulated world, shared by the states (it is too large to copy on each step).
pub type World = Rc<RefCell<LabSession>>;

/// What the console must write to storage after a change (done by an effect).
#[derive(Debug, Clone, PartialEq)]
pub enum Persist {
    /// Nothing changed yet.
    Nothing,
    /// Save these completed objectives (and whether all are).
    Save(Vec<String>, bool),
    /// Forget the lab's completion ("Reset lab").
    Clear,
}

/// The console's state.
#[derive(Clone)]
pub struct State {
    /// The lab.
    pub lab: Rc<Lab>,
    /// The world.
    pub world: World,
    /// Counts changes of the world (renders compare it).
    pub version: u64,
    /// Where each objective stands.
    pub statuses: Rc<Vec<ObjectiveStatus>>,
    /// Objectives completed in an earlier visit and not achieved again in this world.
    pub earlier: Rc<Vec<String>>,
    /// The status line (announced).
    pub status: String,
    /// A notice above the console (the world restarted, saved progress unreadable).
    pub notice: Option<String>,
    /// Inline errors of the last step, by form.
    pub errors: Rc<LiteMap<&'static str, String>>,
    /// Long work in progress.
    pub job: Option<Job>,
    /// "Run" is on.
    pub playing: bool,
    /// Simulated seconds per real second while "Run" is on.
    pub speed: u32,
    /// Hints shown.
    pub hints: usize,
    /// "Reset lab" asks for confirmation.
    pub confirm_reset: bool,
    /// The syntax error of the last deploy: line, message.
    pub problem: Option<(usize, String)>,
    /// What to write to storage, and a counter that changes with each write asked.
    pub persist: (u64, Persist),
    /// Views shown (of [`VIEW_PARTS`]): after a step that took several slices they come back
    /// one per task, as each can take tens of milliseconds after thousands of requests.
    pub reveal: u8,
}

/// The views, in the order they come back: timeline, logs, the seven metric charts one by
/// one, queues, bill (the charts took 55 ms together after a burst of 1,000).
pub const VIEW_PARTS: u8 = 11;

/// What the learner (or the clock) does.
pub enum Action {
    /// A step sent by a form (whose inline error shows the outcome); its first slice runs until
    /// the deadline.
    Step(&'static str, Step, Deadline),
    /// A form's values are not valid: its message.
    Invalid(&'static str, String),
    /// "Deploy" the script typed (checked here first).
    Deploy(String, Deadline),
    /// Runs a slice of the job until the deadline.
    Slice(Deadline),
    /// "Cancel" the job.
    Cancel,
    /// One tick of "Run".
    Tick(Deadline),
    /// "Run" / "Pause".
    TogglePlay,
    /// A new speed for "Run".
    Speed(u32),
    /// One more view comes back after a long step.
    Reveal,
    /// One more hint.
    ShowHint,
    /// "Reset lab" (asks first), "Yes, reset" and "No, keep".
    AskReset,
    /// Reset confirmed.
    Reset,
    /// Reset not confirmed.
    KeepLab,
}

impl State {
    /// The starting state: a fresh world with the objectives `completed` in an earlier visit
    /// (`notice` says why they may be missing).
    pub fn new(
        lab: Rc<Lab>,
        completed: Vec<String>,
        notice: Option<String>,
    ) -> Result<State, String> {
        let earlier = completed.clone();
        let mut session = new_session(&lab, completed)?;
        let statuses = session.evaluate();
        let notice = notice.or_else(|| {
            (!earlier.is_empty()).then(|| {
                "The simulation restarted when the page loaded: its world is new (no environments, \
                 logs or metrics yet). Objectives you completed earlier stay completed, marked \
                 \"completed earlier\"."
                    .to_owned()
            })
        });
        Ok(State {
            lab,
            world: Rc::new(RefCell::new(session)),
            version: 0,
            statuses: Rc::new(statuses),
            earlier: Rc::new(earlier),
            status: String::new(),
            notice,
            errors: Rc::default(),
            job: None,
            playing: false,
            speed: FIRST_SPEED,
            hints: 0,
            confirm_reset: false,
            problem: None,
            persist: (0, Persist::Nothing),
            reveal: VIEW_PARTS,
        })
    }

    /// Whether long work runs (the panels are disabled, the views wait).
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// After the world changed: objectives evaluated, the status line set (with what was just
    /// completed), completion to be saved.
    fn settled(&mut self, message: String) {
        let mut s = self.world.borrow_mut();
        let (statuses, message) = settle(&mut s, message);
        let mut earlier = (*self.earlier).clone();
        earlier.retain(|id| {
            s.lab
                .objectives
                .iter()
                .find(|o| o.id == *id)
                .is_some_and(|o| !o.evaluate(&s.sim, &s.trace).done)
        });
        self.persist = (
            self.persist.0 + 1,
            Persist::Save(s.completed.clone(), s.all_done()),
        );
        drop(s);
        self.earlier = Rc::new(earlier);
        self.statuses = Rc::new(statuses);
        self.status = message;
        self.version += 1;
    }

    fn error(&mut self, form: &'static str, message: String) {
        let mut errors = LiteMap::new();
        errors.insert(form, message);
        self.errors = Rc::new(errors);
    }

    /// Starts a step and runs its first slice (most steps end there).
    fn step(&mut self, form: &'static str, step: Step, deadline: &Deadline) {
        if self.busy() {
            return;
        }
        // Inline errors show the outcome of the latest step only.
        self.errors = Rc::default();
        let world = self.world.clone();
        let started = Job::start(&mut world.borrow_mut(), form, &step);
        match started {
            Ok(job) => {
                self.job = Some(job);
                self.slice(deadline);
            }
            Err(end) => self.ended(end),
        }
    }

    fn ended(&mut self, end: End) {
        if let Some((form, e)) = end.error {
            self.error(form, e);
        }
        self.settled(end.message);
    }

    /// Runs the job until `deadline`; settles it when it ends.
    fn slice(&mut self, deadline: &Deadline) {
        let Some(mut job) = self.job.take() else {
            return;
        };
        let world = self.world.clone();
        let ended = job.run(&mut world.borrow_mut(), deadline);
        match ended {
            None => {
                self.job = Some(job);
                self.version += 1;
            }
            Some(end) => {
                if job.slices() > 1 {
                    self.reveal = 0;
                }
                self.ended(end);
            }
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Step(form, step, deadline) => s.step(form, step, &deadline),
            Action::Invalid(form, message) => s.error(form, message),
            Action::Deploy(source, deadline) => match course_model::lab::check_script(&source) {
                Ok(()) => {
                    s.problem = None;
                    let function = s.lab.function.clone();
                    s.step(
                        "code",
                        Step::Deploy {
                            function,
                            script: source,
                        },
                        &deadline,
                    );
                }
                Err(p) => {
                    // The engine's message ends with the place too: say it once.
                    let place = format!(" (line {}, column {})", p.line, p.col);
                    let message = p.message.replace(&place, "");
                    s.problem = Some((
                        p.line,
                        format!("Line {}, column {}: {message}", p.line, p.col),
                    ));
                }
            },
            Action::Slice(deadline) => s.slice(&deadline),
            Action::Cancel => {
                if let Some(job) = &mut s.job {
                    job.cancel();
                }
            }
            Action::Tick(deadline) => {
                if s.playing && !s.busy() {
                    let seconds = f64::from(s.speed) * super::time::TICK_MS / 1000.0;
                    s.step("time", Step::Advance { seconds }, &deadline);
                }
            }
            Action::TogglePlay => s.playing = !s.playing,
            Action::Speed(speed) => s.speed = speed,
            Action::Reveal => s.reveal = (s.reveal + 1).min(VIEW_PARTS),
            Action::ShowHint => s.hints = (s.hints + 1).min(s.lab.hints.len()),
            Action::AskReset => s.confirm_reset = true,
            Action::KeepLab => s.confirm_reset = false,
            Action::Reset => {
                let lab = s.lab.clone();
                if let Ok(fresh) = State::new(lab, Vec::new(), None) {
                    let persist = (s.persist.0 + 1, Persist::Clear);
                    s = State {
                        status: "Lab reset: a fresh world, no objectives completed.".to_owned(),
                        playing: s.playing,
                        speed: s.speed,
                        version: s.version + 1,
                        persist,
                        ..fresh
                    };
                }
            }
        }
        Rc::new(s)
    }
}
