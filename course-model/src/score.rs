//! Quiz scoring: the question scores added up and compared with the pass mark.

use serde::{Deserialize, Serialize};

use crate::quiz::Quiz;

/// A learner's result on a quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizScore {
    /// Sum of the question scores (each between 0 and 1).
    pub points: f64,
    /// How many questions were asked.
    pub out_of: usize,
    /// `points / out_of` as a percentage, 0 when nothing was asked.
    pub percent: f64,
    /// `percent` reaches the quiz's pass mark.
    pub passed: bool,
}

impl Quiz {
    /// Scores a round: one score per question asked (from [`crate::grade()`], 0 for unanswered).
    pub fn score(&self, question_scores: &[f64]) -> QuizScore {
        let points: f64 = question_scores.iter().map(|s| s.clamp(0.0, 1.0)).sum();
        let out_of = question_scores.len();
        let percent = if out_of == 0 {
            0.0
        } else {
            points * 100.0 / out_of as f64
        };
        // A tolerance so that 7 of 10 passes a 70% mark despite rounding.
        let passed = out_of > 0 && percent + 1e-9 >= f64::from(self.pass_mark);
        QuizScore {
            points,
            out_of,
            percent,
            passed,
        }
    }
}
