//! Load tests in chunks: at most [`CHUNK_MS`] of simulation at a time, yielding to the browser in
//! between, so the page keeps answering (the progress bar moves and "Cancel" works).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use course_model::lab::{load_message, LoadRun};
use web_sys::Element;

use super::console::Console;
use super::ui::{self, find};
use super::views::PARTS;
use crate::dom::{button, el, set_text};

/// Longest stretch of work between two yields to the browser, in milliseconds.
const CHUNK_MS: f64 = 15.0;

/// Requests processed between two looks at the clock.
const STEP_EVENTS: u64 = 200;

/// A load test in progress.
pub struct Running {
    run: LoadRun,
    /// "Cancel" was pressed: the run ends at the next chunk.
    pub cancel: bool,
    /// The `.lab-progress` row.
    bar: Element,
    /// Shared with the loop running this test only (a reset may start another).
    token: Rc<()>,
}

impl Running {
    /// Removes the progress row (the test was dropped).
    pub fn stop(&self) {
        self.bar.remove();
    }
}

/// The progress row: label, bar and "Cancel".
fn progress_bar(lab: &str) -> Element {
    let id = format!("lab-{lab}-progress");
    el("div")
        .class("lab-progress")
        .child(el("label").attr("for", &id).text("Load test"))
        .child(
            el("progress")
                .id(&id)
                .attr("max", "100")
                .attr("value", "0")
                .text("0 %"),
        )
        .child(button("lab-cancel", "Cancel"))
        .0
}

impl Console {
    /// Shows the progress bar, pauses "Run" and the views, and runs `run` in chunks.
    pub fn start_load(&mut self, run: LoadRun) {
        let bar = progress_bar(&self.lab.id);
        let _ = self.clock_element().after_with_node_1(&bar);
        let token = Rc::new(());
        self.load = Some(Running {
            run,
            cancel: false,
            bar,
            token: token.clone(),
        });
        self.sync_ticker();
        self.render();
        let me = self.me();
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                ui::yield_to_browser().await;
                let Some(console) = me.upgrade() else { return };
                let Ok(mut c) = console.try_borrow_mut() else {
                    continue;
                };
                let mine = c
                    .load
                    .as_ref()
                    .is_some_and(|r| Rc::ptr_eq(&r.token, &token));
                if !mine {
                    return;
                }
                if c.load_chunk() {
                    break;
                }
            }
            draw_views(&me).await;
        });
    }

    /// Runs one chunk; at the end (or when cancelled) settles the result. Returns whether the
    /// test is over.
    fn load_chunk(&mut self) -> bool {
        let started = ui::now_ms();
        let Some(running) = &mut self.load else {
            return true;
        };
        let mut done = running.cancel;
        while !done && ui::now_ms() - started < CHUNK_MS {
            done = running.run.step(&mut self.session, STEP_EVENTS).done;
        }
        if !done {
            let percent = format!(
                "{:.0}",
                running.run.fraction(self.session.sim.now()) * 100.0
            );
            if let Some(p) = find(&running.bar, "progress") {
                if p.get_attribute("value").as_deref() != Some(percent.as_str()) {
                    let _ = p.set_attribute("value", &percent);
                    set_text(&p, &format!("{percent} %"));
                }
            }
            self.render_clock();
            return false;
        }
        let Some(running) = self.load.take() else {
            return true;
        };
        running.stop();
        let result = running.run.finish(&mut self.session, running.cancel);
        self.pending_status = Some(self.settle(load_message(&result)));
        let view = self.session.sim.view();
        self.render_controls(&view);
        true
    }
}

/// Draws the views after a load test one part per task (each can take tens of milliseconds
/// after thousands of requests), then shows them, announces the outcome and lets "Run" go on. A
/// step taken meanwhile draws them all and announces its own outcome instead; a new load test
/// stops this.
async fn draw_views(me: &Weak<RefCell<Console>>) {
    let mut part = 0;
    while part < PARTS {
        ui::yield_to_browser().await;
        let Some(console) = me.upgrade() else { return };
        let Ok(mut c) = console.try_borrow_mut() else {
            continue;
        };
        if c.load.is_some() {
            return;
        }
        let c = &mut *c;
        let view = c.session.sim.view();
        c.views.update_part(part, &c.lab, &c.session, &view);
        part += 1;
        if part == PARTS {
            c.views.set_busy(false);
            c.announce_pending();
            c.sync_ticker();
        }
    }
}
