//! Labelled radios or checkboxes (true/false as two radios), each option's explanation shown once
//! checked.

use course_model::QuestionKind;
use yew::prelude::*;

use super::inputs::chosen;
use super::model::Msg;
use super::{is_enter, raw, InputProps};

/// One option as shown.
struct Opt<'a> {
    text: &'a str,
    rich: bool,
    correct: bool,
    why: Option<&'a str>,
}

fn choice(o: &course_model::Choice) -> Opt<'_> {
    Opt {
        text: &o.text,
        rich: true,
        correct: o.correct,
        why: o.why.as_deref(),
    }
}

fn options(kind: &QuestionKind) -> (Vec<Opt<'_>>, bool) {
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
                    text: "True",
                    rich: false,
                    correct: *answer,
                    why: why_true.as_deref(),
                },
                Opt {
                    text: "False",
                    rich: false,
                    correct: !*answer,
                    why: why_false.as_deref(),
                },
            ],
            false,
        ),
        _ => (Vec::new(), false),
    }
}

/// The options of a choice question.
#[function_component]
pub fn Choices(p: &InputProps) -> Html {
    let (opts, multiple) = options(&p.kind);
    let chosen = chosen(&p.state.answer);
    let checked = p.state.checked;
    let order: Vec<usize> = if p.order.is_empty() {
        (0..opts.len()).collect()
    } else {
        p.order.clone()
    };
    let items = order.into_iter().filter_map(|i| {
        let opt = opts.get(i)?;
        let input_id = format!("{}-option-{i}", p.base);
        let is_chosen = chosen.contains(&i);
        let class = classes!(
            "course-option",
            (checked && opt.correct).then_some("is-correct"),
            (checked && is_chosen && !opt.correct).then_some("is-wrong"),
        );
        let q = p.q;
        let onchange = p.on.reform(move |_: Event| Msg::Option(q, i));
        let on = p.on.clone();
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            if is_enter(&e) {
                e.prevent_default();
                on.emit(Msg::OptionEnter(q, i));
            }
        });
        let label = if opt.rich {
            raw(opt.text)
        } else {
            html! { {opt.text} }
        };
        let feedback = checked.then(|| {
            html! {
                <div class="course-option-feedback">
                    if is_chosen {
                        <span class="course-badge course-badge-yours">{"Your answer"}</span>
                    }
                    if opt.correct {
                        <span class="course-badge course-badge-correct">{"Correct answer"}</span>
                    }
                    if let Some(why) = opt.why {
                        <div class="course-why">{raw(why)}</div>
                    }
                </div>
            }
        });
        Some(html! {
            <li key={i} {class}>
                <input type={if multiple { "checkbox" } else { "radio" }} id={input_id.clone()}
                    name={p.base.clone()} checked={is_chosen} {onchange} {onkeydown} />
                <label for={input_id}>{label}</label>
                {feedback}
            </li>
        })
    });
    html! { <ul class="course-options" role="list">{for items}</ul> }
}
