//! After each step: objectives evaluated, completion saved, and the announcement of what was just
//! completed.

use std::sync::Arc;

use course_model::lab::{Lab, LabSession, ObjectiveStatus};

use super::store;

/// A fresh session of `lab` with the objectives `completed` earlier.
pub fn new_session(lab: &Lab, completed: Vec<String>) -> Result<LabSession, String> {
    let mut s = LabSession::new(Arc::new(lab.clone())).map_err(|e| e.to_string())?;
    s.completed.extend(completed);
    Ok(s)
}

/// Evaluates objectives, saves completion, and adds to `message` which objectives were just
/// completed (and "Lab complete!" when the last one was).
pub fn settle(s: &mut LabSession, book: &str, message: String) -> (Vec<ObjectiveStatus>, String) {
    let before = s.completed.clone();
    let now = s.evaluate();
    let mut message = message;
    for o in &s.lab.objectives {
        if s.completed.contains(&o.id) && !before.contains(&o.id) {
            message.push_str(&format!(" Objective completed: {}.", strip_tags(&o.text)));
        }
    }
    if s.all_done() && before.len() < s.lab.objectives.len() {
        message.push_str(" Lab complete!");
    }
    store::save(
        book,
        &s.lab.id,
        s.completed.iter().cloned().collect(),
        s.all_done(),
    );
    (now, message)
}

/// Text of rendered HTML, for announcements.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}
