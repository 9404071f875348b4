//! The course content model: what instructors write (quizzes, later labs), how it is validated, and
//! how answers are graded.
//!
//! Pure: no IO, no web APIs. The preprocessor feeds it file contents and paths; the browser app feeds
//! it learner answers. Both get the same results because both run this code.

pub mod book;
mod compat_mdbook_quiz;
pub mod diagnostic;
pub mod fix_ids;
pub mod grade;
pub mod hash;
pub mod id;
mod kinds;
#[cfg(feature = "labs")]
pub mod lab;
pub mod lint;
mod native;
pub mod page;
pub mod parse;
pub mod quiz;
mod reader;
#[cfg(feature = "schema")]
pub mod schema;
pub mod score;
pub mod shuffle;
pub mod suggest;
mod syntax_place;
pub mod utf8;

pub use book::check_book;
pub use compat_mdbook_quiz::{DOES_NOT_COMPILE, TRACING_PROMPT};
pub use diagnostic::{Diagnostic, Severity};
pub use fix_ids::fix_ids;
pub use grade::{
    grade, grade_with, regex_match, Answer, Grade, Mark, Note, TextRules, MAX_ANSWER_CHARS,
};
pub use page::{LabIndexEntry, QuizIndexEntry, QuizPayload};
pub use parse::{file_stem, parse_quiz, parse_quiz_file, Format, ParsedQuiz};
pub use quiz::{Choice, InputKind, Layout, Pair, Part, Question, QuestionKind, Quiz};
pub use score::QuizScore;
pub use shuffle::{display_order, draw, shuffled_order};
