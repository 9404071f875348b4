//! The lab console: owns the [`LabSession`], builds the console once, turns the learner's clicks
//! and submits into steps, and after each step updates the parts that show the world (status,
//! objectives, clock, configuration, views). Events are delegated to the console's root: each
//! control is known by its class, as the page's tests and styles know it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use course_model::lab::{Control, Lab, LabSession, Step};
use lab_runtime::view::SimView;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

use super::code::CodeEditor;
use super::load::Running;
use super::objectives::Objectives;
use super::settle::{new_session, settle};
use super::time::{self, Ticker, FIRST_SPEED, TICK_MS};
use super::ui::value_of;
use super::views::Views;
use super::{config, invoke, store};
use crate::dom::{el, listen, set_text, toggle_attr, El};

/// Inline errors of the steps, by form id.
pub type Errors = BTreeMap<&'static str, String>;

/// The console of one lab.
pub struct Console {
    /// Itself, for the ticker and the load-test loop.
    me: Weak<RefCell<Console>>,
    /// The lab.
    pub lab: Rc<Lab>,
    book: String,
    /// The lab in progress.
    pub session: LabSession,
    /// `.lab`, the console's section.
    root: Element,
    objectives: Objectives,
    status: Element,
    clock: Element,
    panels: Element,
    invoke: Element,
    config: Option<Element>,
    code: Option<CodeEditor>,
    /// The views.
    pub views: Views,
    /// Step errors by form.
    errors: Errors,
    /// The invoke panel's own error (its values).
    local_invoke: Option<String>,
    /// The configuration panel's own error (a form's values).
    local_config: Option<(&'static str, String)>,
    /// The load test running, if any.
    pub load: Option<Running>,
    /// The outcome of the load test that just ended, announced once its views are drawn.
    pub pending_status: Option<String>,
    playing: bool,
    speed: u32,
    ticker: Option<Ticker>,
}

/// Mounts the console of `lab` in `host` (saved completion is read for `book`).
pub fn mount(host: &Element, book: String, lab: Lab) {
    let app_root = el("div").class("course-app lab-console");
    let completed = store::load(&book, &lab.id);
    let session = match new_session(&lab, completed) {
        Ok(s) => s,
        Err(e) => {
            let p = el("p")
                .class("course-load-error")
                .attr("role", "alert")
                .text(&format!("This lab could not start: {e}"));
            let _ = host.append_child(&app_root.child(p).0);
            return;
        }
    };
    let lab = Rc::new(lab);
    let id = |s: &str| format!("lab-{}{s}", lab.id);
    let (objectives, objectives_el) = Objectives::build(&lab);
    let function = session.function(&lab.function);
    let invoke = invoke::build(&lab);
    let config = function.as_ref().map(|f| config::build(&lab, &f.config));
    let code = function
        .as_ref()
        .filter(|_| lab.allows(Control::Code))
        .map(|f| CodeEditor::build(&lab, &f.config.handler));
    let status = el("p")
        .class("lab-status")
        .attr("role", "status")
        .attr("aria-live", "polite");
    let clock = time::build(&lab.id, lab.allows(Control::Time));
    let (views, views_el) = Views::build();
    let panels = el("div").class("lab-panels");
    let console = Rc::new_cyclic(|me| {
        RefCell::new(Console {
            me: me.clone(),
            book,
            session,
            root: el("section").0,
            objectives,
            status: status.0.clone(),
            clock: clock.0.clone(),
            panels: panels.0.clone(),
            invoke: invoke.0.clone(),
            config: config.as_ref().map(|c| c.0.clone()),
            code: None,
            views,
            errors: Errors::new(),
            local_invoke: None,
            local_config: None,
            load: None,
            pending_status: None,
            playing: false,
            speed: FIRST_SPEED,
            ticker: None,
            lab: lab.clone(),
        })
    });
    let panels = panels
        .child(invoke)
        .maybe(config)
        .maybe(code.as_ref().map(|(_, e)| El(e.0.clone())));
    let mut c = console.borrow_mut();
    c.code = code.map(|(editor, _)| editor);
    let section = El(c.root.clone())
        .class("lab")
        .attr("aria-labelledby", &id("-title"))
        .id(&id(""))
        .child(
            el("h3")
                .id(&id("-title"))
                .class("lab-title")
                .text(&format!("Lab: {}", lab.title)),
        )
        .child(el("div").class("lab-brief").html(&lab.brief))
        .child(objectives_el)
        .child(status)
        .child(clock)
        .child(panels)
        .child(views_el);
    let app_root = app_root.child(section);
    let _ = host.append_child(&app_root.0);
    let statuses = c.session.evaluate();
    c.objectives.update(&lab, &statuses);
    c.render();
    drop(c);
    listen(&app_root.0, "click", &console, Console::on_click);
    listen(&app_root.0, "submit", &console, Console::on_submit);
    listen(&app_root.0, "input", &console, Console::on_input);
    listen(&app_root.0, "change", &console, Console::on_change);
}

/// The element an event came from, and its class.
fn source(e: &Event, selector: &str) -> Option<(Element, String)> {
    let target: Element = e.target()?.dyn_into().ok()?;
    let source = target.closest(selector).ok()??;
    let class = source.get_attribute("class").unwrap_or_default();
    Some((source, class))
}

impl Console {
    fn on_click(&mut self, e: &Event) {
        let Some((button, class)) = source(e, "button") else {
            return;
        };
        match class.as_str() {
            "lab-cancel" => {
                if let Some(run) = &mut self.load {
                    run.cancel = true;
                }
            }
            "lab-show-hint" => self.objectives.show_hint(&self.lab),
            "lab-reset" => self.reset(),
            "lab-play" => {
                self.playing = !self.playing;
                self.sync_ticker();
                self.render_clock();
            }
            "lab-deploy" => {
                if let Some(step) = self.code.as_mut().and_then(|c| c.deploy(&self.lab)) {
                    self.apply("code", step);
                }
            }
            _ if self.load.is_some() => {}
            _ => {
                if let Some(step) = time::step(&class) {
                    self.apply("time", step);
                } else if self.invoke.contains(Some(&button)) {
                    self.invoke_click(&class);
                }
            }
        }
    }

    /// A click in the invoke panel.
    fn invoke_click(&mut self, class: &str) {
        match invoke::step(&self.lab, &self.invoke, class) {
            Some(Ok((form, step))) => {
                self.local_invoke = None;
                self.apply(form, step);
            }
            Some(Err(message)) => {
                self.local_invoke = Some(message);
                self.show_errors();
            }
            None => {}
        }
    }

    fn on_submit(&mut self, e: &Event) {
        e.prevent_default();
        let (Some((_, class)), Some(panel)) = (source(e, "form"), self.config.clone()) else {
            return;
        };
        if self.load.is_some() {
            return;
        }
        let Some(form) = class.split(' ').find_map(|c| c.strip_prefix("lab-form-")) else {
            return;
        };
        match config::step(&self.lab, &panel, form) {
            Some((form, Ok(step))) => {
                self.local_config = None;
                self.apply(form, step);
            }
            Some((form, Err(message))) => {
                self.local_config = Some((form, message));
                self.show_errors();
            }
            None => {}
        }
    }

    fn on_input(&mut self, e: &Event) {
        let Some((_, class)) = source(e, "input, textarea") else {
            return;
        };
        if class.contains("lab-script") {
            if let Some(code) = &mut self.code {
                code.refresh();
            }
        } else if class == "lab-log-filter" {
            self.views.logs.draw();
        }
    }

    fn on_change(&mut self, e: &Event) {
        let Some((control, class)) = source(e, "input, select") else {
            return;
        };
        match class.as_str() {
            "lab-log-errors" => self.views.logs.draw(),
            "lab-speed" => {
                if let Ok(speed) = value_of(&control).parse() {
                    self.speed = speed;
                    self.sync_ticker();
                }
            }
            _ => {}
        }
    }

    /// Applies a step sent by `form` (whose inline error shows the outcome), then shows the
    /// world. A load test starts here and runs in chunks ([`super::load`]).
    pub fn apply(&mut self, form: &'static str, step: Step) {
        self.errors.remove(form);
        if matches!(step, Step::LoadTest { .. }) {
            match self.session.start_load(&step) {
                Ok(run) => self.start_load(run),
                Err(e) => {
                    self.errors.insert(form, e.to_string());
                    self.show_errors();
                }
            }
            return;
        }
        let r = self.session.apply(&step);
        if let Some(e) = &r.error {
            if form != "invoke" {
                self.errors
                    .insert(form, format!("{}: {}", e.code, e.message));
            }
        }
        let message = self.settle(r.message);
        self.pending_status = None;
        set_text(&self.status, &message);
        self.render();
    }

    /// Evaluates objectives, saves completion and returns `message` with what was completed,
    /// to announce.
    pub fn settle(&mut self, message: String) -> String {
        let (statuses, message) = settle(&mut self.session, &self.book, message);
        self.objectives.update(&self.lab, &statuses);
        message
    }

    /// Announces the outcome of a load test waiting for its views (see [`super::load`]).
    pub fn announce_pending(&mut self) {
        if let Some(message) = self.pending_status.take() {
            set_text(&self.status, &message);
        }
    }

    /// "Reset lab": a fresh world, no objectives completed (a load test running is dropped).
    fn reset(&mut self) {
        let Ok(mut fresh) = new_session(&self.lab, Vec::new()) else {
            return;
        };
        let message = "Lab reset: a fresh world, no objectives completed.";
        let (statuses, message) = settle(&mut fresh, &self.book, message.into());
        self.session = fresh;
        store::clear(&self.book, &self.lab.id);
        self.objectives.update(&self.lab, &statuses);
        set_text(&self.status, &message);
        self.pending_status = None;
        self.errors.clear();
        if let Some(run) = self.load.take() {
            run.stop();
            self.sync_ticker();
        }
        self.render();
    }

    /// Starts or stops "Run": it ticks while playing and no load test runs.
    pub fn sync_ticker(&mut self) {
        let wanted = self.playing && self.load.is_none();
        if !wanted {
            self.ticker = None;
            return;
        }
        if self.ticker.as_ref().is_some_and(|t| t.speed == self.speed) {
            return;
        }
        let seconds = f64::from(self.speed) * TICK_MS / 1000.0;
        let me = self.me.clone();
        self.ticker = None;
        self.ticker = Ticker::start(self.speed, move || {
            if let Some(console) = me.upgrade() {
                if let Ok(mut c) = console.try_borrow_mut() {
                    c.apply("time", Step::Advance { seconds });
                }
            }
        });
    }

    /// The clock and the time buttons.
    pub fn render_clock(&self) {
        let busy = self.load.is_some();
        time::update(&self.clock, self.session.sim.now(), busy, self.playing);
    }

    /// Shows the inline errors of the panels.
    fn show_errors(&self) {
        invoke::show(
            &self.lab,
            &self.invoke,
            self.local_invoke.as_deref(),
            &self.errors,
        );
        if let Some(panel) = &self.config {
            config::show(&self.lab, panel, self.local_config.as_ref(), &self.errors);
        }
    }

    /// Shows the world after a step: the controls, and (unless a load test runs) the views
    /// that changed.
    pub fn render(&mut self) {
        let view = self.session.sim.view();
        self.render_controls(&view);
        if self.load.is_none() {
            self.views.update(&self.lab, &self.session, &view);
            self.views.set_busy(false);
        }
    }

    /// Shows the clock, the panels' state and errors; while a load test runs, the note
    /// instead of the views.
    pub fn render_controls(&mut self, view: &SimView) {
        let busy = self.load.is_some();
        self.render_clock();
        if let Ok(fieldsets) = self.panels.query_selector_all(":scope > fieldset") {
            for i in 0..fieldsets.length() {
                if let Some(f) = fieldsets.get(i).and_then(|f| f.dyn_into::<Element>().ok()) {
                    toggle_attr(&f, "disabled", busy);
                }
            }
        }
        if let Some(f) = view
            .functions
            .iter()
            .find(|f| f.config.name == self.lab.function)
        {
            if let Some(panel) = &self.config {
                config::update(panel, &f.config);
            }
            if let Some(code) = &mut self.code {
                code.set_deployed(&f.config.handler);
            }
        }
        self.show_errors();
        if busy {
            self.views.set_busy(true);
        }
    }

    /// Where the progress bar goes: after the clock.
    pub fn clock_element(&self) -> &Element {
        &self.clock
    }

    /// Itself, for the load-test loop.
    pub fn me(&self) -> Weak<RefCell<Console>> {
        self.me.clone()
    }
}
