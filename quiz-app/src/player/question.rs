//! One question: its shared context, prompt, excerpt, the input for its type, a hint, a Check
//! button, and the feedback region (focused after Check, announced to screen readers).

use course_model::{display_order, QuestionKind};

use super::{code, feedback, inputs, QuizApp};
use crate::dom::{button, el, El};

/// The question `quiz.questions[index]`, numbered `number` as shown.
pub fn view(app: &QuizApp, index: usize, number: usize) -> El {
    let quiz = app.quiz();
    let question = &quiz.questions[index];
    let base = app.question_id(index);
    let state = app.player.question(index);
    let order = display_order(app.seed, quiz, index);
    let input = match &question.kind {
        QuestionKind::Single { .. }
        | QuestionKind::Multiple { .. }
        | QuestionKind::TrueFalse { .. } => inputs::choices(quiz, index, &base, &order, &state),
        QuestionKind::Short { .. } | QuestionKind::Numeric { .. } => {
            inputs::typed(question, index, &base, &state)
        }
        QuestionKind::Ordering { .. } => inputs::ordering(question, index, &base, &order, &state),
        QuestionKind::Matching { .. } => inputs::matching(question, index, &base, &order, &state),
    };
    let hint = question.hint.as_ref().map(|text| {
        let shown = app.hints[index];
        let hint_id = format!("{base}-hint");
        el("div")
            .class("course-hint-box")
            .child(
                button(
                    "course-hint-toggle",
                    if shown { "Hide hint" } else { "Show hint" },
                )
                .id(&format!("{base}-hint-toggle"))
                .act("hint", index)
                .attr("aria-expanded", if shown { "true" } else { "false" })
                .attr("aria-controls", &hint_id),
            )
            .child(
                el("div")
                    .class("course-hint")
                    .id(&hint_id)
                    .attr_if(!shown, "hidden", "")
                    .html(text),
            )
    });
    let mut region = el("div")
        .class("course-feedback")
        .id(&format!("{base}-feedback"))
        .attr("aria-live", "polite")
        .attr("tabindex", "-1");
    if app.nudges[index] && state.answer.is_none() {
        region = region.child(
            el("p")
                .class("course-nudge")
                .text("Choose an answer first, then press Check."),
        );
    }
    if let (true, Some(answer)) = (state.checked, &state.answer) {
        region = feedback::view(question, answer, region);
    }
    let fieldset = el("fieldset")
        .class("course-question")
        .id(&base)
        .attr("tabindex", "-1")
        .child(
            el("legend").class("course-prompt").child(
                el("span")
                    .class("course-question-number")
                    .text(&format!("Question {number}")),
            ),
        );
    // The prompt is trusted HTML: appended to the legend after its number.
    if let Some(legend) = fieldset.0.first_element_child() {
        let _ = legend.insert_adjacent_html("beforeend", &question.prompt);
    }
    let fieldset = fieldset
        .maybe(
            question
                .code
                .as_ref()
                .map(|c| code::block(c, question.code_lang.as_deref().unwrap_or("text"))),
        )
        .child(input)
        .maybe(hint)
        .child(
            button("course-check", "Check")
                .id(&format!("{base}-check"))
                .act("check", index),
        )
        .child(region);
    el("div")
        .class("course-question-wrap")
        .maybe(
            question
                .part
                .as_ref()
                .map(|p| el("div").class("course-part").html(&p.context)),
        )
        .child(fieldset)
}
