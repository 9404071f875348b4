//! What the preprocessor writes into a page and the browser app reads back: one serde codec per
//! type, derived here, used on both sides (serde_json at build time, serde-wasm-bindgen in the
//! browser).

use serde::{Deserialize, Serialize};

use crate::quiz::Quiz;

/// A quiz as its placeholder carries it: the quiz (Markdown already rendered) and, per question,
/// its content hash computed once, at build time, from the canonical serialised question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizPayload {
    /// The quiz as the player shows it.
    pub quiz: Quiz,
    /// [`crate::Question::content_hash_hex`] of each question, in authoring order.
    pub hashes: Vec<String>,
}

impl QuizPayload {
    /// The payload of `quiz`, hashing each question as it is now: call it after rendering.
    pub fn new(quiz: Quiz) -> Self {
        let hashes = quiz
            .questions
            .iter()
            .map(crate::Question::content_hash_hex)
            .collect();
        QuizPayload { quiz, hashes }
    }
}

/// A quiz as the progress overview lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizIndexEntry {
    /// The chapter's title.
    pub chapter: String,
    /// The chapter's page, relative to the site root (`ch02-how-lambda-works.html`).
    pub page: String,
    /// The quiz id (the key of its saved progress).
    pub quiz: String,
    /// The quiz title.
    pub title: String,
    /// The ids of its questions, to count answered ones.
    pub questions: Vec<String>,
}

/// A lab as the progress overview lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabIndexEntry {
    /// The chapter's title.
    pub chapter: String,
    /// The chapter's page, relative to the site root.
    pub page: String,
    /// The lab id (the key of its saved progress).
    pub lab: String,
    /// The lab title.
    pub title: String,
    /// How many objectives it has.
    pub objectives: usize,
}
