//! One quiz: its title, notices, the questions (one at a time or all on the page) and, once
//! finished, the review.

use std::rc::Rc;

use course_model::{Layout, Quiz};
use yew::prelude::*;

use super::focus_id;
use super::question::QuestionView;
use super::review::Review;
use crate::state::{Action, Player};
use crate::storage;

/// What a mounted quiz needs.
#[derive(Properties, PartialEq)]
pub struct QuizProps {
    /// The book id: namespaces saved progress.
    pub book: AttrValue,
    /// The validated quiz with its Markdown already rendered to HTML.
    pub quiz: Rc<Quiz>,
}

/// A quiz player: answers are graded by `course-model` and saved in localStorage.
#[function_component]
pub fn QuizView(props: &QuizProps) -> Html {
    let quiz = props.quiz.clone();
    let start = {
        let (book, quiz) = (props.book.clone(), quiz.clone());
        use_memo((), move |_| {
            let (saved, mut notice) = storage::load(&book, &quiz.id);
            let seed = storage::seed(&book);
            let (player, changed) = Player::new(quiz, seed, saved);
            if changed > 0 && notice.is_none() {
                notice = Some(format!(
                    "{changed} question(s) changed since you answered them, so those answers were reset."
                ));
            }
            (player, notice, seed)
        })
    };
    let seed = start.2;
    let player = {
        let first = start.0.clone();
        use_reducer(move || first)
    };
    {
        let (book, id) = (props.book.clone(), quiz.id.clone());
        use_effect_with(player.state.clone(), move |s| storage::save(&book, &id, s));
    }
    // Moves the focus after the learner navigates (never on page load).
    let moves = use_state(|| 0u32);
    let round = player.round();
    let position = player.state.position.min(round.len().saturating_sub(1));
    let finished = player.state.finished;
    {
        let target = round
            .get(if quiz.layout == Layout::All {
                0
            } else {
                position
            })
            .map(|&i| format!("{}-{}", quiz.id, quiz.questions[i].id));
        use_effect_with((*moves, finished, position), move |(n, finished, _)| {
            if *n > 0 && !*finished {
                if let Some(id) = target {
                    focus_id(&id);
                }
            }
        });
    }
    let dispatch = {
        let (player, moves) = (player.clone(), moves.clone());
        Callback::from(move |action: Action| {
            if !matches!(action, Action::Select(..) | Action::Check(..)) {
                moves.set(*moves + 1);
            }
            player.dispatch(action)
        })
    };
    // mdBook turns pages with the arrow keys and opens search with `S`: not while the learner is
    // working in a quiz.
    let keep_keys = Callback::from(|e: KeyboardEvent| e.stop_propagation());
    let title_id = format!("quiz-{}-title", quiz.id);
    let nav_button = |class: &'static str, text: &'static str, action: Action, disabled: bool| {
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()));
        html! { <button type="button" class={classes!("course-button", class)} {disabled} {onclick}>{ text }</button> }
    };
    let question = |n: usize, i: usize| {
        let id = quiz.questions[i].id.clone();
        html! {
            <QuestionView key={id} quiz={quiz.clone()} index={i} number={n + 1} {seed}
                state={player.question(i)} dispatch={dispatch.clone()} />
        }
    };
    let body = if finished {
        html! { <Review player={(*player).clone()} focus={*moves > 0} dispatch={dispatch.clone()} /> }
    } else if round.is_empty() {
        html! {}
    } else if quiz.layout == Layout::All {
        html! {
            <>
                { for round.iter().enumerate().map(|(n, &i)| question(n, i)) }
                <p class="course-nav">{ nav_button("course-finish", "See results", Action::Finish, false) }</p>
            </>
        }
    } else {
        let last = position + 1 == round.len();
        html! {
            <>
                <p class="course-position">{ format!("Question {} of {}", position + 1, round.len()) }</p>
                { question(position, round[position]) }
                <p class="course-nav">
                    { nav_button("course-prev", "Previous", Action::Go(position.saturating_sub(1)), position == 0) }
                    if last {
                        { nav_button("course-finish", "See results", Action::Finish, false) }
                    } else {
                        { nav_button("course-next", "Next", Action::Go(position + 1), false) }
                    }
                </p>
            </>
        }
    };
    html! {
        <section class="course-quiz-body" aria-labelledby={title_id.clone()} onkeydown={keep_keys}>
            <h2 class="course-quiz-title" id={title_id}>{ format!("Quiz: {}", quiz.title) }</h2>
            if let Some(notice) = &start.1 {
                <p class="course-notice" role="status">{ notice.clone() }</p>
            }
            if !finished && !player.state.retry.is_empty() {
                <p class="course-retry-note">{ format!("Retrying the {} question(s) you missed.", round.len()) }</p>
            }
            { body }
        </section>
    }
}
