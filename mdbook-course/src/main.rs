//! `mdbook-course`: the mdBook preprocessor for `{{#quiz}}`, `{{#lab}}` and `{{#progress}}`, and the
//! instructor's command line ([`cli`] declares it; `mdbook-course --help` prints it).
//!
//! - `mdbook-course supports <renderer>`: mdBook asks whether we handle a renderer (html: yes).
//! - `mdbook-course` with `[context, book]` JSON on stdin: the preprocessor (mdBook runs it).
//! - `mdbook-course check [PATH...]`, `new`, `stats`, `completions`: for instructors.
//!
//! Exit codes: 0 ok, 1 content errors, 2 usage errors (clap's own).

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use mdbook_preprocessor::book::BookItem;

mod anchors;
mod check;
mod cli;
mod course;
mod coverage;
mod directive;
mod export;
mod guard;
mod import;
mod learner_stats;
mod links;
mod markdown;
mod new;
mod paths;
mod placeholder;
mod report;
mod stats;
mod watch;
mod xapi;

use cli::{Cli, Command};
use course::Course;
use course_model::{Diagnostic, Severity};

fn main() -> ExitCode {
    // Usage errors exit with 2 and `--help`/`--version` with 0, from clap.
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Supports { renderer }) => {
            // Only the HTML renderer can run the browser app.
            return if renderer == "html" {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Some(Command::Check(args)) => {
            if args.watch {
                watch::run(&args, &args.paths_or_here())
            } else {
                check::run(&args)
            }
        }
        Some(Command::New(kind)) => new::run(&kind),
        Some(Command::Stats(args)) => match args.learner_options() {
            Some(o) => learner_stats::run_with(&o),
            None => stats::run(&args),
        },
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Schema { kind }) => {
            print!("{}", cli::schema(kind));
            Ok(true)
        }
        Some(Command::Completions { shell }) => {
            cli::completions(shell);
            Ok(true)
        }
        None => preprocess().map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(cli::EXIT_CONTENT),
        Err(e) => {
            eprintln!("mdbook-course: error: {e:#}");
            ExitCode::from(cli::EXIT_CONTENT)
        }
    }
}

/// The book id from `[preprocessor.course] book-id`, else the book title made into a slug.
fn book_id(configured: Option<String>, title: Option<&str>) -> String {
    configured.unwrap_or_else(|| {
        title
            .unwrap_or("book")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    })
}

/// Paths in messages are shown relative to the folder that holds the book, so that
/// `book/src/ch01.md` and `content/quizzes/ch01/q.toml` read as they do from the repository root.
fn display_root(book_root: &Path) -> PathBuf {
    let abs = std::path::absolute(book_root).unwrap_or_else(|_| book_root.to_path_buf());
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

fn preprocess() -> Result<()> {
    let (ctx, mut book) =
        mdbook_preprocessor::parse_input(io::stdin()).context("reading mdBook's input on stdin")?;
    let configured: Option<String> = ctx
        .config
        .get("preprocessor.course.book-id")
        .context("reading [preprocessor.course] book-id in book.toml")?;
    let allowed: Option<Vec<String>> = ctx
        .config
        .get("preprocessor.course.allowed-dirs")
        .context("reading [preprocessor.course] allowed-dirs in book.toml: a list of folders relative to the book folder, e.g. `allowed-dirs = [\"../content\"]`")?;
    let root = std::path::absolute(&ctx.root).unwrap_or(ctx.root.clone());
    let mut course = Course::new(
        book_id(configured, ctx.config.book.title.as_deref()),
        root.join(&ctx.config.book.src),
        display_root(&root),
        guard::Roots::new(&root, allowed.as_deref()),
    );
    // mdBook's `for_each_mut` visits a chapter's sections before the chapter itself; the
    // progress overview lists everything in reading order (`iter` is that order).
    course.set_reading_order(
        book.iter()
            .filter_map(|item| match item {
                BookItem::Chapter(ch) => ch.source_path.clone(),
                _ => None,
            })
            .collect(),
    );
    book.for_each_mut(|item| {
        if let BookItem::Chapter(ch) = item {
            if let Some(path) = ch.source_path.clone() {
                ch.content = course.expand_quizzes(&ch.name, &path, &ch.content);
            }
        }
    });
    course.finish();
    book.for_each_mut(|item| {
        if let BookItem::Chapter(ch) = item {
            ch.content = course.expand_progress(&ch.content);
        }
    });
    xapi::inject(&ctx.config, &course.book_id, &mut book)?;
    let all: Vec<&Diagnostic> = course.diagnostics.iter().collect();
    for severity in [Severity::Warning, Severity::Error] {
        for line in report::capped(&all, severity) {
            eprintln!("{line}");
        }
    }
    if course.has_errors() {
        let n = course
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        bail!("{n} error(s) in the course content: nothing was published");
    }
    serde_json::to_writer(io::stdout(), &book).context("writing the book to stdout")?;
    Ok(())
}
