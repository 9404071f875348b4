//! Exporting all of a book's progress to a JSON file and importing it back. Pure: the progress
//! page does the file and storage work.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::state::QuizState;
use crate::storage::{check_version, VERSION};

/// What an export file says it is.
pub const FORMAT: &str = "course-progress";

/// An export file: the learner's seed and every quiz's saved state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Always [`FORMAT`].
    pub format: String,
    /// The saved-progress format version ([`VERSION`]).
    pub version: u32,
    /// The book id the progress belongs to.
    pub book: String,
    /// The learner's seed, so option order and pool draws come back the same.
    pub seed: Option<u64>,
    /// Per quiz id, its saved state.
    pub quizzes: BTreeMap<String, QuizState>,
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
    book: Option<String>,
}

impl Export {
    /// An export of `book`'s progress.
    pub fn new(book: &str, seed: Option<u64>, quizzes: BTreeMap<String, QuizState>) -> Self {
        Export {
            format: FORMAT.to_owned(),
            version: VERSION,
            book: book.to_owned(),
            seed,
            quizzes,
        }
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads an export file for `book`; `Err` is a sentence for the learner.
    pub fn parse(book: &str, text: &str) -> Result<Export, String> {
        let not = "This file is not a progress export of this course";
        let header: Header =
            serde_json::from_str(text).map_err(|_| format!("{not}: it is not valid JSON."))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(format!("{not}."));
        }
        if header.book.as_deref() != Some(book) {
            return Err(format!(
                "This file holds progress for another book ({}), not this one.",
                header.book.as_deref().unwrap_or("unnamed")
            ));
        }
        check_version(header.version)
            .map_err(|why| format!("This file cannot be imported: {why}."))?;
        serde_json::from_str(text)
            .map_err(|e| format!("This file cannot be imported: it is damaged ({e})."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Export {
        let mut quizzes = BTreeMap::new();
        quizzes.insert(
            "q".to_owned(),
            QuizState {
                finished: true,
                ..QuizState::default()
            },
        );
        Export::new("book", Some(42), quizzes)
    }

    #[test]
    fn an_export_imports_back_unchanged() {
        let e = sample();
        assert_eq!(Export::parse("book", &e.to_json()), Ok(e));
    }

    #[test]
    fn bad_files_are_refused_with_a_clear_reason() {
        let json = sample().to_json();
        let err = |book: &str, text: &str| Export::parse(book, text).unwrap_err();
        assert!(err("book", "hello").contains("not valid JSON"));
        assert!(err("book", "{}").contains("not a progress export"));
        assert!(err("other", &json).contains("another book (book)"));
        assert!(err("book", &json.replace("\"version\":2", "\"version\":9")).contains("format 9"));
        assert!(
            err("book", &json.replace("\"finished\":true", "\"finished\":3")).contains("damaged")
        );
    }
}
