//! Lab completion in localStorage: `course:{book}:lab:{id}` =
//! `{"version":1,"completed":[objective ids],"done":bool}`.

use serde::{Deserialize, Serialize};

/// What is saved for one lab.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// Format version (1).
    pub version: u32,
    /// Completed objective ids.
    pub completed: Vec<String>,
    /// Every objective completed.
    pub done: bool,
}

/// The localStorage key of a lab.
pub fn key(book: &str, lab: &str) -> String {
    format!("course:{book}:lab:{lab}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Completed objectives saved earlier (none when missing or unreadable).
pub fn load(book: &str, lab: &str) -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(&key(book, lab)).ok().flatten())
        .and_then(|raw| serde_json::from_str::<Saved>(&raw).ok())
        .filter(|s| s.version == 1)
        .map(|s| s.completed)
        .unwrap_or_default()
}

/// Saves completion.
pub fn save(book: &str, lab: &str, completed: Vec<String>, done: bool) {
    if let Some(s) = storage() {
        let saved = Saved {
            version: 1,
            completed,
            done,
        };
        if let Ok(json) = serde_json::to_string(&saved) {
            let _ = s.set_item(&key(book, lab), &json);
        }
    }
}

/// Forgets a lab's completion ("reset lab").
pub fn clear(book: &str, lab: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(book, lab));
    }
}
