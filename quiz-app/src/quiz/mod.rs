//! The quiz player: a [`QuizView`] on each `.course-quiz` placeholder.
//!
//! State lives in a pure reducer ([`model::QuizModel`], over [`crate::state::Player`]); the
//! components render it and send [`model::Msg`]s. After a render, effects save the progress
//! when it changed and move the focus where the last action asked (the feedback after Check, the
//! question or the results after navigation).

mod answers;
mod choices;
mod code;
mod feedback;
mod inputs;
mod matching;
pub mod model;
mod ordering;
mod question;
mod review;
mod typed;

use std::rc::Rc;

use course_model::{Layout, Quiz};
use yew::prelude::*;

use self::model::{Msg, QuizModel};
use self::question::QuestionView;
use self::review::Review;
use crate::state::{Action, Player};
use crate::storage;
use crate::ui::focus_id;

/// Trusted HTML: rendered and sanitised by the preprocessor at build time.
pub fn raw(html: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(html.to_owned()))
}

/// Whether a key press is Enter (without the modifiers that mean something else).
pub fn is_enter(e: &KeyboardEvent) -> bool {
    e.key() == "Enter" && !e.shift_key() && !e.ctrl_key() && !e.alt_key() && !e.meta_key()
}

/// Properties of every question input (choices, typed, ordering, matching).
#[derive(Properties, PartialEq)]
pub struct InputProps {
    /// The question's kind: what to show and how answers are shaped.
    pub kind: course_model::QuestionKind,
    /// The question's index in the quiz.
    pub q: usize,
    /// The question's id, the prefix of its controls' ids.
    pub base: AttrValue,
    /// The display order: of options, of right-hand choices, or the shuffled start of an
    /// ordering (authoring indices; empty keeps authoring order).
    pub order: Vec<usize>,
    /// What the learner did.
    pub state: crate::state::QuestionState,
    /// Sends the learner's actions.
    pub on: Callback<Msg>,
}

/// Properties of [`QuizView`].
#[derive(Properties, PartialEq)]
pub struct QuizProps {
    /// The book id (namespaces saved progress).
    pub book: AttrValue,
    /// The quiz, as the page carries it.
    pub quiz: Rc<Quiz>,
    /// Each question's content hash, computed at build time.
    pub hashes: Rc<Vec<String>>,
}

fn start(p: &QuizProps) -> QuizModel {
    let (saved, mut notice) = storage::load(&p.book, &p.quiz.id);
    let seed = storage::seed(&p.book);
    let (player, changed) = Player::new(p.quiz.clone(), p.hashes.clone(), seed, saved);
    if changed > 0 && notice.is_none() {
        notice = Some(format!(
            "{changed} question(s) changed since you answered them, so those answers were reset."
        ));
    }
    QuizModel::new(player, notice)
}

/// Queues the learner records of this quiz when learner records are on: `answered` after each
/// graded Check (timed from the previous Check or the page load), the round's outcome when it is
/// finished. When the queue could not keep them, the quiz's notice says so.
/// Without learner records in this bundle: nothing to send.
#[cfg(not(feature = "xapi"))]
#[hook]
fn use_records(_p: &QuizProps, _model: &UseReducerHandle<QuizModel>) {}

#[cfg(feature = "xapi")]
#[hook]
fn use_records(p: &QuizProps, model: &UseReducerHandle<QuizModel>) {
    let since = use_mut_ref(js_sys::Date::now);
    let kept = {
        let dispatch = model.dispatcher();
        move |dropped: u32| {
            if dropped > 0 {
                dispatch.dispatch(Msg::Notice(crate::xapi::status::full_notice(dropped)));
            }
        }
    };
    {
        let (quiz, hashes, player) = (p.quiz.clone(), p.hashes.clone(), model.player.clone());
        let kept = kept.clone();
        use_effect_with(model.checked, move |checked| {
            let Some((_, q)) = *checked else { return };
            let now = js_sys::Date::now();
            let ms = now - since.replace(now);
            let state = player.question(q);
            let Some(answer) = state.answer.clone() else {
                return;
            };
            kept(crate::xapi::sender::record(|base, book| {
                use crate::xapi::statement::{answered, Answered};
                vec![answered(
                    base,
                    book,
                    &Answered {
                        quiz: &quiz,
                        question: &quiz.questions[q],
                        hash: hashes.get(q).map_or("", String::as_str),
                        answer: &answer,
                        score: state.score,
                        attempt: player.state.attempt + 1,
                        ms,
                    },
                )]
            }));
        });
    }
    let (quiz, summary, attempt) = (
        p.quiz.clone(),
        model.player.state.summary,
        model.player.state.attempt,
    );
    use_effect_with(model.finished, move |&finished| {
        if finished > 0 {
            kept(crate::xapi::sender::record(|base, book| {
                crate::xapi::statement::quiz_finished(
                    base,
                    book,
                    &quiz,
                    summary.percent / 100.0,
                    summary.passed,
                    attempt + 1,
                )
            }));
        }
    });
}

/// One quiz.
#[function_component]
pub fn QuizView(p: &QuizProps) -> Html {
    let model = use_reducer(|| start(p));
    {
        let book = p.book.clone();
        let state = model.player.state.clone();
        let id = p.quiz.id.clone();
        use_effect_with(model.saves, move |&saves| {
            if saves > 0 {
                storage::save(&book, &id, &state);
            }
        });
    }
    use_records(p, &model);
    use_effect_with(model.focus.clone(), |focus| {
        if let Some((_, id)) = focus {
            focus_id(id);
        }
    });
    let on = {
        let model = model.clone();
        Callback::from(move |msg: Msg| model.dispatch(msg))
    };
    let quiz = &p.quiz;
    let player = &model.player;
    let title_id = format!("quiz-{}-title", quiz.id);
    let round = player.round();
    let finished = player.state.finished;
    let position = player.state.position.min(round.len().saturating_sub(1));
    let question = |i: usize, number: usize| {
        html! {
            <QuestionView key={quiz.questions[i].id.clone()} quiz={quiz.clone()} index={i} {number}
                seed={player.seed} state={player.question(i)} hint={model.hints[i]}
                nudge={model.nudges[i]} on={on.clone()} />
        }
    };
    let finish = {
        let onclick = on.reform(|_: MouseEvent| Msg::Player(Action::Finish));
        html! { <button type="button" class="course-button course-finish" {onclick}>{"See results"}</button> }
    };
    let body = if finished {
        html! { <Review player={player.clone()} on={on.clone()} /> }
    } else if round.is_empty() {
        Html::default()
    } else if quiz.layout == Layout::All {
        html! {
            <>
                {for round.iter().enumerate().map(|(n, &i)| question(i, n + 1))}
                <p class="course-nav">{finish}</p>
            </>
        }
    } else {
        let prev =
            on.reform(move |_: MouseEvent| Msg::Player(Action::Go(position.saturating_sub(1))));
        let forward = if position + 1 == round.len() {
            finish
        } else {
            let onclick = on.reform(move |_: MouseEvent| Msg::Player(Action::Go(position + 1)));
            html! { <button type="button" class="course-button course-next" {onclick}>{"Next"}</button> }
        };
        html! {
            <>
                <p class="course-position">{format!("Question {} of {}", position + 1, round.len())}</p>
                {question(round[position], position + 1)}
                <p class="course-nav">
                    <button type="button" class="course-button course-prev" disabled={position == 0} onclick={prev}>{"Previous"}</button>
                    {forward}
                </p>
            </>
        }
    };
    html! {
        <div class="course-app">
            <div>
                <section class="course-quiz-body" aria-labelledby={title_id.clone()}>
                    <h2 class="course-quiz-title" id={title_id}>{format!("Quiz: {}", quiz.title)}</h2>
                    if let Some(n) = &model.notice {
                        <p class="course-notice" role="status">{n}</p>
                    }
                    if !finished && !player.state.retry.is_empty() {
                        <p class="course-retry-note">{format!("Retrying the {} question(s) you missed.", round.len())}</p>
                    }
                    {body}
                </section>
            </div>
            <p class="course-sr-only" aria-live="polite">{model.announce.clone()}</p>
        </div>
    }
}
