//! The input of each question type, and how an event on it becomes a new answer:
//! options (radios or checkboxes, true/false as two radios), typed answers (short and numeric),
//! ordering (move up / move down buttons, no dragging needed) and matching (a select per item).

use course_model::{Answer, Mark, Question, QuestionKind, Quiz};

use super::QuizApp;
use crate::dom::{el, El};
use crate::grading::grade;
use crate::state::QuestionState;
use crate::text::plain;

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

/// The learner's choices as authoring indices.
fn chosen(answer: &Option<Answer>) -> Vec<usize> {
    match answer {
        Some(Answer::Single(i)) => vec![*i],
        Some(Answer::Multiple(v)) => v.clone(),
        Some(Answer::TrueFalse(b)) => vec![usize::from(!*b)],
        _ => Vec::new(),
    }
}

/// The answer after the learner chose option `i` (authoring index) of question `q`.
pub fn toggled(app: &QuizApp, q: usize, i: usize) -> Answer {
    let kind = &app.quiz().questions[q].kind;
    let chosen = chosen(&app.player.question(q).answer);
    match kind {
        QuestionKind::Multiple { .. } => {
            let mut next: Vec<usize> = chosen.iter().copied().filter(|&c| c != i).collect();
            if !chosen.contains(&i) {
                next.push(i);
            }
            next.sort_unstable();
            Answer::Multiple(next)
        }
        QuestionKind::TrueFalse { .. } => Answer::TrueFalse(i == 0),
        _ => Answer::Single(i),
    }
}

/// Labelled radios or checkboxes, each option's explanation shown once checked.
pub fn choices(quiz: &Quiz, q: usize, base: &str, order: &[usize], state: &QuestionState) -> El {
    let (opts, multiple) = options(&quiz.questions[q].kind);
    let chosen = chosen(&state.answer);
    let order: Vec<usize> = if order.is_empty() {
        (0..opts.len()).collect()
    } else {
        order.to_vec()
    };
    let items = order.into_iter().filter_map(|i| {
        let opt = opts.get(i)?;
        let input_id = format!("{base}-option-{i}");
        let is_chosen = chosen.contains(&i);
        let mut class = "course-option".to_owned();
        if state.checked && opt.correct {
            class.push_str(" is-correct");
        }
        if state.checked && is_chosen && !opt.correct {
            class.push_str(" is-wrong");
        }
        let input = el("input")
            .attr("type", if multiple { "checkbox" } else { "radio" })
            .id(&input_id)
            .attr("name", base)
            .attr_if(is_chosen, "checked", "")
            .act("option", q)
            .data("i", i);
        let label = el("label").attr("for", &input_id);
        let label = if opt.rich {
            label.html(opt.text)
        } else {
            label.text(opt.text)
        };
        let feedback = state.checked.then(|| {
            el("div")
                .class("course-option-feedback")
                .maybe(is_chosen.then(|| {
                    el("span")
                        .class("course-badge course-badge-yours")
                        .text("Your answer")
                }))
                .maybe(opt.correct.then(|| {
                    el("span")
                        .class("course-badge course-badge-correct")
                        .text("Correct answer")
                }))
                .maybe(opt.why.map(|w| el("div").class("course-why").html(w)))
        });
        Some(
            el("li")
                .class(&class)
                .child(input)
                .child(label)
                .maybe(feedback),
        )
    });
    el("ul")
        .class("course-options")
        .attr("role", "list")
        .children(items)
}

/// A labelled text field (a line, a text area or a code area) with the unit beside it.
pub fn typed(question: &Question, q: usize, base: &str, state: &QuestionState) -> El {
    let id = format!("{base}-input");
    let (numeric, input, unit) = match &question.kind {
        QuestionKind::Short { input, .. } => (false, *input, None),
        QuestionKind::Numeric { unit, .. } => {
            (true, course_model::InputKind::Line, unit.as_deref())
        }
        _ => return el("div"),
    };
    let value = match &state.answer {
        Some(Answer::Short(s) | Answer::Numeric(s)) => s.as_str(),
        _ => "",
    };
    let label = match unit {
        Some(u) => format!("Your answer (in {u})"),
        None if numeric => "Your answer (a number)".to_owned(),
        None => "Your answer".to_owned(),
    };
    let field = match input {
        course_model::InputKind::Line => el("input")
            .attr("type", "text")
            .class("course-input")
            .attr("value", value)
            .attr("autocomplete", "off")
            .attr_if(numeric, "inputmode", "decimal"),
        kind => el("textarea")
            .class(if kind == course_model::InputKind::Code {
                "course-input course-input-code"
            } else {
                "course-input"
            })
            .attr("rows", "4")
            .text(value),
    };
    let field = field.id(&id).attr("spellcheck", "false").act("typed", q);
    el("div")
        .class("course-typed")
        .child(el("label").attr("for", &id).text(&label))
        .child(
            el("div")
                .class("course-typed-field")
                .child(field)
                .maybe(unit.map(|u| el("span").class("course-unit").text(u))),
        )
}

/// The order currently shown: the learner's, or the shuffled start.
pub fn current_order(answer: &Option<Answer>, start: &[usize], n: usize) -> Vec<usize> {
    match answer {
        Some(Answer::Ordering(v)) if v.len() == n => v.clone(),
        _ if start.len() == n => start.to_vec(),
        _ => (0..n).collect(),
    }
}

fn shown_order(app: &QuizApp, q: usize) -> Vec<usize> {
    let n = match &app.quiz().questions[q].kind {
        QuestionKind::Ordering { items, .. } => items.len(),
        _ => 0,
    };
    let start = course_model::display_order(app.seed, app.quiz(), q);
    current_order(&app.player.question(q).answer, &start, n)
}

/// The order after moving the item at position `from` to `to`, and the button to focus: the
/// same button on the moved item, or its other button once it reached an end.
pub fn moved(app: &QuizApp, q: usize, from: usize, to: usize) -> (Answer, String) {
    let mut order = shown_order(app, q);
    let n = order.len();
    if from >= n || to >= n {
        return (Answer::Ordering(order), String::new());
    }
    let item = order[from];
    order.swap(from, to);
    let up = to < from;
    let at_end = if up { to == 0 } else { to + 1 == n };
    let dir = if up != at_end { "up" } else { "down" };
    let focus = format!("{}-item-{item}-{dir}", app.question_id(q));
    (Answer::Ordering(order), focus)
}

/// The reorderable list, with per-item marks once checked.
pub fn ordering(
    question: &Question,
    q: usize,
    base: &str,
    start: &[usize],
    state: &QuestionState,
) -> El {
    let QuestionKind::Ordering { items, .. } = &question.kind else {
        return el("ol");
    };
    let order = current_order(&state.answer, start, items.len());
    let marks = match (&state.answer, state.checked) {
        (Some(a), true) => grade(question, a).marks,
        _ => Vec::new(),
    };
    let n = order.len();
    let rows = order.iter().enumerate().map(|(pos, &item)| {
        let name = plain(&items[item]);
        let button = |up: bool| {
            let target = if up { pos.wrapping_sub(1) } else { pos + 1 };
            let (dir, text, label) = if up {
                ("up", "↑ Up", format!("Move “{name}” up"))
            } else {
                ("down", "↓ Down", format!("Move “{name}” down"))
            };
            let b = el("button")
                .attr("type", "button")
                .class("course-move")
                .id(&format!("{base}-item-{item}-{dir}"))
                .attr("aria-label", &label)
                .text(text);
            if target >= n {
                b.attr("disabled", "")
            } else {
                b.act("move", q).data("from", pos).data("to", target)
            }
        };
        let mark = marks.get(item).copied();
        let class = match mark {
            Some(Mark::Right) => "course-order-item is-correct",
            Some(Mark::Wrong) => "course-order-item is-wrong",
            _ => "course-order-item",
        };
        el("li")
            .class(class)
            .child(el("span").class("course-order-text").html(&items[item]))
            .child(
                el("span")
                    .class("course-order-buttons")
                    .child(button(true))
                    .child(button(false)),
            )
            .maybe(mark.map(|m| {
                el("span").class("course-badge").text(if m == Mark::Right {
                    "In the right place"
                } else {
                    "Not in the right place"
                })
            }))
    });
    el("ol").class("course-ordering").children(rows)
}

fn matched_now(question: &Question, answer: &Option<Answer>) -> Vec<Option<usize>> {
    let n = match &question.kind {
        QuestionKind::Matching { pairs, .. } => pairs.len(),
        _ => 0,
    };
    match answer {
        Some(Answer::Matching(v)) => (0..n).map(|i| v.get(i).copied().flatten()).collect(),
        _ => vec![None; n],
    }
}

/// The pairing after the learner chose `choice` for left item `row`.
pub fn matched(app: &QuizApp, q: usize, row: usize, choice: Option<usize>) -> Answer {
    let question = &app.quiz().questions[q];
    let mut next = matched_now(question, &app.player.question(q).answer);
    if let Some(slot) = next.get_mut(row) {
        *slot = choice;
    }
    Answer::Matching(next)
}

/// One labelled select per left item; the right-hand choices shuffled.
pub fn matching(
    question: &Question,
    q: usize,
    base: &str,
    order: &[usize],
    state: &QuestionState,
) -> El {
    let QuestionKind::Matching { pairs, .. } = &question.kind else {
        return el("ul");
    };
    let choices = question.kind.matching_choices();
    let chosen = matched_now(question, &state.answer);
    let marks = match (&state.answer, state.checked) {
        (Some(a), true) => grade(question, a).marks,
        _ => Vec::new(),
    };
    let order: Vec<usize> = if order.len() == choices.len() {
        order.to_vec()
    } else {
        (0..choices.len()).collect()
    };
    let rows = pairs.iter().enumerate().map(|(i, pair)| {
        let id = format!("{base}-match-{i}");
        let options = order.iter().map(|&c| {
            el("option")
                .attr("value", &c.to_string())
                .attr_if(chosen[i] == Some(c), "selected", "")
                .text(&plain(choices[c]))
        });
        let select = el("select")
            .id(&id)
            .act("match", q)
            .data("i", i)
            .child(
                el("option")
                    .attr("value", "")
                    .attr_if(chosen[i].is_none(), "selected", "")
                    .text("Choose…"),
            )
            .children(options);
        let mark = marks.get(i).copied();
        let class = match mark {
            Some(Mark::Right) => "course-match is-correct",
            Some(Mark::Wrong | Mark::Missed) => "course-match is-wrong",
            _ => "course-match",
        };
        let feedback = mark.map(|m| {
            let f = el("div").class("course-option-feedback");
            if m == Mark::Right {
                f.child(
                    el("span")
                        .class("course-badge course-badge-correct")
                        .text("Right"),
                )
            } else {
                f.child(el("span").class("course-badge").text("Correct answer"))
                    .html(&pair.right)
            }
        });
        el("li")
            .class(class)
            .child(
                el("label")
                    .attr("for", &id)
                    .class("course-match-left")
                    .html(&pair.left),
            )
            .child(select)
            .maybe(feedback)
    });
    el("ul")
        .class("course-matching")
        .attr("role", "list")
        .children(rows)
}
