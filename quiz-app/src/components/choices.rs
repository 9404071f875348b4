//! Single choice (radios), multiple select (checkboxes) and true/false (two radios), with each
//! option's explanation after checking.

use std::rc::Rc;

use course_model::{Answer, QuestionKind, Quiz};
use web_sys::HtmlElement;
use yew::prelude::*;

use super::rich;

/// What a list of options needs.
#[derive(Properties, PartialEq)]
pub struct ChoicesProps {
    /// The quiz.
    pub quiz: Rc<Quiz>,
    /// Which question.
    pub index: usize,
    /// Display order (authoring indices); empty keeps authoring order.
    pub order: Vec<usize>,
    /// The current answer.
    pub answer: Option<Answer>,
    /// Whether it was checked.
    pub checked: bool,
    /// Called with the new answer.
    pub on_select: Callback<Answer>,
}

struct Opt {
    text: Html,
    correct: bool,
    why: Option<String>,
}

fn options(kind: &QuestionKind) -> (Vec<Opt>, bool) {
    let choice = |o: &course_model::Choice| Opt {
        text: rich(&o.text),
        correct: o.correct,
        why: o.why.clone(),
    };
    match kind {
        QuestionKind::Single { options } => (options.iter().map(choice).collect(), false),
        QuestionKind::Multiple { options, .. } => (options.iter().map(choice).collect(), true),
        QuestionKind::TrueFalse {
            answer,
            why_true,
            why_false,
        } => (
            vec![
                Opt {
                    text: html! { "True" },
                    correct: *answer,
                    why: why_true.clone(),
                },
                Opt {
                    text: html! { "False" },
                    correct: !*answer,
                    why: why_false.clone(),
                },
            ],
            false,
        ),
        _ => (Vec::new(), false),
    }
}

/// The learner's choices as authoring indices.
fn chosen(answer: &Option<Answer>) -> Vec<usize> {
    match answer {
        Some(Answer::Single(i)) => vec![*i],
        Some(Answer::Multiple(v)) => v.clone(),
        Some(Answer::TrueFalse(b)) => vec![usize::from(!*b)],
        _ => Vec::new(),
    }
}

/// Radios or checkboxes with labels; Enter selects like Space.
#[function_component]
pub fn Choices(props: &ChoicesProps) -> Html {
    let question = &props.quiz.questions[props.index];
    let base = format!("{}-{}", props.quiz.id, question.id);
    let (opts, multiple) = options(&question.kind);
    let is_tf = matches!(question.kind, QuestionKind::TrueFalse { .. });
    let chosen = chosen(&props.answer);
    let order: Vec<usize> = if props.order.is_empty() {
        (0..opts.len()).collect()
    } else {
        props.order.clone()
    };
    let enter_selects = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            e.target_unchecked_into::<HtmlElement>().click();
        }
    });
    let items = order.into_iter().filter_map(|i| {
        let opt = opts.get(i)?;
        let input_id = format!("{base}-option-{i}");
        let is_chosen = chosen.contains(&i);
        let onchange = {
            let (on_select, chosen) = (props.on_select.clone(), chosen.clone());
            Callback::from(move |_: Event| {
                let answer = if multiple {
                    let mut next: Vec<usize> = chosen.iter().copied().filter(|&c| c != i).collect();
                    if !chosen.contains(&i) {
                        next.push(i);
                    }
                    next.sort_unstable();
                    Answer::Multiple(next)
                } else if is_tf {
                    Answer::TrueFalse(i == 0)
                } else {
                    Answer::Single(i)
                };
                on_select.emit(answer);
            })
        };
        let checked = props.checked;
        let class = classes!(
            "course-option",
            (checked && opt.correct).then_some("is-correct"),
            (checked && is_chosen && !opt.correct).then_some("is-wrong"),
        );
        let kind = if multiple { "checkbox" } else { "radio" };
        Some(html! {
            <li {class}>
                <input type={kind} id={input_id.clone()} name={base.clone()} checked={is_chosen}
                    {onchange} onkeydown={enter_selects.clone()} />
                <label for={input_id}>{ opt.text.clone() }</label>
                if checked {
                    <div class="course-option-feedback">
                        if is_chosen { <span class="course-badge course-badge-yours">{ "Your answer" }</span> }
                        if opt.correct { <span class="course-badge course-badge-correct">{ "Correct answer" }</span> }
                        if let Some(why) = &opt.why { <div class="course-why">{ rich(why) }</div> }
                    </div>
                }
            </li>
        })
    });
    html! { <ul class="course-options" role="list">{ for items }</ul> }
}
