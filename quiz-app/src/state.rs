//! The quiz's state and the actions that change it. Pure: no web APIs, so it is testable natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use course_model::json::{object, Json};
use course_model::wire::{bool_or, opt_f64, opt_usize, req_str, WireError};
use course_model::{draw, Answer, Quiz};

use crate::grading::grade;

/// What the learner did with one question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionState {
    /// `content_hash()` of the question as it was when answered, in hex (a string, so JSON tools
    /// that read numbers as doubles keep it exact): a changed question resets alone.
    pub hash: String,
    /// The current choice, checked or not (authoring indices).
    pub answer: Option<Answer>,
    /// Whether the answer was checked; feedback shows only then.
    pub checked: bool,
    /// The checked answer earned full marks.
    pub correct: bool,
    /// The checked answer's score, 0 to 1.
    pub score: f64,
}

/// What the progress page shows of a quiz (it does not have the questions).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuizState {
    /// Keyed by question id.
    pub questions: BTreeMap<String, QuestionState>,
    /// The question shown (one-at-a-time layout), as a position in the round.
    pub position: usize,
    /// The learner finished the round: review mode.
    pub finished: bool,
    /// When retrying missed questions, their ids; empty for a full round.
    pub retry: Vec<String>,
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
                if self.question(index).answer.is_none() {
                    return false;
                }
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

impl QuestionState {
    /// As saved: `{"hash", "answer", "checked", "correct", "score"}`.
    pub fn to_json(&self) -> Json {
        object([
            ("hash", self.hash.as_str().into()),
            (
                "answer",
                self.answer.as_ref().map_or(Json::Null, Answer::to_json),
            ),
            ("checked", self.checked.into()),
            ("correct", self.correct.into()),
            ("score", self.score.into()),
        ])
    }

    /// Reads what [`QuestionState::to_json`] wrote.
    pub fn from_json(v: &Json) -> Result<QuestionState, WireError> {
        Ok(QuestionState {
            hash: v
                .get("hash")
                .map_or(Ok(String::new()), |_| req_str(v, "hash"))?,
            answer: v.get("answer").map(Answer::from_json).transpose()?,
            checked: bool_or(v, "checked", false)?,
            correct: bool_or(v, "correct", false)?,
            score: opt_f64(v, "score")?.unwrap_or(0.0),
        })
    }
}

impl QuizState {
    /// As saved: the answers by question id, the position, and the round.
    pub fn to_json(&self) -> Json {
        let s = self.summary;
        object([
            (
                "questions",
                Json::Obj(
                    self.questions
                        .iter()
                        .map(|(id, q)| (id.clone(), q.to_json()))
                        .collect(),
                ),
            ),
            ("position", self.position.into()),
            ("finished", self.finished.into()),
            (
                "retry",
                Json::Arr(self.retry.iter().map(|id| id.as_str().into()).collect()),
            ),
            (
                "summary",
                object([
                    ("asked", s.asked.into()),
                    ("checked", s.checked.into()),
                    ("percent", s.percent.into()),
                    ("passed", s.passed.into()),
                ]),
            ),
        ])
    }

    /// Reads what [`QuizState::to_json`] wrote; `Err` names the field that is wrong.
    pub fn from_json(v: &Json) -> Result<QuizState, WireError> {
        if v.as_object().is_none() {
            return Err("a saved quiz must be an object".to_owned());
        }
        let questions = match v.get("questions") {
            None => BTreeMap::new(),
            Some(q) => q
                .as_object()
                .ok_or("`questions` must be an object")?
                .iter()
                .map(|(id, q)| {
                    QuestionState::from_json(q)
                        .map(|q| (id.clone(), q))
                        .map_err(|e| format!("question `{id}`: {e}"))
                })
                .collect::<Result<_, _>>()?,
        };
        let retry = match v.get("retry") {
            None => Vec::new(),
            Some(r) => r
                .as_array()
                .and_then(|ids| ids.iter().map(|i| i.as_str().map(str::to_owned)).collect())
                .ok_or("`retry` must be a list of question ids")?,
        };
        let summary = match v.get("summary") {
            None => Summary::default(),
            Some(s) => Summary {
                asked: opt_usize(s, "asked")?.unwrap_or(0),
                checked: opt_usize(s, "checked")?.unwrap_or(0),
                percent: opt_f64(s, "percent")?.unwrap_or(0.0),
                passed: bool_or(s, "passed", false)?,
            },
        };
        Ok(QuizState {
            questions,
            position: opt_usize(v, "position")?.unwrap_or(0),
            finished: bool_or(v, "finished", false)?,
            retry,
            summary,
        })
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
        let mut p = player();
        let before = p.clone();
        assert!(!p.apply(Action::Check(0)));
        assert_eq!(p, before);
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
