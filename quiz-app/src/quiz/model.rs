//! The quiz player's state for one placeholder: the [`Player`] (what the learner did) and what
//! only the page shows (hints open, nudges, where the focus goes, what is announced). Pure: a
//! Yew reducer with no web APIs in it, tested natively.

use std::rc::Rc;

use course_model::{display_order, Answer, Layout, QuestionKind, Quiz};
use yew::Reducible;

use super::inputs;
use crate::state::{Action, Checked, Player, QuestionState};

/// The verdict as a sentence: the feedback shows it, and the quiz's live region announces it.
pub fn verdict(state: &QuestionState) -> String {
    match state.grade.as_ref().filter(|_| state.checked) {
        None => String::new(),
        Some(g) if g.correct => "Correct!".to_owned(),
        Some(g) if g.score > 0.0 => format!(
            "Not quite: partly right ({}% of the marks).",
            (g.score * 100.0).round() as u32
        ),
        Some(_) => "Not quite.".to_owned(),
    }
}

/// Why a Check did not grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Nudge {
    /// Nothing to say.
    #[default]
    None,
    /// No answer chosen yet.
    NoAnswer,
    /// A numeric entry that is not a number.
    NotANumber,
}

/// Everything the quiz player shows.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizModel {
    /// What the learner did.
    pub player: Player,
    /// A notice above the quiz (reset answers, unreadable saved data).
    pub notice: Option<String>,
    /// Per question (by index into the quiz): hint shown.
    pub hints: Vec<bool>,
    /// Per question: why the last Check did not grade.
    pub nudges: Vec<Nudge>,
    /// The element to focus after this render, with a count that changes each time it is set.
    pub focus: Option<(u32, String)>,
    /// The verdict for the live region.
    pub announce: String,
    /// Changes whenever the saved state changes: the component saves then.
    pub saves: u32,
    /// The last question graded, with a count that changes each time (a learner record).
    pub checked: Option<(u32, usize)>,
    /// How many rounds were finished on this page (each is a learner record).
    pub finished: u32,
}

/// What the learner did on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// Chose option `i` (authoring index) of question `q` (toggles a checkbox).
    Option(usize, usize),
    /// Enter on option `i` of question `q`: chooses it (a radio) and checks.
    OptionEnter(usize, usize),
    /// Typed `text` into question `q`'s field.
    Typed(usize, String),
    /// Moved the ordering item at position `from` to `to`.
    Move(usize, usize, usize),
    /// Chose `choice` for left item `row` of matching question `q`.
    Match(usize, usize, Option<usize>),
    /// Check question `q`.
    Check(usize),
    /// Show or hide question `q`'s hint.
    Hint(usize),
    /// Navigate or change the round.
    Player(Action),
    /// Show a notice above the quiz (learner records that could not be kept).
    Notice(String),
}

impl QuizModel {
    /// A model for `player`, with a `notice` to show first.
    pub fn new(player: Player, notice: Option<String>) -> Self {
        let n = player.quiz.questions.len();
        QuizModel {
            player,
            notice,
            hints: vec![false; n],
            nudges: vec![Nudge::None; n],
            focus: None,
            announce: String::new(),
            saves: 0,
            checked: None,
            finished: 0,
        }
    }

    /// The quiz.
    pub fn quiz(&self) -> &Quiz {
        &self.player.quiz
    }

    /// The id of question `index`'s fieldset; its controls' ids start with it.
    pub fn question_id(&self, index: usize) -> String {
        format!("{}-{}", self.quiz().id, self.quiz().questions[index].id)
    }

    fn focus_on(&mut self, id: String) {
        let n = self.focus.as_ref().map_or(0, |(n, _)| n.wrapping_add(1));
        self.focus = Some((n, id));
    }

    fn select(&mut self, q: usize, answer: Answer) {
        self.nudges[q] = Nudge::None;
        if self.player.apply(Action::Select(q, answer)) {
            self.saves = self.saves.wrapping_add(1);
        }
    }

    /// "Check": grades the current answer (the order shown counts as an answer to an ordering
    /// question even if nothing was moved), or says what is missing first.
    fn check(&mut self, q: usize) {
        if let (None, QuestionKind::Ordering { items, .. }) = (
            &self.player.question(q).answer,
            &self.quiz().questions[q].kind,
        ) {
            let shown = display_order(self.player.seed, self.quiz(), q);
            let order = inputs::current_order(&None, &shown, items.len());
            self.player
                .apply(Action::Select(q, Answer::Ordering(order)));
        }
        match self.player.check(q) {
            Checked::Graded => {
                self.nudges[q] = Nudge::None;
                self.saves = self.saves.wrapping_add(1);
                let n = self.checked.map_or(0, |(n, _)| n.wrapping_add(1));
                self.checked = Some((n, q));
                self.announce = verdict(&self.player.question(q));
                self.focus_on(format!("{}-feedback", self.question_id(q)));
            }
            Checked::NoAnswer => self.nudges[q] = Nudge::NoAnswer,
            Checked::NotANumber => self.nudges[q] = Nudge::NotANumber,
        }
    }

    fn navigate(&mut self, action: Action) {
        let was_finished = self.player.state.finished;
        if self.player.apply(action) {
            self.saves = self.saves.wrapping_add(1);
        }
        if !was_finished && self.player.state.finished {
            self.finished += 1;
        }
        let target = if self.player.state.finished {
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
        if let Some(id) = target {
            self.focus_on(id);
        }
    }
}

impl Reducible for QuizModel {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut m = (*self).clone();
        let quiz = m.player.quiz.clone();
        match msg {
            Msg::Option(q, i) => {
                let answer = inputs::toggled(&quiz.questions[q].kind, &m.player.question(q), i);
                m.select(q, answer);
            }
            Msg::OptionEnter(q, i) => {
                let multiple = matches!(quiz.questions[q].kind, QuestionKind::Multiple { .. });
                if !multiple {
                    let answer = inputs::toggled(&quiz.questions[q].kind, &m.player.question(q), i);
                    m.select(q, answer);
                }
                m.check(q);
            }
            Msg::Typed(q, text) => {
                let answer = match quiz.questions[q].kind {
                    QuestionKind::Numeric { .. } => Answer::Numeric(text),
                    _ => Answer::Short(text),
                };
                m.select(q, answer);
            }
            Msg::Move(q, from, to) => {
                let shown = display_order(m.player.seed, &quiz, q);
                let (answer, item_button) =
                    inputs::moved(&quiz.questions[q], &m.player.question(q), &shown, from, to);
                if let Some(b) = item_button {
                    let id = format!("{}-{b}", m.question_id(q));
                    m.focus_on(id);
                }
                m.select(q, answer);
            }
            Msg::Match(q, row, choice) => {
                let answer =
                    inputs::matched(&quiz.questions[q], &m.player.question(q), row, choice);
                m.select(q, answer);
            }
            Msg::Check(q) => m.check(q),
            Msg::Hint(q) => m.hints[q] = !m.hints[q],
            Msg::Player(action) => m.navigate(action),
            Msg::Notice(text) => m.notice = Some(text),
        }
        Rc::new(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::QuizState;
    use course_model::{parse_quiz, QuizPayload};

    fn model(src: &str) -> Rc<QuizModel> {
        let payload = QuizPayload::new(parse_quiz("q.toml", src).unwrap());
        let (player, _) = Player::new(
            Rc::new(payload.quiz),
            Rc::new(payload.hashes),
            5,
            QuizState::default(),
        );
        Rc::new(QuizModel::new(player, None))
    }

    const NUMERIC: &str = "id = \"n\"\ntitle = \"T\"\n[[question]]\nid = \"n1\"\ntype = \"numeric\"\nprompt = \"P\"\nexplanation = \"E\"\nanswer = 1769\nunit = \"MB\"\n";

    #[test]
    fn a_check_without_a_number_only_asks_for_one() {
        let m = model(NUMERIC).reduce(Msg::Typed(0, "lots".into()));
        let m = m.reduce(Msg::Check(0));
        assert_eq!(m.nudges[0], Nudge::NotANumber);
        assert!(!m.player.question(0).checked, "nothing revealed");
        assert!(m.announce.is_empty());
        let m = m.reduce(Msg::Typed(0, "1,769 MB".into()));
        assert_eq!(m.nudges[0], Nudge::None, "typing clears the nudge");
        let m = m.reduce(Msg::Check(0));
        assert_eq!(m.announce, "Correct!");
        assert_eq!(
            m.focus.as_ref().map(|f| f.1.as_str()),
            Some("n-n1-feedback")
        );
    }

    #[test]
    fn each_graded_check_and_finished_round_is_a_record_to_send() {
        let m = model(NUMERIC).reduce(Msg::Check(0));
        assert_eq!(m.checked, None, "no answer, nothing to record");
        let m = m.reduce(Msg::Typed(0, "1769".into())).reduce(Msg::Check(0));
        assert_eq!(m.checked, Some((0, 0)));
        let m = m.reduce(Msg::Check(0));
        assert_eq!(m.checked, Some((1, 0)), "a second check is another record");
        let m = m.reduce(Msg::Player(Action::Finish));
        assert_eq!(m.finished, 1);
        let m = m.reduce(Msg::Player(Action::Finish));
        assert_eq!(m.finished, 1, "finishing a finished round records nothing");
    }

    #[test]
    fn each_saved_change_moves_the_save_count_and_hints_do_not() {
        let m = model(NUMERIC);
        let saves = m.saves;
        let m = m.reduce(Msg::Hint(0));
        assert_eq!(m.saves, saves);
        let m = m.reduce(Msg::Typed(0, "1".into()));
        assert_ne!(m.saves, saves);
    }
}
