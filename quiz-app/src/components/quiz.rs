//! One quiz: its title, a notice when saved progress had to be reset, and its questions.

use std::rc::Rc;

use course_model::{Answer, Quiz};
use yew::prelude::*;

use super::question::QuestionView;
use crate::state::{Action, QuizState};
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
    let loaded = {
        let (book, id) = (props.book.clone(), quiz.id.clone());
        use_memo((), move |_| storage::load(&book, &id))
    };
    let state = {
        let initial = loaded.0.clone();
        use_reducer_eq(move || initial)
    };
    {
        let (book, id) = (props.book.clone(), quiz.id.clone());
        use_effect_with((*state).clone(), move |s: &QuizState| {
            storage::save(&book, &id, s);
        });
    }
    // mdBook turns pages with the arrow keys and opens search with `S`: not while the learner is
    // working in a quiz.
    let keep_keys = Callback::from(|e: KeyboardEvent| e.stop_propagation());
    let title_id = format!("quiz-{}-title", quiz.id);

    let questions = quiz.questions.iter().enumerate().map(|(index, q)| {
        let id = q.id.clone();
        let on_select = {
            let (state, id) = (state.clone(), id.clone());
            Callback::from(move |answer: Answer| {
                state.dispatch(Action::Select {
                    id: id.clone(),
                    answer,
                })
            })
        };
        let on_check = {
            let (state, id, quiz) = (state.clone(), id.clone(), quiz.clone());
            Callback::from(move |()| {
                state.dispatch(Action::Check {
                    id: id.clone(),
                    quiz: quiz.clone(),
                })
            })
        };
        html! {
            <QuestionView
                key={id.clone()}
                quiz={quiz.clone()}
                {index}
                state={state.questions.get(&id).cloned().unwrap_or_default()}
                {on_select}
                {on_check}
            />
        }
    });

    html! {
        <section class="course-quiz-body" aria-labelledby={title_id.clone()} onkeydown={keep_keys}>
            <h2 class="course-quiz-title" id={title_id}>{ format!("Quiz: {}", quiz.title) }</h2>
            if let Some(notice) = &loaded.1 {
                <p class="course-notice" role="status">{ notice.clone() }</p>
            }
            { for questions }
        </section>
    }
}
