//! The quiz's state and the actions that change it. Pure: no web APIs, so it is testable natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use course_model::{draw, grade, Answer, Quiz};
use serde::{Deserialize, Serialize};
use yew::Reducible;

/// What the learner did with one question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionState {
    /// `content_hash()` of the question as it was when answered, in hex (a string, so JSON tools
    /// that read numbers as doubles keep it exact): a changed question resets alone.
    #[serde(default)]
    pub hash: String,
    /// The current choice, checked or not (authoring indices).
    pub answer: Option<Answer>,
    /// Whether the answer was checked; feedback shows only then.
    #[serde(default)]
    pub checked: bool,
    /// The checked answer earned full marks.
    #[serde(default)]
    pub correct: bool,
    /// The checked answer's score, 0 to 1.
    #[serde(default)]
    pub score: f64,
}

/// What the progress page shows of a quiz (it does not have the questions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Questions asked in this quiz (a pool asks fewer than it holds).
    pub asked: usize,
    /// Of those, how many were checked.
    pub checked: usize,
    /// Score as a percentage of the questions asked.
    pub percent: f64,
    /// The percentage reaches the pass mark.
    pub passed: bool,
}

/// The saved state of one quiz.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuizState {
    /// Keyed by question id.
    pub questions: BTreeMap<String, QuestionState>,
    /// The question shown (one-at-a-time layout), as a position in the round.
    #[serde(default)]
    pub position: usize,
    /// The learner finished the round: review mode.
    #[serde(default)]
    pub finished: bool,
    /// When retrying missed questions, their ids; empty for a full round.
    #[serde(default)]
    pub retry: Vec<String>,
    /// Kept up to date for the progress page.
    #[serde(default)]
    pub summary: Summary,
}

impl QuizState {
    /// Whether the learner has done anything with this quiz.
    pub fn started(&self) -> bool {
        self.finished || self.questions.values().any(|q| q.answer.is_some())
    }
}

/// A quiz being played: the quiz, the learner's seed and what they did.
#[derive(Debug, Clone, PartialEq)]
pub struct Player {
    /// The quiz as received (HTML already rendered).
    pub quiz: Rc<Quiz>,
    /// The questions asked, as indices into `quiz.questions`, in asking order.
    pub asked: Vec<usize>,
    /// `content_hash()` per question of `quiz.questions`, in hex.
    pub hashes: Vec<String>,
    /// What the learner did.
    pub state: QuizState,
}

/// What the learner can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Choose an answer to `quiz.questions[index]` (clears an earlier check of it).
    Select(usize, Answer),
    /// Grade the current answer to `quiz.questions[index]`.
    Check(usize),
    /// Show the question at this position of the round.
    Go(usize),
    /// End the round: review mode.
    Finish,
    /// Play again only the questions not answered correctly.
    RetryMissed,
    /// Forget every answer and play the whole quiz again (same seed, same draw).
    StartOver,
}

impl Player {
    /// Starts playing `quiz` with the learner's `seed` and saved state. Saved answers to questions
    /// that changed since (another content hash) or no longer exist are dropped; the second value
    /// counts the changed ones.
    pub fn new(quiz: Rc<Quiz>, seed: u64, saved: QuizState) -> (Player, usize) {
        let hashes: Vec<String> = quiz
            .questions
            .iter()
            .map(|q| format!("{:016x}", q.content_hash()))
            .collect();
        let asked = draw(seed, &quiz);
        let mut state = saved;
        let mut changed = 0;
        state.questions.retain(
            |id, s| match quiz.questions.iter().position(|q| &q.id == id) {
                Some(i) if hashes[i] == s.hash => true,
                Some(_) => {
                    changed += 1;
                    false
                }
                None => false,
            },
        );
        let asked_ids: Vec<&str> = asked
            .iter()
            .map(|&i| quiz.questions[i].id.as_str())
            .collect();
        state.retry.retain(|id| asked_ids.contains(&id.as_str()));
        if changed > 0 {
            state.finished = false;
        }
        let mut player = Player {
            quiz,
            asked,
            hashes,
            state,
        };
        player.state.position = player
            .state
            .position
            .min(player.round().len().saturating_sub(1));
        player.state.summary = player.summary();
        (player, changed)
    }

    /// The questions played in this round: all asked ones, or the missed ones when retrying.
    pub fn round(&self) -> Vec<usize> {
        let retry = &self.state.retry;
        self.asked
            .iter()
            .copied()
            .filter(|&i| retry.is_empty() || retry.contains(&self.quiz.questions[i].id))
            .collect()
    }

    /// What the learner did with `quiz.questions[index]`.
    pub fn question(&self, index: usize) -> QuestionState {
        self.state
            .questions
            .get(&self.quiz.questions[index].id)
            .cloned()
            .unwrap_or_default()
    }

    /// The asked questions not answered correctly.
    pub fn missed(&self) -> Vec<usize> {
        self.asked
            .iter()
            .copied()
            .filter(|&i| {
                let q = self.question(i);
                !(q.checked && q.correct)
            })
            .collect()
    }

    /// The score over every asked question (unchecked ones count 0).
    pub fn summary(&self) -> Summary {
        let scores: Vec<f64> = self
            .asked
            .iter()
            .map(|&i| {
                let q = self.question(i);
                if q.checked {
                    q.score
                } else {
                    0.0
                }
            })
            .collect();
        let score = self.quiz.score(&scores);
        Summary {
            asked: self.asked.len(),
            checked: self
                .asked
                .iter()
                .filter(|&&i| self.question(i).checked)
                .count(),
            percent: score.percent,
            passed: score.passed,
        }
    }

    fn entry(&mut self, index: usize) -> &mut QuestionState {
        let id = self.quiz.questions[index].id.clone();
        let hash = self.hashes[index].clone();
        let q = self.state.questions.entry(id).or_default();
        q.hash = hash;
        q
    }

    /// Applies `action`; `false` when it changed nothing.
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Select(index, answer) => {
                if index >= self.quiz.questions.len() {
                    return false;
                }
                let q = self.entry(index);
                *q = QuestionState {
                    hash: std::mem::take(&mut q.hash),
                    answer: Some(answer),
                    ..QuestionState::default()
                };
            }
            Action::Check(index) => {
                let Some(question) = self.quiz.questions.get(index).cloned() else {
                    return false;
                };
                let q = self.entry(index);
                let Some(answer) = &q.answer else {
                    return false;
                };
                let g = grade(&question, answer);
                q.checked = true;
                q.correct = g.correct;
                q.score = g.score;
            }
            Action::Go(position) => {
                self.state.position = position.min(self.round().len().saturating_sub(1));
                self.state.finished = false;
            }
            Action::Finish => self.state.finished = true,
            Action::RetryMissed => {
                let missed = self.missed();
                if missed.is_empty() {
                    return false;
                }
                let ids: Vec<String> = missed
                    .iter()
                    .map(|&i| self.quiz.questions[i].id.clone())
                    .collect();
                for id in &ids {
                    self.state.questions.remove(id);
                }
                self.state.retry = ids;
                self.state.finished = false;
                self.state.position = 0;
            }
            Action::StartOver => {
                self.state.questions.clear();
                self.state.retry.clear();
                self.state.finished = false;
                self.state.position = 0;
            }
        }
        self.state.summary = self.summary();
        true
    }
}

impl Reducible for Player {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use course_model::parse_quiz;

    const QUIZ: &str = r#"
id = "q"
title = "T"
pass_mark = 50
[[question]]
id = "a"
type = "single"
prompt = "P"
[[question.option]]
text = "right"
correct = true
[[question.option]]
text = "wrong"
[[question]]
id = "b"
type = "true-false"
prompt = "Q"
answer = true
"#;

    fn player() -> Player {
        Player::new(
            Rc::new(parse_quiz("q.toml", QUIZ).unwrap()),
            7,
            QuizState::default(),
        )
        .0
    }

    #[test]
    fn checking_grades_the_selected_answer_and_a_new_choice_clears_it() {
        let mut p = player();
        p.apply(Action::Select(0, Answer::Single(1)));
        p.apply(Action::Check(0));
        assert!(p.question(0).checked && !p.question(0).correct);
        p.apply(Action::Select(0, Answer::Single(0)));
        assert!(!p.question(0).checked);
        p.apply(Action::Check(0));
        assert!(p.question(0).correct);
        assert_eq!(p.state.summary.checked, 1);
        assert_eq!(p.state.summary.percent, 50.0);
        assert!(p.state.summary.passed);
    }

    #[test]
    fn checking_without_an_answer_changes_nothing() {
        let p = Rc::new(player());
        let after = p.clone().reduce(Action::Check(0));
        assert!(Rc::ptr_eq(&p, &after));
    }

    #[test]
    fn retrying_plays_only_the_missed_questions_and_review_scores_all() {
        let mut p = player();
        p.apply(Action::Select(0, Answer::Single(0)));
        p.apply(Action::Check(0));
        p.apply(Action::Select(1, Answer::TrueFalse(false)));
        p.apply(Action::Check(1));
        p.apply(Action::Finish);
        assert_eq!(p.missed(), vec![1]);
        p.apply(Action::RetryMissed);
        assert!(!p.state.finished);
        assert_eq!(p.round(), vec![1]);
        assert!(p.question(0).correct, "right answers are kept");
        assert_eq!(p.question(1), QuestionState::default());
        p.apply(Action::Select(1, Answer::TrueFalse(true)));
        p.apply(Action::Check(1));
        p.apply(Action::Finish);
        assert_eq!(p.state.summary.percent, 100.0);
        p.apply(Action::StartOver);
        assert_eq!(p.round(), vec![0, 1]);
        assert_eq!(p.state.summary.checked, 0);
    }

    #[test]
    fn a_changed_question_resets_alone() {
        let mut p = player();
        p.apply(Action::Select(0, Answer::Single(0)));
        p.apply(Action::Check(0));
        p.apply(Action::Select(1, Answer::TrueFalse(true)));
        p.apply(Action::Check(1));
        let saved = p.state.clone();
        let edited = QUIZ.replace("prompt = \"Q\"", "prompt = \"Q, edited\"");
        let quiz = Rc::new(parse_quiz("q.toml", &edited).unwrap());
        let (again, changed) = Player::new(quiz, 7, saved);
        assert_eq!(changed, 1);
        assert!(again.question(0).correct);
        assert!(again.question(1).answer.is_none());
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let mut p = player();
        p.apply(Action::Go(9));
        assert_eq!(p.state.position, 1);
        let saved = QuizState {
            position: 40,
            retry: vec!["gone".into()],
            ..QuizState::default()
        };
        let (p, _) = Player::new(p.quiz.clone(), 7, saved);
        assert_eq!(p.state.position, 1);
        assert!(p.state.retry.is_empty());
    }
}
