//! Saved progress in the browser's localStorage: versioned, namespaced per book and quiz, and never
//! lost: data that cannot be read is backed up under another key before the quiz starts afresh.

use course_model::json::{object, Json};

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
    let v = Json::parse(raw)
        .ok()
        .filter(|v| v.as_object().is_some())
        .ok_or("it is not valid JSON of a saved quiz")?;
    check_version(version_of(&v))?;
    QuizState::from_json(v.get("quiz").unwrap_or(&Json::Null))
        .map_err(|e| format!("it does not have the expected shape ({e})"))
}

/// The `version` field of saved data, when it is a small whole number.
pub fn version_of(v: &Json) -> Option<u32> {
    v.get("version")
        .and_then(Json::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

/// Serialises progress for saving.
pub fn encode(state: &QuizState) -> String {
    object([
        ("version", (VERSION as usize).into()),
        ("quiz", state.to_json()),
    ])
    .to_text()
}

/// The page's localStorage, when the browser allows it.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The learner's seed for `book`: created at random once, then read back.
pub fn seed(book: &str) -> u64 {
    let storage = local_storage();
    let key = seed_key(book);
    if let Some(seed) = storage
        .as_ref()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .and_then(|s| s.parse::<u64>().ok())
    {
        return seed;
    }
    // Below 2^53, so the number survives any JSON tool the learner opens an export with.
    let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    if let Some(s) = storage {
        let _ = s.set_item(&key, &seed.to_string());
    }
    seed
}

/// Loads a quiz's progress; when the saved data is unusable it is copied to a backup key, the quiz
/// starts afresh, and the returned notice tells the learner so.
pub fn load(book: &str, quiz: &str) -> (QuizState, Option<String>) {
    let Some(storage) = local_storage() else {
        return (QuizState::default(), None);
    };
    let key = key(book, quiz);
    let Ok(Some(raw)) = storage.get_item(&key) else {
        return (QuizState::default(), None);
    };
    match decode(&raw) {
        Ok(state) => (state, None),
        Err(why) => {
            let backup = format!("course-backup:{key}:{}", js_sys::Date::now() as u64);
            let _ = storage.set_item(&backup, &raw);
            let _ = storage.remove_item(&key);
            let notice = format!(
                "Your saved answers for this quiz could not be read ({why}), so the quiz starts afresh. \
                 The old data is kept in this browser's storage under \"{backup}\"."
            );
            (QuizState::default(), Some(notice))
        }
    }
}

/// Saves a quiz's progress; a full or disabled storage is not an error the learner can act on.
pub fn save(book: &str, quiz: &str, state: &QuizState) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&key(book, quiz), &encode(state));
    }
}

/// Erases a quiz's progress.
pub fn remove(book: &str, quiz: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&key(book, quiz));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::QuestionState;
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
            },
        );
        state.finished = true;
        state.retry = vec!["q1".into()];
        assert_eq!(decode(&encode(&state)), Ok(state));
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
