//! Lab completion as the console saves it: see [`crate::lab_progress`].

use crate::lab_progress::{self, LabSaved};

/// Completed objectives saved earlier (none when missing or unreadable).
pub fn load(book: &str, lab: &str) -> Vec<String> {
    lab_progress::load(book, lab)
        .map(|s| s.completed)
        .unwrap_or_default()
}

/// Saves completion.
pub fn save(book: &str, lab: &str, completed: Vec<String>, done: bool) {
    lab_progress::save(book, lab, &LabSaved { completed, done });
}

/// Forgets a lab's completion ("reset lab").
pub fn clear(book: &str, lab: &str) {
    lab_progress::clear(book, lab);
}
