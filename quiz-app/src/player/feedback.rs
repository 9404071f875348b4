//! The verdict after Check: right or not, a note on typed answers, then the explanation.

use course_model::{Answer, Note, Question};

use crate::dom::{el, El};
use crate::grading::grade;
use crate::state::QuestionState;

/// The verdict as a sentence (also announced in the quiz's live region).
pub fn verdict(question: &Question, state: &QuestionState) -> String {
    let Some(answer) = state.answer.as_ref().filter(|_| state.checked) else {
        return String::new();
    };
    let g = grade(question, answer);
    if g.correct {
        "Correct!".to_owned()
    } else if g.score > 0.0 {
        format!(
            "Not quite: partly right ({}% of the marks).",
            (g.score * 100.0).round() as u32
        )
    } else {
        "Not quite.".to_owned()
    }
}

/// Appends the verdict, the note and the explanation for a checked `answer` to `region`.
pub fn view(question: &Question, answer: &Answer, region: El) -> El {
    let g = grade(question, answer);
    let text = verdict(
        question,
        &QuestionState {
            answer: Some(answer.clone()),
            checked: true,
            ..QuestionState::default()
        },
    );
    let class = if g.correct { "is-correct" } else { "is-wrong" };
    let note = g.note.map(|n| match n {
        Note::NotANumber => "That is not a number: type digits, for example 120.",
        Note::TooLow => "Your number is too low.",
        Note::TooHigh => "Your number is too high.",
        Note::WrongShape => "This answer does not fit the question: answer it again.",
    });
    region
        .child(
            el("p")
                .class(&format!("course-verdict {class}"))
                .child(el("strong").text(&text)),
        )
        .maybe(note.map(|n| el("p").class("course-note").text(n)))
        .maybe(
            question
                .explanation
                .as_ref()
                .map(|e| el("div").class("course-explanation").html(e)),
        )
}
