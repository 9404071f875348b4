//! The course's real quizzes, read with `course-model` so tests find right and wrong answers
//! without hard-coding them, and helpers that answer a question through the page as a learner.

use anyhow::{bail, Context, Result};
use course_model::{parse_quiz, Question, QuestionKind, Quiz};

use crate::{root, Page};

/// A quiz of the book and the page that embeds it.
pub struct BookQuiz {
    /// The quiz as authored.
    pub quiz: Quiz,
    /// Its page in the built book (`ch02-how-lambda-works.html`).
    pub page: String,
}

impl BookQuiz {
    /// The element id of question `i` (its fieldset).
    pub fn base(&self, i: usize) -> String {
        format!("{}-{}", self.quiz.id, self.quiz.questions[i].id)
    }
}

/// Every quiz embedded in the book, in file order.
pub fn book_quizzes() -> Vec<BookQuiz> {
    let src = root().join("book/src");
    let mut out = Vec::new();
    let mut pages: Vec<_> = std::fs::read_dir(&src)
        .expect("book/src")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap_or_default();
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("{{#quiz ") else {
                continue;
            };
            let rel = rest.trim_end_matches("}}").trim();
            let file = src.join(rel);
            let toml = std::fs::read_to_string(&file).expect("quiz file");
            let quiz = parse_quiz(&file.display().to_string(), &toml).expect("valid quiz");
            let name = page.file_stem().unwrap().to_string_lossy();
            out.push(BookQuiz {
                quiz,
                page: format!("{name}.html"),
            });
        }
    }
    out
}

/// The first question of type `kind` (as in `type = "…"`) in a quiz without pools or shuffled
/// question order, so its position is its authoring index; `accept` may refuse some.
pub fn find_question(kind: &str, accept: impl Fn(&Question) -> bool) -> (BookQuiz, usize) {
    for bq in book_quizzes() {
        if bq.quiz.draw.is_some() || bq.quiz.shuffle_questions {
            continue;
        }
        if let Some(i) = bq
            .quiz
            .questions
            .iter()
            .position(|q| q.kind.name() == kind && accept(q))
        {
            return (bq, i);
        }
    }
    panic!("the course has no {kind} question");
}

/// Clicks Next until question `i` of a one-at-a-time quiz shows.
pub async fn go_to(page: &Page, bq: &BookQuiz, i: usize) -> Result<()> {
    let target = format!("#{}", bq.base(i));
    let quiz = format!("[data-quiz='{}']", bq.quiz.id);
    page.wait_for(&format!("{quiz} .course-quiz-body")).await?;
    for _ in 0..bq.quiz.questions.len() + 1 {
        if page.exists(&target).await? {
            return Ok(());
        }
        page.click(&format!("{quiz} .course-next")).await?;
    }
    bail!("question {i} of {} never showed", bq.quiz.id)
}

/// Presses Check on question `i` and waits for the verdict containing `expected`.
pub async fn check(page: &Page, bq: &BookQuiz, i: usize, expected: &str) -> Result<String> {
    let base = bq.base(i);
    page.click(&format!("#{base} .course-check")).await?;
    page.wait_for_text(&format!("#{base} .course-feedback"), expected)
        .await
}

fn number(x: f64) -> String {
    format!("{x}")
}

/// Answers question `i` (already shown) right (`right = true`) or wrong.
pub async fn answer(page: &Page, bq: &BookQuiz, i: usize, right: bool) -> Result<()> {
    let q = &bq.quiz.questions[i];
    let base = bq.base(i);
    match &q.kind {
        QuestionKind::Single { options } => {
            let pick = options.iter().position(|o| o.correct == right).unwrap();
            page.click(&format!("label[for='{base}-option-{pick}']"))
                .await?;
        }
        QuestionKind::Multiple { options, .. } => {
            for (k, o) in options.iter().enumerate() {
                // Right: exactly the correct ones. Wrong: exactly the first wrong one.
                let want = if right {
                    o.correct
                } else {
                    Some(k) == options.iter().position(|o| !o.correct)
                };
                let css = format!("#{base}-option-{k}");
                if page.is_checked(&css).await? != want {
                    page.click(&format!("label[for='{base}-option-{k}']"))
                        .await?;
                }
            }
        }
        QuestionKind::TrueFalse { answer, .. } => {
            // Option 0 is "True", option 1 "False".
            let pick = usize::from(*answer != right);
            page.click(&format!("label[for='{base}-option-{pick}']"))
                .await?;
        }
        QuestionKind::Short { answers, .. } => {
            let text = if right {
                answers
                    .first()
                    .context("a short question with answers")?
                    .clone()
            } else {
                "certainly not this".to_owned()
            };
            page.type_into(&format!("#{base}-input"), &text).await?;
        }
        QuestionKind::Numeric { .. } => {
            let (lo, hi) = q.kind.numeric_range().unwrap();
            let x = if right { lo } else { hi + 1000.0 };
            page.type_into(&format!("#{base}-input"), &number(x))
                .await?;
        }
        QuestionKind::Ordering { items, .. } => {
            if right {
                for target in 0..items.len() {
                    loop {
                        let order = item_order(page, &base).await?;
                        let at = order.iter().position(|&x| x == target).unwrap();
                        if at == target {
                            break;
                        }
                        page.click(&format!("#{base}-item-{target}-up")).await?;
                    }
                }
            } else if item_order(page, &base).await? == (0..items.len()).collect::<Vec<_>>() {
                page.click(&format!("#{base}-item-0-down")).await?;
            }
        }
        QuestionKind::Matching { pairs, .. } => {
            for k in 0..pairs.len() {
                // Wrong: every left item gets the first pair's partner.
                let value = if right { k } else { 0 };
                page.select_value(&format!("#{base}-match-{k}"), &value.to_string())
                    .await?;
            }
        }
    }
    Ok(())
}

/// The ordering question's items as shown, top to bottom (authoring indices).
pub async fn item_order(page: &Page, base: &str) -> Result<Vec<usize>> {
    let script = format!(
        "return Array.from(document.querySelectorAll('#{base} .course-move')).map(b => b.id).filter(id => id.endsWith('-up'));"
    );
    let ids = page.eval(&script).await?;
    let prefix = format!("{base}-item-");
    Ok(ids
        .as_array()
        .context("ids")?
        .iter()
        .filter_map(|v| v.as_str())
        .filter_map(|id| id.strip_prefix(&prefix)?.strip_suffix("-up")?.parse().ok())
        .collect())
}
