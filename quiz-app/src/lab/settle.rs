//! After each step: objectives evaluated, and the announcement of what was just completed.

use std::sync::Arc;

use course_model::lab::{Lab, LabSession, ObjectiveStatus};

/// A fresh session of `lab` with the objectives `completed` earlier.
pub fn new_session(lab: &Lab, completed: Vec<String>) -> Result<LabSession, String> {
    let mut s = LabSession::new(Arc::new(lab.clone())).map_err(|e| e.to_string())?;
    for id in &completed {
        s.mark_completed(id);
    }
    Ok(s)
}

/// Evaluates objectives and adds to `message` which objectives were just completed (and "Lab
/// complete!" when the last one was).
pub fn settle(s: &mut LabSession, message: String) -> (Vec<ObjectiveStatus>, String) {
    let before = s.completed.clone();
    let now = s.evaluate();
    let mut message = message;
    for o in &s.lab.objectives {
        if s.completed.contains(&o.id) && !before.contains(&o.id) {
            message.push_str(&format!(" Objective completed: {}.", sentence(&o.text)));
        }
    }
    if s.all_done() && before.len() < s.lab.objectives.len() {
        message.push_str(" Lab complete!");
    }
    (now, message)
}

/// The text of an objective (rendered HTML) without its tags and final full stop, to end a
/// sentence of its own.
pub fn sentence(html: &str) -> String {
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
    out.trim().trim_end_matches('.').trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_objective_sentence_loses_its_tags_and_its_full_stop() {
        assert_eq!(
            super::sentence("<p>Trigger a <em>cold</em> start.</p>\n"),
            "Trigger a cold start"
        );
        assert_eq!(super::sentence("Two warm starts"), "Two warm starts");
    }
}
