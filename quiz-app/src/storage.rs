//! Saved progress in the browser's localStorage: versioned, namespaced per book and quiz, and never
//! lost: data that cannot be read is backed up under another key before the quiz starts afresh.

use serde::{Deserialize, Serialize};

use crate::state::QuizState;

/// The format version written today. Older or newer data is backed up, not guessed at.
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Saved {
    version: u32,
    #[serde(flatten)]
    state: QuizState,
}

/// The localStorage key of one quiz's progress.
pub fn key(book: &str, quiz: &str) -> String {
    format!("course:{book}:quiz:{quiz}")
}

/// Reads saved progress. `Err` carries why it could not be used (then it should be backed up).
pub fn decode(raw: &str) -> Result<QuizState, String> {
    let value: serde_json::Value =
        serde_json::from_str(raw).map_err(|_| "it is not valid JSON".to_owned())?;
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(format!(
                "it was written by another version of the course (format {v})"
            ))
        }
        None => return Err("it has no format version".to_owned()),
    }
    serde_json::from_value::<Saved>(value)
        .map(|s| s.state)
        .map_err(|e| format!("it does not have the expected shape ({e})"))
}

/// Serialises progress for saving.
pub fn encode(state: &QuizState) -> String {
    serde_json::to_string(&Saved {
        version: VERSION,
        state: state.clone(),
    })
    .expect("plain data serialises")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
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
            let backup = format!("{key}:backup:{}", js_sys::Date::now() as u64);
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
                answer: Some(Answer::Single(2)),
                checked: true,
                correct: Some(false),
            },
        );
        assert_eq!(decode(&encode(&state)), Ok(state));
    }

    #[test]
    fn corrupt_or_foreign_data_is_refused_with_a_reason() {
        assert!(decode("{not json").unwrap_err().contains("not valid JSON"));
        assert!(decode(r#"{"version":99,"questions":{}}"#)
            .unwrap_err()
            .contains("format 99"));
        assert!(decode(r#"{"questions":{}}"#)
            .unwrap_err()
            .contains("no format version"));
        assert!(decode(r#"{"version":1,"questions":3}"#)
            .unwrap_err()
            .contains("expected shape"));
    }
}
