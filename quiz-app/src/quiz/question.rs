//! One question: its shared context, prompt, excerpt, the input for its type, a hint, a Check
//! button, and the feedback region (focused after Check, announced to screen readers).

use std::rc::Rc;

use course_model::{display_order, QuestionKind, Quiz};
use yew::prelude::*;

use super::choices::Choices;
use super::code::CodeBlock;
use super::feedback::Feedback;
use super::matching::Matching;
use super::model::{Msg, Nudge};
use super::ordering::Ordering;
use super::typed::Typed;
use super::{raw, InputProps};
use crate::state::QuestionState;

/// Properties of [`QuestionView`].
#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    /// The quiz.
    pub quiz: Rc<Quiz>,
    /// The question's index in the quiz.
    pub index: usize,
    /// Its number as shown.
    pub number: usize,
    /// The learner's seed (display orders).
    pub seed: u64,
    /// What the learner did.
    pub state: QuestionState,
    /// The hint is open.
    pub hint: bool,
    /// Why the last Check did not grade.
    pub nudge: Nudge,
    /// Sends the learner's actions.
    pub on: Callback<Msg>,
}

/// A question of the quiz.
#[function_component]
pub fn QuestionView(p: &QuestionProps) -> Html {
    let question = &p.quiz.questions[p.index];
    let base: AttrValue = format!("{}-{}", p.quiz.id, question.id).into();
    let q = p.index;
    let order = display_order(p.seed, &p.quiz, q);
    let state = p.state.clone();
    let on = p.on.clone();
    let kind = question.kind.clone();
    let props = yew::props!(InputProps {
        kind,
        q,
        base: base.clone(),
        order,
        state,
        on
    });
    let input = match &question.kind {
        QuestionKind::Single { .. }
        | QuestionKind::Multiple { .. }
        | QuestionKind::TrueFalse { .. } => html! { <Choices ..props /> },
        QuestionKind::Short { .. } | QuestionKind::Numeric { .. } => html! { <Typed ..props /> },
        QuestionKind::Ordering { .. } => html! { <Ordering ..props /> },
        QuestionKind::Matching { .. } => html! { <Matching ..props /> },
    };
    let hint = question.hint.as_ref().map(|text| {
        let hint_id = format!("{base}-hint");
        let onclick = p.on.reform(move |_: MouseEvent| Msg::Hint(q));
        html! {
            <div class="course-hint-box">
                <button type="button" class="course-hint-toggle" id={format!("{base}-hint-toggle")}
                    aria-expanded={if p.hint { "true" } else { "false" }} aria-controls={hint_id.clone()} {onclick}>
                    {if p.hint { "Hide hint" } else { "Show hint" }}
                </button>
                <div class="course-hint" id={hint_id} hidden={!p.hint}>{raw(text)}</div>
            </div>
        }
    });
    let check = p.on.reform(move |_: MouseEvent| Msg::Check(q));
    html! {
        <div class="course-question-wrap">
            if let Some(part) = &question.part { <div class="course-part">{raw(&part.context)}</div> }
            <fieldset class="course-question" id={base.clone()} tabindex="-1">
                <legend class="course-prompt">
                    <span class="course-question-number">{format!("Question {}", p.number)}</span>
                    {raw(&question.prompt)}
                </legend>
                if let Some(code) = &question.code {
                    <CodeBlock code={code.clone()} lang={question.code_lang.clone().unwrap_or_else(|| "text".to_owned())} />
                }
                {input}
                {hint}
                <button type="button" class="course-check" id={format!("{base}-check")} onclick={check}>{"Check"}</button>
                <Feedback id={format!("{base}-feedback")} state={p.state.clone()} nudge={p.nudge}
                    explanation={question.explanation.clone().map(AttrValue::from)} />
            </fieldset>
        </div>
    }
}
