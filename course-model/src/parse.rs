//! Reading a quiz file: TOML text in, a [`Quiz`] or every problem found out.

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::quiz::{Choice, Question, QuestionKind, Quiz};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    id: String,
    title: String,
    #[serde(default)]
    question: Vec<toml::Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    prompt: String,
    explanation: Option<String>,
    #[serde(default)]
    option: Vec<RawChoice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    text: String,
    #[serde(default)]
    correct: bool,
    why: Option<String>,
}

/// Parses and validates the quiz in `source`; `file` names it in diagnostics.
pub fn parse_quiz(file: &str, source: &str) -> Result<Quiz, Vec<Diagnostic>> {
    let raw: RawQuiz = toml::from_str(source).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        vec![Diagnostic::error_at(file, source, offset, e.message().trim())]
    })?;
    let mut errors = Vec::new();
    let mut questions = Vec::new();
    for spanned in raw.question {
        let offset = spanned.span().start;
        let q = spanned.into_inner();
        if q.kind != "single" {
            errors.push(
                Diagnostic::error_at(file, source, offset, format!("unknown question type `{}`", q.kind))
                    .with_hint("use `type = \"single\"`"),
            );
            continue;
        }
        if q.option.iter().filter(|o| o.correct).count() != 1 {
            errors.push(
                Diagnostic::error_at(file, source, offset, format!("question `{}` must have exactly one correct option", q.id))
                    .with_hint("mark one `[[question.option]]` with `correct = true`"),
            );
        }
        questions.push(Question {
            id: q.id,
            prompt: q.prompt,
            explanation: q.explanation,
            kind: QuestionKind::Single {
                options: q
                    .option
                    .into_iter()
                    .map(|o| Choice { text: o.text, correct: o.correct, why: o.why })
                    .collect(),
            },
        });
    }
    if errors.is_empty() {
        Ok(Quiz { id: raw.id, title: raw.title, questions })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "q"
title = "T"

[[question]]
id = "q1"
type = "single"
prompt = "Pick"

[[question.option]]
text = "a"
correct = true

[[question.option]]
text = "b"
"#;

    #[test]
    fn a_valid_single_choice_quiz_parses() {
        let quiz = parse_quiz("q.toml", GOOD).unwrap();
        assert_eq!(quiz.questions.len(), 1);
    }

    #[test]
    fn an_unknown_key_is_reported_at_its_line_and_column() {
        let src = GOOD.replace("prompt = \"Pick\"", "promt = \"Pick\"");
        let errs = parse_quiz("q.toml", &src).unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (8, 1), "{}", errs[0]);
        assert!(errs[0].message.contains("promt"), "{}", errs[0]);
    }
}
