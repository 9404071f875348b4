//! One question: its shared context, prompt, excerpt, hint, the input for its type, a Check button
//! and feedback announced to screen readers.

use std::rc::Rc;

use course_model::{display_order, Answer, QuestionKind, Quiz};
use web_sys::HtmlElement;
use yew::prelude::*;

use super::choices::Choices;
use super::code::CodeBlock;
use super::feedback::Feedback;
use super::matching::Matching;
use super::ordering::{current_order, Ordering};
use super::rich;
use super::typed::Typed;
use crate::state::{Action, QuestionState};

/// What a question needs to render.
#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    /// The quiz (shared, not copied).
    pub quiz: Rc<Quiz>,
    /// Which of its questions.
    pub index: usize,
    /// Its number as shown (1-based, in asking order).
    pub number: usize,
    /// The learner's seed, for the option order.
    pub seed: u64,
    /// What the learner did with it so far.
    pub state: QuestionState,
    /// Changes the quiz state.
    pub dispatch: Callback<Action>,
}

/// One question of a quiz.
#[function_component]
pub fn QuestionView(props: &QuestionProps) -> Html {
    let quiz = &props.quiz;
    let index = props.index;
    let question = &quiz.questions[index];
    let base = format!("{}-{}", quiz.id, question.id);
    let feedback_ref = use_node_ref();
    let nudge = use_state(|| false);
    let checks = use_state(|| 0u32);
    let hint = use_state(|| false);
    {
        let feedback_ref = feedback_ref.clone();
        use_effect_with(*checks, move |n| {
            if *n > 0 {
                if let Some(el) = feedback_ref.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let order = display_order(props.seed, quiz, index);
    let answer = props.state.answer.clone();
    let checked = props.state.checked;
    let on_select = {
        let (dispatch, nudge) = (props.dispatch.clone(), nudge.clone());
        Callback::from(move |a: Answer| {
            nudge.set(false);
            dispatch.emit(Action::Select(index, a));
        })
    };
    let on_check = {
        let (dispatch, nudge, checks) = (props.dispatch.clone(), nudge.clone(), checks.clone());
        let (answer, kind) = (answer.clone(), question.kind.clone());
        let order = order.clone();
        Callback::from(move |()| {
            let mut answer = answer.clone();
            if let (None, QuestionKind::Ordering { items, .. }) = (&answer, &kind) {
                // The order shown is an answer too, even if nothing was moved.
                let shown = Answer::Ordering(current_order(&None, &order, items.len()));
                dispatch.emit(Action::Select(index, shown.clone()));
                answer = Some(shown);
            }
            if answer.is_some() {
                nudge.set(false);
                checks.set(*checks + 1);
                dispatch.emit(Action::Check(index));
            } else {
                nudge.set(true);
            }
        })
    };
    let input = match &question.kind {
        QuestionKind::Single { .. }
        | QuestionKind::Multiple { .. }
        | QuestionKind::TrueFalse { .. } => html! {
            <Choices quiz={quiz.clone()} {index} {order} answer={answer.clone()} {checked} {on_select} />
        },
        QuestionKind::Short { .. } | QuestionKind::Numeric { .. } => html! {
            <Typed quiz={quiz.clone()} {index} answer={answer.clone()} {on_select} on_check={on_check.clone()} />
        },
        QuestionKind::Ordering { .. } => html! {
            <Ordering quiz={quiz.clone()} {index} {order} answer={answer.clone()} {checked} {on_select} />
        },
        QuestionKind::Matching { .. } => html! {
            <Matching quiz={quiz.clone()} {index} {order} answer={answer.clone()} {checked} {on_select} />
        },
    };
    let toggle_hint = {
        let hint = hint.clone();
        Callback::from(move |_: MouseEvent| hint.set(!*hint))
    };
    let onclick = {
        let on_check = on_check.clone();
        Callback::from(move |_: MouseEvent| on_check.emit(()))
    };
    html! {
        <div class="course-question-wrap">
            if let Some(part) = &question.part {
                <div class="course-part">{ rich(&part.context) }</div>
            }
            <fieldset class="course-question" id={base.clone()} tabindex="-1">
                <legend class="course-prompt">
                    <span class="course-question-number">{ format!("Question {}", props.number) }</span>
                    { rich(&question.prompt) }
                </legend>
                if let Some(code) = &question.code {
                    <CodeBlock code={code.clone()} lang={question.code_lang.clone().unwrap_or_else(|| "text".into())} />
                }
                { input }
                if let Some(text) = &question.hint {
                    <div class="course-hint-box">
                        <button type="button" class="course-hint-toggle" aria-expanded={(*hint).to_string()}
                            aria-controls={format!("{base}-hint")} onclick={toggle_hint}>
                            { if *hint { "Hide hint" } else { "Show hint" } }
                        </button>
                        <div class="course-hint" id={format!("{base}-hint")} hidden={!*hint}>{ rich(text) }</div>
                    </div>
                }
                <button type="button" class="course-check" {onclick}>{ "Check" }</button>
                <div class="course-feedback" aria-live="polite" tabindex="-1" ref={feedback_ref}>
                    if *nudge && answer.is_none() {
                        <p class="course-nudge">{ "Choose an answer first, then press Check." }</p>
                    }
                    if let (true, Some(a)) = (checked, &answer) {
                        <Feedback quiz={quiz.clone()} {index} answer={a.clone()} />
                    }
                </div>
            </fieldset>
        </div>
    }
}
