//! The verdict after Check (right or not, a note on typed answers, then the explanation), read
//! from the grade Check stored; or, before a grade, why Check did not grade.

use course_model::Note;
use yew::prelude::*;

use super::model::{verdict, Nudge};
use super::raw;
use crate::state::QuestionState;

/// Properties of [`Feedback`].
#[derive(Properties, PartialEq)]
pub struct FeedbackProps {
    /// The region's id (focused after Check).
    pub id: AttrValue,
    /// What the learner did.
    pub state: QuestionState,
    /// Why the last Check did not grade.
    pub nudge: Nudge,
    /// The question's explanation (trusted HTML).
    pub explanation: Option<AttrValue>,
}

/// The feedback region of one question.
#[function_component]
pub fn Feedback(p: &FeedbackProps) -> Html {
    let nudge = match p.nudge {
        Nudge::NoAnswer if p.state.answer.is_none() => {
            Some("Choose an answer first, then press Check.")
        }
        Nudge::NotANumber => {
            Some("That is not a number. Type a number, for example 120 (a unit after it is fine).")
        }
        _ => None,
    };
    let graded = p.state.grade.as_ref().filter(|_| p.state.checked);
    let body = graded.map(|g| {
        let class = if g.correct { "is-correct" } else { "is-wrong" };
        let note = g.note.map(|n| match n {
            Note::NotANumber => "That is not a number: type digits, for example 120.",
            Note::TooLow => "Your number is too low.",
            Note::TooHigh => "Your number is too high.",
            Note::WrongShape => "This answer does not fit the question: answer it again.",
        });
        let counted = p
            .state
            .counted
            .as_ref()
            .filter(|c| Some(&c.answer) != p.state.answer.as_ref())
            .map(|c| {
                format!(
                    "Your first answer counts for the score ({}%); checking again shows whether this one is right.",
                    (c.score * 100.0).round() as u32
                )
            });
        html! {
            <>
                <p class={classes!("course-verdict", class)}><strong>{verdict(&p.state)}</strong></p>
                if let Some(n) = note { <p class="course-note">{n}</p> }
                if let Some(c) = counted { <p class="course-note course-counted">{c}</p> }
                if let Some(e) = &p.explanation { <div class="course-explanation">{raw(e)}</div> }
            </>
        }
    });
    html! {
        <div class="course-feedback" id={p.id.clone()} aria-live="polite" tabindex="-1">
            if let Some(n) = nudge { <p class="course-nudge">{n}</p> }
            {body}
        </div>
    }
}
