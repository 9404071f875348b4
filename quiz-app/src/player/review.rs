//! Review mode: the score, pass or fail, and every question with the learner's answer beside the
//! correct one; retry the missed ones or start over.

use course_model::{Answer, Question, QuestionKind};

use crate::dom::{button, el, El};
use crate::state::Player;
use crate::text::number;

/// The results of a finished round.
pub fn view(p: &Player) -> El {
    let quiz = &p.quiz;
    let s = p.state.summary;
    let right = p.asked.iter().filter(|&&i| p.question(i).correct).count();
    let missed = p.missed().len();
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
        el("li")
            .class(&format!("course-review-item {class}"))
            .id(&format!("{}-{}-review", quiz.id, q.id))
            .child(
                el("p")
                    .class("course-review-head")
                    .child(
                        el("span")
                            .class("course-question-number")
                            .text(&format!("Question {}", n + 1)),
                    )
                    .child(
                        el("span")
                            .class(&format!("course-badge course-verdict-badge {class}"))
                            .text(verdict),
                    ),
            )
            .child(el("div").class("course-prompt").html(&q.prompt))
            .child(
                el("div")
                    .class("course-review-answers")
                    .child(
                        el("div")
                            .class("course-review-yours")
                            .child(el("h4").text("Your answer"))
                            .child(yours(q, answer)),
                    )
                    .child(
                        el("div")
                            .class("course-review-correct")
                            .child(el("h4").text("Correct answer"))
                            .child(correct(q)),
                    ),
            )
            .maybe(
                q.explanation
                    .as_ref()
                    .map(|e| el("div").class("course-explanation").html(e)),
            )
    });
    let score = el("p")
        .class(if s.passed {
            "course-score is-correct"
        } else {
            "course-score is-wrong"
        })
        .attr("role", "status")
        .child(el("strong").text(&format!("{}%", s.percent.round() as u32)))
        .text(&format!(" — {right} of {} questions right. ", s.asked))
        .child(el("strong").text(if s.passed { "Passed" } else { "Not passed" }))
        .text(&format!(" (the pass mark is {}%).", quiz.pass_mark));
    let actions = el("p")
        .class("course-review-actions")
        .maybe((missed > 0).then(|| {
            button(
                "course-button course-retry",
                &format!("Retry the ones I missed ({missed})"),
            )
            .attr("data-act", "retry")
        }))
        .child(button("course-button course-restart", "Start over").attr("data-act", "restart"));
    el("div")
        .class("course-review")
        .child(
            el("h3")
                .id(&format!("{}-results", quiz.id))
                .attr("tabindex", "-1")
                .text("Your results"),
        )
        .child(score)
        .child(actions)
        .child(el("ol").class("course-review-list").children(items))
}

fn none(text: &str) -> El {
    el("p").class("course-none").child(el("em").text(text))
}

fn list(items: Vec<El>, ordered: bool) -> El {
    el(if ordered { "ol" } else { "ul" }).children(items.into_iter().map(|i| el("li").child(i)))
}

fn rich(html: &str) -> El {
    el("div").html(html)
}

fn pair(left: &str, right: Option<&str>) -> El {
    let row = el("div")
        .html(left)
        .child(el("span").class("course-arrow").text(" → "));
    match right {
        Some(r) => row.html(r),
        None => row.child(el("em").text("no match")),
    }
}

/// The learner's answer, or "No answer".
fn yours(q: &Question, answer: Option<&Answer>) -> El {
    let Some(answer) = answer else {
        return none("No answer");
    };
    match (&q.kind, answer) {
        (QuestionKind::Single { options }, Answer::Single(i)) => options
            .get(*i)
            .map_or_else(|| none("No answer"), |o| rich(&o.text)),
        (QuestionKind::Multiple { options, .. }, Answer::Multiple(v)) if !v.is_empty() => list(
            v.iter()
                .filter_map(|&i| options.get(i))
                .map(|o| rich(&o.text))
                .collect(),
            false,
        ),
        (_, Answer::TrueFalse(b)) => el("p").text(if *b { "True" } else { "False" }),
        (_, Answer::Short(s) | Answer::Numeric(s)) if !s.trim().is_empty() => {
            el("p").class("course-typed-answer").text(s)
        }
        (QuestionKind::Ordering { items, .. }, Answer::Ordering(v)) => list(
            v.iter()
                .filter_map(|&i| items.get(i))
                .map(|t| rich(t))
                .collect(),
            true,
        ),
        (kind @ QuestionKind::Matching { pairs, .. }, Answer::Matching(v)) => {
            let choices = kind.matching_choices();
            list(
                pairs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let right = v
                            .get(i)
                            .copied()
                            .flatten()
                            .and_then(|c| choices.get(c).copied());
                        pair(&p.left, right)
                    })
                    .collect(),
                false,
            )
        }
        _ => none("No answer"),
    }
}

/// The correct answer.
fn correct(q: &Question) -> El {
    match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => list(
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| rich(&o.text))
                .collect(),
            false,
        ),
        QuestionKind::TrueFalse { answer, .. } => {
            el("p").text(if *answer { "True" } else { "False" })
        }
        QuestionKind::Short {
            answers, pattern, ..
        } => match (answers.first(), pattern) {
            (Some(a), _) => el("p").class("course-typed-answer").text(a),
            (None, Some(p)) => el("p")
                .text("Any answer matching ")
                .child(el("code").text(p)),
            _ => none("Not given"),
        },
        QuestionKind::Numeric {
            answer,
            min,
            max,
            unit,
            ..
        } => {
            let unit = unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            let text = match (answer, min, max) {
                (Some(a), _, _) => format!("{}{unit}", number(*a)),
                (None, Some(lo), Some(hi)) => {
                    format!("from {} to {}{unit}", number(*lo), number(*hi))
                }
                _ => String::new(),
            };
            el("p").class("course-typed-answer").text(&text)
        }
        QuestionKind::Ordering { items, .. } => list(items.iter().map(|t| rich(t)).collect(), true),
        QuestionKind::Matching { pairs, .. } => list(
            pairs
                .iter()
                .map(|p| pair(&p.left, Some(&p.right)))
                .collect(),
            false,
        ),
    }
}
