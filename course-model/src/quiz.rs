//! The quiz schema: what an instructor writes in `content/quizzes/<chapter>/*.toml`.
//!
//! The same types travel to the browser as JSON, with every Markdown field already rendered to
//! sanitised HTML by the preprocessor (see [`Quiz::map_markdown`]). Lists are in authoring order;
//! the player shuffles only for display (see [`crate::shuffle`]).

use serde::{Deserialize, Serialize};

/// A quiz: a titled list of questions, and how the player presents and scores them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    /// Unique across the book; namespaces the learner's saved progress.
    pub id: String,
    /// Shown above the questions.
    pub title: String,
    /// Percent of the score needed to pass (0–100).
    #[serde(default = "default_pass_mark")]
    pub pass_mark: u8,
    /// One question at a time, or all on the page.
    #[serde(default)]
    pub layout: Layout,
    /// Shuffle the options of choice questions (seeded per learner); a question may override it.
    #[serde(default = "yes")]
    pub shuffle_options: bool,
    /// Shuffle the question order (seeded per learner).
    #[serde(default)]
    pub shuffle_questions: bool,
    /// Ask only this many questions, drawn from all of them (a pool); `None` asks all.
    #[serde(default)]
    pub draw: Option<usize>,
    /// The questions, in authoring order.
    pub questions: Vec<Question>,
}

fn default_pass_mark() -> u8 {
    70
}

fn yes() -> bool {
    true
}

/// How the player lays a quiz out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// One question at a time, with a progress indicator.
    #[default]
    OneAtATime,
    /// Every question on the page.
    All,
}

impl Layout {
    /// Every layout with its name in the file, for messages and did-you-mean.
    pub const NAMES: [(&'static str, Layout); 2] =
        [("one-at-a-time", Layout::OneAtATime), ("all", Layout::All)];
}

/// One question: a prompt, what counts as right, and the explanations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id, unique across the book: saved answers are keyed by it.
    pub id: String,
    /// Markdown in the file, HTML after [`Quiz::map_markdown`].
    pub prompt: String,
    /// A code or log excerpt shown under the prompt, verbatim (not Markdown).
    #[serde(default)]
    pub code: Option<String>,
    /// The excerpt's language for highlighting; the player uses `text` when absent.
    #[serde(default)]
    pub code_lang: Option<String>,
    /// Shown after the learner checks an answer, right or wrong (Markdown).
    pub explanation: Option<String>,
    /// Shown on request before checking (Markdown).
    #[serde(default)]
    pub hint: Option<String>,
    /// A learning-objective tag, for grouping results.
    #[serde(default)]
    pub objective: Option<String>,
    /// The pool a drawing quiz (`draw = N`) takes it from: the draw takes from every pool in turn,
    /// so that each attempt covers each pool (see [`crate::draw`]). Usually the chapter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Shared context for a group of questions (mdbook-quiz's `multipart`).
    #[serde(default)]
    pub part: Option<Part>,
    /// Overrides [`Quiz::shuffle_options`] for this question (choice questions only).
    #[serde(default)]
    pub shuffle_options: Option<bool>,
    /// The question type and its type-specific data.
    pub kind: QuestionKind,
}

/// Context shared by consecutive questions, shown above each of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// The part's name in the file; questions with the same name belong together.
    pub name: String,
    /// Markdown in the file, HTML after rendering.
    pub context: String,
}

/// The question types and what each needs to be graded.
///
/// In JSON, externally tagged (`{"true-false": {...}}`): an internally tagged enum makes serde
/// buffer every question through its generic `Content` type, which is large in the browser bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Exactly one option is correct (radio buttons).
    Single {
        /// The options in authoring order.
        options: Vec<Choice>,
    },
    /// One or more options are correct (checkboxes).
    Multiple {
        /// The options in authoring order.
        options: Vec<Choice>,
        /// Score between 0 and 1 instead of all or nothing.
        #[serde(default)]
        partial_credit: bool,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement in the prompt is true.
        answer: bool,
        /// Why "true" is right or wrong (Markdown).
        #[serde(default)]
        why_true: Option<String>,
        /// Why "false" is right or wrong (Markdown).
        #[serde(default)]
        why_false: Option<String>,
    },
    /// A typed answer compared with accepted alternatives or a pattern.
    Short {
        /// Accepted answers; the first is shown as "the" answer in review.
        answers: Vec<String>,
        /// Compare case exactly (whitespace is always normalised).
        #[serde(default)]
        case_sensitive: bool,
        /// A regular expression (regex-lite syntax) the whole answer may match instead.
        #[serde(default)]
        pattern: Option<String>,
        /// The input the player shows.
        #[serde(default)]
        input: InputKind,
    },
    /// A number, right within a tolerance or a range, with an optional unit.
    Numeric {
        /// The expected value, shown in review.
        answer: Option<f64>,
        /// Accepted distance from `answer` (default 0).
        #[serde(default)]
        tolerance: Option<f64>,
        /// Lowest accepted value (with `max`, instead of `answer` ± `tolerance`).
        #[serde(default)]
        min: Option<f64>,
        /// Highest accepted value.
        #[serde(default)]
        max: Option<f64>,
        /// Shown next to the input, and accepted after the number (`120 ms`).
        #[serde(default)]
        unit: Option<String>,
    },
    /// Items to put in order; authored in the correct order, shown shuffled.
    Ordering {
        /// The items in the correct order (Markdown).
        items: Vec<String>,
        /// Score the share of items in the right place instead of all or nothing.
        #[serde(default)]
        partial_credit: bool,
    },
    /// Left items to pair with right items; extra right items match nothing.
    Matching {
        /// The correct pairs.
        pairs: Vec<Pair>,
        /// Right-hand items that belong to no left item (Markdown).
        #[serde(default)]
        distractors: Vec<String>,
        /// Score the share of correct pairs instead of all or nothing.
        #[serde(default)]
        partial_credit: bool,
    },
}

impl QuestionKind {
    /// Every type with its name in the file, in the order the guide lists them.
    pub const NAMES: [&'static str; 7] = [
        "single",
        "multiple",
        "true-false",
        "short",
        "numeric",
        "ordering",
        "matching",
    ];

    /// The type's name as written in `type = "…"`.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::TrueFalse { .. } => "true-false",
            QuestionKind::Short { .. } => "short",
            QuestionKind::Numeric { .. } => "numeric",
            QuestionKind::Ordering { .. } => "ordering",
            QuestionKind::Matching { .. } => "matching",
        }
    }

    /// For numeric questions, the accepted closed range `(low, high)`.
    pub fn numeric_range(&self) -> Option<(f64, f64)> {
        match self {
            QuestionKind::Numeric {
                answer,
                tolerance,
                min,
                max,
                ..
            } => match (min, max, answer) {
                (Some(lo), Some(hi), _) => Some((*lo, *hi)),
                (_, _, Some(a)) => {
                    let t = tolerance.unwrap_or(0.0).abs();
                    Some((a - t, a + t))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// For matching questions, the right-hand choices: the pairs' right items in authoring
    /// order, then the distractors. [`crate::Answer::Matching`] indexes into this list.
    pub fn matching_choices(&self) -> Vec<&str> {
        match self {
            QuestionKind::Matching {
                pairs, distractors, ..
            } => pairs
                .iter()
                .map(|p| p.right.as_str())
                .chain(distractors.iter().map(String::as_str))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The input a short-answer question shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// A one-line text field.
    #[default]
    Line,
    /// A multi-line text area (program output, a sentence or two).
    Text,
    /// A monospaced multi-line editor for code.
    Code,
}

impl InputKind {
    /// Every input kind with its name in the file.
    pub const NAMES: [(&'static str, InputKind); 3] = [
        ("line", InputKind::Line),
        ("text", InputKind::Text),
        ("code", InputKind::Code),
    ];
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

/// A correct pair of a matching question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// The item the learner finds a partner for (Markdown).
    pub left: String,
    /// Its partner (Markdown).
    pub right: String,
}

impl Quiz {
    /// Applies `render` to every Markdown field (prompts, options and their `why`s, explanations,
    /// hints, part contexts, ordering items, matching pairs and distractors), so the preprocessor
    /// can turn Markdown into sanitised HTML once, at build time. Code, short answers, patterns,
    /// units and objective tags are not Markdown and are left alone.
    pub fn map_markdown(&mut self, mut render: impl FnMut(&str) -> String) {
        let opt = |field: &mut Option<String>, render: &mut dyn FnMut(&str) -> String| {
            if let Some(text) = field {
                *text = render(text);
            }
        };
        for q in &mut self.questions {
            q.prompt = render(&q.prompt);
            opt(&mut q.explanation, &mut render);
            opt(&mut q.hint, &mut render);
            if let Some(part) = &mut q.part {
                part.context = render(&part.context);
            }
            match &mut q.kind {
                QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => {
                    for o in options {
                        o.text = render(&o.text);
                        opt(&mut o.why, &mut render);
                    }
                }
                QuestionKind::TrueFalse {
                    why_true,
                    why_false,
                    ..
                } => {
                    opt(why_true, &mut render);
                    opt(why_false, &mut render);
                }
                QuestionKind::Short { .. } | QuestionKind::Numeric { .. } => {}
                QuestionKind::Ordering { items, .. } => {
                    for item in items {
                        *item = render(item);
                    }
                }
                QuestionKind::Matching {
                    pairs, distractors, ..
                } => {
                    for p in pairs {
                        p.left = render(&p.left);
                        p.right = render(&p.right);
                    }
                    for d in distractors {
                        *d = render(d);
                    }
                }
            }
        }
    }
}
