//! Lab completion in localStorage, read by the lab console and the progress page:
//! `course:{book}:lab:{id}` = `{"version":1,"completed":[objective ids],"done":bool}`.
//!
//! The value is read and written with serde ([`crate::codec`]: the browser's own `JSON` and
//! serde-wasm-bindgen) over gloo-storage's raw `Storage` ([`crate::storage`]); gloo-storage's
//! typed get/set would pull `serde_json` into the bundles.

use serde::{Deserialize, Serialize};

use crate::codec;
use crate::storage;

/// The format version of saved lab completion.
pub const LAB_VERSION: u32 = 1;

/// What is saved for one lab. Its one codec (here, and in an export file) is the stored form,
/// with the format version first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(into = "Stored", try_from = "Stored")]
pub struct LabSaved {
    /// Completed objective ids.
    pub completed: Vec<String>,
    /// Every objective completed.
    pub done: bool,
}

/// [`LabSaved`] as stored: with its format version.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    completed: Vec<String>,
    #[serde(default)]
    done: bool,
}

impl From<LabSaved> for Stored {
    fn from(s: LabSaved) -> Self {
        Stored {
            version: LAB_VERSION,
            completed: s.completed,
            done: s.done,
        }
    }
}

impl TryFrom<Stored> for LabSaved {
    type Error = String;

    fn try_from(s: Stored) -> Result<Self, String> {
        if s.version != LAB_VERSION {
            return Err(format!(
                "it was written by another version of the course (format {})",
                s.version
            ));
        }
        Ok(LabSaved {
            completed: s.completed,
            done: s.done,
        })
    }
}

impl LabSaved {
    /// As saved.
    pub fn encode(&self) -> String {
        codec::to_string(self)
    }

    /// Reads saved completion; `Err` says why it cannot be used.
    pub fn decode(text: &str) -> Result<LabSaved, String> {
        if !text.trim_start().starts_with('{') {
            return Err("it is not valid JSON".to_owned());
        }
        codec::from_str(text)
    }
}

/// The localStorage key of a lab.
pub fn key(book: &str, lab: &str) -> String {
    format!("course:{book}:lab:{lab}")
}

/// What reading a saved lab found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    /// The completion saved (none when missing or unreadable).
    pub saved: Option<LabSaved>,
    /// When the saved value could not be read: the sentence telling the learner where the old
    /// data was kept.
    pub notice: Option<String>,
}

/// Reads a lab's saved completion; a value that cannot be read is copied to
/// `course-backup:{key}:{ms}` and removed, and the notice says so (as for a quiz).
pub fn load_checked(book: &str, lab: &str) -> Loaded {
    let key = key(book, lab);
    let Some(raw) = storage::get(&key) else {
        return Loaded::default();
    };
    match LabSaved::decode(&raw) {
        Ok(saved) => Loaded {
            saved: Some(saved),
            notice: None,
        },
        Err(why) => {
            let backup = storage::back_up(&key, &raw);
            Loaded {
                saved: None,
                notice: Some(format!(
                    "Your saved progress in this lab could not be read ({why}), so no objective \
                     counts as completed. The old data is kept in this browser's storage under \
                     \"{backup}\"."
                )),
            }
        }
    }
}

/// Saved completion of a lab, if any can be read (an unreadable value is backed up: see
/// [`load_checked`]).
pub fn load(book: &str, lab: &str) -> Option<LabSaved> {
    load_checked(book, lab).saved
}

/// Saves a lab's completion.
pub fn save(book: &str, lab: &str, saved: &LabSaved) {
    storage::set(&key(book, lab), &saved.encode());
}

/// Forgets a lab's completion.
pub fn clear(book: &str, lab: &str) {
    storage::remove_key(&key(book, lab));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_completion_keeps_its_stored_format_and_other_versions_are_refused() {
        let saved = LabSaved {
            completed: vec!["cold".into(), "warm".into()],
            done: false,
        };
        let text = saved.encode();
        assert_eq!(
            text,
            r#"{"version":1,"completed":["cold","warm"],"done":false}"#
        );
        assert_eq!(LabSaved::decode(&text), Ok(saved));
        assert!(
            LabSaved::decode(r#"{"version":2,"completed":[],"done":true}"#)
                .unwrap_err()
                .contains("format 2")
        );
        assert!(LabSaved::decode("[1]").is_err());
        assert!(LabSaved::decode(r#"{"version":1,"completed":3}"#).is_err());
        assert_eq!(key("b", "l"), "course:b:lab:l");
    }
}
