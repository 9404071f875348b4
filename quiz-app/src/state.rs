//! The quiz's state and the actions that change it. Pure: no web APIs, so it is testable natively.
//!
//! Scoring counts the learner's first checked answer of each question in a round: after a wrong
//! Check the right answer is shown, so a second Check can teach but cannot earn marks. A retry
//! round (after review) may improve a missed question's score; the quiz keeps both the first-try
//! score and the best one.

use litemap::LiteMap;
use std::rc::Rc;

use course_model::{draw, Answer, Grade, Note, Quiz};
use serde::{Deserialize, Serialize};

use crate::grading::grade;

/// The answer that counted in this round, and its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counted {
    /// The first answer checked in the round.
    pub answer: Answer,
    /// Its score, 0 to 1.
    pub score: f64,
}

/// What the learner did with one question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionState {
    /// The question's content hash (16 hex digits, from the page) when it was answered: a
    /// changed question resets alone.
    pub hash: String,
    /// The current choice, checked or not (authoring indices).
    pub answer: Option<Answer>,
    /// Whether the current answer was checked; feedback shows only then.
    pub checked: bool,
    /// The checked answer earned full marks.
    pub correct: bool,
    /// The checked answer's score, 0 to 1 (feedback; what counts is [`QuestionState::counted`]).
    pub score: f64,
    /// The first answer checked in this round: what the round's score counts.
    pub counted: Option<Counted>,
    /// The score of the very first check (first round), kept across retries.
    pub first: Option<f64>,
    /// The best score any round counted.
    pub best: f64,
    /// The grade of the checked answer, made once by Check (not saved: regraded on load).
    #[serde(skip)]
    pub grade: Option<Grade>,
}

/// What the progress page shows of a quiz (it does not have the questions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// Questions asked in this quiz (a pool asks fewer than it holds).
    pub asked: usize,
    /// Of those, how many were checked.
    pub checked: usize,
    /// The best score, as a percentage of the questions asked (first tries, improved by
    /// retry rounds).
    pub percent: f64,
    /// The first-try score, as a percentage of the questions asked.
    pub first: f64,
    /// `percent` reaches the pass mark.
    pub passed: bool,
}

/// The saved state of one quiz.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuizState {
    /// Keyed by question id.
    pub questions: LiteMap<String, QuestionState>,
    /// The question shown (one-at-a-time layout), as a position in the round.
    pub position: usize,
    /// The learner finished the round: review mode.
    pub finished: bool,
    /// When retrying missed questions, their ids; empty for a full round.
    pub retry: Vec<String>,
    /// How many times the learner started over: a pooled quiz draws anew each time.
    pub attempt: u32,
    /// Kept up to date for the progress page.
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
    /// The learner's seed (option order, question order and pool draws derive from it).
    pub seed: u64,
    /// The questions asked, as indices into `quiz.questions`, in asking order.
    pub asked: Vec<usize>,
    /// The content hash per question of `quiz.questions`, as the page carries it.
    pub hashes: Rc<Vec<String>>,
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
    /// Forget every answer and play the quiz again (a pooled quiz draws a new set).
    StartOver,
}

/// What a Check did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// Graded; feedback shows.
    Graded,
    /// Nothing to grade yet.
    NoAnswer,
    /// A numeric entry that is not a number: not graded, nothing revealed.
    NotANumber,
}

/// The seed a round draws its questions with: the learner's, moved on by each start-over.
fn draw_seed(seed: u64, attempt: u32) -> u64 {
    seed.wrapping_add(u64::from(attempt).wrapping_mul(0xD1B5_4A32_D192_ED03))
}

impl Player {
    /// Starts playing `quiz` (whose questions have the content `hashes`) with the learner's
    /// `seed` and saved state. Saved answers to questions that changed since (another hash) or
    /// no longer exist are dropped; the second value counts the changed ones.
    pub fn new(
        quiz: Rc<Quiz>,
        hashes: Rc<Vec<String>>,
        seed: u64,
        saved: QuizState,
    ) -> (Player, usize) {
        let mut state = saved;
        let asked = draw(draw_seed(seed, state.attempt), &quiz);
        let mut changed = 0;
        state.questions.retain(
            |id, s| match quiz.questions.iter().position(|q| &q.id == id) {
                Some(i) if hashes.get(i) == Some(&s.hash) => true,
                Some(_) => {
                    changed += 1;
                    false
                }
                None => false,
            },
        );
        for (id, s) in &mut state.questions {
            let Some(question) = quiz.questions.iter().find(|q| &q.id == id) else {
                continue;
            };
            if let (true, Some(answer)) = (s.checked, &s.answer) {
                let g = grade(question, answer);
                // Saved before first tries were kept: the checked answer is the one that counts.
                if s.counted.is_none() {
                    s.counted = Some(Counted {
                        answer: answer.clone(),
                        score: g.score,
                    });
                    s.first.get_or_insert(g.score);
                    s.best = s.best.max(g.score);
                }
                s.grade = Some(g);
            }
        }
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
            seed,
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

    /// The asked questions whose best score is not full marks.
    pub fn missed(&self) -> Vec<usize> {
        self.asked
            .iter()
            .copied()
            .filter(|&i| self.question(i).best < 1.0)
            .collect()
    }

    /// The first-try and best scores over every asked question (unchecked ones count 0).
    pub fn summary(&self) -> Summary {
        let states: Vec<QuestionState> = self.asked.iter().map(|&i| self.question(i)).collect();
        let best: Vec<f64> = states.iter().map(|q| q.best).collect();
        let first: Vec<f64> = states.iter().map(|q| q.first.unwrap_or(0.0)).collect();
        let score = self.quiz.score(&best);
        Summary {
            asked: self.asked.len(),
            checked: states.iter().filter(|q| q.counted.is_some()).count(),
            percent: score.percent,
            first: self.quiz.score(&first).percent,
            passed: score.passed,
        }
    }

    fn entry(&mut self, index: usize) -> &mut QuestionState {
        let id = self.quiz.questions[index].id.clone();
        let hash = self.hashes.get(index).cloned().unwrap_or_default();
        let q = self.state.questions.entry(id).or_default();
        q.hash = hash;
        q
    }

    /// Grades the current answer to `quiz.questions[index]`, once: the grade is stored for the
    /// views, and the round's first check is what counts.
    pub fn check(&mut self, index: usize) -> Checked {
        let Some(question) = self.quiz.questions.get(index).cloned() else {
            return Checked::NoAnswer;
        };
        let Some(answer) = self.question(index).answer else {
            return Checked::NoAnswer;
        };
        let g = grade(&question, &answer);
        if g.note == Some(Note::NotANumber) {
            return Checked::NotANumber;
        }
        let q = self.entry(index);
        q.checked = true;
        q.correct = g.correct;
        q.score = g.score;
        if q.counted.is_none() {
            q.counted = Some(Counted {
                answer,
                score: g.score,
            });
            q.first.get_or_insert(g.score);
            q.best = q.best.max(g.score);
        }
        q.grade = Some(g);
        self.state.summary = self.summary();
        Checked::Graded
    }

    /// Applies `action`; `false` when it changed nothing.
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Select(index, answer) => {
                if index >= self.quiz.questions.len() {
                    return false;
                }
                let q = self.entry(index);
                q.answer = Some(answer);
                q.checked = false;
                q.correct = false;
                q.score = 0.0;
                q.grade = None;
            }
            Action::Check(index) => return self.check(index) == Checked::Graded,
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
                    if let Some(q) = self.state.questions.get_mut(id) {
                        // A new round for it: first try and best stay.
                        *q = QuestionState {
                            hash: std::mem::take(&mut q.hash),
                            first: q.first,
                            best: q.best,
                            ..QuestionState::default()
                        };
                    }
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
                self.state.attempt = self.state.attempt.wrapping_add(1);
                self.asked = draw(draw_seed(self.seed, self.state.attempt), &self.quiz);
            }
        }
        self.state.summary = self.summary();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use course_model::{parse_quiz, QuizPayload};

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

    fn start(src: &str, seed: u64, saved: QuizState) -> (Player, usize) {
        let payload = QuizPayload::new(parse_quiz("q.toml", src).unwrap());
        Player::new(Rc::new(payload.quiz), Rc::new(payload.hashes), seed, saved)
    }

    fn player() -> Player {
        start(QUIZ, 7, QuizState::default()).0
    }

    #[test]
    fn the_first_check_counts_and_a_second_check_after_seeing_the_answer_earns_nothing() {
        let mut p = player();
        p.apply(Action::Select(0, Answer::Single(1)));
        p.apply(Action::Check(0));
        assert!(p.question(0).checked && !p.question(0).correct);
        p.apply(Action::Select(0, Answer::Single(0)));
        assert!(!p.question(0).checked, "a new choice clears the feedback");
        p.apply(Action::Check(0));
        assert!(p.question(0).correct, "the feedback says it is right now");
        assert_eq!(p.state.summary.checked, 1);
        assert_eq!(p.state.summary.percent, 0.0, "but the first check counted");
        assert!(!p.state.summary.passed);
    }

    #[test]
    fn a_check_stores_its_grade_for_the_views() {
        let mut p = player();
        p.apply(Action::Select(0, Answer::Single(1)));
        assert!(p.question(0).grade.is_none());
        p.apply(Action::Check(0));
        let g = p.question(0).grade.expect("graded by Check");
        assert!(!g.correct);
        p.apply(Action::Select(0, Answer::Single(0)));
        assert!(
            p.question(0).grade.is_none(),
            "a new choice drops the grade"
        );
    }

    #[test]
    fn checking_without_an_answer_changes_nothing() {
        let mut p = player();
        let before = p.clone();
        assert_eq!(p.check(0), Checked::NoAnswer);
        assert_eq!(p, before);
    }

    #[test]
    fn a_numeric_entry_that_is_not_a_number_is_not_graded() {
        let src = "id = \"n\"\ntitle = \"T\"\n[[question]]\nid = \"n1\"\ntype = \"numeric\"\nprompt = \"P\"\nanswer = 8.73\ntolerance = 0.01\nunit = \"$\"\n";
        let mut p = start(src, 1, QuizState::default()).0;
        p.apply(Action::Select(0, Answer::Numeric("eight".into())));
        assert_eq!(p.check(0), Checked::NotANumber);
        assert!(!p.question(0).checked);
        assert!(p.question(0).counted.is_none(), "nothing counted");
        p.apply(Action::Select(0, Answer::Numeric("$8.73".into())));
        assert_eq!(p.check(0), Checked::Graded);
        assert_eq!(p.state.summary.percent, 100.0);
    }

    #[test]
    fn retrying_plays_only_the_missed_questions_and_improves_the_best_not_the_first_try() {
        let mut p = player();
        p.apply(Action::Select(0, Answer::Single(0)));
        p.apply(Action::Check(0));
        p.apply(Action::Select(1, Answer::TrueFalse(false)));
        p.apply(Action::Check(1));
        p.apply(Action::Finish);
        assert_eq!(p.missed(), vec![1]);
        assert_eq!(p.state.summary.first, 50.0);
        p.apply(Action::RetryMissed);
        assert!(!p.state.finished);
        assert_eq!(p.round(), vec![1]);
        assert!(p.question(0).correct, "right answers are kept");
        assert!(p.question(1).answer.is_none() && !p.question(1).checked);
        p.apply(Action::Select(1, Answer::TrueFalse(true)));
        p.apply(Action::Check(1));
        p.apply(Action::Finish);
        assert_eq!(
            p.state.summary.percent, 100.0,
            "the retry round improved it"
        );
        assert_eq!(p.state.summary.first, 50.0, "the first try stays");
        p.apply(Action::StartOver);
        assert_eq!(p.round(), vec![0, 1]);
        assert_eq!(p.state.summary.checked, 0);
        assert_eq!(p.state.summary.first, 0.0);
    }

    #[test]
    fn starting_over_a_pooled_quiz_draws_a_new_set() {
        let mut src = String::from("id = \"pool\"\ntitle = \"T\"\ndraw = 3\n");
        for i in 0..12 {
            src.push_str(&format!(
                "[[question]]\nid = \"p{i}\"\ntype = \"true-false\"\nprompt = \"P{i}\"\nanswer = true\n"
            ));
        }
        let mut p = start(&src, 99, QuizState::default()).0;
        let mut draws = vec![p.asked.clone()];
        for _ in 0..4 {
            p.apply(Action::StartOver);
            assert_eq!(p.asked.len(), 3);
            draws.push(p.asked.clone());
        }
        draws.sort();
        draws.dedup();
        assert!(draws.len() > 1, "five start-overs drew one set: {draws:?}");
        // The draw is part of the saved state: a reload asks the same questions.
        let again = start(&src, 99, p.state.clone()).0;
        assert_eq!(again.asked, p.asked);
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
        let (again, changed) = start(&edited, 7, saved);
        assert_eq!(changed, 1);
        assert!(again.question(0).correct);
        assert!(again.question(0).grade.is_some(), "regraded once on load");
        assert!(again.question(1).answer.is_none());
    }

    #[test]
    fn progress_saved_before_first_tries_were_kept_counts_its_checked_answers() {
        let saved: QuizState = crate::codec::from_str(
            r#"{"questions":{"a":{"hash":"HASH","answer":{"single":0},"checked":true,"correct":true,"score":1}},"position":0,"finished":false,"retry":[]}"#
                .replace("HASH", &player().hashes[0])
                .as_str(),
        )
        .unwrap();
        let (p, changed) = start(QUIZ, 7, saved);
        assert_eq!(changed, 0);
        assert_eq!(p.state.summary.percent, 50.0);
        assert_eq!(p.state.summary.first, 50.0);
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
        let (p, _) = start(QUIZ, 7, saved);
        assert_eq!(p.state.position, 1);
        assert!(p.state.retry.is_empty());
    }
}
