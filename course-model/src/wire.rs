//! Quizzes and answers as [`Json`]: the format the preprocessor writes into the page and the
//! browser reads, converted by hand so that the quiz bundle carries no serialisation framework.
//!
//! It is the same JSON serde writes for these types (externally tagged kinds and answers,
//! kebab-case names, `null` for absent options), so both sides agree; a test converts every
//! field both ways and compares with serde's output.

use crate::grade::Answer;
use crate::json::{object, Json};
use crate::quiz::{Choice, InputKind, Layout, Pair, Part, Question, QuestionKind, Quiz};

/// A reason a JSON value is not the expected data: which field, and what is wrong with it.
pub type WireError = String;

fn missing(key: &str) -> WireError {
    format!("`{key}` is missing or has the wrong type")
}

/// A required string field.
pub fn req_str(o: &Json, key: &str) -> Result<String, WireError> {
    o.get(key)
        .and_then(Json::as_str)
        .map(str::to_owned)
        .ok_or_else(|| missing(key))
}

/// An optional string field (`null` or absent is `None`).
pub fn opt_str(o: &Json, key: &str) -> Result<Option<String>, WireError> {
    match o.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .map(|s| Some(s.to_owned()))
            .ok_or_else(|| missing(key)),
    }
}

/// A boolean field, `default` when absent.
pub fn bool_or(o: &Json, key: &str, default: bool) -> Result<bool, WireError> {
    match o.get(key) {
        None => Ok(default),
        Some(v) => v.as_bool().ok_or_else(|| missing(key)),
    }
}

/// An optional number field.
pub fn opt_f64(o: &Json, key: &str) -> Result<Option<f64>, WireError> {
    match o.get(key) {
        None => Ok(None),
        Some(v) => v.as_f64().map(Some).ok_or_else(|| missing(key)),
    }
}

/// An optional whole-number field.
pub fn opt_usize(o: &Json, key: &str) -> Result<Option<usize>, WireError> {
    match o.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .map(|n| Some(n as usize))
            .ok_or_else(|| missing(key)),
    }
}

/// A list field read item by item (absent is empty).
pub fn list<T>(
    o: &Json,
    key: &str,
    item: impl Fn(&Json) -> Result<T, WireError>,
) -> Result<Vec<T>, WireError> {
    match o.get(key) {
        None => Ok(Vec::new()),
        Some(v) => v
            .as_array()
            .ok_or_else(|| missing(key))?
            .iter()
            .enumerate()
            .map(|(i, x)| item(x).map_err(|e| format!("{key}[{i}]: {e}")))
            .collect(),
    }
}

/// An array of whole numbers.
pub fn indices(v: &Json) -> Option<Vec<usize>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_u64().map(|n| n as usize))
        .collect()
}

fn strings(v: &[String]) -> Json {
    Json::Arr(v.iter().map(|s| s.as_str().into()).collect())
}

fn numbers(v: &[usize]) -> Json {
    Json::Arr(v.iter().map(|&n| n.into()).collect())
}

fn text(v: &Json) -> Result<String, WireError> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| "expected a string".to_owned())
}

/// The single `{"tag": value}` of an externally tagged enum.
fn tagged(v: &Json) -> Option<(&str, &Json)> {
    match v.as_object()? {
        [(tag, value)] => Some((tag, value)),
        _ => None,
    }
}

fn named<T: Copy + PartialEq>(names: &[(&'static str, T)], value: T) -> &'static str {
    names
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(n, _)| n)
}

fn by_name<T: Copy>(
    names: &[(&'static str, T)],
    o: &Json,
    key: &str,
    default: T,
) -> Result<T, WireError> {
    match o.get(key) {
        None => Ok(default),
        Some(v) => {
            let name = v.as_str().ok_or_else(|| missing(key))?;
            names
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .ok_or_else(|| format!("`{key}` has an unknown value `{name}`"))
        }
    }
}

impl Quiz {
    /// Reads a quiz from its JSON.
    pub fn from_json(v: &Json) -> Result<Quiz, WireError> {
        Ok(Quiz {
            id: req_str(v, "id")?,
            title: req_str(v, "title")?,
            pass_mark: opt_usize(v, "pass_mark")?.map_or(70, |n| n.min(100) as u8),
            layout: by_name(&Layout::NAMES, v, "layout", Layout::OneAtATime)?,
            shuffle_options: bool_or(v, "shuffle_options", true)?,
            shuffle_questions: bool_or(v, "shuffle_questions", false)?,
            draw: opt_usize(v, "draw")?,
            questions: list(v, "questions", Question::from_json)?,
        })
    }

    /// The quiz as JSON.
    pub fn to_json(&self) -> Json {
        object([
            ("id", self.id.as_str().into()),
            ("title", self.title.as_str().into()),
            ("pass_mark", usize::from(self.pass_mark).into()),
            ("layout", named(&Layout::NAMES, self.layout).into()),
            ("shuffle_options", self.shuffle_options.into()),
            ("shuffle_questions", self.shuffle_questions.into()),
            ("draw", self.draw.into()),
            (
                "questions",
                Json::Arr(self.questions.iter().map(Question::to_json).collect()),
            ),
        ])
    }
}

impl Question {
    /// Reads a question from its JSON.
    pub fn from_json(v: &Json) -> Result<Question, WireError> {
        let id = req_str(v, "id")?;
        let within = |e: WireError| format!("question `{id}`: {e}");
        let part = match v.get("part") {
            None => None,
            Some(p) => Some(Part {
                name: req_str(p, "name").map_err(within)?,
                context: req_str(p, "context").map_err(within)?,
            }),
        };
        let kind = v
            .get("kind")
            .ok_or_else(|| missing("kind"))
            .and_then(QuestionKind::from_json)
            .map_err(within)?;
        let read = || -> Result<Question, WireError> {
            Ok(Question {
                prompt: req_str(v, "prompt")?,
                code: opt_str(v, "code")?,
                code_lang: opt_str(v, "code_lang")?,
                explanation: opt_str(v, "explanation")?,
                hint: opt_str(v, "hint")?,
                objective: opt_str(v, "objective")?,
                part: part.clone(),
                shuffle_options: match v.get("shuffle_options") {
                    None => None,
                    Some(b) => Some(b.as_bool().ok_or_else(|| missing("shuffle_options"))?),
                },
                kind: kind.clone(),
                id: id.clone(),
            })
        };
        read().map_err(within)
    }

    /// The question as JSON (its [`Question::content_hash`] is taken over this text).
    pub fn to_json(&self) -> Json {
        object([
            ("id", self.id.as_str().into()),
            ("prompt", self.prompt.as_str().into()),
            ("code", self.code.as_deref().into()),
            ("code_lang", self.code_lang.as_deref().into()),
            ("explanation", self.explanation.as_deref().into()),
            ("hint", self.hint.as_deref().into()),
            ("objective", self.objective.as_deref().into()),
            (
                "part",
                self.part.as_ref().map_or(Json::Null, |p| {
                    object([
                        ("name", p.name.as_str().into()),
                        ("context", p.context.as_str().into()),
                    ])
                }),
            ),
            ("shuffle_options", self.shuffle_options.into()),
            ("kind", self.kind.to_json()),
        ])
    }
}

impl Choice {
    fn from_json(v: &Json) -> Result<Choice, WireError> {
        Ok(Choice {
            text: req_str(v, "text")?,
            correct: bool_or(v, "correct", false)?,
            why: opt_str(v, "why")?,
        })
    }

    fn to_json(&self) -> Json {
        object([
            ("text", self.text.as_str().into()),
            ("correct", self.correct.into()),
            ("why", self.why.as_deref().into()),
        ])
    }
}

fn choices(options: &[Choice]) -> Json {
    Json::Arr(options.iter().map(Choice::to_json).collect())
}

impl QuestionKind {
    /// Reads a kind from its externally tagged JSON (`{"single": {...}}`).
    pub fn from_json(v: &Json) -> Result<QuestionKind, WireError> {
        let (tag, d) = tagged(v).ok_or_else(|| missing("kind"))?;
        Ok(match tag {
            "single" => QuestionKind::Single {
                options: list(d, "options", Choice::from_json)?,
            },
            "multiple" => QuestionKind::Multiple {
                options: list(d, "options", Choice::from_json)?,
                partial_credit: bool_or(d, "partial_credit", false)?,
            },
            "true-false" => QuestionKind::TrueFalse {
                answer: bool_or(d, "answer", false)?,
                why_true: opt_str(d, "why_true")?,
                why_false: opt_str(d, "why_false")?,
            },
            "short" => QuestionKind::Short {
                answers: list(d, "answers", text)?,
                case_sensitive: bool_or(d, "case_sensitive", false)?,
                pattern: opt_str(d, "pattern")?,
                input: by_name(&InputKind::NAMES, d, "input", InputKind::Line)?,
            },
            "numeric" => QuestionKind::Numeric {
                answer: opt_f64(d, "answer")?,
                tolerance: opt_f64(d, "tolerance")?,
                min: opt_f64(d, "min")?,
                max: opt_f64(d, "max")?,
                unit: opt_str(d, "unit")?,
            },
            "ordering" => QuestionKind::Ordering {
                items: list(d, "items", text)?,
                partial_credit: bool_or(d, "partial_credit", false)?,
            },
            "matching" => QuestionKind::Matching {
                pairs: list(d, "pairs", |p| {
                    Ok(Pair {
                        left: req_str(p, "left")?,
                        right: req_str(p, "right")?,
                    })
                })?,
                distractors: list(d, "distractors", text)?,
                partial_credit: bool_or(d, "partial_credit", false)?,
            },
            other => return Err(format!("unknown question type `{other}`")),
        })
    }

    /// The kind as externally tagged JSON.
    pub fn to_json(&self) -> Json {
        let data = match self {
            QuestionKind::Single { options } => object([("options", choices(options))]),
            QuestionKind::Multiple {
                options,
                partial_credit,
            } => object([
                ("options", choices(options)),
                ("partial_credit", (*partial_credit).into()),
            ]),
            QuestionKind::TrueFalse {
                answer,
                why_true,
                why_false,
            } => object([
                ("answer", (*answer).into()),
                ("why_true", why_true.as_deref().into()),
                ("why_false", why_false.as_deref().into()),
            ]),
            QuestionKind::Short {
                answers,
                case_sensitive,
                pattern,
                input,
            } => object([
                ("answers", strings(answers)),
                ("case_sensitive", (*case_sensitive).into()),
                ("pattern", pattern.as_deref().into()),
                ("input", named(&InputKind::NAMES, *input).into()),
            ]),
            QuestionKind::Numeric {
                answer,
                tolerance,
                min,
                max,
                unit,
            } => object([
                ("answer", (*answer).into()),
                ("tolerance", (*tolerance).into()),
                ("min", (*min).into()),
                ("max", (*max).into()),
                ("unit", unit.as_deref().into()),
            ]),
            QuestionKind::Ordering {
                items,
                partial_credit,
            } => object([
                ("items", strings(items)),
                ("partial_credit", (*partial_credit).into()),
            ]),
            QuestionKind::Matching {
                pairs,
                distractors,
                partial_credit,
            } => object([
                (
                    "pairs",
                    Json::Arr(
                        pairs
                            .iter()
                            .map(|p| {
                                object([
                                    ("left", p.left.as_str().into()),
                                    ("right", p.right.as_str().into()),
                                ])
                            })
                            .collect(),
                    ),
                ),
                ("distractors", strings(distractors)),
                ("partial_credit", (*partial_credit).into()),
            ]),
        };
        Json::Obj(vec![(self.name().to_owned(), data)])
    }
}

impl Answer {
    /// Reads an answer from its externally tagged JSON (`{"single": 1}`).
    pub fn from_json(v: &Json) -> Result<Answer, WireError> {
        let (tag, d) =
            tagged(v).ok_or_else(|| "an answer must be an object with one key".to_owned())?;
        let bad = || format!("the `{tag}` answer has the wrong shape");
        Ok(match tag {
            "single" => Answer::Single(d.as_u64().ok_or_else(bad)? as usize),
            "multiple" => Answer::Multiple(indices(d).ok_or_else(bad)?),
            "true-false" => Answer::TrueFalse(d.as_bool().ok_or_else(bad)?),
            "short" => Answer::Short(d.as_str().ok_or_else(bad)?.to_owned()),
            "numeric" => Answer::Numeric(d.as_str().ok_or_else(bad)?.to_owned()),
            "ordering" => Answer::Ordering(indices(d).ok_or_else(bad)?),
            "matching" => Answer::Matching(
                d.as_array()
                    .ok_or_else(bad)?
                    .iter()
                    .map(|x| match x {
                        Json::Null => Ok(None),
                        x => x.as_u64().map(|n| Some(n as usize)).ok_or_else(bad),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => return Err(format!("unknown answer type `{other}`")),
        })
    }

    /// The answer as externally tagged JSON.
    pub fn to_json(&self) -> Json {
        let (tag, value) = match self {
            Answer::Single(i) => ("single", (*i).into()),
            Answer::Multiple(v) => ("multiple", numbers(v)),
            Answer::TrueFalse(b) => ("true-false", (*b).into()),
            Answer::Short(s) => ("short", s.as_str().into()),
            Answer::Numeric(s) => ("numeric", s.as_str().into()),
            Answer::Ordering(v) => ("ordering", numbers(v)),
            Answer::Matching(v) => (
                "matching",
                Json::Arr(v.iter().map(|x| (*x).into()).collect()),
            ),
        };
        Json::Obj(vec![(tag.to_owned(), value)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_quiz;

    const EVERY_KIND: &str = r#"
id = "q"
title = "T"
pass_mark = 60
layout = "all"
shuffle_questions = true
draw = 2
[[question]]
id = "s"
type = "single"
prompt = "P *md*"
code = "print(1)"
code_lang = "python"
explanation = "E"
hint = "H"
objective = "o"
shuffle_options = false
[[question.option]]
text = "a"
correct = true
why = "because"
[[question.option]]
text = "b"
[[question]]
id = "m"
type = "multiple"
prompt = "P"
partial_credit = true
[[question.option]]
text = "a"
correct = true
[[question.option]]
text = "b"
correct = true
[[question]]
id = "tf"
type = "true-false"
prompt = "P"
answer = false
why_true = "no"
[[question]]
id = "sh"
type = "short"
prompt = "P"
answers = ["x", "y"]
case_sensitive = true
pattern = "x+"
input = "code"
[[question]]
id = "n"
type = "numeric"
prompt = "P"
answer = 1769.5
tolerance = 0.25
unit = "MB"
[[question]]
id = "n2"
type = "numeric"
prompt = "P"
min = 1
max = 3
[[question]]
id = "o"
type = "ordering"
prompt = "P"
items = ["Init", "Invoke", "Shutdown"]
[[question]]
id = "ma"
type = "matching"
prompt = "P"
distractors = ["z"]
[[question.pair]]
left = "a"
right = "b"
[[question.pair]]
left = "c"
right = "d"
"#;

    #[test]
    fn a_quiz_reads_back_from_the_json_serde_writes_and_from_its_own() {
        let quiz = parse_quiz("q.toml", EVERY_KIND).unwrap();
        let from_serde = Json::parse(&serde_json::to_string(&quiz).unwrap()).unwrap();
        assert_eq!(Quiz::from_json(&from_serde).unwrap(), quiz);
        assert_eq!(Quiz::from_json(&quiz.to_json()).unwrap(), quiz);
        let ours = Json::parse(&quiz.to_json().to_text()).unwrap();
        assert_eq!(
            ours, from_serde,
            "the same JSON as serde's, field for field, in order"
        );
    }

    #[test]
    fn every_answer_round_trips_in_serdes_format() {
        for a in [
            Answer::Single(2),
            Answer::Multiple(vec![0, 3]),
            Answer::TrueFalse(true),
            Answer::Short("a \"b\"".into()),
            Answer::Numeric("1,024 MB".into()),
            Answer::Ordering(vec![2, 0, 1]),
            Answer::Matching(vec![Some(1), None]),
        ] {
            let text = a.to_json().to_text();
            assert_eq!(text, serde_json::to_string(&a).unwrap());
            assert_eq!(Answer::from_json(&Json::parse(&text).unwrap()), Ok(a));
        }
    }

    #[test]
    fn wrong_shapes_name_the_field() {
        let bad = Json::parse(r#"{"id":"q","title":"T","questions":[{"id":"a","prompt":"P","kind":{"single":{"options":[{"text":1}]}}}]}"#).unwrap();
        let err = Quiz::from_json(&bad).unwrap_err();
        assert!(
            err.contains("questions[0]") && err.contains("question `a`") && err.contains("`text`"),
            "{err}"
        );
        let err = Answer::from_json(&Json::parse(r#"{"single":"x"}"#).unwrap()).unwrap_err();
        assert!(err.contains("`single` answer"), "{err}");
    }
}
