//! The course content model: what instructors write (quizzes, later labs), how it is validated, and
//! how answers are graded.
//!
//! Pure: no IO, no web APIs. The preprocessor feeds it file contents and paths; the browser app feeds
//! it learner answers. Both get the same results because both run this code.

pub mod diagnostic;
pub mod grade;
pub mod parse;
pub mod quiz;

pub use diagnostic::{Diagnostic, Severity};
pub use grade::{grade, Answer, Grade};
pub use parse::parse_quiz;
pub use quiz::{Choice, Question, QuestionKind, Quiz};
