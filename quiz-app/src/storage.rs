//! Saved progress in the browser's localStorage (through gloo-storage): versioned, namespaced per
//! book and quiz, and never lost: data that cannot be read is backed up under another key before
//! the quiz starts afresh.

use gloo_storage::Storage as _;
use serde::{Deserialize, Serialize};
use web_sys::Storage;

use crate::codec;
use crate::state::QuizState;

/// The format version written today. Older or newer data is backed up, not guessed at.
pub const VERSION: u32 = 2;

/// The localStorage key of one quiz's progress.
pub fn key(book: &str, quiz: &str) -> String {
    format!("{}{quiz}", quiz_prefix(book))
}

/// The prefix of every quiz key of `book`.
pub fn quiz_prefix(book: &str) -> String {
    format!("course:{book}:quiz:")
}

/// The key of the learner's seed (option order, question order and pool draws derive from it).
pub fn seed_key(book: &str) -> String {
    format!("course:{book}:seed")
}

/// Only the version of a saved value, read before anything else so that data of another version
/// is reported as such, not as a wrong shape.
#[derive(Deserialize)]
pub struct Versioned {
    /// The format version, when there is one.
    pub version: Option<u32>,
}

/// A quiz's saved progress as stored.
#[derive(Serialize, Deserialize)]
struct Saved {
    version: u32,
    quiz: QuizState,
}

/// Checks that a saved value is usable data of this version; `Err` says why not.
pub fn check_version(version: Option<u32>) -> Result<(), String> {
    match version {
        Some(VERSION) => Ok(()),
        Some(v) => Err(format!(
            "it was written by another version of the course (format {v})"
        )),
        None => Err("it has no format version".to_owned()),
    }
}

/// Reads saved progress. `Err` carries why it could not be used (then it should be backed up).
pub fn decode(raw: &str) -> Result<QuizState, String> {
    let not_an_object = !raw.trim_start().starts_with('{');
    let v: Versioned = (!not_an_object)
        .then(|| codec::from_str(raw).ok())
        .flatten()
        .ok_or(())
        .map_err(|()| "it is not valid JSON of a saved quiz".to_owned())?;
    check_version(v.version)?;
    codec::from_str::<Saved>(raw)
        .map(|s| s.quiz)
        .map_err(|e| format!("it does not have the expected shape ({e})"))
}

/// Serialises progress for saving.
pub fn encode(state: &QuizState) -> String {
    codec::to_string(&Saved {
        version: VERSION,
        quiz: state.clone(),
    })
}

/// The page's localStorage, when the browser allows it (it may be turned off, or refuse in a
/// private window): without it the app works and saves nothing.
pub fn local_storage() -> Option<Storage> {
    let allowed = web_sys::window()?.local_storage().ok()?.is_some();
    allowed.then(gloo_storage::LocalStorage::raw)
}

/// The value under `key`.
pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

/// Stores `value` under `key`; a full or disabled storage is not an error the learner can act on.
pub fn set(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

/// Removes `key`.
pub fn remove_key(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

/// Moves an unreadable value aside to `course-backup:{key}:{ms}` and returns that key.
pub fn back_up(key: &str, raw: &str) -> String {
    let backup = format!("course-backup:{key}:{}", js_sys::Date::now() as u64);
    set(&backup, raw);
    remove_key(key);
    backup
}

/// The learner's seed for `book`: created at random once, then read back.
pub fn seed(book: &str) -> u64 {
    let key = seed_key(book);
    if let Some(seed) = get(&key).and_then(|s| s.parse::<u64>().ok()) {
        return seed;
    }
    // Below 2^53, so the number survives any JSON tool the learner opens an export with.
    let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    set(&key, &seed.to_string());
    seed
}

/// Loads a quiz's progress; when the saved data is unusable it is copied to a backup key, the quiz
/// starts afresh, and the returned notice tells the learner so.
pub fn load(book: &str, quiz: &str) -> (QuizState, Option<String>) {
    let key = key(book, quiz);
    let Some(raw) = get(&key) else {
        return (QuizState::default(), None);
    };
    match decode(&raw) {
        Ok(state) => (state, None),
        Err(why) => {
            let backup = back_up(&key, &raw);
            let notice = format!(
                "Your saved answers for this quiz could not be read ({why}), so the quiz starts afresh. \
                 The old data is kept in this browser's storage under \"{backup}\"."
            );
            (QuizState::default(), Some(notice))
        }
    }
}

/// Saves a quiz's progress.
pub fn save(book: &str, quiz: &str, state: &QuizState) {
    set(&key(book, quiz), &encode(state));
}

/// Erases a quiz's progress.
pub fn remove(book: &str, quiz: &str) {
    remove_key(&key(book, quiz));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Counted, QuestionState};
    use course_model::Answer;

    #[test]
    fn saved_progress_round_trips() {
        let mut state = QuizState::default();
        state.questions.insert(
            "q1".into(),
            QuestionState {
                hash: "ffffffffffffffff".into(),
                answer: Some(Answer::Matching(vec![Some(2), None])),
                checked: true,
                correct: false,
                score: 0.5,
                counted: Some(Counted {
                    answer: Answer::Matching(vec![None, None]),
                    score: 0.0,
                }),
                first: Some(0.0),
                best: 0.5,
                grade: None,
            },
        );
        state.finished = true;
        state.retry = vec!["q1".into()];
        state.attempt = 3;
        assert_eq!(decode(&encode(&state)), Ok(state));
    }

    #[test]
    fn the_saved_text_keeps_the_format_learners_already_have() {
        let mut state = QuizState::default();
        state.questions.insert(
            "q1".into(),
            QuestionState {
                answer: Some(Answer::Single(1)),
                ..QuestionState::default()
            },
        );
        let text = encode(&state);
        assert!(text.starts_with(r#"{"version":2,"quiz":{"questions":{"q1":{"hash":"","answer":{"single":1},"checked":false"#), "{text}");
    }

    #[test]
    fn corrupt_or_foreign_data_is_refused_with_a_reason() {
        assert!(decode("{not json").unwrap_err().contains("not valid JSON"));
        assert!(decode("[1,2]").unwrap_err().contains("not valid JSON"));
        assert!(decode(r#"{"version":99,"quiz":{}}"#)
            .unwrap_err()
            .contains("format 99"));
        assert!(decode(r#"{"version":1,"questions":{}}"#)
            .unwrap_err()
            .contains("format 1"));
        assert!(decode(r#"{"quiz":{}}"#)
            .unwrap_err()
            .contains("no format version"));
        assert!(decode(r#"{"version":2,"quiz":{"questions":3}}"#)
            .unwrap_err()
            .contains("expected shape"));
    }

    #[test]
    fn keys_are_namespaced_by_book_and_quiz() {
        assert_eq!(key("b", "q"), "course:b:quiz:q");
        assert!(key("b", "q").starts_with(&quiz_prefix("b")));
        assert_eq!(seed_key("b"), "course:b:seed");
    }
}
