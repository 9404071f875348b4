//! Review mode: the score, pass or fail, and every question with the answer that counted beside
//! the correct one; retry the missed ones or start over.

use yew::prelude::*;

use super::answers::{Correct, Yours};
use super::model::Msg;
use super::raw;
use crate::state::{Action, Player};

/// Properties of [`Review`].
#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    /// The finished round.
    pub player: Player,
    /// Sends the learner's actions.
    pub on: Callback<Msg>,
}

/// The results of a finished round.
#[function_component]
pub fn Review(p: &ReviewProps) -> Html {
    let player = &p.player;
    let quiz = &player.quiz;
    let s = player.state.summary;
    let right = player
        .asked
        .iter()
        .filter(|&&i| player.question(i).best >= 1.0)
        .count();
    let missed = player.missed().len();
    let items = player.asked.iter().enumerate().map(|(n, &i)| {
        let q = &quiz.questions[i];
        let st = player.question(i);
        let counted = st.counted.as_ref();
        let (class, verdict) = match counted.map(|c| c.score) {
            None => ("is-wrong", "Not answered"),
            Some(x) if x >= 1.0 => ("is-correct", "Correct"),
            Some(x) if x > 0.0 => ("is-wrong", "Partly right"),
            Some(_) => ("is-wrong", "Wrong"),
        };
        html! {
            <li key={q.id.clone()} class={classes!("course-review-item", class)} id={format!("{}-{}-review", quiz.id, q.id)}>
                <p class="course-review-head">
                    <span class="course-question-number">{format!("Question {}", n + 1)}</span>
                    <span class={classes!("course-badge", "course-verdict-badge", class)}>{verdict}</span>
                </p>
                <div class="course-prompt">{raw(&q.prompt)}</div>
                <div class="course-review-answers">
                    <div class="course-review-yours">
                        <h4>{"Your answer"}</h4>
                        <Yours question={q.clone()} answer={counted.map(|c| c.answer.clone())} />
                    </div>
                    <div class="course-review-correct">
                        <h4>{"Correct answer"}</h4>
                        <Correct question={q.clone()} />
                    </div>
                </div>
                if let Some(e) = &q.explanation { <div class="course-explanation">{raw(e)}</div> }
            </li>
        }
    });
    let percent = |x: f64| x.round() as u32;
    let first = (percent(s.first) < percent(s.percent))
        .then(|| format!(" Your first try scored {}%.", percent(s.first)));
    let retry =
        p.on.reform(|_: MouseEvent| Msg::Player(Action::RetryMissed));
    let restart = p.on.reform(|_: MouseEvent| Msg::Player(Action::StartOver));
    html! {
        <div class="course-review">
            <h3 id={format!("{}-results", quiz.id)} tabindex="-1">{"Your results"}</h3>
            <p class={if s.passed { "course-score is-correct" } else { "course-score is-wrong" }} role="status">
                <strong>{format!("{}%", percent(s.percent))}</strong>
                {format!(" — {right} of {} questions right. ", s.asked)}
                <strong>{if s.passed { "Passed" } else { "Not passed" }}</strong>
                {format!(" (the pass mark is {}%).", quiz.pass_mark)}
                {first}
            </p>
            <p class="course-review-actions">
                if missed > 0 {
                    <button type="button" class="course-button course-retry" onclick={retry}>
                        {format!("Retry the ones I missed ({missed})")}
                    </button>
                }
                <button type="button" class="course-button course-restart" onclick={restart}>{"Start over"}</button>
            </p>
            <ol class="course-review-list">{for items}</ol>
        </div>
    }
}
