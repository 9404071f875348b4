//! One question: a labelled group of options, a Check button, and feedback announced to screen
//! readers.

use std::rc::Rc;

use course_model::{Answer, QuestionKind, Quiz};
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::state::QuestionState;

/// What a question needs to render.
#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    /// The quiz (shared, not copied).
    pub quiz: Rc<Quiz>,
    /// Which of its questions.
    pub index: usize,
    /// What the learner did with it so far.
    pub state: QuestionState,
    /// Called when the learner chooses an answer.
    pub on_select: Callback<Answer>,
    /// Called when the learner asks to check.
    pub on_check: Callback<()>,
}

/// Trusted HTML: rendered and sanitised by the preprocessor at build time.
fn rich(html: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(html.to_owned()))
}

/// One question of a quiz.
#[function_component]
pub fn QuestionView(props: &QuestionProps) -> Html {
    let question = &props.quiz.questions[props.index];
    let feedback_ref = use_node_ref();
    let nudge = use_state(|| false);
    let just_checked = use_state(|| false);
    {
        let feedback_ref = feedback_ref.clone();
        use_effect_with(*just_checked, move |checked| {
            if *checked {
                if let Some(el) = feedback_ref.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let base = format!("{}-{}", props.quiz.id, question.id);
    let QuestionKind::Single { options } = &question.kind else {
        return html! {
            <fieldset class="course-question" id={base}>
                <legend class="course-prompt">{ rich(&question.prompt) }</legend>
                <p>{ "This question type cannot be shown yet." }</p>
            </fieldset>
        };
    };
    let chosen = match props.state.answer {
        Some(Answer::Single(i)) => Some(i),
        _ => None,
    };
    let checked = props.state.checked;

    let option_items = options.iter().enumerate().map(|(i, option)| {
        let input_id = format!("{base}-option-{i}");
        let onchange = {
            let on_select = props.on_select.clone();
            let just_checked = just_checked.clone();
            Callback::from(move |_: Event| {
                just_checked.set(false);
                on_select.emit(Answer::Single(i));
            })
        };
        let is_chosen = chosen == Some(i);
        let class = classes!(
            "course-option",
            (checked && option.correct).then_some("is-correct"),
            (checked && is_chosen && !option.correct).then_some("is-wrong"),
        );
        html! {
            <li {class}>
                <input type="radio" id={input_id.clone()} name={base.clone()} checked={is_chosen} {onchange} />
                <label for={input_id}>{ rich(&option.text) }</label>
                if checked {
                    <div class="course-option-feedback">
                        if is_chosen { <span class="course-badge course-badge-yours">{ "Your answer" }</span> }
                        if option.correct { <span class="course-badge course-badge-correct">{ "Correct answer" }</span> }
                        if let Some(why) = &option.why { <div class="course-why">{ rich(why) }</div> }
                    </div>
                }
            </li>
        }
    });

    let onclick = {
        let on_check = props.on_check.clone();
        let (nudge, just_checked) = (nudge.clone(), just_checked.clone());
        let has_answer = chosen.is_some();
        Callback::from(move |_: MouseEvent| {
            if has_answer {
                nudge.set(false);
                just_checked.set(true);
                on_check.emit(());
            } else {
                nudge.set(true);
            }
        })
    };
    let verdict = match props.state.correct {
        Some(true) if checked => Some(("is-correct", "Correct!")),
        Some(false) if checked => Some(("is-wrong", "Not quite.")),
        _ => None,
    };

    html! {
        <fieldset class="course-question" id={base.clone()}>
            <legend class="course-prompt">
                <span class="course-question-number">{ format!("Question {}", props.index + 1) }</span>
                { rich(&question.prompt) }
            </legend>
            <ul class="course-options" role="list">{ for option_items }</ul>
            <button type="button" class="course-check" {onclick}>{ "Check" }</button>
            <div class="course-feedback" aria-live="polite" tabindex="-1" ref={feedback_ref}>
                if *nudge && chosen.is_none() {
                    <p class="course-nudge">{ "Choose an answer first, then press Check." }</p>
                }
                if let Some((class, text)) = verdict {
                    <p class={classes!("course-verdict", class)}><strong>{ text }</strong></p>
                    if let Some(explanation) = &question.explanation {
                        <div class="course-explanation">{ rich(explanation) }</div>
                    }
                }
            </div>
        </fieldset>
    }
}
