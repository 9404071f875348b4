//! The progress overview's data: the book's quiz and lab indexes and each one's status. Pure.

use course_model::{LabIndexEntry, QuizIndexEntry};

use crate::lab_progress::LabSaved;
use crate::state::QuizState;

/// What an entry of the overview is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// A quiz.
    Quiz,
    /// A lab with this many objectives.
    Lab {
        /// How many objectives the lab has.
        objectives: usize,
    },
}

/// A quiz or a lab as the `{{#progress}}` placeholder lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The chapter's title.
    pub chapter: String,
    /// The chapter's page, relative to the site root.
    pub page: String,
    /// The quiz or lab id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Quiz or lab.
    pub activity: Activity,
}

impl From<QuizIndexEntry> for Entry {
    fn from(e: QuizIndexEntry) -> Self {
        Entry {
            chapter: e.chapter,
            page: e.page,
            id: e.quiz,
            title: e.title,
            activity: Activity::Quiz,
        }
    }
}

impl From<LabIndexEntry> for Entry {
    fn from(e: LabIndexEntry) -> Self {
        Entry {
            chapter: e.chapter,
            page: e.page,
            id: e.lab,
            title: e.title,
            activity: Activity::Lab {
                objectives: e.objectives,
            },
        }
    }
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
    /// A lab with every objective completed.
    Done,
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

    /// Of a lab's saved completion, if any.
    pub fn of_lab(saved: Option<&LabSaved>) -> Status {
        match saved {
            Some(s) if s.done => Status::Done,
            Some(s) if !s.completed.is_empty() => Status::InProgress,
            _ => Status::NotStarted,
        }
    }

    /// Its CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Status::NotStarted => "is-notstarted",
            Status::InProgress => "is-inprogress",
            Status::Passed => "is-passed",
            Status::NotPassed => "is-notpassed",
            Status::Done => "is-done",
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Not started",
            Status::InProgress => "In progress",
            Status::Passed => "Passed",
            Status::NotPassed => "Not passed",
            Status::Done => "Done",
        }
    }
}

/// The score column: a whole percentage once anything was checked, the best score, and the
/// first try beside it when a retry round improved on it.
pub fn score_text(saved: Option<&QuizState>) -> String {
    match saved {
        Some(s) if s.summary.checked > 0 || s.finished => {
            let best = s.summary.percent.round() as u32;
            let first = s.summary.first.round() as u32;
            if first < best {
                format!("{best}% (first try {first}%)")
            } else {
                format!("{best}%")
            }
        }
        _ => "–".to_owned(),
    }
}

/// The score column of a lab: objectives completed of all.
pub fn lab_score_text(saved: Option<&LabSaved>, objectives: usize) -> String {
    let done = saved.map_or(0, |s| s.completed.len().min(objectives));
    format!("{done} of {objectives} objectives")
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
            first: 33.3,
            passed: true,
        };
        assert_eq!(Status::of(Some(&s)), Status::Passed);
        assert_eq!(score_text(Some(&s)), "67% (first try 33%)");
        assert_eq!(score_text(None), "–");
    }

    #[test]
    fn the_index_parses_and_groups_by_chapter_in_order() {
        let json = r#"[{"chapter":"B","page":"b.html","quiz":"b1","title":"T","questions":["x"]},
            {"chapter":"A","page":"a.html","quiz":"a1","title":"T","questions":[]},
            {"chapter":"B","page":"b2.html","quiz":"b2","title":"T","questions":[]}]"#;
        let quizzes: Vec<QuizIndexEntry> = crate::codec::from_str(json).unwrap();
        let mut entries: Vec<Entry> = quizzes.into_iter().map(Entry::from).collect();
        let labs = r#"[{"chapter":"A","page":"a.html","lab":"l","title":"L","objectives":3}]"#;
        let labs: Vec<LabIndexEntry> = crate::codec::from_str(labs).unwrap();
        entries.extend(labs.into_iter().map(Entry::from));
        let groups = by_chapter(&entries);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, "B");
        assert_eq!(groups[0].1.len(), 2);
        assert_eq!(groups[1].1[1].activity, Activity::Lab { objectives: 3 });
        assert!(crate::codec::from_str::<Vec<QuizIndexEntry>>("[{}]").is_err());
    }

    #[test]
    fn a_lab_is_done_when_every_objective_is() {
        assert_eq!(Status::of_lab(None), Status::NotStarted);
        let mut s = LabSaved {
            completed: vec!["a".into()],
            done: false,
        };
        assert_eq!(Status::of_lab(Some(&s)), Status::InProgress);
        assert_eq!(lab_score_text(Some(&s), 3), "1 of 3 objectives");
        s.done = true;
        assert_eq!(Status::of_lab(Some(&s)), Status::Done);
    }
}
