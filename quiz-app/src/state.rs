//! The quiz's state and the actions that change it. Pure: no web APIs, so it is testable natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use course_model::{grade, Answer, Quiz};
use serde::{Deserialize, Serialize};
use yew::Reducible;

/// What the learner did with one question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionState {
    /// The current choice, not yet checked or checked.
    pub answer: Option<Answer>,
    /// Whether the answer was checked; feedback shows only then.
    pub checked: bool,
    /// The grade of the checked answer.
    pub correct: Option<bool>,
}

/// The state of one quiz: per question id, what the learner did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuizState {
    /// Keyed by question id.
    pub questions: BTreeMap<String, QuestionState>,
}

/// What the learner can do.
pub enum Action {
    /// Choose an answer (clears an earlier check of that question).
    Select {
        /// The question.
        id: String,
        /// The new answer.
        answer: Answer,
    },
    /// Grade the current answer.
    Check {
        /// The question.
        id: String,
        /// The quiz, to find the question.
        quiz: Rc<Quiz>,
    },
}

impl Reducible for QuizState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Select { id, answer } => {
                let q = next.questions.entry(id).or_default();
                q.answer = Some(answer);
                q.checked = false;
                q.correct = None;
            }
            Action::Check { id, quiz } => {
                let Some(question) = quiz.questions.iter().find(|q| q.id == id) else {
                    return self;
                };
                let q = next.questions.entry(id).or_default();
                let Some(answer) = &q.answer else {
                    return self;
                };
                q.correct = Some(grade(question, answer).correct);
                q.checked = true;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use course_model::parse_quiz;

    fn quiz() -> Rc<Quiz> {
        let src = r#"
id = "q"
title = "T"
[[question]]
id = "a"
type = "single"
prompt = "P"
[[question.option]]
text = "right"
correct = true
[[question.option]]
text = "wrong"
"#;
        Rc::new(parse_quiz("q.toml", src).unwrap())
    }

    fn act(state: Rc<QuizState>, action: Action) -> Rc<QuizState> {
        state.reduce(action)
    }

    #[test]
    fn checking_grades_the_selected_answer_and_a_new_choice_clears_it() {
        let quiz = quiz();
        let s = Rc::new(QuizState::default());
        let s = act(
            s,
            Action::Select {
                id: "a".into(),
                answer: Answer::Single(1),
            },
        );
        let s = act(
            s,
            Action::Check {
                id: "a".into(),
                quiz: quiz.clone(),
            },
        );
        assert_eq!(s.questions["a"].correct, Some(false));
        let s = act(
            s,
            Action::Select {
                id: "a".into(),
                answer: Answer::Single(0),
            },
        );
        assert!(!s.questions["a"].checked);
        let s = act(
            s,
            Action::Check {
                id: "a".into(),
                quiz,
            },
        );
        assert_eq!(s.questions["a"].correct, Some(true));
    }

    #[test]
    fn checking_without_an_answer_changes_nothing() {
        let s = Rc::new(QuizState::default());
        let after = act(
            s.clone(),
            Action::Check {
                id: "a".into(),
                quiz: quiz(),
            },
        );
        assert!(Rc::ptr_eq(&s, &after));
    }
}
