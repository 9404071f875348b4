//! Every step runs as a job in slices ([`LabSession::begin`] / [`LabSession::resume`]): a
//! slice stops when its deadline says so, and the browser gets its turn before the next, so no
//! step blocks the page (a burst of 1,000 requests to a handler that loops, a load test, an
//! hour of clock). A step that ends in its first slice shows no progress row.

use std::rc::Rc;

use course_model::lab::{Begun, LabSession, Pending, Step, StepResult};

/// Says whether a slice of work must stop now (the console measures real time).
pub type Deadline = Rc<dyn Fn() -> bool>;

/// A step in progress.
#[derive(Clone)]
pub struct Job {
    /// The form whose inline error shows the outcome.
    form: &'static str,
    pending: Pending,
    /// What the progress row says.
    label: &'static str,
    /// "Cancel" was pressed: the job ends at its next slice.
    cancelled: bool,
    /// Share done, 0–1.
    pub fraction: f64,
    /// Slices run so far.
    slices: u32,
}

/// How a step ended: the status line, and an inline error for a form.
pub struct End {
    /// For the status line.
    pub message: String,
    /// A refused call: the form and its message.
    pub error: Option<(&'static str, String)>,
}

impl End {
    fn of(form: &'static str, r: StepResult) -> End {
        let error = r
            .error
            .filter(|_| form != "invoke")
            .map(|e| (form, format!("{}: {}", e.code, e.message)));
        End {
            message: r.message,
            error,
        }
    }
}

impl Job {
    /// Starts `step`: `Err` when it ended at once.
    pub fn start(s: &mut LabSession, form: &'static str, step: &Step) -> Result<Job, End> {
        let label = match step {
            Step::LoadTest { .. } => "Load test",
            Step::Burst { .. } => "Burst",
            Step::Advance { .. } | Step::AdvanceToNextEvent => "Clock",
            _ => "Invocation",
        };
        match s.begin(step) {
            Begun::Done(r) => Err(End::of(form, r)),
            Begun::Pending(pending) => Ok(Job {
                form,
                pending,
                label,
                cancelled: false,
                fraction: 0.0,
                slices: 0,
            }),
        }
    }

    /// What the progress row is labelled.
    pub fn label(&self) -> &'static str {
        self.label
    }

    /// Whether the panels wait (a load test: its values are read at the end).
    pub fn is_load_test(&self) -> bool {
        self.pending.is_load_test()
    }

    /// Asks the job to stop at its next slice.
    pub fn cancel(&mut self) {
        self.cancelled = true;
    }

    /// Slices run so far.
    pub fn slices(&self) -> u32 {
        self.slices
    }

    /// Runs until `deadline` (or the end); `Some` once the job ended.
    pub fn run(&mut self, s: &mut LabSession, deadline: &Deadline) -> Option<End> {
        self.slices += 1;
        if self.cancelled {
            return Some(End::of(self.form, s.cancel(self.pending.clone())));
        }
        match s.resume(&mut self.pending, &|| deadline()) {
            Some(r) => Some(End::of(self.form, r)),
            None => {
                self.fraction = self.pending.fraction(s);
                None
            }
        }
    }
}
