//! JSON Schemas of the files instructors write, for editors (feature `schema`, never in the
//! browser bundles): `mdbook-course schema quiz|lab|scenario` prints them and `schemas/` holds
//! them, so Taplo ("Even Better TOML") completes and validates keys while an author types.
//!
//! Labs and scenarios are read by serde, so their schemas come from the very types that read
//! them ([`lab_schema`], `lab_runtime::scenario::schema`). A quiz file is read by a hand-written
//! reader (for its diagnostics) into [`Quiz`](crate::Quiz), whose JSON shape is the browser's, not
//! the file's; [`QuizFile`] describes the file, and a test holds its keys equal to the reader's.

use std::collections::BTreeMap;

use schemars::JsonSchema;

use crate::quiz::{InputKind, Layout};

/// A quiz file (`content/quizzes/<chapter>/<name>.toml`): the quiz's keys at the top, then one
/// `[[question]]` table per question. Guide: book/src/instructors/quizzes.md.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "mdbook-course quiz file")]
pub struct QuizFile {
    /// Unique across the book; saved progress is keyed by it. ASCII letters, digits, `-`, `_` and
    /// `.` only.
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]+$"))]
    pub id: String,
    /// Shown above the quiz and on the progress page.
    pub title: String,
    /// Percent of the total score needed to pass (a whole number, 0–100; default 70).
    #[schemars(range(min = 0, max = 100), extend("default" = 70))]
    pub pass_mark: Option<u8>,
    /// `one-at-a-time` (default) or `all` (every question on the page).
    pub layout: Option<Layout>,
    /// Shuffle the options of `single` and `multiple` questions, seeded per learner (default
    /// true).
    #[schemars(extend("default" = true))]
    pub shuffle_options: Option<bool>,
    /// Shuffle the question order, seeded per learner (default false).
    #[schemars(extend("default" = false))]
    pub shuffle_questions: Option<bool>,
    /// Ask only this many questions, drawn per learner from all of them (a pool); default: all.
    #[schemars(range(min = 1))]
    pub draw: Option<u64>,
    /// Named Markdown contexts shared by several questions (`part = "<name>"` in a question).
    pub parts: Option<BTreeMap<String, String>>,
    /// The questions, in authoring order.
    #[schemars(length(min = 1))]
    pub question: Vec<QuestionFile>,
}

/// One `[[question]]`: `type` names the question type and decides the other keys.
#[derive(JsonSchema)]
#[schemars(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum QuestionFile {
    /// Exactly one option is correct (radio buttons).
    Single {
        #[schemars(flatten)]
        #[allow(missing_docs)]
        common: Common,
        /// The options: at least two, exactly one with `correct = true`.
        #[schemars(length(min = 2))]
        option: Vec<OptionFile>,
        /// Overrides the quiz's `shuffle_options` for this question (e.g. false for "all of the
        /// above").
        shuffle_options: Option<bool>,
    },
    /// One or more options are correct (checkboxes).
    Multiple {
        #[schemars(flatten)]
        #[allow(missing_docs)]
        common: Common,
        /// The options: at least two, one or more with `correct = true`.
        #[schemars(length(min = 2))]
        option: Vec<OptionFile>,
        /// Score between 0 and 1 instead of all or nothing (default false).
        partial_credit: Option<bool>,
        /// Overrides the quiz's `shuffle_options` for this question.
        shuffle_options: Option<bool>,
    },
    /// A statement that is true or false.
    TrueFalse {
        #[schemars(flatten)]
        #[allow(missing_docs)]
        common: Common,
        /// Whether the statement in the prompt is true.
        answer: bool,
        /// Why "true" is right or wrong (Markdown).
        why_true: Option<String>,
        /// Why "false" is right or wrong (Markdown).
        why_false: Option<String>,
    },
    /// A typed answer compared with accepted alternatives or a pattern.
    Short {
        #[schemars(flatten)]
        #[allow(missing_docs)]
        common: Common,
        /// Accepted answers; the first is shown as "the" answer in review. Whitespace is always
        /// normalised.
        #[schemars(length(min = 1))]
        answers: Vec<String>,
        /// Compare case exactly (default false).
        case_sensitive: Option<bool>,
        /// A regular expression (regex-lite syntax) the whole answer may match instead.
        pattern: Option<String>,
        /// The input the player shows: `line` (default), `text` or `code`.
        input: Option<InputKind>,
    },
    /// A number, right within a tolerance or a range, with an optional unit.
    Numeric {
        #[schemars(flatten)]
        #[allow(missing_docs)]
        common: Common,
        /// The expected value, shown in review (or give `min` and `max`).
        answer: Option<f64>,
        /// Accepted distance from `answer` (default 0).
        #[schemars(range(min = 0))]
        tolerance: Option<f64>,
        /// Lowest accepted value (with `max`, instead of `answer` ± `tolerance`).
        min: Option<f64>,
        /// Highest accepted value (with `min`).
        max: Option<f64>,
        /// Shown next to the input, and accepted after the number (`120 ms`).
        unit: Option<String>,
    },
    /// Items to put in order; written in the correct order, shown shuffled.
    Ordering {
        #[schemars(flatten)]
        #[allow(missing_docs)]
        common: Common,
        /// The items in the correct order (Markdown), at least two.
        #[schemars(length(min = 2))]
        items: Vec<String>,
        /// Score the share of items in the right place instead of all or nothing (default
        /// false).
        partial_credit: Option<bool>,
    },
    /// Left items to pair with right items; extra right items (distractors) match nothing.
    Matching {
        #[schemars(flatten)]
        #[allow(missing_docs)]
        common: Common,
        /// The correct pairs, at least two.
        #[schemars(length(min = 2))]
        pair: Vec<PairFile>,
        /// Right-hand items that belong to no left item (Markdown).
        distractors: Option<Vec<String>>,
        /// Score the share of correct pairs instead of all or nothing (default false).
        partial_credit: Option<bool>,
    },
}

/// The keys every question type has.
#[derive(JsonSchema)]
pub struct Common {
    /// Stable id, unique across the whole book, of ASCII letters, digits, `-`, `_` and `.`; saved
    /// answers are keyed by it, so keep it when you edit the question (`mdbook-course check
    /// --fix-ids` writes missing ones).
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]+$"))]
    pub id: String,
    /// The question (Markdown).
    pub prompt: String,
    /// A code or log excerpt shown under the prompt, verbatim (use `'''...'''` for several
    /// lines).
    pub code: Option<String>,
    /// The excerpt's language for highlighting (default `text`).
    pub code_lang: Option<String>,
    /// Shown after checking, right or wrong (Markdown); a warning when missing.
    pub explanation: Option<String>,
    /// Shown on request before checking (Markdown).
    pub hint: Option<String>,
    /// A learning-objective tag, e.g. `cold-starts`.
    pub objective: Option<String>,
    /// The name of a context under `[parts]`, shown above the prompt.
    pub part: Option<String>,
    /// The pool a drawing quiz (`draw = N`) takes this question from: the draw takes from every
    /// pool in turn, so each attempt covers each pool. Usually the chapter.
    pub pool: Option<String>,
    /// Item-writing lint warnings silenced for this question on purpose, e.g.
    /// `["longest-correct"]` (see the authoring guide's item-writing lint).
    pub lint_allow: Option<Vec<String>>,
}

/// A `[[question.option]]` of a choice question.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct OptionFile {
    /// The option (Markdown).
    pub text: String,
    /// Whether choosing it is right (default false).
    #[schemars(extend("default" = false))]
    pub correct: Option<bool>,
    /// Why this option is right or wrong, shown after checking (Markdown); a warning when
    /// missing.
    pub why: Option<String>,
}

/// A `[[question.pair]]` of a matching question.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PairFile {
    /// The item the learner finds a partner for (Markdown).
    pub left: String,
    /// Its partner (Markdown).
    pub right: String,
}

/// The JSON Schema of a quiz file.
pub fn quiz_schema() -> schemars::Schema {
    lab_runtime::scenario::schema_generator().into_root_schema_for::<QuizFile>()
}

/// The JSON Schema of a lab file.
pub fn lab_schema() -> schemars::Schema {
    crate::lab::file_schema()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::kinds::{allowed_keys, KIND_KEYS};
    use crate::native::QUIZ_KEYS;

    fn keys(object: &Value) -> BTreeSet<String> {
        object["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_quiz_schema_has_exactly_the_keys_the_reader_accepts() {
        let schema = serde_json::to_value(quiz_schema()).unwrap();
        let top: BTreeSet<String> = QUIZ_KEYS.iter().map(|k| k.to_string()).collect();
        assert_eq!(keys(&schema), top);
        assert_eq!(schema["additionalProperties"], false);
        let variants = schema["definitions"]["QuestionFile"]["oneOf"]
            .as_array()
            .expect("one schema per question type");
        assert_eq!(variants.len(), KIND_KEYS.len());
        for (kind, _) in KIND_KEYS {
            let variant = variants
                .iter()
                .find(|v| v["properties"]["type"]["const"] == kind)
                .unwrap_or_else(|| panic!("no schema for type {kind}"));
            let want: BTreeSet<String> = allowed_keys(kind).iter().map(|k| k.to_string()).collect();
            assert_eq!(keys(variant), want, "keys of type {kind}");
            assert!(
                variant["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{kind} has no description"
            );
            for (key, property) in variant["properties"].as_object().unwrap() {
                if key != "type" {
                    assert!(
                        property["description"].is_string(),
                        "{kind}.{key} has no description"
                    );
                }
            }
        }
    }
}
