//! One chapter of the progress overview: its quizzes and labs with score and status, and its
//! reset button.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use super::Target;
use crate::lab_progress::LabSaved;
use crate::overview::{lab_score_text, score_text, Activity, Entry, Status};
use crate::state::QuizState;

/// Properties of [`ChapterTable`].
#[derive(Properties, PartialEq)]
pub struct ChapterTableProps {
    /// The chapter's position in the book.
    pub n: usize,
    /// Its title.
    pub chapter: String,
    /// Its quizzes and labs.
    pub entries: Rc<Vec<Entry>>,
    /// Saved quiz progress, by quiz id.
    pub quizzes: Rc<BTreeMap<String, QuizState>>,
    /// Saved lab completion, by lab id.
    pub labs: Rc<BTreeMap<String, LabSaved>>,
    /// Changes when saved progress changed.
    pub revision: u32,
    /// Asks to reset this chapter.
    pub on_reset: Callback<Target>,
}

/// A chapter's table.
#[function_component]
pub fn ChapterTable(p: &ChapterTableProps) -> Html {
    let rows = p.entries.iter().map(|e| {
        let (kind, score, status) = match e.activity {
            Activity::Quiz => {
                let s = p.quizzes.get(&e.id);
                ("quiz", score_text(s), Status::of(s))
            }
            Activity::Lab { objectives } => {
                let s = p.labs.get(&e.id);
                ("lab", lab_score_text(s, objectives), Status::of_lab(s))
            }
        };
        let title = if kind == "lab" {
            format!("Lab: {}", e.title)
        } else {
            e.title.clone()
        };
        html! {
            <tr key={e.id.clone()} data-quiz={(kind == "quiz").then(|| e.id.clone())} data-lab={(kind == "lab").then(|| e.id.clone())}>
                <td><a href={e.page.clone()}>{title}</a></td>
                <td class="course-progress-score">{score}</td>
                <td class={classes!("course-status", status.class())}>{status.label()}</td>
            </tr>
        }
    });
    let n = p.n;
    let onclick = p.on_reset.reform(move |_: MouseEvent| Target::Chapter(n));
    html! {
        <section class="course-progress-chapter">
            <h3>{&p.chapter}</h3>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{"Quiz or lab"}</th>
                        <th scope="col">{"Score"}</th>
                        <th scope="col">{"Status"}</th>
                    </tr>
                </thead>
                <tbody>{for rows}</tbody>
            </table>
            <button type="button" class="course-button course-reset-chapter" id={format!("course-reset-chapter-{n}")} {onclick}>
                {format!("Reset {}", p.chapter)}
            </button>
        </section>
    }
}
