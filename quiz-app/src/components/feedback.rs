//! The verdict after Check: right or not, why (for typed answers), then the general explanation.

use std::rc::Rc;

use course_model::{grade, Answer, Note, Quiz};
use yew::prelude::*;

use super::rich;

/// A checked answer.
#[derive(Properties, PartialEq)]
pub struct FeedbackProps {
    /// The quiz.
    pub quiz: Rc<Quiz>,
    /// Which question.
    pub index: usize,
    /// The checked answer.
    pub answer: Answer,
}

/// The verdict, a note on typed answers, and the explanation.
#[function_component]
pub fn Feedback(props: &FeedbackProps) -> Html {
    let question = &props.quiz.questions[props.index];
    let g = grade(question, &props.answer);
    let (class, verdict) = if g.correct {
        ("is-correct", "Correct!".to_owned())
    } else if g.score > 0.0 {
        (
            "is-wrong",
            format!(
                "Not quite: partly right ({}% of the marks).",
                (g.score * 100.0).round() as u32
            ),
        )
    } else {
        ("is-wrong", "Not quite.".to_owned())
    };
    let note = g.note.map(|n| match n {
        Note::NotANumber => "That is not a number: type digits, for example 120.",
        Note::TooLow => "Your number is too low.",
        Note::TooHigh => "Your number is too high.",
        Note::WrongShape => "This answer does not fit the question: answer it again.",
    });
    html! {
        <>
            <p class={classes!("course-verdict", class)}><strong>{ verdict }</strong></p>
            if let Some(note) = note { <p class="course-note">{ note }</p> }
            if let Some(explanation) = &question.explanation {
                <div class="course-explanation">{ rich(explanation) }</div>
            }
        </>
    }
}
