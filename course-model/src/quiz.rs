//! The quiz schema: what an instructor writes in `content/quizzes/<chapter>/*.toml`.
//!
//! The same types travel to the browser as JSON, with every Markdown field already rendered to
//! sanitised HTML by the preprocessor (see [`Quiz::map_markdown`]).

use serde::{Deserialize, Serialize};

/// A quiz: a titled list of questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    /// Unique across the book; namespaces the learner's saved progress.
    pub id: String,
    /// Shown above the questions.
    pub title: String,
    /// The questions, in authoring order.
    pub questions: Vec<Question>,
}

/// One question: a prompt, what counts as right, and the explanations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id, unique across the book: saved answers are keyed by it.
    pub id: String,
    /// Markdown in the file, HTML after [`Quiz::map_markdown`].
    pub prompt: String,
    /// Shown after the learner checks an answer, right or wrong.
    pub explanation: Option<String>,
    /// The question type and its type-specific data.
    pub kind: QuestionKind,
}

/// The question types and what each needs to be graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Exactly one option is correct.
    Single {
        /// The options in authoring order.
        options: Vec<Choice>,
    },
}

/// An option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Markdown in the file, HTML after rendering.
    pub text: String,
    /// Whether choosing it is right.
    pub correct: bool,
    /// Why this option is right or wrong, shown after checking.
    pub why: Option<String>,
}

impl Quiz {
    /// Applies `render` to every Markdown field (prompts, options, explanations), so the
    /// preprocessor can turn Markdown into HTML once, at build time.
    pub fn map_markdown(&mut self, mut render: impl FnMut(&str) -> String) {
        for q in &mut self.questions {
            q.prompt = render(&q.prompt);
            if let Some(e) = &mut q.explanation {
                *e = render(e);
            }
            match &mut q.kind {
                QuestionKind::Single { options } => {
                    for o in options {
                        o.text = render(&o.text);
                        if let Some(w) = &mut o.why {
                            *w = render(w);
                        }
                    }
                }
            }
        }
    }
}
