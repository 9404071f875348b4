//! Lab completion in localStorage, read by the lab console and the progress page:
//! `course:{book}:lab:{id}` = `{"version":1,"completed":[objective ids],"done":bool}`.
//!
//! The value is (de)serialised with serde through the browser's `JSON` (`serde-wasm-bindgen`),
//! over gloo-storage's raw `Storage`: gloo-storage's typed get/set would pull `serde_json` into
//! the quiz bundle, which also reads lab completion for the progress page.

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

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

/// [`LabSaved`] as stored: with its format version first.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    completed: Vec<String>,
    #[serde(default)]
    done: bool,
}

impl LabSaved {
    /// Checks a stored value's version; `Err` says why it cannot be used.
    fn from_stored(s: Stored) -> Result<LabSaved, String> {
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

    fn to_stored(&self) -> Stored {
        Stored {
            version: LAB_VERSION,
            completed: self.completed.clone(),
            done: self.done,
        }
    }

    /// The stored form as a JavaScript value (for `JSON.stringify` or an export).
    pub fn to_js(&self) -> Option<wasm_bindgen::JsValue> {
        serde_wasm_bindgen::to_value(&self.to_stored()).ok()
    }

    /// Reads a stored value (already parsed); `Err` says why it cannot be used.
    pub fn from_js(v: wasm_bindgen::JsValue) -> Result<LabSaved, String> {
        let stored: Stored = serde_wasm_bindgen::from_value(v)
            .map_err(|_| "it does not have the shape of saved lab progress".to_owned())?;
        LabSaved::from_stored(stored)
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
    let storage = LocalStorage::raw();
    let key = key(book, lab);
    let Ok(Some(raw)) = storage.get_item(&key) else {
        return Loaded::default();
    };
    let parsed = js_sys::JSON::parse(&raw)
        .map_err(|_| "it is not valid JSON".to_owned())
        .and_then(LabSaved::from_js);
    match parsed {
        Ok(saved) => Loaded {
            saved: Some(saved),
            notice: None,
        },
        Err(why) => {
            let backup = format!("course-backup:{key}:{}", js_sys::Date::now() as u64);
            let _ = storage.set_item(&backup, &raw);
            let _ = storage.remove_item(&key);
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

/// Saves completion; a full or disabled storage is not an error the learner can act on.
pub fn save(book: &str, lab: &str, saved: &LabSaved) {
    let text = saved
        .to_js()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|s| s.as_string());
    if let Some(text) = text {
        let _ = LocalStorage::raw().set_item(&key(book, lab), &text);
    }
}

/// Forgets a lab's completion.
pub fn clear(book: &str, lab: &str) {
    let _ = LocalStorage::raw().remove_item(&key(book, lab));
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
        let text = serde_json::to_string(&saved.to_stored()).unwrap();
        assert_eq!(
            text,
            r#"{"version":1,"completed":["cold","warm"],"done":false}"#
        );
        let back: Stored = serde_json::from_str(&text).unwrap();
        assert_eq!(LabSaved::from_stored(back), Ok(saved));
        let v2: Stored =
            serde_json::from_str(r#"{"version":2,"completed":[],"done":true}"#).unwrap();
        assert!(LabSaved::from_stored(v2).unwrap_err().contains("format 2"));
        assert_eq!(key("b", "l"), "course:b:lab:l");
    }
}
