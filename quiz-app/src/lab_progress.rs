//! Lab completion in localStorage, read by the lab console and the progress page:
//! `course:{book}:lab:{id}` = `{"version":1,"completed":[objective ids],"done":bool}`.

use course_model::json::{object, Json};
use course_model::wire::bool_or;

use crate::storage::local_storage;

/// The format version of saved lab completion.
pub const LAB_VERSION: u32 = 1;

/// What is saved for one lab.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabSaved {
    /// Completed objective ids.
    pub completed: Vec<String>,
    /// Every objective completed.
    pub done: bool,
}

impl LabSaved {
    /// As saved (with its version).
    pub fn to_json(&self) -> Json {
        object([
            ("version", (LAB_VERSION as usize).into()),
            (
                "completed",
                Json::Arr(self.completed.iter().map(|c| c.as_str().into()).collect()),
            ),
            ("done", self.done.into()),
        ])
    }

    /// Reads saved completion; `None` for another version or a damaged value.
    pub fn from_json(v: &Json) -> Option<LabSaved> {
        if v.get("version").and_then(Json::as_u64) != Some(u64::from(LAB_VERSION)) {
            return None;
        }
        let completed = v
            .get("completed")
            .and_then(Json::as_array)?
            .iter()
            .map(|c| c.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()?;
        Some(LabSaved {
            completed,
            done: bool_or(v, "done", false).ok()?,
        })
    }
}

/// The localStorage key of a lab.
pub fn key(book: &str, lab: &str) -> String {
    format!("course:{book}:lab:{lab}")
}

/// Saved completion of a lab, if any can be read.
pub fn load(book: &str, lab: &str) -> Option<LabSaved> {
    let raw = local_storage()?.get_item(&key(book, lab)).ok()??;
    LabSaved::from_json(&Json::parse(&raw).ok()?)
}

/// Saves completion.
pub fn save(book: &str, lab: &str, saved: &LabSaved) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(&key(book, lab), &saved.to_json().to_text());
    }
}

/// Forgets a lab's completion.
pub fn clear(book: &str, lab: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(&key(book, lab));
    }
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
        let text = saved.to_json().to_text();
        assert_eq!(
            text,
            r#"{"version":1,"completed":["cold","warm"],"done":false}"#
        );
        assert_eq!(
            LabSaved::from_json(&Json::parse(&text).unwrap()),
            Some(saved)
        );
        let v2 = Json::parse(r#"{"version":2,"completed":[],"done":true}"#).unwrap();
        assert_eq!(LabSaved::from_json(&v2), None);
        assert_eq!(key("b", "l"), "course:b:lab:l");
    }
}
