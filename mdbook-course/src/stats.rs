//! `mdbook-course stats`: what the book holds, by quiz and question type.

use anyhow::Result;
use course_model::QuestionKind;
use std::collections::BTreeMap;

use crate::check::{check_book, BookConfig};
use crate::cli::StatsArgs;

/// Prints one line per quiz and the totals by type.
pub fn run(args: &StatsArgs) -> Result<bool> {
    let course = check_book(&BookConfig::load(&args.book_dir)?)?;
    let mut by_type: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut total = 0;
    println!("{:<48} {:>9}  title", "quiz file", "questions");
    for (file, quiz) in course.quizzes() {
        println!("{file:<48} {:>9}  {}", quiz.questions.len(), quiz.title);
        for q in &quiz.questions {
            *by_type.entry(kind_name(&q.kind)).or_default() += 1;
            total += 1;
        }
    }
    println!("\n{total} questions in all");
    for (kind, n) in by_type {
        println!("  {kind:<12} {n}");
    }
    let missing = course
        .quizzes()
        .flat_map(|(_, q)| &q.questions)
        .filter(|q| q.explanation.is_none())
        .count();
    println!("{missing} question(s) without an explanation");
    let labs = course.labs();
    println!("\n{} lab(s)", labs.len());
    for lab in labs {
        println!(
            "  {:<24} {:>2} objective(s)  {}",
            lab.lab, lab.objectives, lab.title
        );
    }
    Ok(true)
}

fn kind_name(kind: &QuestionKind) -> &'static str {
    kind.name()
}
