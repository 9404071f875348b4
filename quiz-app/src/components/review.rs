//! Review mode: the score, pass or fail, and every question with the learner's answer beside the
//! correct one; retry the missed ones or start over.

use yew::prelude::*;

use super::review_answer::{correct, yours};
use super::{focus_id, rich};
use crate::state::{Action, Player};

/// What review needs.
#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    /// The finished quiz.
    pub player: Player,
    /// Move the focus to the results (after the learner finished, not on page load).
    pub focus: bool,
    /// Changes the quiz state.
    pub dispatch: Callback<Action>,
}

/// The results of a finished round.
#[function_component]
pub fn Review(props: &ReviewProps) -> Html {
    let p = &props.player;
    let quiz = &p.quiz;
    let heading = format!("{}-results", quiz.id);
    {
        let (heading, focus) = (heading.clone(), props.focus);
        use_effect_with((), move |_| {
            if focus {
                focus_id(&heading);
            }
        });
    }
    let s = p.state.summary;
    let right = p.asked.iter().filter(|&&i| p.question(i).correct).count();
    let missed = p.missed().len();
    let button = |class: &'static str, text: String, action: Action| {
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()));
        html! { <button type="button" class={classes!("course-button", class)} {onclick}>{ text }</button> }
    };
    let items = p.asked.iter().enumerate().map(|(n, &i)| {
        let q = &quiz.questions[i];
        let st = p.question(i);
        let answer = st.answer.as_ref().filter(|_| st.checked);
        let (class, verdict) = match (st.checked, st.correct, st.score > 0.0) {
            (false, _, _) => ("is-wrong", "Not answered"),
            (true, true, _) => ("is-correct", "Correct"),
            (true, false, true) => ("is-wrong", "Partly right"),
            (true, false, false) => ("is-wrong", "Wrong"),
        };
        html! {
            <li class={classes!("course-review-item", class)} id={format!("{}-{}-review", quiz.id, q.id)}>
                <p class="course-review-head">
                    <span class="course-question-number">{ format!("Question {}", n + 1) }</span>
                    <span class={classes!("course-badge", "course-verdict-badge", class)}>{ verdict }</span>
                </p>
                <div class="course-prompt">{ rich(&q.prompt) }</div>
                <div class="course-review-answers">
                    <div class="course-review-yours">
                        <h4>{ "Your answer" }</h4>
                        { yours(q, answer) }
                    </div>
                    <div class="course-review-correct">
                        <h4>{ "Correct answer" }</h4>
                        { correct(q) }
                    </div>
                </div>
                if let Some(e) = &q.explanation { <div class="course-explanation">{ rich(e) }</div> }
            </li>
        }
    });
    html! {
        <div class="course-review">
            <h3 id={heading} tabindex="-1">{ "Your results" }</h3>
            <p class={classes!("course-score", if s.passed { "is-correct" } else { "is-wrong" })} role="status">
                <strong>{ format!("{}%", s.percent.round() as u32) }</strong>
                { format!(" — {right} of {} questions right. ", s.asked) }
                <strong>{ if s.passed { "Passed" } else { "Not passed" } }</strong>
                { format!(" (the pass mark is {}%).", quiz.pass_mark) }
            </p>
            <p class="course-review-actions">
                if missed > 0 {
                    { button("course-retry", format!("Retry the ones I missed ({missed})"), Action::RetryMissed) }
                }
                { button("course-restart", "Start over".to_owned(), Action::StartOver) }
            </p>
            <ol class="course-review-list">{ for items }</ol>
        </div>
    }
}
