//! The quiz player: one [`QuizApp`] per `.course-quiz` placeholder.
//!
//! It keeps the [`Player`] state, re-renders its element tree after each action (a quiz is a
//! few dozen elements), and listens for events once, on its root: every control carries a
//! `data-act` naming its action, so no per-element closures are created or leaked. Focus is kept
//! on the same control across a re-render (controls have stable ids) and moved on purpose after
//! Check (to the feedback) and after navigation (to the question or the results).

mod code;
mod feedback;
mod inputs;
mod question;
mod review;

use std::cell::RefCell;
use std::rc::Rc;

use course_model::{display_order, Answer, Layout, QuestionKind, Quiz};
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, KeyboardEvent};

use crate::dom::{self, button, data_num, el, listen, El};
use crate::state::{Action, Player};
use crate::storage;

/// A mounted quiz.
pub struct QuizApp {
    /// Rebuilt on every render.
    root: Element,
    /// A polite live region outside the rebuilt tree, so screen readers hear each verdict.
    live: Element,
    book: String,
    player: Player,
    seed: u64,
    notice: Option<String>,
    /// Per question (by index into the quiz): hint shown.
    hints: Vec<bool>,
    /// Per question: "choose an answer first" shown.
    nudges: Vec<bool>,
    /// The id to focus after the next render.
    focus: Option<String>,
}

/// Mounts a quiz player in `host`.
pub fn mount(host: &Element, book: String, quiz: Quiz) {
    let quiz = Rc::new(quiz);
    let (saved, mut notice) = storage::load(&book, &quiz.id);
    let seed = storage::seed(&book);
    let (player, changed) = Player::new(quiz.clone(), seed, saved);
    if changed > 0 && notice.is_none() {
        notice = Some(format!(
            "{changed} question(s) changed since you answered them, so those answers were reset."
        ));
    }
    let app_root = el("div").class("course-app").0;
    let live = el("p")
        .class("course-sr-only")
        .attr("aria-live", "polite")
        .0;
    let root = el("div").0;
    let _ = app_root.append_child(&root);
    let _ = app_root.append_child(&live);
    let _ = host.append_child(&app_root);
    let n = quiz.questions.len();
    let app = Rc::new(RefCell::new(QuizApp {
        root: root.clone(),
        live,
        book,
        player,
        seed,
        notice,
        hints: vec![false; n],
        nudges: vec![false; n],
        focus: None,
    }));
    app.borrow_mut().render();
    listen(&app_root, "click", &app, QuizApp::on_click);
    listen(&app_root, "change", &app, QuizApp::on_change);
    listen(&app_root, "input", &app, QuizApp::on_input);
    listen(&app_root, "keydown", &app, QuizApp::on_keydown);
}

/// The control an event came from: the nearest element with a `data-act`.
fn actor(e: &Event) -> Option<(Element, String)> {
    let target: Element = e.target()?.dyn_into().ok()?;
    let actor = target.closest("[data-act]").ok()??;
    let act = actor.get_attribute("data-act")?;
    Some((actor, act))
}

impl QuizApp {
    fn quiz(&self) -> &Quiz {
        &self.player.quiz
    }

    /// The id of a question's fieldset.
    fn question_id(&self, index: usize) -> String {
        format!("{}-{}", self.quiz().id, self.quiz().questions[index].id)
    }

    fn apply(&mut self, action: Action) {
        let navigates = !matches!(action, Action::Select(..) | Action::Check(..));
        if self.player.apply(action) {
            storage::save(&self.book, &self.quiz().id.clone(), &self.player.state);
        }
        if navigates {
            self.focus = if self.player.state.finished {
                Some(format!("{}-results", self.quiz().id))
            } else {
                let round = self.player.round();
                let at = if self.quiz().layout == Layout::All {
                    0
                } else {
                    self.player.state.position
                };
                round.get(at).map(|&i| self.question_id(i))
            };
        }
        self.render();
    }

    fn select(&mut self, index: usize, answer: Answer) {
        self.nudges[index] = false;
        self.apply(Action::Select(index, answer));
    }

    /// "Check": grades the current answer (the order shown counts as an answer to an ordering
    /// question even if nothing was moved), or asks for an answer first.
    fn check(&mut self, index: usize) {
        let mut state = self.player.question(index);
        if let (None, QuestionKind::Ordering { items, .. }) =
            (&state.answer, &self.quiz().questions[index].kind)
        {
            let shown = display_order(self.seed, self.quiz(), index);
            let order = inputs::current_order(&None, &shown, items.len());
            self.player
                .apply(Action::Select(index, Answer::Ordering(order)));
            state = self.player.question(index);
        }
        if state.answer.is_none() {
            self.nudges[index] = true;
            self.render();
            return;
        }
        self.nudges[index] = false;
        self.focus = Some(format!("{}-feedback", self.question_id(index)));
        self.apply(Action::Check(index));
        let verdict =
            feedback::verdict(&self.quiz().questions[index], &self.player.question(index));
        self.live.set_text_content(Some(&verdict));
    }

    fn on_click(&mut self, e: &Event) {
        let Some((actor, act)) = actor(e) else {
            return;
        };
        let q = data_num(&actor, "q").unwrap_or(0);
        match act.as_str() {
            "check" => self.check(q),
            "hint" => {
                self.hints[q] = !self.hints[q];
                self.render();
            }
            "go" => self.apply(Action::Go(data_num(&actor, "pos").unwrap_or(0))),
            "finish" => self.apply(Action::Finish),
            "retry" => self.apply(Action::RetryMissed),
            "restart" => self.apply(Action::StartOver),
            "move" => {
                let (Some(from), Some(to)) = (data_num(&actor, "from"), data_num(&actor, "to"))
                else {
                    return;
                };
                let (answer, focus) = inputs::moved(self, q, from, to);
                self.focus = Some(focus);
                self.select(q, answer);
            }
            _ => {}
        }
    }

    fn on_change(&mut self, e: &Event) {
        let Some((actor, act)) = actor(e) else {
            return;
        };
        let q = data_num(&actor, "q").unwrap_or(0);
        match act.as_str() {
            "option" => {
                let i = data_num(&actor, "i").unwrap_or(0);
                let answer = inputs::toggled(self, q, i);
                self.select(q, answer);
            }
            "match" => {
                let row = data_num(&actor, "i").unwrap_or(0);
                let value = actor
                    .dyn_ref::<web_sys::HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default();
                let answer = inputs::matched(self, q, row, value.parse().ok());
                self.select(q, answer);
            }
            _ => {}
        }
    }

    /// Typing updates the answer without rebuilding the field (the caret stays put); feedback
    /// or a nudge that the new text makes stale is cleared.
    fn on_input(&mut self, e: &Event) {
        let Some((actor, act)) = actor(e) else {
            return;
        };
        if act != "typed" {
            return;
        }
        let q = data_num(&actor, "q").unwrap_or(0);
        let value = js_sys::Reflect::get(&actor, &"value".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let answer = match self.quiz().questions[q].kind {
            QuestionKind::Numeric { .. } => Answer::Numeric(value),
            _ => Answer::Short(value),
        };
        let stale = self.player.question(q).checked || self.nudges[q];
        self.nudges[q] = false;
        if self.player.apply(Action::Select(q, answer)) {
            storage::save(&self.book, &self.quiz().id.clone(), &self.player.state);
        }
        if stale {
            // The verdict and the nudge are about the old text: clear them in place, so the
            // field being typed in is not rebuilt (its caret would jump).
            if let Some(region) = dom::document()
                .and_then(|d| d.get_element_by_id(&format!("{}-feedback", self.question_id(q))))
            {
                region.set_inner_html("");
            }
        }
    }

    /// mdBook turns pages with the arrow keys and opens search with `S`: not while the learner
    /// works in a quiz. Enter checks: in a one-line field, and on an option (a radio is chosen
    /// first, as Space would).
    fn on_keydown(&mut self, e: &Event) {
        e.stop_propagation();
        let Some(key) = e.dyn_ref::<KeyboardEvent>().map(KeyboardEvent::key) else {
            return;
        };
        if key != "Enter" {
            return;
        }
        let Some((actor, act)) = actor(e) else {
            return;
        };
        let q = data_num(&actor, "q").unwrap_or(0);
        let single_line = actor.tag_name().eq_ignore_ascii_case("input");
        match act.as_str() {
            "typed" if single_line => {
                e.prevent_default();
                self.check(q);
            }
            "option" => {
                e.prevent_default();
                let input = actor.dyn_ref::<web_sys::HtmlInputElement>();
                if input.is_some_and(|i| i.type_() == "radio" && !i.checked()) {
                    let i = data_num(&actor, "i").unwrap_or(0);
                    let answer = inputs::toggled(self, q, i);
                    self.player.apply(Action::Select(q, answer));
                }
                self.check(q);
            }
            _ => {}
        }
    }

    /// Rebuilds the quiz, then restores or moves the focus.
    fn render(&mut self) {
        let keep = dom::focused_id_within(&self.root);
        let body = self.view();
        self.root.set_inner_html("");
        let _ = self.root.append_child(&body.0);
        code::highlight_all(&self.root);
        if let Some(id) = self.focus.take().or(keep) {
            dom::focus_id(&id);
        }
    }

    fn view(&self) -> El {
        let quiz = self.quiz();
        let title_id = format!("quiz-{}-title", quiz.id);
        let round = self.player.round();
        let finished = self.player.state.finished;
        let position = self
            .player
            .state
            .position
            .min(round.len().saturating_sub(1));
        let section = el("section")
            .class("course-quiz-body")
            .attr("aria-labelledby", &title_id)
            .child(
                el("h2")
                    .class("course-quiz-title")
                    .id(&title_id)
                    .text(&format!("Quiz: {}", quiz.title)),
            )
            .maybe(self.notice.as_ref().map(|n| {
                el("p")
                    .class("course-notice")
                    .attr("role", "status")
                    .text(n)
            }))
            .maybe((!finished && !self.player.state.retry.is_empty()).then(|| {
                el("p").class("course-retry-note").text(&format!(
                    "Retrying the {} question(s) you missed.",
                    round.len()
                ))
            }));
        let finish =
            || button("course-button course-finish", "See results").attr("data-act", "finish");
        if finished {
            section.child(review::view(&self.player))
        } else if round.is_empty() {
            section
        } else if quiz.layout == Layout::All {
            section
                .children(
                    round
                        .iter()
                        .enumerate()
                        .map(|(n, &i)| question::view(self, i, n + 1)),
                )
                .child(el("p").class("course-nav").child(finish()))
        } else {
            let prev = button("course-button course-prev", "Previous")
                .attr("data-act", "go")
                .data("pos", position.saturating_sub(1))
                .attr_if(position == 0, "disabled", "");
            let forward = if position + 1 == round.len() {
                finish()
            } else {
                button("course-button course-next", "Next")
                    .attr("data-act", "go")
                    .data("pos", position + 1)
            };
            let nav = el("p").class("course-nav").child(prev).child(forward);
            section
                .child(el("p").class("course-position").text(&format!(
                    "Question {} of {}",
                    position + 1,
                    round.len()
                )))
                .child(question::view(self, round[position], position + 1))
                .child(nav)
        }
    }
}
