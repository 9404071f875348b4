//! Grading: one function that both the native tests and the browser app call.

use serde::{Deserialize, Serialize};

use crate::quiz::{Question, QuestionKind};

/// What a learner answered, in the question's authoring order (not the shuffled display order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Answer {
    /// The index of the chosen option.
    Single(usize),
}

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    /// Full marks.
    pub correct: bool,
    /// Between 0.0 and 1.0.
    pub score: f64,
}

/// Grades `answer` against `question`. An answer of the wrong shape scores zero.
pub fn grade(question: &Question, answer: &Answer) -> Grade {
    let correct = match (&question.kind, answer) {
        (QuestionKind::Single { options }, Answer::Single(i)) => {
            options.get(*i).is_some_and(|o| o.correct)
        }
    };
    Grade {
        correct,
        score: if correct { 1.0 } else { 0.0 },
    }
}
