//! Lab completion in localStorage, read by the lab console and the progress page:
//! `course:{book}:lab:{id}` = `{"version":1,"completed":[objective ids],"done":bool}`.

use serde::{Deserialize, Serialize};

use crate::codec;
use crate::storage;

/// The format version of saved lab completion.
pub const LAB_VERSION: u32 = 1;

/// What is saved for one lab.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabSaved {
    /// Completed objective ids.
    pub completed: Vec<String>,
    /// Every objective completed.
    #[serde(default)]
    pub done: bool,
}

/// As stored: the completion with its version (fields written out, not `flatten`ed: flattening
/// makes serde buffer the whole value, which costs the bundle far more than two fields).
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    completed: Vec<String>,
    #[serde(default)]
    done: bool,
}

impl LabSaved {
    /// As saved (with its version).
    pub fn encode(&self) -> String {
        codec::to_string(&Stored {
            version: LAB_VERSION,
            completed: self.completed.clone(),
            done: self.done,
        })
    }

    /// Reads saved completion; `None` for another version or a damaged value.
    pub fn decode(text: &str) -> Option<LabSaved> {
        let v: storage::Versioned = codec::from_str(text).ok()?;
        if v.version != Some(LAB_VERSION) {
            return None;
        }
        codec::from_str::<Stored>(text).ok().map(|s| LabSaved {
            completed: s.completed,
            done: s.done,
        })
    }
}

/// The localStorage key of a lab.
pub fn key(book: &str, lab: &str) -> String {
    format!("course:{book}:lab:{lab}")
}

/// Saved completion of a lab, if any can be read.
pub fn load(book: &str, lab: &str) -> Option<LabSaved> {
    LabSaved::decode(&storage::get(&key(book, lab))?)
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
    fn lab_completion_round_trips_and_other_versions_are_ignored() {
        let saved = LabSaved {
            completed: vec!["cold".into(), "warm".into()],
            done: false,
        };
        let text = saved.encode();
        assert_eq!(
            text,
            r#"{"version":1,"completed":["cold","warm"],"done":false}"#
        );
        assert_eq!(LabSaved::decode(&text), Some(saved));
        assert_eq!(
            LabSaved::decode(r#"{"version":2,"completed":[],"done":true}"#),
            None
        );
        assert_eq!(key("b", "l"), "course:b:lab:l");
    }
}
