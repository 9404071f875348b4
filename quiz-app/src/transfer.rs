//! Exporting all of a book's progress to a JSON file and importing it back. Pure: the progress
//! page does the file and storage work.

use std::collections::BTreeMap;

use course_model::json::{object, Json};

use crate::lab_progress::LabSaved;
use crate::state::QuizState;
use crate::storage::{check_version, version_of, VERSION};

/// What an export file says it is.
pub const FORMAT: &str = "course-progress";

/// An export file: the learner's seed, every quiz's saved state and every lab's completion.
#[derive(Debug, Clone, PartialEq)]
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
    /// Per lab id, its completion (files exported before labs were listed have none).
    pub labs: BTreeMap<String, LabSaved>,
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
        object([
            ("format", self.format.as_str().into()),
            ("version", (self.version as usize).into()),
            ("book", self.book.as_str().into()),
            ("seed", self.seed.map(|s| s as f64).into()),
            (
                "quizzes",
                Json::Obj(
                    self.quizzes
                        .iter()
                        .map(|(id, q)| (id.clone(), q.to_json()))
                        .collect(),
                ),
            ),
            (
                "labs",
                Json::Obj(
                    self.labs
                        .iter()
                        .map(|(id, l)| (id.clone(), lab_to_json(l)))
                        .collect(),
                ),
            ),
        ])
        .to_text()
    }

    /// Reads an export file for `book`; `Err` is a sentence for the learner.
    pub fn parse(book: &str, text: &str) -> Result<Export, String> {
        let not = "This file is not a progress export of this course";
        let v = Json::parse(text).map_err(|_| format!("{not}: it is not valid JSON."))?;
        if v.get("format").and_then(Json::as_str) != Some(FORMAT) {
            return Err(format!("{not}."));
        }
        let from = v.get("book").and_then(Json::as_str);
        if from != Some(book) {
            return Err(format!(
                "This file holds progress for another book ({}), not this one.",
                from.unwrap_or("unnamed")
            ));
        }
        check_version(version_of(&v))
            .map_err(|why| format!("This file cannot be imported: {why}."))?;
        let damaged = |e: String| format!("This file cannot be imported: it is damaged ({e}).");
        let section = |key: &str| -> Result<&[(String, Json)], String> {
            match v.get(key) {
                None => Ok(&[]),
                Some(s) => s
                    .as_object()
                    .ok_or_else(|| damaged(format!("`{key}` must be an object"))),
            }
        };
        let quizzes = section("quizzes")?
            .iter()
            .map(|(id, q)| {
                QuizState::from_json(q)
                    .map(|q| (id.clone(), q))
                    .map_err(|e| damaged(format!("quiz `{id}`: {e}")))
            })
            .collect::<Result<_, _>>()?;
        let labs = section("labs")?
            .iter()
            .map(|(id, l)| {
                lab_from_json(l)
                    .map(|l| (id.clone(), l))
                    .ok_or_else(|| damaged(format!("lab `{id}`")))
            })
            .collect::<Result<_, _>>()?;
        let seed = match v.get("seed") {
            None => None,
            Some(s) => Some(s.as_u64().ok_or_else(|| damaged("`seed`".to_owned()))?),
        };
        Ok(Export::new(book, seed, quizzes, labs))
    }
}

/// A lab's completion as exported (the stored format, `lab_progress`).
fn lab_to_json(l: &LabSaved) -> Json {
    object([
        (
            "version",
            (crate::lab_progress::LAB_VERSION as usize).into(),
        ),
        (
            "completed",
            Json::Arr(l.completed.iter().map(|c| c.as_str().into()).collect()),
        ),
        ("done", l.done.into()),
    ])
}

/// A lab's completion from an export; `None` for another version or a damaged value.
fn lab_from_json(v: &Json) -> Option<LabSaved> {
    if v.get("version").and_then(Json::as_u64) != Some(u64::from(crate::lab_progress::LAB_VERSION))
    {
        return None;
    }
    let completed = v
        .get("completed")
        .and_then(Json::as_array)?
        .iter()
        .map(|c| c.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()?;
    let done = match v.get("done") {
        None => false,
        Some(d) => d.as_bool()?,
    };
    Some(LabSaved { completed, done })
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
