//! Exporting all of a book's progress to a JSON file and importing it back. Pure: the progress
//! page does the file and storage work.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codec;
use crate::lab_progress::LabSaved;
use crate::state::QuizState;
use crate::storage::{check_version, Versioned, VERSION};

/// What an export file says it is.
pub const FORMAT: &str = "course-progress";

/// An export file: the learner's seed, every quiz's saved state and every lab's completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Always [`FORMAT`].
    pub format: String,
    /// The saved-progress format version ([`VERSION`]).
    pub version: u32,
    /// The book id the progress belongs to.
    pub book: String,
    /// The learner's seed, so option order and pool draws come back the same.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Per quiz id, its saved state.
    #[serde(default)]
    pub quizzes: BTreeMap<String, QuizState>,
    /// Per lab id, its completion (files exported before labs were listed have none).
    #[serde(default)]
    pub labs: BTreeMap<String, LabSaved>,
}

/// What is read first of an imported file: what it says it is, before its contents.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    book: Option<String>,
}

impl Export {
    /// An export of `book`'s progress.
    pub fn new(
        book: &str,
        seed: Option<u64>,
        quizzes: BTreeMap<String, QuizState>,
        labs: BTreeMap<String, LabSaved>,
    ) -> Self {
        Export {
            format: FORMAT.to_owned(),
            version: VERSION,
            book: book.to_owned(),
            seed,
            quizzes,
            labs,
        }
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        codec::to_string(self)
    }

    /// Reads an export file for `book`; `Err` is a sentence for the learner.
    pub fn parse(book: &str, text: &str) -> Result<Export, String> {
        let not = "This file is not a progress export of this course";
        if !text.trim_start().starts_with('{') {
            return Err(format!("{not}: it is not valid JSON."));
        }
        let header: Header =
            codec::from_str(text).map_err(|_| format!("{not}: it is not valid JSON."))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(format!("{not}."));
        }
        if header.book.as_deref() != Some(book) {
            return Err(format!(
                "This file holds progress for another book ({}), not this one.",
                header.book.as_deref().unwrap_or("unnamed")
            ));
        }
        let version: Versioned = codec::from_str(text).map_err(|e| damaged(&e))?;
        check_version(version.version)
            .map_err(|why| format!("This file cannot be imported: {why}."))?;
        codec::from_str(text).map_err(|e| damaged(&e))
    }
}

fn damaged(why: &str) -> String {
    format!("This file cannot be imported: it is damaged ({why}).")
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
        let mut labs = BTreeMap::new();
        labs.insert(
            "cold-warm".to_owned(),
            LabSaved {
                completed: vec!["cold".into()],
                done: false,
            },
        );
        Export::new("book", Some(42), quizzes, labs)
    }

    #[test]
    fn an_export_imports_back_unchanged() {
        let e = sample();
        assert_eq!(Export::parse("book", &e.to_json()), Ok(e));
    }

    #[test]
    fn an_export_from_before_labs_were_listed_still_imports() {
        let old = r#"{"format":"course-progress","version":2,"book":"book","seed":7,"quizzes":{}}"#;
        let e = Export::parse("book", old).unwrap();
        assert_eq!(e.seed, Some(7));
        assert!(e.labs.is_empty());
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
