//! The progress overview's data: the book's quiz index and each quiz's status. Pure.

use serde::Deserialize;

use crate::state::QuizState;

/// A quiz as the `{{#progress}}` placeholder lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Entry {
    /// The chapter's title.
    pub chapter: String,
    /// The chapter's page, relative to the site root.
    pub page: String,
    /// The quiz id.
    pub quiz: String,
    /// The quiz title.
    pub title: String,
}

/// Where the learner stands with a quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing answered.
    NotStarted,
    /// Answers given, the quiz not finished.
    InProgress,
    /// Finished at or above the pass mark.
    Passed,
    /// Finished below the pass mark.
    NotPassed,
}

impl Status {
    /// Of a quiz's saved state, if any.
    pub fn of(saved: Option<&QuizState>) -> Status {
        match saved {
            Some(s) if s.finished && s.summary.passed => Status::Passed,
            Some(s) if s.finished => Status::NotPassed,
            Some(s) if s.started() => Status::InProgress,
            _ => Status::NotStarted,
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Not started",
            Status::InProgress => "In progress",
            Status::Passed => "Passed",
            Status::NotPassed => "Not passed",
        }
    }
}

/// The score column: a whole percentage once anything was checked.
pub fn score_text(saved: Option<&QuizState>) -> String {
    match saved {
        Some(s) if s.summary.checked > 0 || s.finished => {
            format!("{}%", s.summary.percent.round() as u32)
        }
        _ => "–".to_owned(),
    }
}

/// The chapters in book order, each with its entries.
pub fn by_chapter(entries: &[Entry]) -> Vec<(String, Vec<Entry>)> {
    let mut out: Vec<(String, Vec<Entry>)> = Vec::new();
    for e in entries {
        match out.iter_mut().find(|(c, _)| *c == e.chapter) {
            Some((_, list)) => list.push(e.clone()),
            None => out.push((e.chapter.clone(), vec![e.clone()])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{QuestionState, Summary};

    #[test]
    fn status_follows_what_the_learner_did() {
        assert_eq!(Status::of(None), Status::NotStarted);
        let mut s = QuizState::default();
        assert_eq!(Status::of(Some(&s)), Status::NotStarted);
        s.questions.insert(
            "a".into(),
            QuestionState {
                answer: Some(course_model::Answer::Single(0)),
                ..QuestionState::default()
            },
        );
        assert_eq!(Status::of(Some(&s)), Status::InProgress);
        s.finished = true;
        assert_eq!(Status::of(Some(&s)), Status::NotPassed);
        s.summary = Summary {
            asked: 2,
            checked: 2,
            percent: 66.6,
            passed: true,
        };
        assert_eq!(Status::of(Some(&s)), Status::Passed);
        assert_eq!(score_text(Some(&s)), "67%");
        assert_eq!(score_text(None), "–");
    }

    #[test]
    fn the_index_parses_and_groups_by_chapter_in_order() {
        let json = r#"[{"chapter":"B","page":"b.html","quiz":"b1","title":"T","questions":["x"]},
            {"chapter":"A","page":"a.html","quiz":"a1","title":"T","questions":[]},
            {"chapter":"B","page":"b2.html","quiz":"b2","title":"T","questions":[]}]"#;
        let entries: Vec<Entry> = serde_json::from_str(json).unwrap();
        let groups = by_chapter(&entries);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, "B");
        assert_eq!(groups[0].1.len(), 2);
    }
}
